import type { Db } from '../../catalog/index.ts';
import type { FileKindSetting, LocalizedText } from '../../db/schema.ts';

/**
 * What a journal asks of the manuscripts it takes (issue 19): read by the wizard, the API and the
 * submit command from one place, with the built-in defaults where the manager set nothing.
 */
export interface SubmissionSettings {
  journalId: number;
  authorGuidelines: LocalizedText;
  checklist: LocalizedText[];
  copyrightNotice: LocalizedText;
  privacyStatement: LocalizedText;
  fileKinds: FileKindSetting[];
  daysToFirstAction: number;
}

export interface SectionSubmissionRules {
  sectionId: number;
  /** Authors may submit to it (OJS: a section not "editor restricted"). */
  isOpen: boolean;
  abstractRequired: boolean;
  abstractWordLimit: number | null;
  keywordsRequired: boolean;
  referencesRequired: boolean;
  /** Languages a manuscript may be written in; empty: any of the journal's. */
  locales: string[];
}

const MB = 1024 * 1024;
const DOCUMENTS = [
  'application/pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/msword',
  'application/vnd.oasis.opendocument.text',
  'application/rtf',
  'application/x-tex',
  'application/zip',
];
const IMAGES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/tiff'];
const DATA = ['text/csv', 'text/plain', 'application/json', 'application/xml', 'application/zip', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/vnd.oasis.opendocument.spreadsheet'];

/** The kinds of file a journal takes until its manager says otherwise (OJS's default genres, fewer). */
export const DEFAULT_FILE_KINDS: readonly FileKindSetting[] = [
  { key: 'article', name: { en: 'Article text', pl: 'Tekst artykułu' }, types: DOCUMENTS, maxBytes: 50 * MB, required: true },
  { key: 'figure', name: { en: 'Figure', pl: 'Ilustracja' }, types: IMAGES, maxBytes: 20 * MB, required: false },
  { key: 'data', name: { en: 'Data set', pl: 'Zbiór danych' }, types: DATA, maxBytes: 50 * MB, required: false },
  { key: 'supplementary', name: { en: 'Supplementary file', pl: 'Materiał uzupełniający' }, types: [], maxBytes: 50 * MB, required: false },
];

/** The largest file any kind may take: no upload may be larger, whatever a manager sets. */
export const MAX_SUBMISSION_FILE_BYTES = 200 * MB;

export async function submissionSettings(db: Db, journalId: number): Promise<SubmissionSettings> {
  const row = await db.selectFrom('submission_settings').selectAll().where('journal_id', '=', journalId).executeTakeFirst();
  return {
    journalId,
    authorGuidelines: row?.author_guidelines ?? {},
    checklist: row?.checklist ?? [],
    copyrightNotice: row?.copyright_notice ?? {},
    privacyStatement: row?.privacy_statement ?? {},
    fileKinds: row && row.file_kinds.length > 0 ? row.file_kinds : [...DEFAULT_FILE_KINDS],
    daysToFirstAction: row?.days_to_first_action ?? 14,
  };
}

/**
 * The rules of each section of the journal, in the sections' order. A section nobody configured
 * takes what its OJS settings say (editor restricted: closed; abstracts not required; the abstract's
 * word count).
 */
export async function sectionSubmissionRules(db: Db, journalId: number): Promise<SectionSubmissionRules[]> {
  const rows = await db
    .selectFrom('sections')
    .leftJoin('section_submission_settings as s', 's.section_id', 'sections.id')
    .select([
      'sections.id',
      'sections.settings',
      's.section_id as configured',
      's.is_open',
      's.abstract_required',
      's.abstract_word_limit',
      's.keywords_required',
      's.references_required',
      's.locales',
    ])
    .where('sections.journal_id', '=', journalId)
    .orderBy('sections.seq')
    .orderBy('sections.id')
    .execute();
  return rows.map((r) => {
    if (r.configured !== null) {
      return {
        sectionId: r.id,
        isOpen: r.is_open!,
        abstractRequired: r.abstract_required!,
        abstractWordLimit: r.abstract_word_limit ?? null,
        keywordsRequired: r.keywords_required!,
        referencesRequired: r.references_required!,
        locales: r.locales ?? [],
      };
    }
    const ojs = r.settings ?? {};
    return {
      sectionId: r.id,
      isOpen: !ojs.editor_restricted,
      abstractRequired: !ojs.abstracts_not_required,
      abstractWordLimit: ojs.abstract_word_count && ojs.abstract_word_count > 0 ? ojs.abstract_word_count : null,
      keywordsRequired: false,
      referencesRequired: false,
      locales: [],
    };
  });
}

export async function sectionRules(db: Db, journalId: number, sectionId: number): Promise<SectionSubmissionRules | undefined> {
  return (await sectionSubmissionRules(db, journalId)).find((s) => s.sectionId === sectionId);
}
