import type { JobHandler } from '../../platform/jobs/index.ts';
import { logActivity } from '../activity.ts';
import { journalOf, submissionOf } from '../mail.ts';
import { answerLink, reviewerOf, reviewPageUrl, tell } from './mail.ts';
import { findReviewForUpdate } from './queries.ts';
import { REVIEW_REMINDER_JOB, reminderStillDue, type ReminderPayload } from './reminders.ts';
import { formatLongDate, localizeText } from '../../i18n/index.ts';
import { richToPlainLine } from '../../ui/index.ts';

/**
 * Runs a review reminder when its time comes (reminders.ts queues them): if the request still waits
 * for the date the reminder was made for, the reviewer gets the reminder (an unanswered request: the
 * answer links again, signed afresh) and a notification, and the request notes when it was reminded.
 * A reminder left from old dates, or for a request answered or cancelled meanwhile, does nothing.
 */
export function reviewReminderJobs(options: { baseUrl: string }): JobHandler[] {
  const handler: JobHandler<ReminderPayload> = {
    kind: REVIEW_REMINDER_JOB,
    async run(payload, ctx) {
      await ctx.db.transaction().execute(async (trx) => {
        const review = await findReviewForUpdate(trx, payload.journalId, payload.reviewId);
        if (!review || !reminderStillDue(review, payload)) return;
        const submission = await submissionOf(trx, review.submissionId);
        const state = await trx.selectFrom('submissions').select('status').where('id', '=', review.submissionId).executeTakeFirst();
        if (!submission || state?.status !== 'active') return;
        const journal = await journalOf(trx, payload.journalId);
        const reviewer = await reviewerOf(trx, review, journal);
        if (!reviewer) return;
        const now = ctx.clock.now();
        const title = (locale: string) => richToPlainLine(localizeText(submission.title, locale, submission.locale));
        const journalName = (locale: string) => localizeText(journal.name, locale, journal.primary_locale);
        if (review.status === 'requested') {
          const acceptUrl = await answerLink(trx, options.baseUrl, journal, review, 'accept');
          const declineUrl = await answerLink(trx, options.baseUrl, journal, review, 'decline');
          await tell(trx, {
            to: reviewer,
            kind: 'review-reminder',
            key: 'review-response-reminder',
            journal,
            submissionId: submission.id,
            params: { reviewId: review.id },
            at: now,
            variables: (locale) => ({ journalName: journalName(locale), title: title(locale), responseDue: formatLongDate(locale, review.responseDue), acceptUrl, declineUrl }),
          });
        } else {
          await tell(trx, {
            to: reviewer,
            kind: 'review-reminder',
            key: 'review-reminder',
            journal,
            submissionId: submission.id,
            params: { reviewId: review.id },
            at: now,
            variables: (locale) => ({ journalName: journalName(locale), title: title(locale), reviewDue: formatLongDate(locale, review.reviewDue), reviewUrl: reviewPageUrl(options.baseUrl, journal.path, review.id) }),
          });
        }
        await trx.updateTable('review_assignments').set({ last_reminded_at: now }).where('id', '=', review.id).execute();
        await logActivity(trx, { submissionId: review.submissionId, userId: null, action: 'review.reminded', details: { reviewId: review.id, which: payload.which }, at: now });
      });
    },
  };
  return [handler as JobHandler];
}
