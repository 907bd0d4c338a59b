import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { can, type SignedInUser } from '../../accounts/index.ts';
import type { Db } from '../../catalog/index.ts';
import type { ReviewRoundStatus } from '../../db/schema.ts';
import { localizeText } from '../../i18n/index.ts';
import { formBody, formText } from '../../platform/http/forms.ts';
import { IdText, JournalPath, NotFoundError, Type, parseId, typed } from '../../platform/http/index.ts';
import { formPage, sendPrivatePage } from '../../platform/web/index.ts';
import { richToPlainLine, type PageContext } from '../../ui/index.ts';
import { WorkflowError } from '../errors.ts';
import { findSubmission, type SubmissionRecord } from '../queries.ts';
import { RECOMMENDATION_DECISIONS, uploadRevision } from '../review/commands/decisions.ts';
import { findReview, reviewRounds, reviewResource, reviewsOfSubmission } from '../review/queries.ts';
import { sharedAttachmentName, sharedReviews } from '../review/shared-reviews.ts';
import { MAX_SUBMISSION_FILE_BYTES, submissionSettings } from '../settings/read.ts';
import { acceptStreamedUploads, discardUpload, keepUpload, receivedUpload, uploadTooLarge } from '../uploads.ts';
import type { WorkflowWebDeps } from './deps.ts';
import { sendStoredFile } from './stored-files.ts';
import { AuthorReviewSection, RevisionsPage, type AuthorReviewData, type RevisionsPageData } from './views/author-review.tsx';
import { ERROR_LABEL } from './views/editorial-labels.tsx';

/**
 * The author's side of review (issue 20, items 1, 4, 7): what the submission page shows its authors
 * of the rounds and decisions, the attachments of shared reviews, and the upload of revised files.
 * Authors are checked on the submission itself (`submission.read`, as its author participant);
 * anyone else learns nothing (404).
 */

const SIGNED_IN = { permission: 'journal.submit' as const };
const SubmissionParams = Type.Object({ journal: JournalPath, id: IdText });
const AttachmentParams = Type.Object({ journal: JournalPath, id: IdText, attachmentId: IdText });
const NoticeQuery = Type.Object({ notice: Type.Optional(Type.String({ maxLength: 40 })) });

const REVISING: readonly ReviewRoundStatus[] = ['revisions-requested', 'revisions-submitted', 'resubmit-requested'];

const isAuthor = (user: SignedInUser | null, submission: SubmissionRecord) => user !== null && submission.participants.some((p) => p.role === 'author' && p.userId === user.userId);

/**
 * What the submission page shows an author of review (undefined for anyone else, and for editors, who
 * have the editor's review section): the rounds, the decisions with their shared reviews.
 */
export async function authorReviewData(db: Db, user: SignedInUser | null, submission: SubmissionRecord): Promise<AuthorReviewData | undefined> {
  if (!isAuthor(user, submission) || can(user, 'submission.edit', submission.resource) || submission.status === 'draft') return undefined;
  const [rounds, decisions, reviews] = await Promise.all([
    reviewRounds(db, submission.id),
    db.selectFrom('editorial_decisions').select(['id', 'decision', 'review_round_id', 'message', 'shared_review_ids', 'created_at']).where('submission_id', '=', submission.id).orderBy('id').execute(),
    reviewsOfSubmission(db, submission.id),
  ]);
  const roundNumber = new Map(rounds.map((r) => [r.id, r.round]));
  const sent = decisions.filter((d) => !RECOMMENDATION_DECISIONS.includes(d.decision));
  const current = rounds.at(-1);
  return {
    rounds: rounds.map((r) => ({ round: r.round, status: r.status })),
    decisions: await Promise.all(
      sent.map(async (d) => ({
        id: d.id,
        decision: d.decision,
        round: d.review_round_id === null ? null : (roundNumber.get(d.review_round_id) ?? null),
        message: d.message,
        createdAt: d.created_at,
        reviews: await sharedReviews(db, submission.journalId, submission.id, d.shared_review_ids, reviews),
      })),
    ),
    canRevise: submission.status === 'active' && submission.stage === 'review' && current !== undefined && REVISING.includes(current.status),
  };
}

export { AuthorReviewSection };

export async function authorReviewRoutes(app: FastifyInstance, deps: WorkflowWebDeps): Promise<void> {
  const { db, files, clock } = deps;
  const routes = typed(app);

  /** The submission whose author the viewer is; anyone else: 404. */
  async function authorsSubmission(request: FastifyRequest<{ Params: { id: string } }>): Promise<SubmissionRecord> {
    const submission = await findSubmission(db, request.viewer.journal!.id, parseId(request.params.id));
    if (!submission || !can(request.viewer.user, 'submission.read', submission.resource) || !isAuthor(request.viewer.user, submission)) throw new NotFoundError();
    return submission;
  }

  async function showRevisions(request: FastifyRequest, reply: FastifyReply, submission: SubmissionRecord, form: { values?: RevisionsPageData['values']; errors?: RevisionsPageData['errors']; notice?: string; status?: number } = {}) {
    const { ctx } = await formPage(db, request, reply);
    const data = await revisionsData(ctx, submission);
    if (!data) throw new NotFoundError();
    return sendPrivatePage(reply, RevisionsPage({ ctx, data: { ...data, values: form.values ?? {}, errors: form.errors ?? {}, ...(form.notice ? { notice: form.notice } : {}) } }), form.status ?? 200);
  }

  /** The page's data; undefined when no revisions are asked for (the page is not there). */
  async function revisionsData(ctx: PageContext, submission: SubmissionRecord): Promise<Omit<RevisionsPageData, 'values' | 'errors'> | undefined> {
    const rounds = await reviewRounds(db, submission.id);
    const current = rounds.at(-1);
    if (submission.status !== 'active' || submission.stage !== 'review' || !current || !REVISING.includes(current.status)) return undefined;
    const [publication, settings, sent] = await Promise.all([
      db.selectFrom('publications').select(['title', 'locale']).where('id', '=', submission.publicationId).executeTakeFirstOrThrow(),
      submissionSettings(db, submission.journalId),
      db
        .selectFrom('submission_files as f')
        .innerJoin('review_rounds as r', 'r.id', 'f.review_round_id')
        .select(['f.id', 'f.name', 'f.kind', 'f.created_at', 'r.round'])
        .where('f.submission_id', '=', submission.id)
        .where('f.review_purpose', '=', 'revision')
        .orderBy('f.id')
        .execute(),
    ]);
    const kindName = (key: string) => localizeText(settings.fileKinds.find((k) => k.key === key)?.name ?? {}, ctx.locale) || key;
    return {
      submissionId: submission.id,
      title: richToPlainLine(localizeText(publication.title, ctx.locale, publication.locale)) || ctx.t('editorial.untitled', { id: submission.id }),
      round: current.round,
      kinds: settings.fileKinds.map((k) => ({ value: k.key, label: kindName(k.key) })),
      sent: sent.map((f) => ({ id: f.id, name: f.name, kind: kindName(f.kind), round: f.round, createdAt: f.created_at })),
    };
  }

  routes.get('/:journal/workflow/index/:id/review/revisions', { config: SIGNED_IN, schema: { params: SubmissionParams, querystring: NoticeQuery } }, async (request, reply) => {
    const submission = await authorsSubmission(request);
    const { ctx } = await formPage(db, request, reply);
    return showRevisions(request, reply, submission, request.query.notice === 'uploaded' ? { notice: ctx.t('authorReview.revisions.uploaded') } : {});
  });

  // An attachment of a review shared with the author: its author (visible to them, in a decision sent) or the submission's editors.
  routes.get('/:journal/workflow/index/:id/review/attachments/:attachmentId', { config: SIGNED_IN, schema: { params: AttachmentParams } }, async (request, reply) => {
    const journalId = request.viewer.journal!.id;
    const submission = await findSubmission(db, journalId, parseId(request.params.id));
    if (!submission || !can(request.viewer.user, 'submission.read', submission.resource)) throw new NotFoundError();
    const attachment = await db
      .selectFrom('review_attachments as a')
      .innerJoin('review_assignments as r', 'r.id', 'a.review_assignment_id')
      .innerJoin('files as f', 'f.id', 'a.file_id')
      .select(['a.id', 'a.name', 'a.visible_to_author', 'a.review_assignment_id', 'f.id as file_id', 'f.mime_type'])
      .where('a.id', '=', parseId(request.params.attachmentId))
      .where('r.submission_id', '=', submission.id)
      .executeTakeFirst();
    if (!attachment) throw new NotFoundError();
    const review = await findReview(db, journalId, attachment.review_assignment_id);
    if (!review) throw new NotFoundError();
    const stored = { fileId: attachment.file_id, mimeType: attachment.mime_type };
    if (can(request.viewer.user, 'review.read', reviewResource(review, submission))) return sendStoredFile(deps, request, reply, { ...stored, name: attachment.name });
    if (!isAuthor(request.viewer.user, submission) || !attachment.visible_to_author) throw new NotFoundError();
    const shared = await db.selectFrom('editorial_decisions').select('id').where('submission_id', '=', submission.id).where(({ eb, fn, val }) => eb(val(review.id), '=', fn.any('shared_review_ids'))).executeTakeFirst();
    if (!shared) throw new NotFoundError();
    const [view] = await sharedReviews(db, journalId, submission.id, [review.id]);
    if (!view) throw new NotFoundError();
    const index = view.attachments.findIndex((a) => a.id === attachment.id);
    return sendStoredFile(deps, request, reply, { ...stored, name: sharedAttachmentName(view, Math.max(index, 0), attachment.name) });
  });

  await app.register(async (scope) => {
    acceptStreamedUploads(scope, { files, fileFields: ['file'], maxBytes: () => MAX_SUBMISSION_FILE_BYTES });
    typed(scope).post(
      '/:journal/workflow/index/:id/review/revisions',
      { config: { ...SIGNED_IN, uploads: { files: 1, fileBytes: MAX_SUBMISSION_FILE_BYTES } }, schema: { params: SubmissionParams } },
      async (request, reply) => {
        const submission = await authorsSubmission(request);
        const { ctx } = await formPage(db, request, reply);
        const kind = formText(formBody(request), 'kind', 100);
        const tooLarge = uploadTooLarge(request);
        const upload = receivedUpload(request)?.stored;
        const refuse = async (errors: RevisionsPageData['errors'], status: number) => {
          await discardUpload(request, files);
          return showRevisions(request, reply, submission, { values: { kind }, errors, status });
        };
        if (tooLarge !== undefined) {
          reply.header('connection', 'close');
          return refuse({ file: ctx.t('workflow.error.file-too-large', { max: tooLarge }) }, 413);
        }
        if (kind === '') return refuse({ kind: ctx.t('authorReview.revisions.chooseKindError'), ...(upload ? {} : { file: ctx.t('submissionPage.chooseFile') }) }, 400);
        if (!upload) return refuse({ file: ctx.t('submissionPage.chooseFile') }, 400);
        try {
          await uploadRevision(db, { journalId: submission.journalId, submissionId: submission.id, userId: request.viewer.user!.userId, kind, upload, now: clock.now() });
        } catch (error) {
          if (!(error instanceof WorkflowError)) throw error;
          if (error.code === 'revisions-not-requested' || error.code === 'not-in-review') throw new NotFoundError();
          const message = ctx.t(ERROR_LABEL[error.code], Object.fromEntries(Object.entries(error.params).map(([k, v]) => [k, String(v)])));
          return refuse(error.field === 'kind' ? { kind: message } : { file: message }, error.status === 404 ? 422 : error.status);
        }
        keepUpload(request);
        return reply.redirect(`/${request.viewer.journal!.path}/workflow/index/${submission.id}/review/revisions?notice=uploaded`, 303);
      },
    );
  });
}
