// The editorial workflow (submission, review, decisions, production) is built by the issues that
// follow; its who-may-do-what is settled first so pages, files and the API share one rule.
export { workflowRules, type WorkflowActions, type SubmissionResource, type ReviewRoundResource, type SubmissionFileResource } from './policy.ts';
