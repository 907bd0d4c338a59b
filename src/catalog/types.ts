import type { LocalizedList, LocalizedText, NoticeKind } from '../db/schema.ts';
import type { CslItem, ReferenceIssue } from '../references/index.ts';

/** What readers see of the catalog: published things only, shaped for pages and exports. */

export interface JournalSummary {
  id: number;
  path: string;
  name: LocalizedText;
  acronym: LocalizedText;
  description: LocalizedText;
  primaryLocale: string;
  supportedLocales: string[];
  onlineIssn: string | null;
  printIssn: string | null;
  publisher: string | null;
  licenseUrl: string | null;
  /** The look managers chose; a version stamp makes the theme's addresses change when it does. */
  theme: JournalTheme;
  /** The manager's navigation menu; empty means the default one. */
  navigation: NavigationEntry[];
  /** The DOI of the journal's Crossmark policy page, when it has one (Crossref's update relations need it). */
  crossmarkPolicyDoi?: string;
}

export interface JournalTheme {
  version: string;
  logoFileId: number | null;
  faviconFileId: number | null;
  homepageImageFileId: number | null;
  colour: string | null;
  customCss: boolean;
}

export interface NavigationEntry {
  label: LocalizedText;
  kind: 'builtin' | 'page' | 'url';
  target: string;
}

export interface IssueIdentity {
  id: number;
  volume: number | null;
  number: string | null;
  year: number | null;
  title: LocalizedText;
  showVolume: boolean;
  showNumber: boolean;
  showYear: boolean;
  showTitle: boolean;
  datePublished: string | null;
}

export interface IssueSummary extends IssueIdentity {
  description: LocalizedText;
  isCurrent: boolean;
  /** The cover image's file, served at /{journal}/issue/cover/{id}. */
  coverFileId: number | null;
}

export interface SectionSummary {
  id: number;
  title: LocalizedText;
  abbreviation: LocalizedText;
  seq: number;
}

export interface ContributorView {
  id: number;
  givenName: LocalizedText;
  familyName: LocalizedText;
  affiliation: LocalizedText;
  rorId: string | null;
  orcid: string | null;
  /** Proved through ORCID sign-in (never for an iD typed or imported); absent means not. */
  orcidAuthenticated?: boolean;
  /** A group or institution credited as an author (OJS 3.5 contributor_type ORGANIZATION); its name is givenName. */
  isOrganization?: boolean;
  isPrimaryContact: boolean;
}

export interface GalleyView {
  id: number;
  label: string;
  locale: string;
  remoteUrl: string | null;
  mimeType: string | null;
  sizeBytes: number | null;
}

export interface ArticleSummary {
  id: number;
  publicationId: number;
  locale: string;
  title: LocalizedText;
  subtitle: LocalizedText;
  prefix: LocalizedText;
  pages: string | null;
  doi: string | null;
  datePublished: string | null;
  section: SectionSummary;
  /** Names only: a table of contents shows no more of its authors (an article page has ContributorView's all). */
  contributors: ContributorName[];
  galleys: GalleyView[];
}

/** What a table of contents shows of a contributor. */
export type ContributorName = Pick<ContributorView, 'givenName' | 'familyName'>;

export interface IssueContents {
  issue: IssueSummary;
  /** Sections in their journal order, each with its articles in issue order; empty sections left out. */
  sections: { section: SectionSummary; articles: ArticleSummary[] }[];
  /** Files of the whole issue (its complete PDF…), in order; their remoteUrl is always null. */
  galleys: GalleyView[];
}

export interface ArticleDetail extends ArticleSummary {
  contributors: ContributorView[];
  journalId: number;
  version: number;
  abstract: LocalizedText;
  keywords: LocalizedList;
  licenseUrl: string | null;
  copyrightHolder: LocalizedText;
  copyrightYear: number | null;
  dateSubmitted: Date | null;
  lastModified: Date;
  issue: IssueIdentity | null;
  references: ReferenceView[];
  /** Published corrections, retractions, expressions of concern about this article, oldest first. */
  notices?: NoticeLink[];
  /** When this article is such a notice: the article it updates. */
  updates?: NoticeLink;
}

/** A notice about an article, or the article a notice updates, as pages and exports name it. */
export interface NoticeLink {
  kind: NoticeKind;
  /** The other article: the notice (on the updated article), or the updated article (on the notice). */
  articleId: number;
  title: LocalizedText;
  doi: string | null;
  /** The notice's publication date, on both sides (the date of the update). */
  datePublished: string | null;
}

/**
 * A reference: its text as the author wrote it and, once parsed (references/store.ts), its CSL-JSON
 * item and the problems found in it. Outputs use `csl` where present and the text otherwise.
 */
export interface ReferenceView {
  seq: number;
  text: string;
  csl?: CslItem;
  issues?: ReferenceIssue[];
}

export interface GalleyFile {
  galleyId: number;
  label: string;
  remoteUrl: string | null;
  file: { storageKey: string; mimeType: string; sizeBytes: number; sha256: string; originalName: string; createdAt: Date } | null;
}
