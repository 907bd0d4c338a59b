/**
 * `npm run bench` (big journals, issue 22): the pages of a big journal, through the real app
 * (buildApp and inject: routing, hooks, the session, queries, rendering), with the public page cache
 * off so every page is built from the database. On PGlite and, when it answers, on PostgreSQL
 * (BENCH_BIG_POSTGRES=off to skip), each gets the journal of bench/big-journal-data.ts (BENCH_SCALE
 * and the sizes there; full size: 50,000 articles in 1,000 issues, a special issue of 500, 100,000
 * people, 10,000 submissions, 10,000,000 usage events). BENCH_BIG_DATA_DIR or BENCH_BIG_DATABASE_URL
 * measure a journal generated before (`npm run bench:data`) instead, on that database only.
 *
 * p50/p95 (and the fastest) over BENCH_BIG_ROUNDS (30) requests per page, after three to warm up,
 * against p95 targets: the special issue's table of contents, the archive's first and last page and
 * the journal's home, asked for as a visitor, < 50 ms; as the journal's manager, the people list
 * (first page, a name typed without diacritics) < 100 ms, the editorial dashboard (default queue, a
 * common title word, a title word and an author's name) < 100 ms, the usage statistics page (the last
 * twelve months, and one issue's) < 1 s. Each page has its baseline in the same run: the same rows
 * read by key from the same connection, without the app. Writes bench/results/big-journal.json.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { buildApp } from '../src/app.ts';
import { watchContentChanges } from '../src/catalog/index.ts';
import { openDatabase, type Database, type DatabaseHandle } from '../src/db/index.ts';
import { createFileStore } from '../src/storage/index.ts';
import { Session } from '../test/support/session.ts';
import { BIG_JOURNAL_MANAGER, BIG_JOURNAL_PATH, bigJournalSizes, generateBigJournal, progress } from './big-journal-data.ts';
import { onEachDatabase, percentile } from './measure.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const ROUNDS = Number(process.env.BENCH_BIG_ROUNDS ?? 30);
const WARM_UP = 3;
const ARCHIVE_PAGE_SIZE = 10;

interface Timing {
  /** The fastest: what the page costs when nothing else runs on the machine at that moment. */
  minMs: number;
  p50Ms: number;
  p95Ms: number;
}

interface PageCase {
  name: string;
  url: string;
  /** Reader pages are asked for as a visitor (the page everyone gets), the rest as the journal's manager. */
  as: 'reader' | 'manager';
  targetMs: number;
  /** What the page shows, counted in its HTML (a page that lost its rows would be fast for nothing). */
  rows: (html: string) => number;
  /** The same rows read by key, straight from the database. */
  baseline: (db: Kysely<Database>) => Promise<unknown>;
}

interface PageResult extends Timing {
  name: string;
  url: string;
  rows: number;
  bytes: number;
  targetMs: number;
  met: boolean;
  baseline: Timing;
}

interface Run {
  database: string;
  generateSeconds: number | null;
  /** The 1-minute load average as the run's measuring began and ended (2 cores: above 2, pages wait for the CPU). */
  loadAverage: { start: number; end: number };
  journal: { issues: number; articles: number; bigIssueArticles: number; currentIssueArticles: number; users: number; submissions: number; usageEvents: number; usageItemMonths: number };
  pages: PageResult[];
}

const matches = (pattern: RegExp) => (html: string) => (html.match(pattern) ?? []).length;
/** Rows of the page's tables, their header rows left out. */
const tableRows = (html: string) => Math.max(0, (html.match(/<tr[\s>]/g) ?? []).length - (html.match(/<thead[\s>]/g) ?? []).length);

/** What the measured pages need to know of the journal, read back from the database. */
async function describe(db: Kysely<Database>) {
  const journal = await db.selectFrom('journals').select('id').where('path', '=', BIG_JOURNAL_PATH).executeTakeFirstOrThrow();
  const issues = await db
    .selectFrom('issues as i')
    .leftJoin('publications as p', 'p.issue_id', 'i.id')
    .select(['i.id', 'i.is_current', sql<number>`count(p.id)::int`.as('articles')])
    .where('i.journal_id', '=', journal.id)
    .where('i.is_published', '=', true)
    .groupBy('i.id')
    .execute();
  // The special issue is the one whose title is shown (the generator gives no other issue a title).
  const special = await db.selectFrom('issues').select('id').where('journal_id', '=', journal.id).where('show_title', '=', true).executeTakeFirstOrThrow();
  const big = issues.find((i) => i.id === special.id)!;
  const current = issues.find((i) => i.is_current)!;
  const number = async (query: ReturnType<typeof sql<{ n: number }>>) => Number((await query.execute(db)).rows[0]!.n);
  return {
    journalId: journal.id,
    bigIssueId: big.id,
    bigIssueArticles: big.articles,
    currentIssueId: current.id,
    currentIssueArticles: current.articles,
    issues: issues.length,
    articles: await number(sql<{ n: number }>`SELECT count(*)::int AS n FROM articles WHERE journal_id = ${journal.id} AND status = 'published'`),
    users: await number(sql<{ n: number }>`SELECT count(*)::int AS n FROM role_assignments WHERE journal_id = ${journal.id} AND role = 'reader'`),
    submissions: await number(sql<{ n: number }>`SELECT count(*)::int AS n FROM submissions WHERE journal_id = ${journal.id}`),
    usageEvents: await number(sql<{ n: number }>`SELECT count(*)::int AS n FROM usage_events WHERE journal_id = ${journal.id}`),
    usageItemMonths: await number(sql<{ n: number }>`SELECT count(*)::int AS n FROM usage_item_months WHERE journal_id = ${journal.id}`),
  };
}

async function cases(db: Kysely<Database>, j: Awaited<ReturnType<typeof describe>>): Promise<PageCase[]> {
  const base = `/${BIG_JOURNAL_PATH}`;
  const lastArchivePage = Math.max(1, Math.ceil(j.issues / ARCHIVE_PAGE_SIZE));
  const publicationsOf = async (issueId: number) => (await db.selectFrom('publications').select('id').where('issue_id', '=', issueId).execute()).map((r) => r.id);
  const [bigIssuePublications, currentPublications] = await Promise.all([publicationsOf(j.bigIssueId), publicationsOf(j.currentIssueId)]);
  // An issue's rows by key: its publications, their authors and galleys (what its table of contents shows).
  const issueRows = async (d: Kysely<Database>, issueId: number, publicationIds: number[]) => {
    await d.selectFrom('issues').selectAll().where('id', '=', issueId).execute();
    await d.selectFrom('publications').select(['id', 'article_id', 'title', 'subtitle', 'prefix', 'pages', 'doi', 'section_id', 'seq']).where('id', 'in', publicationIds).execute();
    await d.selectFrom('contributors').select(['publication_id', 'given_name', 'family_name', 'orcid']).where('publication_id', 'in', publicationIds).execute();
    await d.selectFrom('galleys').select(['id', 'publication_id', 'label', 'file_id']).where('publication_id', 'in', publicationIds).execute();
  };
  const archiveIds = async (page: number) =>
    (await db.selectFrom('issues').select('id').where('journal_id', '=', j.journalId).where('is_published', '=', true).orderBy('date_published', 'desc').orderBy('id', 'desc').limit(ARCHIVE_PAGE_SIZE).offset((page - 1) * ARCHIVE_PAGE_SIZE).execute()).map((r) => r.id);
  const [firstArchive, lastArchive] = await Promise.all([archiveIds(1), archiveIds(lastArchivePage)]);
  const people = (await db.selectFrom('role_assignments').select('user_id').where('journal_id', '=', j.journalId).where('role', '=', 'reader').orderBy('user_id').limit(25).execute()).map((r) => r.user_id);
  const queue = (await db.selectFrom('submissions').select('id').where('journal_id', '=', j.journalId).where('status', '=', 'active').orderBy('submitted_at', 'desc').limit(50).execute()).map((r) => r.id);
  const { from, to } = lastTwelveMonths(new Date());
  const usageRange = (d: Kysely<Database>, publicationIds?: number[]) =>
    d
      .selectFrom('usage_item_months as u')
      .$if(publicationIds !== undefined, (q) => q.innerJoin('publications as p', 'p.article_id', 'u.article_id').where('p.id', 'in', publicationIds!))
      .select([sql<number>`count(*)`.as('n'), sql<number>`sum(u.investigations)`.as('i'), sql<number>`sum(u.requests)`.as('r')])
      .where('u.journal_id', '=', j.journalId)
      .where('u.month', '>=', from)
      .where('u.month', '<', to)
      .execute();
  return [
    {
      name: `issue table of contents (${j.bigIssueArticles} articles)`,
      url: `${base}/issue/view/${j.bigIssueId}`,
      as: 'reader',
      targetMs: 50,
      rows: matches(new RegExp(`href="${base}/article/view/\\d+"`, 'g')),
      baseline: (d) => issueRows(d, j.bigIssueId, bigIssuePublications),
    },
    {
      name: 'archive, first page',
      url: `${base}/issue/archive`,
      as: 'reader',
      targetMs: 50,
      rows: matches(/class="issue-list__title"/g),
      baseline: (d) => d.selectFrom('issues').selectAll().where('id', 'in', firstArchive).execute(),
    },
    {
      name: `archive, last page (${lastArchivePage})`,
      url: `${base}/issue/archive/${lastArchivePage}`,
      as: 'reader',
      targetMs: 50,
      rows: matches(/class="issue-list__title"/g),
      baseline: (d) => d.selectFrom('issues').selectAll().where('id', 'in', lastArchive).execute(),
    },
    {
      name: `journal home (current issue, ${j.currentIssueArticles} articles)`,
      url: base,
      as: 'reader',
      targetMs: 50,
      rows: matches(new RegExp(`href="${base}/article/view/\\d+"`, 'g')),
      baseline: (d) => issueRows(d, j.currentIssueId, currentPublications),
    },
    {
      name: 'people of the journal, first page',
      url: `${base}/management/users`,
      as: 'manager',
      targetMs: 100,
      rows: tableRows,
      baseline: (d) => d.selectFrom('users').selectAll().where('id', 'in', people).execute(),
    },
    {
      name: 'people, a name without diacritics',
      url: `${base}/management/users?search=wisniewski`,
      as: 'manager',
      targetMs: 100,
      rows: tableRows,
      baseline: (d) => d.selectFrom('users').selectAll().where('id', 'in', people).execute(),
    },
    {
      name: 'editorial dashboard, default queue',
      url: `${base}/dashboard/editorial`,
      as: 'manager',
      targetMs: 100,
      rows: matches(new RegExp(`href="${base}/workflow/index/\\d+"`, 'g')),
      baseline: (d) => d.selectFrom('submissions as s').innerJoin('articles as a', 'a.id', 's.id').innerJoin('publications as p', 'p.id', 'a.current_publication_id').select(['s.id', 's.status', 's.stage', 'p.title']).where('s.id', 'in', queue).execute(),
    },
    {
      name: 'editorial dashboard, search (a common title word)',
      url: `${base}/dashboard/editorial?search=security`,
      as: 'manager',
      targetMs: 100,
      rows: matches(new RegExp(`href="${base}/workflow/index/\\d+"`, 'g')),
      baseline: (d) => d.selectFrom('submissions as s').innerJoin('articles as a', 'a.id', 's.id').innerJoin('publications as p', 'p.id', 'a.current_publication_id').select(['s.id', 's.status', 's.stage', 'p.title']).where('s.id', 'in', queue).execute(),
    },
    {
      name: 'editorial dashboard, search (title word, name without diacritics)',
      url: `${base}/dashboard/editorial?search=security+wojcik`,
      as: 'manager',
      targetMs: 100,
      rows: matches(new RegExp(`href="${base}/workflow/index/\\d+"`, 'g')),
      baseline: (d) => d.selectFrom('submissions as s').innerJoin('articles as a', 'a.id', 's.id').innerJoin('publications as p', 'p.id', 'a.current_publication_id').select(['s.id', 's.status', 's.stage', 'p.title']).where('s.id', 'in', queue).execute(),
    },
    {
      name: 'usage statistics, last twelve months',
      url: `${base}/management/stats`,
      as: 'manager',
      targetMs: 1000,
      rows: tableRows,
      baseline: (d) => usageRange(d),
    },
    {
      name: 'usage statistics of the special issue',
      url: `${base}/management/stats?issue=${j.bigIssueId}`,
      as: 'manager',
      targetMs: 1000,
      rows: tableRows,
      baseline: (d) => usageRange(d, bigIssuePublications),
    },
  ];
}

/** The stats page's default range: the twelve months up to this one, as first days (YYYY-MM-DD). */
function lastTwelveMonths(now: Date): { from: string; to: string } {
  const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 11, 1)).toISOString().slice(0, 10);
  const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString().slice(0, 10);
  return { from, to };
}

async function time(rounds: number, work: () => Promise<unknown>): Promise<Timing> {
  for (let i = 0; i < WARM_UP; i++) await work();
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const started = performance.now();
    await work();
    times.push(performance.now() - started);
  }
  return { minMs: Math.min(...times), p50Ms: percentile(times, 50), p95Ms: percentile(times, 95) };
}

async function measure(name: string, handle: DatabaseHandle, generateSeconds: number | null): Promise<Run> {
  const loadAtStart = os.loadavg()[0]!;
  const j = await describe(handle.db);
  const filesRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'revista-big-journal-files-'));
  const changes = await watchContentChanges(handle);
  // The page cache off: every page is built from the database, as the first reader after a change finds it.
  const app = await buildApp({ config: { baseUrl: 'http://localhost:3000', pageCache: false }, database: handle, files: createFileStore(filesRoot), changes });
  try {
    await app.ready();
    const manager = new Session(app, { 'accept-language': 'en' });
    await manager.signIn(BIG_JOURNAL_MANAGER.email, BIG_JOURNAL_MANAGER.password, BIG_JOURNAL_PATH);
    const reader = new Session(app, { 'accept-language': 'en' });
    const pages: PageResult[] = [];
    for (const c of await cases(handle.db, j)) {
      const session = c.as === 'reader' ? reader : manager;
      const first = await session.get(c.url);
      if (first.statusCode !== 200) throw new Error(`${c.url} answered ${first.statusCode}`);
      const rows = c.rows(first.body);
      const timing = await time(ROUNDS, async () => {
        const response = await session.get(c.url);
        if (response.statusCode !== 200) throw new Error(`${c.url} answered ${response.statusCode}`);
      });
      const baseline = await time(ROUNDS, () => c.baseline(handle.db));
      const met = timing.p95Ms < c.targetMs;
      pages.push({ name: c.name, url: c.url, rows, bytes: Buffer.byteLength(first.body), ...timing, targetMs: c.targetMs, met, baseline });
      progress(
        `  ${name.padEnd(8)} ${c.name.padEnd(58)} ${String(rows).padStart(4)} rows ${String(Math.round(Buffer.byteLength(first.body) / 1024)).padStart(4)} KB  min ${fmt(timing.minMs)}  p50 ${fmt(timing.p50Ms)}  p95 ${fmt(timing.p95Ms)} ms  (baseline p50 ${fmt(baseline.p50Ms)}  p95 ${fmt(baseline.p95Ms)})  target p95 < ${c.targetMs} ms: ${met ? 'met' : 'MISSED'}`,
      );
    }
    progress(`  ${name}: load average ${loadAtStart.toFixed(1)} at the start, ${os.loadavg()[0]!.toFixed(1)} at the end`);
    return {
      database: name,
      generateSeconds,
      loadAverage: { start: loadAtStart, end: os.loadavg()[0]! },
      journal: { issues: j.issues, articles: j.articles, bigIssueArticles: j.bigIssueArticles, currentIssueArticles: j.currentIssueArticles, users: j.users, submissions: j.submissions, usageEvents: j.usageEvents, usageItemMonths: j.usageItemMonths },
      pages,
    };
  } finally {
    await app.close();
    await changes.close();
    fs.rmSync(filesRoot, { recursive: true, force: true });
  }
}

const fmt = (ms: number) => ms.toFixed(1).padStart(7);

async function main(): Promise<void> {
  const loadAtStart = os.loadavg();
  const sizes = bigJournalSizes();
  progress(`big journal: ${os.cpus().length} cores, load average ${loadAtStart.map((l) => l.toFixed(1)).join(' ')}; ${ROUNDS} requests a page after ${WARM_UP} to warm up`);
  let runs: Run[];
  const existingDir = process.env.BENCH_BIG_DATA_DIR;
  const existingUrl = process.env.BENCH_BIG_DATABASE_URL;
  if (existingDir || existingUrl) {
    const handle = existingUrl ? await openDatabase({ kind: 'postgres', url: existingUrl }) : await openDatabase({ kind: 'pglite', dataDir: path.join(path.resolve(existingDir!), 'db'), command: 'bench' });
    try {
      runs = [await measure(handle.kind, handle, null)];
    } finally {
      await handle.close();
    }
  } else {
    runs = await onEachDatabase('big-journal', process.env.BENCH_BIG_POSTGRES === 'off', async (name, handle) => {
      const journal = await generateBigJournal(handle, sizes, (line) => progress(`${name}: ${line}`));
      return measure(name, handle, journal.seconds);
    });
  }
  const met = runs.every((r) => r.pages.every((p) => p.met));
  const missed = runs.flatMap((r) => r.pages.filter((p) => !p.met).map((p) => `${r.database}: ${p.name} (p95 ${p.p95Ms.toFixed(1)} ms, target ${p.targetMs} ms)`));
  progress(met ? 'every target met' : `TARGETS MISSED:\n  ${missed.join('\n  ')}`);
  const report = {
    benchmark: 'big-journal',
    date: new Date().toISOString(),
    node: process.version,
    machine: { cores: os.cpus().length, memoryBytes: os.totalmem(), platform: `${os.platform()} ${os.arch()}` },
    loadAverage: { start: loadAtStart, end: os.loadavg() },
    sizes: existingDir || existingUrl ? 'as generated before' : sizes,
    rounds: ROUNDS,
    pageCache: 'off',
    runs,
    meetsTargets: met,
  };
  const out = path.join(ROOT, 'bench/results/big-journal.json');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  progress(`report: ${path.relative(process.cwd(), out)}`);
  if (!met) process.exitCode = 1;
}

await main();
