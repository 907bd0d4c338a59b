import type { Config } from './config.ts';
import { createCrossrefClient, depositJobs, depositSchedules } from './exports/index.ts';
import type { JobHandler, Schedule } from './platform/jobs/index.ts';

/**
 * Every capability's job handlers and schedules, in one list: what a worker process (SERVICES=worker)
 * runs. A capability exports its handlers; this file is the only place that knows them all.
 */
export function jobHandlers(config: Pick<Config, 'crossrefUrl' | 'baseUrl'>): { handlers: JobHandler[]; schedules: Schedule[] } {
  const handlers: JobHandler[] = [...depositJobs({ client: createCrossrefClient({ baseUrl: config.crossrefUrl }), baseUrl: config.baseUrl })];
  return { handlers, schedules: [...depositSchedules] };
}
