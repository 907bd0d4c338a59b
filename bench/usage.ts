/**
 * `npm run bench` (third part): usage counting at scale. Sends 1,000,000 synthetic hits (readers,
 * robots from the COUNTER list, double clicks) through the real ingest path — the same recorder
 * the reader site uses, group commits and double-click marking included — into an embedded
 * database holding 10,000 articles, then computes a month of COUNTER item metrics (the data of an
 * IR report) over them, and the SUSHI IR and TR answers a library harvests for that month.
 * Baseline, measured in the same run: inserting the same rows with one plain multi-row INSERT per
 * batch (no robot check, no session hashing, no double-click marking).
 * Writes bench/results/usage.json.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { migrateToLatest, openDatabase } from '../src/db/index.ts';
import { initialiseSite } from '../src/demo/index.ts';
import Fastify from 'fastify';
import { createUsageRecorder, itemMetrics, sushiRoutes } from '../src/stats/index.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const HITS = Number(process.env.BENCH_USAGE_HITS ?? 1_000_000);
const ARTICLES = 10_000;
const TARGET_EVENTS_PER_SEC = 20_000;
const TARGET_REPORT_SECONDS = 1;

const AGENTS = ['Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15'];
const ROBOTS = ['Googlebot/2.1 (+http://www.google.com/bot.html)', 'python-requests/2.31.0', 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)'];

/** A deterministic stream of hits: 70 % readers, 20 % robots, 10 % immediate repeats (double clicks). */
function* hits(start: number) {
  // mulberry32: small, fast and spread well enough that 10,000 articles all get hits.
  let seed = 42;
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  let previous: { ip: string; userAgent: string; articleId: number; kind: 'investigation' | 'request' } | undefined;
  for (let i = 0; i < HITS; i++) {
    const at = new Date(start + Math.floor((i / HITS) * 28 * 86_400_000));
    const roll = random();
    if (previous && roll < 0.1) {
      yield { ...previous, at };
      continue;
    }
    const robot = roll < 0.3;
    const hit = {
      ip: `10.${Math.floor(random() * 200)}.${Math.floor(random() * 250)}.${Math.floor(random() * 250)}`,
      userAgent: robot ? ROBOTS[i % ROBOTS.length]! : AGENTS[i % AGENTS.length]!,
      articleId: 100_001 + Math.floor(random() * ARTICLES),
      kind: random() < 0.4 ? ('request' as const) : ('investigation' as const),
    };
    previous = hit;
    yield { ...hit, at };
  }
}

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'revista-usage-bench-'));
  const handle = await openDatabase({ kind: 'pglite', dataDir: path.join(dataDir, 'db'), command: 'bench' });
  try {
    const loadAtStart = os.loadavg();
    console.log(`usage benchmark: ${HITS.toLocaleString('en')} hits over ${ARTICLES.toLocaleString('en')} articles, embedded database (load average ${loadAtStart.map((l) => l.toFixed(1)).join(', ')} on ${os.cpus().length} CPUs)`);
    await migrateToLatest(handle.db);
    await initialiseSite(handle.db, { demo: true });
    const db = handle.db;
    const section = await db.selectFrom('sections').select('id').executeTakeFirstOrThrow();
    await sql`SET session_replication_role = replica`.execute(db);
    await sql`INSERT INTO articles (id, journal_id, locale, status) SELECT 100000 + n, 1, 'en', 'published' FROM generate_series(1, ${ARTICLES}) AS n`.execute(db);
    await sql`
      INSERT INTO publications (article_id, version, status, locale, prefix, title, subtitle, abstract, keywords, subjects, section_id, copyright_holder, date_published)
      SELECT 100000 + n, 1, 'published', 'en', '{}', jsonb_build_object('en', 'Article ' || n), '{}', '{}', '{}', '{}', ${section.id}, '{}', '2025-06-01'
      FROM generate_series(1, ${ARTICLES}) AS n
    `.execute(db);
    await sql`UPDATE articles a SET current_publication_id = p.id FROM publications p WHERE p.article_id = a.id AND a.id > 100000`.execute(db);
    // Two authors an article, as the IR lists them.
    await sql`
      INSERT INTO contributors (publication_id, given_name, family_name, affiliation, seq)
      SELECT p.id, jsonb_build_object('en', 'Given' || r), jsonb_build_object('en', 'Author ' || p.article_id), '{}', r
      FROM publications p, generate_series(0, 1) AS r WHERE p.article_id > 100000
    `.execute(db);
    await sql`SET session_replication_role = origin`.execute(db);

    // Baseline: the same number of rows, inserted plainly in batches of 500.
    const baselineStart = process.hrtime.bigint();
    const BASELINE_ROWS = Math.min(HITS, 200_000);
    for (let i = 0; i < BASELINE_ROWS; i += 500) {
      const rows = Array.from({ length: Math.min(500, BASELINE_ROWS - i) }, (_, j) => ({ at: new Date(), journal_id: 1, article_id: 100_001 + ((i + j) % ARTICLES), kind: 'investigation' as const, session_key: `k${i + j}`, issue_id: null, galley_id: null, yop: null, country: null, filter_reason: null }));
      await db.insertInto('usage_events').values(rows).execute();
    }
    const baselinePerSec = BASELINE_ROWS / (Number(process.hrtime.bigint() - baselineStart) / 1e9);
    await sql`TRUNCATE usage_events`.execute(db);

    const start = Date.parse('2026-02-01T00:00:00Z');
    let now = new Date(start);
    const recorder = createUsageRecorder(db, { clock: { now: () => now }, maxBatch: 1000, lazyBatchMs: 5 });
    const ingestStart = process.hrtime.bigint();
    let lap = ingestStart;
    let inFlight: Promise<void>[] = [];
    let done = 0;
    for (const hit of hits(start)) {
      now = hit.at;
      inFlight.push(recorder.record({ journalId: 1, articleId: hit.articleId, kind: hit.kind, ip: hit.ip, userAgent: hit.userAgent }));
      if (inFlight.length >= 5000) {
        await Promise.all(inFlight);
        inFlight = [];
      }
      if (++done % 100_000 === 0) {
        // The rate of each 100,000, to show whether ingest slows down as the table grows.
        const now = process.hrtime.bigint();
        process.stderr.write(`  ${done.toLocaleString('en')} hits, ${Math.round(100_000 / (Number(now - lap) / 1e9)).toLocaleString('en')} events/s\n`);
        lap = now;
      }
    }
    await Promise.all(inFlight);
    await recorder.close();
    const ingestSeconds = Number(process.hrtime.bigint() - ingestStart) / 1e9;
    const eventsPerSec = HITS / ingestSeconds;
    const counts = await db.selectFrom('usage_events').select(['filter_reason', (eb) => eb.fn.countAll<string>().as('n')]).groupBy('filter_reason').execute();
    await sql`ANALYZE usage_events`.execute(db);

    const reportStart = process.hrtime.bigint();
    const rows = await itemMetrics(db, { journalId: 1, from: new Date('2026-02-01T00:00:00Z'), to: new Date('2026-03-01T00:00:00Z') });
    const reportSeconds = Number(process.hrtime.bigint() - reportStart) / 1e9;
    // The whole SUSHI answers a library harvests: metrics, article titles and authors, COUNTER JSON.
    // Each asked three times: the first answer (what one harvest costs) and the median.
    const sushi = Fastify();
    sushiRoutes(sushi, { db, clock: { now: () => new Date('2026-03-15T00:00:00Z') } });
    const harvest = async (report: string) => {
      const seconds: number[] = [];
      let answer: Awaited<ReturnType<typeof sushi.inject>> | undefined;
      for (let i = 0; i < 3; i++) {
        const started = process.hrtime.bigint();
        answer = await sushi.inject({ url: `/sm/api/sushi/r51/reports/${report}?begin_date=2026-02&end_date=2026-02` });
        seconds.push(Number(process.hrtime.bigint() - started) / 1e9);
      }
      return { answer: answer!, first: seconds[0]!, median: [...seconds].sort((a, b) => a - b)[1]! };
    };
    const irRun = await harvest('ir');
    const ir = irRun.answer;
    const irSeconds = irRun.first;
    const irItems = (JSON.parse(ir.body) as { Report_Items?: { Items?: unknown[] }[] }).Report_Items?.reduce((n, p) => n + (p.Items?.length ?? 0), 0) ?? 0;
    const trRun = await harvest('tr');
    const tr = trRun.answer;
    const trTotal = (JSON.parse(tr.body) as { Report_Items?: { Attribute_Performance?: { Performance?: { Total_Item_Requests?: Record<string, number> } }[] }[] }).Report_Items?.[0]?.Attribute_Performance?.[0]?.Performance?.Total_Item_Requests?.['2026-02'] ?? 0;
    await sushi.close();

    console.log('');
    console.log(`baseline: plain multi-row INSERT                 ${Math.round(baselinePerSec).toLocaleString('en')} rows/s`);
    console.log(`Revista ingest (robots, sessions, double clicks)  ${Math.round(eventsPerSec).toLocaleString('en')} events/s   ratio ${(eventsPerSec / baselinePerSec).toFixed(2)}   target ≥ ${TARGET_EVENTS_PER_SEC.toLocaleString('en')}: ${eventsPerSec >= TARGET_EVENTS_PER_SEC ? 'met' : 'NOT met'}`);
    console.log(`  kept: ${counts.map((c) => `${c.filter_reason ?? 'counted'} ${Number(c.n).toLocaleString('en')}`).join(', ')}`);
    console.log(`monthly item metrics (IR data) for ${rows.length.toLocaleString('en')} articles: ${reportSeconds.toFixed(2)} s   target < ${TARGET_REPORT_SECONDS} s: ${reportSeconds < TARGET_REPORT_SECONDS ? 'met' : 'NOT met'}`);
    console.log(`SUSHI IR for one month (HTTP ${ir.statusCode}, ${irItems.toLocaleString('en')} items, ${(ir.body.length / 1e6).toFixed(1)} MB of COUNTER JSON): ${irSeconds.toFixed(2)} s (median of 3: ${irRun.median.toFixed(2)} s)   target < ${TARGET_REPORT_SECONDS} s: ${irSeconds < TARGET_REPORT_SECONDS ? 'met' : 'NOT met'}`);
    console.log(`SUSHI TR for one month (HTTP ${tr.statusCode}, ${trTotal.toLocaleString('en')} Total_Item_Requests): ${trRun.first.toFixed(2)} s (median of 3: ${trRun.median.toFixed(2)} s)`);
    console.log(`load average at the end (1, 5, 15 min; ${os.cpus().length} CPUs): ${os.loadavg().map((l) => l.toFixed(1)).join(', ')}`);
    const report = {
      benchmark: 'usage',
      date: new Date().toISOString(),
      hits: HITS,
      articles: ARTICLES,
      baseline: { name: 'plain multi-row INSERT, batches of 500', rowsPerSec: baselinePerSec },
      ingest: { eventsPerSec, seconds: ingestSeconds, ratioToBaseline: eventsPerSec / baselinePerSec, kept: Object.fromEntries(counts.map((c) => [c.filter_reason ?? 'counted', Number(c.n)])), meetsTarget: eventsPerSec >= TARGET_EVENTS_PER_SEC },
      monthlyItemReport: { seconds: reportSeconds, articles: rows.length, meetsTarget: reportSeconds < TARGET_REPORT_SECONDS },
      sushiItemReport: { seconds: irSeconds, medianSeconds: irRun.median, status: ir.statusCode, items: irItems, bytes: ir.body.length, meetsTarget: irSeconds < TARGET_REPORT_SECONDS },
      sushiTitleReport: { seconds: trRun.first, medianSeconds: trRun.median, status: tr.statusCode, totalItemRequests: trTotal, bytes: tr.body.length },
      loadAverage: { start: loadAtStart, end: os.loadavg(), cpus: os.cpus().length },
    };
    const out = path.join(ROOT, 'bench/results/usage.json');
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`report: ${path.relative(ROOT, out)}`);
  } finally {
    await handle.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
