import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, FileTable, OjsIdTable } from '../../db/schema.ts';
import { isHttpUrl } from '../../ui/index.ts';
import { CONTRIBUTOR_ROLE, type Localized, type NativeArticle, type NativeAuthor, type NativeCover, type NativeGalley, type NativeIssue, type NativePublication, type NativeSection, type NativeSubmissionFile, type StoredFile } from './model.ts';

/**
 * The catalog → the Native XML issue model, one issue at a time, for write.ts. Objects that came
 * from OJS keep the OJS ids their import recorded in `ojs_ids` (so links and re-imports into OJS
 * or another Revista find them); the others are exported with Revista's own ids.
 *
 * An article belongs to the issue of its current version (or, when that has none, of its latest
 * version that has one) and is exported with all its versions. Each galley's file becomes a
 * submission file of its article; a file two galleys share is written once.
 */

type OjsKind = OjsIdTable['kind'];
type FileRow = Selectable<FileTable>;

export interface LoadOptions {
  /** Only this issue (Revista's id); every issue of the journal when absent. */
  issueId?: number;
}

/** Revista's article status → OJS's submission status (STATUS_QUEUED 1, PUBLISHED 3, DECLINED 4, SCHEDULED 5). */
const ARTICLE_STATUS: Record<string, string> = { queued: '1', published: '3', declined: '4', scheduled: '5' };
const PUBLICATION_STATUS: Record<string, number> = { queued: 1, published: 3, scheduled: 5 };

/** The issues of a journal in the order they appeared: by date published, then as entered. */
export async function exportableIssueIds(db: Kysely<Database>, journalId: number, options: LoadOptions = {}): Promise<number[]> {
  let query = db.selectFrom('issues').select('id').where('journal_id', '=', journalId);
  if (options.issueId !== undefined) query = query.where('id', '=', options.issueId);
  const rows = await query.orderBy(sql`date_published NULLS LAST`).orderBy('year').orderBy('volume').orderBy('id').execute();
  return rows.map((r) => r.id);
}

export async function* loadNativeIssues(db: Kysely<Database>, journalId: number, options: LoadOptions = {}): AsyncIterable<NativeIssue> {
  const journal = await db.selectFrom('journals').select(['primary_locale']).where('id', '=', journalId).executeTakeFirstOrThrow();
  for (const issueId of await exportableIssueIds(db, journalId, options)) {
    yield await loadIssue(db, journalId, issueId, journal.primary_locale);
  }
}

/**
 * The id each of these rows is exported under, unique among the journal's rows of a kind.
 *
 * Issues, articles, publications and galleys: the OJS id their import recorded, unless another row
 * of the journal has that id as its own Revista id (that row answers the old address, so it keeps
 * the id); else the Revista id. OJS ids are unique per journal and kind, Revista ids are unique, and
 * an OJS id equal to another row's Revista id is not used, so no two rows share one.
 *
 * Sections, authors and submission files never take their OJS ids as Revista ids (nothing is
 * addressed by them): the recorded OJS id, else the Revista id — moved above every id of the kind
 * when an imported row already has it as its OJS id.
 */
async function exportIdsOf(db: Kysely<Database>, journalId: number, kind: OjsKind, revistaIds: number[]): Promise<Map<number, number>> {
  if (revistaIds.length === 0) return new Map();
  const recorded = await db
    .selectFrom('ojs_ids')
    .select(['revista_id', 'ojs_id'])
    .where('journal_id', '=', journalId)
    .where('kind', '=', kind)
    .where('revista_id', 'in', revistaIds)
    // A row imported under several OJS ids (from two documents) is exported under its smallest.
    .orderBy('ojs_id')
    .execute();
  const out = new Map<number, number>();
  if (kind === 'issue' || kind === 'article' || kind === 'publication' || kind === 'galley') {
    const candidates = recorded.filter((r) => r.ojs_id !== r.revista_id).map((r) => r.ojs_id);
    const shadowed = new Set(candidates.length === 0 ? [] : await ownIds(db, journalId, kind, candidates));
    for (const r of recorded) if (!shadowed.has(r.ojs_id) && !out.has(r.revista_id)) out.set(r.revista_id, r.ojs_id);
    for (const id of revistaIds) if (!out.has(id)) out.set(id, id);
    return out;
  }
  for (const r of recorded) if (!out.has(r.revista_id)) out.set(r.revista_id, r.ojs_id);
  const native = revistaIds.filter((id) => !out.has(id));
  if (native.length === 0) return out;
  const claimed = new Set((await db.selectFrom('ojs_ids').select('ojs_id').where('journal_id', '=', journalId).where('kind', '=', kind).where('ojs_id', 'in', native).execute()).map((r) => r.ojs_id));
  if (claimed.size > 0) {
    const table = kind === 'section' ? 'sections' : kind === 'author' ? 'contributors' : 'files';
    const top = await db
      .selectFrom('ojs_ids')
      .select(sql<number>`greatest(max(ojs_id), (SELECT max(id) FROM ${sql.table(table)}))`.as('top'))
      .where('journal_id', '=', journalId)
      .where('kind', '=', kind)
      .executeTakeFirstOrThrow();
    for (const id of native) if (claimed.has(id)) out.set(id, Number(top.top) + id);
  }
  for (const id of native) if (!out.has(id)) out.set(id, id);
  return out;
}

/** Which of these ids are Revista ids of the journal's rows of a kind. */
async function ownIds(db: Kysely<Database>, journalId: number, kind: 'issue' | 'article' | 'publication' | 'galley', ids: number[]): Promise<number[]> {
  const publicationsOf = db.selectFrom('publications').innerJoin('articles', 'articles.id', 'publications.article_id').select('publications.id').where('articles.journal_id', '=', journalId);
  let rows: { id: number }[];
  if (kind === 'issue') rows = await db.selectFrom('issues').select('id').where('journal_id', '=', journalId).where('id', 'in', ids).execute();
  else if (kind === 'article') rows = await db.selectFrom('articles').select('id').where('journal_id', '=', journalId).where('id', 'in', ids).execute();
  else if (kind === 'publication') rows = await publicationsOf.where('publications.id', 'in', ids).execute();
  else rows = await db.selectFrom('galleys').select('id').where('publication_id', 'in', publicationsOf).where('id', 'in', ids).execute();
  return rows.map((r) => r.id);
}

function nonEmpty<T extends Record<string, unknown>>(value: T | null | undefined): T {
  return (value ?? {}) as T;
}

/** The part of a name before its extension, as OJS writes `extension`. */
function extensionOf(name: string, mimeType: string): string | undefined {
  const match = /\.([A-Za-z0-9]{1,10})$/.exec(name);
  if (match) return match[1]!.toLowerCase();
  return { 'application/pdf': 'pdf', 'text/html': 'html', 'application/xml': 'xml', 'text/xml': 'xml', 'image/png': 'png', 'image/jpeg': 'jpg' }[mimeType];
}

function storedFile(row: FileRow): StoredFile {
  return { storageKey: row.storage_key, sha256: row.sha256, sizeBytes: Number(row.size_bytes), mimeType: row.mime_type, originalName: row.original_name };
}

function cover(file: FileRow | undefined, name: string | null, altText: string | null): NativeCover[] {
  if (!file) return [];
  return [{ fileName: name ?? file.original_name, altText: altText ?? '', file: storedFile(file) }];
}

/** A section's `ref`: its abbreviation (OJS matches sections by it), else its title, unique in the issue. */
function sectionRef(abbreviation: Localized, title: Localized, primaryLocale: string, id: number, taken: Set<string>): string {
  const pick = (value: Localized) => (value[primaryLocale]?.trim() || Object.values(value).find((v) => v.trim() !== '')?.trim());
  let ref = pick(abbreviation) ?? pick(title) ?? `section-${id}`;
  if (taken.has(ref)) ref = `${ref} (${id})`;
  taken.add(ref);
  return ref;
}

async function loadIssue(db: Kysely<Database>, journalId: number, issueId: number, primaryLocale: string): Promise<NativeIssue> {
  const issue = await db.selectFrom('issues').selectAll().where('id', '=', issueId).executeTakeFirstOrThrow();

  // Articles with a version in this issue, kept when this is the issue they belong to.
  const candidates = await db.selectFrom('publications').select('article_id').distinct().where('issue_id', '=', issueId).execute();
  const candidateIds = candidates.map((c) => c.article_id);
  const articleRows = candidateIds.length === 0 ? [] : await db
    .selectFrom('articles')
    .select(['id', 'locale', 'status', 'current_publication_id', sql<string | null>`to_char(date_submitted, 'YYYY-MM-DD')`.as('date_submitted')])
    .where('journal_id', '=', journalId)
    .where('id', 'in', candidateIds)
    .execute();
  const allPublications = articleRows.length === 0 ? [] : await db
    .selectFrom('publications')
    .selectAll()
    .where('article_id', 'in', articleRows.map((a) => a.id))
    .orderBy('article_id')
    .orderBy('version')
    .execute();
  const homeIssue = (article: (typeof articleRows)[number]) => {
    const versions = allPublications.filter((p) => p.article_id === article.id);
    const current = versions.find((p) => p.id === article.current_publication_id);
    return current?.issue_id ?? versions.filter((p) => p.issue_id !== null).at(-1)?.issue_id ?? null;
  };
  const articles = articleRows.filter((a) => homeIssue(a) === issueId);
  const publications = allPublications.filter((p) => articles.some((a) => a.id === p.article_id));
  const publicationIds = publications.map((p) => p.id);

  const [sectionRows, sectionOrder, contributors, citations, galleys] = await Promise.all([
    publications.length === 0 ? [] : db.selectFrom('sections').selectAll().where('id', 'in', [...new Set(publications.map((p) => p.section_id))]).execute(),
    db.selectFrom('issue_section_order').select(['section_id', 'seq']).where('issue_id', '=', issueId).execute(),
    publicationIds.length === 0 ? [] : db.selectFrom('contributors').selectAll().where('publication_id', 'in', publicationIds).orderBy('publication_id').orderBy('seq').orderBy('id').execute(),
    publicationIds.length === 0 ? [] : db.selectFrom('citations').select(['publication_id', 'raw_text']).where('publication_id', 'in', publicationIds).orderBy('publication_id').orderBy('seq').execute(),
    publicationIds.length === 0 ? [] : db.selectFrom('galleys').selectAll().where('publication_id', 'in', publicationIds).orderBy('publication_id').orderBy('seq').orderBy('id').execute(),
  ]);
  const issueGalleys = await db.selectFrom('issue_galleys').selectAll().where('issue_id', '=', issueId).orderBy('seq').orderBy('id').execute();
  const issueGalleyOjs = new Map(
    (issueGalleys.length === 0 ? [] : await db.selectFrom('ojs_ids').select(['revista_id', 'ojs_id']).where('journal_id', '=', journalId).where('kind', '=', 'issue_galley').where('revista_id', 'in', issueGalleys.map((g) => g.id)).orderBy('ojs_id', 'desc').execute()).map((r) => [r.revista_id, r.ojs_id]),
  );
  const fileIds = [...new Set([...galleys.map((g) => g.file_id), ...issueGalleys.map((g) => g.file_id), ...publications.map((p) => p.cover_file_id), issue.cover_file_id].filter((id): id is number => id !== null))];
  const files = new Map((fileIds.length === 0 ? [] : await db.selectFrom('files').selectAll().where('id', 'in', fileIds).execute()).map((f) => [f.id, f]));

  const [issueOjs, sectionOjs, articleOjs, publicationOjs, authorOjs, galleyOjs, fileOjs] = await Promise.all([
    exportIdsOf(db, journalId, 'issue', [issueId]),
    exportIdsOf(db, journalId, 'section', sectionRows.map((s) => s.id)),
    exportIdsOf(db, journalId, 'article', articles.map((a) => a.id)),
    exportIdsOf(db, journalId, 'publication', publicationIds),
    exportIdsOf(db, journalId, 'author', contributors.map((c) => c.id)),
    exportIdsOf(db, journalId, 'galley', galleys.map((g) => g.id)),
    exportIdsOf(db, journalId, 'submission_file', [...new Set(galleys.map((g) => g.file_id).filter((id): id is number => id !== null))]),
  ]);
  const idOf = (map: Map<number, number>, id: number) => map.get(id) ?? id;

  // Sections: the issue's own order when the editor set one, else the journal's.
  const issueSeq = new Map(sectionOrder.map((o) => [o.section_id, o.seq]));
  sectionRows.sort((a, b) => (issueSeq.get(a.id) ?? Infinity) - (issueSeq.get(b.id) ?? Infinity) || a.seq - b.seq || a.id - b.id);
  const refs = new Map<number, string>();
  const taken = new Set<string>();
  const sections: NativeSection[] = sectionRows.map((s) => {
    const ref = sectionRef(s.abbreviation, s.title, primaryLocale, s.id, taken);
    refs.set(s.id, ref);
    const { abstract_word_count: wordCount, ...flags } = nonEmpty(s.settings);
    return {
      ref,
      ojsId: idOf(sectionOjs, s.id),
      seq: s.seq,
      title: nonEmpty(s.title),
      abbrev: nonEmpty(s.abbreviation),
      policy: nonEmpty(s.policy),
      flags,
      ...(wordCount !== undefined ? { abstractWordCount: wordCount } : {}),
    };
  });
  const sectionPosition = new Map(sectionRows.map((s, i) => [s.id, i]));

  // Articles in table-of-contents order: by section, then by their place in it.
  const currentOf = (a: (typeof articles)[number]) => publications.find((p) => p.id === a.current_publication_id) ?? publications.filter((p) => p.article_id === a.id).at(-1)!;
  articles.sort((a, b) => {
    const pa = currentOf(a);
    const pb = currentOf(b);
    return sectionPosition.get(pa.section_id)! - sectionPosition.get(pb.section_id)! || pa.seq - pb.seq || a.id - b.id;
  });

  const nativeArticles: NativeArticle[] = articles.map((article) => {
    const versions = publications.filter((p) => p.article_id === article.id);
    const articleGalleys = galleys.filter((g) => versions.some((p) => p.id === g.publication_id));
    const submissionFiles: NativeSubmissionFile[] = [];
    for (const galley of articleGalleys) {
      const file = galley.file_id === null ? undefined : files.get(galley.file_id);
      if (!file || submissionFiles.some((f) => f.ojsId === idOf(fileOjs, file.id))) continue;
      const extension = extensionOf(file.original_name, file.mime_type);
      submissionFiles.push({
        ojsId: idOf(fileOjs, file.id),
        // OJS's file revision id: one revision per submission file here, numbered as the submission file.
        fileId: idOf(fileOjs, file.id),
        stage: 'proof',
        genre: 'Article Text',
        name: { [galley.locale]: file.original_name },
        createdAt: file.created_at.toISOString().slice(0, 10),
        viewable: false,
        file: storedFile(file),
        ...(extension ? { extension } : {}),
      });
    }
    const nativePublications: NativePublication[] = versions.map((p) => {
      const authors: NativeAuthor[] = contributors.filter((c) => c.publication_id === p.id).map((c) => ({
        ojsId: idOf(authorOjs, c.id),
        seq: c.seq,
        primaryContact: c.is_primary_contact,
        includeInBrowse: c.include_in_browse,
        ...(c.contributor_type ? { contributorType: c.contributor_type } : {}),
        contributorRoles: c.contributor_roles && c.contributor_roles.length > 0 ? c.contributor_roles : [c.role === 'translator' ? CONTRIBUTOR_ROLE.translator : CONTRIBUTOR_ROLE.author],
        ...(c.user_group ? { userGroupRef: c.user_group } : {}),
        givenName: nonEmpty(c.given_name),
        familyName: nonEmpty(c.family_name),
        // Contributors entered in Revista keep one affiliation in `affiliation`; imported ones all in `affiliations`.
        affiliations: c.affiliations && c.affiliations.length > 0
          ? c.affiliations
          : Object.keys(nonEmpty(c.affiliation)).length > 0 ? [{ name: c.affiliation, ...(c.ror_id ? { ror: c.ror_id } : {}) }] : [],
        ...(c.country ? { country: c.country } : {}),
        ...(c.email ? { email: c.email } : {}),
        // Addresses go out only as http(s) URLs (never a javascript: one an older import let in).
        ...(isHttpUrl(c.url) ? { url: c.url } : {}),
        ...(isHttpUrl(c.orcid) ? { orcid: c.orcid } : {}),
        biography: nonEmpty(c.biography),
      }));
      const primary = contributors.find((c) => c.publication_id === p.id && c.is_primary_contact);
      const nativeGalleys: NativeGalley[] = galleys.filter((g) => g.publication_id === p.id && (g.remote_url === null || isHttpUrl(g.remote_url))).map((g) => ({
        ojsId: idOf(galleyOjs, g.id),
        ids: [{ type: 'internal', value: String(idOf(galleyOjs, g.id)) }, ...(g.doi ? [{ type: 'doi', value: g.doi }] : [])],
        locale: g.locale,
        ...(g.url_path ? { urlPath: g.url_path } : {}),
        label: { [g.locale]: g.label },
        seq: g.seq,
        ...(g.file_id !== null && files.has(g.file_id) ? { submissionFileRef: idOf(fileOjs, g.file_id) } : {}),
        ...(g.remote_url ? { remoteUrl: g.remote_url } : {}),
      }));
      const publicationOjsId = idOf(publicationOjs, p.id);
      return {
        ojsId: publicationOjsId,
        status: PUBLICATION_STATUS[p.status] ?? 1,
        version: p.version,
        ...(p.date_published ? { datePublished: p.date_published } : {}),
        ...(p.url_path ? { urlPath: p.url_path } : {}),
        sectionRef: refs.get(p.section_id)!,
        seq: p.seq,
        ...(p.access_status !== null ? { accessStatus: p.access_status } : {}),
        ...(primary ? { primaryContactOjsId: idOf(authorOjs, primary.id) } : {}),
        ids: [{ type: 'internal', value: String(publicationOjsId) }, ...(p.doi ? [{ type: 'doi', value: p.doi }] : [])],
        title: nonEmpty(p.title),
        prefix: nonEmpty(p.prefix),
        subtitle: nonEmpty(p.subtitle),
        abstract: nonEmpty(p.abstract),
        coverage: nonEmpty(p.coverage),
        type: nonEmpty(p.type),
        source: nonEmpty(p.source),
        rights: nonEmpty(p.rights),
        ...(isHttpUrl(p.license_url) ? { licenseUrl: p.license_url } : {}),
        copyrightHolder: nonEmpty(p.copyright_holder),
        ...(p.copyright_year !== null ? { copyrightYear: p.copyright_year } : {}),
        keywords: nonEmpty(p.keywords),
        agencies: nonEmpty(p.agencies),
        languages: nonEmpty(p.languages),
        disciplines: nonEmpty(p.disciplines),
        subjects: nonEmpty(p.subjects),
        authors,
        galleys: nativeGalleys,
        citations: citations.filter((c) => c.publication_id === p.id).map((c) => c.raw_text),
        ...(p.pages ? { pages: p.pages } : {}),
        covers: cover(p.cover_file_id === null ? undefined : files.get(p.cover_file_id), p.cover_name, p.cover_alt_text),
      };
    });
    const articleOjsId = idOf(articleOjs, article.id);
    return {
      ojsId: articleOjsId,
      ids: [{ type: 'internal', value: String(articleOjsId) }],
      locale: article.locale,
      status: ARTICLE_STATUS[article.status] ?? '1',
      stage: 'production',
      ...(article.date_submitted ? { dateSubmitted: article.date_submitted } : {}),
      ...(article.current_publication_id !== null ? { currentPublicationOjsId: idOf(publicationOjs, article.current_publication_id) } : {}),
      submissionFiles,
      publications: nativePublications,
    };
  });

  const issueOjsId = idOf(issueOjs, issueId);
  // OJS writes the parts of an issue's identification that it shows.
  const shown = { volume: issue.show_volume && issue.volume !== null, number: issue.show_number && !!issue.number, year: issue.show_year && issue.year !== null, title: issue.show_title && Object.keys(nonEmpty(issue.title)).length > 0 };
  const showAll = !Object.values(shown).some(Boolean);
  return {
    ojsId: issueOjsId,
    ids: [{ type: 'internal', value: String(issueOjsId) }],
    published: issue.is_published,
    current: issue.is_current,
    ...(issue.access_status !== null ? { accessStatus: issue.access_status } : {}),
    ...(issue.url_path ? { urlPath: issue.url_path } : {}),
    description: nonEmpty(issue.description),
    identification: {
      ...((shown.volume || showAll) && issue.volume !== null ? { volume: issue.volume } : {}),
      ...((shown.number || showAll) && issue.number ? { number: issue.number } : {}),
      ...((shown.year || showAll) && issue.year !== null ? { year: issue.year } : {}),
      title: shown.title || showAll ? nonEmpty(issue.title) : {},
    },
    ...(issue.date_published ? { datePublished: issue.date_published } : {}),
    lastModified: issue.updated_at.toISOString().slice(0, 10),
    sections,
    covers: cover(issue.cover_file_id === null ? undefined : files.get(issue.cover_file_id), issue.cover_name, issue.cover_alt_text),
    galleys: issueGalleys.map((g) => {
      const file = files.get(g.file_id)!;
      // Exported under the OJS id it was imported with, so importing the export back finds it; else its own.
      const ojsId = issueGalleyOjs.get(g.id) ?? g.id;
      // OJS requires both dates of an issue file: the file's own date stands in for one not known.
      const day = file.created_at.toISOString().slice(0, 10);
      return { ojsId, locale: g.locale, label: g.label, seq: g.seq, file: storedFile(file), dateUploaded: g.date_uploaded ?? day, dateModified: g.date_modified ?? day };
    }),
    articles: nativeArticles,
  };
}
