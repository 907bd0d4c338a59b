import { sql, type Kysely } from 'kysely';
import type { Database, MailOutboxEntry } from '../db/index.ts';
import { builtInTemplates, type MailTemplate, type MailTemplateKey } from './templates.ts';

type Db = Kysely<Database>;

export interface TemplateRef {
  journalId: number | null;
  key: MailTemplateKey;
  locale: string;
}

/** The template in force: the journal's override, else the site's, else the built-in (in `en` when the locale has none). */
export async function loadTemplate(db: Db, ref: TemplateRef): Promise<MailTemplate & { overridden: boolean }> {
  const rows = await db
    .selectFrom('mail_templates')
    .select(['journal_id', 'subject', 'body'])
    .where('key', '=', ref.key)
    .where('locale', '=', ref.locale)
    .where((eb) => (ref.journalId === null ? eb('journal_id', 'is', null) : eb.or([eb('journal_id', '=', ref.journalId), eb('journal_id', 'is', null)])))
    .execute();
  const chosen = rows.find((r) => r.journal_id !== null) ?? rows.find((r) => r.journal_id === null);
  if (chosen) return { subject: chosen.subject, body: chosen.body, overridden: true };
  const builtIn = (builtInTemplates as Record<string, Record<MailTemplateKey, MailTemplate>>)[ref.locale] ?? builtInTemplates.en;
  return { ...builtIn[ref.key], overridden: false };
}

export async function saveTemplate(db: Db, ref: TemplateRef, template: MailTemplate): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await resetTemplate(trx, ref);
    await trx.insertInto('mail_templates').values({ journal_id: ref.journalId, key: ref.key, locale: ref.locale, subject: template.subject, body: template.body }).execute();
  });
}

export async function resetTemplate(db: Db, ref: TemplateRef): Promise<void> {
  await db
    .deleteFrom('mail_templates')
    .where(sql`coalesce(journal_id, 0)`, '=', ref.journalId ?? 0)
    .where('key', '=', ref.key)
    .where('locale', '=', ref.locale)
    .execute();
}

export async function listOutbox(db: Db, options: { limit: number; offset: number; search?: string }): Promise<{ mail: MailOutboxEntry[]; total: number }> {
  let query = db.selectFrom('mail_outbox');
  const search = options.search?.trim().toLowerCase();
  if (search) {
    const pattern = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where(sql<boolean>`lower(to_address) LIKE ${pattern} OR lower(subject) LIKE ${pattern}`);
  }
  const [mail, count] = await Promise.all([
    query.selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(options.limit).offset(options.offset).execute(),
    query.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { mail, total: Number(count.n) };
}

export function findOutboxEntry(db: Db, id: number): Promise<MailOutboxEntry | undefined> {
  return db.selectFrom('mail_outbox').selectAll().where('id', '=', id).executeTakeFirst();
}
