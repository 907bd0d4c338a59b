// Scheduling and publishing (issue 21, items 3-5): what other capabilities, the API and the worker use.
export { readiness, readinessFacts, fixUrl, BLOCKING, type Readiness, type ReadinessFacts, type ReadinessItem } from './readiness.ts';
export { publishSubmission, unpublishSubmission, type Publishing, type Published } from './publishing.ts';
export { schedulePublication, unschedulePublication, publishAtJobs, PUBLISH_AT_JOB, type ScheduleChoice, type Scheduling, type ScheduleResult } from './scheduling.ts';
export { PublishingError, type PublishingErrorCode } from './errors.ts';
export { subscribePublicationMail, articleUrl, PUBLISHED_MAIL, ISSUE_PUBLISHED_SUBMISSIONS } from './publication-mail.ts';
