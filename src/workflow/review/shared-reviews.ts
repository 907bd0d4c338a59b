import type { Db } from '../../catalog/index.ts';
import type { LocalizedText } from '../../db/schema.ts';
import { reviewForm, reviewResponses } from './forms/index.ts';
import { reviewerLetter, reviewsOfSubmission, type ReviewRecord } from './queries.ts';
import { reviewerHiddenFromAuthor } from './settings.ts';

/**
 * What an author is shown of the reviews an editor shared with a decision (issue 20, items 4 and 7),
 * for the decision's mail and the author's page alike: each review by its letter ("Reviewer A"), the
 * reviewer's name only in open review, the comments for the author, the answers to the form's
 * questions marked visible to the author, and the attachments the editors made visible. Nothing
 * else of the review (comments for the editor, the recommendation, competing interests) leaves here.
 */
export interface SharedReview {
  reviewId: number;
  reviewRoundId: number;
  letter: string;
  /** Only when the review is open; null otherwise. */
  reviewer: { givenName: LocalizedText; familyName: LocalizedText } | null;
  commentsForAuthor: string;
  answers: Array<{ question: LocalizedText; text: string } | { question: LocalizedText; choices: LocalizedText[] }>;
  attachments: Array<{ id: number; name: string }>;
}

/** The shared reviews among `reviewIds` that were completed, in letter order. */
export async function sharedReviews(db: Db, journalId: number, submissionId: number, reviewIds: readonly number[], all?: readonly ReviewRecord[]): Promise<SharedReview[]> {
  if (reviewIds.length === 0) return [];
  const reviews = all ?? (await reviewsOfSubmission(db, submissionId));
  const wanted = new Set(reviewIds);
  const shared = reviews.filter((r) => wanted.has(r.id) && r.status === 'submitted');
  const result: SharedReview[] = [];
  for (const review of shared) {
    const answers: SharedReview['answers'] = [];
    const form = review.reviewFormId === null ? undefined : await reviewForm(db, journalId, review.reviewFormId);
    if (form) {
      const values = await reviewResponses(db, review.id);
      for (const element of form.elements) {
        const value = values.get(element.id);
        if (!element.visibleToAuthor || value === undefined) continue;
        if (element.kind === 'short-text' || element.kind === 'long-text') answers.push({ question: element.question, text: String(value) });
        else answers.push({ question: element.question, choices: (Array.isArray(value) ? value : [value]).map((v) => element.options[Number(v)]).filter((o): o is LocalizedText => o !== undefined) });
      }
    }
    const attachments = await db.selectFrom('review_attachments').select(['id', 'name']).where('review_assignment_id', '=', review.id).where('visible_to_author', '=', true).orderBy('id').execute();
    result.push({
      reviewId: review.id,
      reviewRoundId: review.reviewRoundId,
      letter: reviewerLetter(reviews, review),
      reviewer: reviewerHiddenFromAuthor(review.anonymity) ? null : { givenName: review.reviewer.givenName, familyName: review.reviewer.familyName },
      commentsForAuthor: review.commentsForAuthor,
      answers,
      attachments,
    });
  }
  return result.sort((a, b) => a.reviewRoundId - b.reviewRoundId || a.letter.length - b.letter.length || a.letter.localeCompare(b.letter));
}

/** The file name an author downloads a shared attachment under: the reviewer's letter, never the name they gave it (it may name them). */
export function sharedAttachmentName(review: Pick<SharedReview, 'letter' | 'reviewer'>, index: number, name: string): string {
  if (review.reviewer) return name;
  const extension = /\.[A-Za-z0-9]{1,8}$/.exec(name)?.[0] ?? '';
  return `review-${review.letter}-${index + 1}${extension}`;
}
