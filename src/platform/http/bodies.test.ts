import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createUploadSlots } from './index.ts';
import { UPLOAD_SPOOL } from '../../storage/index.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { testDatabases } from '../../../test/support/databases.ts';
import { cookieHeader, multipartStart, rawRequest, type RawAnswer } from '../../../test/support/raw-http.ts';
import { Session, signedInAs } from '../../../test/support/session.ts';

/**
 * Bodies are refused before they are read: a stranger cannot make the server store or hold an upload,
 * a sign-in form takes kilobytes, and uploads are few at a time. Each test sends only the head of a
 * request (and at most the first 64 KB of a body it declares to be hundreds of megabytes) on a real
 * socket, and the server must answer without waiting for the rest.
 */

const MB = 1024 * 1024;
const BOUNDARY = 'revista-test-boundary';
const MULTIPART = `multipart/form-data; boundary=${BOUNDARY}`;
const FIRST_BYTES = Buffer.alloc(64 * 1024, 0x41);

for (const database of await testDatabases()) {
  describe(`request bodies on ${database.name}`, () => {
    let t: TestApp;
    let port: number;
    let manager: Session;
    let reader: Session;
    const tempUploads = () => fs.readdirSync(os.tmpdir()).filter((name) => name.startsWith('revista-upload-')).length;
    const spoolDir = () => path.join(t.files.root, UPLOAD_SPOOL);
    const spooled = () => (fs.existsSync(spoolDir()) ? fs.readdirSync(spoolDir()) : []);
    const storedFiles = () => fs.readdirSync(t.files.root, { recursive: true }).filter((name) => !String(name).startsWith(UPLOAD_SPOOL)).length;

    before(async () => {
      t = await startTestApp(database, { uploadSlots: createUploadSlots({ perPerson: 2, total: 3 }) });
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      port = (t.app.server.address() as AddressInfo).port;
      manager = await signedInAs(t.app, t.database.db, { email: 'manager@example.org', role: 'manager', journalId: 1 });
      await manager.get('/sm/management/ojs');
      reader = await signedInAs(t.app, t.database.db, { email: 'reader@example.org', role: 'reader', journalId: 1 });
      await reader.get('/sm');
    });
    after(async () => t.close());

    /** A multipart upload of `declared` bytes, of which only the start is sent. */
    const upload = (url: string, options: { cookie?: string; fields?: Record<string, string>; declared?: number; file?: boolean } = {}) =>
      rawRequest(port, {
        method: 'POST',
        path: url,
        headers: { 'accept-language': 'en', 'content-type': MULTIPART, 'content-length': String(options.declared ?? 300 * MB), ...(options.cookie ? { cookie: options.cookie } : {}) },
        start: multipartStart(BOUNDARY, options.fields ?? {}, options.file === false ? undefined : { name: 'document', filename: 'issues.xml', bytes: FIRST_BYTES }),
      });

    it('answers a stranger’s upload to any management address before reading it, closes the connection, and stores nothing', async () => {
      const spoolsBefore = tempUploads();
      const storedBefore = storedFiles();
      const answers: Record<string, RawAnswer> = {};
      for (const url of ['/nosuchjournal/management/ojs/import', '/sm/management/ojs/import', '/sm/management/ojs/dry-run', '/sm/management/appearance', '/sm/management/issues/new']) {
        answers[url] = await upload(url);
      }
      assert.equal(answers['/nosuchjournal/management/ojs/import']!.status, 404, 'the journal need not exist to be refused, and does not');
      for (const [url, answer] of Object.entries(answers)) {
        if (url.startsWith('/sm/')) assert.equal(answer.status, 401, `${url}: sign in first`);
        assert.ok(answer.closed, `${url}: the connection is closed, so the rest of the body is never read`);
        assert.match(answer.headers['content-security-policy'] ?? '', /default-src 'self'/);
      }
      assert.deepEqual(spooled(), [], 'no spool file');
      assert.equal(tempUploads(), spoolsBefore, 'nothing in the temporary directory');
      assert.equal(storedFiles(), storedBefore, 'nothing in the store');
    });

    it('refuses a reader’s upload before reading it (403), and a manager’s upload with a forged token before writing a byte of it', async () => {
      const refused = await upload('/sm/management/ojs/import', { cookie: cookieHeader(reader.cookies), fields: { _csrf: reader.csrf } });
      assert.equal(refused.status, 403);
      assert.ok(refused.closed);
      const forged = await upload('/sm/management/ojs/import', { cookie: cookieHeader(manager.cookies), fields: { _csrf: 'forged-token' } });
      assert.equal(forged.status, 403);
      assert.match(forged.body, /The form has expired or did not come from this site/);
      assert.ok(forged.closed);
      const noToken = await upload('/sm/management/ojs/import', { cookie: cookieHeader(manager.cookies) });
      assert.equal(noToken.status, 403, 'the file came before any token');
      assert.deepEqual(spooled(), []);
    });

    it('refuses large and multipart bodies to the sign-in form unread; 40 such posts at once are all answered', async () => {
      const login = new Session(t.app);
      await login.get('/login');
      const cookie = cookieHeader(login.cookies);
      const multipart = await upload('/login/signIn', { cookie, fields: { _csrf: login.csrf, email: 'a@example.org' }, declared: 50 * MB });
      assert.equal(multipart.status, 415, 'the sign-in form takes no files');
      assert.ok(multipart.closed);
      const large = await rawRequest(port, {
        method: 'POST',
        path: '/login/signIn',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(50 * MB) },
        start: `_csrf=${login.csrf}&email=`,
      });
      assert.equal(large.status, 413, 'over the form’s limit by its length alone');
      assert.ok(large.closed);
      // Without a length, the body is read only up to the form's limit.
      const chunk = `_csrf=${login.csrf}&email=${'a'.repeat(40 * 1024)}`;
      const chunked = await rawRequest(port, {
        method: 'POST',
        path: '/login/signIn',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', 'transfer-encoding': 'chunked' },
        start: `${Buffer.byteLength(chunk).toString(16)}\r\n${chunk}\r\n`,
      });
      assert.equal(chunked.status, 413);
      const flood = await Promise.all(Array.from({ length: 40 }, () => upload('/login/signIn', { cookie, fields: { _csrf: login.csrf }, declared: 50 * MB })));
      assert.deepEqual(new Set(flood.map((a) => a.status)), new Set([415]));
    });

    it('lets a person read two uploads at a time and the server three, answering the next with 429 before reading it', async () => {
      const second = await signedInAs(t.app, t.database.db, { email: 'second@example.org', role: 'manager', journalId: 1 });
      await second.get('/sm/management/ojs');
      // Two uploads that never finish hold the manager's two slots; the connections stay open.
      const open: Array<import('node:net').Socket> = [];
      const hold = async (session: Session) => {
        const net = await import('node:net');
        const socket = net.connect(port, '127.0.0.1');
        await new Promise((resolve) => socket.once('connect', resolve));
        socket.write(`POST /sm/management/ojs/dry-run HTTP/1.1\r\nhost: localhost\r\ncookie: ${cookieHeader(session.cookies)}\r\ncontent-type: ${MULTIPART}\r\ncontent-length: ${300 * MB}\r\n\r\n`);
        socket.write(multipartStart(BOUNDARY, { _csrf: session.csrf }, { name: 'document', filename: 'slow.xml', bytes: Buffer.from('<?xml version="1.0"?>') }));
        socket.on('error', () => undefined);
        open.push(socket);
      };
      try {
        await hold(manager);
        await hold(manager);
        await waitFor(() => spooled().length === 2, 'both uploads are being received');
        const third = await upload('/sm/management/ojs/dry-run', { cookie: cookieHeader(manager.cookies), fields: { _csrf: manager.csrf } });
        assert.equal(third.status, 429, 'a third upload of the same person waits');
        assert.ok(Number(third.headers['retry-after']) > 0);
        await hold(second);
        await waitFor(() => spooled().length === 3, 'the other manager’s upload is received');
        const fourth = await upload('/sm/management/ojs/dry-run', { cookie: cookieHeader(second.cookies), fields: { _csrf: second.csrf } });
        assert.equal(fourth.status, 429, 'the server reads three uploads at most');
        // A client that goes away gives its slot back, and its spool file is removed.
        open.shift()!.destroy();
        await waitFor(() => spooled().length === 2, 'the dropped upload’s spool file is removed');
        await hold(second);
        await waitFor(() => spooled().length === 3, 'the freed slot takes a new upload');
      } finally {
        for (const socket of open) socket.destroy();
      }
      await waitFor(() => spooled().length === 0, 'every spool file is removed when its client goes');
    });

    it('answers methods no route takes with 404 or 405, never the form-expired page, with the security headers', async () => {
      const put = await rawRequest(port, { method: 'PUT', path: '/sm', headers: { 'content-length': '0' } });
      assert.equal(put.status, 405);
      assert.equal(put.headers.allow, 'GET, HEAD');
      const del = await rawRequest(port, { method: 'DELETE', path: '/login/signIn', headers: { 'content-length': '0' } });
      assert.equal(del.status, 405);
      assert.equal(del.headers.allow, 'POST');
      const trace = await rawRequest(port, { method: 'TRACE', path: '/sm/article/view/1786', headers: {} });
      assert.equal(trace.status, 405);
      const nowhere = await rawRequest(port, { method: 'PUT', path: '/no/such/address', headers: { 'content-length': '0' } });
      assert.equal(nowhere.status, 404);
      for (const answer of [put, del, trace, nowhere]) {
        assert.doesNotMatch(answer.body, /form has expired/);
        assert.equal(answer.headers['x-content-type-options'], 'nosniff');
      }
      // Answers from Fastify's router and Node's parser, before any hook.
      const badEncoding = await rawRequest(port, { method: 'GET', path: '/sm/%E0%A4%A', headers: {} });
      const unknownMethod = await rawRequest(port, { method: 'FOO', path: '/sm', headers: {} });
      for (const answer of [badEncoding, unknownMethod]) {
        assert.equal(answer.status, 400);
        assert.match(answer.headers['content-security-policy'] ?? '', /default-src 'self'/);
        assert.equal(answer.headers['x-content-type-options'], 'nosniff');
        assert.equal(answer.headers['x-frame-options'], 'SAMEORIGIN');
      }
    });
  });
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
