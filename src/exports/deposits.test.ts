import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { testDatabases } from '../../test/support/databases.ts';
import { freePort } from '../../test/support/ports.ts';
import { manualClock } from '../../test/support/session.ts';
import { createCrossrefClient } from './crossref-client.ts';
import { checkSubmittedDeposits, MAX_ATTEMPTS, queueDeposits, requeueChanged, sendQueuedDeposits, type DepositContext } from './deposits.ts';
import { assignMissingDois } from './doi.ts';

type Mode = 'ok' | 'unauthorized' | 'rejected' | 'timeout' | 'server-error';

/**
 * A local server speaking Crossref's documented deposit protocol: multipart POST to
 * /servlet/deposit with operation=doMDUpload, login_id, login_passwd and the file in `fname`; the
 * submission log at /servlet/submissionDownload?type=result.
 */
async function startCrossref() {
  const state = { mode: 'ok' as Mode, log: 'Success' as 'Success' | 'Failure' | 'queued', deposits: [] as Array<{ xml: string; login: string; operation: string }> };
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url!, 'http://crossref.test');
    if (state.mode === 'timeout') return; // never answers
    if (state.mode === 'server-error') {
      res.writeHead(503).end('<html><body>Service temporarily unavailable</body></html>');
      return;
    }
    if (req.method === 'POST' && url.pathname === '/servlet/deposit') {
      const form = await new Request('http://crossref.test/', { method: 'POST', headers: { 'content-type': req.headers['content-type']! }, body: Buffer.concat(chunks) }).formData();
      const login = `${form.get('login_id')}:${form.get('login_passwd')}`;
      if (state.mode === 'unauthorized' || login !== 'sm-user:sm-secret') {
        res.writeHead(401, { 'content-type': 'text/html' }).end('<html><body><h2>Unauthorized</h2>Wrong login or password</body></html>');
        return;
      }
      const file = form.get('fname') as File;
      state.deposits.push({ xml: await file.text(), login, operation: String(form.get('operation')) });
      if (state.mode === 'rejected') {
        res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body><h2>FAILURE</h2>The file is not well-formed.</body></html>');
        return;
      }
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html><head><title>SUCCESS</title></head><body><h2>SUCCESS</h2><p>Your batch submission was successfully received.</p></body></html>');
      return;
    }
    if (req.method === 'GET' && url.pathname === '/servlet/submissionDownload' && url.searchParams.get('type') === 'result') {
      const batch = url.searchParams.get('doi_batch_id');
      const deposit = state.deposits.find((d) => d.xml.includes(`<doi_batch_id>${batch}</doi_batch_id>`));
      const doi = deposit ? /<doi>([^<]+)<\/doi>\s*<resource>/.exec(deposit.xml)?.[1] : undefined;
      res.writeHead(200, { 'content-type': 'text/xml' });
      if (!deposit || state.log === 'queued') {
        res.end(`<?xml version="1.0"?><doi_batch_diagnostic status="queued" sp="test"><batch_id>${batch}</batch_id></doi_batch_diagnostic>`);
        return;
      }
      const message = state.log === 'Success' ? 'Successfully added' : 'Record not processed because submitted version: 1 is less or equal to previously submitted version (DOI match)';
      res.end(
        `<?xml version="1.0" encoding="UTF-8"?><doi_batch_diagnostic status="completed" sp="test"><submission_id>1</submission_id><batch_id>${batch}</batch_id>` +
          `<record_diagnostic status="${state.log}"><doi>${doi}</doi><msg>${message}</msg></record_diagnostic>` +
          `<batch_data><record_count>1</record_count><success_count>${state.log === 'Success' ? 1 : 0}</success_count><warning_count>0</warning_count><failure_count>${state.log === 'Failure' ? 1 : 0}</failure_count></batch_data></doi_batch_diagnostic>`,
      );
      return;
    }
    res.writeHead(404).end();
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { state, url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}

for (const database of await testDatabases()) {
  describe(`Crossref deposits on ${database.name}`, () => {
    let t: TestApp;
    let crossref: Awaited<ReturnType<typeof startCrossref>>;
    let ctx: DepositContext;
    const clock = manualClock(new Date('2026-03-01T10:00:00Z'));
    const status = async () => t.database.db.selectFrom('crossref_deposits').selectAll().where('article_id', '=', 1786).executeTakeFirstOrThrow();

    before(async () => {
      t = await startTestApp(database);
      crossref = await startCrossref();
      await t.database.db.updateTable('journals').set({ doi_prefix: '10.5555', crossref_username: 'sm-user', crossref_password: 'sm-secret', crossref_depositor_email: 'office@example.org', publisher: 'PISM' }).where('path', '=', 'sm').execute();
      const assigned = await assignMissingDois(t.database.db, 1);
      assert.deepEqual(assigned.assigned, [{ articleId: 1786, doi: '10.5555/sm.v74i4.1786' }]);
      // Long enough for a loaded machine to answer a deposit; the test of a server that never answers waits this once.
      ctx = { db: t.database.db, client: createCrossrefClient({ baseUrl: crossref.url, timeoutMs: 2000 }), clock, baseUrl: 'http://localhost:3000' };
    });
    after(async () => {
      await crossref.close();
      await t.close();
    });

    it('deposits the demo article, and registers it only when the submission log says Success', async () => {
      assert.deepEqual((await queueDeposits(ctx, 1)).queued, [1786]);
      assert.equal((await status()).status, 'queued');
      const sent = await sendQueuedDeposits(ctx);
      assert.deepEqual(sent.map((s) => s.status), ['submitted']);
      const arrived = crossref.state.deposits[0]!;
      assert.equal(arrived.operation, 'doMDUpload');
      assert.equal((arrived.xml.match(/<citation /g) ?? []).length, 42, 'the reference list goes to Crossref');
      const file = path.join(os.tmpdir(), `crossref-${process.pid}.xml`);
      fs.writeFileSync(file, arrived.xml);
      execFileSync('xmllint', ['--noout', '--nonet', '--schema', path.resolve('../shared/schemas/crossref/crossref5.3.1.xsd'), file], { stdio: 'pipe' });
      fs.rmSync(file);
      crossref.state.log = 'queued';
      await checkSubmittedDeposits(ctx);
      assert.equal((await status()).status, 'submitted', 'still being processed: not registered yet');
      crossref.state.log = 'Success';
      await checkSubmittedDeposits(ctx);
      const done = await status();
      assert.equal(done.status, 'registered');
      assert.equal(done.message, 'Successfully added');
      assert.deepEqual((await queueDeposits(ctx, 1)).unchanged, [1786], 'unchanged metadata is not sent again');
    });

    it('sends again after a metadata change, and keeps Crossref’s failure message', async () => {
      // The registration was stamped with the manual clock (2026); the change is stamped now, later.
      await t.database.db.updateTable('crossref_deposits').set({ updated_at: new Date('2020-01-01') }).where('article_id', '=', 1786).execute();
      assert.deepEqual(await requeueChanged(ctx), [], 'nothing changed: nothing queued again');
      await t.database.db.updateTable('publications').set({ pages: '101-120' }).where('article_id', '=', 1786).execute();
      assert.deepEqual(await requeueChanged(ctx), [1786], 'the change is noticed without anyone asking');
      await sendQueuedDeposits(ctx);
      crossref.state.log = 'Failure';
      await checkSubmittedDeposits(ctx);
      const failed = await status();
      assert.equal(failed.status, 'failed');
      assert.match(failed.message!, /previously submitted version/);
      crossref.state.log = 'Success';
    });

    it('marks a refused login as failed at once, without retrying', async () => {
      crossref.state.mode = 'unauthorized';
      await t.database.db.updateTable('publications').set({ pages: '1-20' }).where('article_id', '=', 1786).execute();
      await queueDeposits(ctx, 1);
      const [outcome] = await sendQueuedDeposits(ctx);
      assert.equal(outcome!.status, 'failed');
      assert.match(outcome!.message!, /refused the login \(401\)/);
      assert.doesNotMatch(outcome!.message!, /sm-secret/);
      crossref.state.mode = 'ok';
    });

    it('retries network failures with growing waits, then gives up; nothing is registered meanwhile', async () => {
      await t.database.db.updateTable('publications').set({ pages: '2-21' }).where('article_id', '=', 1786).execute();
      await queueDeposits(ctx, 1);
      crossref.state.mode = 'timeout';
      const first = await sendQueuedDeposits(ctx);
      assert.equal(first[0]!.status, 'queued');
      assert.match(first[0]!.message!, /did not answer within 2 s/);
      const waiting = await status();
      assert.equal(waiting.attempts, 1);
      assert.equal(waiting.next_attempt_at!.getTime() - clock.now().getTime(), 60_000);
      assert.deepEqual(await sendQueuedDeposits(ctx), [], 'not due yet');
      crossref.state.mode = 'server-error';
      for (let attempt = 2; attempt <= MAX_ATTEMPTS; attempt++) {
        clock.advance(7 * 3600_000);
        const [outcome] = await sendQueuedDeposits(ctx);
        assert.equal(outcome!.status, attempt < MAX_ATTEMPTS ? 'queued' : 'failed', `attempt ${attempt}`);
      }
      const gaveUp = await status();
      assert.equal(gaveUp.status, 'failed');
      assert.match(gaveUp.message!, /Crossref answered 503/);
      crossref.state.mode = 'ok';
      await queueDeposits(ctx, 1);
      clock.advance(1000);
      assert.deepEqual((await sendQueuedDeposits(ctx)).map((o) => o.status), ['submitted'], 'a new attempt after fixing things goes through');
    });

    it('refuses an upload Crossref does not accept', async () => {
      crossref.state.mode = 'rejected';
      await t.database.db.updateTable('publications').set({ pages: '3-22' }).where('article_id', '=', 1786).execute();
      await queueDeposits(ctx, 1);
      const [outcome] = await sendQueuedDeposits(ctx);
      assert.equal(outcome!.status, 'failed');
      assert.match(outcome!.message!, /FAILURE The file is not well-formed/);
      crossref.state.mode = 'ok';
    });
  });
}
