import { sql, type Insertable, type Kysely, type Transaction } from 'kysely';
import { dropArticleVersions, forgetUnusedFiles, importArticles, recordFiles } from '../../catalog/index.ts';
import type { ArticleTable, Database } from '../../db/index.ts';
import { CONTRIBUTOR_ROLE, contributorRole, doiOf, type Localized, type NativeArticle, type NativeCover, type NativePublication, type StoredFile } from './model.ts';
import { digestOf, type Change, type StoreJournal, type StoreReport } from './store-report.ts';
import type { UnitIds } from './unit-ids.ts';

/**
 * The articles of one unit (an issue's, or one loose article), written in a few multi-row
 * statements per table rather than a dozen statements per article: an issue of a hundred articles
 * is some fifteen round trips. An article seen before (OJS id, or DOI) keeps its id and those of its
 * publications and galleys; its versions are replaced wholesale. One whose content is the same as at
 * its last import is left alone.
 */

type Db = Transaction<Database> | Kysely<Database>;

const PUBLICATION_STATUS: Record<number, 'queued' | 'scheduled' | 'published'> = { 1: 'queued', 3: 'published', 5: 'scheduled' };

function publicationStatus(p: NativePublication, issuePublished: boolean): 'queued' | 'scheduled' | 'published' {
  if (p.status !== undefined) return PUBLICATION_STATUS[p.status] ?? 'queued';
  return p.datePublished && issuePublished ? 'published' : 'queued';
}

const json = (value: unknown) => JSON.stringify(value ?? {});
const pick = (text: Localized, locale: string) => text[locale] ?? Object.values(text)[0] ?? '';
const CHUNK = 400;

/**
 * Files as `files` rows, one statement per few hundred. Each stored file gets a row of its own, with
 * its own name and type, even when the same bytes are stored for another article: a row shared
 * across articles (or journals) would give one the other's file name and type.
 */
async function fileRows(db: Db, stored: { file: StoredFile; date?: string | undefined }[]): Promise<Map<string, number>> {
  const byKey = new Map<string, number>();
  const unique = [...new Map(stored.map((f) => [f.file.storageKey, f])).values()];
  for (let i = 0; i < unique.length; i += CHUNK) {
    const rows = await recordFiles(
      db,
      unique.slice(i, i + CHUNK).map(({ file: f, date }) => {
        // OJS's date of the file (modified, else uploaded) when the document gives one: readers get it as Last-Modified.
        const day = date !== undefined ? /^\d{4}-\d{2}-\d{2}/.exec(date)?.[0] : undefined;
        const createdAt = day !== undefined && !Number.isNaN(Date.parse(`${day}T00:00:00Z`)) ? { createdAt: new Date(`${day}T00:00:00Z`) } : {};
        return { storageKey: f.storageKey, mimeType: f.mimeType, sizeBytes: f.sizeBytes, sha256: f.sha256, originalName: f.originalName || 'file', ...createdAt };
      }),
    );
    for (const row of rows) byKey.set(row.storageKey, row.id);
  }
  return byKey;
}

const fileKey = (f: StoredFile) => f.storageKey;

interface Plan {
  article: NativeArticle;
  id: number;
  change: Change;
  digest: string;
  locale: string;
  title: string;
}

export async function storeArticles(db: Db, journal: StoreJournal, articles: NativeArticle[], at: { issueId: number | null; issuePublished: boolean; refs: Map<string, number>; report: StoreReport; ids: UnitIds }): Promise<void> {
  const { report, ids, issuePublished } = at;
  if (articles.length === 0) return;

  // Articles already in the journal under one of their DOIs, for those never imported before.
  const doisOf = (a: NativeArticle) => a.publications.map((p) => doiOf(p.ids) ?? doiOf(a.ids)).filter((d): d is string => d !== undefined).map((d) => d.toLowerCase());
  const unknownDois = articles.filter((a) => !ids.get('article', a.ojsId)).flatMap(doisOf);
  const byDoi = new Map<string, number>();
  if (unknownDois.length > 0) {
    const rows = await db
      .selectFrom('publications as p')
      .innerJoin('articles as a', 'a.id', 'p.article_id')
      .select(['a.id', sql<string>`lower(p.doi)`.as('doi')])
      .where('a.journal_id', '=', journal.id)
      .where(sql<boolean>`lower(p.doi) IN (${sql.join(unknownDois)})`)
      .execute();
    for (const row of rows) byDoi.set(row.doi, row.id);
  }

  const plans: Plan[] = [];
  const needIds: Plan[] = [];
  for (const article of articles) {
    const locale = article.locale ?? journal.primaryLocale;
    const title = pick(article.publications.at(-1)!.title, locale);
    const digest = digestOf({ article, issueId: at.issueId });
    const known = ids.get('article', article.ojsId);
    const existing = known?.revista_id ?? doisOf(article).map((d) => byDoi.get(d)).find((id) => id !== undefined);
    if (existing !== undefined && known?.digest === digest) {
      // Unchanged; its files were stored again while reading, and those copies go.
      for (const f of article.submissionFiles) if (f.file?.storageKey) report.duplicateKeys.push(f.file.storageKey);
      for (const p of article.publications) for (const c of p.covers) if (c.file.storageKey) report.duplicateKeys.push(c.file.storageKey);
      report.articles.push({ change: 'unchanged', id: existing, ...(article.ojsId !== undefined ? { ojsId: article.ojsId } : {}), title });
      report.galleys += article.publications.reduce((n, p) => n + p.galleys.length, 0);
      continue;
    }
    const plan: Plan = { article, id: existing ?? ids.free('articles', article.ojsId) ?? 0, change: existing === undefined ? 'new' : 'changed', digest, locale, title };
    if (plan.id === 0) needIds.push(plan);
    plans.push(plan);
  }
  if (plans.length === 0) return;
  for (const [i, id] of (await ids.allocate('articles', needIds.length)).entries()) needIds[i]!.id = id;

  // Articles updated: their old versions go, and files nothing uses afterwards are removed below.
  const changed = plans.filter((p) => p.change === 'changed').map((p) => p.id);
  const oldFiles: number[] = [];
  if (changed.length > 0) {
    const old = await db
      .selectFrom('publications as p')
      .leftJoin('galleys as g', 'g.publication_id', 'p.id')
      .select(['g.file_id', 'p.cover_file_id'])
      .where('p.article_id', 'in', changed)
      .execute();
    for (const row of old) oldFiles.push(...[row.file_id, row.cover_file_id].filter((id): id is number => id !== null));
    await dropArticleVersions(db, changed);
  }

  const status = (plan: Plan) => {
    const current = plan.article.publications.find((p) => p.ojsId === plan.article.currentPublicationOjsId) ?? plan.article.publications.at(-1)!;
    return publicationStatus(current, issuePublished) === 'published' ? ('published' as const) : ('queued' as const);
  };
  const created = plans.filter((p) => p.change === 'new').map((p) => ({ id: p.id, journal_id: journal.id, locale: p.locale, status: status(p), date_submitted: p.article.dateSubmitted ?? null }) as Insertable<ArticleTable>);
  const updated = plans.filter((p) => p.change === 'changed').map((p) => ({ id: p.id, values: { locale: p.locale, status: status(p), date_submitted: p.article.dateSubmitted ?? null } }));

  const files = await fileRows(
    db,
    plans.flatMap((p) => [...p.article.submissionFiles.flatMap((f) => (f.file ? [{ file: f.file, date: f.updatedAt ?? f.createdAt }] : [])), ...p.article.publications.flatMap((pub) => pub.covers.slice(0, 1).map((c) => ({ file: c.file })))]),
  );
  const coverFile = (covers: NativeCover[]) => (covers[0] ? files.get(fileKey(covers[0].file))! : null);
  // One cover per version is kept: the other locales' images were stored for nothing.
  for (const plan of plans) for (const p of plan.article.publications) for (const c of p.covers.slice(1)) if (c.file.storageKey) report.duplicateKeys.push(c.file.storageKey);

  // Ids earlier imports gave to these OJS ids are kept only when no other article's rows hold them
  // (this article's old versions were deleted above): another document may share OJS ids.
  const knownIds = async (kind: 'publication' | 'galley', table: 'publications' | 'galleys', ojsIds: (number | undefined)[]) => {
    const known = ojsIds.map((id) => ids.get(kind, id)?.revista_id).filter((id): id is number => id !== undefined);
    const inUse = await ids.loadInUse(table, known);
    return (ojsId: number | undefined) => {
      const id = ids.get(kind, ojsId)?.revista_id;
      return id !== undefined && !inUse.has(id) ? id : undefined;
    };
  };
  const knownPublication = await knownIds('publication', 'publications', plans.flatMap((plan) => plan.article.publications.map((p) => p.ojsId)));
  // Publications, in version order, with ids kept, taken over from OJS, or new.
  const versions = plans.flatMap((plan) =>
    [...plan.article.publications].sort((a, b) => (a.version ?? 0) - (b.version ?? 0) || (a.ojsId ?? 0) - (b.ojsId ?? 0)).map((p, index) => ({ plan, p, index, id: knownPublication(p.ojsId) ?? ids.free('publications', p.ojsId) ?? 0 })),
  );
  const withoutId = versions.filter((v) => v.id === 0);
  for (const [i, id] of (await ids.allocate('publications', withoutId.length)).entries()) withoutId[i]!.id = id;
  for (const v of versions) {
    if (!at.refs.has(v.p.sectionRef)) throw new Error(`article “${v.plan.title}”: publication ${v.p.ojsId} names section “${v.p.sectionRef}”, which is neither in the issue’s <sections> nor in the journal`);
  }
  const publications = versions.map(({ plan, p, index, id }) => ({
    id,
    article_id: plan.id,
    version: index + 1,
    status: publicationStatus(p, issuePublished),
    locale: p.locale ?? plan.locale,
    prefix: json(p.prefix),
    title: json(p.title),
    subtitle: json(p.subtitle),
    abstract: json(p.abstract),
    keywords: json(p.keywords),
    subjects: json(p.subjects),
    section_id: at.refs.get(p.sectionRef)!,
    issue_id: at.issueId,
    seq: p.seq ?? 0,
    pages: p.pages ?? null,
    doi: doiOf(p.ids) ?? doiOf(plan.article.ids) ?? null,
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
    cover_file_id: coverFile(p.covers),
    cover_name: p.covers[0]?.fileName ?? null,
    cover_alt_text: p.covers[0]?.altText || null,
  }));

  const contributors = versions.flatMap(({ p, id }) =>
    [...p.authors]
      .sort((a, b) => a.seq - b.seq)
      .map((a, seq) => ({
        publication_id: id,
        given_name: json(a.givenName),
        family_name: json(a.familyName),
        affiliation: json(a.affiliations[0]?.name ?? {}),
        // One affiliation is kept as a contributor entered in Revista keeps it (affiliation, ror_id); several also in order here.
        affiliations: JSON.stringify(a.affiliations.length > 1 ? a.affiliations : []),
        ror_id: a.affiliations.find((x) => x.ror)?.ror ?? null,
        email: a.email ?? null,
        orcid: a.orcid ?? null,
        country: a.country ?? null,
        role: contributorRole(a),
        is_primary_contact: a.primaryContact || (a.ojsId !== undefined && a.ojsId === p.primaryContactOjsId),
        include_in_browse: a.includeInBrowse,
        seq,
        biography: json(a.biography),
        url: a.url ?? null,
        // What an OJS 3.3 user group said is kept as contributor role (see CONTRIBUTOR_ROLE), as OJS 3.5 keeps it.
        user_group: null,
        // A person who is an author is what a contributor entered in Revista is: stored as no type and no roles.
        contributor_type: a.contributorType === undefined || a.contributorType === 'PERSON' ? null : a.contributorType,
        contributor_roles: a.contributorRoles.length === 1 && a.contributorRoles[0] === CONTRIBUTOR_ROLE.author ? [] : a.contributorRoles,
      })),
  );
  // The authors' OJS ids, in the order their rows are inserted (and returned).
  const authorOjsIds = versions.flatMap(({ p }) => [...p.authors].sort((a, b) => a.seq - b.seq).map((a) => a.ojsId));
  const citations = versions.flatMap(({ p, id }) => p.citations.map((raw_text, i) => ({ publication_id: id, seq: i + 1, raw_text, parsed: null })));

  const knownGalley = await knownIds('galley', 'galleys', versions.flatMap(({ p }) => p.galleys.map((g) => g.ojsId)));
  const galleys = versions.flatMap(({ plan, p, id }) =>
    [...p.galleys]
      .sort((a, b) => a.seq - b.seq)
      .map((g) => {
        const file = g.submissionFileRef !== undefined ? plan.article.submissionFiles.find((f) => f.ojsId === g.submissionFileRef)?.file : undefined;
        return { plan, g, publicationLocale: p.locale, publicationId: id, fileId: file ? files.get(fileKey(file))! : null, id: knownGalley(g.ojsId) ?? ids.free('galleys', g.ojsId) ?? 0 };
      }),
  );
  const galleysWithoutId = galleys.filter((g) => g.id === 0);
  for (const [i, id] of (await ids.allocate('galleys', galleysWithoutId.length)).entries()) galleysWithoutId[i]!.id = id;
  const galleyRows = galleys.map(({ plan, g, publicationLocale, publicationId, fileId, id }) => {
    const locale = g.locale ?? publicationLocale ?? plan.locale;
    return { id, publication_id: publicationId, label: pick(g.label, locale), locale, file_id: fileId, remote_url: fileId === null ? (g.remoteUrl ?? null) : null, url_path: g.urlPath ?? null, seq: g.seq, doi: doiOf(g.ids) ?? null };
  });
  report.galleys += galleys.length;

  // Each article's current version.
  const current = plans.map((plan) => {
    const wanted = plan.article.publications.find((p) => p.ojsId === plan.article.currentPublicationOjsId) ?? plan.article.publications.at(-1)!;
    return { articleId: plan.id, publicationId: versions.find((v) => v.p === wanted)!.id };
  });
  // One command writes them all, a few multi-row statements per table.
  const { contributorIds } = await importArticles(db, { created, updated, publications, contributors, citations, galleys: galleyRows, current });
  for (const [i, id] of contributorIds.entries()) ids.remember('author', authorOjsIds[i], id);

  for (const v of versions) ids.remember('publication', v.p.ojsId, v.id);
  for (const g of galleys) ids.remember('galley', g.g.ojsId, g.id);
  for (const plan of plans) {
    for (const f of plan.article.submissionFiles) if (f.file) ids.remember('submission_file', f.ojsId, files.get(fileKey(f.file))!);
    ids.remember('article', plan.article.ojsId, plan.id, plan.digest);
    report.articles.push({ change: plan.change, id: plan.id, ...(plan.article.ojsId !== undefined ? { ojsId: plan.article.ojsId } : {}), title: plan.title });
  }
  await removeUnusedFiles(db, [...new Set(oldFiles)], report);
}

/** Files the replaced versions used that no row uses now: rows deleted, bytes removed after the commit. */
export async function removeUnusedFiles(db: Db, fileIds: number[], report: StoreReport): Promise<void> {
  if (fileIds.length === 0) return;
  report.orphanKeys.push(...(await forgetUnusedFiles(db, fileIds)));
}
