/**
 * `npm run bench`: the article page under load (autocannon, 50 connections, 10 s) on PGlite and on
 * PostgreSQL, against a bare node:http server answering the same bytes from memory, measured in the
 * same run. Prints req/s, latency p50/p99 and the ratio to the baseline; writes
 * bench/results/article-page.json. Servers run as child processes so load generator and server use
 * different cores. Only 127.0.0.1 is contacted.
 */
import autocannon from 'autocannon';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createScratchDatabase } from '../test/support/databases.ts';
import { freePort } from '../test/support/ports.ts';
import { children, ROOT, spawnNode, stop, waitFor } from './processes.ts';

const ARTICLE = '/sm/article/view/1786';
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = 50;
const WARMUP = Math.min(2, DURATION);
const ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const TARGET_RATIO = 0.5;
const TARGET_P99_MS = 25;

interface Measurement {
  name: string;
  reqPerSec: number;
  latencyMs: { p50: number; p99: number; avg: number };
  throughputBytesPerSec: number;
  non2xx: number;
  errors: number;
  ratioToBaseline?: number;
  meetsTarget?: boolean;
}

const cleanups: (() => Promise<void>)[] = [];

async function load(url: string, duration: number): Promise<autocannon.Result> {
  return autocannon({ url, connections: CONNECTIONS, duration });
}

async function measure(name: string, url: string): Promise<Measurement> {
  await load(url, WARMUP);
  const result = await load(url, DURATION);
  return {
    name,
    reqPerSec: result.requests.average,
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99, avg: result.latency.average },
    throughputBytesPerSec: result.throughput.average,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

function checkPage(body: string): void {
  if (!body.includes('Russia’s approaches towards Armenia and Azerbaijan')) throw new Error('the article page does not show the demo article');
  const references = body.match(/<li id="reference-\d+">/g)?.length ?? 0;
  if (references !== 42) throw new Error(`the article page shows ${references} references, expected 42`);
}

async function startRevista(label: string, env: Record<string, string>): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `revista-bench-${label}-`));
  cleanups.push(async () => fs.rmSync(dataDir, { recursive: true, force: true }));
  const { child, output } = spawnNode(['--import', 'tsx', 'src/main.ts'], { PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...env });
  const base = `http://127.0.0.1:${port}`;
  await waitFor(`${base}/healthz`, child, output);
  return { url: `${base}${ARTICLE}`, child };
}

async function createBenchDatabase(): Promise<string | undefined> {
  try {
    const scratch = await createScratchDatabase('revista_bench', ADMIN_URL);
    cleanups.push(scratch.drop);
    return scratch.url;
  } catch (error) {
    console.log(`PostgreSQL at ${new URL(ADMIN_URL).host} is not usable (${(error as Error).message}): skipping the PostgreSQL run`);
    return undefined;
  }
}

function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

async function main(): Promise<void> {
  console.log(`article page benchmark: ${CONNECTIONS} connections, ${DURATION} s per target (+${WARMUP} s warm-up), ${os.cpus().length} cores`);
  const measurements: Measurement[] = [];

  // Revista on PGlite first: its page is also the baseline's body.
  const pglite = await startRevista('pglite', {});
  const body = await (await fetch(pglite.url)).text();
  checkPage(body);
  const bodyFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'revista-bench-body-')), 'article.html');
  fs.writeFileSync(bodyFile, body);
  cleanups.push(async () => fs.rmSync(path.dirname(bodyFile), { recursive: true, force: true }));

  const baselinePort = await freePort();
  const baseline = spawnNode(['bench/baseline-server.mjs', bodyFile, String(baselinePort)], {});
  await waitFor(`http://127.0.0.1:${baselinePort}/`, baseline.child, baseline.output);
  const baselineMeasurement = await measure('baseline node:http (same bytes from memory)', `http://127.0.0.1:${baselinePort}/`);
  await stop(baseline.child);
  measurements.push(baselineMeasurement);

  measurements.push(await measure('Revista on PGlite', pglite.url));
  await stop(pglite.child);

  const postgresUrl = await createBenchDatabase();
  if (postgresUrl) {
    const postgres = await startRevista('postgres', { DATABASE_URL: postgresUrl });
    checkPage(await (await fetch(postgres.url)).text());
    measurements.push(await measure('Revista on PostgreSQL', postgres.url));
    await stop(postgres.child);
  }

  let broken = false;
  for (const m of measurements.slice(1)) {
    m.ratioToBaseline = m.reqPerSec / baselineMeasurement.reqPerSec;
    m.meetsTarget = m.ratioToBaseline >= TARGET_RATIO && m.latencyMs.p99 < TARGET_P99_MS;
    if (m.non2xx > 0 || m.errors > 0) broken = true;
  }

  console.log('');
  console.log(`${'target'.padEnd(46)} ${'req/s'.padStart(9)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'MB/s'.padStart(7)} ${'ratio'.padStart(6)}  errors  target (ratio ≥ ${TARGET_RATIO}, p99 < ${TARGET_P99_MS} ms)`);
  for (const m of measurements) {
    console.log(
      `${m.name.padEnd(46)} ${fmt(m.reqPerSec).padStart(9)} ${fmt(m.latencyMs.p50).padStart(7)} ${fmt(m.latencyMs.p99).padStart(7)} ${fmt(m.throughputBytesPerSec / 1e6, 1).padStart(7)} ${(m.ratioToBaseline === undefined ? '1.00' : fmt(m.ratioToBaseline, 2)).padStart(6)}  ${String(m.non2xx + m.errors).padStart(6)}  ${m.meetsTarget === undefined ? '' : m.meetsTarget ? 'met' : 'MISSED'}`,
    );
  }

  const report = {
    benchmark: 'article-page',
    date: new Date().toISOString(),
    node: process.version,
    machine: { cores: os.cpus().length, memoryBytes: os.totalmem(), platform: `${os.platform()} ${os.arch()}` },
    page: ARTICLE,
    pageBytes: Buffer.byteLength(body),
    durationSeconds: DURATION,
    connections: CONNECTIONS,
    target: { ratioToBaseline: TARGET_RATIO, p99Ms: TARGET_P99_MS },
    results: measurements,
  };
  const out = path.join(ROOT, 'bench/results/article-page.json');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nreport: ${path.relative(process.cwd(), out)}`);
  if (broken) throw new Error('some requests failed or were not 2xx during the run');
}

async function cleanup(): Promise<void> {
  await Promise.all(children.map(stop));
  for (const step of cleanups.reverse()) await step().catch((error) => console.error(`cleanup: ${(error as Error).message}`));
}

process.on('SIGINT', () => {
  void cleanup().finally(() => process.exit(130));
});

try {
  await main();
  await cleanup();
} catch (error) {
  console.error(`bench: ${(error as Error).message}`);
  await cleanup();
  process.exit(1);
}
