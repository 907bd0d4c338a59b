/**
 * `npm run bench` (editorial dashboard): `/{journal}/dashboard/editorial` over 10,000 generated
 * submissions (BENCH_SUBMISSIONS to change), signed in as the journal's manager, on PGlite and, when
 * it answers, on PostgreSQL (BENCH_EDITORIAL_POSTGRES=off to skip). Submissions are written in a few
 * INSERT … SELECT over generate_series (titles in English and Polish with diacritics, two authors
 * each, an editor on most, statuses, stages, sections and submission dates spread out). Revista runs
 * as its own process; wrk (Debian package) loads three addresses — the default queue, a search
 * typed without diacritics, and a filter (section + overdue) — each with one connection (one editor
 * at a time: the target) and then four (several at once, reported beside it; PGlite answers one query
 * at a time, so there latency grows with the queue), and a Lua hook prints p95. wrk's own ceiling is
 * measured against a bare node:http server answering the page's bytes.
 * Target: p95 < 100 ms with one connection. Writes bench/results/editorial-dashboard.json.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { createUserWithRole } from '../src/accounts/index.ts';
import { createSection } from '../src/catalog/index.ts';
import { migrateToLatest, openDatabase, type DatabaseHandle } from '../src/db/index.ts';
import { initialiseSite } from '../src/demo/index.ts';
import { createScratchDatabase, postgresReachable } from '../test/support/databases.ts';
import { freePort } from '../test/support/ports.ts';
import { children, ROOT, spawnNode, stop, waitFor } from './processes.ts';

const SUBMISSIONS = Number(process.env.BENCH_SUBMISSIONS ?? 10_000);
const SECONDS = Number(process.env.BENCH_DURATION ?? 10);
/** One editor at a time: the latency the target is about (PGlite serves one query at a time, so more connections measure queueing). */
const CONNECTIONS = 1;
/** Several editors at once: throughput and latency under load, reported beside the target. */
const BUSY_CONNECTIONS = Number(process.env.BENCH_EDITORIAL_CONNECTIONS ?? 4);
const TARGET_P95_MS = 100;
const MANAGER = { email: 'bench-manager@example.org', password: 'a long enough password' };

const WORDS_EN = ['Migration', 'Borders', 'Memory', 'Energy', 'Security', 'Trade', 'Language', 'Cities', 'Climate', 'Elections', 'Media', 'Diplomacy', 'Rivers', 'Labour', 'Faith', 'Archives'];
const WORDS_PL = ['Migracja', 'Granice', 'Pamięć', 'Energia', 'Bezpieczeństwo', 'Handel', 'Język', 'Miasta', 'Klimat', 'Wybory', 'Media', 'Dyplomacja', 'Rzeki', 'Praca', 'Wiara', 'Archiwa'];
const PLACES = ['Poland', 'the Caucasus', 'Łódź', 'Kraków', 'Gdańsk', 'Ukraine', 'the Baltic', 'Silesia', 'Warsaw', 'Central Asia'];
const GIVEN = ['Anna', 'Piotr', 'Małgorzata', 'Krzysztof', 'Agnieszka', 'Tomasz', 'Zofia', 'Łukasz', 'John', 'Mary'];
const FAMILY = ['Nowak', 'Kowalska', 'Wiśniewski', 'Wójcik', 'Kamińska', 'Lewandowski', 'Zielińska', 'Szymański', 'Woźniak', 'Dąbrowski', 'Kozłowska', 'Mazur', 'Smith', 'Jones'];

const literal = (values: string[]) => sql`ARRAY[${sql.join(values)}]::text[]`;

/** The demo site, three more sections, editors, and the submissions; returns the seconds it took. */
export async function generate(handle: DatabaseHandle): Promise<{ seconds: number; sectionId: number }> {
  const db = handle.db;
  const started = performance.now();
  await migrateToLatest(db);
  await initialiseSite(db, { demo: true });
  const journalId = (await db.selectFrom('journals').select('id').where('path', '=', 'sm').executeTakeFirstOrThrow()).id;
  for (const title of ['Essays', 'Reviews', 'Notes']) await createSection(db, { journalId, title: { en: title } });
  const sections = (await db.selectFrom('sections').select('id').where('journal_id', '=', journalId).orderBy('id').execute()).map((s) => s.id);
  const now = new Date();
  await createUserWithRole(db, { email: MANAGER.email, password: MANAGER.password, role: 'manager', journalId, now });
  const editors: number[] = [];
  for (let i = 0; i < 8; i++) editors.push((await createUserWithRole(db, { email: `bench-editor-${i}@example.org`, password: MANAGER.password, role: i < 4 ? 'editor' : 'section-editor', journalId, now })).userId);
  const authors: number[] = [];
  for (let i = 0; i < 50; i++) authors.push((await createUserWithRole(db, { email: `bench-author-${i}@example.org`, password: MANAGER.password, role: 'author', journalId, now })).userId);

  await sql`CREATE TEMP TABLE bench_sub AS SELECT i, nextval(pg_get_serial_sequence('articles', 'id'))::int AS id FROM generate_series(1, ${SUBMISSIONS}) AS i`.execute(db);
  const sectionArray = sql`ARRAY[${sql.join(sections)}]::int[]`;
  await sql`
    INSERT INTO articles (id, journal_id, locale, status, date_submitted)
    SELECT id, ${journalId}::int, CASE WHEN i % 3 = 0 THEN 'pl' ELSE 'en' END, CASE WHEN i % 20 = 1 THEN 'declined' WHEN i % 10 = 2 THEN 'published' ELSE 'queued' END,
      timestamptz '2023-01-01' + (i * interval '137 minutes')
    FROM bench_sub
  `.execute(db);
  await sql`
    INSERT INTO publications (article_id, version, status, locale, title, section_id)
    SELECT id, 1, CASE WHEN i % 10 = 2 THEN 'published' ELSE 'queued' END, CASE WHEN i % 3 = 0 THEN 'pl' ELSE 'en' END,
      jsonb_build_object(
        'en', (${literal(WORDS_EN)})[1 + (i * 7) % ${WORDS_EN.length}] || ' and ' || lower((${literal(WORDS_EN)})[1 + (i * 11) % ${WORDS_EN.length}]) || ' in ' || (${literal(PLACES)})[1 + (i * 13) % ${PLACES.length}] || ' ' || i,
        'pl', (${literal(WORDS_PL)})[1 + (i * 7) % ${WORDS_PL.length}] || ' i ' || lower((${literal(WORDS_PL)})[1 + (i * 11) % ${WORDS_PL.length}]) || ' ' || i),
      (${sectionArray})[1 + (i * 17) % ${sections.length}]
    FROM bench_sub
  `.execute(db);
  await sql`UPDATE articles a SET current_publication_id = p.id FROM publications p WHERE p.article_id = a.id AND a.id IN (SELECT id FROM bench_sub)`.execute(db);
  const authorArray = sql`ARRAY[${sql.join(authors)}]::int[]`;
  await sql`
    INSERT INTO submissions (id, journal_id, submitter_id, status, stage, progress, submitted_at, last_activity_at, created_at)
    SELECT id, ${journalId}::int, (${authorArray})[1 + (i * 29) % ${authors.length}],
      CASE WHEN i % 33 = 5 THEN 'draft' WHEN i % 20 = 1 THEN 'declined' WHEN i % 10 = 2 THEN 'published' ELSE 'active' END,
      (ARRAY['submission', 'submission', 'review', 'copyediting', 'production'])[1 + (i * 3) % 5],
      'review',
      CASE WHEN i % 33 = 5 THEN NULL ELSE timestamptz '2023-01-01' + (i * interval '137 minutes') END,
      timestamptz '2023-01-02' + (i * interval '137 minutes'),
      timestamptz '2023-01-01' + (i * interval '137 minutes')
    FROM bench_sub
  `.execute(db);
  await sql`
    INSERT INTO contributors (publication_id, given_name, family_name, email, seq, is_primary_contact)
    SELECT p.id, jsonb_build_object('en', (${literal(GIVEN)})[1 + (b.i * k * 3) % ${GIVEN.length}]), jsonb_build_object('en', (${literal(FAMILY)})[1 + (b.i * k * 5 + k) % ${FAMILY.length}]),
      'author' || b.i || '-' || k || '@example.org', k, k = 1
    FROM bench_sub b JOIN publications p ON p.article_id = b.id CROSS JOIN generate_series(1, 2) AS k
  `.execute(db);
  const editorArray = sql`ARRAY[${sql.join(editors)}]::int[]`;
  await sql`
    INSERT INTO submission_participants (submission_id, user_id, role)
    SELECT id, (${authorArray})[1 + (i * 29) % ${authors.length}], 'author' FROM bench_sub
    UNION ALL
    SELECT id, (${editorArray})[1 + (i * 7) % ${editors.length}], CASE WHEN (1 + (i * 7) % ${editors.length}) <= 4 THEN 'editor' ELSE 'section-editor' END FROM bench_sub WHERE i % 5 <> 0
  `.execute(db);
  await sql`DROP TABLE bench_sub`.execute(db);
  for (const table of ['articles', 'publications', 'submissions', 'contributors', 'submission_participants']) await sql`ANALYZE ${sql.table(table)}`.execute(db);
  return { seconds: (performance.now() - started) / 1000, sectionId: sections[1]! };
}

interface WrkResult {
  requestsPerSecond: number;
  latencyMs: { p50: number; p95: number; p99: number };
  requests: number;
  non2xx: number;
  socketErrors: number;
}

/** p50/p95/p99 in microseconds, printed by wrk's `done` hook (its --latency table has no p95). */
const LUA = `done = function(summary, latency, requests)
  io.write(string.format("PERCENTILES %d %d %d\\n", latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
`;

function wrk(url: string, seconds: number, connections: number, headers: string[], script: string): WrkResult {
  const out = execFileSync('wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, '-s', script, ...headers.flatMap((h) => ['-H', h]), url], { encoding: 'utf8' });
  const p = /PERCENTILES (\d+) (\d+) (\d+)/.exec(out);
  if (!p) throw new Error(`wrk printed no percentiles:\n${out}`);
  const errors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  return {
    requestsPerSecond: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? 0),
    latencyMs: { p50: Number(p[1]) / 1000, p95: Number(p[2]) / 1000, p99: Number(p[3]) / 1000 },
    requests: Number(/(\d+) requests in/.exec(out)?.[1] ?? 0),
    non2xx: Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0),
    socketErrors: errors ? errors.slice(1).map(Number).reduce((a, b) => a + b, 0) : 0,
  };
}

/** Signs in through the form, as a browser does; returns the Cookie header. */
async function signIn(base: string): Promise<string> {
  const jar = new Map<string, string>();
  const keep = (response: Response) => {
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const [name, ...value] = pair!.split('=');
      jar.set(name!.trim(), value.join('='));
    }
  };
  const header = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const form = await fetch(`${base}/sm/login`);
  keep(form);
  const token = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1];
  if (!token) throw new Error('the sign-in page has no form token');
  const response = await fetch(`${base}/sm/login/signIn`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: header() },
    body: new URLSearchParams({ _csrf: token, email: MANAGER.email, password: MANAGER.password }).toString(),
  });
  keep(response);
  if (response.status !== 303) throw new Error(`sign-in answered ${response.status}`);
  return header();
}

interface Run {
  database: string;
  submissions: number;
  generateSeconds: number;
  pages: Array<{ name: string; path: string; rows: number; bytes: number; result: WrkResult; busy: WrkResult; meetsTarget: boolean }>;
}

const rowsOf = (html: string) => (html.match(/href="\/sm\/workflow\/index\/\d+"/g) ?? []).length;

async function measure(name: string, env: Record<string, string>, sectionId: number, generateSeconds: number, script: string, firstBody: { html?: string }): Promise<Run> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = spawnNode(['--import', 'tsx', 'src/main.ts'], { PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', REFERENCE_PARSING: 'off', SERVICES: 'web', ...env });
  try {
    await waitFor(`${base}/healthz`, server.child, server.output);
    const cookie = await signIn(base);
    const pages = [
      { name: 'default queue (all active), page 1', path: '/sm/dashboard/editorial' },
      { name: 'search typed without diacritics', path: '/sm/dashboard/editorial?search=lodz+pamiec' },
      { name: 'filter: section and overdue', path: `/sm/dashboard/editorial?section=${sectionId}&overdue=1` },
    ];
    const out: Run['pages'] = [];
    for (const page of pages) {
      const response = await fetch(`${base}${page.path}`, { headers: { cookie } });
      const html = await response.text();
      if (response.status !== 200) throw new Error(`${page.path} answered ${response.status}`);
      firstBody.html ??= html;
      wrk(`${base}${page.path}`, 2, CONNECTIONS, [`Cookie: ${cookie}`], script); // warm-up
      const result = wrk(`${base}${page.path}`, SECONDS, CONNECTIONS, [`Cookie: ${cookie}`], script);
      const busy = wrk(`${base}${page.path}`, SECONDS, BUSY_CONNECTIONS, [`Cookie: ${cookie}`], script);
      const errors = result.non2xx + result.socketErrors + busy.non2xx + busy.socketErrors;
      out.push({ ...page, rows: rowsOf(html), bytes: Buffer.byteLength(html), result, busy, meetsTarget: result.latencyMs.p95 < TARGET_P95_MS && errors === 0 });
      for (const [label, r] of [[`${CONNECTIONS} conn`, result], [`${BUSY_CONNECTIONS} conn`, busy]] as const) {
        console.log(`  ${name.padEnd(9)} ${page.name.padEnd(38)} ${label.padEnd(7)} ${String(rowsOf(html)).padStart(3)} rows  ${fmt(r.requestsPerSecond, 0).padStart(7)} req/s  p50 ${fmt(r.latencyMs.p50).padStart(6)}  p95 ${fmt(r.latencyMs.p95).padStart(6)}  p99 ${fmt(r.latencyMs.p99).padStart(6)} ms  errors ${r.non2xx + r.socketErrors}`);
      }
    }
    return { database: name, submissions: SUBMISSIONS, generateSeconds, pages: out };
  } finally {
    await stop(server.child);
  }
}

const fmt = (n: number, digits = 1) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function main(): Promise<void> {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error('wrk is not installed (Debian: apt-get install wrk)');
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'revista-bench-editorial-'));
  const script = path.join(work, 'percentiles.lua');
  fs.writeFileSync(script, LUA);
  const runs: Run[] = [];
  const body: { html?: string } = {};
  try {
    console.log(`editorial dashboard: ${SUBMISSIONS} submissions, wrk ${CONNECTIONS} connection (target) and ${BUSY_CONNECTIONS} (load), ${SECONDS} s per address; ${os.cpus().length} cores, load average ${os.loadavg()[0]!.toFixed(1)}`);
    const dataDir = path.join(work, 'pglite');
    {
      const handle = await openDatabase({ kind: 'pglite', dataDir: path.join(dataDir, 'db'), command: 'bench' });
      let generated: { seconds: number; sectionId: number };
      try {
        generated = await generate(handle);
      } finally {
        await handle.close();
      }
      console.log(`pglite: generated in ${generated.seconds.toFixed(1)} s`);
      runs.push(await measure('pglite', { DATA_DIR: dataDir }, generated.sectionId, generated.seconds, script, body));
    }
    if (process.env.BENCH_EDITORIAL_POSTGRES !== 'off' && (await postgresReachable().catch(() => false))) {
      const scratch = await createScratchDatabase('revista_editorial_bench');
      try {
        const handle = await openDatabase({ kind: 'postgres', url: scratch.url });
        let generated: { seconds: number; sectionId: number };
        try {
          generated = await generate(handle);
        } finally {
          await handle.close();
        }
        console.log(`postgres: generated in ${generated.seconds.toFixed(1)} s`);
        runs.push(await measure('postgres', { DATA_DIR: path.join(work, 'postgres-data'), DATABASE_URL: scratch.url }, generated.sectionId, generated.seconds, script, body));
      } finally {
        await scratch.drop();
      }
    }

    // The load generator's own ceiling: the same page's bytes from a bare node:http server.
    const bodyFile = path.join(work, 'dashboard.html');
    fs.writeFileSync(bodyFile, body.html ?? '');
    const baselinePort = await freePort();
    const baseline = spawnNode(['bench/baseline-server.mjs', bodyFile, String(baselinePort)]);
    await waitFor(`http://127.0.0.1:${baselinePort}/`, baseline.child, baseline.output);
    const ceiling = wrk(`http://127.0.0.1:${baselinePort}/`, Math.min(5, SECONDS), BUSY_CONNECTIONS, [], script);
    await stop(baseline.child);
    console.log(`  wrk ceiling (bare node:http, same ${Math.round(Buffer.byteLength(body.html ?? '') / 1024)} KB): ${fmt(ceiling.requestsPerSecond, 0)} req/s, p95 ${fmt(ceiling.latencyMs.p95, 2)} ms`);

    const worst = Math.max(...runs.flatMap((r) => r.pages.map((p) => p.result.latencyMs.p95)));
    const met = runs.every((r) => r.pages.every((p) => p.meetsTarget));
    console.log(`worst p95, one editor at a time: ${fmt(worst)} ms (target < ${TARGET_P95_MS} ms): ${met ? 'target met' : 'TARGET MISSED'}`);
    const report = {
      benchmark: 'editorial-dashboard',
      date: new Date().toISOString(),
      node: process.version,
      machine: { cores: os.cpus().length, memoryBytes: os.totalmem(), platform: `${os.platform()} ${os.arch()}`, loadAverage: os.loadavg() },
      submissions: SUBMISSIONS,
      connections: { target: CONNECTIONS, load: BUSY_CONNECTIONS },
      durationSeconds: SECONDS,
      target: { p95Ms: TARGET_P95_MS },
      ceiling,
      runs,
      worstP95Ms: worst,
      meetsTarget: met,
    };
    const out = path.join(ROOT, 'bench/results/editorial-dashboard.json');
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`report: ${path.relative(process.cwd(), out)}`);
    if (!met) process.exitCode = 1;
  } finally {
    await Promise.all(children.map(stop));
    fs.rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.join(ROOT, 'bench/editorial-dashboard.ts')) await main();
