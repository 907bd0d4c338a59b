/**
 * One OJS 3.x Native XML issue as Revista reads and writes it (PKP's native.xsd / pkp-native.xsd):
 * the importer turns a document into these (parse.ts) and stores them (store.ts); the exporter loads
 * them from the database (load.ts) and writes them out (write.ts). Files travel as stored files:
 * embedded base64 is decoded straight into storage while parsing, and read back from storage when
 * writing, so no file is ever held whole in memory.
 *
 * Localized text is keyed by Revista's locale codes (`en`, `pl`, `pt-BR`…); OJS writes `en_US`,
 * `pl_PL` or `en`, which locales.ts maps both ways.
 */

export type Localized = Record<string, string>;
export type LocalizedList = Record<string, string[]>;

/** A file already in Revista's storage. */
export interface StoredFile {
  storageKey: string;
  sha256: string;
  sizeBytes: number;
  mimeType: string;
  originalName: string;
}

/** `<id type="…" advice="…">` of any object; `internal` is the OJS database id. */
export interface NativeId {
  type: string;
  value: string;
}

export interface NativeSection {
  /** `ref`: the abbreviation publications point at with `section_ref`. */
  ref: string;
  ojsId?: number;
  seq: number;
  title: Localized;
  abbrev: Localized;
  policy: Localized;
  /** Attributes kept as OJS wrote them (editor_restricted, meta_indexed, hide_title…). */
  flags: Record<string, number>;
  abstractWordCount?: number;
}

export interface NativeCover {
  locale?: string;
  /** `cover_image`: the file name OJS gave it. */
  fileName: string;
  altText: string;
  file: StoredFile;
}

export interface NativeIssueIdentification {
  volume?: number;
  number?: string;
  year?: number;
  title: Localized;
}

/** `<issue_galley>`: a file of the whole issue (its complete PDF…), with OJS's own dates. */
export interface NativeIssueGalley {
  ojsId?: number;
  locale?: string;
  label: string;
  seq: number;
  file: StoredFile;
  dateUploaded?: string;
  dateModified?: string;
}

export interface NativeIssue {
  ojsId?: number;
  ids: NativeId[];
  published: boolean;
  current: boolean;
  accessStatus?: number;
  urlPath?: string;
  description: Localized;
  identification: NativeIssueIdentification;
  datePublished?: string;
  lastModified?: string;
  sections: NativeSection[];
  covers: NativeCover[];
  galleys: NativeIssueGalley[];
  articles: NativeArticle[];
  /** Where the issue starts in the document, for messages. */
  line?: number;
}

export interface NativeArticle {
  ojsId?: number;
  ids: NativeId[];
  locale?: string;
  status?: string;
  stage?: string;
  dateSubmitted?: string;
  currentPublicationOjsId?: number;
  submissionFiles: NativeSubmissionFile[];
  publications: NativePublication[];
  line?: number;
}

export interface NativeSubmissionFile {
  /** `id` attribute: the submission file id galleys point at with submission_file_ref. */
  ojsId: number;
  fileId?: number;
  /** OJS 3.0–3.2: the number of the `<revision>` taken (the latest). */
  revision?: number;
  stage?: string;
  genre?: string;
  name: Localized;
  createdAt?: string;
  updatedAt?: string;
  uploader?: string;
  viewable?: boolean;
  /** The file's revision that `file_id` names (the last `<file>` when none matches). */
  file?: StoredFile;
  /** `<href src>` of a file OJS did not embed; the importer fetches nothing and warns. */
  href?: string;
  extension?: string;
}

export interface NativeAuthor {
  ojsId?: number;
  seq: number;
  primaryContact: boolean;
  includeInBrowse: boolean;
  /** OJS 3.5: contributor_type (PERSON…) and contributor role ids; older: user_group_ref (e.g. "Author"). */
  contributorType?: string;
  contributorRoles: number[];
  userGroupRef?: string;
  givenName: Localized;
  familyName: Localized;
  /** Every affiliation, in order; OJS 3.5 may add a ROR id to each. */
  affiliations: { name: Localized; ror?: string }[];
  country?: string;
  email?: string;
  url?: string;
  orcid?: string;
  biography: Localized;
}

export interface NativeGalley {
  ojsId?: number;
  ids: NativeId[];
  locale?: string;
  urlPath?: string;
  label: Localized;
  seq: number;
  approved?: boolean;
  submissionFileRef?: number;
  remoteUrl?: string;
}

export interface NativePublication {
  /** None for an OJS 3.0/3.1 article, which had no publication of its own. */
  ojsId?: number;
  /** The version's language (`<publication locale>`), when OJS wrote one. */
  locale?: string;
  /** OJS status: 1 queued, 3 published, 5 scheduled. */
  status?: number;
  version?: number;
  datePublished?: string;
  dateSubmitted?: string;
  urlPath?: string;
  sectionRef: string;
  seq?: number;
  accessStatus?: number;
  primaryContactOjsId?: number;
  ids: NativeId[];
  title: Localized;
  prefix: Localized;
  subtitle: Localized;
  abstract: Localized;
  coverage: Localized;
  type: Localized;
  source: Localized;
  rights: Localized;
  licenseUrl?: string;
  copyrightHolder: Localized;
  copyrightYear?: number;
  keywords: LocalizedList;
  agencies: LocalizedList;
  languages: LocalizedList;
  disciplines: LocalizedList;
  subjects: LocalizedList;
  authors: NativeAuthor[];
  galleys: NativeGalley[];
  citations: string[];
  pages?: string;
  covers: NativeCover[];
  issueIdentification?: NativeIssueIdentification;
}

/**
 * Contributor role ids as Revista writes and reads them in `<contributor_roles>` (OJS 3.5 numbers
 * its roles per journal; these are the numbers of a journal OJS set up itself: AUTHOR first, then
 * TRANSLATOR). OJS 3.3's user groups (`user_group_ref="Author"`, `"Translator"`) become these on
 * import, so a 3.3 document and its re-export say the same.
 */
export const CONTRIBUTOR_ROLE = { author: 1, translator: 2 } as const;

/** A contributor's role in Revista from what a document says about it. */
export function contributorRole(author: { contributorRoles: number[] }): 'author' | 'translator' {
  return author.contributorRoles.includes(CONTRIBUTOR_ROLE.translator) && !author.contributorRoles.includes(CONTRIBUTOR_ROLE.author) ? 'translator' : 'author';
}

/** The DOI among an object's ids, if any. */
export function doiOf(ids: NativeId[]): string | undefined {
  return ids.find((id) => id.type.toLowerCase() === 'doi')?.value.trim() || undefined;
}

/** The OJS database id among an object's ids, if any. */
export function internalIdOf(ids: NativeId[]): number | undefined {
  const value = ids.find((id) => id.type === 'internal')?.value.trim();
  return value && /^[0-9]{1,9}$/.test(value) ? Number(value) : undefined;
}
