export * from './types.ts';
export * from './queries.ts';
export * from './commands.ts';
export * from './changes.ts';
export * from './editing.ts';
export { publicationReferences, referenceProblemCounts, type ReferenceProblemCount } from './references.ts';
