// The editorial workflow: submissions (issue 19), then review, decisions and production.
export { workflowRules, type WorkflowActions, type SubmissionResource, type ReviewRoundResource, type ReviewResource, type SubmissionFileResource, type DiscussionResource, type WorkflowStage } from './policy.ts';
export { WorkflowError, type WorkflowErrorCode, type SubmissionProblem } from './errors.ts';
export { logActivity, type ActivityAction } from './activity.ts';
export * from './queries.ts';
export { submissionProblems, wordCount } from './problems.ts';
export * from './settings/read.ts';
export * from './commands/submissions.ts';
export * from './commands/participants.ts';
export { subscribeWorkflowMail, submissionUrl, discussionUrl, SUBMISSION_MAIL, ASSIGNMENT_MAIL, DISCUSSION_MAIL } from './mail.ts';
export { workflowPlugin, type WorkflowWebDeps } from './web/index.ts';
export { saveSubmissionSettings, saveSectionSubmissionRules, checkSubmissionSettings, checkSectionRules, SettingsInvalid, KNOWN_FILE_TYPES, MAX_KIND_MB, SETTINGS_LIMITS, type SubmissionSettingsInput, type SectionRulesInput, type FileKindInput, type SettingsFieldError, type SettingsErrorCode } from './settings/commands.ts';
export { editorialDashboard, QUEUES, DASHBOARD_PAGE_SIZE, type Queue, type DashboardFilters, type DashboardPage, type DashboardRow } from './dashboard.ts';
export { acceptStreamedUploads, receivedUpload, uploadTooLarge, keepUpload, discardUpload, type ReceivedUpload, type StreamedUploadOptions } from './uploads.ts';
export * from './discussions.ts';
export * from './commands/discussions.ts';
export { stripMetadata, hasKnownMetadata, anonymizedCopy, reviewerFileName, AnonymizeError, MAX_ANONYMIZED_BYTES, type AnonymizedCopy, type AnonymizeFailure } from './review/anonymize/index.ts';
export { attachment, sendStoredFile } from './web/stored-files.ts';
export { ANONYMIZE_REFUSAL_LABEL } from './web/reviewer-files.ts';
