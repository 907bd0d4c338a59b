import { sql, type Kysely } from 'kysely';
import type { Database, MailOutboxEntry } from '../db/index.ts';
import type { BuiltInLocale, MailTemplate, MailTemplateKey } from './templates.ts';
import { builtInTemplates } from './wording.ts';

type Db = Kysely<Database>;

export interface TemplateRef {
  /** The journal's own wording; `null` for the site-wide wording. */
  journalId: number | null;
  key: MailTemplateKey;
  locale: string;
}

/** Where the wording in force comes from. */
export type TemplateSource = 'journal' | 'site' | 'built-in';

export interface LoadedTemplate extends MailTemplate {
  /** True when the wording is an override stored in `mail_templates` (journal or site-wide). */
  overridden: boolean;
  source: TemplateSource;
}

export function builtInTemplate(key: MailTemplateKey, locale: string): MailTemplate {
  const forLocale = Object.hasOwn(builtInTemplates, locale) ? builtInTemplates[locale as BuiltInLocale] : builtInTemplates.en;
  return forLocale[key] ?? builtInTemplates.en[key];
}

/**
 * The template in force, as OJS resolves it: the journal's override in that locale, else the
 * site-wide override (journal_id NULL), else the built-in wording in that locale, else in `en`.
 */
export async function loadTemplate(db: Db, ref: TemplateRef): Promise<LoadedTemplate> {
  const rows = await db
    .selectFrom('mail_templates')
    .select(['journal_id', 'subject', 'body'])
    .where('key', '=', ref.key)
    .where('locale', '=', ref.locale)
    .where((eb) => (ref.journalId === null ? eb('journal_id', 'is', null) : eb.or([eb('journal_id', '=', ref.journalId), eb('journal_id', 'is', null)])))
    .execute();
  const journal = rows.find((r) => r.journal_id !== null);
  if (journal) return { subject: journal.subject, body: journal.body, overridden: true, source: 'journal' };
  const site = rows.find((r) => r.journal_id === null);
  if (site) return { subject: site.subject, body: site.body, overridden: true, source: 'site' };
  return { ...builtInTemplate(ref.key, ref.locale), overridden: false, source: 'built-in' };
}

/**
 * Stores an override, replacing the one already there. Callers validate first (`templateProblems`).
 * Accepts `saveTemplate(db, { journalId, key, locale, subject, body })` or, as the admin routes
 * write it, `saveTemplate(db, { journalId, key, locale }, { subject, body })`.
 */
export async function saveTemplate(db: Db, ref: TemplateRef & MailTemplate): Promise<void>;
export async function saveTemplate(db: Db, ref: TemplateRef, template: MailTemplate): Promise<void>;
export async function saveTemplate(db: Db, ref: TemplateRef & Partial<MailTemplate>, template?: MailTemplate): Promise<void> {
  const subject = template?.subject ?? ref.subject;
  const body = template?.body ?? ref.body;
  if (subject === undefined || body === undefined) throw new TypeError('saveTemplate needs a subject and a body');
  // The unique index is on an expression (NULL journal_id counts as 0), so the conflict target names it.
  await db
    .insertInto('mail_templates')
    .values({ journal_id: ref.journalId, key: ref.key, locale: ref.locale, subject, body })
    .onConflict((oc) => oc.expression(sql`coalesce(journal_id, 0), key, locale`).doUpdateSet({ subject, body, updated_at: sql`now()` }))
    .execute();
}

/** Removes an override, so the next level (site-wide, then built-in) applies again. */
export async function resetTemplate(db: Db, ref: TemplateRef): Promise<void> {
  await db
    .deleteFrom('mail_templates')
    .where(sql<number>`coalesce(journal_id, 0)`, '=', ref.journalId ?? 0)
    .where('key', '=', ref.key)
    .where('locale', '=', ref.locale)
    .execute();
}

/** The overrides stored for a journal (or site-wide with `null`), for the list of templates. */
export function listTemplateOverrides(db: Db, journalId: number | null): Promise<Array<{ key: string; locale: string }>> {
  return db
    .selectFrom('mail_templates')
    .select(['key', 'locale'])
    .where(sql<number>`coalesce(journal_id, 0)`, '=', journalId ?? 0)
    .orderBy('key')
    .orderBy('locale')
    .execute();
}

/** The outbox, newest first; `search` matches the recipient or the subject, case-insensitively. */
export async function listOutbox(db: Db, options: { limit: number; offset: number; search?: string }): Promise<{ mail: MailOutboxEntry[]; total: number }> {
  let query = db.selectFrom('mail_outbox');
  const search = options.search?.trim().toLowerCase();
  if (search) {
    const pattern = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) => eb.or([eb(eb.fn('lower', ['to_address']), 'like', pattern), eb(eb.fn('lower', ['subject']), 'like', pattern)]));
  }
  const [mail, count] = await Promise.all([
    query.selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(options.limit).offset(options.offset).execute(),
    query.select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { mail, total: Number(count.n) };
}

export function findOutboxEntry(db: Db, id: number): Promise<MailOutboxEntry | undefined> {
  return db.selectFrom('mail_outbox').selectAll().where('id', '=', id).executeTakeFirst();
}
