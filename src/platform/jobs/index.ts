/**
 * The job queue (issue 18): work that may wait is queued in the same transaction as the change that
 * asks for it, and run once by a worker process (SERVICES=worker), with retries, run-at times,
 * recurring schedules, idempotency keys, and failed jobs shown to the site admin (/admin/jobs).
 */
export { enqueue, backoffMs, retryFailedJob, listFailedJobs, JobInputError, JOBS_CHANNEL, DEFAULT_MAX_ATTEMPTS, type Db, type NewJob, type FailedJob, type RetryOutcome } from './queue.ts';
export { startJobRunner, runJobsUntilIdle, PermanentJobError, type JobHandler, type JobContext, type JobLog, type JobRunner, type JobRunnerOptions, type IdleRun } from './runner.ts';
export { ensureScheduled, nextSlot, scheduleKey, type Schedule } from './schedules.ts';
