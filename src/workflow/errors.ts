/**
 * Why a workflow command refused: a code the pages and the API turn into a message next to the field
 * (`field`) and an HTTP status. Nothing is written when a command throws one.
 */
export type WorkflowErrorCode =
  | 'section-unknown'
  | 'section-closed'
  | 'locale-not-allowed'
  | 'checklist-unconfirmed'
  | 'agreements-unaccepted'
  | 'not-a-draft'
  | 'not-active'
  | 'file-kind-unknown'
  | 'file-type-not-allowed'
  | 'file-too-large'
  | 'file-empty'
  | 'file-unknown'
  | 'incomplete'
  | 'not-eligible'
  | 'already-assigned'
  | 'participant-unknown'
  | 'too-long'
  | 'discussion-unknown'
  | 'discussion-closed'
  | 'subject-missing'
  | 'message-missing'
  | 'participants-missing'
  | 'too-many-files'
  // review (issue 20)
  | 'review-unknown'
  | 'round-unknown'
  | 'form-unknown'
  | 'not-in-review'
  | 'round-closed'
  | 'reviewer-already-requested'
  | 'reviewer-not-eligible'
  | 'reviewer-is-author'
  | 'email-invalid'
  | 'name-missing'
  | 'date-invalid'
  | 'review-not-requested'
  | 'review-not-accepted'
  | 'review-not-cancelled'
  | 'review-not-submitted'
  | 'answer-missing'
  | 'answer-invalid'
  | 'recommendation-missing'
  | 'rating-invalid'
  | 'decision-not-allowed'
  | 'reviews-outstanding'
  | 'too-few-reviews'
  | 'review-not-shareable'
  | 'revisions-not-requested'
  | 'files-missing'
  | 'link-invalid'
  | 'link-expired'
  | 'link-used'
  | 'throttled'
  // copyediting and production (issue 21)
  | 'not-in-copyediting';

export class WorkflowError extends Error {
  constructor(
    readonly code: WorkflowErrorCode,
    readonly field?: string,
    readonly params: Record<string, string | number> = {},
    readonly problems: readonly SubmissionProblem[] = [],
  ) {
    super(`${code}${field ? ` (${field})` : ''}`);
    this.name = 'WorkflowError';
  }

  /** The HTTP status the refusal is answered with. */
  get status(): number {
    switch (this.code) {
      case 'file-too-large':
        return 413;
      case 'file-type-not-allowed':
        return 415;
      case 'not-a-draft':
      case 'not-active':
      case 'already-assigned':
      case 'discussion-closed':
      case 'not-in-review':
      case 'round-closed':
      case 'reviewer-already-requested':
      case 'review-not-requested':
      case 'review-not-accepted':
      case 'review-not-cancelled':
      case 'review-not-submitted':
      case 'decision-not-allowed':
      case 'reviews-outstanding':
      case 'too-few-reviews':
      case 'revisions-not-requested':
      case 'link-used':
      case 'not-in-copyediting':
        return 409;
      case 'link-expired':
        return 410;
      case 'throttled':
        return 429;
      case 'link-invalid':
        return 403;
      case 'file-unknown':
      case 'participant-unknown':
      case 'discussion-unknown':
      case 'review-unknown':
      case 'round-unknown':
      case 'form-unknown':
        return 404;
      default:
        return 422;
    }
  }
}

/** Something the submission still lacks, by the wizard step where it is fixed. */
export interface SubmissionProblem {
  step: 'start' | 'files' | 'details' | 'contributors' | 'references';
  code:
    | 'checklist-unconfirmed'
    | 'agreements-unaccepted'
    | 'section-closed'
    | 'file-missing'
    | 'title-missing'
    | 'abstract-missing'
    | 'abstract-too-long'
    | 'keywords-missing'
    | 'contributors-missing'
    | 'primary-contact-missing'
    | 'contributor-email-missing'
    | 'references-missing';
  /** The field or the file kind it concerns. */
  field?: string;
  params?: Record<string, string | number>;
}
