import { personName } from '../../../accounts/index.ts';
import type { DecisionKind } from '../../../db/index.ts';
import type { Static } from '../../../platform/http/index.ts';
import { authorsHiddenFromReviewer, lateness, reviewerHiddenFromAuthor, reviewerLetter, type ResponseValue, type ReviewForm, type ReviewRecord, type ReviewRound as RoundRecord } from '../../../workflow/index.ts';
import type { AttachmentRow, DecisionRow, RoundFileRow } from './queries.ts';
import type { Decision, ReviewAssignment, ReviewAttachment, ReviewerReview, ReviewerReviewSummary, ReviewFile, ReviewRound, SharedReview } from './schema.ts';

/**
 * Review records turned into the API's answers, one presenter per reader: editors see both sides;
 * the author sees shared reviews by letter (a name only in open review); the reviewer sees the
 * submission without its authors in double-anonymous review, and its files named by kind.
 */

export interface Where {
  baseUrl: string;
  journalPath: string;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const api = (where: Where) => `${where.baseUrl}/${where.journalPath}/api/v1`;
const submissionApi = (where: Where, submissionId: number) => `${api(where)}/submissions/${submissionId}`;

type Person = { given_name: Record<string, string>; family_name: Record<string, string>; email: string };
const fullName = (person: Person | undefined, locale: string) => (person ? (personName(person, locale) ?? person.email) : '');

export function presentAttachment(a: AttachmentRow): Static<typeof ReviewAttachment> {
  return { id: a.id, name: a.name, mimetype: a.mimeType, fileSize: a.sizeBytes, visibleToAuthor: a.visibleToAuthor, createdAt: a.createdAt.toISOString() };
}

/** A round file; `anonymous` names it by its kind and id, not by the name it was uploaded with (which may name its authors). */
export function presentRoundFile(f: RoundFileRow, url: string, anonymous = false): Static<typeof ReviewFile> {
  const extension = /\.[A-Za-z0-9]{1,8}$/.exec(f.name)?.[0] ?? '';
  return {
    id: f.id,
    reviewRoundId: f.reviewRoundId,
    purpose: f.purpose,
    kind: f.kind,
    name: anonymous ? `${f.kind}-${f.id}${extension.toLowerCase()}` : f.name,
    mimetype: f.mimeType,
    fileSize: f.sizeBytes,
    uploaderUserId: anonymous ? null : f.uploadedBy,
    createdAt: f.createdAt.toISOString(),
    url,
  };
}

export const editorFileUrl = (where: Where, f: RoundFileRow, submissionId: number) => `${where.baseUrl}/${where.journalPath}/workflow/index/${submissionId}/files/${f.id}`;
export const reviewerFileUrl = (where: Where, reviewId: number, f: RoundFileRow) => `${where.baseUrl}/${where.journalPath}/reviewer/review/${reviewId}/files/${f.id}`;

/** Answers as the API gives and takes them: by element id. */
export function answersOut(values: ReadonlyMap<number, ResponseValue>): Record<string, ResponseValue> {
  return Object.fromEntries([...values].map(([id, value]) => [String(id), value]));
}

export function presentAssignment(
  review: ReviewRecord,
  context: { where: Where; locale: string; siblings: readonly ReviewRecord[]; now: Date },
  detail?: { answers: ReadonlyMap<number, ResponseValue>; attachments: readonly AttachmentRow[] },
): Static<typeof ReviewAssignment> {
  const name = fullName({ given_name: review.reviewer.givenName, family_name: review.reviewer.familyName, email: review.reviewer.email }, context.locale);
  return {
    id: review.id,
    submissionId: review.submissionId,
    reviewRoundId: review.reviewRoundId,
    round: review.round,
    letter: reviewerLetter(context.siblings, review),
    reviewerId: review.reviewerId,
    reviewerFullName: name,
    email: review.reviewer.email,
    reviewMethod: review.anonymity,
    status: review.status,
    reviewFormId: review.reviewFormId,
    dateAssigned: review.requestedAt.toISOString(),
    dateResponseDue: review.responseDue.toISOString(),
    dateDue: review.reviewDue.toISOString(),
    dateConfirmed: iso(review.respondedAt),
    dateCompleted: iso(review.submittedAt),
    dateCancelled: iso(review.cancelledAt),
    dateReminded: iso(review.lastRemindedAt),
    declineReason: review.declineReason,
    late: lateness(review, context.now),
    recommendation: review.recommendation,
    quality: review.rating,
    dateRated: iso(review.ratedAt),
    ...(detail
      ? {
          review: {
            commentsForAuthor: review.commentsForAuthor,
            commentsForEditor: review.commentsForEditor,
            competingInterests: review.competingInterests,
            answers: answersOut(detail.answers),
            attachments: detail.attachments.map(presentAttachment),
          },
        }
      : {}),
    _href: `${submissionApi(context.where, review.submissionId)}/reviewAssignments/${review.id}`,
  };
}

/** A round with the files its reader may read; its editors also see its requests and the decisions open to them. */
export function presentRound(
  round: RoundRecord,
  where: Where,
  files: readonly RoundFileRow[],
  forEditors?: { reviews: readonly ReviewRecord[]; now: Date; decisionsAvailable?: readonly DecisionKind[] },
): Static<typeof ReviewRound> {
  const base = {
    id: round.id,
    submissionId: round.submissionId,
    round: round.round,
    status: round.status,
    reviewFormId: round.reviewFormId,
    dateCreated: round.createdAt.toISOString(),
    dateClosed: iso(round.closedAt),
    files: files.filter((f) => f.reviewRoundId === round.id).map((f) => presentRoundFile(f, editorFileUrl(where, f, round.submissionId))),
    _href: `${submissionApi(where, round.submissionId)}/reviewRounds/${round.id}`,
  };
  if (!forEditors) return base;
  const mine = forEditors.reviews.filter((r) => r.reviewRoundId === round.id);
  const count = (status: ReviewRecord['status']) => mine.filter((r) => r.status === status).length;
  return {
    ...base,
    requests: {
      total: mine.length,
      requested: count('requested'),
      accepted: count('accepted'),
      submitted: count('submitted'),
      declined: count('declined'),
      cancelled: count('cancelled'),
      late: mine.filter((r) => lateness(r, forEditors.now) !== null).length,
    },
    ...(forEditors.decisionsAvailable ? { decisionsAvailable: [...forEditors.decisionsAvailable] } : {}),
  };
}

/**
 * A decision for its reader. Editors see who decided and every shared review with its reviewer's
 * name; the author sees shared reviews by letter, with a name only where the review was open, and
 * only the answers the form shows authors.
 */
export function presentDecision(
  d: DecisionRow,
  context: {
    where: Where;
    locale: string;
    forEditors: boolean;
    editors: ReadonlyMap<number, Person>;
    reviews: readonly ReviewRecord[];
    answers: ReadonlyMap<number, ReadonlyMap<number, ResponseValue>>;
    forms: ReadonlyMap<number, ReviewForm>;
  },
): Static<typeof Decision> {
  const shared: Static<typeof SharedReview>[] = [];
  for (const id of d.sharedReviewIds) {
    const review = context.reviews.find((r) => r.id === id);
    if (!review) continue;
    const open = context.forEditors || !reviewerHiddenFromAuthor(review.anonymity);
    const form = review.reviewFormId === null ? undefined : context.forms.get(review.reviewFormId);
    const answers = context.answers.get(review.id) ?? new Map();
    shared.push({
      reviewId: review.id,
      letter: reviewerLetter(context.reviews, review),
      reviewerFullName: open ? fullName({ given_name: review.reviewer.givenName, family_name: review.reviewer.familyName, email: review.reviewer.email }, context.locale) : null,
      commentsForAuthor: review.commentsForAuthor,
      answers: (form?.elements ?? []).filter((e) => (context.forEditors || e.visibleToAuthor) && answers.has(e.id)).map((e) => ({ question: e.question, answer: answers.get(e.id)! })),
    });
  }
  return {
    id: d.id,
    submissionId: d.submissionId,
    decision: d.decision,
    stage: d.stage,
    reviewRoundId: d.reviewRoundId,
    round: d.round,
    editorId: context.forEditors ? d.editorId : null,
    editorFullName: context.forEditors && d.editorId !== null ? fullName(context.editors.get(d.editorId), context.locale) || null : null,
    message: d.message,
    sharedReviewIds: context.forEditors ? d.sharedReviewIds : shared.map((s) => s.reviewId),
    sharedReviews: shared,
    dateDecided: d.createdAt.toISOString(),
    _href: `${submissionApi(context.where, d.submissionId)}/decisions/${d.id}`,
  };
}

export function presentReviewerSummary(
  row: { id: number; status: ReviewRecord['status']; submission_id: number; title: Record<string, string>; round: number; response_due: Date; review_due: Date; submitted_at: Date | null },
  where: Where,
  now: Date,
): Static<typeof ReviewerReviewSummary> {
  return {
    id: row.id,
    status: row.status,
    submissionId: row.submission_id,
    title: row.title,
    round: row.round,
    dateResponseDue: row.response_due.toISOString(),
    dateDue: row.review_due.toISOString(),
    dateCompleted: iso(row.submitted_at),
    late: lateness({ status: row.status, responseDue: row.response_due, reviewDue: row.review_due }, now),
    _href: `${api(where)}/reviews/${row.id}`,
  };
}

export interface ReviewerView {
  review: ReviewRecord;
  submission: { id: number; locale: string; title: Record<string, string>; abstract: Record<string, string>; keywords: Record<string, string[]> };
  authors: Array<{ givenName: Record<string, string>; familyName: Record<string, string>; affiliation: Record<string, string> }>;
  files: readonly RoundFileRow[];
  form: ReviewForm | undefined;
  answers: ReadonlyMap<number, ResponseValue>;
  attachments: readonly AttachmentRow[];
}

/** The request as its reviewer sees it: never the authors in double-anonymous review; the files once accepted. */
export function presentReviewerReview(view: ReviewerView, where: Where, now: Date): Static<typeof ReviewerReview> {
  const { review, submission, form } = view;
  const hidden = authorsHiddenFromReviewer(review.anonymity);
  const filesOpen = review.status === 'accepted' || review.status === 'submitted';
  return {
    id: review.id,
    status: review.status,
    round: review.round,
    reviewRoundId: review.reviewRoundId,
    reviewMethod: review.anonymity,
    dateAssigned: review.requestedAt.toISOString(),
    dateResponseDue: review.responseDue.toISOString(),
    dateDue: review.reviewDue.toISOString(),
    dateConfirmed: iso(review.respondedAt),
    dateCompleted: iso(review.submittedAt),
    late: lateness(review, now),
    requestMessage: review.requestMessage,
    submission: { ...submission, ...(hidden ? {} : { authors: view.authors }) },
    files: filesOpen ? view.files.filter((f) => f.purpose === 'review-file' && f.reviewRoundId === review.reviewRoundId).map((f) => presentRoundFile(f, reviewerFileUrl(where, review.id, f), hidden)) : [],
    reviewForm: form
      ? {
          id: form.id,
          title: form.title,
          elements: form.elements.map((e) => ({ id: e.id, kind: e.kind, question: e.question, description: e.description, options: e.options, required: e.required, visibleToAuthor: e.visibleToAuthor })),
        }
      : null,
    review: {
      recommendation: review.recommendation,
      commentsForAuthor: review.commentsForAuthor,
      commentsForEditor: review.commentsForEditor,
      competingInterests: review.competingInterests,
      answers: answersOut(view.answers),
      attachments: view.attachments.map(presentAttachment),
    },
    _href: `${api(where)}/reviews/${review.id}`,
  };
}
