/**
 * `npm run bench` (search): full-text search and similar articles over 100,000 generated articles
 * (bench/search-corpus.ts), on the embedded database and, when it answers, on PostgreSQL. Measures,
 * for a fixed mix of queries (common, medium and rare words of a Zipf-like vocabulary, two and three
 * words, a phrase, an exclusion, a Polish word typed without diacritics, an author, a word found
 * nowhere), and apart from it for the journal's common words (in most articles: one, two, three of
 * them, their set phrases, newest first, with an exclusion), the latency of a search (ranked page of
 * 10 with snippets) and of the article page's similar-articles block; baseline, in the same run:
 * fetching 10 index rows by primary key. Writes bench/results/search.json.
 *
 * Sizes: BENCH_SEARCH_ARTICLES (100,000), BENCH_SEARCH_BODY_WORDS (words of each article's full
 * text, 600), BENCH_SEARCH_ROUNDS (20), BENCH_SIMILAR_SAMPLES (300), BENCH_SEARCH_POSTGRES=off to
 * skip PostgreSQL. A quick run while developing:
 *   BENCH_SEARCH_ARTICLES=5000 BENCH_SEARCH_ROUNDS=5 BENCH_SIMILAR_SAMPLES=20 BENCH_SEARCH_POSTGRES=off npx tsx bench/search.ts
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Kysely } from 'kysely';
import { migrateToLatest, openDatabase, type Database, type DatabaseHandle } from '../src/db/index.ts';
import { loadListedArticles, parseQuery, searchArticles, similarArticles } from '../src/discovery/search/index.ts';
import { createScratchDatabase, postgresReachable } from '../test/support/databases.ts';
import { percentile } from './measure.ts';
import { commonWordQueries, generateCorpus, queryMix, vocabulary, type QueryCase } from './search-corpus.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const ARTICLES = Number(process.env.BENCH_SEARCH_ARTICLES ?? 100_000);
const BODY_WORDS = Number(process.env.BENCH_SEARCH_BODY_WORDS ?? 600);
const ROUNDS = Number(process.env.BENCH_SEARCH_ROUNDS ?? 20);
const SIMILAR_SAMPLES = Number(process.env.BENCH_SIMILAR_SAMPLES ?? 300);
const TARGET_SEARCH_P95_MS = 50;
const TARGET_SIMILAR_P95_MS = 30;

async function time<T>(work: () => Promise<T>): Promise<[number, T]> {
  const start = process.hrtime.bigint();
  const result = await work();
  return [Number(process.hrtime.bigint() - start) / 1e6, result];
}

interface QueryTimes {
  name: string;
  query: string;
  total: number;
  approximate: boolean;
  p50Ms: number;
  p95Ms: number;
}

interface SearchFigures {
  p50Ms: number;
  p95Ms: number;
  ratioP50ToBaseline: number;
  meetsTarget: boolean;
  queries: QueryTimes[];
}

interface RunResult {
  database: string;
  articles: number;
  bodyWords: number;
  loadSeconds: number;
  indexSeconds: number;
  baseline: { name: string; p50Ms: number; p95Ms: number };
  search: SearchFigures;
  /** The journal's common words (in most articles), apart from the mix. */
  commonWords: SearchFigures;
  similar: { p50Ms: number; p95Ms: number; samples: number; meanShown: number; meetsTarget: boolean };
}

/** Each query ROUNDS times after two warm-up rounds: its percentiles, and those of all of them. */
async function measureQueries(db: Kysely<Database>, journalId: number, cases: QueryCase[], baselineP50: number): Promise<SearchFigures> {
  const all: number[] = [];
  const queries: QueryTimes[] = [];
  for (const c of cases) {
    const times: number[] = [];
    let total = 0;
    let approximate = false;
    for (let round = 0; round < ROUNDS + 2; round++) {
      const [ms, result] = await time(() => searchArticles(db, { query: parseQuery(c.query), filters: { journalId }, sort: c.sort ?? 'relevance', pageSize: 10, locale: 'en' }));
      total = result.total;
      approximate = result.approximate;
      if (round >= 2) times.push(ms);
    }
    all.push(...times);
    queries.push({ name: c.name, query: c.query, total, approximate, p50Ms: percentile(times, 50), p95Ms: percentile(times, 95) });
    const found = `${approximate ? '~' : ''}${total}`;
    console.log(`  ${c.name.padEnd(44)} ${found.padStart(8)} found   p50 ${percentile(times, 50).toFixed(1).padStart(6)} ms   p95 ${percentile(times, 95).toFixed(1).padStart(6)} ms`);
  }
  const p95 = percentile(all, 95);
  return { p50Ms: percentile(all, 50), p95Ms: p95, ratioP50ToBaseline: percentile(all, 50) / baselineP50, meetsTarget: p95 < TARGET_SEARCH_P95_MS, queries };
}

async function run(name: string, handle: DatabaseHandle, words: string[]): Promise<RunResult> {
  const db = handle.db;
  await migrateToLatest(db);
  console.log(`${name}: generating ${ARTICLES.toLocaleString('en')} articles (full texts of ${BODY_WORDS} words)`);
  const { loadSeconds, indexSeconds } = await generateCorpus(db, words, { articles: ARTICLES, bodyWords: BODY_WORDS }, (line) => process.stderr.write(`${line}\n`));
  console.log(`${name}: loaded in ${loadSeconds.toFixed(1)} s, indexed in ${indexSeconds.toFixed(1)} s`);
  const journalId = (await db.selectFrom('journals').select('id').where('path', '=', 'sm').executeTakeFirstOrThrow()).id;

  const sampleIds = Array.from({ length: 10 }, (_, i) => 100_001 + ((i * 7919) % ARTICLES));
  const baseline: number[] = [];
  for (let i = 0; i < ROUNDS * 10; i++) baseline.push((await time(() => db.selectFrom('search_documents').select(['article_id', 'journal_id']).where('article_id', 'in', sampleIds).execute()))[0]);
  const baselineP50 = percentile(baseline, 50);

  console.log(`${name}: the mix`);
  const search = await measureQueries(db, journalId, queryMix(words), baselineP50);
  console.log(`${name}: the journal's common words`);
  const commonWords = await measureQueries(db, journalId, commonWordQueries(), baselineP50);

  const similarTimes: number[] = [];
  let shown = 0;
  for (let i = 0; i < SIMILAR_SAMPLES + 10; i++) {
    const articleId = 100_001 + ((i * 104_729) % ARTICLES);
    const [ms, count] = await time(async () => {
      const page = await similarArticles(db, articleId, 1);
      return (await loadListedArticles(db, page.articleIds)).size;
    });
    if (i >= 10) {
      similarTimes.push(ms);
      shown += count;
    }
  }
  const similarP95 = percentile(similarTimes, 95);
  return {
    database: name,
    articles: ARTICLES,
    bodyWords: BODY_WORDS,
    loadSeconds,
    indexSeconds,
    baseline: { name: '10 index rows fetched by primary key', p50Ms: baselineP50, p95Ms: percentile(baseline, 95) },
    search,
    commonWords,
    similar: { p50Ms: percentile(similarTimes, 50), p95Ms: similarP95, samples: similarTimes.length, meanShown: shown / similarTimes.length, meetsTarget: similarP95 < TARGET_SIMILAR_P95_MS },
  };
}

function report(r: RunResult): void {
  const line = (label: string, f: SearchFigures) =>
    console.log(`${r.database}: ${label.padEnd(40)} p50 ${f.p50Ms.toFixed(1)} ms, p95 ${f.p95Ms.toFixed(1)} ms   ratio p50/baseline ${f.ratioP50ToBaseline.toFixed(1)}   target p95 < ${TARGET_SEARCH_P95_MS} ms: ${f.meetsTarget ? 'met' : 'NOT met'}`);
  console.log(`${r.database}: baseline (${r.baseline.name}) p50 ${r.baseline.p50Ms.toFixed(2)} ms, p95 ${r.baseline.p95Ms.toFixed(2)} ms`);
  line('search, the mix (page of 10, snippets)', r.search);
  line('search, common words', r.commonWords);
  console.log(`${r.database}: similar articles (block of 5)        p50 ${r.similar.p50Ms.toFixed(1)} ms, p95 ${r.similar.p95Ms.toFixed(1)} ms   target p95 < ${TARGET_SIMILAR_P95_MS} ms: ${r.similar.meetsTarget ? 'met' : 'NOT met'}`);
}

async function main(): Promise<void> {
  const words = vocabulary();
  const results: RunResult[] = [];
  const loadAtStart = os.loadavg();
  console.log(`search benchmark: ${ARTICLES.toLocaleString('en')} articles (load average ${loadAtStart.map((l) => l.toFixed(1)).join(', ')} on ${os.cpus().length} CPUs)`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'revista-search-bench-'));
  try {
    const handle = await openDatabase({ kind: 'pglite', dataDir: path.join(dataDir, 'db'), command: 'bench' });
    try {
      results.push(await run('pglite', handle, words));
    } finally {
      await handle.close();
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  report(results[0]!);
  if (process.env.BENCH_SEARCH_POSTGRES !== 'off' && (await postgresReachable().catch(() => false))) {
    const scratch = await createScratchDatabase('revista_search_bench');
    try {
      const handle = await openDatabase({ kind: 'postgres', url: scratch.url });
      try {
        results.push(await run('postgres', handle, words));
      } finally {
        await handle.close();
      }
    } finally {
      await scratch.drop();
    }
    report(results[1]!);
  }
  const out = path.join(ROOT, 'bench/results/search.json');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(
    out,
    `${JSON.stringify({ benchmark: 'search', date: new Date().toISOString(), articles: ARTICLES, bodyWords: BODY_WORDS, rounds: ROUNDS, target: { searchP95Ms: TARGET_SEARCH_P95_MS, similarP95Ms: TARGET_SIMILAR_P95_MS }, loadAverage: { start: loadAtStart, end: os.loadavg(), cpus: os.cpus().length }, runs: results }, null, 2)}\n`,
  );
  console.log(`load average at the end: ${os.loadavg().map((l) => l.toFixed(1)).join(', ')}`);
  console.log(`report: ${path.relative(ROOT, out)}`);
}

await main();
