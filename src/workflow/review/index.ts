// Peer review and decisions (issue 20): rounds, requests, reviews, decisions, reminders, forms.
export * from './settings.ts';
export * from './settings-commands.ts';
export * from './queries.ts';
export * from './links.ts';
export * from './reminders.ts';
export * from './forms/index.ts';
export * from './commands/requests.ts';
export * from './commands/reviews.ts';
export * from './commands/decisions.ts';
export * from './shared-reviews.ts';
export { subscribeReviewMail, REVIEW_REQUEST_MAIL, REVIEW_ANSWER_MAIL, REVIEW_SUBMITTED_MAIL, REVIEW_CHANGED_MAIL, DECISION_MAIL, REVISIONS_MAIL } from './mail.ts';
export { reviewsBlock, RECOMMENDATION_LABEL } from './mail-words.ts';
export { reviewReminderJobs } from './reminder-job.ts';
