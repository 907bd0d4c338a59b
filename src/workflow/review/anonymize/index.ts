// What reviewers are given of an author's files in double-anonymous review (issue 20, item 4).
export { stripMetadata, hasKnownMetadata } from './strip.ts';
export { anonymizedCopy, reviewerFileName, type AnonymizedCopy } from './copies.ts';
export { AnonymizeError, MAX_ANONYMIZED_BYTES, type AnonymizeFailure } from './errors.ts';
