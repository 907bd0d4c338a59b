import type { FastifyRequest } from 'fastify';
import type { JournalSummary } from '../../../catalog/index.ts';
import { FieldsError, NotFoundError, Type } from '../../../platform/http/index.ts';
import {
  cancelReview,
  changeReviewDates,
  decisionsAvailable,
  findReview,
  rateReview,
  reinstateReview,
  remindReviewer,
  requestReview,
  reviewResponses,
  reviewRounds,
  reviewsOfSubmission,
  type SubmissionRecord,
} from '../../../workflow/index.ts';
import { callerCan } from '../../auth.ts';
import { Paged } from '../common.ts';
import type { ApiDeps, ApiRoutes } from '../deps.ts';
import { readableSubmission } from '../submissions/workflow-routes.ts';
import { workflowRefusals } from '../submissions/workflow-schema.ts';
import { callerOf, managedReview, reviewedSubmission } from './access.ts';
import { presentAssignment, presentRound, type Where } from './presenter.ts';
import { reviewAttachments, roundFiles } from './queries.ts';
import { AssignmentParams, NewReviewAssignment, ReviewAssignment, ReviewDates, ReviewRating, ReviewRound, RoundParams, SubmissionReviewParams } from './schema.ts';

/**
 * A submission's review rounds and review requests, for its editors (issue 20, items 1–3): ask a
 * reviewer (one of the journal's, or someone new by name and address), change dates, cancel,
 * reinstate, remind, rate. Each write is the workflow's command, as the editor's pages call it.
 * Authors read the rounds (number, status, dates) and nothing of the requests.
 */

const tags = ['review'];
const csrf = { csrf: false } as const;

/** A date-time of the body, or a 422 naming its field. */
function dateOf(value: string | undefined, pointer: string): Date | undefined {
  if (value === undefined) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new FieldsError([{ in: 'body', pointer, detail: 'is not a date and time (ISO 8601, e.g. 2027-01-15T12:00:00Z)' }]);
  return date;
}

export function assignmentRoutes(routes: ApiRoutes, { db, baseUrl, clock }: ApiDeps): void {
  const where = (journal: JournalSummary): Where => ({ journalPath: journal.path, baseUrl });

  /** The rounds as the caller may see them: the files they may read (authors: their revisions); editors also the requests and (current round) the decisions open to them. */
  async function presentRounds(request: FastifyRequest, journal: JournalSummary, record: SubmissionRecord) {
    const [rounds, all] = await Promise.all([reviewRounds(db, record.id), roundFiles(db, record.id)]);
    const files = all.filter((f) => callerCan(request, 'submission-file.read', { kind: 'submission-file', fileId: f.id, stage: 'review', reviewRoundId: f.reviewRoundId, reviewPurpose: f.purpose, submission: record.resource }));
    if (!callerCan(request, 'submission.manage-review', record.resource)) return rounds.map((r) => presentRound(r, where(journal), files));
    const reviews = await reviewsOfSubmission(db, record.id);
    const recommendOnly = callerCan(request, 'submission.recommend', record.resource);
    const decides = recommendOnly || callerCan(request, 'submission.decide', record.resource);
    const last = rounds.at(-1);
    return rounds.map((r) => presentRound(r, where(journal), files, { reviews, now: clock.now(), ...(decides && r === last && record.stage === 'review' ? { decisionsAvailable: decisionsAvailable(record, r, recommendOnly) } : {}) }));
  }

  routes.get(
    '/:journal/api/v1/submissions/:submissionId/reviewRounds',
    {
      config: csrf,
      schema: {
        summary: 'List a submission’s review rounds',
        description: 'First to last. Its editors see each round’s files and requests by status, and on the current round the decisions they may record now; its authors see the rounds’ numbers, statuses and dates.',
        tags,
        operationId: 'getReviewRounds',
        tokenRequired: true,
        params: SubmissionReviewParams,
        response: { 200: Paged(ReviewRound) },
      },
    },
    async (request) => {
      const { journal, record } = await readableSubmission(db, request, request.params.journal, request.params.submissionId);
      const items = await presentRounds(request, journal, record);
      return { itemsMax: items.length, items };
    },
  );

  routes.get(
    '/:journal/api/v1/submissions/:submissionId/reviewRounds/:reviewRoundId',
    { config: csrf, schema: { summary: 'Get a review round', tags, operationId: 'getReviewRound', tokenRequired: true, params: RoundParams, response: { 200: ReviewRound } } },
    async (request) => {
      const { journal, record } = await readableSubmission(db, request, request.params.journal, request.params.submissionId);
      const round = (await presentRounds(request, journal, record)).find((r) => r.id === request.params.reviewRoundId);
      if (!round) throw new NotFoundError(`no review round ${request.params.reviewRoundId} of submission ${record.id}`);
      return round;
    },
  );

  async function presentOne(journal: JournalSummary, reviewId: number) {
    const review = (await findReview(db, journal.id, reviewId))!;
    const [siblings, answers, attachments] = await Promise.all([reviewsOfSubmission(db, review.submissionId), reviewResponses(db, review.id), reviewAttachments(db, [review.id])]);
    return presentAssignment(review, { where: where(journal), locale: journal.primaryLocale, siblings, now: clock.now() }, { answers, attachments });
  }

  routes.get(
    '/:journal/api/v1/submissions/:submissionId/reviewAssignments',
    {
      config: csrf,
      schema: {
        summary: 'List a submission’s review requests',
        description: 'Every round’s, oldest first, with who was asked, the dates, where each stands and whether it is late. For the submission’s editors.',
        tags,
        operationId: 'getReviewAssignments',
        tokenRequired: true,
        params: SubmissionReviewParams,
        querystring: Type.Object({ reviewRoundId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647, description: 'Only this round’s.' })) }),
        response: { 200: Paged(ReviewAssignment) },
      },
    },
    async (request) => {
      const { journal, record } = await reviewedSubmission(db, request, request.params.journal, request.params.submissionId);
      const reviews = await reviewsOfSubmission(db, record.id);
      const listed = request.query.reviewRoundId === undefined ? reviews : reviews.filter((r) => r.reviewRoundId === request.query.reviewRoundId);
      const context = { where: where(journal), locale: journal.primaryLocale, siblings: reviews, now: clock.now() };
      return { itemsMax: listed.length, items: listed.map((r) => presentAssignment(r, context)) };
    },
  );

  routes.post(
    '/:journal/api/v1/submissions/:submissionId/reviewAssignments',
    {
      config: csrf,
      schema: {
        summary: 'Ask someone to review the current round',
        description:
          'One of the journal’s reviewers (`reviewerId`), or someone new by `email`, `givenName`, `familyName` and `locale`: they are invited, and get an account (and the reviewer role) on accepting. The reviewer is mailed the request with accept and decline links; reminders are scheduled. Dates default to the journal’s periods.',
        tags,
        operationId: 'addReviewAssignment',
        tokenRequired: true,
        params: SubmissionReviewParams,
        body: NewReviewAssignment,
        response: { 201: ReviewAssignment, ...workflowRefusals(409, 422) },
      },
    },
    async (request, reply) => {
      const { journal, record } = await reviewedSubmission(db, request, request.params.journal, request.params.submissionId);
      const body = request.body;
      const byId = body.reviewerId !== undefined;
      const newcomer = body.email !== undefined || body.givenName !== undefined || body.familyName !== undefined || body.locale !== undefined;
      // One of the two ways of naming the reviewer, whole: an id, or a new person's address (with their names).
      if (byId === newcomer || (!byId && body.email === undefined)) {
        throw new FieldsError([{ in: 'body', pointer: byId ? '/reviewerId' : '/email', detail: 'name the reviewer either by `reviewerId` or, for someone new, by `email` with `givenName`/`familyName` — not both' }]);
      }
      if (body.locale !== undefined && !journal.supportedLocales.includes(body.locale)) {
        throw new FieldsError([{ in: 'body', pointer: '/locale', detail: `the journal works in ${journal.supportedLocales.join(', ')}` }]);
      }
      const reviewer =
        body.reviewerId !== undefined
          ? { userId: body.reviewerId }
          : { newReviewer: { email: body.email!, givenName: body.givenName ?? {}, familyName: body.familyName ?? {}, locale: body.locale ?? journal.primaryLocale } };
      const id = await requestReview(db, {
        journalId: journal.id,
        submissionId: record.id,
        reviewer,
        ...(body.reviewMethod ? { anonymity: body.reviewMethod } : {}),
        ...(body.dateResponseDue !== undefined ? { responseDue: dateOf(body.dateResponseDue, '/dateResponseDue')! } : {}),
        ...(body.dateDue !== undefined ? { reviewDue: dateOf(body.dateDue, '/dateDue')! } : {}),
        ...(body.reviewFormId !== undefined ? { reviewFormId: body.reviewFormId } : {}),
        message: body.message ?? '',
        requestedBy: callerOf(request).userId,
        now: clock.now(),
      });
      request.log.info({ submissionId: record.id, reviewId: id, tokenId: request.apiCaller?.tokenId }, 'review requested through the API');
      const answer = await presentOne(journal, id);
      return reply.code(201).header('location', answer._href).send(answer);
    },
  );

  const one = '/:journal/api/v1/submissions/:submissionId/reviewAssignments/:reviewId';

  routes.get(
    one,
    {
      config: csrf,
      schema: { summary: 'Get a review request with its review', description: 'What the reviewer wrote (a draft until submitted), their answers to the form and their attachments. For the submission’s editors.', tags, operationId: 'getReviewAssignment', tokenRequired: true, params: AssignmentParams, response: { 200: ReviewAssignment } },
    },
    async (request) => {
      const { journal, review } = await managedReview(db, request, request.params, 'review.read');
      return presentOne(journal, review.id);
    },
  );

  routes.put(
    `${one}/dates`,
    {
      config: csrf,
      schema: {
        summary: 'Change a request’s due dates',
        description: 'For a request waiting for its answer (both dates) or its review (`dateDue`). Reminders follow the new dates.',
        tags,
        operationId: 'editReviewAssignmentDates',
        tokenRequired: true,
        params: AssignmentParams,
        body: ReviewDates,
        response: { 200: ReviewAssignment, ...workflowRefusals(409, 422) },
      },
    },
    async (request) => {
      const { journal, review } = await managedReview(db, request, request.params, 'review.manage');
      const responseDue = dateOf(request.body.dateResponseDue, '/dateResponseDue') ?? review.responseDue;
      await changeReviewDates(db, { journalId: journal.id, reviewId: review.id, by: callerOf(request).userId, now: clock.now(), responseDue, reviewDue: dateOf(request.body.dateDue, '/dateDue')! });
      return presentOne(journal, review.id);
    },
  );

  const action = (name: 'cancel' | 'reinstate', summary: string, description: string, run: typeof cancelReview) =>
    routes.post(
      `${one}/${name}`,
      { config: csrf, schema: { summary, description, tags, operationId: `${name}ReviewAssignment`, tokenRequired: true, params: AssignmentParams, response: { 200: ReviewAssignment, ...workflowRefusals(409) } } },
      async (request) => {
        const { journal, review } = await managedReview(db, request, request.params, 'review.manage');
        await run(db, { journalId: journal.id, reviewId: review.id, by: callerOf(request).userId, now: clock.now() });
        return presentOne(journal, review.id);
      },
    );
  action('cancel', 'Cancel a review request', 'A request not yet reviewed (waiting for its answer or under way); the reviewer is told.', cancelReview);
  action('reinstate', 'Reinstate a cancelled request', 'Accepted again if the reviewer had accepted, else waiting for an answer with new links; passed dates move on by the journal’s periods. Only in the round under way.', reinstateReview);

  routes.post(
    `${one}/remind`,
    {
      config: csrf,
      schema: {
        summary: 'Remind the reviewer now',
        description: 'Of the answer or the review due. `queued` is false when a reminder asked for earlier is still waiting to go.',
        tags,
        operationId: 'remindReviewAssignment',
        tokenRequired: true,
        params: AssignmentParams,
        response: { 202: Type.Object({ queued: Type.Boolean() }), ...workflowRefusals(409) },
      },
    },
    async (request, reply) => {
      const { journal, review } = await managedReview(db, request, request.params, 'review.manage');
      const queued = await remindReviewer(db, { journalId: journal.id, reviewId: review.id, by: callerOf(request).userId, now: clock.now() });
      return reply.code(202).send({ queued });
    },
  );

  routes.put(
    `${one}/rating`,
    {
      config: csrf,
      schema: { summary: 'Rate a completed review', description: 'From 1 to 5; shown to editors when they choose reviewers.', tags, operationId: 'rateReviewAssignment', tokenRequired: true, params: AssignmentParams, body: ReviewRating, response: { 200: ReviewAssignment, ...workflowRefusals(409, 422) } },
    },
    async (request) => {
      const { journal, review } = await managedReview(db, request, request.params, 'review.manage');
      await rateReview(db, { journalId: journal.id, reviewId: review.id, by: callerOf(request).userId, now: clock.now(), rating: request.body.quality });
      return presentOne(journal, review.id);
    },
  );
}
