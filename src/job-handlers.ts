import type { Config } from './config.ts';
import { searchJobs, searchSchedules } from './discovery/index.ts';
import { createCrossrefClient, depositJobs, depositSchedules } from './exports/index.ts';
import type { Mailer } from './mail/index.ts';
import type { JobHandler, Schedule } from './platform/jobs/index.ts';
import { referenceJobs, referenceSchedules } from './references/index.ts';
import type { FileStore } from './storage/index.ts';
import { eventSchedules } from './platform/events/index.ts';
import { buildSubscriptions } from './subscribers.ts';
import { reviewReminderJobs } from './workflow/index.ts';
import { publishAtJobs } from './workflow/index.ts';
import { notificationJobs, notificationSchedules } from './notifications/index.ts';

/**
 * Every capability's job handlers and schedules, in one list: what a worker process (SERVICES=worker)
 * runs. A capability exports its handlers; this file is the only place that knows them all.
 */
export function jobHandlers(config: Pick<Config, 'crossrefUrl' | 'baseUrl' | 'referenceParsing'>, parts: { mailer: Mailer; files: FileStore }): { handlers: JobHandler[]; schedules: Schedule[] } {
  const crossref = createCrossrefClient({ baseUrl: config.crossrefUrl });
  const handlers: JobHandler[] = [
    ...depositJobs({ client: crossref, baseUrl: config.baseUrl }),
    ...buildSubscriptions({ crossref, baseUrl: config.baseUrl }).jobHandlers(),
    ...parts.mailer.jobs,
    ...reviewReminderJobs({ baseUrl: config.baseUrl }),
    ...publishAtJobs(),
    ...searchJobs({ files: parts.files }),
    ...notificationJobs(),
    // REFERENCE_PARSING=off: lists stay unparsed (their job waits) until a worker with it on runs.
    ...(config.referenceParsing ? referenceJobs() : []),
  ];
  const schedules = [...depositSchedules, ...eventSchedules, ...searchSchedules, ...notificationSchedules, ...(config.referenceParsing ? referenceSchedules : [])];
  return { handlers, schedules };
}
