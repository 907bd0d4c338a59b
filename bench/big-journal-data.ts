/**
 * `npm run bench:data`: fills a database with a big journal (issue 22, "Big journals"), for the
 * big-journal benchmark (bench/big-journal.ts, which imports `generateBigJournal`) or to try the site
 * by hand. At full size (BENCH_SCALE=1):
 * - a journal `big` with six sections and 1,000 published issues (twelve a year), one of them a
 *   special issue of 500 articles, the newest the current issue;
 * - 50,000 published articles, each with one to four authors (names in Polish and English,
 *   affiliations, an ORCID iD for some), a PDF galley, an HTML one for a fifth, a DOI, an abstract;
 * - 100,000 people, every one a reader of the journal, 5 % authors, 3 % reviewers, and a few editors,
 *   section editors, copyeditors, layout editors and managers;
 * - 10,000 submissions in the workflow: drafts, new, in review (one or two rounds, three review
 *   requests each, some answered), in copyediting and production, declined, and the newest published
 *   articles as published submissions; with their authors, editors, decisions, files and activity;
 * - 10,000,000 COUNTER usage events over the last twelve months (article views, downloads, tables of
 *   contents, home pages; 5 % from robots, 2 % double clicks), stored as the recorder stores them
 *   (filtered ones marked, stats/recorder.ts) and rolled up into usage_item_months as stats/rollup.ts
 *   keeps it, month by month.
 * Everything is written set-based (INSERT … SELECT over generate_series), with the catalog's triggers
 * on, as any writer leaves the database (OAI records, the search queue).
 *
 * Sizes: BENCH_SCALE multiplies them all (0.01 for development); BENCH_BIG_USERS, BENCH_BIG_ISSUES,
 * BENCH_BIG_ISSUE_ARTICLES, BENCH_BIG_ARTICLES, BENCH_BIG_SUBMISSIONS, BENCH_BIG_USAGE_EVENTS set one.
 * Target: DATABASE_URL (PostgreSQL) when set, else the embedded database in DATA_DIR (default ./data),
 * which must not hold the journal `big` yet. Then `DATA_DIR=… npm start` serves it; the manager signs
 * in as printed at the end.
 */
import path from 'node:path';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { createUserWithRole } from '../src/accounts/index.ts';
import { createJournal, createSection } from '../src/catalog/index.ts';
import { migrateToLatest, openDatabase, type Database, type DatabaseHandle, type RoleName } from '../src/db/index.ts';
import { initialiseSite } from '../src/demo/index.ts';

export const BIG_JOURNAL_PATH = 'big';
export const BIG_JOURNAL_MANAGER = { email: 'big-manager@example.org', password: 'a long enough password' };

export interface BigJournalSizes {
  users: number;
  issues: number;
  /** Articles of the special issue (its table of contents is what OJS took minutes for). */
  bigIssueArticles: number;
  /** Published articles in all, those of the special issue included. */
  articles: number;
  submissions: number;
  usageEvents: number;
}

const FULL: BigJournalSizes = { users: 100_000, issues: 1_000, bigIssueArticles: 500, articles: 50_000, submissions: 10_000, usageEvents: 10_000_000 };
const ENV: Record<keyof BigJournalSizes, string> = {
  users: 'BENCH_BIG_USERS',
  issues: 'BENCH_BIG_ISSUES',
  bigIssueArticles: 'BENCH_BIG_ISSUE_ARTICLES',
  articles: 'BENCH_BIG_ARTICLES',
  submissions: 'BENCH_BIG_SUBMISSIONS',
  usageEvents: 'BENCH_BIG_USAGE_EVENTS',
};
/** The least of each that still makes the journal's shape (two issues, a role of each kind…). */
const LEAST: BigJournalSizes = { users: 200, issues: 2, bigIssueArticles: 5, articles: 20, submissions: 40, usageEvents: 1_000 };

/** The sizes asked for by the environment (see the file's comment). */
export function bigJournalSizes(env: NodeJS.ProcessEnv = process.env): BigJournalSizes {
  const scale = Number(env.BENCH_SCALE ?? 1);
  if (!(scale > 0)) throw new Error(`BENCH_SCALE must be a positive number, not ${env.BENCH_SCALE}`);
  const sizes = { ...FULL };
  for (const key of Object.keys(FULL) as Array<keyof BigJournalSizes>) {
    const given = env[ENV[key]];
    const value = given !== undefined && given !== '' ? Number(given) : Math.round(FULL[key] * scale);
    if (!Number.isInteger(value) || value < 0) throw new Error(`${ENV[key]} must be a whole number, not ${given}`);
    sizes[key] = Math.max(LEAST[key], value);
  }
  // Every issue but the special one holds at least one article; the published submissions are the newest articles.
  sizes.articles = Math.max(sizes.articles, sizes.bigIssueArticles + sizes.issues - 1 + Math.ceil(sizes.submissions * PUBLISHED_SHARE));
  return sizes;
}

/** Of the submissions, this share are the newest published articles (the rest are in the workflow). */
const PUBLISHED_SHARE = 0.07;
const SECTIONS = ['Articles', 'Essays', 'Reviews', 'Analyses', 'Documents', 'Notes'];
const GIVEN = ['Anna', 'Piotr', 'Małgorzata', 'Krzysztof', 'Agnieszka', 'Tomasz', 'Barbara', 'Paweł', 'Ewa', 'Michał', 'Zofia', 'Łukasz', 'John', 'Mary', 'Hans', 'Élodie'];
const FAMILY = ['Nowak', 'Kowalska', 'Wiśniewski', 'Wójcik', 'Kowalczyk', 'Kamińska', 'Lewandowski', 'Zielińska', 'Szymański', 'Woźniak', 'Dąbrowski', 'Kozłowska', 'Jankowski', 'Mazur', 'Kwiatkowska', 'Krawczyk', 'Piotrowski', 'Grabowska', 'Smith', 'Jones', 'Taylor', 'Brown', 'Müller', 'Dubois'];
const AFFILIATIONS = ['Uniwersytet Warszawski', 'Uniwersytet Łódzki', 'Uniwersytet Jagielloński', 'Politechnika Gdańska', 'Uniwersytet Wrocławski', 'University of Oxford', 'Charles University', 'Universität Wien', 'Sorbonne Université', 'Uniwersytet Mikołaja Kopernika'];
const DOMAINS = ['example.org', 'uw.edu.pl', 'uni.lodz.pl', 'uj.edu.pl', 'gmail.com', 'ox.ac.uk'];
const WORDS_EN = ['Migration', 'Borders', 'Memory', 'Energy', 'Security', 'Trade', 'Language', 'Cities', 'Climate', 'Elections', 'Media', 'Diplomacy', 'Rivers', 'Labour', 'Faith', 'Archives', 'Alliances', 'Sanctions', 'Treaties', 'Minorities'];
const WORDS_PL = ['Migracja', 'Granice', 'Pamięć', 'Energia', 'Bezpieczeństwo', 'Handel', 'Język', 'Miasta', 'Klimat', 'Wybory', 'Media', 'Dyplomacja', 'Rzeki', 'Praca', 'Wiara', 'Archiwa', 'Sojusze', 'Sankcje', 'Traktaty', 'Mniejszości'];
const PLACES = ['Poland', 'the Caucasus', 'Łódź', 'Kraków', 'Gdańsk', 'Ukraine', 'the Baltic', 'Silesia', 'Warsaw', 'Central Asia', 'the Balkans', 'Scandinavia'];
const ABSTRACT =
  'The article examines how states and societies in the region negotiated the questions of security, trade and identity after the end of the Cold War. ' +
  'Drawing on archival sources, interviews and a dataset of treaties, it argues that institutional memory shaped the choices of governments more than material interests did, ' +
  'and that the regional organisations served as arenas in which these memories were contested. The findings bear on the debates about European integration and its limits.';

const literal = (values: string[]) => sql`ARRAY[${sql.join(values)}]::text[]`;
const intArray = (values: number[]) => sql`ARRAY[${sql.join(values.length ? values : [0])}]::int[]`;
/** The `i`-th element (0-based, any integer) of a text array, walking it in an order set by `prime`. */
const pick = (values: string[], i: RawBuilder<unknown> | string, prime = 1) => sql`(${literal(values)})[1 + ((${typeof i === 'string' ? sql.raw(i) : i}) * ${prime}) % ${values.length}]`;

export interface BigJournal {
  journalId: number;
  path: string;
  sizes: BigJournalSizes;
  /** The special issue of `bigIssueArticles` articles. */
  bigIssueId: number;
  currentIssueId: number;
  /** Articles in the current issue (shown on the journal's home page). */
  currentIssueArticles: number;
  sectionIds: number[];
  manager: { email: string; password: string };
  /** Usage is generated for these months (YYYY-MM), the current one last. */
  usageMonths: string[];
  seconds: number;
  steps: Array<{ step: string; rows: number; seconds: number }>;
}

/** A line of progress, out at once even through a pipe (a single write per line). */
export function progress(line: string): void {
  process.stdout.write(`${line}\n`);
}

const count = (n: number) => n.toLocaleString('en-US');

/**
 * A bigint column hashed into 0…buckets-1 (a multiplicative hash over 32 bits). Each use takes its own
 * odd multiplier: one shared by two columns that depend on each other (an action and its session)
 * would make their buckets depend on each other too.
 */
const hash = (column: string, buckets: number, multiplier: 2654435761 | 2246822519 | 3266489917) =>
  sql`((${sql.raw(column)} * ${sql.raw(String(multiplier))} % 4294967296) * ${buckets}::int / 4294967296)::int`;

async function nextIds(db: Kysely<Database>, table: string): Promise<number> {
  const row = await sql<{ m: number }>`SELECT coalesce(max(id), 0)::int AS m FROM ${sql.table(table)}`.execute(db);
  return Number(row.rows[0]!.m) + 1;
}

async function syncSequence(db: Kysely<Database>, table: string): Promise<void> {
  await sql`SELECT setval(pg_get_serial_sequence(${table}, 'id'), (SELECT max(id) FROM ${sql.table(table)}))`.execute(db);
}

async function ids(db: Kysely<Database>, journalId: number, role: RoleName): Promise<number[]> {
  const rows = await db.selectFrom('role_assignments').select('user_id').where('journal_id', '=', journalId).where('role', '=', role).orderBy('user_id').execute();
  return rows.map((r) => r.user_id);
}

/**
 * Writes the big journal into a migrated database (the demo journal may be there or not) and says
 * how it went on `log`. Refuses when the journal `big` exists already.
 */
export async function generateBigJournal(handle: DatabaseHandle, sizes: BigJournalSizes, log: (line: string) => void = progress, now = new Date()): Promise<BigJournal> {
  const db = handle.db;
  const started = performance.now();
  const steps: BigJournal['steps'] = [];
  const step = async <T extends number>(name: string, work: () => Promise<T>): Promise<T> => {
    const t = performance.now();
    const rows = await work();
    const seconds = (performance.now() - t) / 1000;
    steps.push({ step: name, rows, seconds });
    log(`  ${name.padEnd(48)} ${count(rows).padStart(12)} rows  ${seconds.toFixed(1).padStart(7)} s`);
    return rows;
  };
  log(`big journal (${handle.kind}): ${count(sizes.issues)} issues, a special issue of ${count(sizes.bigIssueArticles)}, ${count(sizes.articles)} articles, ${count(sizes.users)} people, ${count(sizes.submissions)} submissions, ${count(sizes.usageEvents)} usage events`);
  await migrateToLatest(db);
  await initialiseSite(db, { demo: false });
  if (await db.selectFrom('journals').select('id').where('path', '=', BIG_JOURNAL_PATH).executeTakeFirst()) {
    throw new Error(`the database already holds a journal "${BIG_JOURNAL_PATH}": use an empty DATA_DIR or database`);
  }

  const journalId = await createJournal(db, {
    path: BIG_JOURNAL_PATH,
    name: { en: 'Journal of Big Numbers', pl: 'Czasopismo Wielkich Liczb' },
    primaryLocale: 'en',
    supportedLocales: ['en', 'pl'],
    onlineIssn: '2719-4515',
    publisher: 'Revista benchmark',
    licenseUrl: 'https://creativecommons.org/licenses/by/4.0/',
  });
  const sectionIds: number[] = [];
  for (const [i, title] of SECTIONS.entries()) sectionIds.push(await createSection(db, { journalId, title: { en: title }, seq: i }));
  const manager = await createUserWithRole(db, { ...BIG_JOURNAL_MANAGER, role: 'manager', journalId, givenName: 'Maria', now });

  const { users: U, issues: I, bigIssueArticles: B, articles: N, submissions: S, usageEvents: E } = sizes;

  // People: person i (1…U) has id u0 + i.
  const u0 = (await nextIds(db, 'users')) - 1;
  await step('people', async () => {
    await sql`
      INSERT INTO users (id, email, email_verified_at, given_name, family_name, affiliation, orcid, created_at)
      SELECT ${u0}::int + i, 'person' || i || '@' || ${pick(DOMAINS, 'i', 7)}, now(),
        jsonb_build_object('pl', ${pick(GIVEN, 'i', 13)}),
        jsonb_build_object('pl', ${pick(FAMILY, 'i', 31)} || CASE WHEN i % 5 = 0 THEN '-' || ${pick(FAMILY, 'i', 11)} ELSE '' END),
        jsonb_build_object('pl', ${pick(AFFILIATIONS, 'i', 17)}, 'en', ${pick(AFFILIATIONS, 'i', 17)}),
        CASE WHEN i % 3 = 0 THEN '0000-000' || (i % 10) || '-' || lpad(((i * 7919) % 10000)::text, 4, '0') || '-' || lpad((i % 10000)::text, 4, '0') END,
        timestamptz '2015-01-01' + (i * interval '37 minutes')
      FROM generate_series(1, ${U}::int) AS i
    `.execute(db);
    await syncSequence(db, 'users');
    return U;
  });
  await step('roles', async () => {
    // Everyone reads; every 20th writes, every 33rd reviews; the team is a few dozen (at least one of each).
    const team = Math.max(1, Math.round(U / 10_000));
    const result = await sql`
      INSERT INTO role_assignments (user_id, journal_id, role)
      SELECT ${u0}::int + i, ${journalId}::int, 'reader' FROM generate_series(1, ${U}::int) AS i
      UNION ALL SELECT ${u0}::int + i, ${journalId}::int, 'author' FROM generate_series(1, ${U}::int) AS i WHERE i % 20 = 0
      UNION ALL SELECT ${u0}::int + i, ${journalId}::int, 'reviewer' FROM generate_series(1, ${U}::int) AS i WHERE i % 33 = 0
      UNION ALL SELECT ${u0}::int + 1 + 97 * t, ${journalId}::int, 'editor' FROM generate_series(0, ${team - 1}::int) AS t
      UNION ALL SELECT ${u0}::int + 2 + 97 * t, ${journalId}::int, 'section-editor' FROM generate_series(0, ${2 * team - 1}::int) AS t
      UNION ALL SELECT ${u0}::int + 3 + 97 * t, ${journalId}::int, 'copyeditor' FROM generate_series(0, ${team - 1}::int) AS t
      UNION ALL SELECT ${u0}::int + 4 + 97 * t, ${journalId}::int, 'layout-editor' FROM generate_series(0, ${team - 1}::int) AS t
      UNION ALL SELECT ${u0}::int + 5 + 97 * t, ${journalId}::int, 'manager' FROM generate_series(0, ${Math.max(1, Math.round(team / 4)) - 1}::int) AS t
    `.execute(db);
    return Number(result.numAffectedRows ?? 0);
  });

  // Issues: issue q (0 = oldest … I-1 = newest, the current one), twelve a year up to this month.
  const i0 = await nextIds(db, 'issues');
  const bigIssueIndex = Math.floor(I / 2);
  const lastYear = now.getUTCFullYear();
  const lastMonth = now.getUTCMonth(); // 0-based
  await step('issues', async () => {
    await sql`
      WITH q AS (SELECT q, (${lastYear * 12 + lastMonth}::int - (${I - 1}::int - q)) AS m FROM generate_series(0, ${I - 1}::int) AS q)
      INSERT INTO issues (id, journal_id, volume, number, year, title, show_title, is_published, is_current, date_published, seq)
      SELECT ${i0}::int + q, ${journalId}::int, m / 12 - 1900, ((m % 12) + 1)::text, m / 12,
        CASE WHEN q = ${bigIssueIndex}::int THEN '{"en": "Special issue: the region in numbers", "pl": "Numer specjalny: region w liczbach"}'::jsonb ELSE '{}'::jsonb END,
        q = ${bigIssueIndex}::int, true, q = ${I - 1}::int, make_date(m / 12, (m % 12) + 1, 1), q
      FROM q
    `.execute(db);
    await syncSequence(db, 'issues');
    return I;
  });
  const bigIssueId = i0 + bigIssueIndex;
  const currentIssueId = i0 + I - 1;

  // Articles: article k (0…N-1) has id a0 + k and publication p0 + k. The first B fill the special
  // issue; the others are spread evenly over the other issues, in order (newer issues, higher ids).
  const a0 = await nextIds(db, 'articles');
  const p0 = await nextIds(db, 'publications');
  // Plain arithmetic (no subquery): the usage events compute it ten million times.
  const issueIndexOf = (k: string) => {
    const j = sql`((${sql.raw(k)} - ${B}::int)::bigint * ${I - 1}::int / ${N - B}::int)::int`;
    return sql`(CASE WHEN ${sql.raw(k)} < ${B}::int THEN ${bigIssueIndex}::int WHEN ${j} < ${bigIssueIndex}::int THEN ${j} ELSE ${j} + 1 END)`;
  };
  await step('published articles and their publications', async () => {
    await db.transaction().execute(async (trx) => {
      // The article's current publication is checked at commit (a deferred key), so both go in together.
      await sql`
        INSERT INTO articles (id, journal_id, current_publication_id, locale, status, date_submitted, created_at)
        SELECT ${a0}::int + k, ${journalId}::int, ${p0}::int + k, CASE WHEN k % 4 = 0 THEN 'pl' ELSE 'en' END, 'published',
          i.date_published - interval '200 days', i.date_published - interval '200 days'
        FROM generate_series(0, ${N - 1}::int) AS k JOIN issues i ON i.id = ${i0}::int + ${issueIndexOf('k')}
      `.execute(trx);
      await sql`
        INSERT INTO publications (id, article_id, version, status, locale, title, abstract, keywords, section_id, issue_id, seq, pages, doi, license_url, copyright_year, date_published)
        SELECT ${p0}::int + k, ${a0}::int + k, 1, 'published', CASE WHEN k % 4 = 0 THEN 'pl' ELSE 'en' END,
          jsonb_build_object(
            'en', ${pick(WORDS_EN, 'k', 7)} || ' and ' || lower(${pick(WORDS_EN, 'k', 11)}) || ' in ' || ${pick(PLACES, 'k', 13)} || ': study ' || k,
            'pl', ${pick(WORDS_PL, 'k', 7)} || ' i ' || lower(${pick(WORDS_PL, 'k', 11)}) || ': studium ' || k),
          jsonb_build_object('en', ${ABSTRACT}::text),
          jsonb_build_object('en', jsonb_build_array(lower(${pick(WORDS_EN, 'k', 7)}), lower(${pick(WORDS_EN, 'k', 11)}), ${pick(PLACES, 'k', 13)})),
          (${intArray(sectionIds)})[1 + (k * 5) % ${sectionIds.length}::int], i.id, k, (1 + (k % 40) * 10) || '–' || (9 + (k % 40) * 10),
          '10.99999/big.' || k, 'https://creativecommons.org/licenses/by/4.0/', i.year, i.date_published
        FROM generate_series(0, ${N - 1}::int) AS k JOIN issues i ON i.id = ${i0}::int + ${issueIndexOf('k')}
      `.execute(trx);
    });
    await syncSequence(db, 'articles');
    await syncSequence(db, 'publications');
    return N;
  });
  const currentIssueArticles = Number((await db.selectFrom('publications').select((eb) => eb.fn.countAll<number>().as('n')).where('issue_id', '=', currentIssueId).executeTakeFirstOrThrow()).n);

  await step('authors of published articles', async () => {
    const result = await sql`
      INSERT INTO contributors (publication_id, given_name, family_name, affiliation, email, orcid, is_primary_contact, seq)
      SELECT ${p0}::int + k, jsonb_build_object('en', ${pick(GIVEN, 'k + c', 13)}), jsonb_build_object('en', ${pick(FAMILY, 'k * 3 + c', 31)}),
        jsonb_build_object('en', ${pick(AFFILIATIONS, 'k + c * 7', 17)}),
        CASE WHEN c = 1 THEN 'author' || k || '@example.org' END,
        CASE WHEN (k + c) % 3 = 0 THEN '0000-0002-' || lpad(((k * 7 + c) % 10000)::text, 4, '0') || '-' || lpad((k % 9999)::text, 4, '0') END,
        c = 1, c
      FROM generate_series(0, ${N - 1}::int) AS k CROSS JOIN generate_series(1, 4) AS c
      WHERE c <= 1 + k % 4
    `.execute(db);
    return Number(result.numAffectedRows ?? 0);
  });

  // Galleys: a PDF for every article (file f0 + k, galley g0 + k), an HTML galley for every fifth.
  const f0 = await nextIds(db, 'files');
  const g0 = await nextIds(db, 'galleys');
  await step('galleys and their files', async () => {
    await sql`
      INSERT INTO files (id, storage_key, mime_type, size_bytes, sha256, original_name)
      SELECT ${f0}::int + n, 'bench/big/' || n, CASE WHEN n < ${N}::int THEN 'application/pdf' ELSE 'text/html' END,
        CASE WHEN n < ${N}::int THEN 400000 + (n * 7919) % 2000000 ELSE 60000 + (n * 31) % 100000 END,
        lpad(to_hex(n), 64, '0'), CASE WHEN n < ${N}::int THEN 'article-' || n || '.pdf' ELSE 'article-' || (n - ${N}::int) * 5 || '.html' END
      FROM generate_series(0, ${N + Math.ceil(N / 5) - 1}::int) AS n
    `.execute(db);
    await sql`
      INSERT INTO galleys (id, publication_id, label, locale, file_id, seq)
      SELECT ${g0}::int + k, ${p0}::int + k, 'PDF', CASE WHEN k % 4 = 0 THEN 'pl' ELSE 'en' END, ${f0}::int + k, 0 FROM generate_series(0, ${N - 1}::int) AS k
      UNION ALL
      SELECT ${g0 + N}::int + h, ${p0}::int + h * 5, 'HTML', CASE WHEN h * 5 % 4 = 0 THEN 'pl' ELSE 'en' END, ${f0 + N}::int + h, 1 FROM generate_series(0, ${Math.ceil(N / 5) - 1}::int) AS h
    `.execute(db);
    await syncSequence(db, 'files');
    await syncSequence(db, 'galleys');
    return N + Math.ceil(N / 5);
  });

  await generateSubmissions(db, { journalId, sectionIds, sizes, a0, p0, now, step });
  await generateUsage(db, { journalId, sizes, a0, g0, i0, issueIndexOf, now, step, log });

  await step('statistics for the planner (ANALYZE)', async () => {
    await sql`ANALYZE`.execute(db);
    return 0;
  });
  const seconds = (performance.now() - started) / 1000;
  log(`big journal generated in ${seconds.toFixed(1)} s: /${BIG_JOURNAL_PATH}, special issue ${bigIssueId} (${count(B)} articles), current issue ${currentIssueId} (${count(currentIssueArticles)} articles); manager ${BIG_JOURNAL_MANAGER.email} / "${BIG_JOURNAL_MANAGER.password}" (user ${manager.userId})`);
  return {
    journalId,
    path: BIG_JOURNAL_PATH,
    sizes,
    bigIssueId,
    currentIssueId,
    currentIssueArticles,
    sectionIds,
    manager: BIG_JOURNAL_MANAGER,
    usageMonths: usageMonths(now),
    seconds,
    steps,
  };
}

type Step = <T extends number>(name: string, work: () => Promise<T>) => Promise<T>;

/**
 * Submission i (0…S-1). The last `published` are the newest published articles (k = N - published + j);
 * the others are new manuscripts with articles a0 + N + i. Drafts, declined, and active ones at every
 * stage; rounds, review requests and decisions as the workflow's commands leave them.
 */
async function generateSubmissions(
  db: Kysely<Database>,
  input: { journalId: number; sectionIds: number[]; sizes: BigJournalSizes; a0: number; p0: number; now: Date; step: Step },
): Promise<void> {
  const { journalId, sectionIds, sizes, a0, p0, now, step } = input;
  const { articles: N, submissions: S } = sizes;
  const published = Math.ceil(S * PUBLISHED_SHARE);
  const W = S - published;
  const [authors, reviewers, editors, sectionEditors, copyeditors, layoutEditors] = await Promise.all(
    (['author', 'reviewer', 'editor', 'section-editor', 'copyeditor', 'layout-editor'] as const).map((role) => ids(db, journalId, role)),
  );
  const editorsAll = [...editors, ...sectionEditors];
  // Publication ids of new manuscripts follow the catalog's (the generator wrote both).
  const pw = await nextIds(db, 'publications');
  const aw = await nextIds(db, 'articles');
  const articleOf = sql.raw(`(CASE WHEN i < ${W} THEN ${aw} + i ELSE ${a0} + ${N - published} + (i - ${W}) END)`);
  const publicationOf = sql.raw(`(CASE WHEN i < ${W} THEN ${pw} + i ELSE ${p0} + ${N - published} + (i - ${W}) END)`);
  // The newest submissions were submitted three hours apart, back from now.
  const submittedAt = sql`(${now}::timestamptz - ((${S}::int - i) * interval '3 hours'))`;
  const status = sql.raw(`(CASE WHEN i >= ${W} THEN 'published' WHEN i % 33 = 5 THEN 'draft' WHEN i % 10 = 1 THEN 'declined' ELSE 'active' END)`);
  const stage = sql.raw(
    `(CASE WHEN i >= ${W} THEN 'production' WHEN i % 33 = 5 THEN 'submission' WHEN i % 10 = 1 THEN (ARRAY['submission', 'review'])[1 + i % 2] ` +
      `ELSE (ARRAY['submission','submission','submission','submission','submission','submission','review','review','review','review','review','review','review','review','copyediting','copyediting','copyediting','production','production','production'])[1 + (i * 7) % 20] END)`,
  );
  const series = sql`generate_series(0, ${S - 1}::int) AS i`;

  await step('submissions: manuscripts (articles, publications)', async () => {
    await db.transaction().execute(async (trx) => {
      await sql`
        INSERT INTO articles (id, journal_id, current_publication_id, locale, status, date_submitted, created_at)
        SELECT ${aw}::int + i, ${journalId}::int, ${pw}::int + i, CASE WHEN i % 3 = 0 THEN 'pl' ELSE 'en' END,
          CASE WHEN i % 33 <> 5 AND i % 10 = 1 THEN 'declined' ELSE 'queued' END, CASE WHEN i % 33 <> 5 THEN ${submittedAt} END, ${submittedAt}
        FROM generate_series(0, ${W - 1}::int) AS i
      `.execute(trx);
      await sql`
        INSERT INTO publications (id, article_id, version, status, locale, title, abstract, section_id)
        SELECT ${pw}::int + i, ${aw}::int + i, 1, 'queued', CASE WHEN i % 3 = 0 THEN 'pl' ELSE 'en' END,
          jsonb_build_object(
            'en', ${pick(WORDS_EN, 'i', 3)} || ' and ' || lower(${pick(WORDS_EN, 'i', 17)}) || ' in ' || ${pick(PLACES, 'i', 5)} || ' ' || i,
            'pl', ${pick(WORDS_PL, 'i', 3)} || ' i ' || lower(${pick(WORDS_PL, 'i', 17)}) || ' ' || i),
          jsonb_build_object('en', ${ABSTRACT}::text), (${intArray(sectionIds)})[1 + (i * 17) % ${sectionIds.length}::int]
        FROM generate_series(0, ${W - 1}::int) AS i
      `.execute(trx);
    });
    await sql`
      INSERT INTO contributors (publication_id, given_name, family_name, affiliation, email, is_primary_contact, seq)
      SELECT ${pw}::int + i, jsonb_build_object('en', ${pick(GIVEN, 'i + c', 5)}), jsonb_build_object('en', ${pick(FAMILY, 'i * 7 + c', 3)}),
        jsonb_build_object('en', ${pick(AFFILIATIONS, 'i + c', 7)}), 'submitter' || i || '-' || c || '@example.org', c = 1, c
      FROM generate_series(0, ${W - 1}::int) AS i CROSS JOIN generate_series(1, 3) AS c WHERE c <= 1 + i % 3
    `.execute(db);
    await syncSequence(db, 'articles');
    await syncSequence(db, 'publications');
    return W;
  });

  await step('submissions', async () => {
    await sql`
      INSERT INTO submissions (id, journal_id, submitter_id, status, stage, progress, checklist_confirmed_at, agreements_accepted_at, submitted_at, last_activity_at, created_at)
      SELECT ${articleOf}, ${journalId}::int, (${intArray(authors)})[1 + (i * 29) % ${authors.length}::int], ${status}, ${stage},
        CASE WHEN i % 33 = 5 AND i < ${W}::int THEN (ARRAY['start', 'files', 'details', 'contributors', 'references', 'review'])[1 + i % 6] ELSE 'review' END,
        ${submittedAt} - interval '1 day', ${submittedAt} - interval '1 day',
        CASE WHEN i % 33 = 5 AND i < ${W}::int THEN NULL ELSE ${submittedAt} END,
        ${submittedAt} + ((i % 40) * interval '1 day'), ${submittedAt} - interval '1 day'
      FROM ${series}
    `.execute(db);
    return S;
  });

  await step('submission participants', async () => {
    // The submitter; an editor on four in five submitted ones (some new ones wait unassigned); the
    // copyeditor and layout editor once the manuscript is that far.
    const result = await sql`
      WITH s AS (SELECT i, ${articleOf} AS id, ${status} AS status, ${stage} AS stage FROM ${series})
      INSERT INTO submission_participants (submission_id, user_id, role, created_at)
      SELECT id, (${intArray(authors)})[1 + (i * 29) % ${authors.length}::int], 'author', now() FROM s
      UNION ALL
      SELECT id, (${intArray(editorsAll)})[1 + (i * 7) % ${editorsAll.length}::int],
        CASE WHEN 1 + (i * 7) % ${editorsAll.length}::int <= ${editors.length}::int THEN 'editor' ELSE 'section-editor' END, now()
      FROM s WHERE status <> 'draft' AND NOT (stage = 'submission' AND i % 5 = 0)
      UNION ALL
      SELECT id, (${intArray(copyeditors)})[1 + i % ${copyeditors.length}::int], 'copyeditor', now() FROM s WHERE stage IN ('copyediting', 'production')
      UNION ALL
      SELECT id, (${intArray(layoutEditors)})[1 + i % ${layoutEditors.length}::int], 'layout-editor', now() FROM s WHERE stage = 'production'
    `.execute(db);
    return Number(result.numAffectedRows ?? 0);
  });

  await step('review rounds, requests and decisions', async () => {
    // A round 1 for every submission that went to review; a second for every fourth, after revisions.
    let rows = 0;
    const rounds = await sql`
      WITH s AS (SELECT i, ${articleOf} AS id, ${status} AS status, ${stage} AS stage, ${submittedAt} AS at FROM ${series})
      INSERT INTO review_rounds (submission_id, round, status, created_at, closed_at)
      SELECT id, r,
        CASE WHEN r = 1 AND i % 4 = 0 THEN 'revisions-requested' WHEN status = 'declined' THEN 'declined' WHEN stage = 'review' THEN 'open' ELSE 'accepted' END,
        at + r * interval '10 days',
        CASE WHEN (r = 1 AND i % 4 = 0) OR status = 'declined' OR stage <> 'review' THEN at + r * interval '40 days' END
      FROM s CROSS JOIN generate_series(1, 2) AS r
      WHERE status <> 'draft' AND stage <> 'submission' AND (r = 1 OR i % 4 = 0)
    `.execute(db);
    rows += Number(rounds.numAffectedRows ?? 0);
    const requests = await sql`
      INSERT INTO review_assignments (submission_id, review_round_id, reviewer_id, anonymity, status, requested_by, requested_at, response_due, review_due,
        responded_at, submitted_at, link_nonce, recommendation, comments_for_author, rating, created_at, updated_at)
      SELECT rr.submission_id, rr.id, (${intArray(reviewers)})[1 + (rr.submission_id * 7 + rr.round * 3 + n) % ${reviewers.length}::int], 'double-anonymous',
        CASE WHEN rr.status = 'open' THEN (ARRAY['submitted', 'accepted', 'requested'])[n] ELSE (ARRAY['submitted', 'submitted', 'declined'])[n] END,
        (${intArray(editorsAll)})[1 + rr.submission_id % ${editorsAll.length}::int], rr.created_at, rr.created_at + interval '7 days', rr.created_at + interval '30 days',
        CASE WHEN rr.status <> 'open' OR n < 3 THEN rr.created_at + interval '2 days' END,
        CASE WHEN n = 1 OR (rr.status <> 'open' AND n = 2) THEN rr.created_at + interval '25 days' END,
        md5(rr.id || ':' || n),
        CASE WHEN n = 1 OR (rr.status <> 'open' AND n = 2) THEN (ARRAY['accept', 'minor-revisions', 'major-revisions', 'decline'])[1 + (rr.submission_id + n) % 4] END,
        CASE WHEN n = 1 OR (rr.status <> 'open' AND n = 2) THEN 'The argument is clear; the second section needs more sources.' ELSE '' END,
        CASE WHEN n = 1 AND rr.status <> 'open' THEN 1 + (rr.submission_id % 5) END,
        rr.created_at, rr.created_at
      FROM review_rounds rr JOIN submissions s ON s.id = rr.submission_id CROSS JOIN generate_series(1, 3) AS n
      WHERE s.journal_id = ${journalId}::int
    `.execute(db);
    rows += Number(requests.numAffectedRows ?? 0);
    const decisions = await sql`
      INSERT INTO editorial_decisions (submission_id, review_round_id, stage, decision, editor_id, created_at)
      SELECT rr.submission_id, rr.id, CASE WHEN rr.round = 1 THEN 'submission' ELSE 'review' END, CASE WHEN rr.round = 1 THEN 'send-to-review' ELSE 'new-round' END,
        (${intArray(editorsAll)})[1 + rr.submission_id % ${editorsAll.length}::int], rr.created_at
      FROM review_rounds rr JOIN submissions s ON s.id = rr.submission_id WHERE s.journal_id = ${journalId}::int
      UNION ALL
      SELECT rr.submission_id, rr.id, 'review', CASE rr.status WHEN 'revisions-requested' THEN 'request-revisions' WHEN 'declined' THEN 'decline' ELSE 'accept' END,
        (${intArray(editorsAll)})[1 + rr.submission_id % ${editorsAll.length}::int], rr.closed_at
      FROM review_rounds rr JOIN submissions s ON s.id = rr.submission_id WHERE s.journal_id = ${journalId}::int AND rr.closed_at IS NOT NULL
      UNION ALL
      SELECT s.id, NULL, 'copyediting', 'send-to-production', (${intArray(editorsAll)})[1 + s.id % ${editorsAll.length}::int], s.last_activity_at
      FROM submissions s WHERE s.journal_id = ${journalId}::int AND s.stage = 'production'
      UNION ALL
      SELECT s.id, NULL, 'submission', 'initial-decline', (${intArray(editorsAll)})[1 + s.id % ${editorsAll.length}::int], s.last_activity_at
      FROM submissions s WHERE s.journal_id = ${journalId}::int AND s.status = 'declined' AND s.stage = 'submission'
    `.execute(db);
    rows += Number(decisions.numAffectedRows ?? 0);
    return rows;
  });

  await step('submission files and activity', async () => {
    // One manuscript file per submission (its stored file, as an upload leaves it) and its log.
    const f = await nextIds(db, 'files');
    await sql`
      INSERT INTO files (id, storage_key, mime_type, size_bytes, sha256, original_name, created_at)
      SELECT ${f}::int + i, 'bench/big/submission-' || i, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 80000 + (i * 977) % 400000,
        lpad(to_hex(${f}::int + i), 64, '0'), 'manuscript-' || i || '.docx', ${submittedAt}
      FROM ${series}
    `.execute(db);
    await syncSequence(db, 'files');
    const files = await sql`
      INSERT INTO submission_files (submission_id, stage, kind, file_id, name, uploaded_by, created_at, updated_at)
      SELECT ${articleOf}, 'submission', 'article', ${f}::int + i, 'manuscript-' || i || '.docx', (${intArray(authors)})[1 + (i * 29) % ${authors.length}::int], ${submittedAt}, ${submittedAt}
      FROM ${series}
    `.execute(db);
    const activity = await sql`
      INSERT INTO submission_activity (submission_id, user_id, action, details, created_at)
      SELECT ${articleOf}, (${intArray(authors)})[1 + (i * 29) % ${authors.length}::int], 'submitted', '{}'::jsonb, ${submittedAt}
      FROM ${series} WHERE NOT (i % 33 = 5 AND i < ${W}::int)
    `.execute(db);
    return Number(files.numAffectedRows ?? 0) + Number(activity.numAffectedRows ?? 0);
  });
}

/** The twelve months (YYYY-MM, UTC) usage is generated for, the current one last. */
function usageMonths(now: Date): string[] {
  const months: string[] = [];
  for (let back = 11; back >= 0; back--) {
    const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1));
    months.push(d.toISOString().slice(0, 7));
  }
  return months;
}

/**
 * Usage events of the last twelve months, a month per statement, then that month's COUNTER rollup
 * (usage_item_months) from its events with the migration's own aggregate (0007), so reports read
 * what the recorder would have left. Event j of a month:
 * - belongs to session j / 4 (four actions per visit, ninety seconds apart, in one hour); a session's
 *   key is a 64-digit hex string, as the recorder's HMAC (the planner should see keys as long);
 * - one session in twenty is a robot (every event filtered 'robot');
 * - about half article views, 40 % PDF downloads (a visit's second action is often the download of
 *   the article it viewed first), 7 % tables of contents, 3 % home pages; articles drawn with a long
 *   tail (a few are read very often, most seldom);
 * - every fiftieth event is clicked again ten seconds later (the next event repeats it): for views and
 *   downloads the earlier click is filtered 'double-click', as the recorder marks it.
 */
async function generateUsage(
  db: Kysely<Database>,
  input: { journalId: number; sizes: BigJournalSizes; a0: number; g0: number; i0: number; issueIndexOf: (k: string) => RawBuilder<unknown>; now: Date; step: Step; log: (line: string) => void },
): Promise<void> {
  const { journalId, sizes, a0, g0, i0, issueIndexOf, now, step } = input;
  const { articles: N, usageEvents: E } = sizes;
  const months = usageMonths(now);
  let done = 0;
  for (const [m, month] of months.entries()) {
    const events = Math.floor(E / months.length) + (m === months.length - 1 ? E % months.length : 0);
    const start = new Date(`${month}-01T00:00:00Z`);
    const end = m === months.length - 1 ? now : new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
    // Sessions start anywhere in the month (the current one: up to an hour ago) and last under ten minutes.
    const span = Math.max(3600, Math.floor((end.getTime() - start.getTime()) / 1000) - 3600);
    const before = await nextIds(db, 'usage_events');
    await step(`usage events ${month} (${count(done + events)} of ${count(E)})`, async () => {
      await sql`
        WITH g AS (
          -- k: the action (a double click's second click repeats the first); s: its session (four actions);
          -- b: the article's action (a session's second action is about the article of its first).
          SELECT j, k, k / 4 AS s, k - CASE WHEN k % 4 = 1 THEN 1 ELSE 0 END AS b
          FROM (SELECT j, CASE WHEN j % 50 = 1 THEN j - 1 ELSE j END AS k FROM generate_series(0::bigint, ${events - 1}::bigint) AS j) AS series
        ),
        e AS (
          SELECT j, k, s,
            CASE WHEN k % 4 = 1 AND ${hash('b', 100, 2654435761)} < 55 THEN 'request' WHEN ${hash('k', 100, 2654435761)} < 55 THEN 'investigation' WHEN ${hash('k', 100, 2654435761)} < 90 THEN 'request'
              WHEN ${hash('k', 100, 2654435761)} < 97 THEN 'toc' ELSE 'home' END AS kind,
            ${hash('s', 20, 3266489917)} = 7 AS robot,
            -- A long tail: u² puts most reads on a few articles; * 7919 scatters which ones.
            ((floor(${N}::int * power(${hash('b', 65536, 2246822519)} / 65536.0, 2)))::bigint * 7919 % ${N}::int)::int AS article
          FROM g
        )
        INSERT INTO usage_events (at, journal_id, issue_id, article_id, galley_id, kind, session_key, yop, filter_reason)
        SELECT ${start}::timestamptz + make_interval(secs => ((s * 7907) % ${span}::int) + (k % 4) * 90 + (j - k) * 10),
          ${journalId}::int,
          CASE WHEN kind = 'toc' THEN ${i0}::int + ${issueIndexOf('article')} END,
          CASE WHEN kind IN ('investigation', 'request') THEN ${a0}::int + article END,
          CASE WHEN kind = 'request' THEN ${g0}::int + article END,
          kind,
          -- 64 hex digits, as the recorder's HMAC-SHA256 (one digest, read both ways: half the hashing).
          md5(${month}::text || ':' || s) || reverse(md5(${month}::text || ':' || s)),
          NULL,
          CASE WHEN robot THEN 'robot' WHEN j % 50 = 0 AND kind IN ('investigation', 'request') AND ${events}::int > j + 1 THEN 'double-click' END
        FROM e
      `.execute(db);
      // What storeEvents keeps per article and month: counted events, and distinct sessions (key + UTC hour).
      // Grouping a month of events at once sorts more than the default 4 MB.
      await db.transaction().execute(async (trx) => {
        await sql`SET LOCAL work_mem = '64MB'`.execute(trx);
        await sql`
        INSERT INTO usage_item_months
        SELECT article_id, date_trunc('month', at AT TIME ZONE 'UTC')::date, min(journal_id),
          count(*), count(DISTINCT session_key || date_trunc('hour', at AT TIME ZONE 'UTC')::text),
          count(*) FILTER (WHERE kind = 'request'),
          count(DISTINCT session_key || date_trunc('hour', at AT TIME ZONE 'UTC')::text) FILTER (WHERE kind = 'request')
        FROM usage_events
        WHERE id >= ${before} AND filter_reason IS NULL AND article_id IS NOT NULL AND kind IN ('investigation', 'request')
        GROUP BY 1, 2
      `.execute(trx);
      });
      return events;
    });
    done += events;
  }
}

async function main(): Promise<void> {
  const sizes = bigJournalSizes();
  const url = process.env.DATABASE_URL;
  const dataDir = path.resolve(process.env.DATA_DIR ?? './data');
  const handle = url ? await openDatabase({ kind: 'postgres', url }) : await openDatabase({ kind: 'pglite', dataDir: path.join(dataDir, 'db'), command: 'bench:data' });
  try {
    progress(`target: ${url ? 'PostgreSQL (DATABASE_URL)' : `the embedded database in ${dataDir}`}`);
    const journal = await generateBigJournal(handle, sizes);
    progress('');
    progress('summary');
    for (const s of journal.steps) progress(`  ${s.step.padEnd(48)} ${count(s.rows).padStart(12)} rows  ${s.seconds.toFixed(1).padStart(7)} s`);
    progress(`  total ${journal.seconds.toFixed(1)} s; serve it with ${url ? 'DATABASE_URL=…' : `DATA_DIR=${dataDir}`} npm start, then /${journal.path}`);
  } finally {
    await handle.close();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.dirname, 'big-journal-data.ts')) {
  await main().catch((error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 1;
  });
}
