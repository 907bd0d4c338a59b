/**
 * `npm run bench` (user search): the people lists of the site administrator and of a journal's
 * manager over 100,000 generated accounts (BENCH_USERS to change), on the embedded database and,
 * when it answers, on PostgreSQL (BENCH_USER_SEARCH_POSTGRES=off to skip). Accounts are written in
 * one INSERT … SELECT over generate_series (names with Polish diacritics, affiliations, ORCID iDs for
 * a third), every one a reader of the demo journal, some authors, editors, managers, and a tenth in a
 * second journal. Times `listUsers` — the query behind both lists: a page of 25 and the capped
 * count — for a fixed mix of searches (a family name typed without diacritics, given and family
 * name, an address, an address domain, an ORCID fragment, an affiliation word, a role filter, two
 * letters, a word found nowhere, a deep page, each sort), against a baseline in the same run: a page
 * of 25 accounts read by primary key. Target: p95 < 100 ms on both databases.
 * Writes bench/results/user-search.json.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { listUsers, type UserListOptions } from '../src/accounts/index.ts';
import { migrateToLatest, type DatabaseHandle } from '../src/db/index.ts';
import { createJournal } from '../src/catalog/index.ts';
import { initialiseSite } from '../src/demo/index.ts';
import { onEachDatabase, percentile } from './measure.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const USERS = Number(process.env.BENCH_USERS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_USER_SEARCH_ROUNDS ?? 20);
const TARGET_P95_MS = 100;
const PAGE = 25;

const GIVEN = ['Anna', 'Piotr', 'Małgorzata', 'Krzysztof', 'Agnieszka', 'Tomasz', 'Barbara', 'Paweł', 'Ewa', 'Michał', 'Zofia', 'Łukasz', 'John', 'Mary', 'Hans', 'Élodie'];
const FAMILY = ['Nowak', 'Kowalska', 'Wiśniewski', 'Wójcik', 'Kowalczyk', 'Kamińska', 'Lewandowski', 'Zielińska', 'Szymański', 'Woźniak', 'Dąbrowski', 'Kozłowska', 'Jankowski', 'Mazur', 'Kwiatkowska', 'Krawczyk', 'Piotrowski', 'Grabowska', 'Smith', 'Jones', 'Taylor', 'Brown', 'Müller', 'Dubois'];
const AFFILIATIONS = ['Uniwersytet Warszawski', 'Uniwersytet Łódzki', 'Uniwersytet Jagielloński', 'Politechnika Gdańska', 'Uniwersytet Wrocławski', 'University of Oxford', 'Charles University', 'Universität Wien', 'Sorbonne Université', 'Uniwersytet Mikołaja Kopernika'];
const DOMAINS = ['example.org', 'uw.edu.pl', 'uni.lodz.pl', 'uj.edu.pl', 'gmail.com', 'ox.ac.uk'];

const literal = (values: string[]) => sql`ARRAY[${sql.join(values)}]::text[]`;

async function generate(handle: DatabaseHandle): Promise<{ journalId: number; seconds: number }> {
  const db = handle.db;
  const started = performance.now();
  await initialiseSite(db, { demo: true });
  const journalId = (await db.selectFrom('journals').select('id').where('path', '=', 'sm').executeTakeFirstOrThrow()).id;
  const second = await createJournal(db, { path: 'second', name: { en: 'Second Journal', pl: 'Drugie Czasopismo' }, primaryLocale: 'en', supportedLocales: ['en', 'pl'] });
  // Deterministic spreads: multiplying by primes walks each list in an order unrelated to the others.
  await sql`
    INSERT INTO users (email, email_verified_at, given_name, family_name, affiliation, orcid, created_at)
    SELECT 'person' || i || '@' || (${literal(DOMAINS)})[1 + (i * 7) % ${DOMAINS.length}],
      now(),
      jsonb_build_object('pl', (${literal(GIVEN)})[1 + (i * 13) % ${GIVEN.length}]),
      jsonb_build_object('pl', (${literal(FAMILY)})[1 + (i * 31) % ${FAMILY.length}] || CASE WHEN i % 5 = 0 THEN '-' || (${literal(FAMILY)})[1 + (i * 11) % ${FAMILY.length}] ELSE '' END),
      jsonb_build_object('pl', (${literal(AFFILIATIONS)})[1 + (i * 17) % ${AFFILIATIONS.length}], 'en', (${literal(AFFILIATIONS)})[1 + (i * 17) % ${AFFILIATIONS.length}]),
      CASE WHEN i % 3 = 0 THEN '0000-000' || (i % 10) || '-' || lpad(((i * 7919) % 10000)::text, 4, '0') || '-' || lpad((i % 10000)::text, 4, '0') END,
      timestamptz '2020-01-01' + (i * interval '17 minutes')
    FROM generate_series(1, ${USERS}) AS i
  `.execute(db);
  await sql`
    INSERT INTO role_assignments (user_id, journal_id, role)
    SELECT id, ${journalId}::int, 'reader' FROM users
    UNION ALL SELECT id, ${journalId}::int, 'author' FROM users WHERE id % 50 = 0
    UNION ALL SELECT id, ${journalId}::int, 'editor' FROM users WHERE id % 500 = 0
    UNION ALL SELECT id, ${journalId}::int, 'manager' FROM users WHERE id % 20000 = 0
    UNION ALL SELECT id, ${second}::int, 'reader' FROM users WHERE id % 10 = 0
  `.execute(db);
  await sql`ANALYZE users`.execute(db);
  await sql`ANALYZE role_assignments`.execute(db);
  return { journalId, seconds: (performance.now() - started) / 1000 };
}

interface Case {
  name: string;
  options: Omit<UserListOptions, 'limit' | 'offset'> & { page?: number };
}

function cases(journalId: number): Case[] {
  return [
    { name: 'site list, sorted by name', options: {} },
    { name: 'site list, newest first', options: { sort: 'registered', dir: 'desc' } },
    { name: 'site list, by email, page 40', options: { sort: 'email', page: 40 } },
    { name: 'family name without diacritics', options: { search: 'wisniew' } },
    { name: 'given and family name', options: { search: 'mary zielinska' } },
    { name: 'one address', options: { search: 'person73519@' } },
    { name: 'address domain', options: { search: 'ox.ac.uk' } },
    { name: 'ORCID fragment', options: { search: '7919' } },
    { name: 'affiliation word', options: { search: 'jagiell' } },
    { name: 'two letters', options: { search: 'ew' } },
    { name: 'found nowhere', options: { search: 'qxzqxz' } },
    { name: 'role filter: editors anywhere', options: { role: 'editor' } },
    { name: 'journal list, sorted by name', options: { journalId } },
    { name: 'journal list, name search', options: { journalId, search: 'kaminsk' } },
    { name: 'journal list, managers', options: { journalId, role: 'manager' } },
    { name: 'journal list, authors by email desc', options: { journalId, role: 'author', sort: 'email', dir: 'desc' } },
  ];
}

interface RunResult {
  database: string;
  users: number;
  generateSeconds: number;
  p50Ms: number;
  p95Ms: number;
  meetsTarget: boolean;
  /** The floor: a page of 25 accounts read by primary key, no search, no count, same rounds. */
  baseline: { p50Ms: number; p95Ms: number };
  queries: Array<{ name: string; found: number; more: boolean; p50Ms: number; p95Ms: number }>;
}

async function run(name: string, handle: DatabaseHandle): Promise<RunResult> {
  await migrateToLatest(handle.db);
  console.log(`${name}: generating ${USERS} people…`);
  const { journalId, seconds } = await generate(handle);
  console.log(`${name}: generated in ${seconds.toFixed(1)} s`);
  const all: number[] = [];
  const queries: RunResult['queries'] = [];
  const list = cases(journalId);
  // One warm-up round: the first query of a kind pays for planning and cold pages.
  for (const c of list) await listUsers(handle.db, { ...c.options, limit: PAGE, offset: ((c.options.page ?? 1) - 1) * PAGE });
  const times = new Map<string, number[]>(list.map((c) => [c.name, []]));
  const found = new Map<string, { total: number; more: boolean }>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const c of list) {
      const started = performance.now();
      const result = await listUsers(handle.db, { ...c.options, limit: PAGE, offset: ((c.options.page ?? 1) - 1) * PAGE });
      const ms = performance.now() - started;
      times.get(c.name)!.push(ms);
      all.push(ms);
      found.set(c.name, { total: result.total, more: result.more });
    }
  }
  for (const c of list) {
    const t = times.get(c.name)!;
    const f = found.get(c.name)!;
    queries.push({ name: c.name, found: f.total, more: f.more, p50Ms: percentile(t, 50), p95Ms: percentile(t, 95) });
    console.log(`  ${c.name.padEnd(40)} ${`${f.more ? '>' : ' '}${f.total}`.padStart(7)} found   p50 ${percentile(t, 50).toFixed(1).padStart(6)} ms   p95 ${percentile(t, 95).toFixed(1).padStart(6)} ms`);
  }
  // The baseline in the same run: what any page of 25 accounts costs through the same connection.
  const floor: number[] = [];
  for (let round = 0; round < ROUNDS * list.length; round++) {
    const started = performance.now();
    await handle.db.selectFrom('users').selectAll().where('id', '>', (round * 997) % USERS).orderBy('id').limit(PAGE).execute();
    floor.push(performance.now() - started);
  }
  const baseline = { p50Ms: percentile(floor, 50), p95Ms: percentile(floor, 95) };
  console.log(`${name}: baseline (a page of ${PAGE} accounts by key) p50 ${baseline.p50Ms.toFixed(1)} ms, p95 ${baseline.p95Ms.toFixed(1)} ms`);
  const p95 = percentile(all, 95);
  console.log(`${name}: all searches p50 ${percentile(all, 50).toFixed(1)} ms, p95 ${p95.toFixed(1)} ms (target < ${TARGET_P95_MS} ms)`);
  return { database: name, users: USERS, generateSeconds: seconds, p50Ms: percentile(all, 50), p95Ms: p95, meetsTarget: p95 < TARGET_P95_MS, baseline, queries };
}

const loadAtStart = os.loadavg();
const results = await onEachDatabase('user-search', process.env.BENCH_USER_SEARCH_POSTGRES === 'off', run);
fs.mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
fs.writeFileSync(
  path.join(ROOT, 'bench/results/user-search.json'),
  `${JSON.stringify({ benchmark: 'user-search', date: new Date().toISOString(), users: USERS, rounds: ROUNDS, pageSize: PAGE, target: { p95Ms: TARGET_P95_MS }, loadAverage: { start: loadAtStart, end: os.loadavg(), cpus: os.cpus().length }, runs: results }, null, 2)}\n`,
);
if (results.some((r) => !r.meetsTarget)) process.exitCode = 1;
