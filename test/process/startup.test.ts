import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import http from 'node:http';
import { addPublishedArticle } from '../../src/catalog/index.ts';
import { openDatabase } from '../../src/db/index.ts';
import { createFileStore } from '../../src/storage/index.ts';
import { createScratchDatabase, postgresReachable } from '../support/databases.ts';
import { freePort } from '../support/ports.ts';

/**
 * The server and the CLI as a person runs them: real processes, real ports, real data directories.
 */
const root = path.resolve(import.meta.dirname, '../..');
const temporary: string[] = [];
after(() => {
  for (const dir of temporary) fs.rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'revista-start-'));
  temporary.push(dir);
  return dir;
}

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function collect(child: ChildProcess): Promise<Run> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => (stdout += d));
  child.stderr?.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr })));
}

function startServer(env: Record<string, string>): { child: ChildProcess; done: Promise<Run>; stdout(): string } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'info', NODE_NO_WARNINGS: '1', ADMIN_EMAIL: '', ADMIN_PASSWORD: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout?.on('data', (d) => (stdout += d));
  return { child, done: collect(child), stdout: () => stdout };
}

/** Signs in through the real form (cookie and CSRF token as a browser sends them); returns the status. */
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

function runCli(args: string[], env: Record<string, string>): Promise<Run> {
  const child = spawn(process.execPath, ['bin/revista.js', ...args], {
    cwd: root,
    env: { ...process.env, NODE_NO_WARNINGS: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return collect(child);
}

async function waitForHealth(port: number, done: Promise<Run>): Promise<void> {
  const deadline = Date.now() + 60_000;
  let exited: Run | undefined;
  void done.then((run) => (exited = run));
  while (Date.now() < deadline) {
    if (exited) throw new Error(`server exited early (${exited.code}): ${exited.stderr}${exited.stdout}`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('server did not become healthy within 60 s');
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

/** Every file and directory under `dir` (itself included) whose mode lets group or others in, as "mode path". */
function openToOthers(dir: string): string[] {
  const found: string[] = [];
  const visit = (file: string) => {
    const stat = fs.lstatSync(file);
    if (stat.isSymbolicLink()) return;
    if ((stat.mode & 0o077) !== 0) found.push(`${(stat.mode & 0o777).toString(8)} ${path.relative(dir, file) || '.'}`);
    if (stat.isDirectory()) for (const name of fs.readdirSync(file)) visit(path.join(file, name));
  };
  visit(dir);
  return found;
}

function countFiles(dir: string): number {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).length;
}

describe('the data directory is private to the user running Revista', () => {
  it('a new DATA_DIR: the database the server made and the galleys an import stored are for the owner only', async () => {
    const dataDir = path.join(tempDir(), 'data');
    const port = await freePort();
    const server = startServer({ DATA_DIR: dataDir, PORT: String(port) });
    try {
      await waitForHealth(port, server.done);
      assert.deepEqual(openToOthers(dataDir), [], 'while the server runs');
    } finally {
      server.child.kill('SIGTERM');
    }
    assert.equal((await server.done).code, 0);
    const imported = await runCli(['import', 'ojs-native', 'test/fixtures/ojs/three-issues.xml', '--journal', 'sm'], { DATA_DIR: dataDir });
    assert.equal(imported.code, 0, imported.stderr);
    assert.ok(countFiles(path.join(dataDir, 'files')) > 0, 'the import stored galley files');
    assert.ok(countFiles(path.join(dataDir, 'db')) > 500, 'the embedded database is there');
    assert.deepEqual(openToOthers(dataDir), []);
    assert.equal(fs.statSync(dataDir).mode & 0o777, 0o700);
  });

  it('an existing DATA_DIR whose files others could read or change is fixed at start, saying how many', async () => {
    const dataDir = tempDir();
    const created = await runCli(['migrate'], { DATA_DIR: dataDir });
    assert.equal(created.code, 0, created.stderr);
    // As an earlier version left it: PGlite's 0666 files, world-readable folders, a stored galley 0644.
    fs.mkdirSync(path.join(dataDir, 'files', 'ab'), { recursive: true });
    fs.writeFileSync(path.join(dataDir, 'files', 'ab', 'ab0c5b1e-0000-4000-8000-000000000000'), '%PDF-1.4 unpublished');
    const loosened: string[] = [];
    const loosen = (file: string) => {
      const stat = fs.statSync(file);
      fs.chmodSync(file, stat.isDirectory() ? 0o777 : 0o666);
      loosened.push(file);
      if (stat.isDirectory()) for (const name of fs.readdirSync(file)) loosen(path.join(file, name));
    };
    loosen(dataDir);
    assert.equal(openToOthers(dataDir).length, loosened.length);

    const port = await freePort();
    const server = startServer({ DATA_DIR: dataDir, PORT: String(port) });
    try {
      await waitForHealth(port, server.done);
      assert.deepEqual(openToOthers(dataDir), []);
    } finally {
      server.child.kill('SIGTERM');
    }
    const run = await server.done;
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(openToOthers(dataDir), [], 'after it stopped');
    assert.match(run.stderr, new RegExp(`^revista: made ${loosened.length} file\\(s\\) and folder\\(s\\) in DATA_DIR .* readable by their owner only`, 'm'));
  });
});

describe('galley text is read in a worker thread', () => {
  it('under the server and under the CLI (bin/revista.js)', async () => {
    const dataDir = tempDir();
    const port = await freePort();
    const first = startServer({ DATA_DIR: dataDir, PORT: String(port) });
    await waitForHealth(port, first.done);
    first.child.kill('SIGTERM');
    assert.equal((await first.done).code, 0);
    const imported = await runCli(['import', 'ojs-native', 'test/fixtures/ojs/three-issues.xml', '--journal', 'sm'], { DATA_DIR: dataDir });
    assert.equal(imported.code, 0, imported.stderr);

    // "bidirectional" is only in the text of the imported HTML galley: the server's indexer must read it.
    const server = startServer({ DATA_DIR: dataDir, PORT: String(port) });
    try {
      await waitForHealth(port, server.done);
      const deadline = Date.now() + 60_000;
      let page = '';
      while (Date.now() < deadline && !/Gas interconnectors/.test(page)) {
        page = await (await fetch(`http://127.0.0.1:${port}/sm/search/search?query=bidirectional&locale=en`)).text();
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      assert.match(page, /Gas interconnectors/, 'the galley text was indexed by the server');
    } finally {
      server.child.kill('SIGTERM');
    }
    assert.equal((await server.done).code, 0);

    const reindex = await runCli(['search', 'reindex', '--extract'], { DATA_DIR: dataDir });
    assert.equal(reindex.code, 0, reindex.stderr);
    const database = await openDatabase({ kind: 'pglite', dataDir: path.join(dataDir, 'db'), command: 'test' });
    try {
      const texts = await database.db.selectFrom('search_file_texts as t').innerJoin('files as f', 'f.id', 't.file_id').select(['f.mime_type', 't.content', 't.problem']).execute();
      // The galleys of the current versions: five (the first version's PDF of article 203 is superseded).
      assert.equal(texts.length, 5);
      assert.deepEqual(texts.filter((t) => t.problem !== null), []);
      assert.ok(texts.some((t) => t.mime_type === 'text/html' && /bidirectional gas interconnectors/.test(t.content)));
      assert.ok(texts.some((t) => t.mime_type === 'application/pdf' && /Eastern Partnership after a decade/.test(t.content)));
    } finally {
      await database.close();
    }
  });
});

describe('the CLI', () => {
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
