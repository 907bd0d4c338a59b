import type { Kysely, Transaction } from 'kysely';
import type { Database, LocalizedText } from '../../db/index.ts';

/**
 * The site record, which administration owns: made once at the first start (demo/index.ts) and
 * changed by the site administrator's settings page. Admin's other tables (a journal's static pages,
 * menu and announcements) are written by ./journal-site.ts.
 */

type Db = Kysely<Database> | Transaction<Database>;

export interface SiteSettings {
  title: LocalizedText;
  primaryLocale: string;
  supportedLocales: string[];
  contactEmail?: string | null;
}

/** The site record, made once at the first start (demo/index.ts); false when it exists already. */
export async function createSiteRecord(db: Db, site: SiteSettings): Promise<boolean> {
  const existing = await db.selectFrom('site').select('id').executeTakeFirst();
  if (existing) return false;
  await db.insertInto('site').values({ id: 1, title: JSON.stringify(site.title), primary_locale: site.primaryLocale, supported_locales: site.supportedLocales, contact_email: site.contactEmail ?? null }).execute();
  return true;
}

export async function updateSiteSettings(db: Db, site: SiteSettings): Promise<void> {
  await db.updateTable('site').set({ title: JSON.stringify(site.title), primary_locale: site.primaryLocale, supported_locales: site.supportedLocales, contact_email: site.contactEmail ?? null }).execute();
}

