import type { Updateable } from 'kysely';
import type { CopyrightHolderType, JournalTable, LocalizedText } from '../../db/schema.ts';
import { inTransaction, type Db } from '../db.ts';

/**
 * Journals: made, and their settings changed, by the site administrator's and the manager's pages
 * and by `revista journal` / `revista doi prefix` alike.
 */

export interface JournalInput {
  path: string;
  name: LocalizedText;
  primaryLocale: string;
  supportedLocales: string[];
  description?: LocalizedText;
  acronym?: LocalizedText;
  onlineIssn?: string | null;
  printIssn?: string | null;
  publisher?: string | null;
  licenseUrl?: string | null;
  contactName?: string | null;
  contactEmail?: string | null;
}

export async function createJournal(db: Db, input: JournalInput): Promise<number> {
  const row = await db
    .insertInto('journals')
    .values({
      path: input.path,
      name: JSON.stringify(input.name),
      acronym: JSON.stringify(input.acronym ?? {}),
      description: JSON.stringify(input.description ?? {}),
      primary_locale: input.primaryLocale,
      supported_locales: input.supportedLocales,
      online_issn: input.onlineIssn ?? null,
      print_issn: input.printIssn ?? null,
      publisher: input.publisher ?? null,
      license_url: input.licenseUrl ?? null,
      copyright_notice: '{}',
      contact_name: input.contactName ?? null,
      contact_email: input.contactEmail ?? null,
      publisher_url: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * A journal's settings, as any of its settings pages (masthead, appearance, DOIs, statistics, the
 * site administrator's form) or the CLI changes them; a field left out stays as it is.
 */
export interface JournalChanges {
  path?: string;
  name?: LocalizedText;
  acronym?: LocalizedText;
  description?: LocalizedText;
  primaryLocale?: string;
  supportedLocales?: string[];
  onlineIssn?: string | null;
  printIssn?: string | null;
  publisher?: string | null;
  publisherUrl?: string | null;
  licenseUrl?: string | null;
  contactName?: string | null;
  contactEmail?: string | null;
  copyrightHolderType?: CopyrightHolderType;
  copyrightHolderOther?: LocalizedText;
  copyrightNotice?: LocalizedText;
  enabled?: boolean;
  themeColour?: string | null;
  customCss?: string | null;
  logoFileId?: number | null;
  faviconFileId?: number | null;
  homepageImageFileId?: number | null;
  doiPrefix?: string | null;
  doiSuffixPattern?: string | null;
  crossrefUsername?: string | null;
  /** Absent: the stored password stays (it is never shown back, so an empty field means "keep"). */
  crossrefPassword?: string;
  crossrefDepositorName?: string | null;
  crossrefDepositorEmail?: string | null;
  crossmarkPolicyDoi?: string | null;
  sushiRequiresKey?: boolean;
}

/** Changes a journal's settings; returns false when there is no such journal. */
export async function updateJournal(db: Db, journalId: number, c: JournalChanges): Promise<boolean> {
  const json = (value: LocalizedText | undefined) => (value === undefined ? undefined : JSON.stringify(value));
  // A column given as undefined is left out of the statement (Kysely drops undefined values).
  const set: Updateable<JournalTable> = {
    path: c.path,
    name: json(c.name),
    acronym: json(c.acronym),
    description: json(c.description),
    primary_locale: c.primaryLocale,
    supported_locales: c.supportedLocales,
    online_issn: c.onlineIssn,
    print_issn: c.printIssn,
    publisher: c.publisher,
    publisher_url: c.publisherUrl,
    license_url: c.licenseUrl,
    contact_name: c.contactName,
    contact_email: c.contactEmail,
    copyright_holder_type: c.copyrightHolderType,
    copyright_holder_other: json(c.copyrightHolderOther),
    copyright_notice: json(c.copyrightNotice),
    enabled: c.enabled,
    theme_colour: c.themeColour,
    custom_css: c.customCss,
    logo_file_id: c.logoFileId,
    favicon_file_id: c.faviconFileId,
    homepage_image_file_id: c.homepageImageFileId,
    doi_prefix: c.doiPrefix,
    doi_suffix_pattern: c.doiSuffixPattern,
    crossref_username: c.crossrefUsername,
    crossref_password: c.crossrefPassword,
    crossref_depositor_name: c.crossrefDepositorName,
    crossref_depositor_email: c.crossrefDepositorEmail,
    crossmark_policy_doi: c.crossmarkPolicyDoi,
    sushi_requires_key: c.sushiRequiresKey,
  };
  if (Object.values(set).every((v) => v === undefined)) return (await db.selectFrom('journals').select('id').where('id', '=', journalId).executeTakeFirst()) !== undefined;
  const result = await db.updateTable('journals').set(set).where('id', '=', journalId).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Makes a journal and applies its settings in one transaction (the CLI's `journal create`). */
export async function createJournalWith(db: Db, input: JournalInput, changes: JournalChanges): Promise<number> {
  return inTransaction(db, async (trx) => {
    const id = await createJournal(trx, input);
    await updateJournal(trx, id, changes);
    return id;
  });
}
