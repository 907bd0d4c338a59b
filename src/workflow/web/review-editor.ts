import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requireCan } from '../../accounts/index.ts';
import type { DecisionKind } from '../../db/schema.ts';
import { formBody, formChecked, formList, formText } from '../../platform/http/forms.ts';
import { IdText, JournalPath, NotFoundError, Type, typed } from '../../platform/http/index.ts';
import { formPage, sendPrivatePage } from '../../platform/web/index.ts';
import type { FormErrors, PageContext } from '../../ui/index.ts';
import { WorkflowError } from '../errors.ts';
import { currentRound, DECISIONS, decisionsAvailable, RECOMMENDATION_DECISIONS, recordDecision, reviewerLetter, reviewsOfSubmission, type ReviewRound } from '../review/index.ts';
import { submissionFiles, type SubmissionRecord } from '../queries.ts';
import type { WorkflowWebDeps } from './deps.ts';
import { manageAccess } from './manage-access.ts';
import { reviewRequestRoutes } from './review-editor-requests.ts';
import { reviewManagementRoutes } from './review-editor-reviews.ts';
import { reviewerSearchRoutes } from './review-editor-search.ts';
import { managedSubmission, refusalErrors, refusalStatus, submissionBase, submissionTitle, WORKFLOW } from './review-editor-shared.ts';
import { DecisionPage, type DecisionFile, type DecisionFormView } from './views/decision.tsx';

/**
 * The editors' side of review and decisions (issue 20, items 1–3 and 7): decisions and
 * recommendations here; finding and asking reviewers (review-editor-requests.ts); reading and
 * managing each request (review-editor-reviews.ts). The Review section of the submission page is
 * review-editor-stage.ts.
 */

const DecisionParams = Type.Object({ journal: JournalPath, id: IdText, decision: Type.String({ maxLength: 30 }) });

const MAX_MESSAGE = 50000;
/** Decisions taken on a round's reviews, which may go to the author with them. */
const SHARES_REVIEWS: readonly DecisionKind[] = ['accept', 'request-revisions', 'resubmit', 'decline'];

/** What the form was made for: a decision posted from a form of another state (another editor decided meanwhile) is refused. */
const stateOf = (submission: SubmissionRecord, round: ReviewRound | undefined) => `${submission.status}.${submission.stage}.${round?.id ?? 0}.${round?.status ?? ''}`;

export async function reviewEditorRoutes(app: FastifyInstance, deps: WorkflowWebDeps): Promise<void> {
  const { db, clock } = deps;
  const routes = typed(app);

  /** The decision named in the address, and the right to take it (decide, or recommend). */
  function decisionOf(request: FastifyRequest<{ Params: { decision: string } }>, submission: SubmissionRecord): DecisionKind {
    const decision = DECISIONS.find((d) => d === request.params.decision);
    if (!decision) throw new NotFoundError();
    requireCan(request, RECOMMENDATION_DECISIONS.includes(decision) ? 'submission.recommend' : 'submission.decide', submission.resource);
    return decision;
  }

  async function formView(ctx: PageContext, request: FastifyRequest, submission: SubmissionRecord, decision: DecisionKind, posted?: Partial<DecisionFormView>): Promise<DecisionFormView> {
    const round = submission.stage === 'review' ? await currentRound(db, submission.id) : undefined;
    const recommendOnly = RECOMMENDATION_DECISIONS.includes(decision);
    const view: DecisionFormView = {
      decision,
      submissionTitle: await submissionTitle(db, ctx, submission),
      base: submissionBase(request, submission.id),
      fileIds: [],
      message: '',
      sharedReviewIds: [],
      notifyChoice: !recommendOnly,
      notifyAuthor: true,
      state: stateOf(submission, round),
      errors: {},
    };
    if (!decisionsAvailable(submission, round, recommendOnly).includes(decision)) view.refused = ctx.t('workflow.error.decision-not-allowed');
    if (decision === 'send-to-review') {
      const files = await submissionFiles(db, submission.id, 'submission');
      view.files = files.map((f): DecisionFile => ({ id: f.id, name: f.name, sizeBytes: f.sizeBytes, origin: 'submission' }));
      view.fileIds = files.map((f) => f.id);
    } else if (decision === 'new-round' && round) {
      const rows = (await submissionFiles(db, submission.id, 'review')).filter((f) => f.reviewRoundId === round.id);
      rows.sort((a, b) => Number(b.reviewPurpose === 'revision') - Number(a.reviewPurpose === 'revision') || a.id - b.id);
      // The author's revisions go to the new round; the round's review files may go again, unchosen by default.
      view.files = rows.map((f): DecisionFile => ({ id: f.id, name: f.name, sizeBytes: f.sizeBytes, origin: f.reviewPurpose === 'revision' ? 'revision' : 'review-file' }));
      view.fileIds = rows.filter((f) => f.reviewPurpose === 'revision').map((f) => f.id);
    }
    if (round && SHARES_REVIEWS.includes(decision)) {
      const reviews = await reviewsOfSubmission(db, submission.id);
      view.reviews = reviews
        .filter((r) => r.reviewRoundId === round.id && r.status === 'submitted')
        .map((r) => ({ id: r.id, letter: reviewerLetter(reviews, r), recommendation: r.recommendation, commentsForAuthor: r.commentsForAuthor }));
    }
    return { ...view, ...posted };
  }

  async function show(request: FastifyRequest, reply: FastifyReply, ctx: PageContext, submission: SubmissionRecord, view: DecisionFormView, status: number) {
    return sendPrivatePage(reply, DecisionPage({ ctx, access: manageAccess(request.viewer.user, submission.journalId), view }), status);
  }

  routes.get('/:journal/workflow/index/:id/decision/:decision', { config: WORKFLOW, schema: { params: DecisionParams } }, async (request, reply) => {
    const submission = await managedSubmission(db, request);
    const decision = decisionOf(request, submission);
    const { ctx } = await formPage(db, request, reply);
    const view = await formView(ctx, request, submission, decision);
    return show(request, reply, ctx, submission, view, view.refused ? 409 : 200);
  });

  routes.post('/:journal/workflow/index/:id/decision/:decision', { config: WORKFLOW, schema: { params: DecisionParams } }, async (request, reply) => {
    const submission = await managedSubmission(db, request);
    const decision = decisionOf(request, submission);
    const { ctx } = await formPage(db, request, reply);
    const body = formBody(request);
    const ids = (name: string) => [...new Set(formList(body, name).filter((v) => /^[0-9]{1,10}$/.test(v)).map(Number))].slice(0, 200);
    const posted = {
      message: formText(body, 'message', MAX_MESSAGE + 1),
      fileIds: ids('fileIds'),
      sharedReviewIds: ids('sharedReviewIds'),
      notifyAuthor: formChecked(body, 'notifyAuthor'),
    };
    const view = await formView(ctx, request, submission, decision, posted);
    // What was typed is shown again with the refusal; a form made before another decision is not taken as if it were current.
    // A decision no longer possible says so, with the message kept on the page.
    const refuse = (errors: FormErrors, status: number) => show(request, reply, ctx, submission, { ...view, errors }, status);
    if (formText(body, 'state', 100) !== view.state) return refuse({ '': ctx.t('reviewEditor.decisionPage.stale') }, 409);
    try {
      await recordDecision(db, {
        journalId: submission.journalId,
        submissionId: submission.id,
        decision,
        editorId: request.viewer.user!.userId,
        recommendOnly: RECOMMENDATION_DECISIONS.includes(decision),
        message: posted.message,
        ...(view.reviews ? { sharedReviewIds: posted.sharedReviewIds } : {}),
        ...(view.files ? { fileIds: posted.fileIds } : {}),
        notifyAuthor: view.notifyChoice ? posted.notifyAuthor : true,
        now: clock.now(),
      });
    } catch (error) {
      if (!(error instanceof WorkflowError)) throw error;
      request.log.info({ submissionId: submission.id, decision, refused: error.code }, 'decision refused');
      return refuse(refusalErrors(ctx, error, ['fileIds', 'message', 'sharedReviewIds']), refusalStatus(error));
    }
    const notice = RECOMMENDATION_DECISIONS.includes(decision) ? 'recommended' : 'decided';
    return reply.redirect(`${submissionBase(request, submission.id)}?reviewNotice=${notice}#review`, 303);
  });

  await reviewerSearchRoutes(app, deps);
  await reviewRequestRoutes(app, deps);
  await reviewManagementRoutes(app, deps);
}

