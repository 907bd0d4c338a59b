import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { escapeLike, searchWords } from '../../accounts/index.ts';
import type { Db } from '../../catalog/index.ts';
import type { LocalizedText } from '../../db/schema.ts';

/** What a search may ask for: longer text is cut here (and refused by the routes' schemas first). */
export const REVIEWER_SEARCH_MAX_LENGTH = 100;
export const REVIEWER_SEARCH_MAX_LIMIT = 50;
export const REVIEWER_SORTS = ['name', 'fewest-active'] as const;
export type ReviewerSort = (typeof REVIEWER_SORTS)[number];

export interface ReviewerSearchOptions {
  journalId: number;
  /** Conflicts and `alreadyRequested` are worked out against this submission (of the journal). */
  submissionId?: number;
  /** Words found in the name, address, affiliation or ORCID iD (each word must match). */
  query?: string;
  /** Words each found in one of the person's reviewing interests. */
  interest?: string;
  /** Words found in the person's affiliation. */
  affiliation?: string;
  sort?: ReviewerSort;
  /** From 1. */
  page: number;
  /** At most REVIEWER_SEARCH_MAX_LIMIT. */
  limit: number;
}

export type ReviewerConflictKind = 'same-affiliation' | 'co-author' | 'author';

export interface ReviewerConflict {
  kind: ReviewerConflictKind;
  /** What was found, as written: the shared affiliation and the author; the co-author and the article; the author. */
  detail: string;
}

export interface ReviewerCandidate {
  userId: number;
  givenName: LocalizedText;
  familyName: LocalizedText;
  email: string;
  affiliation: LocalizedText;
  orcid: string | null;
  interests: string[];
  /** Requests of the journal waiting for an answer or accepted and not yet sent. */
  active: number;
  completed: number;
  declined: number;
  /** From the request to the review, over the completed ones; null when none. */
  averageDaysToComplete: number | null;
  lastCompletedAt: Date | null;
  averageRating: number | null;
  ratings: number;
  conflicts: ReviewerConflict[];
  /** Already asked in the submission's current round (and not cancelled): cannot be asked again. */
  alreadyRequested: boolean;
}

export interface ReviewerSearchResult {
  rows: ReviewerCandidate[];
  total: number;
}

const ACTIVE = sql`('requested', 'accepted')`;

/** The typed text as words folded like the indexed text (`revista_search_fold`, migration 0027). */
async function foldedWords(db: Db, text: string | undefined): Promise<string[]> {
  const words = searchWords((text ?? '').slice(0, REVIEWER_SEARCH_MAX_LENGTH));
  if (words.length === 0) return [];
  const rows = await sql<{ w: string }>`SELECT revista_search_fold(w) AS w FROM unnest(${words}::text[]) WITH ORDINALITY AS t(w, n) ORDER BY n`.execute(db);
  return rows.rows.map((r) => r.w).filter((w) => w !== '');
}

/**
 * `text` contains `word`: anywhere for three letters and more (what a trigram index serves), else at
 * the start of a word (`starts` are what may precede a word in that text).
 */
function contains(text: RawBuilder<unknown>, word: string, starts: string[] = [' ']): RawBuilder<SqlBool> {
  const escaped = escapeLike(word);
  if ([...word].length >= 3) return sql<SqlBool>`${text} LIKE ${`%${escaped}%`}`;
  const patterns = [`${escaped}%`, ...starts.map((s) => `%${s}${escaped}%`)];
  return sql<SqlBool>`(${sql.join(
    patterns.map((p) => sql`${text} LIKE ${p}`),
    sql` OR `,
  )})`;
}

const ORCID_DIGITS = sql`'[0-9]{4}-[0-9]{4}-[0-9]{4}-[0-9]{3}[0-9X]'`;
const orcidOf = (column: RawBuilder<unknown>) => sql`substring(${column} from ${ORCID_DIGITS})`;

/**
 * The journal's reviewers (people with the reviewer role there, not disabled), found by name,
 * interests and affiliation, a page at a time, each with the statistics of their reviews for the
 * journal and the conflicts they may have with the submission's authors.
 *
 * The matching people are found through indexes (the trigram indexes of `users.search_text` and of the
 * folded interests; the journal's role assignments) and sorted for the page; the statistics, interests,
 * conflicts and requests are read for that page only, by reviewer (`review_assignments_reviewer`).
 * Sorting by fewest active reviews counts only active requests (a small share of all).
 */
export async function searchReviewers(db: Db, options: ReviewerSearchOptions): Promise<ReviewerSearchResult> {
  const { journalId } = options;
  const limit = Math.max(1, Math.min(REVIEWER_SEARCH_MAX_LIMIT, Math.trunc(options.limit) || 1));
  const page = Math.max(1, Math.min(10_000, Math.trunc(options.page) || 1));
  const conditions: RawBuilder<SqlBool>[] = [
    sql<SqlBool>`u.id IN (SELECT ra.user_id FROM role_assignments ra WHERE ra.journal_id = ${journalId} AND ra.role = 'reviewer')`,
    sql<SqlBool>`u.disabled_at IS NULL`,
  ];
  for (const word of await foldedWords(db, options.query)) conditions.push(contains(sql`u.search_text`, word));
  for (const word of await foldedWords(db, options.affiliation)) {
    // The folded search text (indexed) holds the affiliation; the affiliation itself is checked on the rows found.
    if ([...word].length >= 3) conditions.push(contains(sql`u.search_text`, word));
    conditions.push(contains(sql`revista_search_fold(u.affiliation::text)`, word, [' ', '"']));
  }
  for (const word of await foldedWords(db, options.interest)) {
    conditions.push(sql<SqlBool>`u.id IN (SELECT ri.user_id FROM reviewer_interests ri WHERE ${contains(sql`revista_search_fold(ri.interest)`, word)})`);
  }
  const where = sql.join(conditions, sql` AND `);

  const byActive = options.sort === 'fewest-active';
  const activeCounts = sql`(SELECT r.reviewer_id, count(*) AS n FROM review_assignments r JOIN submissions s ON s.id = r.submission_id
    WHERE s.journal_id = ${journalId} AND r.status IN ${ACTIVE} AND r.reviewer_id IS NOT NULL GROUP BY r.reviewer_id)`;
  const found = await sql<{ id: number; email: string; given_name: LocalizedText; family_name: LocalizedText; affiliation: LocalizedText; orcid: string | null; total: string | number }>`
    SELECT u.id, u.email, u.given_name, u.family_name, u.affiliation, u.orcid, count(*) OVER () AS total
    FROM users u ${byActive ? sql`LEFT JOIN ${activeCounts} act ON act.reviewer_id = u.id` : sql``}
    WHERE ${where}
    ORDER BY ${byActive ? sql`coalesce(act.n, 0), ` : sql``}u.sort_name, u.id
    LIMIT ${limit} OFFSET ${(page - 1) * limit}`.execute(db);
  let total = Number(found.rows[0]?.total ?? 0);
  if (found.rows.length === 0 && page > 1) {
    // A page past the end: the count still says how many there are.
    total = Number((await sql<{ n: string | number }>`SELECT count(*) AS n FROM users u WHERE ${where}`.execute(db)).rows[0]?.n ?? 0);
  }
  const people = found.rows;
  if (people.length === 0) return { rows: [], total };
  const ids = people.map((p) => p.id);

  const [stats, interests, conflicts, requested] = await Promise.all([
    sql<{ reviewer_id: number; active: string | number; completed: string | number; declined: string | number; avg_days: string | number | null; last_completed: Date | string | null; avg_rating: string | number | null; ratings: string | number }>`
      SELECT r.reviewer_id,
        count(*) FILTER (WHERE r.status IN ${ACTIVE}) AS active,
        count(*) FILTER (WHERE r.status = 'submitted') AS completed,
        count(*) FILTER (WHERE r.status = 'declined') AS declined,
        avg(extract(epoch FROM r.submitted_at - r.requested_at) / 86400) FILTER (WHERE r.status = 'submitted') AS avg_days,
        max(r.submitted_at) FILTER (WHERE r.status = 'submitted') AS last_completed,
        avg(r.rating) AS avg_rating,
        count(r.rating) AS ratings
      FROM review_assignments r JOIN submissions s ON s.id = r.submission_id
      WHERE r.reviewer_id = ANY(${ids}::int[]) AND s.journal_id = ${journalId}
      GROUP BY r.reviewer_id`.execute(db),
    db.selectFrom('reviewer_interests').select(['user_id', 'interest']).where('user_id', 'in', ids).orderBy('user_id').orderBy(sql`revista_search_fold(interest)`).execute(),
    options.submissionId === undefined ? Promise.resolve(new Map<number, ReviewerConflict[]>()) : findConflicts(db, journalId, options.submissionId, ids),
    options.submissionId === undefined
      ? Promise.resolve([] as Array<{ reviewer_id: number | null }>)
      : db
          .selectFrom('review_assignments as r')
          .select('r.reviewer_id')
          .where('r.reviewer_id', 'in', ids)
          .where('r.status', '<>', 'cancelled')
          .where('r.review_round_id', '=', (eb) =>
            eb.selectFrom('review_rounds as rr').innerJoin('submissions as s', 's.id', 'rr.submission_id').select('rr.id').where('rr.submission_id', '=', options.submissionId!).where('s.journal_id', '=', journalId).orderBy('rr.round', 'desc').limit(1),
          )
          .execute(),
  ]);
  const statsOf = new Map(stats.rows.map((s) => [s.reviewer_id, s]));
  const alreadyAsked = new Set(requested.map((r) => r.reviewer_id));
  const num = (v: string | number | null | undefined) => (v === null || v === undefined ? null : Number(v));
  return {
    total,
    rows: people.map((p) => {
      const s = statsOf.get(p.id);
      return {
        userId: p.id,
        givenName: p.given_name,
        familyName: p.family_name,
        email: p.email,
        affiliation: p.affiliation,
        orcid: p.orcid,
        interests: interests.filter((i) => i.user_id === p.id).map((i) => i.interest),
        active: num(s?.active) ?? 0,
        completed: num(s?.completed) ?? 0,
        declined: num(s?.declined) ?? 0,
        averageDaysToComplete: num(s?.avg_days),
        lastCompletedAt: s?.last_completed ? new Date(s.last_completed) : null,
        averageRating: num(s?.avg_rating),
        ratings: num(s?.ratings) ?? 0,
        conflicts: conflicts.get(p.id) ?? [],
        alreadyRequested: alreadyAsked.has(p.id),
      };
    }),
  };
}

/** "Given Family" in the given locale, else the first one named. */
const fullName = (given: RawBuilder<unknown>, family: RawBuilder<unknown>, locale: RawBuilder<unknown>) =>
  sql<string>`btrim(coalesce(${given}->>${locale}, (SELECT v FROM jsonb_each_text(${given}) AS g(k, v) ORDER BY k LIMIT 1), '') || ' ' ||
    coalesce(${family}->>${locale}, (SELECT v FROM jsonb_each_text(${family}) AS f(k, v) ORDER BY k LIMIT 1), ''))`;

/**
 * What may keep each of these reviewers from reviewing the submission, against the contributors of
 * its current publication: being one of them (or its submitter), sharing an affiliation with one
 * (folded: "UNIWERSYTET LODZKI" is "Uniwersytet Łódzki"), having written another article of the
 * journal with one (the reviewer known by address or ORCID iD; the author by address, ORCID iD or name).
 */
async function findConflicts(db: Db, journalId: number, submissionId: number, ids: number[]): Promise<Map<number, ReviewerConflict[]>> {
  const subject = await db
    .selectFrom('articles as a')
    .innerJoin('publications as p', 'p.id', 'a.current_publication_id')
    .select(['p.id', 'p.locale'])
    .where('a.id', '=', submissionId)
    .where('a.journal_id', '=', journalId)
    .executeTakeFirst();
  const result = new Map<number, ReviewerConflict[]>();
  if (!subject) return result;
  const add = (userId: number, conflict: ReviewerConflict) => {
    const list = result.get(userId) ?? [];
    if (!list.some((c) => c.kind === conflict.kind && c.detail === conflict.detail)) list.push(conflict);
    result.set(userId, list);
  };
  const locale = sql`${subject.locale}::text`;
  const authorName = fullName(sql`c.given_name`, sql`c.family_name`, locale);

  const [authors, affiliations, coAuthors] = await Promise.all([
    sql<{ user_id: number; name: string }>`
      SELECT u.id AS user_id, ${authorName} AS name
      FROM users u JOIN contributors c ON c.publication_id = ${subject.id}
        AND (lower(c.email) = lower(u.email) OR ${orcidOf(sql`c.orcid`)} = ${orcidOf(sql`u.orcid`)})
      WHERE u.id = ANY(${ids}::int[])
      UNION
      SELECT sp.user_id, '' FROM submission_participants sp WHERE sp.submission_id = ${submissionId} AND sp.role = 'author' AND sp.user_id = ANY(${ids}::int[])`.execute(db),
    sql<{ user_id: number; affiliation: string; name: string }>`
      WITH author_affiliations AS (
        SELECT c.id, ${authorName} AS name, btrim(a.value) AS affiliation
        FROM contributors c, LATERAL (
          SELECT value FROM jsonb_each_text(c.affiliation)
          UNION SELECT jsonb_path_query(c.affiliations, '$[*].name.*') #>> '{}'
        ) AS a(value)
        WHERE c.publication_id = ${subject.id} AND btrim(a.value) <> ''
      )
      SELECT DISTINCT u.id AS user_id, aa.affiliation, aa.name
      FROM users u, jsonb_each_text(u.affiliation) AS ua(k, v), author_affiliations aa
      WHERE u.id = ANY(${ids}::int[]) AND btrim(ua.v) <> '' AND revista_search_fold(btrim(ua.v)) = revista_search_fold(aa.affiliation)
      ORDER BY 1, 2, 3`.execute(db),
    sql<{ user_id: number; name: string; title: string }>`
      WITH reviewer AS (
        SELECT u.id, lower(u.email) AS email, ${orcidOf(sql`u.orcid`)} AS orcid FROM users u WHERE u.id = ANY(${ids}::int[])
      ), authored AS (
        SELECT r.id AS user_id, c.id, c.publication_id FROM reviewer r JOIN contributors c ON lower(c.email) = r.email
        UNION
        SELECT r.id, c.id, c.publication_id FROM reviewer r JOIN contributors c ON ${orcidOf(sql`c.orcid`)} = r.orcid
      ), author AS (
        SELECT lower(c.email) AS email, ${orcidOf(sql`c.orcid`)} AS orcid, revista_search_fold(${authorName}) AS name
        FROM contributors c WHERE c.publication_id = ${subject.id}
      )
      SELECT DISTINCT w.user_id, ${fullName(sql`o.given_name`, sql`o.family_name`, sql`p.locale`)} AS name,
        coalesce(p.title->>p.locale, (SELECT v FROM jsonb_each_text(p.title) AS t(k, v) ORDER BY k LIMIT 1), '') AS title
      FROM authored w
      JOIN publications p ON p.id = w.publication_id
      JOIN articles a ON a.id = p.article_id AND a.journal_id = ${journalId} AND a.id <> ${submissionId}
      JOIN contributors o ON o.publication_id = w.publication_id AND o.id <> w.id
      WHERE EXISTS (SELECT 1 FROM author x WHERE x.email = lower(o.email) OR x.orcid = ${orcidOf(sql`o.orcid`)}
        OR (x.name <> '' AND x.name = revista_search_fold(${fullName(sql`o.given_name`, sql`o.family_name`, sql`p.locale`)})))
      ORDER BY 1, 2, 3`.execute(db),
  ]);
  for (const a of authors.rows) add(a.user_id, { kind: 'author', detail: a.name });
  for (const a of affiliations.rows) add(a.user_id, { kind: 'same-affiliation', detail: `${a.affiliation} (${a.name})` });
  for (const c of coAuthors.rows) add(c.user_id, { kind: 'co-author', detail: `${c.name}: ${c.title}` });
  // An author of the submission: that says it all (her own affiliation and co-authors are no news);
  // found both as the submitter and by address, the line with her name is enough.
  for (const [userId, list] of result) {
    const authored = list.filter((c) => c.kind === 'author');
    if (authored.length === 0) continue;
    const named = authored.filter((c) => c.detail !== '');
    result.set(userId, named.length > 0 ? named : authored);
  }
  return result;
}
