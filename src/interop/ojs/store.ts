import { sql, type Kysely, type Transaction } from 'kysely';
// The catalog's import commands by file, not its index: the import worker loads no reader-side code.
import { addIssueGalley, importIssue, importSection, recordFile, removeIssueGalleys } from '../../catalog/index.ts';
import type { Database } from '../../db/index.ts';
import type { Localized, NativeArticle, NativeCover, NativeIssue, NativeIssueGalley, NativeSection, StoredFile } from './model.ts';
import { removeUnusedFiles, storeArticles } from './store-articles.ts';
import { digestOf, type Change, type StoreJournal, type StoreReport } from './store-report.ts';
import { advanceSequences, unitIds, type DryRunIds, type UnitIds } from './unit-ids.ts';

/**
 * Writes parsed Native XML into the catalog, inside the caller's transaction (one per issue, or
 * per article of an `<articles>` document). An object seen before — by its OJS id, kept in
 * `ojs_ids`, or by DOI — is updated in place and keeps its Revista id; a new one takes its OJS id
 * as Revista id when that is free, so old OJS links need no redirect. An object whose content is
 * the same as at its last import (digest) is left alone.
 */

type Db = Transaction<Database> | Kysely<Database>;

export { digestOf, type Change, type StoreJournal, type StoreReport } from './store-report.ts';

/** A stored file as a `files` row of its own (never another article's row: see fileRows in store-articles.ts). */
function fileRow(db: Db, file: StoredFile, createdAt?: string): Promise<number> {
  // A file's date is OJS's when the document gives it (served as Last-Modified), not the import's.
  return recordFile(db, { storageKey: file.storageKey, mimeType: file.mimeType, sizeBytes: file.sizeBytes, sha256: file.sha256, originalName: file.originalName || 'file', ...(createdAt ? { createdAt: new Date(`${createdAt}T00:00:00Z`) } : {}) });
}

const json = (value: unknown) => JSON.stringify(value ?? {});
const pick = (text: Localized, locale: string) => text[locale] ?? Object.values(text)[0] ?? '';

async function sectionIds(db: Db, journal: StoreJournal, sections: NativeSection[], report: StoreReport, ids: UnitIds): Promise<Map<string, number>> {
  const existing = await db.selectFrom('sections').select(['id', 'title', 'abbreviation']).where('journal_id', '=', journal.id).orderBy('seq').execute();
  const refs = new Map<string, number>();
  // Sections already in the journal answer to any of their abbreviations and titles.
  for (const s of existing) for (const name of [...Object.values(s.abbreviation), ...Object.values(s.title)]) if (!refs.has(name)) refs.set(name, s.id);
  for (const section of sections) {
    const known = ids.get('section', section.ojsId)?.revista_id ?? refs.get(section.ref) ?? [...Object.values(section.abbrev), ...Object.values(section.title)].map((n) => refs.get(n)).find((id) => id !== undefined);
    const values = { seq: section.seq, title: json(section.title), abbreviation: json(section.abbrev), policy: json(section.policy), settings: json({ ...section.flags, ...(section.abstractWordCount !== undefined ? { abstract_word_count: section.abstractWordCount } : {}) }) };
    const id = await importSection(db, journal.id, known, values);
    if (known === undefined) report.warnings.push(`section “${pick(section.title, journal.primaryLocale) || section.ref}” did not exist and was created`);
    refs.set(section.ref, id);
    ids.remember('section', section.ojsId, id);
  }
  return refs;
}

/** The issue's galleys replace the ones it had; files no row uses any more go. */
async function storeIssueGalleys(db: Db, issueId: number, locale: string, galleys: NativeIssueGalley[], report: StoreReport, ids: UnitIds): Promise<void> {
  const old = await removeIssueGalleys(db, issueId);
  // A galley imported before keeps its id; a new one takes its OJS id when free, as articles' galleys do.
  const before = new Set(old.map((g) => g.id));
  for (const galley of galleys) {
    const fileId = await fileRow(db, galley.file, galley.dateModified ?? galley.dateUploaded);
    const known = ids.get('issue_galley', galley.ojsId)?.revista_id;
    const id = known !== undefined && before.has(known) ? known : ids.free('issue_galleys', galley.ojsId);
    const added = await addIssueGalley(db, { ...(id !== undefined ? { id } : {}), issue_id: issueId, label: galley.label, locale: galley.locale ?? locale, file_id: fileId, seq: galley.seq, date_uploaded: galley.dateUploaded ?? null, date_modified: galley.dateModified ?? null });
    ids.remember('issue_galley', galley.ojsId, added);
  }
  report.galleys += galleys.length;
  await removeUnusedFiles(db, old.map((g) => g.file_id), report);
}

function coverColumns(covers: NativeCover[], fileId: number | null) {
  const cover = covers[0];
  return { cover_file_id: fileId, cover_name: cover?.fileName ?? null, cover_alt_text: cover?.altText || null };
}

/** Stores one issue and its articles; the caller runs it in a transaction. */
export async function storeIssue(db: Db, journal: StoreJournal, issue: NativeIssue, dryRun?: DryRunIds): Promise<StoreReport> {
  const report: StoreReport = { articles: [], galleys: 0, warnings: [], duplicateKeys: [], orphanKeys: [] };
  const ids = await unitIds(db, journal.id, issue.sections, issue.articles, issue.ojsId, dryRun, issue.galleys.map((g) => g.ojsId));
  const refs = await sectionIds(db, journal, issue.sections, report, ids);
  const digest = digestOf(issue);
  const known = ids.get('issue', issue.ojsId);
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
    for (const g of issue.galleys) if (g.file.storageKey) report.duplicateKeys.push(g.file.storageKey);
    report.galleys += issue.galleys.length;
  } else {
    const coverFile = issue.covers[0] ? await fileRow(db, issue.covers[0].file) : null;
    // Revista keeps one cover per issue: the other locales' images were stored for nothing.
    for (const c of issue.covers.slice(1)) if (c.file.storageKey) report.duplicateKeys.push(c.file.storageKey);
    const oldCover = issueId === undefined ? undefined : (await db.selectFrom('issues').select('cover_file_id').where('id', '=', issueId).executeTakeFirst())?.cover_file_id;
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
      date_published: issue.datePublished ?? null,
      url_path: issue.urlPath ?? null,
      access_status: issue.accessStatus ?? null,
      ...coverColumns(issue.covers, coverFile),
    };
    if (issueId === undefined) {
      // Drawn like the articles' ids, so a dry run predicts it.
      const id = ids.free('issues', issue.ojsId) ?? (await ids.allocate('issues', 1))[0]!;
      // OJS's date of last modification when the document has it (an update is the import's own change).
      const updatedAt = issue.lastModified ? { updated_at: new Date(`${issue.lastModified}T00:00:00Z`) } : {};
      issueId = await importIssue(db, journal.id, { id, values: { ...values, ...updatedAt }, current: issue.current });
    } else {
      await importIssue(db, journal.id, { existingId: issueId, values, current: issue.current });
      if (oldCover) await removeUnusedFiles(db, [oldCover], report);
    }
    await storeIssueGalleys(db, issueId!, journal.primaryLocale, issue.galleys, report, ids);
  }
  ids.remember('issue', issue.ojsId, issueId!, digest);
  report.issue = { change, id: issueId!, ...(issue.ojsId !== undefined ? { ojsId: issue.ojsId } : {}) };
  const issuePublished = issue.published;
  await storeArticles(db, journal, issue.articles, { issueId: issueId!, issuePublished, refs, report, ids });
  await ids.flush();
  await advanceSequences(db, dryRun);
  return report;
}

/** Stores one article of an `<articles>` document: its issue is found by the numbering its publication names. */
export async function storeLooseArticle(db: Db, journal: StoreJournal, article: NativeArticle, dryRun?: DryRunIds): Promise<StoreReport> {
  const report: StoreReport = { articles: [], galleys: 0, warnings: [], duplicateKeys: [], orphanKeys: [] };
  const ids = await unitIds(db, journal.id, [], [article], undefined, dryRun);
  const refs = await sectionIds(db, journal, [], report, ids);
  const ident = article.publications.at(-1)?.issueIdentification;
  let issueId: number | null = null;
  let issuePublished = false;
  if (ident) {
    const found = await db
      .selectFrom('issues')
      .select(['id', 'is_published'])
      .where('journal_id', '=', journal.id)
      .where((eb) => (ident.volume === undefined ? eb('volume', 'is', null) : eb('volume', '=', ident.volume)))
      .where((eb) => (ident.number === undefined ? eb('number', 'is', null) : eb('number', '=', ident.number)))
      .where((eb) => (ident.year === undefined ? eb('year', 'is', null) : eb('year', '=', ident.year)))
      .executeTakeFirst();
    issueId = found?.id ?? null;
    issuePublished = found?.is_published ?? false;
    if (!found) report.warnings.push(`article “${pick(article.publications.at(-1)!.title, article.locale ?? journal.primaryLocale)}”: its issue (${[ident.volume, ident.number, ident.year].filter((v) => v !== undefined).join('/')}) is not in the journal; imported without an issue`);
  }
  await storeArticles(db, journal, [article], { issueId, issuePublished, refs, report, ids });
  await ids.flush();
  await advanceSequences(db, dryRun);
  return report;
}

export type { StoredFile };
