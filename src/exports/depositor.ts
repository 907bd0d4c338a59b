import type { Kysely } from 'kysely';
import type { Database } from '../db/index.ts';
import type { CrossrefDepositor } from './crossref.ts';

/**
 * Who a journal's Crossref deposits come from. Crossref mails the outcome of every deposit (the
 * submission log: which DOIs were registered, which failed and why) to the depositor's address, so
 * that address must reach a person of the journal: the Crossref depositor set under DOIs and
 * Crossref, else the journal's contact (Journal management → Contact). Without either there is no
 * depositor, and the deposit or export is refused with a message saying what to set, rather than
 * sent with a made-up address whose reports nobody would read.
 */
export type JournalDepositor = { ok: true; depositor: CrossrefDepositor } | { ok: false; problem: string };

export async function journalDepositor(db: Kysely<Database>, journalId: number): Promise<JournalDepositor> {
  const j = await db
    .selectFrom('journals')
    .select(['path', 'name', 'primary_locale', 'publisher', 'contact_name', 'contact_email', 'crossref_depositor_name', 'crossref_depositor_email'])
    .where('id', '=', journalId)
    .executeTakeFirstOrThrow();
  const present = (value: string | null | undefined) => (value ?? '').trim() || undefined;
  const email = present(j.crossref_depositor_email) ?? present(j.contact_email);
  if (!email) {
    return { ok: false, problem: `the journal ${j.path} has no e-mail address for Crossref's reports: set its contact (Journal management → Contact) or the depositor e-mail under DOIs and Crossref` };
  }
  const journalName = present(j.name[j.primary_locale]) ?? present(Object.values(j.name).find((n) => present(n))) ?? j.path;
  const name = present(j.crossref_depositor_name) ?? present(j.contact_name) ?? present(j.publisher) ?? journalName;
  return { ok: true, depositor: { name, email, registrant: present(j.publisher) ?? journalName } };
}
