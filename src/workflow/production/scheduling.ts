import { inTransaction, markArticleScheduled, markArticleUnscheduled, type Db } from '../../catalog/index.ts';
import { emit } from '../../platform/events/index.ts';
import { enqueue, type JobHandler } from '../../platform/jobs/index.ts';
import { PublishingError } from './errors.ts';
import { assertReady, issueOf, lockForPublishing, publishLocked, type Published } from './publishing.ts';

/**
 * Scheduling a submission (issue 21, item 4). The workflow keeps how a publication waits
 * (publication_schedules); the catalog's commands change the publication and the article.
 *
 * - `issue`: into a future issue: the publication `scheduled` in it, the submission `scheduled`;
 *   publishIssue publishes it with the issue (and the subscriber below marks the submission
 *   published). Into an issue already published: published now, in it.
 * - `online-first` (continuous publication): published now with its own date, in no issue yet; the
 *   named issue collects it when it is published (its date kept). With no issue named it stays
 *   outside issues.
 * - `at`: published at a moment by a job (PUBLISH_AT_JOB) into the named issue (online first if that
 *   issue is not published by then). The job carries the moment it was made for and does nothing if
 *   the schedule changed or went meanwhile, so a changed schedule needs no clean-up.
 */

export const PUBLISH_AT_JOB = 'workflow.publish-at';

export type ScheduleChoice = { mode: 'issue'; issueId: number } | { mode: 'online-first'; issueId: number | null } | { mode: 'at'; at: Date; issueId: number | null };

export interface Scheduling {
  journalId: number;
  submissionId: number;
  userId: number | null;
  now: Date;
  choice: ScheduleChoice;
}

export type ScheduleResult = { status: 'scheduled'; publicationId: number } | ({ status: 'published' } & Published);

interface PublishAtPayload {
  journalId: number;
  submissionId: number;
  publicationId: number;
  at: string;
}

export async function schedulePublication(db: Db, input: Scheduling): Promise<ScheduleResult> {
  return inTransaction(db, async (trx) => {
    const row = await lockForPublishing(trx, input.journalId, input.submissionId);
    await assertReady(trx, input.journalId, input.submissionId);
    const { choice } = input;
    const issue = choice.issueId === null ? undefined : await issueOf(trx, input.journalId, choice.issueId);
    if (choice.mode === 'online-first' || (choice.mode === 'issue' && issue?.published)) {
      return { status: 'published' as const, ...(await publishLocked(trx, input, row.publication_id, choice.issueId)) };
    }
    if (choice.mode === 'at' && choice.at.getTime() <= input.now.getTime()) throw new PublishingError('date-invalid');
    await trx.deleteFrom('publication_schedules').where('publication_id', '=', row.publication_id).execute();
    await trx
      .insertInto('publication_schedules')
      .values({ publication_id: row.publication_id, journal_id: input.journalId, mode: choice.mode, issue_id: choice.issueId, publish_at: choice.mode === 'at' ? choice.at : null, scheduled_by: input.userId })
      .execute();
    // Into a future issue the publication waits in it (its table of contents lists it for the team);
    // at a moment it waits outside issues until the job places it.
    await markArticleScheduled(trx, input.submissionId, choice.mode === 'issue' ? choice.issueId : null);
    await trx.updateTable('submissions').set({ status: 'scheduled', last_activity_at: input.now }).where('id', '=', input.submissionId).execute();
    if (choice.mode === 'at') {
      const payload: PublishAtPayload = { journalId: input.journalId, submissionId: input.submissionId, publicationId: row.publication_id, at: choice.at.toISOString() };
      await enqueue(trx, { kind: PUBLISH_AT_JOB, payload, runAt: choice.at, key: `publish-at:${row.publication_id}:${choice.at.getTime()}`, maxAttempts: 5 });
    }
    await emit(trx, { type: 'PublicationScheduled', journalId: input.journalId, articleId: input.submissionId, publicationId: row.publication_id, mode: choice.mode });
    return { status: 'scheduled' as const, publicationId: row.publication_id };
  });
}

/** Back to production: the schedule goes, the publication waits again outside issues, the submission is active. */
export async function unschedulePublication(db: Db, input: { journalId: number; submissionId: number; now: Date }): Promise<void> {
  await inTransaction(db, async (trx) => {
    const row = await lockForPublishing(trx, input.journalId, input.submissionId);
    if (row.status !== 'scheduled') throw new PublishingError('not-scheduled');
    await trx.deleteFrom('publication_schedules').where('publication_id', '=', row.publication_id).execute();
    await markArticleUnscheduled(trx, input.submissionId);
    await trx.updateTable('submissions').set({ status: 'active', stage: 'production', last_activity_at: input.now }).where('id', '=', input.submissionId).execute();
  });
}

/** Publishes a submission scheduled for a moment, if it still is scheduled for that moment. */
export function publishAtJobs(): JobHandler[] {
  const handler: JobHandler<PublishAtPayload> = {
    kind: PUBLISH_AT_JOB,
    async run(payload, ctx) {
      await ctx.db.transaction().execute(async (trx) => {
        const now = ctx.clock.now();
        let row;
        try {
          row = await lockForPublishing(trx, payload.journalId, payload.submissionId);
        } catch (error) {
          if (error instanceof PublishingError) return;
          throw error;
        }
        const still = row.status === 'scheduled' && row.mode === 'at' && row.publication_id === payload.publicationId && row.publish_at?.getTime() === Date.parse(payload.at);
        if (!still) return;
        try {
          await assertReady(trx, payload.journalId, payload.submissionId);
        } catch (error) {
          // Something readers need went missing since it was scheduled: it waits, and the page says what.
          if (error instanceof PublishingError) {
            ctx.log.warn({ submissionId: payload.submissionId, missing: error.details }, 'scheduled publication not ready at its moment');
            return;
          }
          throw error;
        }
        await publishLocked(trx, { journalId: payload.journalId, submissionId: payload.submissionId, userId: null, now }, row.publication_id, row.schedule_issue);
      });
    },
  };
  return [handler as JobHandler];
}
