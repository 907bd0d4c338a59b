import { sql, type Expression, type SqlBool } from 'kysely';
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

  const hasEditor = (s: string) => sql<SqlBool>`EXISTS (SELECT 1 FROM submission_participants sp WHERE sp.submission_id = ${sql.ref(s)} AND sp.role IN ('editor', 'section-editor'))`;
  const isMine = sql<SqlBool>`EXISTS (SELECT 1 FROM submission_participants sp WHERE sp.submission_id = s.id AND sp.user_id = ${principal.userId} AND sp.role IN ('editor', 'section-editor'))`;
  const overdue = sql<SqlBool>`(s.status = 'active' AND s.stage = 'submission' AND s.submitted_at < ${overdueBefore} AND NOT ${hasEditor('s.id')})`;

  const conditions: Expression<SqlBool>[] = [];
  if (!seesWholeJournal(principal, journalId)) {
    const sections = [...principal.sectionIds];
    conditions.push(sections.length > 0 ? sql<SqlBool>`(p.section_id IN (${sql.join(sections)}) OR ${isMine})` : isMine);
  }
  const words = searchWords(filters.search);
  if (words.length > 0) {
    // Folded by the database, as the searched text is, then matched as plain patterns.
    const folded = (await sql<{ w: string }>`SELECT revista_fold(w) AS w FROM unnest(${words}::text[]) WITH ORDINALITY AS t(w, n) ORDER BY n`.execute(db)).rows.map((r) => r.w).filter((w) => w !== '');
    for (const word of folded) {
      const pattern = `%${likeEscape(word)}%`;
      const byId = /^[0-9]{1,9}$/.test(word) ? sql<SqlBool>`s.id = ${Number(word)} OR ` : sql``;
      conditions.push(sql<SqlBool>`(${byId}revista_fold(revista_localized_values(p.title)) LIKE ${pattern}
        OR EXISTS (SELECT 1 FROM contributors c WHERE c.publication_id = p.id
          AND revista_fold(revista_localized_values(c.given_name) || ' ' || revista_localized_values(c.family_name)) LIKE ${pattern}))`);
    }
  }
  if (filters.sectionId !== undefined) conditions.push(sql<SqlBool>`p.section_id = ${filters.sectionId}`);
  if (filters.stage) conditions.push(sql<SqlBool>`s.stage = ${filters.stage}`);
  if (filters.status) conditions.push(sql<SqlBool>`s.status = ${filters.status}`);
  if (filters.submittedFrom) conditions.push(sql<SqlBool>`s.submitted_at >= ${filters.submittedFrom}`);
  if (filters.submittedTo) conditions.push(sql<SqlBool>`s.submitted_at < ${new Date(filters.submittedTo.getTime() + 86_400_000)}`);
  if (filters.overdue) conditions.push(overdue);

  const queueCondition: Record<Queue, Expression<SqlBool>> = {
    mine: sql<SqlBool>`(s.status = 'active' AND ${isMine})`,
    unassigned: sql<SqlBool>`(s.status = 'active' AND NOT ${hasEditor('s.id')})`,
    active: sql<SqlBool>`s.status = 'active'`,
    archived: sql<SqlBool>`s.status IN ('declined', 'published')`,
  };

  const base = () => {
    let query = db
      .selectFrom('submissions as s')
      .innerJoin('articles as a', 'a.id', 's.id')
      .innerJoin('publications as p', 'p.id', 'a.current_publication_id')
      .where('s.journal_id', '=', journalId)
      .where('s.status', '!=', 'draft');
    for (const condition of conditions) query = query.where(condition);
    return query;
  };

  const countRow = await base()
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

  const rows = await base()
    .where(queueCondition[input.queue])
    .leftJoin('sections as sec', 'sec.id', 'p.section_id')
    .select(['s.id', 's.status', 's.stage', 's.submitted_at', 's.last_activity_at', 'p.id as publication_id', 'p.title', 'p.locale', 'p.section_id', 'sec.title as section_title', overdue.as('overdue')])
    .orderBy(sql`s.submitted_at DESC NULLS LAST`)
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
    rows: rows.map((r) => ({
      id: r.id,
      title: r.title,
      locale: r.locale,
      sectionId: r.section_id,
      sectionTitle: r.section_title ?? {},
      status: r.status,
      stage: r.stage,
      submittedAt: r.submitted_at,
      lastActivityAt: r.last_activity_at,
      overdue: Boolean(r.overdue),
      authors: authors.filter((c) => c.publication_id === r.publication_id).map((c) => ({ givenName: c.given_name, familyName: c.family_name })),
      editors: editors.filter((e) => e.submission_id === r.id).map((e) => ({ userId: e.user_id, role: e.role, givenName: e.given_name, familyName: e.family_name, email: e.email })),
    })),
  };
}
