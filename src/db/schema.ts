import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/**
 * Localized text is a JSON object keyed by locale: `{"pl": "…", "en": "…"}` (see README, "Localized
 * text"). One column per field keeps an entity in one row, so a page loads with one query per table.
 */
export type LocalizedText = Record<string, string>;
/** Keywords and subjects: a list per locale, in the order the author gave them. */
export type LocalizedList = Record<string, string[]>;

type Json<T> = ColumnType<T, T | string, T | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
/** A calendar date without time zone, read and written as `YYYY-MM-DD`. */
type CalendarDate = ColumnType<string, string, string>;

export interface SiteTable {
  id: ColumnType<number, number | undefined, never>;
  title: Json<LocalizedText>;
  primary_locale: string;
  supported_locales: string[];
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface JournalTable {
  id: Generated<number>;
  path: string;
  name: Json<LocalizedText>;
  acronym: Json<LocalizedText>;
  description: Json<LocalizedText>;
  primary_locale: string;
  supported_locales: string[];
  online_issn: string | null;
  print_issn: string | null;
  publisher: string | null;
  publisher_url: string | null;
  license_url: string | null;
  copyright_notice: Json<LocalizedText>;
  contact_name: string | null;
  contact_email: string | null;
  enabled: Generated<boolean>;
  seq: Generated<number>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface SectionTable {
  id: Generated<number>;
  journal_id: number;
  title: Json<LocalizedText>;
  abbreviation: Json<LocalizedText>;
  policy: Json<LocalizedText>;
  seq: Generated<number>;
  created_at: CreatedAt;
}

export interface IssueTable {
  id: Generated<number>;
  journal_id: number;
  volume: number | null;
  number: string | null;
  year: number | null;
  title: Json<LocalizedText>;
  description: Json<LocalizedText>;
  show_volume: Generated<boolean>;
  show_number: Generated<boolean>;
  show_year: Generated<boolean>;
  show_title: Generated<boolean>;
  is_published: Generated<boolean>;
  is_current: Generated<boolean>;
  date_published: CalendarDate | null;
  url_path: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export type ArticleStatus = 'queued' | 'scheduled' | 'published' | 'declined';
export type PublicationStatus = 'queued' | 'scheduled' | 'published';

/** An article (OJS: submission) keeps its id; its versions are publications. */
export interface ArticleTable {
  id: Generated<number>;
  journal_id: number;
  current_publication_id: number | null;
  locale: string;
  status: ArticleStatus;
  date_submitted: ColumnType<Date, Date | string, Date | string> | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface PublicationTable {
  id: Generated<number>;
  article_id: number;
  version: number;
  status: PublicationStatus;
  locale: string;
  prefix: Json<LocalizedText>;
  title: Json<LocalizedText>;
  subtitle: Json<LocalizedText>;
  abstract: Json<LocalizedText>;
  keywords: Json<LocalizedList>;
  subjects: Json<LocalizedList>;
  section_id: number;
  issue_id: number | null;
  seq: Generated<number>;
  pages: string | null;
  doi: string | null;
  url_path: string | null;
  license_url: string | null;
  copyright_holder: Json<LocalizedText>;
  copyright_year: number | null;
  date_published: CalendarDate | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface ContributorTable {
  id: Generated<number>;
  publication_id: number;
  given_name: Json<LocalizedText>;
  family_name: Json<LocalizedText>;
  affiliation: Json<LocalizedText>;
  ror_id: string | null;
  email: string | null;
  orcid: string | null;
  country: string | null;
  role: Generated<string>;
  is_primary_contact: Generated<boolean>;
  include_in_browse: Generated<boolean>;
  seq: number;
}

/** A reference (OJS: citation) as the author wrote it; `parsed` is filled by reference parsing. */
export interface CitationTable {
  id: Generated<number>;
  publication_id: number;
  seq: number;
  raw_text: string;
  parsed: Json<Record<string, unknown>> | null;
}

export interface FileTable {
  id: Generated<number>;
  storage_key: string;
  mime_type: string;
  size_bytes: ColumnType<number, number, number>;
  sha256: string;
  original_name: string;
  created_at: CreatedAt;
}

export interface GalleyTable {
  id: Generated<number>;
  publication_id: number;
  label: string;
  locale: string;
  file_id: number | null;
  remote_url: string | null;
  url_path: string | null;
  seq: Generated<number>;
}

export interface Database {
  site: SiteTable;
  journals: JournalTable;
  sections: SectionTable;
  issues: IssueTable;
  articles: ArticleTable;
  publications: PublicationTable;
  contributors: ContributorTable;
  citations: CitationTable;
  files: FileTable;
  galleys: GalleyTable;
}

export type Journal = Selectable<JournalTable>;
export type NewJournal = Insertable<JournalTable>;
export type JournalUpdate = Updateable<JournalTable>;
export type Section = Selectable<SectionTable>;
export type Issue = Selectable<IssueTable>;
export type Article = Selectable<ArticleTable>;
export type Publication = Selectable<PublicationTable>;
export type Contributor = Selectable<ContributorTable>;
export type Citation = Selectable<CitationTable>;
export type StoredFile = Selectable<FileTable>;
export type Galley = Selectable<GalleyTable>;
