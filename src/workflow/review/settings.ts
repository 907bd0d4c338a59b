import type { Db } from '../../catalog/index.ts';
import type { Anonymity } from '../../db/schema.ts';

/** How a journal reviews (issue 20); a journal that never saved them has these defaults (OJS's, mostly). */
export interface ReviewSettings {
  /** For new requests; each request keeps the mode it was made with. */
  anonymity: Anonymity;
  /** Days a reviewer has to answer a request, and to send the review, counted from the request. */
  responseDays: number;
  reviewDays: number;
  /** Reminders: days before each due date, and days after a missed one; 0 turns that reminder off. */
  remindDaysBefore: number;
  remindDaysAfter: number;
  /** Completed reviews a round needs before accept, revisions or resubmit. */
  minReviews: number;
  /** Those decisions wait until every request of the round is answered and every accepted review is in. */
  waitForReviews: boolean;
}

export const DEFAULT_REVIEW_SETTINGS: ReviewSettings = {
  anonymity: 'double-anonymous',
  responseDays: 7,
  reviewDays: 28,
  remindDaysBefore: 2,
  remindDaysAfter: 3,
  minReviews: 0,
  waitForReviews: false,
};

export const ANONYMITY_MODES: readonly Anonymity[] = ['double-anonymous', 'anonymous-reviewer', 'open'];

export async function reviewSettings(db: Db, journalId: number): Promise<ReviewSettings> {
  const row = await db.selectFrom('review_settings').selectAll().where('journal_id', '=', journalId).executeTakeFirst();
  if (!row) return { ...DEFAULT_REVIEW_SETTINGS };
  return {
    anonymity: row.anonymity,
    responseDays: row.response_days,
    reviewDays: row.review_days,
    remindDaysBefore: row.remind_days_before,
    remindDaysAfter: row.remind_days_after,
    minReviews: row.min_reviews,
    waitForReviews: row.wait_for_reviews,
  };
}

/** Whether the reviewer sees who wrote the submission, and the author who reviewed it, in `mode`. */
export function authorsHiddenFromReviewer(mode: Anonymity): boolean {
  return mode === 'double-anonymous';
}

export function reviewerHiddenFromAuthor(mode: Anonymity): boolean {
  return mode !== 'open';
}
