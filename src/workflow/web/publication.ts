import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { can, requireCan } from '../../accounts/index.ts';
import { listAllIssues, type Db } from '../../catalog/index.ts';
import { formBody, formChecked, formText } from '../../platform/http/forms.ts';
import { IdText, JournalPath, NotFoundError, Type, parseId, typed } from '../../platform/http/index.ts';
import { issueLabel } from '../../platform/web/index.ts';
import type { MessageKey } from '../../i18n/index.ts';
import type { PageContext, SafeHtml } from '../../ui/index.ts';
import { PublishingError, type PublishingErrorCode } from '../production/errors.ts';
import { publishSubmission } from '../production/publishing.ts';
import { fixUrl, readiness, readinessFacts } from '../production/readiness.ts';
import { schedulePublication, unschedulePublication, type ScheduleChoice } from '../production/scheduling.ts';
import { findSubmission, type SubmissionRecord } from '../queries.ts';
import type { WorkflowWebDeps } from './deps.ts';
import { PublicationSection, type PublicationView } from './views/publication.tsx';

/**
 * The Publication section of the submission page (issue 21, items 3-5) and its three forms: schedule
 * (with an issue, online first, at a moment), publish now, unschedule. For those who may publish
 * (`submission.publish`: the deciding editors); nobody else sees it. Each form posts, the command
 * decides (it checks readiness again), and the page comes back with what happened
 * (`?publicationNotice=` or `?publicationError=`, read here).
 */

const SubmissionParams = Type.Object({ journal: JournalPath, id: IdText });
const WORKFLOW = { permission: 'journal.workflow' as const };
const NOTICES = ['published', 'scheduled', 'unscheduled'] as const;
const NOTICE_LABEL: Record<(typeof NOTICES)[number], MessageKey> = { published: 'publishing.notice.published', scheduled: 'publishing.notice.scheduled', unscheduled: 'publishing.notice.unscheduled' };
const ERROR_LABEL: Record<PublishingErrorCode | 'confirm', MessageKey> = {
  'not-accepted': 'publishing.error.not-accepted',
  'not-ready': 'publishing.error.not-ready',
  'not-scheduled': 'publishing.error.not-scheduled',
  'already-published': 'publishing.error.already-published',
  'not-published': 'publishing.error.not-published',
  'issue-unknown': 'publishing.error.issue-unknown',
  'date-invalid': 'publishing.error.date-invalid',
  confirm: 'publishing.error.confirm',
};

const base = (request: FastifyRequest, id: number) => `/${request.viewer.journal!.path}/workflow/index/${id}`;

function issueName(ctx: PageContext, issue: { id: number; volume: number | null; number: string | null; year: number | null; title: Record<string, string>; show_volume: boolean; show_number: boolean; show_year: boolean; show_title: boolean }): string {
  const label = issueLabel({ volume: issue.volume, number: issue.number, year: issue.year, title: issue.title, showVolume: issue.show_volume, showNumber: issue.show_number, showYear: issue.show_year, showTitle: issue.show_title }, ctx.t, ctx.locale, ctx.locale);
  return label.text || `#${issue.id}`;
}

export async function publicationSection(db: Db, request: FastifyRequest, ctx: PageContext, submission: SubmissionRecord): Promise<SafeHtml | undefined> {
  if (submission.status === 'draft' || submission.status === 'declined' || !can(request.viewer.user, 'submission.publish', submission.resource)) return undefined;
  const journalId = submission.journalId;
  const [facts, issues, row] = await Promise.all([
    readinessFacts(db, journalId, submission.id),
    listAllIssues(db, journalId),
    db
      .selectFrom('articles as a')
      .innerJoin('publications as p', 'p.id', 'a.current_publication_id')
      .leftJoin('publication_schedules as ps', 'ps.publication_id', 'p.id')
      .select(['p.issue_id', 'p.date_published', 'ps.mode', 'ps.issue_id as schedule_issue', 'ps.publish_at'])
      .where('a.id', '=', submission.id)
      .executeTakeFirstOrThrow(),
  ]);
  if (!facts) return undefined;
  const names = new Map(issues.map((i) => [i.id, issueName(ctx, i)]));
  const name = (id: number | null) => (id === null ? '' : (names.get(id) ?? `#${id}`));
  const result = readiness(facts);
  const path = request.viewer.journal!.path;
  const status: PublicationView['status'] =
    submission.status === 'published'
      ? { kind: 'published', date: row.date_published === null ? '' : String(row.date_published).slice(0, 10), collectedBy: row.mode === 'online-first' ? name(row.schedule_issue) : null }
      : submission.status === 'scheduled' && row.mode === 'at' && row.publish_at
        ? { kind: 'scheduled-at', at: row.publish_at }
        : submission.status === 'scheduled'
          ? { kind: 'scheduled-issue', issue: name(row.schedule_issue ?? row.issue_id) }
          : { kind: 'active' };
  const query = (request.query ?? {}) as { publicationNotice?: string; publicationError?: string };
  const notice = Object.hasOwn(NOTICE_LABEL, query.publicationNotice ?? '') ? ctx.t(NOTICE_LABEL[query.publicationNotice as (typeof NOTICES)[number]]) : undefined;
  const error = Object.hasOwn(ERROR_LABEL, query.publicationError ?? '') ? ctx.t(ERROR_LABEL[query.publicationError as PublishingErrorCode | 'confirm']) : undefined;
  const view: PublicationView = {
    base: base(request, submission.id),
    accepted: submission.status !== 'active' || submission.stage === 'copyediting' || submission.stage === 'production',
    status,
    blocking: result.blocking.map((item) => ({ item, href: fixUrl(item, path, submission.id) })),
    warnings: result.warnings.map((item) => ({ item, href: fixUrl(item, path, submission.id) })),
    issues: issues.map((i) => ({ id: i.id, name: name(i.id), published: i.is_published })),
    // Offered first: where it is scheduled, else the next issue to come out.
    chosenIssue: row.schedule_issue ?? row.issue_id ?? issues.find((i) => !i.is_published)?.id ?? null,
    ...(notice ? { notice } : {}),
    ...(error ? { error } : {}),
  };
  return PublicationSection({ ctx, view });
}

/** `YYYY-MM-DDTHH:MM` (a datetime-local field, read as UTC as the form says), or undefined. */
function utcMoment(text: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(text)) return undefined;
  const at = new Date(`${text}:00Z`);
  return Number.isNaN(at.getTime()) ? undefined : at;
}

export async function publicationRoutes(app: FastifyInstance, deps: WorkflowWebDeps): Promise<void> {
  const routes = typed(app);
  const { db, clock } = deps;

  /** The submission the viewer may publish: a stranger gets 404, a reader of it who may not publish 403. */
  async function publishable(request: FastifyRequest<{ Params: { id: string } }>): Promise<SubmissionRecord> {
    const submission = await findSubmission(db, request.viewer.journal!.id, parseId(request.params.id));
    if (!submission || !can(request.viewer.user, 'submission.read', submission.resource)) throw new NotFoundError();
    requireCan(request, 'submission.publish', submission.resource);
    return submission;
  }

  const back = (reply: FastifyReply, request: FastifyRequest, id: number, what: string) => reply.redirect(`${base(request, id)}?${what}#publication`, 303);

  /** Runs a step; a refusal comes back to the page with its reason (and a 303, so a reload does not post again). */
  async function step(request: FastifyRequest, reply: FastifyReply, submission: SubmissionRecord, run: () => Promise<(typeof NOTICES)[number]>) {
    let notice: (typeof NOTICES)[number];
    try {
      notice = await run();
    } catch (error) {
      if (!(error instanceof PublishingError)) throw error;
      return back(reply, request, submission.id, `publicationError=${error.code}`);
    }
    return back(reply, request, submission.id, `publicationNotice=${notice}`);
  }

  /** Warnings are confirmed on the form; nothing to confirm when nothing is missing. */
  async function confirmed(submission: SubmissionRecord, body: Record<string, unknown>): Promise<boolean> {
    const facts = await readinessFacts(db, submission.journalId, submission.id, { placed: true });
    return !facts || readiness(facts).warnings.length === 0 || formChecked(body, 'confirmWarnings');
  }

  routes.post('/:journal/workflow/index/:id/publication/schedule', { config: WORKFLOW, schema: { params: SubmissionParams } }, async (request, reply) => {
    const submission = await publishable(request);
    const body = formBody(request);
    const when = formText(body, 'when', 20);
    const issueText = formText(body, 'issueId', 12);
    const issueId = /^[0-9]{1,9}$/.test(issueText) ? Number(issueText) : null;
    let choice: ScheduleChoice;
    if (when === 'issue') {
      if (issueId === null) return back(reply, request, submission.id, 'publicationError=issue-unknown');
      choice = { mode: 'issue', issueId };
    } else if (when === 'online-first') {
      choice = { mode: 'online-first', issueId };
    } else if (when === 'at') {
      const at = utcMoment(formText(body, 'at', 20));
      if (!at) return back(reply, request, submission.id, 'publicationError=date-invalid');
      choice = { mode: 'at', at, issueId };
    } else {
      return back(reply, request, submission.id, 'publicationError=issue-unknown');
    }
    if (!(await confirmed(submission, body))) return back(reply, request, submission.id, 'publicationError=confirm');
    return step(request, reply, submission, async () => {
      const result = await schedulePublication(db, { journalId: submission.journalId, submissionId: submission.id, userId: request.viewer.user!.userId, now: clock.now(), choice });
      return result.status;
    });
  });

  routes.post('/:journal/workflow/index/:id/publication/publish', { config: WORKFLOW, schema: { params: SubmissionParams } }, async (request, reply) => {
    const submission = await publishable(request);
    if (!(await confirmed(submission, formBody(request)))) return back(reply, request, submission.id, 'publicationError=confirm');
    return step(request, reply, submission, async () => {
      await publishSubmission(db, { journalId: submission.journalId, submissionId: submission.id, userId: request.viewer.user!.userId, now: clock.now() });
      return 'published';
    });
  });

  routes.post('/:journal/workflow/index/:id/publication/unschedule', { config: WORKFLOW, schema: { params: SubmissionParams } }, async (request, reply) => {
    const submission = await publishable(request);
    return step(request, reply, submission, async () => {
      await unschedulePublication(db, { journalId: submission.journalId, submissionId: submission.id, now: clock.now() });
      return 'unscheduled';
    });
  });
}
