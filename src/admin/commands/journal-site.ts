import type { Kysely, Transaction } from 'kysely';
import { reorder } from '../../catalog/index.ts';
import type { Database, LocalizedText, NavigationItem, NavigationKind } from '../../db/index.ts';

/**
 * The writes of a journal's public face that administration owns: its static pages, its menu and
 * its announcements. Readers' pages read these tables; only these commands write them (the routes
 * of journal-site.ts and journal-navigation.ts call them). The catalog's tables are written through
 * the catalog's commands, accounts' through accounts'.
 */

type Db = Kysely<Database> | Transaction<Database>;

async function inTransaction<T>(db: Db, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db as Transaction<Database>) : db.transaction().execute(work);
}

// Static pages.

/** Saves a page's title and content, making the page when the journal has none at this path. */
export async function saveJournalPage(db: Db, journalId: number, path: string, page: { title: LocalizedText; content: LocalizedText }): Promise<void> {
  const existing = await db.selectFrom('journal_pages').select('id').where('journal_id', '=', journalId).where('path', '=', path).executeTakeFirst();
  const values = { title: JSON.stringify(page.title), content: JSON.stringify(page.content) };
  if (existing) await db.updateTable('journal_pages').set(values).where('id', '=', existing.id).execute();
  else await db.insertInto('journal_pages').values({ journal_id: journalId, path, ...values }).execute();
}

/** Deletes a page and the menu items that lead to it, so the menu never points at nothing. */
export async function deleteJournalPage(db: Db, journalId: number, path: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    await trx.deleteFrom('navigation_items').where('journal_id', '=', journalId).where('kind', '=', 'page').where('target', '=', path).execute();
    await trx.deleteFrom('journal_pages').where('journal_id', '=', journalId).where('path', '=', path).execute();
  });
}

// Announcements.

export interface AnnouncementFields {
  title: LocalizedText;
  summary: LocalizedText;
  body: LocalizedText;
  /** `YYYY-MM-DD`, or null: never expires. */
  expiresOn: string | null;
}

const announcementValues = (a: AnnouncementFields) => ({ title: JSON.stringify(a.title), summary: JSON.stringify(a.summary), body: JSON.stringify(a.body), expires_on: a.expiresOn });

export async function createAnnouncement(db: Db, journalId: number, announcement: AnnouncementFields): Promise<number> {
  const row = await db.insertInto('announcements').values({ journal_id: journalId, ...announcementValues(announcement) }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function updateAnnouncement(db: Db, journalId: number, id: number, announcement: AnnouncementFields): Promise<void> {
  await db.updateTable('announcements').set(announcementValues(announcement)).where('id', '=', id).where('journal_id', '=', journalId).execute();
}

export async function deleteAnnouncement(db: Db, journalId: number, id: number): Promise<void> {
  await db.deleteFrom('announcements').where('id', '=', id).where('journal_id', '=', journalId).execute();
}

// The journal's menu.

export interface MenuItemFields {
  label: LocalizedText;
  kind: NavigationKind;
  target: string;
}

export function listMenuItems(db: Db, journalId: number): Promise<NavigationItem[]> {
  return db.selectFrom('navigation_items').selectAll().where('journal_id', '=', journalId).orderBy('seq').orderBy('id').execute();
}

/**
 * Stores the default menu when the journal has none: invisible to readers, who saw exactly these
 * items. Returns the menu as stored.
 */
export async function storeDefaultMenu(db: Db, journalId: number, defaults: MenuItemFields[]): Promise<NavigationItem[]> {
  return inTransaction(db, async (trx) => {
    // One editor at a time decides whether the defaults still need storing.
    await trx.selectFrom('journals').select('id').where('id', '=', journalId).forUpdate().executeTakeFirst();
    const items = await listMenuItems(trx, journalId);
    if (items.length > 0) return items;
    await trx.insertInto('navigation_items').values(defaults.map((item, i) => ({ journal_id: journalId, seq: i + 1, kind: item.kind, target: item.target, label: JSON.stringify(item.label) }))).execute();
    return listMenuItems(trx, journalId);
  });
}

/** Adds an item at the end of the menu (the defaults stored first); false when the menu already has `max` items. */
export async function addMenuItem(db: Db, journalId: number, defaults: MenuItemFields[], item: MenuItemFields, max: number): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    const items = await storeDefaultMenu(trx, journalId, defaults);
    if (items.length >= max) return false;
    const last = items.reduce((highest, i) => Math.max(highest, i.seq), 0);
    await trx.insertInto('navigation_items').values({ journal_id: journalId, seq: last + 1, label: JSON.stringify(item.label), kind: item.kind, target: item.target }).execute();
    return true;
  });
}

export async function updateMenuItem(db: Db, journalId: number, id: number, item: MenuItemFields): Promise<void> {
  await db.updateTable('navigation_items').set({ label: JSON.stringify(item.label), kind: item.kind, target: item.target }).where('id', '=', id).where('journal_id', '=', journalId).execute();
}

export async function moveMenuItem(db: Db, journalId: number, id: number, direction: 'up' | 'down'): Promise<void> {
  await inTransaction(db, async (trx) => {
    const items = await trx.selectFrom('navigation_items').select(['id', 'seq']).where('journal_id', '=', journalId).orderBy('seq').orderBy('id').execute();
    for (const { id: itemId, seq } of reorder(items, id, direction)) await trx.updateTable('navigation_items').set({ seq }).where('id', '=', itemId).execute();
  });
}

export async function deleteMenuItem(db: Db, journalId: number, id: number): Promise<void> {
  await db.deleteFrom('navigation_items').where('id', '=', id).where('journal_id', '=', journalId).execute();
}

