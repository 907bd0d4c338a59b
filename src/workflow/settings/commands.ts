import type { Db } from '../../catalog/index.ts';
import type { FileKindSetting, LocalizedText } from '../../db/schema.ts';
import { cleanRichTextPerLocale } from '../../ui/index.ts';
import { WorkflowError } from '../errors.ts';
import { MAX_SUBMISSION_FILE_BYTES } from './read.ts';

/**
 * The journal manager's submission settings (issue 19, item 1): what the journal asks of manuscripts
 * (guidelines, checklist, notices, kinds of file) and each section's rules. Every value is checked
 * before anything is written and each save is one statement, so a refused save leaves the settings
 * as they were.
 */

const MB = 1024 * 1024;

/** The largest size, in MB, a manager may give a kind of file. */
export const MAX_KIND_MB = Math.floor(MAX_SUBMISSION_FILE_BYTES / MB);

/** How long each text may be (characters, per language). */
export const SETTINGS_LIMITS = {
  richText: 20_000,
  checklistItem: 2_000,
  checklistItems: 50,
  kindName: 200,
  kinds: 30,
} as const;

export const KIND_KEY = /^[a-z0-9-]{1,50}$/;

/**
 * The file types a kind may be limited to: what the file store recognises (storage/file-types.ts),
 * without the types that run in a browser (scripts, style sheets, SVG) and HTML.
 */
export const KNOWN_FILE_TYPES: ReadonlyArray<{ type: string; label: string }> = [
  { type: 'application/pdf', label: 'PDF' },
  { type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', label: 'Word (DOCX)' },
  { type: 'application/msword', label: 'Word 97–2003 (DOC)' },
  { type: 'application/vnd.oasis.opendocument.text', label: 'OpenDocument text (ODT)' },
  { type: 'application/rtf', label: 'RTF' },
  { type: 'application/x-tex', label: 'TeX' },
  { type: 'application/x-latex', label: 'LaTeX' },
  { type: 'application/x-bibtex', label: 'BibTeX' },
  { type: 'application/x-research-info-systems', label: 'RIS' },
  { type: 'application/epub+zip', label: 'EPUB' },
  { type: 'application/zip', label: 'ZIP' },
  { type: 'text/plain', label: 'Plain text' },
  { type: 'text/markdown', label: 'Markdown' },
  { type: 'text/csv', label: 'CSV' },
  { type: 'application/json', label: 'JSON' },
  { type: 'application/xml', label: 'XML' },
  { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', label: 'Excel (XLSX)' },
  { type: 'application/vnd.ms-excel', label: 'Excel 97–2003 (XLS)' },
  { type: 'application/vnd.oasis.opendocument.spreadsheet', label: 'OpenDocument spreadsheet (ODS)' },
  { type: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', label: 'PowerPoint (PPTX)' },
  { type: 'application/vnd.ms-powerpoint', label: 'PowerPoint 97–2003 (PPT)' },
  { type: 'application/vnd.oasis.opendocument.presentation', label: 'OpenDocument presentation (ODP)' },
  { type: 'image/png', label: 'PNG' },
  { type: 'image/jpeg', label: 'JPEG' },
  { type: 'image/gif', label: 'GIF' },
  { type: 'image/webp', label: 'WebP' },
  { type: 'image/tiff', label: 'TIFF' },
  { type: 'audio/mpeg', label: 'MP3' },
  { type: 'video/mp4', label: 'MP4' },
  { type: 'video/webm', label: 'WebM' },
];
const KNOWN_TYPES = new Set(KNOWN_FILE_TYPES.map((t) => t.type));

export type SettingsErrorCode =
  | 'required'
  | 'too-long'
  | 'too-many'
  | 'range'
  | 'size-over-cap'
  | 'key-format'
  | 'key-duplicate'
  | 'type-unknown'
  | 'kinds-none'
  | 'locale-unknown';

/** One refused value: the form field it belongs to (`kinds.2.key`), why, and what the message needs. */
export interface SettingsFieldError {
  field: string;
  code: SettingsErrorCode;
  params?: Record<string, string | number>;
}

/** A save refused: every refused value at once, so the form shows each message beside its field. Nothing was written. */
export class SettingsInvalid extends Error {
  /** As WorkflowError's `status`; `statusCode` makes an uncaught one a 400 in the app's error handler. */
  readonly status = 400;
  readonly statusCode = 400;
  constructor(readonly errors: readonly SettingsFieldError[]) {
    super(`invalid settings: ${errors.map((e) => `${e.field} ${e.code}`).join(', ')}`);
    this.name = 'SettingsInvalid';
  }
}

export interface FileKindInput {
  key: string;
  name: LocalizedText;
  types: string[];
  /** Largest file in MB; NaN when what was typed is no number. */
  maxMb: number;
  required: boolean;
}

export interface SubmissionSettingsInput {
  authorGuidelines: LocalizedText;
  /** The items, in order; each a text per language (plain text, shown escaped). */
  checklist: LocalizedText[];
  copyrightNotice: LocalizedText;
  privacyStatement: LocalizedText;
  /** NaN when what was typed is no number. */
  daysToFirstAction: number;
  fileKinds: FileKindInput[];
}

export interface SectionRulesInput {
  isOpen: boolean;
  abstractRequired: boolean;
  /** null: no limit; NaN when what was typed is no number. */
  abstractWordLimit: number | null;
  keywordsRequired: boolean;
  referencesRequired: boolean;
  /** Empty: any of the journal's languages. */
  locales: string[];
}

/** Values per language with blank ones left out, trimmed. */
function plainPerLocale(text: LocalizedText): LocalizedText {
  const out: LocalizedText = {};
  for (const [locale, value] of Object.entries(text)) if (value.trim() !== '') out[locale] = value.trim();
  return out;
}

function checkLength(errors: SettingsFieldError[], field: string, text: LocalizedText, max: number): void {
  if (Object.values(text).some((value) => value.length > max)) errors.push({ field, code: 'too-long', params: { max } });
}

function checkWholeNumber(errors: SettingsFieldError[], field: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) errors.push({ field, code: 'range', params: { min, max } });
}

/** The settings as they would be stored, or every reason they cannot be. */
export function checkSubmissionSettings(input: SubmissionSettingsInput): { errors: SettingsFieldError[]; fileKinds: FileKindSetting[]; checklist: LocalizedText[]; texts: Record<'authorGuidelines' | 'copyrightNotice' | 'privacyStatement', LocalizedText> } {
  const errors: SettingsFieldError[] = [];
  const texts = {
    authorGuidelines: cleanRichTextPerLocale(input.authorGuidelines),
    copyrightNotice: cleanRichTextPerLocale(input.copyrightNotice),
    privacyStatement: cleanRichTextPerLocale(input.privacyStatement),
  };
  for (const [field, text] of Object.entries(texts)) checkLength(errors, field, text, SETTINGS_LIMITS.richText);

  const checklist = input.checklist.map(plainPerLocale);
  if (checklist.length > SETTINGS_LIMITS.checklistItems) errors.push({ field: 'checklist', code: 'too-many', params: { max: SETTINGS_LIMITS.checklistItems } });
  checklist.forEach((item, i) => {
    if (Object.keys(item).length === 0) errors.push({ field: `checklist.${i}`, code: 'required' });
    checkLength(errors, `checklist.${i}`, item, SETTINGS_LIMITS.checklistItem);
  });

  checkWholeNumber(errors, 'daysToFirstAction', input.daysToFirstAction, 1, 365);

  const fileKinds: FileKindSetting[] = [];
  if (input.fileKinds.length === 0) errors.push({ field: 'kinds', code: 'kinds-none' });
  if (input.fileKinds.length > SETTINGS_LIMITS.kinds) errors.push({ field: 'kinds', code: 'too-many', params: { max: SETTINGS_LIMITS.kinds } });
  const seen = new Set<string>();
  input.fileKinds.forEach((kind, i) => {
    const key = kind.key.trim();
    if (key === '') errors.push({ field: `kinds.${i}.key`, code: 'required' });
    else if (!KIND_KEY.test(key)) errors.push({ field: `kinds.${i}.key`, code: 'key-format' });
    else if (seen.has(key)) errors.push({ field: `kinds.${i}.key`, code: 'key-duplicate', params: { key } });
    seen.add(key);
    const name = plainPerLocale(kind.name);
    if (Object.keys(name).length === 0) errors.push({ field: `kinds.${i}.name`, code: 'required' });
    checkLength(errors, `kinds.${i}.name`, name, SETTINGS_LIMITS.kindName);
    const unknown = kind.types.find((type) => !KNOWN_TYPES.has(type));
    if (unknown !== undefined) errors.push({ field: `kinds.${i}.types`, code: 'type-unknown', params: { type: unknown.slice(0, 100) } });
    if (Number.isInteger(kind.maxMb) && kind.maxMb > MAX_KIND_MB) errors.push({ field: `kinds.${i}.maxMb`, code: 'size-over-cap', params: { max: MAX_KIND_MB } });
    else checkWholeNumber(errors, `kinds.${i}.maxMb`, kind.maxMb, 1, MAX_KIND_MB);
    // Kept in the order of the known list, each once: the same choice always reads the same.
    const types = KNOWN_FILE_TYPES.map((t) => t.type).filter((type) => kind.types.includes(type));
    fileKinds.push({ key, name, types, maxBytes: kind.maxMb * MB, required: kind.required });
  });
  return { errors, fileKinds, checklist, texts };
}

/** Saves the journal-wide submission settings; throws SettingsInvalid (nothing written) when any value is refused. */
export async function saveSubmissionSettings(db: Db, journalId: number, input: SubmissionSettingsInput, now: Date): Promise<void> {
  const { errors, fileKinds, checklist, texts } = checkSubmissionSettings(input);
  if (errors.length > 0) throw new SettingsInvalid(errors);
  const values = {
    author_guidelines: JSON.stringify(texts.authorGuidelines),
    checklist: JSON.stringify(checklist),
    copyright_notice: JSON.stringify(texts.copyrightNotice),
    privacy_statement: JSON.stringify(texts.privacyStatement),
    file_kinds: JSON.stringify(fileKinds),
    days_to_first_action: input.daysToFirstAction,
    updated_at: now,
  };
  await db
    .insertInto('submission_settings')
    .values({ journal_id: journalId, ...values })
    .onConflict((oc) => oc.column('journal_id').doUpdateSet(values))
    .execute();
}

/** The languages a section's manuscripts may be written in must be the journal's. */
export function checkSectionRules(input: SectionRulesInput, journalLocales: readonly string[]): SettingsFieldError[] {
  const errors: SettingsFieldError[] = [];
  if (input.abstractWordLimit !== null) checkWholeNumber(errors, 'abstractWordLimit', input.abstractWordLimit, 1, 10_000);
  const unknown = input.locales.find((locale) => !journalLocales.includes(locale));
  if (unknown !== undefined) errors.push({ field: 'locales', code: 'locale-unknown', params: { locale: unknown.slice(0, 20) } });
  return errors;
}

/** Saves one section's rules; the section must be the journal's (WorkflowError `section-unknown`). */
export async function saveSectionSubmissionRules(db: Db, journalId: number, sectionId: number, input: SectionRulesInput, now: Date): Promise<void> {
  const [section, journal] = await Promise.all([
    db.selectFrom('sections').select('id').where('id', '=', sectionId).where('journal_id', '=', journalId).executeTakeFirst(),
    db.selectFrom('journals').select(['supported_locales', 'primary_locale']).where('id', '=', journalId).executeTakeFirst(),
  ]);
  if (!section || !journal) throw new WorkflowError('section-unknown', 'sectionId');
  const errors = checkSectionRules(input, journal.supported_locales.length > 0 ? journal.supported_locales : [journal.primary_locale]);
  if (errors.length > 0) throw new SettingsInvalid(errors);
  const values = {
    is_open: input.isOpen,
    abstract_required: input.abstractRequired,
    abstract_word_limit: input.abstractWordLimit,
    keywords_required: input.keywordsRequired,
    references_required: input.referencesRequired,
    locales: [...new Set(input.locales)],
    updated_at: now,
  };
  await db
    .insertInto('section_submission_settings')
    .values({ section_id: sectionId, ...values })
    .onConflict((oc) => oc.column('section_id').doUpdateSet(values))
    .execute();
}
