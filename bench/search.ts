/**
 * `npm run bench` (search): full-text search and similar articles over 100,000 generated articles
 * (BENCH_SEARCH_ARTICLES to change), on the embedded database and, when it answers, on PostgreSQL
 * (BENCH_SEARCH_POSTGRES=off to skip). Titles, abstracts, keywords, authors and references are drawn
 * from a generated vocabulary with a Zipf-like spread, so some words are in nearly every article and
 * most in few, as in a real journal. Measures, for a fixed mix of queries (common, medium and rare
 * words, two and three words, a phrase, an exclusion, a Polish word typed without diacritics, an
 * author, a word found nowhere), the latency of a search (ranked page of 10 with snippets) and of
 * the article page's similar-articles block; baseline, in the same run: fetching 10 index rows by
 * primary key. Writes bench/results/search.json.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { migrateToLatest, openDatabase, type Database, type DatabaseHandle } from '../src/db/index.ts';
import { initialiseSite } from '../src/demo/index.ts';
import { loadListedArticles, parseQuery, searchArticles, similarArticles, type SearchSort } from '../src/discovery/search/index.ts';
import { createScratchDatabase, postgresReachable } from '../test/support/databases.ts';
import { percentile } from './measure.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const ARTICLES = Number(process.env.BENCH_SEARCH_ARTICLES ?? 100_000);
const ROUNDS = Number(process.env.BENCH_SEARCH_ROUNDS ?? 20);
const SIMILAR_SAMPLES = Number(process.env.BENCH_SIMILAR_SAMPLES ?? 300);
const VOCABULARY = 6000;
const TARGET_SEARCH_P95_MS = 50;
const TARGET_SIMILAR_P95_MS = 30;

/** Deterministic generated words: syllables, some Polish with diacritics. */
function vocabulary(): string[] {
  const onsets = ['b', 'd', 'f', 'g', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'w', 'z', 'st', 'tr', 'kr', 'pl'];
  const vowels = ['a', 'e', 'i', 'o', 'u', 'y'];
  const polish = ['ą', 'ę', 'ó', 'ł', 'ś', 'ż'];
  const words = new Set<string>();
  let seed = 7;
  const random = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)]!;
  while (words.size < VOCABULARY) {
    const syllables = 2 + Math.floor(random() * 3);
    let word = '';
    for (let s = 0; s < syllables; s++) word += pick(onsets) + (random() < 0.08 ? pick(polish) : pick(vowels));
    words.add(word + pick(['', 'n', 'r', 'ks', 'm']));
  }
  return [...words];
}

const FAMILY_NAMES = ['Nowak', 'Kowalska', 'Wiśniewski', 'Wójcik', 'Kowalczyk', 'Kamińska', 'Lewandowski', 'Zielińska', 'Szymański', 'Woźniak', 'Dąbrowski', 'Kozłowska', 'Jankowski', 'Mazur', 'Kwiatkowska', 'Krawczyk', 'Piotrowski', 'Grabowska', 'Smith', 'Jones', 'Taylor', 'Brown', 'Müller', 'Dubois'];

/** A seeded generator (mulberry32): the same corpus on every run and on both databases. */
function seeded(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const CHUNK = 2000;

async function generate(db: Kysely<Database>, words: string[]): Promise<{ loadSeconds: number; indexSeconds: number }> {
  const started = Date.now();
  await initialiseSite(db, { demo: true });
  const journal = await db.selectFrom('journals').select('id').where('path', '=', 'sm').executeTakeFirstOrThrow();
  const section = await db.selectFrom('sections').select('id').where('journal_id', '=', journal.id).executeTakeFirstOrThrow();
  const random = seeded(11);
  // A word of the vocabulary with a Zipf-like (log-uniform rank) spread: words[0] is in nearly every abstract.
  const word = () => words[Math.floor(Math.exp(random() * Math.log(VOCABULARY))) - 1]!;
  const text = (count: number) => Array.from({ length: count }, word).join(' ');
  // One connection throughout: triggers are switched off for it (the index is built below, in bulk).
  await db.connection().execute(async (conn) => {
    await sql`SET session_replication_role = replica`.execute(conn);
    await sql`
      INSERT INTO articles (id, journal_id, locale, status)
      SELECT 100000 + n, ${journal.id}, CASE WHEN n % 10 < 7 THEN 'en' ELSE 'pl' END, 'published' FROM generate_series(1, ${ARTICLES}) AS n
    `.execute(conn);
    for (let first = 1; first <= ARTICLES; first += CHUNK) {
      const ns = Array.from({ length: Math.min(CHUNK, ARTICLES - first + 1) }, (_, i) => first + i);
      const titles = ns.map(() => text(8));
      const abstracts = ns.map(() => text(60));
      const keywords = ns.map(() => JSON.stringify([word(), word(), `${word()} ${word()}`]));
      const references = ns.flatMap(() => Array.from({ length: 5 }, () => `Author, A. (2019). ${text(6)}. Journal of ${text(2)}, 12(3).`));
      await sql`
        INSERT INTO publications (article_id, version, status, locale, title, abstract, keywords, section_id, date_published)
        SELECT 100000 + g.n, 1, 'published', l.locale, jsonb_build_object(l.locale, g.title), jsonb_build_object(l.locale, g.abstract),
               jsonb_build_object(l.locale, g.keywords::jsonb), ${section.id}, date '2000-01-01' + (g.n % 9000)
          FROM unnest(${ns}::integer[], ${titles}::text[], ${abstracts}::text[], ${keywords}::text[]) AS g(n, title, abstract, keywords),
               LATERAL (SELECT CASE WHEN g.n % 10 < 7 THEN 'en' ELSE 'pl' END AS locale) l
      `.execute(conn);
      await sql`
        INSERT INTO citations (publication_id, seq, raw_text)
        SELECT p.id, r.seq, r.raw_text
          FROM unnest(${ns.flatMap((n) => [n, n, n, n, n])}::integer[], ${ns.flatMap(() => [1, 2, 3, 4, 5])}::integer[], ${references}::text[]) AS r(n, seq, raw_text)
          JOIN publications p ON p.article_id = 100000 + r.n
      `.execute(conn);
    }
    await sql`UPDATE articles a SET current_publication_id = p.id FROM publications p WHERE p.article_id = a.id AND a.id > 100000`.execute(conn);
    await sql`
      INSERT INTO contributors (publication_id, given_name, family_name, affiliation, seq)
      SELECT p.id, jsonb_build_object('en', (ARRAY['Anna', 'Jan', 'Ewa', 'Piotr', 'Helen', 'John'])[1 + (p.article_id + r) % 6]),
             jsonb_build_object('en', (${FAMILY_NAMES}::text[])[1 + ((p.article_id * 7 + r * 13) % ${FAMILY_NAMES.length})] || CASE WHEN p.article_id % 3 = 0 THEN '' ELSE '-' || (p.article_id % 500) END),
             '{"en": "University of Warsaw"}', r
        FROM publications p, generate_series(0, 1) AS r WHERE p.article_id > 100000 AND (r = 0 OR p.article_id % 2 = 0)
    `.execute(conn);
    await sql`SET session_replication_role = origin`.execute(conn);
  });
  await sql`DELETE FROM search_queue`.execute(db);
  const loadSeconds = (Date.now() - started) / 1000;
  const indexStart = Date.now();
  const ids = (await db.selectFrom('articles').select('id').orderBy('id').execute()).map((r) => r.id);
  for (let i = 0; i < ids.length; i += 5000) {
    await sql`SELECT revista_search_refresh(${ids.slice(i, i + 5000)}::integer[])`.execute(db);
    process.stderr.write(`  indexed ${Math.min(i + 5000, ids.length).toLocaleString('en')}\n`);
  }
  await sql`ANALYZE`.execute(db);
  return { loadSeconds, indexSeconds: (Date.now() - indexStart) / 1000 };
}

async function time<T>(work: () => Promise<T>): Promise<[number, T]> {
  const start = process.hrtime.bigint();
  const result = await work();
  return [Number(process.hrtime.bigint() - start) / 1e6, result];
}

interface QueryCase {
  name: string;
  query: string;
  sort?: SearchSort;
}

/** The fixed mix, from words whose frequency the generator decides (rank 1 is in nearly every abstract). */
function queryMix(words: string[]): QueryCase[] {
  const fold = (w: string) => w.normalize('NFD').replace(/\p{M}/gu, '').replace(/ł/g, 'l');
  const polish = words.slice(20, 400).find((w) => /[ąęółśż]/.test(w)) ?? words[30]!;
  return [
    { name: 'common word', query: words[0]! },
    { name: 'common word, newest first', query: words[1]!, sort: 'newest' },
    { name: 'medium word', query: words[60]! },
    { name: 'rare word', query: words[4000]! },
    { name: 'two medium words', query: `${words[40]} ${words[80]}` },
    { name: 'three words', query: `${words[2]} ${words[90]} ${words[700]}` },
    { name: 'phrase', query: `"${words[3]} ${words[5]}"` },
    { name: 'exclusion', query: `${words[70]} -${words[150]}` },
    { name: 'Polish word without diacritics', query: fold(polish) },
    { name: 'author', query: 'Kozłowska' },
    { name: 'no result', query: 'xylophonistically' },
  ];
}

interface RunResult {
  database: string;
  articles: number;
  loadSeconds: number;
  indexSeconds: number;
  baseline: { name: string; p50Ms: number; p95Ms: number };
  search: { p50Ms: number; p95Ms: number; ratioP50ToBaseline: number; meetsTarget: boolean; queries: Array<{ name: string; query: string; total: number; p50Ms: number; p95Ms: number }> };
  similar: { p50Ms: number; p95Ms: number; samples: number; meanShown: number; meetsTarget: boolean };
}

async function run(name: string, handle: DatabaseHandle, words: string[]): Promise<RunResult> {
  const db = handle.db;
  await migrateToLatest(db);
  console.log(`${name}: generating ${ARTICLES.toLocaleString('en')} articles`);
  const { loadSeconds, indexSeconds } = await generate(db, words);
  console.log(`${name}: loaded in ${loadSeconds.toFixed(1)} s, indexed in ${indexSeconds.toFixed(1)} s`);
  const journalId = (await db.selectFrom('journals').select('id').where('path', '=', 'sm').executeTakeFirstOrThrow()).id;

  const sampleIds = Array.from({ length: 10 }, (_, i) => 100_001 + ((i * 7919) % ARTICLES));
  const baseline: number[] = [];
  for (let i = 0; i < ROUNDS * 10; i++) baseline.push((await time(() => db.selectFrom('search_documents').select(['article_id', 'journal_id']).where('article_id', 'in', sampleIds).execute()))[0]);

  const mix = queryMix(words);
  const all: number[] = [];
  const perQuery: RunResult['search']['queries'] = [];
  for (const c of mix) {
    const times: number[] = [];
    let total = 0;
    for (let round = 0; round < ROUNDS + 2; round++) {
      const [ms, result] = await time(() => searchArticles(db, { query: parseQuery(c.query), filters: { journalId }, sort: c.sort ?? 'relevance', pageSize: 10, locale: 'en' }));
      total = result.total;
      if (round >= 2) times.push(ms); // two warm-up rounds
    }
    all.push(...times);
    perQuery.push({ name: c.name, query: c.query, total, p50Ms: percentile(times, 50), p95Ms: percentile(times, 95) });
    console.log(`  ${c.name.padEnd(32)} ${String(total).padStart(7)} found   p50 ${percentile(times, 50).toFixed(1).padStart(6)} ms   p95 ${percentile(times, 95).toFixed(1).padStart(6)} ms`);
  }

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
  const searchP95 = percentile(all, 95);
  const similarP95 = percentile(similarTimes, 95);
  const baselineP50 = percentile(baseline, 50);
  return {
    database: name,
    articles: ARTICLES,
    loadSeconds,
    indexSeconds,
    baseline: { name: '10 index rows fetched by primary key', p50Ms: baselineP50, p95Ms: percentile(baseline, 95) },
    search: { p50Ms: percentile(all, 50), p95Ms: searchP95, ratioP50ToBaseline: percentile(all, 50) / baselineP50, meetsTarget: searchP95 < TARGET_SEARCH_P95_MS, queries: perQuery },
    similar: { p50Ms: percentile(similarTimes, 50), p95Ms: similarP95, samples: similarTimes.length, meanShown: shown / similarTimes.length, meetsTarget: similarP95 < TARGET_SIMILAR_P95_MS },
  };
}

function report(r: RunResult): void {
  console.log(`${r.database}: baseline (${r.baseline.name}) p50 ${r.baseline.p50Ms.toFixed(2)} ms, p95 ${r.baseline.p95Ms.toFixed(2)} ms`);
  console.log(`${r.database}: search (page of 10 with snippets)   p50 ${r.search.p50Ms.toFixed(1)} ms, p95 ${r.search.p95Ms.toFixed(1)} ms   ratio p50/baseline ${r.search.ratioP50ToBaseline.toFixed(1)}   target p95 < ${TARGET_SEARCH_P95_MS} ms: ${r.search.meetsTarget ? 'met' : 'NOT met'}`);
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
    `${JSON.stringify({ benchmark: 'search', date: new Date().toISOString(), articles: ARTICLES, rounds: ROUNDS, target: { searchP95Ms: TARGET_SEARCH_P95_MS, similarP95Ms: TARGET_SIMILAR_P95_MS }, loadAverage: { start: loadAtStart, end: os.loadavg(), cpus: os.cpus().length }, runs: results }, null, 2)}\n`,
  );
  console.log(`load average at the end: ${os.loadavg().map((l) => l.toFixed(1)).join(', ')}`);
  console.log(`report: ${path.relative(ROOT, out)}`);
}

await main();
