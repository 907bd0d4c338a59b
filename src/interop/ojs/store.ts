import { createHash } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/index.ts';
import { doiOf, type Localized, type NativeArticle, type NativeCover, type NativeIssue, type NativePublication, type NativeSection, type StoredFile } from './model.ts';

/**
 * Writes parsed Native XML into the catalog, inside the caller's transaction (one per issue, or
 * per article of an `<articles>` document). An object seen before — by its OJS id, kept in
 * `ojs_ids`, or by DOI — is updated in place and keeps its Revista id; a new one takes its OJS id
 * as Revista id when that is free, so old OJS links need no redirect. An object whose content is
 * the same as at its last import (digest) is left alone.
 */

type Db = Transaction<Database> | Kysely<Database>;
type Kind = Database['ojs_ids']['kind'];

export interface StoreJournal {
  id: number;
  path: string;
  primaryLocale: string;
}

export type Change = 'new' | 'changed' | 'unchanged';

export interface StoreReport {
  issue?: { change: Change; id: number; ojsId?: number };
  articles: { change: Change; id: number; ojsId?: number; title: string }[];
  galleys: number;
  warnings: string[];
  /** Files stored while parsing that turned out to be copies of stored ones: remove after commit. */
  duplicateKeys: string[];
  /** Files no row uses any more after an update: remove after commit. */
  orphanKeys: string[];
}

/** A stable hash of what was read: files by content, not by where they were stored. */
export function digestOf(value: unknown): string {
  const json = JSON.stringify(value, (key, v: unknown) => (key === 'storageKey' || key === 'line' || key === 'articles' ? undefined : v));
  return createHash('sha256').update(json).digest('hex');
}

async function mapped(db: Db, journalId: number, kind: Kind, ojsId: number | undefined): Promise<{ revista_id: number; digest: string | null } | undefined> {
  if (ojsId === undefined) return undefined;
  return db.selectFrom('ojs_ids').select(['revista_id', 'digest']).where('journal_id', '=', journalId).where('kind', '=', kind).where('ojs_id', '=', ojsId).executeTakeFirst();
}

async function remember(db: Db, journalId: number, kind: Kind, ojsId: number | undefined, revistaId: number, digest: string | null = null): Promise<void> {
  if (ojsId === undefined) return;
  await db
    .insertInto('ojs_ids')
    .values({ journal_id: journalId, kind, ojs_id: ojsId, revista_id: revistaId, digest })
    .onConflict((oc) => oc.columns(['journal_id', 'kind', 'ojs_id']).doUpdateSet({ revista_id: revistaId, digest }))
    .execute();
}

/** The OJS id as Revista id when no row has it yet. */
async function freeId(db: Db, table: 'issues' | 'articles' | 'publications' | 'galleys', id: number | undefined): Promise<number | undefined> {
  if (id === undefined || id <= 0) return undefined;
  const taken = await db.selectFrom(table).select('id').where('id', '=', id).executeTakeFirst();
  return taken ? undefined : id;
}

/** After rows were given explicit ids, the sequence must hand out ids above them. */
async function advanceSequences(db: Db): Promise<void> {
  for (const table of ['issues', 'articles', 'publications', 'galleys'] as const) {
    await sql`SELECT setval(pg_get_serial_sequence(${table}, 'id'), GREATEST((SELECT coalesce(max(id), 1) FROM ${sql.table(table)}), (SELECT last_value FROM ${sql.raw(`${table}_id_seq`)})))`.execute(db);
  }
}

/** A stored file as a `files` row; a copy of a file already stored (same bytes) reuses that row. */
async function fileRow(db: Db, file: StoredFile, report: StoreReport): Promise<number> {
  const existing = await db.selectFrom('files').select(['id', 'storage_key']).where('sha256', '=', file.sha256).where('size_bytes', '=', file.sizeBytes).orderBy('id').executeTakeFirst();
  if (existing) {
    if (existing.storage_key !== file.storageKey) report.duplicateKeys.push(file.storageKey);
    return existing.id;
  }
  const row = await db
    .insertInto('files')
    .values({ storage_key: file.storageKey, mime_type: file.mimeType, size_bytes: file.sizeBytes, sha256: file.sha256, original_name: file.originalName || 'file' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

const json = (value: unknown) => JSON.stringify(value ?? {});
const pick = (text: Localized, locale: string) => text[locale] ?? Object.values(text)[0] ?? '';

async function sectionIds(db: Db, journal: StoreJournal, sections: NativeSection[], report: StoreReport): Promise<Map<string, number>> {
  const existing = await db.selectFrom('sections').select(['id', 'title', 'abbreviation']).where('journal_id', '=', journal.id).orderBy('seq').execute();
  const refs = new Map<string, number>();
  // Sections already in the journal answer to any of their abbreviations and titles.
  for (const s of existing) for (const name of [...Object.values(s.abbreviation), ...Object.values(s.title)]) if (!refs.has(name)) refs.set(name, s.id);
  for (const section of sections) {
    const known = (await mapped(db, journal.id, 'section', section.ojsId))?.revista_id ?? refs.get(section.ref) ?? [...Object.values(section.abbrev), ...Object.values(section.title)].map((n) => refs.get(n)).find((id) => id !== undefined);
    const values = { title: json(section.title), abbreviation: json(section.abbrev), policy: json(section.policy), settings: json({ ...section.flags, ...(section.abstractWordCount !== undefined ? { abstract_word_count: section.abstractWordCount } : {}) }) };
    let id = known;
    if (id === undefined) {
      id = (await db.insertInto('sections').values({ journal_id: journal.id, seq: section.seq, ...values }).returning('id').executeTakeFirstOrThrow()).id;
      report.warnings.push(`section “${pick(section.title, journal.primaryLocale) || section.ref}” did not exist and was created`);
    } else {
      await db.updateTable('sections').set(values).where('id', '=', id).execute();
    }
    refs.set(section.ref, id);
    await remember(db, journal.id, 'section', section.ojsId, id);
  }
  return refs;
}

function coverColumns(covers: NativeCover[], fileId: number | null) {
  const cover = covers[0];
  return { cover_file_id: fileId, cover_name: cover?.fileName ?? null, cover_alt_text: cover?.altText || null };
}

/** Stores one issue and its articles; the caller runs it in a transaction. */
export async function storeIssue(db: Db, journal: StoreJournal, issue: NativeIssue): Promise<StoreReport> {
  const report: StoreReport = { articles: [], galleys: 0, warnings: [], duplicateKeys: [], orphanKeys: [] };
  const refs = await sectionIds(db, journal, issue.sections, report);
  const digest = digestOf(issue);
  const known = await mapped(db, journal.id, 'issue', issue.ojsId);
  const { volume, number, year, title } = issue.identification;
  // Without an OJS id seen before, the same volume, number and year is the same issue.
  const sameNumbering =
    known === undefined && (volume !== undefined || number !== undefined || year !== undefined)
      ? await db
          .selectFrom('issues')
          .select('id')
          .where('journal_id', '=', journal.id)
          .where((eb) => (volume === undefined ? eb('volume', 'is', null) : eb('volume', '=', volume)))
          .where((eb) => (number === undefined ? eb('number', 'is', null) : eb('number', '=', number)))
          .where((eb) => (year === undefined ? eb('year', 'is', null) : eb('year', '=', year)))
          .executeTakeFirst()
      : undefined;
  let issueId = known?.revista_id ?? sameNumbering?.id;
  let change: Change = issueId === undefined ? 'new' : known?.digest === digest ? 'unchanged' : 'changed';
  if (change === 'unchanged') {
    for (const c of issue.covers) if (c.file.storageKey) report.duplicateKeys.push(c.file.storageKey);
  } else {
    if (issue.current) await db.updateTable('issues').set({ is_current: false }).where('journal_id', '=', journal.id).where('is_current', '=', true).execute();
    const coverFile = issue.covers[0] ? await fileRow(db, issue.covers[0].file, report) : null;
    const values = {
      volume: volume ?? null,
      number: number ?? null,
      year: year ?? null,
      title: json(title),
      description: json(issue.description),
      show_volume: volume !== undefined,
      show_number: number !== undefined,
      show_year: year !== undefined,
      show_title: Object.keys(title).length > 0,
      is_published: issue.published,
      is_current: issue.current,
      date_published: issue.datePublished ?? null,
      url_path: issue.urlPath ?? null,
      access_status: issue.accessStatus ?? null,
      ...coverColumns(issue.covers, coverFile),
    };
    if (issueId === undefined) {
      const id = await freeId(db, 'issues', issue.ojsId);
      issueId = (await db.insertInto('issues').values({ ...(id ? { id } : {}), journal_id: journal.id, ...values } as never).returning('id').executeTakeFirstOrThrow()).id;
    } else {
      await db.updateTable('issues').set(values).where('id', '=', issueId).execute();
    }
  }
  await remember(db, journal.id, 'issue', issue.ojsId, issueId!, digest);
  report.issue = { change, id: issueId!, ...(issue.ojsId !== undefined ? { ojsId: issue.ojsId } : {}) };
  for (const article of issue.articles) await storeArticle(db, journal, article, { issueId: issueId!, refs, report });
  await advanceSequences(db);
  return report;
}

/** Stores one article of an `<articles>` document: its issue is found by the numbering its publication names. */
export async function storeLooseArticle(db: Db, journal: StoreJournal, article: NativeArticle): Promise<StoreReport> {
  const report: StoreReport = { articles: [], galleys: 0, warnings: [], duplicateKeys: [], orphanKeys: [] };
  const refs = await sectionIds(db, journal, [], report);
  const ident = article.publications.at(-1)?.issueIdentification;
  let issueId: number | null = null;
  if (ident) {
    const found = await db
      .selectFrom('issues')
      .select('id')
      .where('journal_id', '=', journal.id)
      .where((eb) => (ident.volume === undefined ? eb('volume', 'is', null) : eb('volume', '=', ident.volume)))
      .where((eb) => (ident.number === undefined ? eb('number', 'is', null) : eb('number', '=', ident.number)))
      .where((eb) => (ident.year === undefined ? eb('year', 'is', null) : eb('year', '=', ident.year)))
      .executeTakeFirst();
    issueId = found?.id ?? null;
    if (!found) report.warnings.push(`article “${pick(article.publications.at(-1)!.title, article.locale ?? journal.primaryLocale)}”: its issue (${[ident.volume, ident.number, ident.year].filter((v) => v !== undefined).join('/')}) is not in the journal; imported without an issue`);
  }
  await storeArticle(db, journal, article, { issueId, refs, report });
  await advanceSequences(db);
  return report;
}

const PUBLICATION_STATUS: Record<number, 'queued' | 'scheduled' | 'published'> = { 1: 'queued', 3: 'published', 5: 'scheduled' };

function publicationStatus(p: NativePublication, issuePublished: boolean): 'queued' | 'scheduled' | 'published' {
  if (p.status !== undefined) return PUBLICATION_STATUS[p.status] ?? 'queued';
  return p.datePublished && issuePublished ? 'published' : 'queued';
}

async function storeArticle(db: Db, journal: StoreJournal, article: NativeArticle, at: { issueId: number | null; refs: Map<string, number>; report: StoreReport }): Promise<void> {
  const { report } = at;
  const locale = article.locale ?? journal.primaryLocale;
  const digest = digestOf({ article, issueId: at.issueId });
  const dois = article.publications.map((p) => doiOf(p.ids) ?? doiOf(article.ids)).filter((d): d is string => d !== undefined);
  const known = await mapped(db, journal.id, 'article', article.ojsId);
  const byDoi =
    known === undefined && dois.length > 0
      ? await db
          .selectFrom('publications as p')
          .innerJoin('articles as a', 'a.id', 'p.article_id')
          .select('a.id')
          .where('a.journal_id', '=', journal.id)
          .where(sql<boolean>`lower(p.doi) IN (${sql.join(dois.map((d) => d.toLowerCase()))})`)
          .executeTakeFirst()
      : undefined;
  let articleId = known?.revista_id ?? byDoi?.id;
  const title = pick(article.publications.at(-1)!.title, locale);
  if (articleId !== undefined && known?.digest === digest) {
    // Its files were stored again while reading: those copies go.
    for (const f of article.submissionFiles) if (f.file?.storageKey) report.duplicateKeys.push(f.file.storageKey);
    for (const p of article.publications) for (const c of p.covers) if (c.file.storageKey) report.duplicateKeys.push(c.file.storageKey);
    report.articles.push({ change: 'unchanged', id: articleId, ...(article.ojsId !== undefined ? { ojsId: article.ojsId } : {}), title });
    report.galleys += article.publications.reduce((n, p) => n + p.galleys.length, 0);
    return;
  }
  const change: Change = articleId === undefined ? 'new' : 'changed';
  const issuePublished = at.issueId === null ? false : ((await db.selectFrom('issues').select('is_published').where('id', '=', at.issueId).executeTakeFirst())?.is_published ?? false);
  const current = article.publications.find((p) => p.ojsId === article.currentPublicationOjsId) ?? article.publications.at(-1)!;
  const status = publicationStatus(current, issuePublished) === 'published' ? 'published' : 'queued';
  if (articleId === undefined) {
    const id = await freeId(db, 'articles', article.ojsId);
    articleId = (await db.insertInto('articles').values({ ...(id ? { id } : {}), journal_id: journal.id, locale, status, date_submitted: article.dateSubmitted ?? null } as never).returning('id').executeTakeFirstOrThrow()).id;
  } else {
    await db.updateTable('articles').set({ locale, status, date_submitted: article.dateSubmitted ?? null, current_publication_id: null }).where('id', '=', articleId).execute();
  }
  // An update replaces the versions wholesale, keeping the ids of publications and galleys (links use them).
  const oldPublications = await db.selectFrom('publications').select('id').where('article_id', '=', articleId).execute();
  const oldFiles = oldPublications.length
    ? (
        await db
          .selectFrom('galleys')
          .select('file_id')
          .where('publication_id', 'in', oldPublications.map((p) => p.id))
          .where('file_id', 'is not', null)
          .execute()
      ).map((g) => g.file_id!)
    : [];
  const oldCovers = oldPublications.length
    ? (await db.selectFrom('publications').select('cover_file_id').where('article_id', '=', articleId).where('cover_file_id', 'is not', null).execute()).map((p) => p.cover_file_id!)
    : [];
  await db.deleteFrom('publications').where('article_id', '=', articleId).execute();

  const fileIds = new Map<number, number>();
  for (const f of article.submissionFiles) if (f.file) fileIds.set(f.ojsId, await fileRow(db, f.file, report));
  let currentPublicationId: number | undefined;
  const ordered = [...article.publications].sort((a, b) => (a.version ?? 0) - (b.version ?? 0) || a.ojsId - b.ojsId);
  for (const [index, p] of ordered.entries()) {
    const sectionId = at.refs.get(p.sectionRef);
    if (sectionId === undefined) throw new Error(`article “${title}”: publication ${p.ojsId} names section “${p.sectionRef}”, which is neither in the issue’s <sections> nor in the journal`);
    const previous = await mapped(db, journal.id, 'publication', p.ojsId);
    const id = previous?.revista_id ?? (await freeId(db, 'publications', p.ojsId));
    const coverFile = p.covers[0] ? await fileRow(db, p.covers[0].file, report) : null;
    const publication = await db
      .insertInto('publications')
      .values({
        ...(id ? { id } : {}),
        article_id: articleId,
        version: index + 1,
        status: publicationStatus(p, issuePublished),
        locale,
        prefix: json(p.prefix),
        title: json(p.title),
        subtitle: json(p.subtitle),
        abstract: json(p.abstract),
        keywords: json(p.keywords),
        subjects: json(p.subjects),
        section_id: sectionId,
        issue_id: at.issueId,
        seq: p.seq ?? 0,
        pages: p.pages ?? null,
        doi: doiOf(p.ids) ?? doiOf(article.ids) ?? null,
        url_path: p.urlPath ?? null,
        license_url: p.licenseUrl ?? null,
        copyright_holder: json(p.copyrightHolder),
        copyright_year: p.copyrightYear ?? null,
        date_published: p.datePublished ?? null,
        coverage: json(p.coverage),
        type: json(p.type),
        source: json(p.source),
        rights: json(p.rights),
        disciplines: json(p.disciplines),
        agencies: json(p.agencies),
        languages: json(p.languages),
        access_status: p.accessStatus ?? null,
        ...coverColumns(p.covers, coverFile),
      } as never)
      .returning('id')
      .executeTakeFirstOrThrow();
    await remember(db, journal.id, 'publication', p.ojsId, publication.id);
    if (p === current) currentPublicationId = publication.id;
    if (p.authors.length > 0) {
      await db
        .insertInto('contributors')
        .values(
          [...p.authors]
            .sort((a, b) => a.seq - b.seq)
            .map((a, seq) => ({
              publication_id: publication.id,
              given_name: json(a.givenName),
              family_name: json(a.familyName),
              affiliation: json(a.affiliations[0]?.name ?? {}),
              affiliations: JSON.stringify(a.affiliations),
              ror_id: a.affiliations.find((x) => x.ror)?.ror ?? null,
              email: a.email ?? null,
              orcid: a.orcid ?? null,
              country: a.country ?? null,
              role: /translat/i.test(a.userGroupRef ?? '') ? 'translator' : 'author',
              is_primary_contact: a.primaryContact || (a.ojsId !== undefined && a.ojsId === p.primaryContactOjsId),
              include_in_browse: a.includeInBrowse,
              seq,
              biography: json(a.biography),
              url: a.url ?? null,
              user_group: a.userGroupRef ?? null,
              contributor_type: a.contributorType ?? null,
              contributor_roles: a.contributorRoles,
            })),
        )
        .execute();
    }
    if (p.citations.length > 0) {
      await db.insertInto('citations').values(p.citations.map((raw_text, i) => ({ publication_id: publication.id, seq: i + 1, raw_text, parsed: null }))).execute();
    }
    for (const g of [...p.galleys].sort((a, b) => a.seq - b.seq)) {
      const previousGalley = await mapped(db, journal.id, 'galley', g.ojsId);
      const galleyId = previousGalley?.revista_id ?? (await freeId(db, 'galleys', g.ojsId));
      const galleyLocale = g.locale ?? locale;
      const fileId = g.submissionFileRef !== undefined ? fileIds.get(g.submissionFileRef) : undefined;
      const row = await db
        .insertInto('galleys')
        .values({
          ...(galleyId ? { id: galleyId } : {}),
          publication_id: publication.id,
          label: pick(g.label, galleyLocale),
          locale: galleyLocale,
          file_id: fileId ?? null,
          remote_url: fileId === undefined ? (g.remoteUrl ?? null) : null,
          url_path: g.urlPath ?? null,
          seq: g.seq,
          doi: doiOf(g.ids) ?? null,
        } as never)
        .returning('id')
        .executeTakeFirstOrThrow();
      await remember(db, journal.id, 'galley', g.ojsId, row.id);
      report.galleys++;
    }
  }
  await db.updateTable('articles').set({ current_publication_id: currentPublicationId ?? null }).where('id', '=', articleId).execute();
  for (const f of article.submissionFiles) if (fileIds.has(f.ojsId)) await remember(db, journal.id, 'submission_file', f.ojsId, fileIds.get(f.ojsId)!);
  await remember(db, journal.id, 'article', article.ojsId, articleId, digest);
  // Files the previous versions used and nothing uses now.
  for (const fileId of new Set([...oldFiles, ...oldCovers])) {
    const used = await db
      .selectFrom('files')
      .select('storage_key')
      .where('id', '=', fileId)
      .where((eb) =>
        eb.not(
          eb.or([
            eb.exists(eb.selectFrom('galleys').select('id').where('file_id', '=', fileId)),
            eb.exists(eb.selectFrom('publications').select('id').where('cover_file_id', '=', fileId)),
            eb.exists(eb.selectFrom('issues').select('id').where('cover_file_id', '=', fileId)),
            eb.exists(eb.selectFrom('journals').select('id').where((j) => j.or([j('logo_file_id', '=', fileId), j('favicon_file_id', '=', fileId), j('homepage_image_file_id', '=', fileId)]))),
          ]),
        ),
      )
      .executeTakeFirst();
    if (used) {
      await db.deleteFrom('files').where('id', '=', fileId).execute();
      report.orphanKeys.push(used.storage_key);
    }
  }
  report.articles.push({ change, id: articleId, ...(article.ojsId !== undefined ? { ojsId: article.ojsId } : {}), title });
}

export type { StoredFile };
