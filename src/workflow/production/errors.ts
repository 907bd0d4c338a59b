/**
 * Why a scheduling or publishing step refused (issue 21): a code the page shows next to the form and
 * the API turns into a problem with a status. Nothing is written when a command throws one.
 */
export type PublishingErrorCode =
  /** The submission is not accepted (still in submission or review), declined, or a draft. */
  | 'not-accepted'
  /** Something readers and indexers need is missing (readiness.ts: the blocking items). */
  | 'not-ready'
  /** Unscheduling what is not scheduled. */
  | 'not-scheduled'
  /** Publishing or scheduling what is already published. */
  | 'already-published'
  /** Unpublishing what is not published. */
  | 'not-published'
  /** The issue is not the journal's. */
  | 'issue-unknown'
  /** A moment that is not in the future. */
  | 'date-invalid';

export class PublishingError extends Error {
  constructor(
    readonly code: PublishingErrorCode,
    readonly details: readonly string[] = [],
  ) {
    super(`publishing refused: ${code}${details.length ? ` (${details.join(', ')})` : ''}`);
    this.name = 'PublishingError';
  }
}
