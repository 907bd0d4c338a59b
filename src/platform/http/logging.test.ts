import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createUserWithRole, issueAccountToken } from '../../accounts/index.ts';
import { buildApp } from '../../app.ts';
import { watchContentChanges, type ContentChanges } from '../../catalog/index.ts';
import type { DatabaseHandle } from '../../db/index.ts';
import { initialiseSite } from '../../demo/index.ts';
import { createFileStore } from '../../storage/index.ts';
import { testDatabases } from '../../../test/support/databases.ts';
import { isSecretName, loggerOptions, redactSecrets } from './logging.ts';

describe('redacting secrets from log text', () => {
  it('replaces credential values in any spelling, case and encoding, and keeps everything else', () => {
    const cases: [string, string][] = [
      ['/sm/api/sushi/r51/reports/ir?customer_id=lib&requestor_id=r-1&api_key=S3cr3t', '/sm/api/sushi/r51/reports/ir?customer_id=lib&requestor_id=r-1&api_key=[redacted]'],
      ['/x?API_KEY=a&apiKey=b&Api-Key=c&api%5Fkey=d&api%5fKEY=e', '/x?API_KEY=[redacted]&apiKey=[redacted]&Api-Key=[redacted]&api%5Fkey=[redacted]&api%5fKEY=[redacted]'],
      ['/login/resetPassword?token=abc&Token=def&TOKEN=ghi', '/login/resetPassword?token=[redacted]&Token=[redacted]&TOKEN=[redacted]'],
      ['/x?password=p&passwd=q&login_passwd=r&client_secret=s&access_token=t&_csrf=u&apiToken=v', '/x?password=[redacted]&passwd=[redacted]&login_passwd=[redacted]&client_secret=[redacted]&access_token=[redacted]&_csrf=[redacted]&apiToken=[redacted]'],
      ['/x?a=1;token=t?key=k#frag', '/x?a=1;token=[redacted]?key=[redacted]#frag'],
      ['/x?token=a=b=c&next=1', '/x?token=[redacted]&next=1'],
      ['/oai?verb=ListRecords&resumptionToken=abc123&from=2020-01-01', '/oai?verb=ListRecords&resumptionToken=abc123&from=2020-01-01'],
      ['/search?query=key+words&keywords=token', '/search?query=key+words&keywords=token'],
    ];
    for (const [url, expected] of cases) assert.equal(redactSecrets(url), expected, url);
  });

  it('reads encoded return addresses and redacts inside them', () => {
    const url = `/login?source=${encodeURIComponent('/user/email/confirm?token=SECRET&x=1')}`;
    const redacted = redactSecrets(url);
    assert.ok(!redacted.includes('SECRET'), redacted);
    assert.equal(decodeURIComponent(redacted.split('source=')[1]!), '/user/email/confirm?token=[redacted]&x=1');
    const twice = `/login?source=${encodeURIComponent(`/a?next=${encodeURIComponent('/b?api_key=SECRET')}`)}`;
    assert.ok(!redactSecrets(twice).includes('SECRET'));
  });

  it('redacts inside messages, as an error quoting an address has it', () => {
    assert.equal(redactSecrets("'/sm/%zz?api_key=K3y' is not a valid url component"), "'/sm/%zz?api_key=[redacted]' is not a valid url component");
  });

  it('knows which names are credentials (COUNTER’s api_key, OJS’s apiToken) and which are not', () => {
    for (const name of ['api_key', 'apikey', 'API-KEY', 'key', 'token', 'apiToken', 'password', 'passwd', 'secret', 'login_passwd', '_csrf', 'reset%5Ftoken']) assert.ok(isSecretName(name), name);
    for (const name of ['customer_id', 'requestor_id', 'resumptionToken', 'keywords', 'query', 'begin_date', 'source', '']) assert.ok(!isSecretName(name), name);
  });
});

const [pglite] = await testDatabases();

describe('request logs of a running server', () => {
  let app: FastifyInstance;
  let database: DatabaseHandle;
  let changes: ContentChanges;
  let filesRoot: string;
  let base: string;
  const lines: string[] = [];

  before(async () => {
    database = await pglite!.open();
    await initialiseSite(database.db, { demo: true });
    changes = await watchContentChanges(database);
    filesRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'revista-files-'));
    const stream = new Writable({
      write(chunk, _encoding, callback) {
        lines.push(String(chunk));
        callback();
      },
    });
    app = await buildApp({ config: { baseUrl: 'http://localhost:3000', pageCache: false }, database, files: createFileStore(filesRoot), changes, logger: loggerOptions('info', { stream }) });
    await app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await app.close();
    await changes.close();
    await database.close();
    fs.rmSync(filesRoot, { recursive: true, force: true });
  });

  /** A small browser: keeps cookies, reads the form token of the last page. */
  const jar = new Map<string, string>();
  let csrf = '';
  async function visit(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (jar.size > 0) headers.set('cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '));
    const response = await fetch(`${base}${url}`, { ...init, headers, redirect: 'manual' });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const at = pair!.indexOf('=');
      jar.set(pair!.slice(0, at), pair!.slice(at + 1));
    }
    const body = await response.clone().text();
    csrf = /name="_csrf" value="([^"]+)"/.exec(body)?.[1] ?? csrf;
    return response;
  }

  it('shows who asked for what, and no SUSHI key, one-time token, password, form token or cookie', async () => {
    const secrets: string[] = [];
    const secret = (label: string) => {
      const value = `${label}${Math.random().toString(36).slice(2, 10)}`;
      secrets.push(value);
      return value;
    };
    // A harvester with its SUSHI key, in the spellings clients use.
    const sushi = ['api_key', 'API_KEY', 'apiKey', 'api%5Fkey', 'Api-Key'].map((name) => `/sm/api/sushi/r51/reports/ir?begin_date=2026-01&end_date=2026-01&customer_id=lib-7&requestor_id=r-abc&${name}=${secret('sushikey')}`);
    for (const url of sushi) assert.equal((await visit(url)).status, 200, url);
    assert.equal((await visit(`/sm/api/sushi/r51/members?customer_id=lib-7&api_key=${secret('sushikey')}`)).status, 200);

    // A real password reset: the link from the mail, then the form.
    const user = await createUserWithRole(database.db, { email: 'reader@example.org', password: 'first password', role: 'reader', journalId: 1, now: new Date() });
    const token = await issueAccountToken(database.db, user.userId, 'reset-password', new Date());
    secrets.push(token);
    assert.equal((await visit(`/login/resetPassword?token=${token}`)).status, 200);
    const newPassword = secret('password');
    const reset = await visit('/login/resetPassword', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-csrf-token': csrf },
      body: new URLSearchParams({ _csrf: csrf, token, password: newPassword, password2: newPassword }).toString(),
    });
    assert.equal(reset.status, 200);
    secrets.push(csrf);
    // A return address carrying a token, a password in an address, a sign-in with credentials in headers.
    assert.ok([200, 303].includes((await visit(`/login?source=${encodeURIComponent(`/user/profile?token=${secret('nested')}`)}`)).status));
    await visit(`/sm/search/search?query=x&password=${secret('typed')}`);
    const signIn = await visit('/login/signIn', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${secret('bearer')}`, 'x-csrf-token': csrf },
      body: new URLSearchParams({ _csrf: csrf, email: 'reader@example.org', password: newPassword }).toString(),
    });
    assert.equal(signIn.status, 303, 'signed in with the new password');
    for (const value of jar.values()) secrets.push(value);
    // Anything that logs headers (a plugin, a debugging line) gets them without credentials.
    app.log.info({ headers: { authorization: `Basic ${secret('basic')}`, cookie: `session=${secret('cookie')}`, 'x-csrf-token': secret('csrf'), 'user-agent': 'test' } }, 'headers of a request');

    const log = lines.join('');
    const entries = lines.map((line) => JSON.parse(line) as { msg?: string; req?: { url: string }; headers?: Record<string, string> });
    const urls = entries.flatMap((e) => (e.req ? [e.req.url] : []));
    assert.ok(urls.length >= sushi.length + 5, 'every request is logged');
    assert.ok(!entries.some((e) => e.msg === 'incoming request'), 'one line per request, when it is answered');
    for (const value of secrets) assert.ok(!log.includes(value), `the log shows ${value.slice(0, 12)}…`);
    // What helps to trace a request is still there.
    assert.ok(urls.some((url) => url.includes('customer_id=lib-7&requestor_id=r-abc&api_key=[redacted]')), urls.join('\n'));
    assert.ok(urls.includes('/login/resetPassword?token=[redacted]'));
    assert.equal(entries.find((e) => e.msg === 'headers of a request')?.headers?.['user-agent'], 'test');
  });
});

describe('ACCESS_LOG=off', () => {
  it('writes no line for answered requests, and still logs a request that failed', async () => {
    const database = await pglite!.open();
    await initialiseSite(database.db, { demo: true });
    const changes = await watchContentChanges(database);
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _encoding, callback) {
        lines.push(String(chunk));
        callback();
      },
    });
    const app = await buildApp({ config: { baseUrl: 'http://localhost:3000', pageCache: false }, database, files: createFileStore('/nonexistent-files'), changes, logger: loggerOptions('info', { stream }), accessLog: false });
    try {
      assert.equal((await app.inject({ url: '/sm/article/view/1786' })).statusCode, 200);
      assert.equal((await app.inject({ url: '/sm/issue/archive' })).statusCode, 200);
      assert.ok(!lines.some((line) => line.includes('request completed')), lines.join(''));
      // The database goes away: the failure is still logged, with its request id.
      await changes.close();
      await database.close();
      const failed = await app.inject({ url: '/sm/article/view/1786' });
      assert.equal(failed.statusCode, 500);
      assert.ok(lines.some((line) => line.includes(String(failed.headers['x-request-id'])) && JSON.parse(line).level >= 50), lines.join(''));
    } finally {
      await app.close();
    }
  });
});
