import type { FastifyInstance } from 'fastify';
import { localizeText, type MessageKey } from '../../i18n/index.ts';
import { JournalParams, typed } from '../../platform/http/index.ts';
import { formPage, sendPrivatePage } from '../../platform/web/index.ts';
import { richToPlainLine } from '../../ui/index.ts';
import type { WorkflowWebDeps } from './deps.ts';
import { MySubmissionsPage, type MyDraft, type MySubmission } from './views/my-submissions.tsx';
import { SUBMIT, NoticeQuery } from './wizard-shared.ts';

/** The author's dashboard (issue 19, item 3): drafts to finish, submissions and what is expected now. */
export function mySubmissionRoutes(app: FastifyInstance, deps: WorkflowWebDeps): void {
  const { db } = deps;
  const routes = typed(app);

  routes.get('/:journal/dashboard/mySubmissions', { config: SUBMIT, schema: { params: JournalParams, querystring: NoticeQuery } }, async (request, reply) => {
    const { ctx, journal } = await formPage(db, request, reply);
    const userId = request.viewer.user!.userId;
    const rows = await db
      .selectFrom('submissions as s')
      .innerJoin('articles as a', 'a.id', 's.id')
      .innerJoin('publications as p', 'p.id', 'a.current_publication_id')
      .select(['s.id', 's.status', 's.stage', 's.progress', 's.submitted_at', 's.created_at', 's.last_activity_at', 'p.title', 'p.locale', 'p.url_path'])
      .where('s.journal_id', '=', journal!.id)
      .where((eb) => eb.exists(eb.selectFrom('submission_participants as sp').select('sp.id').whereRef('sp.submission_id', '=', 's.id').where('sp.user_id', '=', userId).where('sp.role', '=', 'author')))
      .orderBy('s.last_activity_at', 'desc')
      .limit(500)
      .execute();
    const submittedIds = rows.filter((r) => r.status !== 'draft').map((r) => r.id);
    const waiting = await awaitingReply(userId, submittedIds);
    const titleOf = (r: (typeof rows)[number]) => richToPlainLine(localizeText(r.title, r.locale, ctx.locale)) || null;
    const drafts: MyDraft[] = rows.filter((r) => r.status === 'draft').map((r) => ({ id: r.id, title: titleOf(r), progress: r.progress, createdAt: r.created_at, lastActivityAt: r.last_activity_at }));
    const submissions: MySubmission[] = rows
      .filter((r) => r.status !== 'draft')
      .map((r) => ({
        id: r.id,
        title: titleOf(r),
        status: r.status,
        stage: r.stage,
        submittedAt: r.submitted_at,
        awaitingReply: waiting.get(r.id) ?? null,
        articleHref: r.status === 'published' ? `/${journal!.path}/article/view/${r.url_path ?? r.id}` : null,
      }));
    const notices: Record<string, MessageKey> = { discarded: 'mySubmissions.discarded' };
    const key = request.query.notice && Object.hasOwn(notices, request.query.notice) ? notices[request.query.notice] : undefined;
    return sendPrivatePage(reply, MySubmissionsPage({ ctx, drafts, submissions, ...(key ? { notice: ctx.t(key) } : {}) }));
  });

  /**
   * Per submission, an open discussion the person takes part in whose newest message from someone
   * else is newer than their own last one (or they have written none): they are expected to reply.
   */
  async function awaitingReply(userId: number, submissionIds: number[]): Promise<Map<number, { discussionId: number; subject: string }>> {
    const found = new Map<number, { discussionId: number; subject: string }>();
    if (submissionIds.length === 0) return found;
    const rows = await db
      .selectFrom('discussions as d')
      .innerJoin('discussion_participants as dp', 'dp.discussion_id', 'd.id')
      .select((eb) => [
        'd.id',
        'd.submission_id',
        'd.subject',
        eb.selectFrom('discussion_messages as m').select((m) => m.fn.max('m.created_at').as('at')).whereRef('m.discussion_id', '=', 'd.id').where('m.author_id', '=', userId).as('mine'),
        eb
          .selectFrom('discussion_messages as m')
          .select((m) => m.fn.max('m.created_at').as('at'))
          .whereRef('m.discussion_id', '=', 'd.id')
          .where((w) => w.or([w('m.author_id', '!=', userId), w('m.author_id', 'is', null)]))
          .as('theirs'),
      ])
      .where('dp.user_id', '=', userId)
      .where('d.submission_id', 'in', submissionIds)
      .where('d.closed_at', 'is', null)
      .orderBy('d.id')
      .execute();
    for (const r of rows) {
      if (r.theirs === null) continue;
      const theirs = new Date(r.theirs as Date | string);
      const mine = r.mine === null ? null : new Date(r.mine as Date | string);
      if ((mine === null || theirs > mine) && !found.has(r.submission_id)) found.set(r.submission_id, { discussionId: r.id, subject: r.subject });
    }
    return found;
  }

}
