import { inTransaction, type Db } from './db.ts';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, LocalizedText } from '../db/schema.ts';
import { reorder } from './editing.ts';
import { changeArticle, type ChangeTarget } from './versions.ts';
import { emit } from '../platform/events/index.ts';

/**
 * The parts of an article a journal fixes after a migration (issue 17, item 9): its contributors and
 * galleys, its issue and section, and whether readers see it at all. Each is a named write through
 * changeArticle, so a change readers would see becomes a new version.
 */

type Trx = Transaction<Database>;

export interface Affiliation {
  name: LocalizedText;
  /** `https://ror.org/0xxxxxxxx` */
  ror?: string;
}

export interface ContributorFields {
  givenName: LocalizedText;
  familyName: LocalizedText;
  email: string | null;
  /** `https://orcid.org/…` */
  orcid: string | null;
  affiliations: Affiliation[];
  isPrimaryContact: boolean;
  includeInBrowse: boolean;
  /** The contributor's role as OJS names its user groups ("Author", "Translator"…); absent: unchanged (a new one: none). */
  userGroup?: string | null;
}

export interface ContributorForEditing extends ContributorFields {
  id: number;
  orcidAuthenticated: boolean;
}

export interface GalleyForEditing {
  id: number;
  label: string;
  locale: string;
  remoteUrl: string | null;
  file: { id: number; name: string; mimeType: string; sizeBytes: number } | null;
}

/** A contributor's affiliations in order: the list when there are several, else the single one. */
function affiliationsOf(row: { affiliation: LocalizedText; ror_id: string | null; affiliations: Affiliation[] }): Affiliation[] {
  if (row.affiliations.length > 0) return row.affiliations;
  if (Object.keys(row.affiliation).length === 0 && !row.ror_id) return [];
  return [{ name: row.affiliation, ...(row.ror_id ? { ror: row.ror_id } : {}) }];
}

export async function publicationContributors(db: Db | Trx, publicationId: number): Promise<ContributorForEditing[]> {
  const rows = await db.selectFrom('contributors').selectAll().where('publication_id', '=', publicationId).orderBy('seq').orderBy('id').execute();
  return rows.map((r) => ({
    id: r.id,
    givenName: r.given_name,
    familyName: r.family_name,
    email: r.email,
    orcid: r.orcid,
    orcidAuthenticated: r.orcid_authenticated,
    affiliations: affiliationsOf(r),
    isPrimaryContact: r.is_primary_contact,
    includeInBrowse: r.include_in_browse,
    userGroup: r.user_group,
  }));
}

export async function publicationGalleys(db: Db | Trx, publicationId: number): Promise<GalleyForEditing[]> {
  const rows = await db
    .selectFrom('galleys as g')
    .leftJoin('files as f', 'f.id', 'g.file_id')
    .select(['g.id', 'g.label', 'g.locale', 'g.remote_url', 'f.id as file_id', 'f.original_name', 'f.mime_type', 'f.size_bytes'])
    .where('g.publication_id', '=', publicationId)
    .orderBy('g.seq')
    .orderBy('g.id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    label: r.label,
    locale: r.locale,
    remoteUrl: r.remote_url,
    file: r.file_id === null ? null : { id: r.file_id, name: r.original_name ?? '', mimeType: r.mime_type ?? '', sizeBytes: Number(r.size_bytes ?? 0) },
  }));
}

/**
 * The columns of a contributor. One affiliation is kept as OJS 3.3 and the exports read it
 * (`affiliation`, `ror_id`); several are also kept in order in `affiliations`, as the OJS import does.
 */
function contributorColumns(fields: ContributorFields) {
  const first = fields.affiliations[0];
  return {
    given_name: JSON.stringify(fields.givenName),
    family_name: JSON.stringify(fields.familyName),
    email: fields.email,
    orcid: fields.orcid,
    affiliation: JSON.stringify(first?.name ?? {}),
    ror_id: first?.ror ?? null,
    affiliations: JSON.stringify(fields.affiliations.length > 1 ? fields.affiliations : []),
    is_primary_contact: fields.isPrimaryContact,
    include_in_browse: fields.includeInBrowse,
    ...(fields.userGroup !== undefined ? { user_group: fields.userGroup } : {}),
  };
}

async function onlyPrimaryContact(trx: Trx, publicationId: number, contributorId: number, primary: boolean): Promise<void> {
  if (primary) await trx.updateTable('contributors').set({ is_primary_contact: false }).where('publication_id', '=', publicationId).where('id', '!=', contributorId).execute();
}

/** Adds a contributor at the end of the list. Returns the new contributor's id. */
export function addContributor(db: Db, articleId: number, fields: ContributorFields): Promise<number> {
  return changeArticle(db, articleId, async (trx, target) => {
    const last = await trx.selectFrom('contributors').select((eb) => eb.fn.max('seq').as('seq')).where('publication_id', '=', target.publicationId).executeTakeFirst();
    const row = await trx
      .insertInto('contributors')
      .values({ publication_id: target.publicationId, seq: last?.seq === null || last?.seq === undefined ? 0 : Number(last.seq) + 1, ...contributorColumns(fields) })
      .returning('id')
      .executeTakeFirstOrThrow();
    await onlyPrimaryContact(trx, target.publicationId, row.id, fields.isPrimaryContact);
    return row.id;
  });
}

/** Saves a contributor of the current version; false when it is not one. */
export function saveContributor(db: Db, articleId: number, contributorId: number, fields: ContributorFields): Promise<boolean> {
  return changeArticle(db, articleId, async (trx, target) => {
    const id = target.contributor(contributorId);
    if (id === undefined) return false;
    await trx.updateTable('contributors').set(contributorColumns(fields)).where('id', '=', id).execute();
    await onlyPrimaryContact(trx, target.publicationId, id, fields.isPrimaryContact);
    return true;
  });
}

export function removeContributor(db: Db, articleId: number, contributorId: number): Promise<boolean> {
  return changeArticle(db, articleId, async (trx, target) => {
    const id = target.contributor(contributorId);
    if (id === undefined) return false;
    await trx.deleteFrom('contributors').where('id', '=', id).execute();
    return true;
  });
}

export function moveContributor(db: Db, articleId: number, contributorId: number, direction: 'up' | 'down'): Promise<boolean> {
  return changeArticle(db, articleId, async (trx, target) => moveWithin(trx, 'contributors', target, target.contributor(contributorId), direction));
}

async function moveWithin(trx: Trx, table: 'contributors' | 'galleys', target: ChangeTarget, id: number | undefined, direction: 'up' | 'down'): Promise<boolean> {
  if (id === undefined) return false;
  const items = await trx.selectFrom(table).select('id').where('publication_id', '=', target.publicationId).orderBy('seq').orderBy('id').execute();
  for (const { id: itemId, seq } of reorder(items, id, direction)) await trx.updateTable(table).set({ seq }).where('id', '=', itemId).execute();
  return true;
}

/** A file already stored (storage/FileStore.put) and its type read from its bytes. */
export interface StoredGalleyFile {
  storageKey: string;
  sizeBytes: number;
  sha256: string;
  mimeType: string;
  originalName: string;
}

async function fileRow(trx: Trx, file: StoredGalleyFile): Promise<number> {
  const row = await trx
    .insertInto('files')
    .values({ storage_key: file.storageKey, mime_type: file.mimeType, size_bytes: file.sizeBytes, sha256: file.sha256, original_name: file.originalName, type_checked_at: new Date() })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface GalleyFields {
  label: string;
  locale: string;
  /** A remote galley's address (OJS: "This galley will be available at a separate website"). */
  remoteUrl: string | null;
}

/** Adds a galley at the end: a stored file, or a remote address. Returns its id. */
export function addGalley(db: Db, articleId: number, fields: GalleyFields, file: StoredGalleyFile | null): Promise<number> {
  return changeArticle(db, articleId, async (trx, target) => {
    const last = await trx.selectFrom('galleys').select((eb) => eb.fn.max('seq').as('seq')).where('publication_id', '=', target.publicationId).executeTakeFirst();
    const fileId = file ? await fileRow(trx, file) : null;
    const row = await trx
      .insertInto('galleys')
      .values({ publication_id: target.publicationId, label: fields.label, locale: fields.locale, file_id: fileId, remote_url: fileId === null ? fields.remoteUrl : null, url_path: null, seq: Number(last?.seq ?? 0) + 1 })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  });
}

/** Saves a galley's label, language and (remote galleys) address, and with `file` replaces its file. */
export function saveGalley(db: Db, articleId: number, galleyId: number, fields: GalleyFields, file: StoredGalleyFile | null): Promise<boolean> {
  return changeArticle(db, articleId, async (trx, target) => {
    const id = target.galley(galleyId);
    if (id === undefined) return false;
    const current = await trx.selectFrom('galleys').select(['file_id']).where('id', '=', id).executeTakeFirstOrThrow();
    const fileId = file ? await fileRow(trx, file) : current.file_id;
    await trx
      .updateTable('galleys')
      .set({ label: fields.label, locale: fields.locale, file_id: fileId, remote_url: fileId === null ? fields.remoteUrl : null })
      .where('id', '=', id)
      .execute();
    return true;
  });
}

/** Removes a galley from the article's current version (earlier versions keep theirs, and the file). */
export function removeGalley(db: Db, articleId: number, galleyId: number): Promise<boolean> {
  return changeArticle(db, articleId, async (trx, target) => {
    const id = target.galley(galleyId);
    if (id === undefined) return false;
    await trx.deleteFrom('galleys').where('id', '=', id).execute();
    return true;
  });
}

export function moveGalley(db: Db, articleId: number, galleyId: number, direction: 'up' | 'down'): Promise<boolean> {
  return changeArticle(db, articleId, async (trx, target) => moveWithin(trx, 'galleys', target, target.galley(galleyId), direction));
}

/**
 * Puts the article in another issue (or none: published on its own) and section; it goes to the end
 * of its section in the new issue. Readers see it there only when that issue is published.
 */
export function moveArticle(db: Db, articleId: number, to: { issueId: number | null; sectionId: number }): Promise<void> {
  return changeArticle(db, articleId, async (trx, target) => {
    const current = await trx.selectFrom('publications').select(['issue_id', 'section_id']).where('id', '=', target.publicationId).executeTakeFirstOrThrow();
    if (current.issue_id === to.issueId && current.section_id === to.sectionId) return;
    const last =
      to.issueId === null
        ? undefined
        : await trx.selectFrom('publications as p').innerJoin('articles as a', 'a.current_publication_id', 'p.id').select((eb) => eb.fn.max('p.seq').as('seq')).where('p.issue_id', '=', to.issueId).executeTakeFirst();
    await trx
      .updateTable('publications')
      .set({ issue_id: to.issueId, section_id: to.sectionId, ...(current.issue_id !== to.issueId ? { seq: Number(last?.seq ?? 0) + 1 } : {}) })
      .where('id', '=', target.publicationId)
      .execute();
  });
}

/**
 * Takes an article off the reader site (OJS: "Unpublish"): its current version stops being published,
 * so pages, the issue's contents, feeds, search and OAI-PMH (as a deleted record) lose it; its
 * versions and files stay. The reason is kept for the journal team.
 */
export async function unpublishArticle(db: Db, articleId: number, reason: string, userId: number | null): Promise<void> {
  await inTransaction(db, async (trx) => {
    const article = await trx.selectFrom('articles').select(['current_publication_id', 'journal_id']).where('id', '=', articleId).forUpdate().executeTakeFirstOrThrow();
    await trx.updateTable('publications').set({ status: 'queued' }).where('id', '=', article.current_publication_id!).execute();
    await trx.updateTable('articles').set({ status: 'queued' }).where('id', '=', articleId).execute();
    await trx.insertInto('article_unpublications').values({ article_id: articleId, publication_id: article.current_publication_id, reason, user_id: userId }).execute();
    await emit(trx, { type: 'ArticleUnpublished', journalId: article.journal_id, articleId, publicationId: article.current_publication_id! });
  });
}

/** Publishes the current version again (or for the first time), dated today unless it has a date. */
export async function republishArticle(db: Db, articleId: number, today: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    const article = await trx.selectFrom('articles').select(['current_publication_id', 'journal_id']).where('id', '=', articleId).forUpdate().executeTakeFirstOrThrow();
    await trx
      .updateTable('publications')
      .set({ status: 'published', date_published: sql`coalesce(date_published, ${today}::date)` })
      .where('id', '=', article.current_publication_id!)
      .execute();
    await trx.updateTable('articles').set({ status: 'published' }).where('id', '=', articleId).execute();
    await emit(trx, { type: 'ArticlePublished', journalId: article.journal_id, articleId, publicationId: article.current_publication_id! });
  });
}

export interface Unpublication {
  reason: string;
  at: Date;
  by: string | null;
}

/** The article's unpublishings, latest first. */
export async function articleUnpublications(db: Db, articleId: number): Promise<Unpublication[]> {
  const rows = await db
    .selectFrom('article_unpublications as u')
    .leftJoin('users as p', 'p.id', 'u.user_id')
    .select(['u.reason', 'u.created_at', 'p.email'])
    .where('u.article_id', '=', articleId)
    .orderBy('u.created_at', 'desc')
    .orderBy('u.id', 'desc')
    .execute();
  return rows.map((r) => ({ reason: r.reason, at: r.created_at, by: r.email }));
}
