import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/**
 * Localized text is a JSON object keyed by locale: `{"pl": "…", "en": "…"}` (see README, "Localized
 * text"). One column per field keeps an entity in one row, so a page loads with one query per table.
 */
export type LocalizedText = Record<string, string>;
/** Keywords and subjects: a list per locale, in the order the author gave them. */
export type LocalizedList = Record<string, string[]>;

type Json<T> = ColumnType<T, T | string, T | string>;
/** A JSON column with a database default: optional on insert. */
type JsonWithDefault<T> = ColumnType<T, T | string | undefined, T | string>;
/** A nullable column that may be left out on insert. */
type Optional<T> = ColumnType<T | null, T | null | undefined, T | null>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
/** A calendar date without time zone, read and written as `YYYY-MM-DD`. */
type CalendarDate = ColumnType<string, string, string>;

export interface SiteTable {
  id: ColumnType<number, number | undefined, never>;
  title: Json<LocalizedText>;
  primary_locale: string;
  supported_locales: string[];
  contact_email: Optional<string>;
  about: JsonWithDefault<LocalizedText>;
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
  logo_file_id: Optional<number>;
  favicon_file_id: Optional<number>;
  homepage_image_file_id: Optional<number>;
  /** `#rrggbb`; the theme derives its other colours from it. */
  theme_colour: Optional<string>;
  /** Sanitized when saved (admin/sanitize.ts). */
  custom_css: Optional<string>;
  copyright_holder_type: Generated<CopyrightHolderType>;
  copyright_holder_other: JsonWithDefault<LocalizedText>;
  doi_prefix: Optional<string>;
  /** OJS-style pattern with %j %v %i %Y %a %p; null for the default `{initials}.v{volume}i{issue}.{id}`. */
  doi_suffix_pattern: Optional<string>;
  crossref_username: Optional<string>;
  /** Crossmark's policy page DOI: with it, a notice's Crossref record carries its update relation (migration 0030). */
  crossmark_policy_doi: Optional<string>;
  crossref_password: Optional<string>;
  crossref_depositor_name: Optional<string>;
  crossref_depositor_email: Optional<string>;
  sushi_requires_key: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export type CopyrightHolderType = 'author' | 'journal' | 'other';

export interface SectionTable {
  id: Generated<number>;
  journal_id: number;
  title: Json<LocalizedText>;
  abbreviation: Json<LocalizedText>;
  policy: Json<LocalizedText>;
  seq: Generated<number>;
  created_at: CreatedAt;
  /** OJS section flags as imported (editor_restricted, meta_indexed, hide_title…, abstract_word_count). */
  settings: JsonWithDefault<Record<string, number>>;
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
  cover_file_id: Optional<number>;
  /** Position in the archive when the editor orders issues by hand; 0 keeps the default order. */
  seq: Generated<number>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
  access_status: Optional<number>;
  cover_name: Optional<string>;
  cover_alt_text: Optional<string>;
}

export interface IssueSectionOrderTable {
  issue_id: number;
  section_id: number;
  seq: number;
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
  /** Dublin Core fields OJS keeps per publication (kept for OJS round trips). */
  coverage: JsonWithDefault<LocalizedText>;
  type: JsonWithDefault<LocalizedText>;
  source: JsonWithDefault<LocalizedText>;
  rights: JsonWithDefault<LocalizedText>;
  disciplines: JsonWithDefault<LocalizedList>;
  agencies: JsonWithDefault<LocalizedList>;
  languages: JsonWithDefault<LocalizedList>;
  access_status: Optional<number>;
  cover_file_id: Optional<number>;
  cover_name: Optional<string>;
  cover_alt_text: Optional<string>;
  /** An article number (elocation) where the journal numbers articles instead of paging them (migration 0030). */
  article_number: Optional<string>;
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
  /** All affiliations in order (`affiliation` is the first), each with its ROR id when known. */
  affiliations: JsonWithDefault<{ name: LocalizedText; ror?: string }[]>;
  biography: JsonWithDefault<LocalizedText>;
  url: Optional<string>;
  /** OJS user group of the contributor (e.g. "Author", "Translator"), as imported. */
  user_group: Optional<string>;
  /** OJS 3.5 contributor type (PERSON, ORGANIZATION…) and CRediT-like role ids, as imported. */
  contributor_type: Optional<string>;
  contributor_roles: Generated<number[]>;
  /** The iD was proved through ORCID sign-in; a trigger clears it with the iD (0018_orcid_authenticated.ts). */
  orcid_authenticated: Generated<boolean>;
}

/**
 * A reference (OJS: citation) as the author wrote it, and its parse ({segments, csl, issues}, see
 * references/store.ts) with the SHA-256 of the text it was made from and the parser's version. A
 * trigger clears a parse whose hash is not the text's, so `parsed` is right for the text or NULL.
 */
export interface CitationTable {
  id: Generated<number>;
  publication_id: number;
  seq: number;
  raw_text: string;
  parsed: Json<Record<string, unknown>> | null;
  parsed_text_sha256: ColumnType<string | null, string | null | undefined, string | null>;
  parser_version: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface FileTable {
  id: Generated<number>;
  storage_key: string;
  mime_type: string;
  size_bytes: ColumnType<number, number, number>;
  sha256: string;
  original_name: string;
  created_at: CreatedAt;
  /** When the type was read from the bytes; NULL for a file stored before types were (migration 0015). */
  type_checked_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
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
  doi: Optional<string>;
}

/** A file of a whole issue (its complete PDF…), as OJS's issue galleys (migration 0016). */
export interface IssueGalleyTable {
  id: Generated<number>;
  issue_id: number;
  label: string;
  locale: string;
  file_id: number;
  seq: Generated<number>;
  date_uploaded: CalendarDate | null;
  date_modified: CalendarDate | null;
}

export type RoleName = 'admin' | 'manager' | 'editor' | 'section-editor' | 'copyeditor' | 'layout-editor' | 'reviewer' | 'author' | 'reader';

export interface SecretTable {
  name: string;
  value: string;
  created_at: CreatedAt;
}

export interface UserTable {
  id: Generated<number>;
  email: string;
  email_verified_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  password_hash: string | null;
  given_name: Json<LocalizedText>;
  family_name: Json<LocalizedText>;
  affiliation: Json<LocalizedText>;
  orcid: string | null;
  country: string | null;
  preferred_locale: string | null;
  privacy_consent_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  disabled_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  disabled_reason: string | null;
  deletion_requested_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  last_login_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
  /** Folded address, names, affiliation and ORCID iD for substring search; kept by a trigger (migration 0019). */
  search_text: ColumnType<string, never, never>;
  /** Folded family and given name (or the address) for sorting; kept by the same trigger. */
  sort_name: ColumnType<string, never, never>;
}

export interface RoleAssignmentTable {
  id: Generated<number>;
  user_id: number;
  journal_id: number | null;
  role: RoleName;
  created_at: CreatedAt;
}

export interface SectionEditorSectionTable {
  user_id: number;
  section_id: number;
}

export interface SessionTable {
  token_hash: string;
  user_id: number;
  created_at: CreatedAt;
  last_seen_at: ColumnType<Date, Date | string | undefined, Date | string>;
  expires_at: ColumnType<Date, Date | string, Date | string>;
  user_agent: string | null;
}

export type AccountTokenPurpose = 'verify-email' | 'reset-password' | 'change-email' | 'revert-email';

export interface AccountTokenTable {
  token_hash: string;
  user_id: number;
  purpose: AccountTokenPurpose;
  /** change-email: the address to move to; revert-email: the address to move back to. */
  new_email: string | null;
  /** verify-email: the journal registered through, whose reader and author roles the confirmation grants. */
  journal_id: ColumnType<number | null, number | null | undefined, number | null>;
  created_at: CreatedAt;
  expires_at: ColumnType<Date, Date | string, Date | string>;
  used_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export type InvitationPurpose = 'journal-roles';

/** An invitation to someone without an account (accounts/invitations.ts). */
export interface InvitationTable {
  id: Generated<number>;
  token_hash: string;
  purpose: ColumnType<InvitationPurpose, InvitationPurpose | undefined, InvitationPurpose>;
  journal_id: number;
  email: string;
  given_name: Json<LocalizedText>;
  family_name: Json<LocalizedText>;
  roles: string[];
  locale: string | null;
  invited_by: number | null;
  created_at: CreatedAt;
  sent_at: ColumnType<Date, Date | string, Date | string>;
  expires_at: ColumnType<Date, Date | string, Date | string>;
  accepted_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  accepted_by: number | null;
  revoked_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

/** Hits per throttle key (sign-in failures, account mails): see accounts/throttle.ts. */
export interface ThrottleTable {
  key: string;
  hits: number;
  last_hit_at: ColumnType<Date, Date | string, Date | string>;
  blocked_until: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export type MailStatus = 'stored' | 'sent' | 'failed';

export interface MailOutboxTable {
  id: Generated<number>;
  journal_id: number | null;
  template: string | null;
  to_address: string;
  subject: string;
  text_body: string;
  status: MailStatus;
  error: string | null;
  message_id: string | null;
  created_at: CreatedAt;
  sent_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface MailTemplateTable {
  id: Generated<number>;
  journal_id: number | null;
  key: string;
  locale: string;
  subject: string;
  body: string;
  updated_at: UpdatedAt;
}

export interface JournalPageTable {
  id: Generated<number>;
  journal_id: number;
  path: string;
  title: Json<LocalizedText>;
  /** Sanitized HTML per locale. */
  content: Json<LocalizedText>;
  updated_at: UpdatedAt;
}

export type NavigationKind = 'builtin' | 'page' | 'url';

export interface NavigationItemTable {
  id: Generated<number>;
  journal_id: number;
  seq: Generated<number>;
  label: Json<LocalizedText>;
  kind: NavigationKind;
  target: string;
}

export interface AnnouncementTable {
  id: Generated<number>;
  journal_id: number;
  title: Json<LocalizedText>;
  summary: Json<LocalizedText>;
  body: Json<LocalizedText>;
  posted_at: ColumnType<Date, Date | string | undefined, Date | string>;
  expires_on: CalendarDate | null;
  updated_at: UpdatedAt;
}

export type DepositStatus = 'queued' | 'submitted' | 'registered' | 'failed';

export interface CrossrefDepositTable {
  article_id: number;
  status: DepositStatus;
  doi: string;
  batch_id: string | null;
  metadata_hash: string | null;
  message: string | null;
  attempts: Generated<number>;
  next_attempt_at: Optional<Date>;
  submitted_at: Optional<Date>;
  registered_at: Optional<Date>;
  updated_at: UpdatedAt;
}

export type UsageKind = 'investigation' | 'request' | 'toc' | 'home';

/** An OJS id of an imported object, and the Revista row it became (interop/ojs). */
export interface OjsIdTable {
  journal_id: number;
  kind: 'issue' | 'section' | 'article' | 'publication' | 'galley' | 'submission_file' | 'author' | 'issue_galley';
  ojs_id: number;
  revista_id: number;
  digest: Optional<string>;
}

export interface UsageEventTable {
  id: ColumnType<number, never, never>;
  at: ColumnType<Date, Date | string, Date | string>;
  journal_id: number;
  issue_id: number | null;
  article_id: number | null;
  galley_id: number | null;
  kind: UsageKind;
  session_key: string;
  country: string | null;
  yop: number | null;
  filter_reason: 'robot' | 'double-click' | null;
}

/** COUNTER item metrics of one article in one UTC month. */
export interface UsageItemMonthTable {
  article_id: number;
  journal_id: number;
  investigations: number;
  unique_investigations: number;
  requests: number;
  unique_requests: number;
  /** The first day of the month, `YYYY-MM-01`. */
  month: ColumnType<string, string, string>;
}

export interface SushiKeyTable {
  id: Generated<number>;
  journal_id: number;
  requestor_id: string;
  label: string;
  key_hash: string;
  created_at: CreatedAt;
  revoked_at: Optional<Date>;
}

export interface UsageSaltTable {
  day: CalendarDate;
  salt: string;
}

/** An article's OAI-PMH record: kept (as deleted) after the article stops being public. */
export interface OaiRecordTable {
  article_id: number;
  journal_id: number;
  section_id: number;
  datestamp: ColumnType<Date, Date | string, Date | string>;
  deleted: boolean;
}

/** Why an article was unpublished, by whom and when (migration 0022); kept after it is published again. */
export interface ArticleUnpublicationTable {
  id: Generated<number>;
  article_id: number;
  publication_id: number | null;
  reason: string;
  user_id: number | null;
  created_at: CreatedAt;
}

/** Full-text search (discovery/search): one row per visible article, rebuilt by the indexer. */
export interface SearchDocumentTable {
  article_id: number;
  publication_id: number;
  journal_id: number;
  section_id: number;
  issue_id: number | null;
  date_published: CalendarDate | null;
  /** tsvector, read and written through SQL only. */
  document: string;
  authors: string;
  terms: string[];
  keywords: string[];
  /** Lexemes of the title, keywords and author names (weights A, B), sorted; set by a trigger. */
  prominent_terms: Generated<string[]>;
  /** Their scores, as in search_postings, in the same order. */
  prominent_scores: Generated<number[]>;
  indexed_at: CreatedAt;
}

/** Articles whose search rows are out of date; filled by catalog triggers. */
export interface SearchQueueTable {
  article_id: number;
  queued_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** Per lexeme and article, ts_rank of that lexeme alone (weights A–C only); kept by triggers. */
export interface SearchPostingTable {
  term: string;
  article_id: number;
  score: number;
  /** The article's, so that equal scores are read newest first (as results are ordered). */
  date_published: CalendarDate | null;
}

export interface SearchTermTable {
  term: string;
  df: number;
}

export interface SearchStatsTable {
  id: ColumnType<number, number | undefined, never>;
  documents: number;
}

/** Text extracted from a stored galley file; '' with the problem when none could be. */
export interface SearchFileTextTable {
  file_id: number;
  content: string;
  problem: string | null;
  extracted_at: CreatedAt;
}

// jobs (issue 18): the job queue, src/platform/jobs.
export type JobState = 'queued' | 'running' | 'failed' | 'done';

export interface JobTable {
  id: ColumnType<number, never, never>;
  kind: string;
  payload: ColumnType<unknown, string, string>;
  state: ColumnType<JobState, JobState | undefined, JobState>;
  run_at: ColumnType<Date, Date | undefined, Date>;
  attempts: Generated<number>;
  max_attempts: Generated<number>;
  last_error: Optional<string>;
  key: Optional<string>;
  locked_by: Optional<string>;
  locked_until: Optional<Date>;
  created_at: ColumnType<Date, Date | undefined, never>;
  finished_at: Optional<Date>;
}

// events (issue 18): the outbox of domain events, src/platform/events.
export interface DomainEventTable {
  id: ColumnType<number, never, never>;
  type: string;
  payload: ColumnType<unknown, string, string>;
  occurred_at: ColumnType<Date, Date | undefined, never>;
  dispatched_at: ColumnType<Date | null, never, Date>;
}

// api (issue 18): personal API tokens.
/** A person's API token: its hash, the roles (of theirs) it may use, optionally one journal. */
export interface ApiTokenTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  token_hash: string;
  roles: RoleName[];
  journal_id: number | null;
  created_at: CreatedAt;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

// workflow (issue 19): submission settings, submissions, their files, participants, activity, discussions.
export type WorkflowStage = 'submission' | 'review' | 'copyediting' | 'production';
export type SubmissionStatus = 'draft' | 'active' | 'declined' | 'scheduled' | 'published';
export type WizardStep = 'start' | 'files' | 'details' | 'contributors' | 'references' | 'review';
export type ParticipantRole = 'editor' | 'section-editor' | 'author' | 'copyeditor' | 'layout-editor';
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type OptionalTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

/** A kind of file authors upload (article text, figure, data…), with the types and size it takes. */
export interface FileKindSetting {
  key: string;
  name: LocalizedText;
  /** MIME types recognised from the bytes; empty: any type that is not active content. */
  types: string[];
  maxBytes: number;
  /** At least one file of this kind before the submission can be sent. */
  required: boolean;
}

export interface SubmissionSettingsTable {
  journal_id: number;
  author_guidelines: JsonWithDefault<LocalizedText>;
  /** The items the author confirms before starting, in order. */
  checklist: JsonWithDefault<LocalizedText[]>;
  copyright_notice: JsonWithDefault<LocalizedText>;
  privacy_statement: JsonWithDefault<LocalizedText>;
  /** Empty: the built-in kinds (workflow/settings). */
  file_kinds: JsonWithDefault<FileKindSetting[]>;
  /** An active submission untouched at the submission stage this long is overdue. */
  days_to_first_action: Generated<number>;
  updated_at: UpdatedAt;
}

export interface SectionSubmissionSettingsTable {
  section_id: number;
  is_open: Generated<boolean>;
  abstract_required: Generated<boolean>;
  abstract_word_limit: Optional<number>;
  keywords_required: Generated<boolean>;
  references_required: Generated<boolean>;
  /** Languages a submission may be written in; empty: the journal's. */
  locales: Generated<string[]>;
  updated_at: UpdatedAt;
}

/** A submission's place in the workflow; its metadata is its article's (same id) current publication. */
export interface SubmissionTable {
  id: number;
  journal_id: number;
  submitter_id: number | null;
  status: ColumnType<SubmissionStatus, SubmissionStatus | undefined, SubmissionStatus>;
  stage: ColumnType<WorkflowStage, WorkflowStage | undefined, WorkflowStage>;
  progress: ColumnType<WizardStep, WizardStep | undefined, WizardStep>;
  comments_for_editor: Generated<string>;
  checklist_confirmed_at: OptionalTimestamp;
  agreements_accepted_at: OptionalTimestamp;
  submitted_at: OptionalTimestamp;
  last_activity_at: Timestamp;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface SubmissionParticipantTable {
  id: Generated<number>;
  submission_id: number;
  user_id: number;
  role: ParticipantRole;
  recommend_only: Generated<boolean>;
  assigned_by: number | null;
  created_at: CreatedAt;
}

/**
 * What the editorial dashboard's search reads (migration 0032): per submission, the folded titles of
 * its versions and its contributors' names, one per line. Kept by database triggers; never written here.
 */
export interface SubmissionSearchTable {
  submission_id: number;
  journal_id: number;
  words: string;
}

/** A file of a submission: its current bytes are `file_id`; every earlier one is a revision. */
export interface SubmissionFileTable {
  id: Generated<number>;
  submission_id: number;
  stage: ColumnType<WorkflowStage, WorkflowStage | undefined, WorkflowStage>;
  kind: string;
  file_id: number;
  name: string;
  uploaded_by: number | null;
  review_round_id: Optional<number>;
  /** Set exactly for files of a review round: what the editor sent to review, or the author's revision. */
  review_purpose: Optional<ReviewFilePurpose>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface SubmissionFileRevisionTable {
  id: Generated<number>;
  submission_file_id: number;
  file_id: number;
  uploaded_by: number | null;
  created_at: CreatedAt;
}

export interface SubmissionActivityTable {
  id: Generated<number>;
  submission_id: number;
  user_id: number | null;
  action: string;
  details: JsonWithDefault<Record<string, unknown>>;
  created_at: CreatedAt;
}

export interface DiscussionTable {
  id: Generated<number>;
  submission_id: number;
  stage: WorkflowStage;
  subject: string;
  created_by: number | null;
  created_at: CreatedAt;
  closed_at: OptionalTimestamp;
}

export interface DiscussionParticipantTable {
  discussion_id: number;
  user_id: number;
}

export interface DiscussionMessageTable {
  id: Generated<number>;
  discussion_id: number;
  author_id: number | null;
  body: string;
  created_at: CreatedAt;
}

export interface DiscussionMessageFileTable {
  message_id: number;
  file_id: number;
  name: string;
}

// review (issue 20): settings, forms, rounds, assignments, decisions, interests, anonymised copies, notifications.
export type Anonymity = 'double-anonymous' | 'anonymous-reviewer' | 'open';
export type ReviewFilePurpose = 'review-file' | 'revision';
export type ReviewRoundStatus = 'open' | 'revisions-requested' | 'revisions-submitted' | 'resubmit-requested' | 'accepted' | 'declined' | 'closed';
export type ReviewStatus = 'requested' | 'accepted' | 'declined' | 'cancelled' | 'submitted';
export type Recommendation = 'accept' | 'minor-revisions' | 'major-revisions' | 'resubmit-for-review' | 'resubmit-elsewhere' | 'decline' | 'see-comments';
export type ReviewFormElementKind = 'short-text' | 'long-text' | 'single-choice' | 'multiple-choice';
export type DecisionKind =
  | 'send-to-review'
  | 'accept'
  | 'request-revisions'
  | 'resubmit'
  | 'new-round'
  | 'decline'
  | 'initial-decline'
  | 'revert-decline'
  | 'recommend-accept'
  | 'recommend-revisions'
  | 'recommend-resubmit'
  | 'recommend-decline'
  | 'send-to-production'
  | 'back-to-copyediting';

export interface ReviewSettingsTable {
  journal_id: number;
  anonymity: ColumnType<Anonymity, Anonymity | undefined, Anonymity>;
  response_days: Generated<number>;
  review_days: Generated<number>;
  /** Days before a due date the reminder goes; 0: none. */
  remind_days_before: Generated<number>;
  /** Days after a missed due date the reminder goes; 0: none. */
  remind_days_after: Generated<number>;
  /** Completed reviews a round needs before an accept, revisions or resubmit decision. */
  min_reviews: Generated<number>;
  /** Refuse those decisions while an accepted review of the round is not in. */
  wait_for_reviews: Generated<boolean>;
  updated_at: UpdatedAt;
}

export interface ReviewFormTable {
  id: Generated<number>;
  journal_id: number;
  title: JsonWithDefault<LocalizedText>;
  description: JsonWithDefault<LocalizedText>;
  is_active: Generated<boolean>;
  is_default: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface ReviewFormElementTable {
  id: Generated<number>;
  review_form_id: number;
  seq: Generated<number>;
  kind: ReviewFormElementKind;
  question: JsonWithDefault<LocalizedText>;
  description: JsonWithDefault<LocalizedText>;
  /** The choices of a single or multiple choice question, in order. */
  options: JsonWithDefault<LocalizedText[]>;
  required: Generated<boolean>;
  visible_to_author: Generated<boolean>;
}

export interface ReviewRoundTable {
  id: Generated<number>;
  submission_id: number;
  round: number;
  status: ColumnType<ReviewRoundStatus, ReviewRoundStatus | undefined, ReviewRoundStatus>;
  review_form_id: Optional<number>;
  created_by: number | null;
  created_at: CreatedAt;
  closed_at: OptionalTimestamp;
}

export interface ReviewAssignmentTable {
  id: Generated<number>;
  submission_id: number;
  review_round_id: number;
  /** Null while the request goes to someone without an account (`invitation_id`). */
  reviewer_id: Optional<number>;
  invitation_id: Optional<number>;
  anonymity: Anonymity;
  review_form_id: Optional<number>;
  status: ColumnType<ReviewStatus, ReviewStatus | undefined, ReviewStatus>;
  requested_by: number | null;
  requested_at: Timestamp;
  response_due: ColumnType<Date, Date | string, Date | string>;
  review_due: ColumnType<Date, Date | string, Date | string>;
  responded_at: OptionalTimestamp;
  submitted_at: OptionalTimestamp;
  cancelled_at: OptionalTimestamp;
  decline_reason: Generated<string>;
  request_message: Generated<string>;
  /** Part of what the accept and decline links sign: a new one ends every earlier link. */
  link_nonce: string;
  recommendation: Optional<Recommendation>;
  comments_for_author: Generated<string>;
  comments_for_editor: Generated<string>;
  competing_interests: Generated<string>;
  rating: Optional<number>;
  rated_by: Optional<number>;
  rated_at: OptionalTimestamp;
  thanked_at: OptionalTimestamp;
  last_reminded_at: OptionalTimestamp;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface ReviewResponseTable {
  review_assignment_id: number;
  element_id: number;
  /** A string (text, the chosen option's index as a string) or a list of them (multiple choice). */
  value: Json<string | string[]>;
}

export interface ReviewAttachmentTable {
  id: Generated<number>;
  review_assignment_id: number;
  file_id: number;
  name: string;
  visible_to_author: Generated<boolean>;
  created_at: CreatedAt;
}

export interface EditorialDecisionTable {
  id: Generated<number>;
  submission_id: number;
  review_round_id: Optional<number>;
  stage: WorkflowStage;
  decision: DecisionKind;
  editor_id: number | null;
  /** The mail the author (or, for a recommendation, the deciding editors) got. */
  message: Generated<string>;
  shared_review_ids: ColumnType<number[], number[] | undefined, number[]>;
  created_at: CreatedAt;
}

export interface ReviewerInterestTable {
  user_id: number;
  interest: string;
}

/** The copy of a stored file with its authoring metadata removed, made once, for reviewers. */
export interface AnonymizedFileTable {
  file_id: number;
  copy_file_id: number;
  /** What was removed (field names), for the editors' record. */
  removed: JsonWithDefault<string[]>;
  created_at: CreatedAt;
}

export interface NotificationTable {
  id: Generated<number>;
  user_id: number;
  journal_id: Optional<number>;
  submission_id: Optional<number>;
  kind: string;
  params: JsonWithDefault<Record<string, string | number>>;
  created_at: CreatedAt;
  read_at: OptionalTimestamp;
}

export interface NotificationPreferenceTable {
  user_id: number;
  kind: string;
  in_app: Generated<boolean>;
  by_email: Generated<boolean>;
}

export interface Database {
  site: SiteTable;
  journals: JournalTable;
  sections: SectionTable;
  issues: IssueTable;
  articles: ArticleTable;
  article_unpublications: ArticleUnpublicationTable;
  publications: PublicationTable;
  contributors: ContributorTable;
  citations: CitationTable;
  files: FileTable;
  galleys: GalleyTable;
  issue_galleys: IssueGalleyTable;
  issue_section_order: IssueSectionOrderTable;
  secrets: SecretTable;
  users: UserTable;
  role_assignments: RoleAssignmentTable;
  section_editor_sections: SectionEditorSectionTable;
  sessions: SessionTable;
  account_tokens: AccountTokenTable;
  invitations: InvitationTable;
  throttle: ThrottleTable;
  mail_outbox: MailOutboxTable;
  mail_templates: MailTemplateTable;
  journal_pages: JournalPageTable;
  navigation_items: NavigationItemTable;
  announcements: AnnouncementTable;
  oai_records: OaiRecordTable;
  crossref_deposits: CrossrefDepositTable;
  usage_events: UsageEventTable;
  usage_salts: UsageSaltTable;
  usage_item_months: UsageItemMonthTable;
  ojs_ids: OjsIdTable;
  sushi_keys: SushiKeyTable;
  search_documents: SearchDocumentTable;
  search_queue: SearchQueueTable;
  search_terms: SearchTermTable;
  search_postings: SearchPostingTable;
  search_stats: SearchStatsTable;
  search_file_texts: SearchFileTextTable;
  // jobs (issue 18)
  jobs: JobTable;
  // events (issue 18)
  domain_events: DomainEventTable;
  // api (issue 18)
  api_tokens: ApiTokenTable;
  // workflow (issue 19)
  submission_settings: SubmissionSettingsTable;
  section_submission_settings: SectionSubmissionSettingsTable;
  submissions: SubmissionTable;
  submission_participants: SubmissionParticipantTable;
  submission_search: SubmissionSearchTable;
  submission_files: SubmissionFileTable;
  submission_file_revisions: SubmissionFileRevisionTable;
  submission_activity: SubmissionActivityTable;
  discussions: DiscussionTable;
  discussion_participants: DiscussionParticipantTable;
  discussion_messages: DiscussionMessageTable;
  discussion_message_files: DiscussionMessageFileTable;
  review_settings: ReviewSettingsTable;
  review_forms: ReviewFormTable;
  review_form_elements: ReviewFormElementTable;
  review_rounds: ReviewRoundTable;
  review_assignments: ReviewAssignmentTable;
  review_responses: ReviewResponseTable;
  review_attachments: ReviewAttachmentTable;
  editorial_decisions: EditorialDecisionTable;
  reviewer_interests: ReviewerInterestTable;
  anonymized_files: AnonymizedFileTable;
  notifications: NotificationTable;
  notification_preferences: NotificationPreferenceTable;
  galley_assets: GalleyAssetTable;
  proof_requests: ProofRequestTable;
  publication_schedules: PublicationScheduleTable;
  article_notices: ArticleNoticeTable;
}

/** An HTML galley's image, stylesheet or other file, under the name its HTML refers to it by (migration 0030). */
export interface GalleyAssetTable {
  id: Generated<number>;
  galley_id: number;
  name: string;
  file_id: number;
  created_at: CreatedAt;
}

export type ProofStatus = 'sent' | 'approved' | 'corrections' | 'cancelled';

/** A layout editor's request that the author check the galleys, and the author's answer. */
export interface ProofRequestTable {
  id: Generated<number>;
  submission_id: number;
  publication_id: number;
  requested_by: number | null;
  author_id: number;
  message: Generated<string>;
  status: ColumnType<ProofStatus, ProofStatus | undefined, ProofStatus>;
  response: Generated<string>;
  answered_at: OptionalTimestamp;
  created_at: CreatedAt;
}

/** How a publication waits to be published: with its issue, online first (collected by the issue later), or at a moment. */
export type ScheduleMode = 'issue' | 'online-first' | 'at';

export interface PublicationScheduleTable {
  publication_id: number;
  journal_id: number;
  mode: ScheduleMode;
  issue_id: number | null;
  publish_at: OptionalTimestamp;
  scheduled_by: number | null;
  created_at: CreatedAt;
}

/** What a notice does to the article it names, in Crossmark's words. */
export type NoticeKind = 'correction' | 'retraction' | 'partial_retraction' | 'expression_of_concern' | 'addendum';

/** A correction, retraction or expression of concern: its own article, naming the article it updates. */
export interface ArticleNoticeTable {
  id: Generated<number>;
  journal_id: number;
  notice_article_id: number;
  article_id: number;
  kind: NoticeKind;
  created_by: number | null;
  created_at: CreatedAt;
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
export type User = Selectable<UserTable>;
export type MailOutboxEntry = Selectable<MailOutboxTable>;
export type JournalPage = Selectable<JournalPageTable>;
export type NavigationItem = Selectable<NavigationItemTable>;
export type Announcement = Selectable<AnnouncementTable>;
export type Submission = Selectable<SubmissionTable>;
export type SubmissionFile = Selectable<SubmissionFileTable>;
export type Discussion = Selectable<DiscussionTable>;
export type DiscussionMessage = Selectable<DiscussionMessageTable>;
