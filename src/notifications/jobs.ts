import type { JobHandler, Schedule } from '../platform/jobs/index.ts';
import { pruneNotifications } from './queries.ts';

export const PRUNE_NOTIFICATIONS_JOB = 'notifications.prune';

/** Read notifications are removed once they are old (queries.ts: KEEP_READ_DAYS), looked for daily. */
export const notificationSchedules: Schedule[] = [{ name: PRUNE_NOTIFICATIONS_JOB, kind: PRUNE_NOTIFICATIONS_JOB, dailyAt: '03:41', maxAttempts: 1 }];

export function notificationJobs(): JobHandler[] {
  return [
    {
      kind: PRUNE_NOTIFICATIONS_JOB,
      async run(_payload, ctx) {
        const removed = await pruneNotifications(ctx.db, ctx.clock.now());
        if (removed > 0) ctx.log.info({ removed }, 'old read notifications removed');
      },
    },
  ];
}
