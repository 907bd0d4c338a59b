import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { root, runCli, tempDir } from '../support/processes.ts';

/**
 * The command line as a migration script uses it: real processes, real pipes, new data directories.
 * The embedded database only: what is tested is what a command does with a directory it finds.
 */

/** Runs a shell pipeline from the project's folder; resolves with its stdout and exit code. */
function shell(script: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn('sh', ['-c', script], { cwd: root, env: { ...process.env, NODE_NO_WARNINGS: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

describe('the command line through a pipe', () => {
  it('references parse keeps every line when the reader is slower than the parser', async () => {
    const dir = tempDir();
    const refs = path.join(dir, 'refs.txt');
    // 1,669 different references: their answers (~900 KB) are far more than a pipe holds.
    const lines = Array.from({ length: 1669 }, (_, i) => `Nowak${i} A., Polityka ${i} w Europie, „Sprawy Międzynarodowe” ${1990 + (i % 30)}, nr ${1 + (i % 4)}, s. ${i}–${i + 20}.`);
    fs.writeFileSync(refs, `${lines.join('\n')}\n`);
    // The reader starts after a second: the command has finished parsing and is exiting by then.
    const run = await shell(`node bin/revista.js references parse < '${refs}' | (sleep 1; wc -l)`, {});
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout.trim(), '1669');
  });

  it('help and usage errors reach a pipe whole', async () => {
    const help = await shell('node bin/revista.js help | (sleep 1; cat)', {});
    assert.match(help.stdout, /^Revista: scholarly journal publishing platform/);
    assert.match(help.stdout, /The embedded database serves one process at a time/);
  });
});

describe('every command on a new data directory', () => {
  // Each command gets a directory nobody has used: it either brings the schema up to date and answers
  // from an empty site, or refuses at once, and it ends (a command once ran for ever on one).
  const cases: Array<{ args: (dir: string) => string[]; code: number; out?: RegExp; err?: RegExp }> = [
    { args: () => ['migrate', '--status'], code: 0, out: /pending migrations: 0001_catalog/ },
    { args: () => ['migrate'], code: 0, out: /applied \d+ migration\(s\)/ },
    { args: () => ['journal', 'list'], code: 0, out: /no journals yet/ },
    { args: () => ['export', 'crossref', '--journal', 'sm'], code: 1, err: /no journal with the path sm/ },
    { args: (dir) => ['export', 'ojs-native', '--journal', 'sm', '-o', path.join(dir, 'x.xml')], code: 1, err: /no journal with the path sm/ },
    { args: () => ['doi', 'assign', '--journal', 'sm'], code: 1, err: /no journal with the path sm/ },
    { args: () => ['import', 'ojs-native', 'test/fixtures/ojs/three-issues.xml', '--journal', 'sm', '--dry-run'], code: 1, err: /sm/ },
    { args: () => ['references', 'check', '--journal', 'sm'], code: 1, err: /no journal with the path sm/ },
    { args: () => ['user', 'create', '--email', 'e@example.org', '--role', 'editor', '--journal', 'sm'], code: 1, err: /no journal with the path sm/ },
    { args: () => ['search', 'reindex'], code: 0, out: /indexed 0 article\(s\)/ },
    { args: () => ['files', 'retype'], code: 0, out: /read 0 file\(s\)/ },
  ];
  for (const c of cases) {
    const name = c.args('DIR').join(' ');
    it(`revista ${name}`, async (t) => {
      const dir = tempDir();
      const started = Date.now();
      const run = await runCli(c.args(dir), { DATA_DIR: path.join(dir, 'site'), DATABASE_URL: '' }, 180_000);
      t.diagnostic(`ended after ${((Date.now() - started) / 1000).toFixed(1)} s with ${run.code}`);
      assert.equal(run.signal, null, `still running after 3 minutes: ${run.stderr}`);
      assert.equal(run.code, c.code, `${run.stdout}\n${run.stderr}`);
      if (c.out) assert.match(run.stdout, c.out);
      if (c.err) assert.match(run.stderr, c.err);
      // A message, never a stack trace.
      assert.doesNotMatch(run.stderr, /\n\s+at /);
      assert.equal(fs.existsSync(path.join(dir, 'x.xml')), false);
    });
  }
});

describe('an empty instance made ready for an import from the command line', () => {
  it('journal create, set and list, then an import into the new journal', async () => {
    const dir = tempDir();
    const env = { DATA_DIR: path.join(dir, 'site'), DATABASE_URL: '' };
    const created = await runCli(['journal', 'create', '--path', 'acta', '--name', 'Acta Migrationis', '--locales', 'en,pl', '--name-pl', 'Akta Migracji', '--online-issn', '2299-2170'], env);
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /created the journal acta \(id \d+\): Acta Migrationis; locales en, pl/);
    const again = await runCli(['journal', 'create', '--path', 'acta', '--name', 'Other'], env);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /a journal with the path acta exists already/);

    const bad = await runCli(['journal', 'set', '--journal', 'acta', '--print-issn', '1234-5678'], env);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--print-issn: 1234-5678 is not a valid ISSN/);
    const badUrl = await runCli(['journal', 'set', '--journal', 'acta', '--license', 'javascript:alert(1)'], env);
    assert.equal(badUrl.code, 2);
    assert.match(badUrl.stderr, /--license must be an http\(s\) address/);
    const set = await runCli(['journal', 'set', '--journal', 'acta', '--publisher', 'Instytut', '--license', 'https://creativecommons.org/licenses/by/4.0/', '--contact-email', 'redakcja@example.org', '--contact-name', 'Redakcja'], env);
    assert.equal(set.code, 0, set.stderr);
    assert.match(set.stdout, /updated the journal acta: publisher, license url, contact name, contact email/);

    const imported = await runCli(['import', 'ojs-native', 'test/fixtures/ojs/three-issues.xml', '--journal', 'acta'], env);
    assert.equal(imported.code, 0, imported.stderr);
    const list = await runCli(['journal', 'list'], env);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /^acta\tActa Migrationis\ten,pl\t3 issue\(s\), \d+ article\(s\)\teISSN 2299-2170$/m);
  });
});
