import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { buildApp } from '../../app.ts';
import { watchContentChanges, type ContentChanges } from '../../catalog/index.ts';
import type { DatabaseHandle } from '../../db/index.ts';
import { initialiseSite } from '../../demo/index.ts';
import { createFileStore } from '../../storage/index.ts';
import { testDatabases } from '../../../test/support/databases.ts';
import { signedInAs } from '../../../test/support/session.ts';
import { loggerOptions } from './logging.ts';

const ARTICLE = '/sm/article/view/1786';

/**
 * Answers kept whole for readers without a session (response-cache.ts), over real HTTP (the kept
 * answers are sent before the framework, which `inject` goes through): the same page, headers and
 * validators as the route's, each view still counted, nothing kept for a signed-in person, and a
 * change seen on the next request.
 */
for (const database of await testDatabases()) {
  describe(`kept answers on ${database.name}`, () => {
    let app: FastifyInstance;
    let handle: DatabaseHandle;
    let changes: ContentChanges;
    let filesRoot: string;
    let base: string;
    const lines: string[] = [];

    before(async () => {
      handle = await database.open();
      await initialiseSite(handle.db, { demo: true });
      changes = await watchContentChanges(handle);
      filesRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'revista-files-'));
      const stream = new Writable({
        write(chunk, _encoding, callback) {
          lines.push(String(chunk));
          callback();
        },
      });
      app = await buildApp({ config: { baseUrl: 'http://localhost:3000', pageCache: true }, database: handle, files: createFileStore(filesRoot), changes, logger: loggerOptions('info', { stream }) });
      await app.listen({ port: 0, host: '127.0.0.1' });
      base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    });
    after(async () => {
      await app.close();
      await changes.close();
      await handle.close();
      fs.rmSync(filesRoot, { recursive: true, force: true });
    });

    const get = (url: string, headers: Record<string, string> = {}, method = 'GET') => fetch(`${base}${url}`, { method, headers, redirect: 'manual' });

    it('sends a reader the page the route sent, with its headers and validators, and a request id of its own', async () => {
      const first = await get(ARTICLE);
      assert.equal(first.status, 200);
      assert.equal(first.headers.get('cache-status'), null);
      const firstBody = await first.text();
      const second = await get(ARTICLE);
      assert.equal(second.status, 200);
      assert.equal(second.headers.get('cache-status'), 'revista; hit');
      assert.equal(await second.text(), firstBody);
      for (const name of ['content-type', 'etag', 'cache-control', 'vary', 'content-security-policy', 'x-content-type-options', 'referrer-policy', 'x-frame-options']) {
        assert.equal(second.headers.get(name), first.headers.get(name), name);
      }
      assert.match(second.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
      assert.notEqual(second.headers.get('x-request-id'), first.headers.get('x-request-id'));
      assert.equal(Number(second.headers.get('content-length')), Buffer.byteLength(firstBody));

      const revalidated = await get(ARTICLE, { 'if-none-match': first.headers.get('etag')! });
      assert.equal(revalidated.status, 304);
      assert.equal(await revalidated.text(), '');
      const head = await get(ARTICLE, {}, 'HEAD');
      assert.equal(head.status, 200);
      assert.equal(head.headers.get('cache-status'), 'revista; hit');
      assert.equal(await head.text(), '');
    });

    it('counts every reader’s view, each by their own address as a trusted proxy tells it', async () => {
      await app.inject({ url: ARTICLE }); // kept (if not already)
      const countViews = async () => Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM usage_events WHERE article_id = 1786 AND kind = 'investigation'`.execute(handle.db)).rows[0]!.n);
      await new Promise((r) => setTimeout(r, 300)); // earlier views are written in their batch
      const before = await countViews();
      const readers = ['203.0.113.7', '203.0.113.8', '203.0.113.9'];
      for (const ip of readers) assert.equal((await get(ARTICLE, { 'x-forwarded-for': ip })).headers.get('cache-status'), 'revista; hit');
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(await countViews(), before + 3);
      const sessions = await sql<{ n: number }>`SELECT count(DISTINCT session_key)::int AS n FROM (SELECT session_key FROM usage_events WHERE article_id = 1786 ORDER BY id DESC LIMIT 3) AS last`.execute(handle.db);
      assert.equal(sessions.rows[0]!.n, 3, 'three readers, three COUNTER sessions');
      const logged = lines.map((line) => JSON.parse(line) as { msg: string; req?: { remoteAddress?: string } });
      for (const ip of readers) assert.ok(logged.some((e) => e.msg === 'request completed' && e.req?.remoteAddress === ip), `the access log shows ${ip}`);
    });

    it('answers each language from its own kept page, and redacts secrets in the access line of a kept answer', async () => {
      for (const language of ['en', 'pl']) {
        await get('/sm/issue/archive', { 'accept-language': language });
        const kept = await get('/sm/issue/archive', { 'accept-language': language });
        assert.equal(kept.headers.get('cache-status'), 'revista; hit');
        assert.match(await kept.text(), new RegExp(`<html lang="${language}"`));
      }
      // A first visit choosing a language by address: the choice is remembered (the cookie) on a kept answer too.
      await get('/sm/about?locale=en');
      const chosen = await get('/sm/about?locale=en');
      assert.equal(chosen.headers.get('cache-status'), 'revista; hit');
      assert.match(chosen.headers.get('set-cookie') ?? '', /^revista_locale=en;/);
      assert.match(await chosen.text(), /<html lang="en"/);
      await get('/sm/issue/archive?token=s3cret-value');
      assert.equal((await get('/sm/issue/archive?token=s3cret-value')).headers.get('cache-status'), 'revista; hit');
      assert.ok(!lines.join('').includes('s3cret-value'), 'no secret in the log');
    });

    it('never answers a signed-in person from kept answers', async () => {
      const editor = await signedInAs(app, handle.db, { email: `kept-${database.name}@example.org`, role: 'editor', journalId: 1 });
      const cookie = [...editor.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
      await get(ARTICLE);
      const page = await get(ARTICLE, { cookie, 'accept-language': 'en' });
      assert.equal(page.status, 200);
      assert.equal(page.headers.get('cache-status'), null);
      assert.match(page.headers.get('cache-control') ?? '', /private|no-store/);
    });

    it('shows a change on the next request', async () => {
      await get(ARTICLE);
      assert.equal((await get(ARTICLE)).headers.get('cache-status'), 'revista; hit');
      await sql`UPDATE publications SET title = jsonb_set(title, '{en}', '"A title changed a moment ago"') WHERE article_id = 1786`.execute(handle.db);
      await changes.sync();
      const changed = await get(ARTICLE, { 'accept-language': 'en' });
      assert.equal(changed.headers.get('cache-status'), null);
      assert.match(await changed.text(), /A title changed a moment ago/);
    });
  });
}
