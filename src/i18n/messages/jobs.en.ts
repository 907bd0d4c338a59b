/** English strings of the job queue's admin page: failed jobs and their retry (issue 18). */
export const jobsEn = {
  'jobs.title': 'Failed jobs',
  'jobs.intro': 'Work done in the background (Crossref deposits, mail, …) that failed every try. Fix the cause the error names, then retry.',
  'jobs.none': 'No job has failed.',
  'jobs.caption': 'Failed jobs, newest first',
  'jobs.kind': 'Job',
  'jobs.error': 'Last error',
  'jobs.attempts': 'Tries',
  'jobs.failedAt': 'Failed',
  'jobs.action': 'Action',
  'jobs.retry': 'Retry',
  'jobs.notice.queued': 'The job is queued again and runs in a moment.',
  'jobs.notice.already-queued': 'The same work is already waiting to run, so this job was not queued again.',
  'jobs.notice.not-failed': 'This job is no longer failed: it was retried already.',
};
