import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { can, requireCan } from '../../accounts/index.ts';
import type { Recommendation } from '../../db/schema.ts';
import type { MessageKey } from '../../i18n/index.ts';
import { formBody, formText, type FormBody } from '../../platform/http/forms.ts';
import { IdText, JournalPath, Type, typed } from '../../platform/http/index.ts';
import { firstValue, formPage, QueryParameter, sendPrivatePage } from '../../platform/web/index.ts';
import type { FormErrors, PageContext } from '../../ui/index.ts';
import { WorkflowError } from '../errors.ts';
import { addReviewAttachment, MAX_REVIEW_ATTACHMENT_BYTES, MAX_REVIEW_ATTACHMENTS, RECOMMENDATIONS, saveReview } from '../review/commands/reviews.ts';
import { reviewForm, reviewResponses, type ResponseError, type ReviewForm } from '../review/forms/index.ts';
import { submissionSettings } from '../settings/read.ts';
import { acceptStreamedUploads, discardUpload, keepUpload, receivedUploads, uploadTooLarge } from '../uploads.ts';
import type { WorkflowWebDeps } from './deps.ts';
import { reviewAttachments, roundFiles } from './reviewer-data.ts';
import { answerRefusals, questionsOf, sentAnswers, storedAnswers, typedAnswers } from './reviewer-form.ts';
import { requestView, reviewFileName, reviewOr404, type ReviewAtAddress } from './reviewer-shared.ts';
import { ERROR_LABEL } from './views/editorial-labels.tsx';
import { reviewHref } from './views/review-assignments.tsx';
import { ReviewPage, SubmitConfirmPage, type ReviewDraft } from './views/review-page.tsx';

/**
 * The review page (issue 20, item 6): `GET /:journal/reviewer/review/:reviewId` shows the request,
 * the round's files and the review; its POST saves the draft (and a file, if one was chosen), or,
 * with "Submit review", saves and goes to the confirmation at `…/submit`, whose POST sends it.
 * The viewer must be the request's reviewer (editors may read); anyone else gets a 404.
 */

// Anyone signed in: the request decides (visitors are sent to sign in first).
export const SIGNED_IN = { permission: 'journal.submit' as const };
const UPLOAD = { ...SIGNED_IN, uploads: { files: 1, fileBytes: MAX_REVIEW_ATTACHMENT_BYTES + 1 } };

export const ReviewParams = Type.Object({ journal: JournalPath, reviewId: IdText });
const NoticeQuery = Type.Object({ notice: Type.Optional(QueryParameter) });

const NOTICES: Record<string, MessageKey> = {
  accepted: 'reviewerReview.notice.accepted',
  welcome: 'reviewerReview.notice.welcome',
  saved: 'reviewerReview.notice.saved',
  attached: 'reviewerReview.notice.attached',
  removed: 'reviewerReview.notice.removed',
  submitted: 'reviewerReview.notice.submitted',
};

const MAX_COMMENTS = 50_000;
const MAX_INTERESTS = 5_000;

interface PageState {
  draft?: ReviewDraft;
  /** The answers as sent (kept on a refusal), else the saved ones. */
  body?: FormBody;
  errors?: FormErrors;
  /** The refusals of the form's answers, beside their questions. */
  answerErrors?: ResponseError[];
  form?: ReviewForm;
  status?: number;
  notice?: string;
}

/** What a refusal says, next to its field. */
export function refusal(ctx: PageContext, error: WorkflowError): string {
  if (error.code === 'file-too-large') return ctx.t('reviewerReview.error.fileTooLarge', { max: Math.round(MAX_REVIEW_ATTACHMENT_BYTES / 1024 / 1024) });
  if (error.code === 'too-many-files') return ctx.t('reviewerReview.error.tooManyFiles', { max: MAX_REVIEW_ATTACHMENTS });
  if (error.code === 'file-type-not-allowed') return ctx.t('reviewerReview.error.fileType');
  return ctx.t(ERROR_LABEL[error.code], error.params);
}

export async function reviewerReviewRoutes(app: FastifyInstance, deps: WorkflowWebDeps): Promise<void> {
  const { db, clock, files } = deps;
  const routes = typed(app);

  const formOf = async (at: ReviewAtAddress) => (at.review.reviewFormId === null ? undefined : reviewForm(db, at.submission.journalId, at.review.reviewFormId));

  async function show(request: FastifyRequest, reply: FastifyReply, at: ReviewAtAddress, state: PageState = {}) {
    const { ctx } = await formPage(db, request, reply);
    const { review } = at;
    const user = request.viewer.user;
    const mode = can(user, 'review.respond', at.resource) ? 'respond' : can(user, 'review.write', at.resource) ? 'write' : 'read';
    const form = state.form ?? (await formOf(at));
    const href = reviewHref(ctx, review.id);
    // The files and the review: for its reviewer once accepted; an editor reading here sees only what was sent.
    const open = review.status === 'submitted' || (review.status === 'accepted' && user?.userId === review.reviewerId);
    const [roundList, attachments, settings] = await Promise.all([open ? roundFiles(db, review) : [], open ? reviewAttachments(db, review.id) : [], submissionSettings(db, at.submission.journalId)]);
    const values = state.body && form ? typedAnswers(form, state.body) : await reviewResponses(db, review.id);
    const errors = state.errors ?? {};
    return sendPrivatePage(
      reply,
      ReviewPage({
        ctx,
        data: {
          reviewId: review.id,
          status: review.status,
          mode,
          request: await requestView(db, review, ctx.locale),
          files: roundList.map((f) => ({ name: reviewFileName(review, f, roundList, settings.fileKinds), href: `${href}/files/${f.id}`, sizeBytes: f.sizeBytes })),
          attachments: attachments.map((a) => ({ id: a.id, name: a.name, sizeBytes: a.sizeBytes, href: `${href}/attachments/${a.id}` })),
          questions: form && open ? questionsOf(ctx, form, values, state.answerErrors ?? [], mode === 'write') : null,
          draft: state.draft ?? { recommendation: review.recommendation ?? '', commentsForAuthor: review.commentsForAuthor, commentsForEditor: review.commentsForEditor, competingInterests: review.competingInterests },
          submittedAt: review.submittedAt,
          errors,
          ...(state.notice ? { notice: state.notice } : {}),
          recommendations: RECOMMENDATIONS,
          maxAttachments: MAX_REVIEW_ATTACHMENTS,
          maxAttachmentBytes: MAX_REVIEW_ATTACHMENT_BYTES,
        },
      }),
      state.status ?? 200,
    );
  }

  routes.get('/:journal/reviewer/review/:reviewId', { config: SIGNED_IN, schema: { params: ReviewParams, querystring: NoticeQuery } }, async (request, reply) => {
    const at = await reviewOr404(db, request, request.params.reviewId);
    const { ctx } = await formPage(db, request, reply);
    const key = NOTICES[firstValue(request.query.notice)];
    return show(request, reply, at, key && Object.hasOwn(NOTICES, firstValue(request.query.notice)) ? { notice: ctx.t(key) } : {});
  });

  routes.get('/:journal/reviewer/review/:reviewId/submit', { config: SIGNED_IN, schema: { params: ReviewParams } }, async (request, reply) => {
    const at = await reviewOr404(db, request, request.params.reviewId);
    const { ctx } = await formPage(db, request, reply);
    // Sent already (or not under way): the page says so.
    if (!can(request.viewer.user, 'review.write', at.resource)) return reply.redirect(reviewHref(ctx, at.review.id), 303);
    const { submission } = await requestView(db, at.review, ctx.locale);
    return sendPrivatePage(reply, SubmitConfirmPage({ ctx, reviewId: at.review.id, title: submission.title?.text ?? ctx.t('wizard.untitled') }));
  });

  routes.post('/:journal/reviewer/review/:reviewId/submit', { config: SIGNED_IN, schema: { params: ReviewParams } }, async (request, reply) => {
    const at = await reviewOr404(db, request, request.params.reviewId);
    requireCan(request, 'review.write', at.resource);
    const { ctx } = await formPage(db, request, reply);
    const { review } = at;
    // What is sent is the saved draft: the confirmation showed nothing else.
    const form = await formOf(at);
    try {
      await saveReview(db, {
        journalId: at.submission.journalId,
        reviewId: review.id,
        userId: request.viewer.user!.userId,
        recommendation: review.recommendation,
        commentsForAuthor: review.commentsForAuthor,
        commentsForEditor: review.commentsForEditor,
        competingInterests: review.competingInterests,
        answers: form ? storedAnswers(await reviewResponses(db, review.id)) : {},
        submit: true,
        now: clock.now(),
      });
    } catch (error) {
      if (!(error instanceof WorkflowError)) throw error;
      const errors: FormErrors = { [error.field ?? '']: refusal(ctx, error) };
      const answers = form ? answerRefusals(ctx, form, storedAnswers(await reviewResponses(db, review.id)), true) : { errors: {}, answerErrors: [] };
      return show(request, reply, at, { errors: { ...errors, ...answers.errors }, answerErrors: answers.answerErrors, status: error.status === 404 ? 422 : error.status, notice: ctx.t('reviewerReview.notice.notSent') });
    }
    request.log.info({ reviewId: review.id }, 'review submitted');
    return reply.redirect(`${reviewHref(ctx, review.id)}?notice=submitted`, 303);
  });

  // The review's form takes a file too: "Save draft" keeps both, nothing typed is lost to an upload.
  await app.register(async (scope) => {
    acceptStreamedUploads(scope, { files, fileFields: ['file'], maxFiles: 1, tooManyFiles: 'report', maxBytes: () => MAX_REVIEW_ATTACHMENT_BYTES, maxFields: 400 });
    // Who may post is settled before a byte of the form is read.
    scope.addHook('preParsing', async (request: FastifyRequest) => {
      if (request.is404 || !/^\s*multipart\//i.test(request.headers['content-type'] ?? '')) return;
      const at = await reviewOr404(db, request, (request.params as { reviewId: string }).reviewId);
      requireCan(request, 'review.write', at.resource);
    });
    const uploads = typed(scope);

    uploads.post('/:journal/reviewer/review/:reviewId', { config: UPLOAD, schema: { params: ReviewParams } }, async (request, reply) => {
      const at = await reviewOr404(db, request, request.params.reviewId);
      requireCan(request, 'review.write', at.resource);
      const { ctx } = await formPage(db, request, reply);
      const body = formBody(request);
      const action = formText(body, 'action', 10);
      const draft: ReviewDraft = {
        recommendation: formText(body, 'recommendation', 40),
        commentsForAuthor: formText(body, 'commentsForAuthor', MAX_COMMENTS + 1),
        commentsForEditor: formText(body, 'commentsForEditor', MAX_COMMENTS + 1),
        competingInterests: formText(body, 'competingInterests', MAX_INTERESTS + 1),
      };
      const form = await formOf(at);
      const answers = sentAnswers(body);
      const again = async (errors: FormErrors, status: number, answerErrors: ResponseError[] = []) => {
        await discardUpload(request, files);
        return show(request, reply, at, { draft, body, errors, answerErrors, form, status });
      };
      const recommendation = draft.recommendation === '' ? null : (RECOMMENDATIONS as readonly string[]).includes(draft.recommendation) ? (draft.recommendation as Recommendation) : undefined;
      if (recommendation === undefined) return again({ recommendation: ctx.t('workflow.error.recommendation-missing') }, 422);
      const base = { journalId: at.submission.journalId, reviewId: at.review.id, userId: request.viewer.user!.userId, now: clock.now() };
      try {
        await saveReview(db, { ...base, recommendation, commentsForAuthor: draft.commentsForAuthor, commentsForEditor: draft.commentsForEditor, competingInterests: draft.competingInterests, answers: form ? answers : {}, submit: false });
      } catch (error) {
        if (!(error instanceof WorkflowError)) throw error;
        const refused = form ? answerRefusals(ctx, form, answers, false) : { errors: {}, answerErrors: [] };
        return again({ [error.field ?? '']: refusal(ctx, error), ...refused.errors }, error.status === 404 ? 422 : error.status, refused.answerErrors);
      }
      // The draft is saved; now the file, if one came.
      const received = receivedUploads(request);
      let attached = false;
      try {
        if (received.tooMany) throw new WorkflowError('too-many-files', 'file', { max: 1 });
        if (uploadTooLarge(request) !== undefined) throw new WorkflowError('file-too-large', 'file');
        const upload = received.uploads[0];
        if (upload) {
          await addReviewAttachment(db, { ...base, upload: upload.stored });
          keepUpload(request);
          attached = true;
        }
      } catch (error) {
        if (!(error instanceof WorkflowError)) throw error;
        return again({ file: refusal(ctx, error) }, error.status === 404 ? 422 : error.status);
      }
      const href = reviewHref(ctx, at.review.id);
      if (action !== 'submit') return reply.redirect(`${href}?notice=${attached ? 'attached' : 'saved'}`, 303);
      // Before the confirmation: what sending needs, said next to its fields now.
      const errors: FormErrors = {};
      if (recommendation === null) errors.recommendation = ctx.t('workflow.error.recommendation-missing');
      const refused = form ? answerRefusals(ctx, form, answers, true) : { errors: {}, answerErrors: [] };
      Object.assign(errors, refused.errors);
      if (!form && draft.commentsForAuthor === '' && draft.commentsForEditor === '') errors.commentsForAuthor = ctx.t('reviewerReview.error.commentsMissing');
      if (Object.keys(errors).length > 0) return show(request, reply, at, { draft, body, errors, answerErrors: refused.answerErrors, form, status: 422, notice: ctx.t('reviewerReview.notice.savedNotSent') });
      return reply.redirect(`${href}/submit`, 303);
    });
  });
}
