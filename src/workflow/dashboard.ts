import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import type { Db } from '../catalog/index.ts';
import type { LocalizedText, ParticipantRole, SubmissionStatus, WorkflowStage } from '../db/schema.ts';
import type { Principal } from '../platform/policy/index.ts';
import { holdsRole } from '../platform/policy/index.ts';
import { submissionSettings } from './settings/read.ts';

/**
 * The editorial dashboard's queues (issue 19, item 4): a journal's submissions as one editor sees
 * them. One query counts every queue, one reads the page, two more its authors and editors, whatever
 * the number of submissions; search and filters apply to counts and page alike.
 */

export const QUEUES = ['mine', 'unassigned', 'active', 'archived'] as const;
export type Queue = (typeof QUEUES)[number];
export const DASHBOARD_PAGE_SIZE = 50;
/** Longer searches are cut: nobody types more, and every word costs a scan. */
export const MAX_SEARCH_LENGTH = 200;
const MAX_SEARCH_WORDS = 6;
/** Words shorter than this match almost everything and no trigram index serves them. */
const MIN_WORD_LENGTH = 3;
/** Matching submissions passed to the dashboard's queries as a list, up to this many. */
const MAX_MATCHES = 5000;

export interface DashboardFilters {
  search?: string;
  sectionId?: number;
  stage?: WorkflowStage;
  status?: Exclude<SubmissionStatus, 'draft'>;
  /** Submitted on or after this day (UTC midnight). */
  submittedFrom?: Date;
  /** Submitted before the end of this day. */
  submittedTo?: Date;
  overdue?: boolean;
}

export interface DashboardRow {
  id: number;
  title: LocalizedText;
  locale: string;
  sectionId: number;
  sectionTitle: LocalizedText;
  status: SubmissionStatus;
  stage: WorkflowStage;
  submittedAt: Date | null;
  lastActivityAt: Date;
  overdue: boolean;
  authors: Array<{ givenName: LocalizedText; familyName: LocalizedText }>;
  editors: Array<{ userId: number; role: ParticipantRole; givenName: LocalizedText; familyName: LocalizedText; email: string }>;
}

export interface DashboardPage {
  queue: Queue;
  counts: Record<Queue, number>;
  rows: DashboardRow[];
  page: number;
  pages: number;
  daysToFirstAction: number;
}

/** Whether the person sees every submission of the journal (else: their sections' and assignments'). */
export function seesWholeJournal(principal: Principal, journalId: number): boolean {
  return principal.isAdmin || holdsRole(principal, journalId, ['manager', 'editor']);
}

/** The typed words, folded by the database as the searched text is (lower case, no diacritics). */
export function searchWords(search: string | undefined): string[] {
  if (!search) return [];
  return search
    .slice(0, MAX_SEARCH_LENGTH)
    .split(/\s+/)
    .map((w) => w.replace(/^#/, ''))
    .filter((w) => w !== '')
    .slice(0, MAX_SEARCH_WORDS);
}

const likeEscape = (word: string) => word.replace(/[\\%_]/g, (c) => `\\${c}`);

const EDITOR_ROLES: ParticipantRole[] = ['editor', 'section-editor'];

export async function editorialDashboard(db: Db, input: { journalId: number; principal: Principal; queue: Queue; filters: DashboardFilters; page: number; now: Date }): Promise<DashboardPage> {
  const { journalId, principal, filters } = input;
  const settings = await submissionSettings(db, journalId);
  const overdueBefore = new Date(input.now.getTime() - settings.daysToFirstAction * 86_400_000);

  // Written as IN (…) so the planner may hash the (few) editor assignments once rather than probe per submission.
  const editorSubmissions = sql`SELECT sp.submission_id FROM submission_participants sp WHERE sp.role IN ('editor', 'section-editor')`;
  const hasEditor = sql<SqlBool>`s.id IN (${editorSubmissions})`;
  const isMine = sql<SqlBool>`s.id IN (${editorSubmissions} AND sp.user_id = ${principal.userId})`;
  const overdue = sql<SqlBool>`(s.status = 'active' AND s.stage = 'submission' AND s.submitted_at < ${overdueBefore} AND NOT ${hasEditor})`;

  const conditions: Expression<SqlBool>[] = [];
  let needsPublication = false;
  if (!seesWholeJournal(principal, journalId)) {
    const sections = [...principal.sectionIds];
    conditions.push(sections.length > 0 ? sql<SqlBool>`(p.section_id IN (${sql.join(sections)}) OR ${isMine})` : isMine);
    needsPublication = true;
  }
  const words = searchWords(filters.search);
  if (words.length > 0) {
    // Folded by the database as the searched text is (migrations 0027, 0032), then matched as plain
    // patterns that the trigram index of submission_search serves.
    const folded = (await sql<{ w: string }>`SELECT revista_search_fold(w) AS w FROM unnest(${words}::text[]) WITH ORDINALITY AS t(w, n) ORDER BY n`.execute(db)).rows.map((r) => r.w);
    // Every word must match a title in any language, of any version, a contributor's name, or the
    // submission's number (a submission's id is its article's). submission_search holds the folded
    // titles and names of this journal's submissions alone, one per line (0032): the matching
    // submissions are read once, then used by the counts and the page alike.
    const wordConditions: RawBuilder<SqlBool>[] = [];
    for (const word of folded) {
      if ([...word].length < MIN_WORD_LENGTH && !/^[0-9]+$/.test(word)) continue;
      const byId = /^[0-9]{1,9}$/.test(word) ? sql<SqlBool>`ss.submission_id = ${Number(word)}` : undefined;
      if ([...word].length < MIN_WORD_LENGTH) {
        wordConditions.push(byId!);
        continue;
      }
      const byText = sql<SqlBool>`ss.words LIKE ${`%${likeEscape(word)}%`}`;
      wordConditions.push(byId ? sql<SqlBool>`(${byText} OR ${byId})` : byText);
    }
    if (wordConditions.length === 0) {
      // Only words too short to search for: nothing matches (rather than everything).
      conditions.push(sql<SqlBool>`false`);
    } else {
      const matching = sql`SELECT ss.submission_id AS id FROM submission_search ss WHERE ss.journal_id = ${journalId} AND ${sql.join(wordConditions, sql` AND `)}`;
      const ids = (await sql<{ id: number }>`${matching} LIMIT ${MAX_MATCHES + 1}`.execute(db)).rows.map((r) => r.id);
      // A word found in nearly every submission: matched inside the queries instead of as a list.
      conditions.push(ids.length > MAX_MATCHES ? sql<SqlBool>`s.id IN (${matching})` : ids.length === 0 ? sql<SqlBool>`false` : sql<SqlBool>`s.id = ANY(${ids}::int[])`);
    }
  }
  if (filters.sectionId !== undefined) {
    conditions.push(sql<SqlBool>`p.section_id = ${filters.sectionId}`);
    needsPublication = true;
  }
  if (filters.stage) conditions.push(sql<SqlBool>`s.stage = ${filters.stage}`);
  if (filters.status) conditions.push(sql<SqlBool>`s.status = ${filters.status}`);
  if (filters.submittedFrom) conditions.push(sql<SqlBool>`s.submitted_at >= ${filters.submittedFrom}`);
  if (filters.submittedTo) conditions.push(sql<SqlBool>`s.submitted_at < ${new Date(filters.submittedTo.getTime() + 86_400_000)}`);
  if (filters.overdue) conditions.push(overdue);

  const queueCondition: Record<Queue, Expression<SqlBool>> = {
    mine: sql<SqlBool>`(s.status = 'active' AND ${isMine})`,
    unassigned: sql<SqlBool>`(s.status = 'active' AND NOT ${hasEditor})`,
    active: sql<SqlBool>`s.status = 'active'`,
    archived: sql<SqlBool>`s.status IN ('declined', 'published')`,
  };

  // The counts need a submission's publication only when a condition reads it (section, search, a section editor's view).
  const base = (withPublication: boolean) => {
    let query = db
      .selectFrom('submissions as s')
      .$if(withPublication, (q) => q.innerJoin('articles as a', 'a.id', 's.id').innerJoin('publications as p', 'p.id', 'a.current_publication_id'))
      .where('s.journal_id', '=', journalId)
      .where('s.status', '!=', 'draft');
    for (const condition of conditions) query = query.where(condition);
    return query;
  };

  const countRow = await base(needsPublication)
    .select([
      sql<string>`count(*) FILTER (WHERE ${queueCondition.mine})`.as('mine'),
      sql<string>`count(*) FILTER (WHERE ${queueCondition.unassigned})`.as('unassigned'),
      sql<string>`count(*) FILTER (WHERE ${queueCondition.active})`.as('active'),
      sql<string>`count(*) FILTER (WHERE ${queueCondition.archived})`.as('archived'),
    ])
    .executeTakeFirstOrThrow();
  const counts: Record<Queue, number> = { mine: Number(countRow.mine), unassigned: Number(countRow.unassigned), active: Number(countRow.active), archived: Number(countRow.archived) };
  const pages = Math.max(1, Math.ceil(counts[input.queue] / DASHBOARD_PAGE_SIZE));
  const page = Math.min(Math.max(1, input.page), pages);

  let listQuery = db
    .selectFrom('submissions as s')
    .innerJoin('articles as a', 'a.id', 's.id')
    .innerJoin('publications as p', 'p.id', 'a.current_publication_id')
    .leftJoin('sections as sec', 'sec.id', 'p.section_id')
    .where('s.journal_id', '=', journalId)
    .where('s.status', '!=', 'draft')
    .where(queueCondition[input.queue]);
  for (const condition of conditions) listQuery = listQuery.where(condition);
  const rows = await listQuery
    .select(['s.id', 's.status', 's.stage', 's.submitted_at', 's.last_activity_at', 'p.id as publication_id', 'p.title', 'p.locale', 'p.section_id', 'sec.title as section_title'])
    .orderBy('s.submitted_at', 'desc')
    .orderBy('s.id', 'desc')
    .limit(DASHBOARD_PAGE_SIZE)
    .offset((page - 1) * DASHBOARD_PAGE_SIZE)
    .execute();

  const publicationIds = rows.map((r) => r.publication_id);
  const submissionIds = rows.map((r) => r.id);
  const [authors, editors] = await Promise.all([
    publicationIds.length === 0
      ? []
      : db.selectFrom('contributors').select(['publication_id', 'given_name', 'family_name']).where('publication_id', 'in', publicationIds).orderBy('publication_id').orderBy('seq').orderBy('id').execute(),
    submissionIds.length === 0
      ? []
      : db
          .selectFrom('submission_participants as sp')
          .innerJoin('users as u', 'u.id', 'sp.user_id')
          .select(['sp.submission_id', 'sp.user_id', 'sp.role', 'u.given_name', 'u.family_name', 'u.email'])
          .where('sp.submission_id', 'in', submissionIds)
          .where('sp.role', 'in', EDITOR_ROLES)
          .orderBy('sp.id')
          .execute(),
  ]);

  return {
    queue: input.queue,
    counts,
    page,
    pages,
    daysToFirstAction: settings.daysToFirstAction,
    rows: rows.map((r) => {
      const rowEditors = editors.filter((e) => e.submission_id === r.id);
      return {
      id: r.id,
      title: r.title,
      locale: r.locale,
      sectionId: r.section_id,
      sectionTitle: r.section_title ?? {},
      status: r.status,
      stage: r.stage,
      submittedAt: r.submitted_at,
      lastActivityAt: r.last_activity_at,
      authors: authors.filter((c) => c.publication_id === r.publication_id).map((c) => ({ givenName: c.given_name, familyName: c.family_name })),
      // As the overdue filter says (read here for the page's 50 rows rather than by the database for each).
      overdue: r.status === 'active' && r.stage === 'submission' && r.submitted_at !== null && r.submitted_at < overdueBefore && rowEditors.length === 0,
      editors: rowEditors.map((e) => ({ userId: e.user_id, role: e.role, givenName: e.given_name, familyName: e.family_name, email: e.email })),
    };
    }),
  };
}
