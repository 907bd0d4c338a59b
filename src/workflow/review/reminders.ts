import type { Db } from '../../catalog/index.ts';
import { enqueue } from '../../platform/jobs/index.ts';
import type { ReviewRecord } from './queries.ts';
import type { ReviewSettings } from './settings.ts';

/**
 * Reminders of a review request's due dates (issue 20, item 3): scheduled jobs, queued with the change
 * that sets a date (the request, its acceptance, new dates, a reinstatement). Each job carries the due
 * date it was made for; when it runs, it reminds only if the request still waits for that date (a job
 * left from old dates, or for a request answered meanwhile, does nothing). The job's key holds the
 * date, so new dates queue new jobs and the same dates never queue twice.
 */

export const REVIEW_REMINDER_JOB = 'review.reminder';

export type ReminderWhich = 'response-before' | 'response-after' | 'review-before' | 'review-after' | 'manual';

export interface ReminderPayload {
  journalId: number;
  reviewId: number;
  which: ReminderWhich;
  /** The due date (ISO) the reminder is about. */
  due: string;
}

const DAY_MS = 24 * 3600_000;

/** The reminders a request in its present state should get, with when. */
export function plannedReminders(review: Pick<ReviewRecord, 'status' | 'responseDue' | 'reviewDue'>, settings: Pick<ReviewSettings, 'remindDaysBefore' | 'remindDaysAfter'>, now: Date): Array<{ which: ReminderWhich; at: Date; due: Date }> {
  const due = review.status === 'requested' ? review.responseDue : review.status === 'accepted' ? review.reviewDue : undefined;
  if (!due) return [];
  const prefix = review.status === 'requested' ? 'response' : 'review';
  const planned: Array<{ which: ReminderWhich; at: Date; due: Date }> = [];
  if (settings.remindDaysBefore > 0) {
    const at = new Date(due.getTime() - settings.remindDaysBefore * DAY_MS);
    // A reminder "two days before" a date three hours away is no reminder: skip the ones already past.
    if (at.getTime() > now.getTime()) planned.push({ which: `${prefix}-before`, at, due });
  }
  if (settings.remindDaysAfter > 0) planned.push({ which: `${prefix}-after`, at: new Date(due.getTime() + settings.remindDaysAfter * DAY_MS), due });
  return planned;
}

export async function scheduleReminders(trx: Db, journalId: number, review: Pick<ReviewRecord, 'id' | 'status' | 'responseDue' | 'reviewDue'>, settings: ReviewSettings, now: Date): Promise<void> {
  for (const reminder of plannedReminders(review, settings, now)) {
    const payload: ReminderPayload = { journalId, reviewId: review.id, which: reminder.which, due: reminder.due.toISOString() };
    await enqueue(trx, { kind: REVIEW_REMINDER_JOB, payload, runAt: reminder.at, key: `review-reminder:${review.id}:${reminder.which}:${reminder.due.getTime()}`, maxAttempts: 5 });
  }
}

/** A reminder an editor asks for now ("remind"): the request's current due date. */
export async function remindNow(trx: Db, journalId: number, review: Pick<ReviewRecord, 'id' | 'status' | 'responseDue' | 'reviewDue'>, now: Date): Promise<boolean> {
  const due = review.status === 'requested' ? review.responseDue : review.reviewDue;
  const payload: ReminderPayload = { journalId, reviewId: review.id, which: 'manual', due: due.toISOString() };
  const id = await enqueue(trx, { kind: REVIEW_REMINDER_JOB, payload, runAt: now, key: `review-reminder:${review.id}:manual`, maxAttempts: 5 });
  return id !== undefined;
}

/** Whether a reminder job still has something to remind of, when it runs. */
export function reminderStillDue(review: Pick<ReviewRecord, 'status' | 'responseDue' | 'reviewDue'>, payload: Pick<ReminderPayload, 'which' | 'due'>): boolean {
  const due = Date.parse(payload.due);
  switch (payload.which) {
    case 'response-before':
    case 'response-after':
      return review.status === 'requested' && review.responseDue.getTime() === due;
    case 'review-before':
    case 'review-after':
      return review.status === 'accepted' && review.reviewDue.getTime() === due;
    case 'manual':
      return review.status === 'requested' || review.status === 'accepted';
  }
}
