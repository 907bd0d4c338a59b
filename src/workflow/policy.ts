import { editsSection, holdsRole, isAssigned, type Assignment, type JournalResource, type Principal, type Rules } from '../platform/policy/index.ts';

/**
 * Who may act on a submission on its way to publication. Pages, files and the API load a submission
 * with its assignments (workflow/queries.ts `findSubmission`) and ask `can()` with it.
 */
export interface SubmissionResource {
  kind: 'submission';
  journalId: number;
  sectionId: number;
  submissionId: number;
  /** A draft is its authors' alone; the journal sees a submission once it is submitted. */
  status: 'draft' | 'active' | 'declined' | 'published';
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

/** A discussion of a submission: only its participants and the submission's editors take part. */
export interface DiscussionResource {
  kind: 'discussion';
  discussionId: number;
  participantIds: readonly number[];
  submission: SubmissionResource;
}

export interface WorkflowActions {
  /** Start a submission in the journal (the wizard, the API's create). */
  'journal.submit': JournalResource;
  /** The editorial dashboard: the journal's submissions as its editors see them. */
  'journal.workflow': JournalResource;
  /** The journal's submission settings (sections open, checklist, file kinds…). */
  'journal.submission-settings': JournalResource;
  'submission.read': SubmissionResource;
  /** Change a draft (its authors) or a submitted manuscript's metadata and files (its editors). */
  'submission.edit': SubmissionResource;
  /** Assign editors and section editors. */
  'submission.assign': SubmissionResource;
  /** Record decisions, invite reviewers. */
  'submission.decide': SubmissionResource;
  /** Start a discussion of the submission. */
  'submission.discuss': SubmissionResource;
  /** Write the review of a round. */
  'review-round.review': ReviewRoundResource;
  'submission-file.read': SubmissionFileResource;
  /** Read and answer a discussion. */
  'discussion.take-part': DiscussionResource;
}

const isAdmin = (principal: Principal | null) => principal?.isAdmin === true;

/**
 * The journal's managers and editors edit every submitted manuscript; a section editor those of their
 * sections and those they are assigned to (OJS 3). Nobody but its authors sees a draft.
 */
const editsSubmission = (principal: Principal | null, submission: SubmissionResource) =>
  submission.status !== 'draft' &&
  (isAdmin(principal) ||
    holdsRole(principal, submission.journalId, ['manager', 'editor']) ||
    isAssigned(principal, submission.assignments, 'editor') ||
    (holdsRole(principal, submission.journalId, ['section-editor']) && editsSection(principal, submission.journalId, submission.sectionId)));

const authorOf = (principal: Principal | null, submission: SubmissionResource) => isAssigned(principal, submission.assignments, 'author');

export const workflowRules: Rules<WorkflowActions> = {
  // Anyone signed in may submit (OJS gives such a person the author role with their first submission).
  'journal.submit': (principal, { journalId }) => principal !== null && (principal.onlyJournalId === undefined || principal.onlyJournalId === journalId),
  'journal.workflow': (principal, { journalId }) => isAdmin(principal) || holdsRole(principal, journalId, ['manager', 'editor', 'section-editor']),
  'journal.submission-settings': (principal, { journalId }) => isAdmin(principal) || holdsRole(principal, journalId, ['manager']),
  'submission.read': (principal, submission) =>
    editsSubmission(principal, submission) || authorOf(principal, submission) || (submission.status !== 'draft' && isAssigned(principal, submission.assignments, 'reviewer')),
  'submission.edit': (principal, submission) => (submission.status === 'draft' ? authorOf(principal, submission) : editsSubmission(principal, submission)),
  'submission.assign': editsSubmission,
  'submission.decide': editsSubmission,
  'submission.discuss': (principal, submission) => submission.status !== 'draft' && (editsSubmission(principal, submission) || authorOf(principal, submission)),
  // Only the invited reviewer writes the review: not an editor, not the administrator in their name.
  'review-round.review': (principal, round) => isAssigned(principal, round.submission.assignments, 'reviewer', round.reviewRoundId),
  'submission-file.read': (principal, file) => {
    if (editsSubmission(principal, file.submission)) return true;
    // Authors never see review files (reviewers' attachments would name them); reviewers see those of their own round only.
    if (file.stage === 'review') return file.reviewRoundId !== null && isAssigned(principal, file.submission.assignments, 'reviewer', file.reviewRoundId);
    return authorOf(principal, file.submission);
  },
  // Authors and everyone else take part only where they were made participants; editors see every discussion.
  'discussion.take-part': (principal, discussion) =>
    principal !== null && (editsSubmission(principal, discussion.submission) || discussion.participantIds.includes(principal.userId)),
};

declare module '../platform/policy/index.ts' {
  interface PolicyActions extends WorkflowActions {}
}
