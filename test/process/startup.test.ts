import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import http from 'node:http';
import { addPublishedArticle } from '../../src/catalog/index.ts';
import { openDatabase } from '../../src/db/index.ts';
import { createFileStore } from '../../src/storage/index.ts';
import { createScratchDatabase, postgresReachable } from '../support/databases.ts';
import { freePort } from '../support/ports.ts';
import { runCli, startServer, tempDir, waitForHealth } from '../support/processes.ts';

/**
 * The server and the CLI as a person runs them: real processes, real ports, real data directories.
 */
async function signInOverHttp(port: number, email: string, password: string): Promise<number> {
  const form = await fetch(`http://127.0.0.1:${port}/login`);
  const cookie = form.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const token = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
  const response = await fetch(`http://127.0.0.1:${port}/login/signIn`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: token, email, password }).toString(),
  });
  return response.status;
}

describe('starting with bad configuration', () => {
  it('stops with one clear line and exit code 1 when DATABASE_URL points nowhere', async () => {
    const { done } = startServer({ DATABASE_URL: 'postgres://postgres@127.0.0.1:9/nowhere', DATA_DIR: tempDir(), PORT: '0' });
    const run = await done;
    assert.equal(run.code, 1);
    const lines = run.stderr.trim().split('\n');
    assert.equal(lines.length, 1, `expected one line, got: ${run.stderr}`);
    assert.match(lines[0]!, /^revista: cannot connect to PostgreSQL at 127\.0\.0\.1:9\/nowhere \(ECONNREFUSED\)$/);
  });

  it('stops with a clear error and exit code 1 when DATA_DIR cannot be written', async () => {
    const file = path.join(tempDir(), 'a-file');
    fs.writeFileSync(file, 'not a directory');
    const { done } = startServer({ DATA_DIR: path.join(file, 'data'), PORT: '0' });
    const run = await done;
    assert.equal(run.code, 1);
    assert.match(run.stderr.trim(), /^revista: DATA_DIR .*a-file\/data is not a writable directory \(ENOTDIR\); set DATA_DIR/);
  });

  it('refuses a PORT that is not a port number', async () => {
    const { done } = startServer({ DATA_DIR: tempDir(), PORT: 'eighty' });
    const run = await done;
    assert.equal(run.code, 1);
    assert.match(run.stderr.trim(), /^revista: PORT must be a number between 0 and 65535, got "eighty"$/);
  });
});

describe('the embedded database is used by one process at a time', () => {
  it('serves the demo, refuses a second process with a clear message, shuts down cleanly and restarts without duplicating the demo', async () => {
    const dataDir = tempDir();
    const port = await freePort();
    const server = startServer({ DATA_DIR: dataDir, PORT: String(port) });
    try {
      await waitForHealth(port, server.done);
      const page = await fetch(`http://127.0.0.1:${port}/sm/article/view/1786`);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /Russia’s approaches towards Armenia and Azerbaijan/);

      const cli = await runCli(['migrate'], { DATA_DIR: dataDir });
      assert.equal(cli.code, 1);
      assert.match(cli.stderr, new RegExp(`in use by another Revista process \\(pid ${server.child.pid}, "revista start"`));
      assert.match(cli.stderr, /DATABASE_URL/);

      const second = startServer({ DATA_DIR: dataDir, PORT: String(await freePort()) });
      const secondRun = await second.done;
      assert.equal(secondRun.code, 1);
      assert.match(secondRun.stderr, /^revista: the embedded database in .* is in use by another Revista process/);

      // The refused processes changed nothing: the server still serves the same page.
      assert.equal((await fetch(`http://127.0.0.1:${port}/sm/article/view/1786`)).status, 200);

      // The first start created the administrator and said how to sign in, once.
      const signIn = /Sign in as administrator at http:\/\/localhost:\d+\/login with email (\S+) and password (\S+) \(shown only this once/.exec(server.stdout());
      assert.ok(signIn, `no sign-in line in: ${server.stdout()}`);
      assert.equal(await signInOverHttp(port, signIn[1]!, signIn[2]!), 303, 'the printed password signs in');
      assert.equal((await fetch(`http://127.0.0.1:${port}/login/resetPassword?token=a-secret-one-time-token`)).status, 410);
    } finally {
      server.child.kill('SIGTERM');
    }
    const stopped = await server.done;
    assert.equal(stopped.code, 0, stopped.stderr);
    assert.match(stopped.stdout, /stopped cleanly/);
    assert.match(stopped.stdout, /"url":"\/login\/resetPassword\?token=\[redacted\]"/, 'requests are logged');
    assert.doesNotMatch(stopped.stdout + stopped.stderr, /a-secret-one-time-token/, 'one-time tokens never reach the log');
    assert.doesNotMatch(stopped.stdout, /revista_session=|"password"/, 'nor cookies or passwords');
    assert.equal(fs.existsSync(path.join(dataDir, 'db.lock')), false, 'the lock is released on shutdown');

    const migrate = await runCli(['migrate'], { DATA_DIR: dataDir });
    assert.equal(migrate.code, 0, migrate.stderr);
    assert.match(migrate.stdout, /schema is already up to date/);

    const created = await runCli(['user', 'create', '--email', 'editor@example.org', '--role', 'editor', '--journal', 'sm'], { DATA_DIR: dataDir });
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /created editor@example\.org with the role editor/);
    const firstPassword = /password: (\S+)/.exec(created.stdout)![1]!;
    const reset = await runCli(['user', 'reset-password', '--email', 'editor@example.org'], { DATA_DIR: dataDir });
    assert.equal(reset.code, 0, reset.stderr);
    const newPassword = /password: (\S+)/.exec(reset.stdout)![1]!;
    assert.notEqual(newPassword, firstPassword);
    const unknown = await runCli(['user', 'reset-password', '--email', 'nobody@example.org'], { DATA_DIR: dataDir });
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /no account has the email nobody@example\.org/);
    const badRole = await runCli(['user', 'create', '--email', 'x@example.org', '--role', 'emperor'], { DATA_DIR: dataDir });
    assert.equal(badRole.code, 2);
    assert.match(badRole.stderr, /--role must be one of admin, manager/);
    const noJournal = await runCli(['user', 'create', '--email', 'x@example.org', '--role', 'editor', '--journal', 'nope'], { DATA_DIR: dataDir });
    assert.equal(noJournal.code, 1);
    assert.match(noJournal.stderr, /no journal with the path nope/);

    const again = startServer({ DATA_DIR: dataDir, PORT: String(port) });
    try {
      await waitForHealth(port, again.done);
      const home = await (await fetch(`http://127.0.0.1:${port}/`)).text();
      assert.equal(home.match(/href="\/sm"/g)?.length, 1, 'the demo journal is listed once after a restart');
      assert.equal(await signInOverHttp(port, 'editor@example.org', newPassword), 303, 'the password set by the CLI signs in');
      assert.doesNotMatch(again.stdout(), /Sign in as administrator/, 'the administrator is created only once');
    } finally {
      again.child.kill('SIGINT');
    }
    assert.equal((await again.done).code, 0);
  });

  it('takes over the lock of a process that was killed (kill -9) without cleaning up', async () => {
    const dataDir = tempDir();
    const port = await freePort();
    const first = startServer({ DATA_DIR: dataDir, PORT: String(port) });
    await waitForHealth(port, first.done);
    first.child.kill('SIGKILL');
    await first.done;
    assert.equal(fs.existsSync(path.join(dataDir, 'db.lock')), true, 'a killed server leaves its lock behind');
    const cli = await runCli(['migrate', '--status'], { DATA_DIR: dataDir });
    assert.equal(cli.code, 0, cli.stderr);
    assert.match(cli.stdout, /schema is up to date/);
  });
});

/** Every file and directory under `dir` (itself included) whose mode lets group or others in, as "mode path". */describe('the CLI', () => {
  it('prints help and refuses unknown commands and arguments', async () => {
    const help = await runCli(['help'], {});
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Usage: revista <command>/);
    assert.match(help.stdout, /migrate/);
    const unknown = await runCli(['frobnicate'], {});
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown command "frobnicate"/);
    const badArg = await runCli(['migrate', '--force'], { DATA_DIR: tempDir() });
    assert.equal(badArg.code, 2);
    assert.match(badArg.stderr, /unknown argument: --force\nusage: revista migrate/);
  });
});

describe('PostgreSQL through DATABASE_URL', { skip: !(await postgresReachable()) && 'PostgreSQL is not reachable' }, () => {
  it('migrates, seeds and serves the same demo, and lets the CLI run beside the server', async () => {
    const scratch = await createScratchDatabase('revista_start');
    const url = new URL(scratch.url);
    const port = await freePort();
    const server = startServer({ DATABASE_URL: url.toString(), DATA_DIR: tempDir(), PORT: String(port), ADMIN_EMAIL: 'boss@example.org', ADMIN_PASSWORD: 'a password from the environment' });
    try {
      await waitForHealth(port, server.done);
      assert.match(server.stdout(), /Sign in as administrator at \S+ with email boss@example\.org and the password from ADMIN_PASSWORD/);
      assert.doesNotMatch(server.stdout(), /a password from the environment/, 'a given password is never printed');
      assert.equal(await signInOverHttp(port, 'boss@example.org', 'a password from the environment'), 303);
      const health = (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as { database: string };
      assert.equal(health.database, 'postgres');
      const page = await (await fetch(`http://127.0.0.1:${port}/sm/article/view/1786`)).text();
      assert.match(page, /Russia’s approaches towards Armenia and Azerbaijan/);
      const cli = await runCli(['migrate'], { DATABASE_URL: url.toString() });
      assert.equal(cli.code, 0, cli.stderr);
      assert.match(cli.stdout, /PostgreSQL at 127\.0\.0\.1:5432\/revista_start_/);
      assert.doesNotMatch(cli.stdout + cli.stderr, /password/i);
    } finally {
      server.child.kill('SIGTERM');
      await server.done;
      await scratch.drop();
    }
  });

  it('finishes a download in flight when asked to stop, then exits cleanly', async () => {
    const scratch = await createScratchDatabase('revista_stop');
    const url = new URL(scratch.url);
    const dataDir = tempDir();
    const port = await freePort();
    const server = startServer({ DATABASE_URL: url.toString(), DATA_DIR: dataDir, PORT: String(port) });
    try {
      await waitForHealth(port, server.done);
      // A 24 MB galley, added the way the app stores files, beside the running server.
      const bytes = Buffer.alloc(24 * 1024 * 1024, 0x25);
      const stored = await createFileStore(path.join(dataDir, 'files')).put(bytes);
      const database = await openDatabase({ kind: 'postgres', url: url.toString() });
      const journal = await database.db.selectFrom('journals').select('id').executeTakeFirstOrThrow();
      const section = await database.db.selectFrom('sections').select('id').executeTakeFirstOrThrow();
      const { publicationId, articleId } = await addPublishedArticle(database.db, {
        journalId: journal.id,
        sectionId: section.id,
        issueId: null,
        locale: 'pl',
        title: { pl: 'Duży plik' },
        datePublished: '2022-01-01',
        galleys: [{ label: 'PDF', locale: 'pl', file: { storageKey: stored.key, mimeType: 'application/pdf', sizeBytes: stored.sizeBytes, sha256: stored.sha256, originalName: 'big.pdf' } }],
      });
      const galley = await database.db.selectFrom('galleys').select('id').where('publication_id', '=', publicationId).executeTakeFirstOrThrow();
      await database.close();

      const received = await new Promise<number>((resolve, reject) => {
        http.get(`http://127.0.0.1:${port}/sm/article/download/${articleId}/${galley.id}`, (response) => {
          let total = 0;
          response.once('data', (first: Buffer) => {
            total += first.length;
            // Hold the download open, ask the server to stop, then read the rest slowly.
            response.pause();
            server.child.kill('SIGTERM');
            setTimeout(() => {
              response.on('data', (chunk: Buffer) => (total += chunk.length));
              response.resume();
            }, 500);
          });
          response.on('end', () => resolve(total));
          response.on('error', reject);
        }).on('error', reject);
      });
      assert.equal(received, bytes.length, 'the whole file arrived although the server was stopping');
      const stopped = await server.done;
      assert.equal(stopped.code, 0, stopped.stderr);
      assert.match(stopped.stdout, /stopped cleanly/);
    } finally {
      server.child.kill('SIGKILL');
      await server.done;
      await scratch.drop();
    }
  });
});
