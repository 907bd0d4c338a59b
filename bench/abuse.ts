/**
 * `npm run bench`: readers under attack. Revista on PGlite serves the demo article to readers (wrk, on
 * loopback) alone, then while another process floods it with anonymous 100 MB uploads to management
 * addresses, wrong-password sign-ins and registrations — once from one address, once as if from
 * thousands (X-Forwarded-For, trusted from loopback). Readers' p99 must stay under 100 ms, and nothing
 * an anonymous uploader sent may reach the disk. wrk's own ceiling is measured first against a bare
 * node:http server answering the same bytes, so a reader figure is never the generator's limit.
 * Writes bench/results/abuse.json.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../test/support/ports.ts';
import { requireWrk, wrk as runWrk, type WrkResult } from './wrk.ts';
import { children, ROOT, spawnNode, stop, waitFor } from './processes.ts';

const ARTICLE = '/sm/article/view/1786';
const SECONDS = Number(process.env.BENCH_DURATION ?? 10);
const READER_CONNECTIONS = 4;
const TARGET_P99_MS = 100;

function wrk(url: string, seconds: number, connections = READER_CONNECTIONS): WrkResult {
  return runWrk(url, { seconds, connections });
}

/** Every file under `dir` (relative), for comparing what is on disk before and after. */
function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((name) => fs.statSync(path.join(dir, name)).isFile()).sort();
}

const tempUploads = () => fs.readdirSync(os.tmpdir()).filter((name) => name.startsWith('revista-upload-')).sort();

async function underAttack(base: string, spread: boolean): Promise<{ readers: WrkResult; attackers: unknown }> {
  const attacker = spawnNode(['--import', 'tsx', 'bench/abuse-attacker.ts', base, String(SECONDS + 2), ...(spread ? ['--spread'] : [])]);
  const finished = new Promise<void>((resolve) => attacker.child.once('exit', () => resolve()));
  await new Promise((r) => setTimeout(r, 1000));
  const readers = wrk(`${base}${ARTICLE}`, SECONDS);
  await finished;
  if (attacker.child.exitCode !== 0) throw new Error(`the attacker process failed:\n${attacker.output()}`);
  return { readers, attackers: JSON.parse(attacker.stdout().trim().split('\n').at(-1)!) };
}

const fmt = (n: number, digits = 1) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function main(): Promise<void> {
  requireWrk();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'revista-bench-abuse-'));
  try {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const server = spawnNode(['--import', 'tsx', 'src/main.ts'], { PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', REFERENCE_PARSING: 'off' });
    await waitFor(`${base}/healthz`, server.child, server.output);
    const body = await (await fetch(`${base}${ARTICLE}`)).text();
    const bodyFile = path.join(dataDir, 'article.html');
    fs.writeFileSync(bodyFile, body);

    const baselinePort = await freePort();
    const baseline = spawnNode(['bench/baseline-server.mjs', bodyFile, String(baselinePort)]);
    await waitFor(`http://127.0.0.1:${baselinePort}/`, baseline.child, baseline.output);
    const ceiling = wrk(`http://127.0.0.1:${baselinePort}/`, Math.min(5, SECONDS), 16);
    await stop(baseline.child);
    fs.rmSync(bodyFile);

    const storedBefore = filesUnder(path.join(dataDir, 'files'));
    const tempBefore = tempUploads();
    wrk(`${base}${ARTICLE}`, 2); // warm-up
    const alone = wrk(`${base}${ARTICLE}`, SECONDS);
    const oneAddress = await underAttack(base, false);
    const manyAddresses = await underAttack(base, true);
    const stillAnswers = (await fetch(`${base}/healthz`)).status;
    await stop(server.child);

    const storedAfter = filesUnder(path.join(dataDir, 'files'));
    const written = storedAfter.filter((name) => !storedBefore.includes(name));
    const tempWritten = tempUploads().filter((name) => !tempBefore.includes(name));

    const rows = [
      { name: `wrk ceiling (bare node:http, same ${Math.round(Buffer.byteLength(body) / 1024)} KB page, 16 connections)`, result: ceiling },
      { name: 'readers alone', result: alone },
      { name: 'readers under attack, one address', result: oneAddress.readers },
      { name: 'readers under attack, many addresses', result: manyAddresses.readers },
    ];
    console.log(`\nreaders: ${READER_CONNECTIONS} connections, ${SECONDS} s each; ${os.cpus().length} cores (server, wrk and attackers share them)`);
    console.log(`${'run'.padEnd(62)} ${'req/s'.padStart(9)} ${'p50 ms'.padStart(7)} ${'p90 ms'.padStart(7)} ${'p99 ms'.padStart(7)} errors`);
    for (const row of rows) {
      const r = row.result;
      console.log(`${row.name.padEnd(62)} ${fmt(r.requestsPerSecond, 0).padStart(9)} ${fmt(r.latencyMs.p50).padStart(7)} ${fmt(r.latencyMs.p90).padStart(7)} ${fmt(r.latencyMs.p99).padStart(7)} ${r.non2xx + r.socketErrors}`);
    }
    console.log(`attackers, one address:   ${JSON.stringify(oneAddress.attackers)}`);
    console.log(`attackers, many addresses: ${JSON.stringify(manyAddresses.attackers)}`);
    const worstP99 = Math.max(oneAddress.readers.latencyMs.p99, manyAddresses.readers.latencyMs.p99);
    const met = worstP99 < TARGET_P99_MS && written.length === 0 && tempWritten.length === 0 && stillAnswers === 200;
    console.log(`readers' p99 under attack ${fmt(worstP99)} ms (target < ${TARGET_P99_MS} ms); files written by anonymous uploads: ${written.length + tempWritten.length}; ${met ? 'target met' : 'TARGET MISSED'}`);

    const report = {
      benchmark: 'abuse',
      date: new Date().toISOString(),
      node: process.version,
      machine: { cores: os.cpus().length, memoryBytes: os.totalmem(), loadAverage: os.loadavg() },
      secondsPerRun: SECONDS,
      readerConnections: READER_CONNECTIONS,
      target: { readersP99Ms: TARGET_P99_MS, filesWrittenByAnonymous: 0 },
      generatorCeiling: ceiling,
      readersAlone: alone,
      underAttackOneAddress: oneAddress,
      underAttackManyAddresses: manyAddresses,
      filesWrittenByAnonymous: [...written, ...tempWritten],
      met,
    };
    const out = path.join(ROOT, 'bench/results/abuse.json');
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`report: ${path.relative(process.cwd(), out)}`);
    if (alone.non2xx + alone.socketErrors > 0) throw new Error('readers got errors even without attackers');
  } finally {
    await Promise.all(children.map(stop));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

try {
  await main();
} catch (error) {
  console.error(`bench: ${(error as Error).message}`);
  await Promise.all(children.map(stop));
  process.exit(1);
}
