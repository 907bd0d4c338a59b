/**
 * `npm run bench`: the article page under load, measured with wrk (Debian's package) pinned to a core
 * of its own, the server pinned to another. In one run:
 * 1. the generator's ceiling: wrk against nginx (Debian's package) serving the same bytes from memory —
 *    what wrk can take in on this machine, so a figure near it says "the generator's limit";
 * 2. the baseline: a bare node:http server answering the same bytes from memory;
 * 3. Revista on PGlite as started by `npm start` (access log on, written to a file), with the access log
 *    off (ACCESS_LOG=off, when the proxy keeps it), the page in English by `?locale=en`, `/healthz`;
 * 4. Revista on PostgreSQL (a scratch database), when the server answers.
 * Prints req/s, latency p50/p90/p99, the ratio to the baseline and the server's memory at rest and at its
 * peak under load; writes bench/results/article-page.json. Only 127.0.0.1 is contacted.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createScratchDatabase } from '../test/support/databases.ts';
import { freePort } from '../test/support/ports.ts';
import { children, ROOT, spawnNode, stop, waitFor } from './processes.ts';
import { pinning, requireWrk, wrk, type WrkResult } from './wrk.ts';

const ARTICLE = '/sm/article/view/1786';
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = 50;
const WARMUP = Math.min(3, DURATION);
const ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const TARGET_RATIO = 0.5;
const TARGET_P99_MS = 25;
const TARGET_RSS_MB = 600;

interface Row {
  name: string;
  result: WrkResult;
  ratioToBaseline?: number;
  meetsTarget?: boolean;
  memoryMb?: { atRest: number; peakUnderLoad: number };
}

const cleanups: (() => Promise<void>)[] = [];
const pin = pinning();

function checkPage(body: string): void {
  if (!body.includes('Russia’s approaches towards Armenia and Azerbaijan')) throw new Error('the article page does not show the demo article');
  const references = body.match(/<li id="reference-\d+">/g)?.length ?? 0;
  if (references !== 42) throw new Error(`the article page shows ${references} references, expected 42`);
}

function tempDir(label: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `revista-bench-${label}-`));
  cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The resident memory of a process, in MB (Linux). */
function rssMb(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** wrk after a warm-up; with a process, its memory before the load and at its peak during it. */
function measure(name: string, url: string, child?: ChildProcess): Row {
  wrk(url, { seconds: WARMUP, connections: CONNECTIONS, pin: pin.generator });
  const atRest = rssMb(child?.pid);
  let peak = atRest;
  // wrk runs synchronously in this process; a sampler in a child reads the server's memory meanwhile.
  const samples = path.join(tempDir('rss'), 'samples');
  const sampler = child?.pid === undefined ? undefined : spawn('sh', ['-c', `while kill -0 ${child.pid} 2>/dev/null; do grep VmRSS /proc/${child.pid}/status >> ${samples}; sleep 0.2; done`], { stdio: 'ignore' });
  const result = wrk(url, { seconds: DURATION, connections: CONNECTIONS, pin: pin.generator });
  sampler?.kill();
  if (fs.existsSync(samples)) for (const match of fs.readFileSync(samples, 'utf8').matchAll(/(\d+) kB/g)) peak = Math.max(peak, Number(match[1]) / 1024);
  return { name, result, ...(child ? { memoryMb: { atRest: Math.round(atRest), peakUnderLoad: Math.round(peak) } } : {}) };
}

async function startRevista(label: string, env: Record<string, string>): Promise<{ base: string; child: ChildProcess }> {
  const port = await freePort();
  const dataDir = tempDir(label);
  const { child, output } = spawnNode(['--import', 'tsx', 'src/main.ts'], { PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, ...env }, { pin: pin.server, stdoutFile: path.join(dataDir, 'server.log') });
  const base = `http://127.0.0.1:${port}`;
  await waitFor(`${base}/healthz`, child, output);
  // The first start's background work (reference parsing, the search index) is done before measuring.
  await new Promise((r) => setTimeout(r, 5000));
  return { base, child };
}

/** nginx serving `bodyFile` from memory on one worker: the ceiling of the load generator for this page. */
async function startNginx(bodyFile: string): Promise<{ url: string; child: ChildProcess } | undefined> {
  try {
    execFileSync('nginx', ['-v'], { stdio: 'ignore' });
  } catch {
    console.log('nginx is not installed (Debian: apt-get install nginx-light): the generator ceiling is not measured');
    return undefined;
  }
  const dir = tempDir('nginx');
  fs.copyFileSync(bodyFile, path.join(dir, 'article.html'));
  const port = await freePort();
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `${t}_temp_path ${dir}/${t};`).join(' ');
  fs.writeFileSync(
    path.join(dir, 'nginx.conf'),
    `daemon off; master_process off; worker_processes 1; pid ${dir}/nginx.pid; error_log ${dir}/error.log;
events { worker_connections 1024; }
http { access_log off; sendfile on; tcp_nopush on; open_file_cache max=10; keepalive_requests 100000000; ${temp}
  server { listen 127.0.0.1:${port}; root ${dir}; default_type text/html; location / { try_files /article.html =404; } } }
`,
  );
  const [command, ...prefix] = [...pin.server, 'nginx'];
  const child = spawn(command!, [...prefix, '-p', dir, '-c', path.join(dir, 'nginx.conf'), '-e', path.join(dir, 'error.log')], { stdio: 'ignore' });
  children.push(child);
  const url = `http://127.0.0.1:${port}/`;
  await waitFor(url, child, () => (fs.existsSync(path.join(dir, 'error.log')) ? fs.readFileSync(path.join(dir, 'error.log'), 'utf8') : ''));
  return { url, child };
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
  requireWrk();
  console.log(`article page benchmark: wrk, 1 thread, ${CONNECTIONS} connections, ${DURATION} s per target (+${WARMUP} s warm-up), ${os.cpus().length} cores, load average ${os.loadavg()[0]!.toFixed(1)}`);
  console.log(pin.server.length > 0 ? `servers pinned to core 0, wrk to core ${os.cpus().length - 1}` : 'no pinning (one core, or no taskset)');
  const rows: Row[] = [];

  // Revista on PGlite first: its page is also the baseline's body.
  const pglite = await startRevista('pglite', {});
  const body = await (await fetch(`${pglite.base}${ARTICLE}`)).text();
  checkPage(body);
  const bodyFile = path.join(tempDir('body'), 'article.html');
  fs.writeFileSync(bodyFile, body);

  const nginx = await startNginx(bodyFile);
  const ceiling = nginx ? measure('generator ceiling: wrk against nginx (same bytes)', nginx.url) : undefined;
  if (nginx) await stop(nginx.child);
  if (ceiling) rows.push(ceiling);

  const baselinePort = await freePort();
  const baseline = spawnNode(['bench/baseline-server.mjs', bodyFile, String(baselinePort)], {}, { pin: pin.server });
  await waitFor(`http://127.0.0.1:${baselinePort}/`, baseline.child, baseline.output);
  const baselineRow = measure('baseline: bare node:http (same bytes from memory)', `http://127.0.0.1:${baselinePort}/`, baseline.child);
  await stop(baseline.child);
  rows.push(baselineRow);

  const revista: Row[] = [];
  revista.push(measure('Revista on PGlite (as `npm start`: access log on)', `${pglite.base}${ARTICLE}`, pglite.child));
  revista.push(measure('Revista on PGlite, ?locale=en', `${pglite.base}${ARTICLE}?locale=en`, pglite.child));
  rows.push(measure('Revista on PGlite, /healthz', `${pglite.base}/healthz`, pglite.child));
  await stop(pglite.child);
  const quiet = await startRevista('pglite-quiet', { ACCESS_LOG: 'off' });
  revista.push(measure('Revista on PGlite, ACCESS_LOG=off', `${quiet.base}${ARTICLE}`, quiet.child));
  await stop(quiet.child);

  const postgresUrl = await createBenchDatabase();
  if (postgresUrl) {
    const postgres = await startRevista('postgres', { DATABASE_URL: postgresUrl });
    checkPage(await (await fetch(`${postgres.base}${ARTICLE}`)).text());
    revista.push(measure('Revista on PostgreSQL (access log on)', `${postgres.base}${ARTICLE}`, postgres.child));
    await stop(postgres.child);
  }
  rows.push(...revista);

  let broken = false;
  for (const row of rows) {
    if (row === ceiling) continue;
    row.ratioToBaseline = row.result.requestsPerSecond / baselineRow.result.requestsPerSecond;
    if (revista.includes(row)) row.meetsTarget = row.ratioToBaseline >= TARGET_RATIO && row.result.latencyMs.p99 < TARGET_P99_MS;
    if (row.result.non2xx > 0 || row.result.socketErrors > 0) broken = true;
  }

  console.log('');
  console.log(`${'target'.padEnd(52)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(7)} ${'p90 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'ratio'.padStart(6)} ${'RSS MB rest/peak'.padStart(17)} errors  target (ratio ≥ ${TARGET_RATIO}, p99 < ${TARGET_P99_MS} ms)`);
  for (const row of rows) {
    const r = row.result;
    const memory = row.memoryMb ? `${row.memoryMb.atRest}/${row.memoryMb.peakUnderLoad}` : '';
    console.log(
      `${row.name.padEnd(52)} ${fmt(r.requestsPerSecond).padStart(8)} ${fmt(r.latencyMs.p50, 1).padStart(7)} ${fmt(r.latencyMs.p90, 1).padStart(7)} ${fmt(r.latencyMs.p99, 1).padStart(7)} ${(row.ratioToBaseline === undefined ? '' : fmt(row.ratioToBaseline, 2)).padStart(6)} ${memory.padStart(17)} ${String(r.non2xx + r.socketErrors).padStart(6)}  ${row.meetsTarget === undefined ? '' : row.meetsTarget ? 'met' : 'MISSED'}`,
    );
  }
  if (ceiling) {
    const share = baselineRow.result.requestsPerSecond / ceiling.result.requestsPerSecond;
    console.log(`\nthe baseline reached ${fmt(share * 100)} % of what wrk took in from nginx${share > 0.9 ? ': near the generator’s ceiling, ratios are understated' : ''}`);
  }
  const peakPglite = Math.max(...rows.filter((r) => r.name.includes('PGlite')).map((r) => r.memoryMb?.peakUnderLoad ?? 0));
  console.log(`PGlite server's peak memory under load ${fmt(peakPglite)} MB (target ≤ ${TARGET_RSS_MB} MB): ${peakPglite <= TARGET_RSS_MB ? 'met' : 'MISSED'}`);

  const report = {
    benchmark: 'article-page',
    date: new Date().toISOString(),
    node: process.version,
    machine: { cores: os.cpus().length, memoryBytes: os.totalmem(), platform: `${os.platform()} ${os.arch()}`, loadAverage: os.loadavg() },
    generator: { tool: 'wrk', threads: 1, connections: CONNECTIONS, pinned: pin.generator.length > 0 },
    page: ARTICLE,
    pageBytes: Buffer.byteLength(body),
    durationSeconds: DURATION,
    target: { ratioToBaseline: TARGET_RATIO, p99Ms: TARGET_P99_MS, pgliteRssMb: TARGET_RSS_MB },
    results: rows,
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
