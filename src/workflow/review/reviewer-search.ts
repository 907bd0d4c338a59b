import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { escapeLike, personName, searchWords } from '../../accounts/index.ts';
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

/** The typed texts as words folded like the indexed text (`revista_search_fold`, migration 0027), in one round trip. */
async function foldedWords<K extends string>(db: Db, texts: Record<K, string | undefined>): Promise<Record<K, string[]>> {
  const keys = Object.keys(texts) as K[];
  const words = keys.flatMap((key) => searchWords((texts[key] ?? '').slice(0, REVIEWER_SEARCH_MAX_LENGTH)).map((w) => [key, w] as const));
  const result = Object.fromEntries(keys.map((k) => [k, [] as string[]])) as Record<K, string[]>;
  if (words.length === 0) return result;
  const rows = await sql<{ w: string }>`SELECT revista_search_fold(w) AS w FROM unnest(${words.map(([, w]) => w)}::text[]) WITH ORDINALITY AS t(w, n) ORDER BY n`.execute(db);
  rows.rows.forEach((r, i) => {
    if (r.w !== '') result[words[i]![0]].push(r.w);
  });
  return result;
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

/** The last 19 characters: the iD, bare or as a URL (normalized on the way in). */
const orcidOf = (column: RawBuilder<unknown>) => sql`upper(right(${column}, 19))`;

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
  const words = await foldedWords(db, { query: options.query, affiliation: options.affiliation, interest: options.interest });
  for (const word of words.query) conditions.push(contains(sql`u.search_text`, word));
  for (const word of words.affiliation) {
    // The folded search text (indexed) holds the affiliation; the affiliation itself is checked on the rows found.
    if ([...word].length >= 3) conditions.push(contains(sql`u.search_text`, word));
    conditions.push(contains(sql`revista_search_fold(u.affiliation::text)`, word, [' ', '"']));
  }
  for (const word of words.interest) {
    conditions.push(sql<SqlBool>`u.id IN (SELECT ri.user_id FROM reviewer_interests ri WHERE ${contains(sql`revista_search_fold(ri.interest)`, word)})`);
  }
  const where = sql.join(conditions, sql` AND `);

  const byActive = options.sort === 'fewest-active';
  const textFilters = conditions.length > 2;
  const offset = (page - 1) * limit;
  const countAll = () => sql<{ n: string | number }>`SELECT count(*) AS n FROM users u WHERE ${where}`.execute(db);
  // The page's people first (`page`: id, sort keys, the count when it comes free), then everything
  // shown about them read for those few, in the same statement: statistics of the journal's reviews
  // (by reviewer, `review_assignments_reviewer`), interests, and whether asked in the current round.
  let pageOf: RawBuilder<unknown>;
  if (!textFilters && !byActive) {
    // Every reviewer, by name: the page read in the name index's order, stopping after it; counted apart.
    pageOf = sql`SELECT u.id, u.sort_name, 0 AS active_n, NULL::bigint AS total FROM users u WHERE ${where} ORDER BY u.sort_name, u.id LIMIT ${limit} OFFSET ${offset}`;
  } else {
    // The matches found first, through the indexes their words choose (a MATERIALIZED set is planned on
    // its own: given the page's LIMIT, the planner would walk the name index and test every person),
    // then counted and sorted. Fewest active: the journal's active requests (a small share) counted once.
    const activeCounts = sql`SELECT r.reviewer_id, count(*) AS n FROM review_assignments r JOIN submissions s ON s.id = r.submission_id
      WHERE s.journal_id = ${journalId} AND r.status IN ${ACTIVE} AND r.reviewer_id IS NOT NULL GROUP BY r.reviewer_id`;
    pageOf = sql`SELECT m.id, m.sort_name, ${byActive ? sql`coalesce(act.n, 0)` : sql`0`} AS active_n, (SELECT count(*) FROM m) AS total
      FROM m ${byActive ? sql`LEFT JOIN (${activeCounts}) act ON act.reviewer_id = m.id` : sql``}
      ORDER BY active_n, m.sort_name, m.id LIMIT ${limit} OFFSET ${offset}`;
  }
  const currentRound =
    options.submissionId === undefined
      ? sql`NULL::int`
      : sql`(SELECT rr.id FROM review_rounds rr JOIN submissions s ON s.id = rr.submission_id WHERE rr.submission_id = ${options.submissionId} AND s.journal_id = ${journalId} ORDER BY rr.round DESC LIMIT 1)`;
  const [found, counted] = await Promise.all([
    sql<PageRow>`
      WITH ${textFilters || byActive ? sql`m AS MATERIALIZED (SELECT u.id, u.sort_name FROM users u WHERE ${where}), ` : sql``}page AS (${pageOf})
      SELECT u.id, u.email, u.given_name, u.family_name, u.affiliation, u.orcid, page.total,
        ARRAY(SELECT revista_search_fold(btrim(a.v)) FROM jsonb_each_text(u.affiliation) AS a(k, v) WHERE btrim(a.v) <> '') AS affiliations_folded,
        ARRAY(SELECT ri.interest FROM reviewer_interests ri WHERE ri.user_id = u.id ORDER BY revista_search_fold(ri.interest), ri.interest) AS interests,
        EXISTS (SELECT 1 FROM review_assignments r WHERE r.reviewer_id = u.id AND r.status <> 'cancelled' AND r.review_round_id = ${currentRound}) AS already_requested,
        st.*
      FROM page JOIN users u ON u.id = page.id
      CROSS JOIN LATERAL (
        SELECT count(*) FILTER (WHERE r.status IN ${ACTIVE}) AS active,
          count(*) FILTER (WHERE r.status = 'submitted') AS completed,
          count(*) FILTER (WHERE r.status = 'declined') AS declined,
          avg(extract(epoch FROM r.submitted_at - r.requested_at) / 86400) FILTER (WHERE r.status = 'submitted') AS avg_days,
          max(r.submitted_at) FILTER (WHERE r.status = 'submitted') AS last_completed,
          avg(r.rating) AS avg_rating,
          count(r.rating) AS ratings
        FROM review_assignments r JOIN submissions s ON s.id = r.submission_id
        WHERE r.reviewer_id = u.id AND s.journal_id = ${journalId}
      ) AS st
      ORDER BY page.active_n, page.sort_name, page.id`.execute(db),
    textFilters || byActive ? undefined : countAll(),
  ]);
  const people = found.rows;
  let total = Number((counted ? counted.rows[0]?.n : people[0]?.total) ?? 0);
  // A page past the end: the count still says how many there are.
  if (people.length === 0 && !counted && page > 1) total = Number((await countAll()).rows[0]?.n ?? 0);
  if (people.length === 0) return { rows: [], total };

  const conflicts = options.submissionId === undefined ? new Map<number, ReviewerConflict[]>() : await findConflicts(db, journalId, options.submissionId, people);
  const num = (v: string | number | null | undefined) => (v === null || v === undefined ? null : Number(v));
  return {
    total,
    rows: people.map((p) => ({
      userId: p.id,
      givenName: p.given_name,
      familyName: p.family_name,
      email: p.email,
      affiliation: p.affiliation,
      orcid: p.orcid,
      interests: p.interests,
      active: num(p.active) ?? 0,
      completed: num(p.completed) ?? 0,
      declined: num(p.declined) ?? 0,
      averageDaysToComplete: num(p.avg_days),
      lastCompletedAt: p.last_completed ? new Date(p.last_completed) : null,
      averageRating: num(p.avg_rating),
      ratings: num(p.ratings) ?? 0,
      conflicts: conflicts.get(p.id) ?? [],
      alreadyRequested: p.already_requested,
    })),
  };
}

type Count = string | number;
interface PageRow {
  id: number;
  email: string;
  given_name: LocalizedText;
  family_name: LocalizedText;
  affiliation: LocalizedText;
  orcid: string | null;
  total: Count | null;
  affiliations_folded: string[];
  interests: string[];
  already_requested: boolean;
  active: Count;
  completed: Count;
  declined: Count;
  avg_days: Count | null;
  last_completed: Date | string | null;
  avg_rating: Count | null;
  ratings: Count;
}

/** "Given Family" in the given locale, else the first one named. */
const fullName = (given: RawBuilder<unknown>, family: RawBuilder<unknown>, locale: RawBuilder<unknown>) =>
  sql<string>`btrim(coalesce(${given}->>${locale}, (SELECT v FROM jsonb_each_text(${given}) AS g(k, v) ORDER BY k LIMIT 1), '') || ' ' ||
    coalesce(${family}->>${locale}, (SELECT v FROM jsonb_each_text(${family}) AS f(k, v) ORDER BY k LIMIT 1), ''))`;

/** The ORCID iD's digits, however written (bare or as a URL). */
const orcidDigits = (orcid: string | null | undefined) => /\d{4}-\d{4}-\d{4}-\d{3}[\dX]/.exec(orcid ?? '')?.[0] ?? null;
/**
 * What may keep each of these reviewers from reviewing the submission, against the contributors of
 * its current publication: being one of them (by address or ORCID iD) or its submitter, sharing an
 * affiliation with one (folded: "UNIWERSYTET LODZKI" is "Uniwersytet Łódzki"), having written another
 * article of the journal with one. The few names and affiliations are compared here (folded by the
 * database as they are read), rather than by joins whose estimates would have the planner compile them.
 */
async function findConflicts(db: Db, journalId: number, submissionId: number, people: PageRow[]): Promise<Map<number, ReviewerConflict[]>> {
  const ids = people.map((p) => p.id);
  const publication = sql`(SELECT a.current_publication_id FROM articles a WHERE a.id = ${submissionId} AND a.journal_id = ${journalId})`;
  const [authors, submitters, coAuthors] = await Promise.all([
    sql<{ given_name: LocalizedText; family_name: LocalizedText; email: string | null; orcid: string | null; locale: string; affiliations: string[] | null; folded: string[] | null }>`
      SELECT c.given_name, c.family_name, c.email, c.orcid, p.locale, aff.affiliations, aff.folded
      FROM publications p JOIN contributors c ON c.publication_id = p.id
      LEFT JOIN LATERAL (
        SELECT array_agg(t ORDER BY n) AS affiliations, array_agg(revista_search_fold(t) ORDER BY n) AS folded
        FROM (SELECT btrim(v) AS t, n FROM (
          SELECT value, 1 FROM jsonb_each_text(c.affiliation)
          UNION ALL SELECT jsonb_path_query(c.affiliations, '$[*].name.*') #>> '{}', 2
        ) AS x(v, n) WHERE btrim(v) <> '') AS y
      ) AS aff ON true
      WHERE p.id = ${publication} ORDER BY c.seq`.execute(db),
    db.selectFrom('submission_participants').select('user_id').where('submission_id', '=', submissionId).where('role', '=', 'author').where('user_id', 'in', ids).execute(),
    coAuthorships(db, journalId, submissionId, publication, people),
  ]);
  const result = new Map<number, ReviewerConflict[]>();
  const add = (userId: number, conflict: ReviewerConflict) => {
    const list = result.get(userId) ?? [];
    if (!list.some((c) => c.kind === conflict.kind && c.detail === conflict.detail)) list.push(conflict);
    result.set(userId, list);
  };
  const nameOf = (c: (typeof authors.rows)[number]) => personName(c, c.locale) ?? c.email ?? '';
  const submitterIds = new Set(submitters.map((s) => s.user_id));
  for (const person of people) {
    const email = person.email.toLowerCase();
    const orcid = orcidDigits(person.orcid);
    const own = authors.rows.filter((c) => (c.email !== null && c.email.toLowerCase() === email) || (orcid !== null && orcidDigits(c.orcid) === orcid));
    // An author of the submission: that says it all (her own affiliation and co-authors are no news).
    if (own.length > 0 || submitterIds.has(person.id)) {
      for (const c of own) add(person.id, { kind: 'author', detail: nameOf(c) });
      if (own.length === 0) add(person.id, { kind: 'author', detail: '' });
      continue;
    }
    const mine = new Set(person.affiliations_folded);
    for (const c of authors.rows) {
      const shared = (c.folded ?? []).findIndex((f) => mine.has(f));
      if (shared >= 0) add(person.id, { kind: 'same-affiliation', detail: `${c.affiliations![shared]} (${nameOf(c)})` });
    }
  }
  for (const c of coAuthors) if (!result.get(c.user_id)?.some((x) => x.kind === 'author')) add(c.user_id, { kind: 'co-author', detail: `${c.name}: ${c.title}` });
  return result;
}

/**
 * Reviewers who wrote another article of the journal with one of the submission's authors. The
 * reviewers' contributions are found by address or ORCID iD (both indexed as compared here: migration
 * 0029), then their co-contributors by publication (indexed), compared with the submission's authors.
 */
async function coAuthorships(db: Db, journalId: number, submissionId: number, publication: RawBuilder<unknown>, people: PageRow[]): Promise<Array<{ user_id: number; name: string; title: string }>> {
  const reviewers = people.map((p) => ({ id: p.id, email: p.email.toLowerCase(), orcid: orcidDigits(p.orcid) }));
  const emails = reviewers.map((r) => r.email);
  const orcids = reviewers.flatMap((r) => (r.orcid ? [r.orcid] : []));
  const contributions = await sql<{ id: number; publication_id: number; email: string | null; orcid: string | null }>`
    SELECT c.id, c.publication_id, lower(c.email) AS email, ${orcidOf(sql`c.orcid`)} AS orcid FROM contributors c
    WHERE lower(c.email) = ANY(${emails}::text[]) OR ${orcidOf(sql`c.orcid`)} = ANY(${orcids}::text[])`.execute(db);
  const authored = contributions.rows.flatMap((c) =>
    reviewers.filter((r) => r.email === c.email || (r.orcid !== null && r.orcid === c.orcid)).map((r) => ({ userId: r.id, contributorId: c.id, publicationId: c.publication_id })),
  );
  if (authored.length === 0) return [];
  const otherName = fullName(sql`o.given_name`, sql`o.family_name`, sql`p.locale`);
  const authorName = fullName(sql`c.given_name`, sql`c.family_name`, sql`sp.locale`);
  const rows = await sql<{ user_id: number; name: string; title: string }>`
    WITH authored (user_id, contributor_id, publication_id) AS (
      SELECT * FROM unnest(${authored.map((a) => a.userId)}::int[], ${authored.map((a) => a.contributorId)}::int[], ${authored.map((a) => a.publicationId)}::int[])
    ), author AS (
      SELECT lower(c.email) AS email, ${orcidOf(sql`c.orcid`)} AS orcid, revista_search_fold(${authorName}) AS name
      FROM contributors c JOIN publications sp ON sp.id = c.publication_id WHERE c.publication_id = ${publication}
    )
    SELECT DISTINCT w.user_id, ${otherName} AS name,
      coalesce(p.title->>p.locale, (SELECT v FROM jsonb_each_text(p.title) AS t(k, v) ORDER BY k LIMIT 1), '') AS title
    FROM authored w
    JOIN publications p ON p.id = w.publication_id
    JOIN articles a ON a.id = p.article_id AND a.journal_id = ${journalId} AND a.id <> ${submissionId}
    JOIN contributors o ON o.publication_id = w.publication_id AND o.id <> w.contributor_id
    WHERE EXISTS (SELECT 1 FROM author x WHERE x.email = lower(o.email) OR x.orcid = ${orcidOf(sql`o.orcid`)}
      OR (x.name <> '' AND x.name = revista_search_fold(${otherName})))
    ORDER BY 1, 2, 3`.execute(db);
  return rows.rows;
}
