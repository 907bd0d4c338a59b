import type { FastifyRequest } from 'fastify';
import type { JournalSummary } from '../../../catalog/index.ts';
import { HttpError, NotFoundError } from '../../../platform/http/index.ts';
import { RECOMMENDATION_DECISIONS, recordDecision, reviewForm, reviewResponses, reviewsOfSubmission, type ResponseValue, type ReviewForm, type SubmissionRecord } from '../../../workflow/index.ts';
import { callerCan, requireCallerCan } from '../../auth.ts';
import { Paged } from '../common.ts';
import type { ApiDeps, ApiRoutes } from '../deps.ts';
import { readableSubmission } from '../submissions/workflow-routes.ts';
import { namesOf } from '../submissions/workflow-queries.ts';
import { workflowRefusals } from '../submissions/workflow-schema.ts';
import { callerOf } from './access.ts';
import { presentDecision } from './presenter.ts';
import { decisionsOf } from './queries.ts';
import { Decision, DecisionParams, NewDecision, SubmissionReviewParams } from './schema.ts';

/**
 * Editorial decisions (issue 20, item 7), as OJS's `POST /submissions/{id}/decisions`: an editor
 * who decides records decisions, one the manager limited to recommending records recommendations;
 * each is refused (403) the other kind. Out of order (accept while the journal waits for reviews, a
 * new round before revisions were asked for) is a 409 with the reason. Authors read the decisions
 * sent to them, with the reviews shared, anonymised as each review's mode says.
 */

const tags = ['review'];
const csrf = { csrf: false } as const;

export function decisionRoutes(routes: ApiRoutes, { db, baseUrl, clock }: ApiDeps): void {
  async function present(request: FastifyRequest, journal: JournalSummary, record: SubmissionRecord, only?: number) {
    const forEditors = callerCan(request, 'submission.manage-review', record.resource);
    const all = await decisionsOf(db, record.id);
    // The author is sent decisions, never the recommendations editors make to each other.
    const listed = all.filter((d) => (only === undefined || d.id === only) && (forEditors || !RECOMMENDATION_DECISIONS.includes(d.decision)));
    const reviews = await reviewsOfSubmission(db, record.id);
    const sharedIds = new Set(listed.flatMap((d) => d.sharedReviewIds));
    const shared = reviews.filter((r) => sharedIds.has(r.id));
    const answers = new Map<number, ReadonlyMap<number, ResponseValue>>();
    const forms = new Map<number, ReviewForm>();
    for (const review of shared) {
      answers.set(review.id, await reviewResponses(db, review.id));
      if (review.reviewFormId !== null && !forms.has(review.reviewFormId)) {
        const form = await reviewForm(db, journal.id, review.reviewFormId);
        if (form) forms.set(form.id, form);
      }
    }
    const editors = forEditors ? await namesOf(db, listed.flatMap((d) => (d.editorId === null ? [] : [d.editorId]))) : new Map();
    const context = { where: { baseUrl, journalPath: journal.path }, locale: journal.primaryLocale, forEditors, editors, reviews, answers, forms };
    return listed.map((d) => presentDecision(d, context));
  }

  routes.get(
    '/:journal/api/v1/submissions/:submissionId/decisions',
    {
      config: csrf,
      schema: {
        summary: 'List a submission’s decisions',
        description:
          'Oldest first. Its editors see every decision and recommendation, who made it and the reviews shared; its authors the decisions (not recommendations), with the shared reviews by letter (`Reviewer A`) unless the review was open, and only the form’s answers the journal shows authors.',
        tags,
        operationId: 'getDecisions',
        tokenRequired: true,
        params: SubmissionReviewParams,
        response: { 200: Paged(Decision) },
      },
    },
    async (request) => {
      const { journal, record } = await readableSubmission(db, request, request.params.journal, request.params.submissionId);
      const items = await present(request, journal, record);
      return { itemsMax: items.length, items };
    },
  );

  routes.get(
    '/:journal/api/v1/submissions/:submissionId/decisions/:decisionId',
    { config: csrf, schema: { summary: 'Get a decision', description: 'As in the list, for the same readers.', tags, operationId: 'getDecision', tokenRequired: true, params: DecisionParams, response: { 200: Decision } } },
    async (request) => {
      const { journal, record } = await readableSubmission(db, request, request.params.journal, request.params.submissionId);
      const [decision] = await present(request, journal, record, request.params.decisionId);
      if (!decision) throw new NotFoundError(`no decision ${request.params.decisionId} of submission ${record.id}`);
      return decision;
    },
  );

  routes.post(
    '/:journal/api/v1/submissions/:submissionId/decisions',
    {
      config: csrf,
      schema: {
        summary: 'Record a decision or a recommendation',
        description:
          'What it does: `send-to-review` opens round 1 with `fileIds`; `request-revisions` and `resubmit` ask the author for revisions; `new-round` opens the next round with `fileIds` (the revisions); `accept` moves to copyediting; `send-to-production` (from copyediting, with the production-ready `fileIds`; the layout editors are told) and `back-to-copyediting`; `decline`, `initial-decline`, `revert-decline`. An editor limited to recommending posts `recommend-*` only; the deciding editors are told. The author is mailed the decision with `message` and the reviews in `sharedReviewIds` unless `notifyAuthor` is false. A decision out of order is refused with 409.',
        tags,
        operationId: 'addDecision',
        tokenRequired: true,
        params: SubmissionReviewParams,
        body: NewDecision,
        response: { 201: Decision, ...workflowRefusals(409, 422) },
      },
    },
    async (request, reply) => {
      const { journal, record } = await readableSubmission(db, request, request.params.journal, request.params.submissionId);
      const body = request.body;
      const recommendation = RECOMMENDATION_DECISIONS.includes(body.decision);
      if (!callerCan(request, recommendation ? 'submission.recommend' : 'submission.decide', record.resource)) {
        // Tell an editor of the submission which kind they may post; anyone else hears only that they may not.
        if (callerCan(request, recommendation ? 'submission.decide' : 'submission.recommend', record.resource)) {
          throw new HttpError(403, recommendation ? 'you decide on this submission: post the decision itself, not a recommendation' : 'you are limited to recommending on this submission: post a `recommend-*` decision');
        }
        requireCallerCan(request, 'submission.decide', record.resource);
      }
      const id = await recordDecision(db, {
        journalId: journal.id,
        submissionId: record.id,
        decision: body.decision,
        editorId: callerOf(request).userId,
        recommendOnly: recommendation,
        message: body.message ?? '',
        sharedReviewIds: body.sharedReviewIds ?? [],
        fileIds: body.fileIds ?? [],
        notifyAuthor: body.notifyAuthor ?? true,
        now: clock.now(),
      });
      request.log.info({ submissionId: record.id, decisionId: id, decision: body.decision, tokenId: request.apiCaller?.tokenId }, 'decision recorded through the API');
      const [decision] = await present(request, journal, record, id);
      return reply.code(201).header('location', decision!._href).send(decision);
    },
  );
}
