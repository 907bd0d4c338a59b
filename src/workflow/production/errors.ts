/**
 * Why a production command refused (issue 21): galleys and proofs. A code the pages and the API turn
 * into a message next to the field and an HTTP status; nothing is written when one is thrown.
 */
export type ProductionErrorCode =
  | 'not-in-production'
  | 'label-missing'
  | 'locale-not-allowed'
  | 'galley-unknown'
  | 'galley-type-not-allowed'
  | 'file-too-large'
  | 'file-empty'
  | 'file-unknown'
  | 'file-or-url'
  | 'url-invalid'
  | 'not-html'
  | 'asset-name-invalid'
  | 'asset-type-not-allowed'
  | 'asset-unknown'
  | 'authors-missing'
  | 'not-an-author'
  | 'no-galleys'
  | 'proof-unknown'
  | 'proof-answered'
  | 'response-missing'
  | 'too-long';

export class ProductionError extends Error {
  constructor(
    readonly code: ProductionErrorCode,
    readonly field?: string,
    readonly params: Record<string, string | number> = {},
  ) {
    super(`${code}${field ? ` (${field})` : ''}`);
    this.name = 'ProductionError';
  }

  get status(): number {
    switch (this.code) {
      case 'file-too-large':
        return 413;
      case 'galley-type-not-allowed':
      case 'asset-type-not-allowed':
        return 415;
      case 'not-in-production':
      case 'proof-answered':
        return 409;
      case 'galley-unknown':
      case 'proof-unknown':
      case 'asset-unknown':
        return 404;
      default:
        return 422;
    }
  }
}

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
