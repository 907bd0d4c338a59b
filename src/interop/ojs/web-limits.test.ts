import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { testDatabases } from '../../../test/support/databases.ts';
import { cookieHeader } from '../../../test/support/raw-http.ts';
import { Session, signedInAs } from '../../../test/support/session.ts';
import { rowCounts } from '../../../test/support/tables.ts';

/**
 * A hostile document sent through the manager's page: a million nested elements (7 MB) once kept the
 * whole server from answering for 17 minutes. It is refused within seconds with a clear message, and
 * the server answers others (`/healthz`) all the while.
 */
for (const database of await testDatabases()) {
  describe(`a hostile upload to the OJS page on ${database.name}`, () => {
    let t: TestApp;
    let base: string;
    let manager: Session;
    before(async () => {
      t = await startTestApp(database);
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
      manager = await signedInAs(t.app, t.database.db, { email: 'manager@example.org', role: 'manager', journalId: 1 });
      await manager.get('/sm/management/ojs');
    });
    after(async () => t.close());

    it('refuses a million nested elements within seconds, naming the problem, while /healthz keeps answering', { timeout: 120_000 }, async () => {
      const levels = 1_000_000;
      const document = `<?xml version="1.0" encoding="utf-8"?>\n<issues xmlns="http://pkp.sfu.ca"><issue>${'<x>'.repeat(levels)}${'</x>'.repeat(levels)}</issue></issues>\n`;
      const before = await rowCounts(t.database.db);
      const form = new FormData();
      form.append('_csrf', manager.csrf);
      form.append('document', new Blob([document], { type: 'application/xml' }), 'deep.xml');

      // Health is asked every 50 ms while the upload is answered; each answer's time is kept.
      let uploading = true;
      const healthTimes: number[] = [];
      const polling = (async () => {
        while (uploading) {
          const started = performance.now();
          const health = await fetch(`${base}/healthz`);
          assert.equal(health.status, 200);
          healthTimes.push(performance.now() - started);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      })();
      const started = performance.now();
      const response = await fetch(`${base}/sm/management/ojs/import`, { method: 'POST', body: form, headers: { cookie: cookieHeader(manager.cookies), 'accept-language': 'en' } });
      const body = await response.text();
      const took = performance.now() - started;
      uploading = false;
      await polling;

      assert.equal(response.status, 422);
      assert.match(body, /elements are nested more than \d+ levels deep/);
      assert.match(body, /Nothing was written\./);
      assert.ok(took < 30_000, `answered in ${Math.round(took)} ms`);
      assert.ok(healthTimes.length >= 3, `health was asked during the upload (${healthTimes.length} times)`);
      assert.ok(Math.max(...healthTimes) < 2000, `the slowest /healthz took ${Math.round(Math.max(...healthTimes))} ms`);
      assert.deepEqual(await rowCounts(t.database.db), before);
    });
  });
}
