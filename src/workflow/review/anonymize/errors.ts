/**
 * Why a file could not be made anonymous. In double-anonymous review the original is then never given
 * to the reviewer: the download is refused, and the editor is told to upload a copy that can be
 * (unprotected, not damaged, smaller).
 */
export type AnonymizeFailure =
  /** Password-protected or encrypted (PDF /Encrypt, an encrypted ZIP entry or ODF part, an encrypted Office file). */
  | 'encrypted'
  /** Damaged, or not what its type says. */
  | 'unreadable'
  /** Larger than its kind allows (at most 100 MB), or a ZIP that unpacks to too much (a zip bomb). */
  | 'too-large';

export class AnonymizeError extends Error {
  constructor(
    readonly reason: AnonymizeFailure,
    detail: string,
  ) {
    super(`${reason}: ${detail}`);
    this.name = 'AnonymizeError';
  }
}

/** The most any file is read to be made anonymous: a kind's own limit can only be lower. */
export const MAX_ANONYMIZED_BYTES = 100 * 1024 * 1024;
