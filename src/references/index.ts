/**
 * Reference intelligence: a raw bibliography entry → labelled segments, CSL-JSON and the problems
 * an editor should fix. The labeller is a linear-chain CRF trained on the AnyStyle data sets and
 * synthetic Polish/ISO 690 references (`npm run train:references`, model in ./model); dates,
 * names, DOIs, links and pages are read by rules after labelling.
 *
 *   parseReference(raw)      → { segments, csl, issues }
 *   parseReferences(raws)    → the same for a list, numbered, with duplicates found
 *   checkReferences(raws)    → the issues only
 *   issueMessage(issue, 'pl'|'en')
 */
export { parseReference, parseReferences, checkReferences, MAX_REFERENCE_LENGTH, type ParseOptions } from './parse.ts';
export { issueMessage, withMessages } from './messages.ts';
export type { CslItem, CslName, CslDate, CslType, IssueCode, ParsedReference, ReferenceIssue, ReferenceLabel, Segment } from './types.ts';
export {
  PARSER_VERSION,
  parseReferenceList,
  referenceParseColumns,
  storedReference,
  textSha256,
  parseStaleReferences,
  countStaleReferences,
  type StoredReference,
  type ReparseOptions,
  type ReparseResult,
} from './store.ts';
export { referenceJobs, referenceSchedules, REFERENCES_PARSE_JOB } from './jobs.ts';
