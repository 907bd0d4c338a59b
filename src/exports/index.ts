export { assignMissingDois, doiProblem, prefixIsValid, suffixFromPattern, DEFAULT_SUFFIX_PATTERN, doiTaken } from './doi.ts';
export { buildDocuments, selectArticles, ExportError, type ExportFormat, type ExportSelection } from './documents.ts';
export { createCrossrefClient, type CrossrefClient } from './crossref-client.ts';
export { queueDeposits, sendQueuedDeposits, checkSubmittedDeposits, startDepositWorker, type DepositContext } from './deposits.ts';
export { crossrefDeposit, type CrossrefDepositor } from './crossref.ts';
export { journalDepositor, type JournalDepositor } from './depositor.ts';
export { doajArticles } from './doaj.ts';
export { CITATION_STYLES, formatCitation, toBibTeX, toRis, toEndNote, toCslJsonText, toCslJson } from './citations.ts';
export { citationDownload } from './downloads.ts';
