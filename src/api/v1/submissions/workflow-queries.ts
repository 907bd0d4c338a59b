import type { Kysely } from 'kysely';
import type { Principal } from '../../../accounts/index.ts';
import type { Database, SubmissionStatus } from '../../../db/index.ts';
import type { ListedArticle } from './queries.ts';

/**
 * The workflow's submissions a token's person may see, as `submission.read` (workflow/policy.ts)
 * decides one by one, said once in SQL so a page of them is counted and paged by the database:
 * a draft is its authors' alone; a submitted one is also its journal's managers' and editors', its
 * section's section editors' and its assigned editors'.
 */

type Db = Kysely<Database>;

export interface WorkflowRow {
  status: SubmissionStatus;
  stage: 'submission' | 'review' | 'copyediting' | 'production';
  progress: 'start' | 'files' | 'details' | 'contributors' | 'references' | 'review';
  submittedAt: Date | null;
  lastActivityAt: Date;
  commentsForEditor: string;
}

export async function listWorkflowSubmissions(db: Db, principal: Principal, journalId: number, statuses: readonly SubmissionStatus[], page: { limit: number; offset: number }): Promise<{ articles: Array<ListedArticle & { workflow: WorkflowRow }>; total: number }> {
  const roles = principal.roles.get(journalId);
  const editsAll = principal.isAdmin || roles?.has('manager') === true || roles?.has('editor') === true;
  const sections = roles?.has('section-editor') ? [...principal.sectionIds] : [];
  const query = db
    .selectFrom('submissions as s')
    .innerJoin('articles as a', 'a.id', 's.id')
    .innerJoin('publications as p', 'p.id', 'a.current_publication_id')
    .where('s.journal_id', '=', journalId)
    .where('s.status', 'in', [...statuses])
    .where((eb) => {
      const participant = (roles: Array<'author' | 'editor' | 'section-editor'>) =>
        eb.exists(eb.selectFrom('submission_participants as sp').select('sp.id').whereRef('sp.submission_id', '=', 's.id').where('sp.user_id', '=', principal.userId).where('sp.role', 'in', roles));
      const submitted = eb('s.status', '!=', 'draft');
      const journalSees = editsAll ? submitted : eb.and([submitted, eb.or([participant(['editor', 'section-editor']), ...(sections.length > 0 ? [eb('p.section_id', 'in', sections)] : [])])]);
      return eb.or([participant(['author']), journalSees]);
    });
  const [rows, count] = await Promise.all([
    query
      .selectAll('a')
      .select(['s.status as wf_status', 's.stage as wf_stage', 's.progress as wf_progress', 's.submitted_at as wf_submitted_at', 's.last_activity_at as wf_last_activity_at', 's.comments_for_editor as wf_comments'])
      .orderBy('s.last_activity_at', 'desc')
      .orderBy('s.id', 'desc')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ]);
  const articles = rows.map(({ wf_status, wf_stage, wf_progress, wf_submitted_at, wf_last_activity_at, wf_comments, ...article }) => ({
    ...(article as ListedArticle),
    workflow: { status: wf_status, stage: wf_stage, progress: wf_progress, submittedAt: wf_submitted_at, lastActivityAt: wf_last_activity_at, commentsForEditor: wf_comments },
  }));
  return { articles, total: Number(count.total) };
}

/** People's names by id, for the participants of a submission. */
export async function namesOf(db: Db, userIds: readonly number[]): Promise<Map<number, { given_name: Record<string, string>; family_name: Record<string, string>; email: string }>> {
  if (userIds.length === 0) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'given_name', 'family_name', 'email']).where('id', 'in', [...new Set(userIds)]).execute();
  return new Map(rows.map((r) => [r.id, r]));
}
