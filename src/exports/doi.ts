// The DOI rules and their assignment belong to the catalog (publishing an issue assigns DOIs);
// exports keeps these names for its callers.
export { DEFAULT_SUFFIX_PATTERN, doiProblem, journalInitials, prefixIsValid, suffixFromPattern, type DoiProblem, type SuffixValues, assignMissingDois, doiTaken, type AssignResult } from '../catalog/index.ts';
