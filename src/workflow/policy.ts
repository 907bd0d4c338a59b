import { holdsRole, isAssigned, type Assignment, type Principal, type Rules } from '../platform/policy/index.ts';

/**
 * Who may act on a submission on its way to publication. The submission, review and production
 * steps (issues to come) load a submission with its assignments and ask `can()`; the rules are here
 * already so that pages, the API and file downloads share them from the first route on.
 */
export interface SubmissionResource {
  kind: 'submission';
  journalId: number;
  sectionId: number;
  submissionId: number;
  assignments: readonly Assignment[];
}

export interface ReviewRoundResource {
  kind: 'review-round';
  reviewRoundId: number;
  submission: SubmissionResource;
}

export type WorkflowStage = 'submission' | 'review' | 'copyediting' | 'production';

/** A file of a submission at one stage; review files belong to one round. */
export interface SubmissionFileResource {
  kind: 'submission-file';
  fileId: number;
  stage: WorkflowStage;
  reviewRoundId: number | null;
  submission: SubmissionResource;
}

export interface WorkflowActions {
  'submission.read': SubmissionResource;
  /** Record decisions, assign editors and reviewers. */
  'submission.decide': SubmissionResource;
  /** Write the review of a round. */
  'review-round.review': ReviewRoundResource;
  'submission-file.read': SubmissionFileResource;
}

/** The journal's managers and editors see every submission; a section editor only those assigned to them (OJS 3). */
const editsSubmission = (principal: Principal | null, submission: SubmissionResource) =>
  principal?.isAdmin === true || holdsRole(principal, submission.journalId, ['manager', 'editor']) || isAssigned(principal, submission.assignments, 'editor');

export const workflowRules: Rules<WorkflowActions> = {
  'submission.read': (principal, submission) =>
    editsSubmission(principal, submission) || isAssigned(principal, submission.assignments, 'author') || isAssigned(principal, submission.assignments, 'reviewer'),
  'submission.decide': editsSubmission,
  // Only the invited reviewer writes the review: not an editor, not the administrator in their name.
  'review-round.review': (principal, round) => isAssigned(principal, round.submission.assignments, 'reviewer', round.reviewRoundId),
  'submission-file.read': (principal, file) => {
    if (editsSubmission(principal, file.submission)) return true;
    // Authors never see review files (reviewers' attachments would name them); reviewers see those of their own round only.
    if (file.stage === 'review') return file.reviewRoundId !== null && isAssigned(principal, file.submission.assignments, 'reviewer', file.reviewRoundId);
    return isAssigned(principal, file.submission.assignments, 'author');
  },
};

declare module '../platform/policy/index.ts' {
  interface PolicyActions extends WorkflowActions {}
}
