export * from './types.ts';
export * from './queries.ts';
export * from './commands.ts';
export * from './changes.ts';
export * from './editing.ts';
export { publicationReferences, referenceProblemCounts, type ReferenceProblemCount } from './references.ts';
export { deleteIssue, deleteJournal, issueArticleCount, journalDeletionSummary, type IssueDeletion, type JournalDeletionSummary } from './lifecycle.ts';
