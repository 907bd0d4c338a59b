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
  status: 'draft' | 'active' | 'declined' | 'scheduled' | 'published';
  assignments: readonly Assignment[];
  /** Section editors the manager limited to recommending a decision (issue 20): they recommend, others decide. */
  recommendOnly?: readonly number[];
}

/** One review request of a round: its reviewer answers and writes it, the submission's editors manage it. */
export interface ReviewResource {
  kind: 'review';
  reviewId: number;
  /** Null while the request waits for someone without an account. */
  reviewerId: number | null;
  status: 'requested' | 'accepted' | 'declined' | 'cancelled' | 'submitted';
  reviewRoundId: number;
  submission: SubmissionResource;
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
  /** For files of a review round: sent to review by the editor, or the author's revision. */
  reviewPurpose?: 'review-file' | 'revision' | null;
  submission: SubmissionResource;
}

/** A discussion of a submission: only its participants and the submission's editors take part. */
export interface DiscussionResource {
  kind: 'discussion';
  discussionId: number;
  participantIds: readonly number[];
  submission: SubmissionResource;
}

/** A request that the author check the galleys (issue 21): the author it went to answers it. */
export interface ProofResource {
  kind: 'proof';
  proofId: number;
  authorId: number;
  status: 'sent' | 'approved' | 'corrections' | 'cancelled';
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
  /** Record decisions (not a section editor limited to recommending). */
  'submission.decide': SubmissionResource;
  /** Recommend a decision to the deciding editors (a section editor limited to recommending). */
  'submission.recommend': SubmissionResource;
  /** Send to review, find and invite reviewers, open rounds' pages: every editor of the submission. */
  'submission.manage-review': SubmissionResource;
  /** Answer a review request while signed in (the mail's links answer without signing in). */
  'review.respond': ReviewResource;
  /** Fill in and submit the review: the reviewer who accepted. */
  'review.write': ReviewResource;
  /** Read a review request and what was written: its reviewer, the submission's editors. */
  'review.read': ReviewResource;
  /** Extend dates, cancel, reinstate, remind, rate: the submission's editors. */
  'review.manage': ReviewResource;
  /** Start a discussion of the submission. */
  'submission.discuss': SubmissionResource;
  /** Write the review of a round. */
  'review-round.review': ReviewRoundResource;
  'submission-file.read': SubmissionFileResource;
  /** Read and answer a discussion. */
  'discussion.take-part': DiscussionResource;
  /** Copyediting (issue 21): upload copyedited files, ask the author to review them: the editors and the assigned copyeditors. */
  'submission.copyedit': SubmissionResource;
  /** Production: galleys and proofs: the editors and the assigned layout editors. */
  'submission.produce': SubmissionResource;
  /** Schedule, publish, unschedule, version and correct: the deciding editors. */
  'submission.publish': SubmissionResource;
  /** Approve the proofs or ask for corrections: the author they were sent to. */
  'proof.answer': ProofResource;
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

const limitedToRecommending = (principal: Principal | null, submission: SubmissionResource) =>
  principal !== null && !isAdmin(principal) && (submission.recommendOnly ?? []).includes(principal.userId) && !holdsRole(principal, submission.journalId, ['manager', 'editor']);

const authorOf = (principal: Principal | null, submission: SubmissionResource) => isAssigned(principal, submission.assignments, 'author');

/** Copyeditors and layout editors work on submissions that were accepted, and only while they are assigned. */
const worksAs = (principal: Principal | null, submission: SubmissionResource, role: 'copyeditor' | 'layout-editor') =>
  (submission.status === 'active' || submission.status === 'scheduled' || submission.status === 'published') && isAssigned(principal, submission.assignments, role);

export const workflowRules: Rules<WorkflowActions> = {
  // Anyone signed in may submit (OJS gives such a person the author role with their first submission).
  'journal.submit': (principal, { journalId }) => principal !== null && (principal.onlyJournalId === undefined || principal.onlyJournalId === journalId),
  'journal.workflow': (principal, { journalId }) => isAdmin(principal) || holdsRole(principal, journalId, ['manager', 'editor', 'section-editor']),
  'journal.submission-settings': (principal, { journalId }) => isAdmin(principal) || holdsRole(principal, journalId, ['manager']),
  // Reviewers never read the submission's own page (it names the authors): they have the review pages.
  'submission.read': (principal, submission) =>
    editsSubmission(principal, submission) || authorOf(principal, submission) || worksAs(principal, submission, 'copyeditor') || worksAs(principal, submission, 'layout-editor'),
  'submission.edit': (principal, submission) => (submission.status === 'draft' ? authorOf(principal, submission) : editsSubmission(principal, submission)),
  'submission.assign': editsSubmission,
  'submission.decide': (principal, submission) => editsSubmission(principal, submission) && !limitedToRecommending(principal, submission),
  'submission.recommend': (principal, submission) => editsSubmission(principal, submission) && limitedToRecommending(principal, submission),
  'submission.manage-review': editsSubmission,
  'review.respond': (principal, review) => principal !== null && review.reviewerId === principal.userId && review.status === 'requested' && review.submission.status === 'active',
  'review.write': (principal, review) => principal !== null && review.reviewerId === principal.userId && review.status === 'accepted' && review.submission.status === 'active',
  'review.read': (principal, review) => (principal !== null && review.reviewerId === principal.userId) || editsSubmission(principal, review.submission),
  'review.manage': (principal, review) => editsSubmission(principal, review.submission),
  'submission.discuss': (principal, submission) =>
    submission.status !== 'draft' &&
    (editsSubmission(principal, submission) || authorOf(principal, submission) || worksAs(principal, submission, 'copyeditor') || worksAs(principal, submission, 'layout-editor')),
  // Only the invited reviewer writes the review: not an editor, not the administrator in their name.
  'review-round.review': (principal, round) => isAssigned(principal, round.submission.assignments, 'reviewer', round.reviewRoundId),
  'submission-file.read': (principal, file) => {
    if (editsSubmission(principal, file.submission)) return true;
    // Reviewers see the files of their own round only; authors, of a round, their own revisions.
    if (file.stage === 'review') {
      if (file.reviewRoundId !== null && isAssigned(principal, file.submission.assignments, 'reviewer', file.reviewRoundId)) return true;
      // The author's revisions are the accepted text the copyeditor works from.
      return file.reviewPurpose === 'revision' && (authorOf(principal, file.submission) || worksAs(principal, file.submission, 'copyeditor'));
    }
    // Copyeditors work from the accepted files and their copyedits; layout editors from the copyedits and galleys' files.
    if (file.stage === 'submission' || file.stage === 'copyediting') {
      if (worksAs(principal, file.submission, 'copyeditor')) return true;
    }
    if ((file.stage === 'copyediting' || file.stage === 'production') && worksAs(principal, file.submission, 'layout-editor')) return true;
    return authorOf(principal, file.submission);
  },
  // Authors and everyone else take part only where they were made participants; editors see every discussion.
  'discussion.take-part': (principal, discussion) =>
    principal !== null && (editsSubmission(principal, discussion.submission) || discussion.participantIds.includes(principal.userId)),
  'submission.copyedit': (principal, submission) => editsSubmission(principal, submission) || worksAs(principal, submission, 'copyeditor'),
  'submission.produce': (principal, submission) => editsSubmission(principal, submission) || worksAs(principal, submission, 'layout-editor'),
  'submission.publish': (principal, submission) => editsSubmission(principal, submission) && !limitedToRecommending(principal, submission),
  'proof.answer': (principal, proof) => principal !== null && proof.authorId === principal.userId && proof.status === 'sent',
};

declare module '../platform/policy/index.ts' {
  interface PolicyActions extends WorkflowActions {}
}
