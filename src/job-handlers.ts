import type { Config } from './config.ts';
import { createCrossrefClient, depositJobs, depositSchedules } from './exports/index.ts';
import type { JobHandler, Schedule } from './platform/jobs/index.ts';
import { eventSchedules } from './platform/events/index.ts';
import { buildSubscriptions } from './subscribers.ts';

/**
 * Every capability's job handlers and schedules, in one list: what a worker process (SERVICES=worker)
 * runs. A capability exports its handlers; this file is the only place that knows them all.
 */
export function jobHandlers(config: Pick<Config, 'crossrefUrl' | 'baseUrl'>): { handlers: JobHandler[]; schedules: Schedule[] } {
  const crossref = createCrossrefClient({ baseUrl: config.crossrefUrl });
  const handlers: JobHandler[] = [...depositJobs({ client: crossref, baseUrl: config.baseUrl }), ...buildSubscriptions({ crossref, baseUrl: config.baseUrl }).jobHandlers()];
  return { handlers, schedules: [...depositSchedules, ...eventSchedules] };
}
