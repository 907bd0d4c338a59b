/** The public shapes of reference parsing: labels, CSL-JSON items, issues. */

/** Field labels, as in the training data (../shared/data/references/README.md). */
export type ReferenceLabel =
  | 'author' | 'citation-number' | 'collection-title' | 'container-title' | 'date' | 'director' | 'doi' | 'edition'
  | 'editor' | 'genre' | 'isbn' | 'journal' | 'location' | 'medium' | 'note' | 'pages' | 'producer' | 'publisher'
  | 'source' | 'title' | 'translator' | 'url' | 'volume' | 'dataset';

export type Segment = [label: ReferenceLabel, text: string];

export interface CslName {
  family?: string;
  given?: string;
  /** An organisation, or a name that is not split into parts. */
  literal?: string;
}

export interface CslDate {
  'date-parts': number[][];
}

export type CslType =
  | 'article' | 'article-journal' | 'article-magazine' | 'article-newspaper' | 'book' | 'chapter' | 'dataset'
  | 'document' | 'legislation' | 'motion_picture' | 'paper-conference' | 'report' | 'thesis' | 'webpage';

/** A CSL-JSON item (https://citeproc-js.readthedocs.io/en/latest/csl-json/markup.html), the fields a reference can give. */
export interface CslItem {
  id?: string;
  type: CslType;
  author?: CslName[];
  editor?: CslName[];
  translator?: CslName[];
  director?: CslName[];
  title?: string;
  'container-title'?: string;
  'collection-title'?: string;
  volume?: string;
  issue?: string;
  number?: string;
  page?: string;
  'number-of-pages'?: string;
  edition?: string;
  publisher?: string;
  'publisher-place'?: string;
  genre?: string;
  medium?: string;
  issued?: CslDate;
  accessed?: CslDate;
  URL?: string;
  DOI?: string;
  ISBN?: string;
  language?: string;
  note?: string;
  'citation-number'?: string;
}

export type IssueCode =
  | 'empty' | 'too-long' | 'not-text' | 'no-words'
  | 'url-empty' | 'url-missing' | 'url-spaces' | 'url-scheme'
  | 'date-malformed' | 'date-missing' | 'accessed-before-issued' | 'year-future' | 'accessed-future'
  | 'empty-field' | 'missing-space' | 'unbalanced'
  | 'doi-invalid' | 'isbn-invalid'
  | 'source-missing' | 'publisher-misspelled' | 'duplicate';

export interface ReferenceIssue {
  code: IssueCode;
  /** error: the reference is wrong as printed; warning: worth a look. */
  severity: 'error' | 'warning';
  /** Values for the message: the offending text, dates, the reference it duplicates… */
  params: Record<string, string | number>;
}

export interface ParsedReference {
  segments: Segment[];
  csl: CslItem;
  issues: ReferenceIssue[];
}
