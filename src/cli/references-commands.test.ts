import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { migrateToLatest, openDatabase } from '../db/index.ts';
import { initialiseSite } from '../demo/index.ts';
import { runCli } from './main.ts';

const BIN = fileURLToPath(new URL('../../bin/revista.js', import.meta.url));

interface Run {
  code: number | null;
  lines: string[];
  err: string;
}

/** `revista references parse` as a separate process, fed `input` on standard input. */
function parseProcess(input: string | Buffer, args: string[] = []): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'references', 'parse', ...args], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, NODE_NO_WARNINGS: '1' } });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, lines: out.split('\n').filter((line) => line !== ''), err }));
    child.stdin.end(input);
  });
}

describe('revista references parse', () => {
  it('writes one JSON object per input line: segments, CSL-JSON, issues with messages', async () => {
    const input = [
      'Aliyev N., Russia’s arms sales, “Eurasia Daily Monitor”, vol. 15, issue: 47, 28 III 2018 [accessed: 15 V 2021]: <>.',
      'Kowalski J., Dyplomacja publiczna, Warszawa: Wydawnictwo Naukowe PWN, 2019.',
    ].join('\n');
    const run = await parseProcess(`${input}\n`);
    assert.equal(run.code, 0, run.err);
    assert.equal(run.lines.length, 2);
    const [first, second] = run.lines.map((line) => JSON.parse(line) as { segments: [string, string][]; csl: Record<string, unknown>; issues: Array<{ code: string; message: string }> });
    assert.deepEqual(Object.keys(first!), ['segments', 'csl', 'issues']);
    assert.deepEqual(first!.segments[0], ['author', 'Aliyev N.,']);
    assert.equal(first!.segments.map(([, text]) => text).join(' '), input.split('\n')[0]);
    assert.deepEqual(first!.csl.issued, { 'date-parts': [[2018, 3, 28]] });
    assert.deepEqual(first!.issues, [{ code: 'url-empty', message: 'The link is empty: “<>” has no address in it. Add the address or remove the brackets.' }]);
    assert.deepEqual(second!.issues, []);
    assert.equal(second!.csl.type, 'book');
    assert.match(run.err, /parsed 2 reference\(s\), 1 with problems/);
  });

  it('messages in Polish with --locale pl; a bad locale is a usage error', async () => {
    const run = await parseProcess('Otvety na voprosy SMI,, 17 X 2020 [dostęp: 15 V 2021]: <>.\n', ['--locale', 'pl']);
    assert.equal(run.code, 0, run.err);
    const { issues } = JSON.parse(run.lines[0]!) as { issues: Array<{ code: string; message: string }> };
    assert.ok(issues.some((issue) => issue.code === 'empty-field' && issue.message === 'Puste pole: między separatorami w „,,” nic nie ma.'), JSON.stringify(issues));
    const bad = await parseProcess('x\n', ['--locale', 'de']);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--locale must be pl or en/);
  });

  it('bad lines get a result with an issue, and the lines after them still come out', async () => {
    const garbage = Buffer.from([0x00, 0xff, 0xfe, 0x07, 0x1b, 0x80, 0x81, 0xc3, 0x28, 0x00, 0x9f]);
    const input = Buffer.concat([
      Buffer.from('\n'),
      Buffer.from(`${'Kowalski J., Tytuł, „Czasopismo” 2019, nr 3, s. 12–15. '.repeat(1000).slice(0, 51_200)}\n`),
      garbage,
      Buffer.from('\n.,;:!?—\n'),
      Buffer.from('Kowalski J., Dyplomacja publiczna, Warszawa: PWN, 2019.'),
    ]);
    const run = await parseProcess(input);
    assert.equal(run.code, 0, run.err);
    const codes = run.lines.map((line) => (JSON.parse(line) as { issues: Array<{ code: string }> }).issues.map((issue) => issue.code));
    assert.deepEqual(codes, [['empty'], ['too-long'], ['not-text'], ['no-words'], []]);
  });

  it('streams 100,000 lines in flat memory', { timeout: 240_000 }, async (t) => {
    // A heap of 64 MB: the answers to 100,000 lines alone take more than that (540 bytes of JSON each,
    // several times that as objects), so a leak of anything per line ends the process. Without the
    // cap, a busy machine's collector lets the heap grow lazily and resident memory says little.
    const child = spawn(process.execPath, ['--max-old-space-size=64', BIN, 'references', 'parse'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, NODE_NO_WARNINGS: '1' } });
    // Peak resident memory so far, from the kernel.
    const peak = () => Number(/VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'))![1]) / 1024;
    let seen = 0;
    let waiting: { count: number; resolve: () => void } | undefined;
    let tail = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      const parts = (tail + chunk).split('\n');
      tail = parts.pop()!;
      seen += parts.length;
      if (waiting && seen >= waiting.count) waiting.resolve();
    });
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    const outputFor = (count: number) => new Promise<void>((resolve) => (seen >= count ? resolve() : (waiting = { count, resolve })));
    // Every line different (names, years, pages, words), so no cache can hold them all.
    const line = (i: number) =>
      `Autor${i % 997} ${String.fromCharCode(65 + (i % 26))}., Tytuł numer ${i} o sprawach ${(i * 7919) % 100_003}, „Kwartalnik ${i % 331}” ${1950 + (i % 70)}, nr ${1 + (i % 12)}, s. ${i % 500}–${(i % 500) + 9} [dostęp: ${1 + (i % 28)} ${['I', 'III', 'V', 'X'][i % 4]} 2021]: <https://example.org/${i}>.`;
    const feed = async (from: number, to: number) => {
      for (let i = from; i < to; i += 1000) {
        const block = Array.from({ length: Math.min(1000, to - i) }, (_, k) => line(i + k)).join('\n') + '\n';
        if (!child.stdin.write(block)) await new Promise((resolve) => child.stdin.once('drain', resolve));
      }
    };
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    // By 50,000 lines the caches are full and the heap has grown to its working size; a leak would
    // grow as much again over the next 50,000.
    await feed(0, 50_000);
    await outputFor(50_000);
    const after50k = peak();
    await feed(50_000, 100_000);
    await outputFor(100_000);
    const after100k = peak();
    child.stdin.end();
    assert.equal(await closed, 0, err);
    assert.equal(seen, 100_000);
    assert.match(err, /parsed 100000 reference\(s\)/);
    t.diagnostic(`peak RSS ${after50k.toFixed(0)} MB after 50,000 lines, ${after100k.toFixed(0)} MB after 100,000; ${err.trim()}`);
    // Twice the lines, about the same memory (a margin for the collector's timing).
    assert.ok(after100k < after50k * 1.2 + 16, `peak RSS ${after50k.toFixed(0)} MB after 50,000 lines, ${after100k.toFixed(0)} MB after 100,000`);
  });
});

describe('revista references check', () => {
  let dataDir: string;
  const out: string[] = [];
  const err: string[] = [];
  const run = (...argv: string[]) => {
    out.length = 0;
    err.length = 0;
    return runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l), env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' } });
  };

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'revista-references-cli-'));
    const handle = await openDatabase({ kind: 'pglite', dataDir: path.join(dataDir, 'db') });
    await migrateToLatest(handle.db);
    await initialiseSite(handle.db, { demo: true });
    await handle.close();
  });
  after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('lists the problems of each published article’s references, with a summary', async () => {
    assert.equal(await run('references', 'check', '--journal', 'sm'), 0, err.join('\n'));
    assert.match(out[0]!, /^article 1786: Russia’s approaches towards Armenia and Azerbaijan.* — 41 of 42 reference\(s\) with problems$/);
    assert.ok(out.some((line) => /^ {2}14\. Lavrov obsudil s glavoy MID Azerbaydzhana .{40,}…$/.test(line)), out.join('\n'));
    assert.ok(out.includes('     error date-malformed: The date “15 V I 2021” cannot be read. Did you mean “15 VI 2021”?'));
    assert.equal(out.at(-2), 'journal sm: 1 published article(s), 42 reference(s); 41 reference(s) in 1 article(s) with problems');
    assert.match(out.at(-1)!, /^problems: url-empty 39, /);
  });

  it('one issue, in Polish', async () => {
    const handle = await openDatabase({ kind: 'pglite', dataDir: path.join(dataDir, 'db') });
    const issue = await handle.db.selectFrom('publications').select('issue_id').where('article_id', '=', 1786).executeTakeFirstOrThrow();
    await handle.close();
    assert.equal(await run('references', 'check', '--journal', 'sm', '--issue', String(issue.issue_id), '--locale', 'pl'), 0, err.join('\n'));
    assert.ok(out.includes('     warning publisher-misspelled: „SIRPI” wygląda na błędny zapis „SIPRI”.'), out.join('\n'));
    assert.match(out.at(-2)!, new RegExp(`^issue ${issue.issue_id} of sm: 1 published article`));
  });

  it('an unknown journal or issue stops with a message and exit code 1; a bad issue id is a usage error', async () => {
    assert.equal(await run('references', 'check', '--journal', 'nope'), 1);
    assert.deepEqual(err, ['revista references: no journal with the path nope']);
    assert.equal(await run('references', 'check', '--journal', 'sm', '--issue', '999999'), 1);
    assert.deepEqual(err, ['revista references: the journal sm has no issue with the id 999999']);
    assert.equal(await run('references', 'check', '--journal', 'sm', '--issue', 'x'), 2);
    assert.match(err.join('\n'), /--issue must be an issue id/);
    assert.equal(await run('references', 'check'), 2);
    assert.equal(await run('references', 'tidy'), 2);
  });
});
