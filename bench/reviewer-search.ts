/**
 * `npm run bench` (reviewer search): `searchReviewers` — the editor's list of reviewers to choose
 * from, with each one's statistics — over 10,000 reviewers of one journal (BENCH_REVIEWERS to change)
 * with three interests each, 2,000 other accounts, 3,000 submissions (three contributors each, some of
 * them reviewers, so conflicts are found), 4,000 review rounds and about 50,000 past review requests
 * (mostly completed, rated, some declined, cancelled or under way), on PGlite and, when it answers, on
 * PostgreSQL (BENCH_REVIEWER_SEARCH_POSTGRES=off to skip). Everything is written with INSERT … SELECT
 * over generate_series. Times a page of 25 for: the first page by name, by fewest active reviews, a
 * name fragment typed without diacritics, an interest word, an affiliation word, a deep page, and the
 * same with a submission (conflicts and requests of its round), against a page of 25 accounts read by
 * key. OJS took 8 minutes for its reviewer form on a large journal (pkp-lib#3384).
 * Target: p95 < 100 ms on both databases. Writes bench/results/reviewer-search.json.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { migrateToLatest, type DatabaseHandle } from '../src/db/index.ts';
import { initialiseSite } from '../src/demo/index.ts';
import { searchReviewers, type ReviewerSearchOptions } from '../src/workflow/review/reviewer-search.ts';
import { onEachDatabase, percentile } from './measure.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const REVIEWERS = Number(process.env.BENCH_REVIEWERS ?? 10_000);
const OTHERS = 2_000;
const SUBMISSIONS = 3_000;
const REQUESTS = 50_000;
const ROUNDS = Number(process.env.BENCH_REVIEWER_SEARCH_ROUNDS ?? 20);
const TARGET_P95_MS = 100;
const PAGE = 25;

const GIVEN = ['Anna', 'Piotr', 'Małgorzata', 'Krzysztof', 'Agnieszka', 'Tomasz', 'Barbara', 'Paweł', 'Ewa', 'Michał', 'Zofia', 'Łukasz', 'John', 'Mary', 'Hans', 'Élodie'];
const FAMILY = ['Nowak', 'Kowalska', 'Wiśniewski', 'Wójcik', 'Kowalczyk', 'Kamińska', 'Lewandowski', 'Zielińska', 'Szymański', 'Woźniak', 'Dąbrowski', 'Kozłowska', 'Jankowski', 'Mazur', 'Kwiatkowska', 'Krawczyk', 'Piotrowski', 'Grabowska', 'Smith', 'Jones', 'Taylor', 'Brown', 'Müller', 'Dubois'];
const AFFILIATIONS = ['Uniwersytet Warszawski', 'Uniwersytet Łódzki', 'Uniwersytet Jagielloński', 'Politechnika Gdańska', 'Uniwersytet Wrocławski', 'University of Oxford', 'Charles University', 'Universität Wien', 'Sorbonne Université', 'Uniwersytet Mikołaja Kopernika', 'Polska Akademia Nauk', 'Uniwersytet Gdański'];
const INTERESTS = [
  'Migration studies', 'Memory politics', 'Energy security', 'Climate policy', 'Border regions', 'Language contact', 'Urban history', 'Electoral systems', 'Media studies', 'Diplomacy',
  'River management', 'Labour history', 'Religion and society', 'Archival science', 'Central Asia', 'The Caucasus', 'Baltic studies', 'Silesian history', 'Public health', 'Education policy',
  'Social movements', 'Nationalism', 'Trade policy', 'Security studies', 'Demography', 'Oral history', 'Literary translation', 'Cultural heritage', 'Gender studies', 'Economic history',
  'Political theory', 'Human rights', 'Environmental history', 'Digital humanities', 'Ethnography', 'Legal history', 'Postcolonial studies', 'Comparative politics', 'Cold War history', 'European integration',
];

const literal = (values: string[]) => sql`ARRAY[${sql.join(values)}]::text[]`;

async function generate(handle: DatabaseHandle): Promise<{ journalId: number; submissionId: number; seconds: number }> {
  const db = handle.db;
  const started = performance.now();
  await initialiseSite(db, { demo: true });
  const journalId = (await db.selectFrom('journals').select('id').where('path', '=', 'sm').executeTakeFirstOrThrow()).id;
  const sectionId = (await db.selectFrom('sections').select('id').where('journal_id', '=', journalId).orderBy('id').executeTakeFirstOrThrow()).id;
  // Deterministic spreads: multiplying by primes walks each list in an order unrelated to the others.
  await sql`
    CREATE TEMP TABLE bench_people AS
    SELECT i, nextval(pg_get_serial_sequence('users', 'id'))::int AS id FROM generate_series(1, ${REVIEWERS + OTHERS}) AS i`.execute(db);
  await sql`
    INSERT INTO users (id, email, email_verified_at, given_name, family_name, affiliation, orcid)
    SELECT id, 'reviewer' || i || '@example.org', now(),
      jsonb_build_object('pl', (${literal(GIVEN)})[1 + (i * 13) % ${GIVEN.length}]),
      jsonb_build_object('pl', (${literal(FAMILY)})[1 + (i * 31) % ${FAMILY.length}] || CASE WHEN i % 5 = 0 THEN '-' || (${literal(FAMILY)})[1 + (i * 11) % ${FAMILY.length}] ELSE '' END),
      jsonb_build_object('pl', (${literal(AFFILIATIONS)})[1 + (i * 17) % ${AFFILIATIONS.length}]),
      CASE WHEN i % 3 = 0 THEN '0000-000' || (i % 10) || '-' || lpad(((i * 7919) % 10000)::text, 4, '0') || '-' || lpad((i % 10000)::text, 4, '0') END
    FROM bench_people`.execute(db);
  await sql`
    INSERT INTO role_assignments (user_id, journal_id, role)
    SELECT id, ${journalId}::int, 'reviewer' FROM bench_people WHERE i <= ${REVIEWERS}
    UNION ALL SELECT id, ${journalId}::int, 'author' FROM bench_people WHERE i > ${REVIEWERS} OR i % 7 = 0`.execute(db);
  await sql`
    INSERT INTO reviewer_interests (user_id, interest)
    SELECT id, (${literal(INTERESTS)})[1 + (i * 7 + k * 13) % ${INTERESTS.length}]
    FROM bench_people CROSS JOIN generate_series(0, 2) AS k WHERE i <= ${REVIEWERS}`.execute(db);
  // Submissions (articles with a publication and three contributors: one in ten a reviewer), a round each, a second for a third of them.
  await sql`CREATE TEMP TABLE bench_sub AS SELECT i, nextval(pg_get_serial_sequence('articles', 'id'))::int AS id FROM generate_series(1, ${SUBMISSIONS}) AS i`.execute(db);
  await sql`INSERT INTO articles (id, journal_id, locale, status, date_submitted) SELECT id, ${journalId}::int, 'en', 'queued', timestamptz '2020-01-01' + i * interval '17 hours' FROM bench_sub`.execute(db);
  await sql`
    INSERT INTO publications (article_id, version, status, locale, title, section_id)
    SELECT id, 1, 'queued', 'en', jsonb_build_object('en', (${literal(INTERESTS)})[1 + (i * 11) % ${INTERESTS.length}] || ': a study ' || i), ${sectionId}::int FROM bench_sub`.execute(db);
  await sql`UPDATE articles a SET current_publication_id = p.id FROM publications p WHERE p.article_id = a.id AND a.id IN (SELECT id FROM bench_sub)`.execute(db);
  await sql`
    INSERT INTO submissions (id, journal_id, status, stage, progress, submitted_at, last_activity_at)
    SELECT id, ${journalId}::int, 'active', 'review', 'review', timestamptz '2020-01-01' + i * interval '17 hours', timestamptz '2020-01-02' + i * interval '17 hours' FROM bench_sub`.execute(db);
  await sql`
    INSERT INTO contributors (publication_id, given_name, family_name, affiliation, email, orcid, seq)
    SELECT p.id, u.given_name, u.family_name, u.affiliation, CASE WHEN (s.i + k) % 10 = 0 THEN u.email ELSE 'author' || s.i || '-' || k || '@example.org' END, u.orcid, k
    FROM bench_sub s JOIN publications p ON p.article_id = s.id CROSS JOIN generate_series(1, 3) AS k
      JOIN bench_people b ON b.i = 1 + (s.i * 37 + k * 1009) % ${REVIEWERS + OTHERS} JOIN users u ON u.id = b.id`.execute(db);
  await sql`
    INSERT INTO review_rounds (submission_id, round, created_at)
    SELECT id, 1, timestamptz '2020-01-05' + i * interval '17 hours' FROM bench_sub
    UNION ALL SELECT id, 2, timestamptz '2020-03-05' + i * interval '17 hours' FROM bench_sub WHERE i % 3 = 0`.execute(db);
  await sql`CREATE TEMP TABLE bench_round AS SELECT row_number() OVER (ORDER BY id)::int AS n, id, submission_id, created_at FROM review_rounds`.execute(db);
  // Requests spread over the rounds and reviewers: mostly completed (5–64 days, seven in ten rated), some declined, cancelled, or under way.
  await sql`
    INSERT INTO review_assignments (submission_id, review_round_id, reviewer_id, anonymity, status, requested_at, response_due, review_due, responded_at, submitted_at, rating, link_nonce)
    SELECT r.submission_id, r.id, b.id, 'double-anonymous', st.status, r.created_at, r.created_at + interval '7 days', r.created_at + interval '28 days',
      CASE WHEN st.status <> 'requested' THEN r.created_at + interval '2 days' END,
      CASE WHEN st.status = 'submitted' THEN r.created_at + (5 + (n.n * 13) % 60) * interval '1 day' END,
      CASE WHEN st.status = 'submitted' AND n.n % 10 < 7 THEN 1 + (n.n * 7) % 5 END,
      md5(n.n::text)
    FROM generate_series(1, ${REQUESTS}) AS n(n)
    JOIN bench_round r ON r.n = 1 + n.n % (SELECT count(*) FROM bench_round)
    JOIN bench_people b ON b.i = 1 + (n.n * 7919 + (n.n / (SELECT count(*) FROM bench_round)) * 4099) % ${REVIEWERS}
    CROSS JOIN LATERAL (SELECT CASE WHEN n.n % 100 < 82 THEN 'submitted' WHEN n.n % 100 < 90 THEN 'declined' WHEN n.n % 100 < 94 THEN 'cancelled' WHEN n.n % 100 < 97 THEN 'accepted' ELSE 'requested' END AS status) AS st
    ON CONFLICT DO NOTHING`.execute(db);
  // The submission the conflicts are worked out for: one in its second round, with requests in it.
  const submissionId = (await sql<{ id: number }>`SELECT id FROM bench_sub WHERE i = 300`.execute(db)).rows[0]!.id;
  await sql`DROP TABLE bench_people, bench_sub, bench_round`.execute(db);
  for (const table of ['users', 'role_assignments', 'reviewer_interests', 'articles', 'publications', 'submissions', 'contributors', 'review_rounds', 'review_assignments']) await sql`ANALYZE ${sql.table(table)}`.execute(db);
  return { journalId, submissionId, seconds: (performance.now() - started) / 1000 };
}

interface Case {
  name: string;
  options: Omit<ReviewerSearchOptions, 'journalId' | 'limit' | 'page'> & { page?: number };
}

function cases(submissionId: number): Case[] {
  return [
    { name: 'first page, by name', options: {} },
    { name: 'first page, fewest active reviews', options: { sort: 'fewest-active' } },
    { name: 'name fragment without diacritics', options: { query: 'wisniew' } },
    { name: 'given and family name', options: { query: 'anna nowak' } },
    { name: 'interest word', options: { interest: 'migra' } },
    { name: 'affiliation word', options: { affiliation: 'jagiell' } },
    { name: 'page 40, by name', options: { page: 40 } },
    { name: 'found nowhere', options: { query: 'qxzqxz' } },
    { name: 'with a submission: first page', options: { submissionId } },
    { name: 'with a submission: interest, fewest active', options: { submissionId, interest: 'history', sort: 'fewest-active' } },
    { name: 'with a submission: name and affiliation', options: { submissionId, query: 'nowak', affiliation: 'uniwersytet' } },
  ];
}

interface RunResult {
  database: string;
  reviewers: number;
  reviewRequests: number;
  generateSeconds: number;
  p50Ms: number;
  p95Ms: number;
  meetsTarget: boolean;
  /** The floor: a page of 25 accounts read by primary key, same rounds. */
  baseline: { p50Ms: number; p95Ms: number };
  queries: Array<{ name: string; found: number; conflicts: number; p50Ms: number; p95Ms: number }>;
}

async function run(name: string, handle: DatabaseHandle): Promise<RunResult> {
  await migrateToLatest(handle.db);
  console.log(`${name}: generating ${REVIEWERS} reviewers and ${REQUESTS} review requests…`);
  const { journalId, submissionId, seconds } = await generate(handle);
  const requests = Number((await sql<{ n: string }>`SELECT count(*) AS n FROM review_assignments`.execute(handle.db)).rows[0]!.n);
  console.log(`${name}: generated in ${seconds.toFixed(1)} s (${requests} review requests)`);
  const list = cases(submissionId);
  const search = (c: Case) => searchReviewers(handle.db, { journalId, ...c.options, page: c.options.page ?? 1, limit: PAGE });
  // One warm-up round: the first query of a kind pays for planning and cold pages.
  for (const c of list) await search(c);
  const times = new Map<string, number[]>(list.map((c) => [c.name, []]));
  const found = new Map<string, { total: number; conflicts: number }>();
  const all: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const c of list) {
      const started = performance.now();
      const result = await search(c);
      const ms = performance.now() - started;
      times.get(c.name)!.push(ms);
      all.push(ms);
      found.set(c.name, { total: result.total, conflicts: result.rows.reduce((n, r) => n + r.conflicts.length, 0) });
    }
  }
  const queries: RunResult['queries'] = [];
  for (const c of list) {
    const t = times.get(c.name)!;
    const f = found.get(c.name)!;
    queries.push({ name: c.name, found: f.total, conflicts: f.conflicts, p50Ms: percentile(t, 50), p95Ms: percentile(t, 95) });
    console.log(`  ${c.name.padEnd(46)} ${String(f.total).padStart(6)} found ${String(f.conflicts).padStart(3)} conflicts   p50 ${percentile(t, 50).toFixed(1).padStart(6)} ms   p95 ${percentile(t, 95).toFixed(1).padStart(6)} ms`);
  }
  const floor: number[] = [];
  for (let round = 0; round < ROUNDS * list.length; round++) {
    const started = performance.now();
    await handle.db.selectFrom('users').selectAll().where('id', '>', (round * 997) % REVIEWERS).orderBy('id').limit(PAGE).execute();
    floor.push(performance.now() - started);
  }
  const baseline = { p50Ms: percentile(floor, 50), p95Ms: percentile(floor, 95) };
  console.log(`${name}: baseline (a page of ${PAGE} accounts by key) p50 ${baseline.p50Ms.toFixed(1)} ms, p95 ${baseline.p95Ms.toFixed(1)} ms`);
  const p95 = percentile(all, 95);
  console.log(`${name}: all searches p50 ${percentile(all, 50).toFixed(1)} ms, p95 ${p95.toFixed(1)} ms (target < ${TARGET_P95_MS} ms)`);
  return { database: name, reviewers: REVIEWERS, reviewRequests: requests, generateSeconds: seconds, p50Ms: percentile(all, 50), p95Ms: p95, meetsTarget: p95 < TARGET_P95_MS, baseline, queries };
}

const loadAtStart = os.loadavg();
const results = await onEachDatabase('reviewer-search', process.env.BENCH_REVIEWER_SEARCH_POSTGRES === 'off', run);
fs.mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
fs.writeFileSync(
  path.join(ROOT, 'bench/results/reviewer-search.json'),
  `${JSON.stringify({ benchmark: 'reviewer-search', date: new Date().toISOString(), reviewers: REVIEWERS, rounds: ROUNDS, pageSize: PAGE, target: { p95Ms: TARGET_P95_MS }, loadAverage: { start: loadAtStart, end: os.loadavg(), cpus: os.cpus().length }, runs: results }, null, 2)}\n`,
);
if (results.some((r) => !r.meetsTarget)) process.exitCode = 1;
