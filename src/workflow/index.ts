// The editorial workflow: submissions (issue 19), then review, decisions and production.
export { workflowRules, type WorkflowActions, type SubmissionResource, type ReviewRoundResource, type SubmissionFileResource, type DiscussionResource, type WorkflowStage } from './policy.ts';
export { WorkflowError, type WorkflowErrorCode, type SubmissionProblem } from './errors.ts';
export { logActivity, type ActivityAction } from './activity.ts';
export * from './queries.ts';
export { submissionProblems, wordCount } from './problems.ts';
export * from './settings/read.ts';
export * from './commands/submissions.ts';
export * from './commands/participants.ts';
export { subscribeWorkflowMail, submissionUrl, discussionUrl, SUBMISSION_MAIL, ASSIGNMENT_MAIL, DISCUSSION_MAIL } from './mail.ts';
export { workflowPlugin, type WorkflowWebDeps } from './web/index.ts';
export { acceptStreamedUploads, receivedUpload, uploadTooLarge, keepUpload, discardUpload, type ReceivedUpload, type StreamedUploadOptions } from './uploads.ts';
