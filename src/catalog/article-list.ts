import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { Database, LocalizedText } from '../db/schema.ts';
import type { Db } from './db.ts';

/**
 * The journal team's list of every article of a journal (issue 17, item 8): published, waiting in a
 * future issue, or unpublished — each by its current version. Section editors see their sections only.
 */

/** Where an article stands for readers: on the site, waiting in an unpublished issue, or off the site. */
export type ArticleStanding = 'published' | 'scheduled' | 'unpublished';
export const ARTICLE_STANDINGS: readonly ArticleStanding[] = ['published', 'scheduled', 'unpublished'];
export const ARTICLE_SORTS = ['title', 'published', 'issue', 'id'] as const;
export type ArticleSort = (typeof ARTICLE_SORTS)[number];

export interface ArticleListQuery {
  /** Words of the title, a contributor's name, or a DOI. */
  search?: string;
  issueId?: number;
  sectionId?: number;
  standing?: ArticleStanding;
  sort?: ArticleSort;
  dir?: 'asc' | 'desc';
  page?: number;
  pageSize?: number;
  /** A section editor's sections: only their articles. Absent: every section. */
  sectionIds?: readonly number[];
}

export interface ArticleListEntry {
  articleId: number;
  publicationId: number;
  title: LocalizedText;
  authors: string;
  doi: string | null;
  sectionId: number;
  sectionTitle: LocalizedText;
  issueId: number | null;
  issue: { volume: number | null; number: string | null; year: number | null; title: LocalizedText } | null;
  datePublished: string | null;
  version: number;
  standing: ArticleStanding;
}

export const ARTICLE_PAGE_SIZE = 25;

/** The standing of the current version `p` (issue `i`), as SQL. */
const standingSql = sql<ArticleStanding>`CASE
  WHEN p.issue_id IS NOT NULL AND NOT i.is_published THEN 'scheduled'
  WHEN p.status = 'published' THEN 'published'
  ELSE 'unpublished' END`;

/** The article `a` is not a submission still being drafted by its author. */
export const notADraft = sql<SqlBool>`NOT EXISTS (SELECT 1 FROM submissions d WHERE d.id = a.id AND d.status = 'draft')`;

function baseQuery(db: Db, journalId: number, sectionIds: readonly number[] | undefined) {
  let query = db
    .selectFrom('articles as a')
    .innerJoin('publications as p', 'p.id', 'a.current_publication_id')
    .innerJoin('sections as s', 's.id', 'p.section_id')
    .leftJoin('issues as i', 'i.id', 'p.issue_id')
    .where('a.journal_id', '=', journalId)
    // An author's unfinished draft (workflow) is theirs alone; a submitted manuscript is listed.
    .where(notADraft);
  // An empty list of sections (a section editor without any) matches nothing, as it should.
  if (sectionIds !== undefined) query = sectionIds.length === 0 ? query.where(sql<SqlBool>`false`) : query.where('p.section_id', 'in', [...sectionIds]);
  return query;
}

/** A page of the journal's articles and how many match in all; three queries whatever the page. */
export async function listJournalArticles(db: Db, journalId: number, q: ArticleListQuery = {}): Promise<{ articles: ArticleListEntry[]; total: number }> {
  const pageSize = q.pageSize ?? ARTICLE_PAGE_SIZE;
  const page = Math.max(1, q.page ?? 1);
  let query = baseQuery(db, journalId, q.sectionIds);
  if (q.issueId !== undefined) query = query.where('p.issue_id', '=', q.issueId);
  if (q.sectionId !== undefined) query = query.where('p.section_id', '=', q.sectionId);
  if (q.standing !== undefined) query = query.where(sql<SqlBool>`(${standingSql}) = ${q.standing}`);
  const search = (q.search ?? '').trim().slice(0, 200);
  if (search !== '') {
    // ILIKE on the title and names of the current version: a journal has thousands of articles, not millions.
    const pattern = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const doi = search.replace(/^https?:\/\/(dx\.)?doi\.org\//i, '');
    query = query.where((eb) =>
      eb.or([
        eb(sql`p.title::text`, 'ilike', pattern),
        eb(sql`lower(p.doi)`, '=', doi.toLowerCase()),
        eb.exists(
          eb
            .selectFrom('contributors as c')
            .select('c.id')
            .whereRef('c.publication_id', '=', 'p.id')
            .where(sql<SqlBool>`(c.given_name::text || ' ' || c.family_name::text || ' ' || coalesce(c.email, '')) ILIKE ${pattern}`),
        ),
        ...(/^\d{1,9}$/.test(search) ? [eb('a.id', '=', Number(search))] : []),
      ]) as Expression<SqlBool>,
    );
  }
  const dir = q.dir === 'desc' ? 'desc' : 'asc';
  const nulls = sql.raw(dir === 'asc' ? 'ASC NULLS LAST' : 'DESC NULLS LAST');
  const order = {
    title: sql`lower(coalesce(p.title->>a.locale, p.title->>'en', p.title::text)) ${nulls}`,
    published: sql`p.date_published ${nulls}`,
    issue: sql`i.year ${nulls}, i.volume ${nulls}, i.number ${nulls}`,
    id: sql`a.id ${sql.raw(dir)}`,
  }[q.sort ?? 'id'];
  const [rows, count] = await Promise.all([
    query
      .select([
        'a.id as articleId',
        'p.id as publicationId',
        'p.title',
        'p.doi',
        'p.version',
        'p.date_published as datePublished',
        's.id as sectionId',
        's.title as sectionTitle',
        'i.id as issueId',
        'i.volume',
        'i.number',
        'i.year',
        'i.title as issueTitle',
      ])
      .select(standingSql.as('standing'))
      .orderBy(order)
      .orderBy('a.id', 'desc')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
    query.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  const authors = new Map<number, string[]>();
  if (rows.length > 0) {
    const contributors = await db
      .selectFrom('contributors')
      .select(['publication_id', 'given_name', 'family_name'])
      .where('publication_id', 'in', rows.map((r) => r.publicationId))
      .orderBy('publication_id')
      .orderBy('seq')
      .execute();
    for (const c of contributors) {
      const name = [Object.values(c.given_name)[0] ?? '', Object.values(c.family_name)[0] ?? ''].join(' ').trim();
      if (name) authors.set(c.publication_id, [...(authors.get(c.publication_id) ?? []), name]);
    }
  }
  return {
    total: Number(count.n),
    articles: rows.map((r) => ({
      articleId: r.articleId,
      publicationId: r.publicationId,
      title: r.title,
      authors: (authors.get(r.publicationId) ?? []).join(', '),
      doi: r.doi,
      sectionId: r.sectionId,
      sectionTitle: r.sectionTitle,
      issueId: r.issueId,
      issue: r.issueId === null ? null : { volume: r.volume, number: r.number, year: r.year, title: r.issueTitle ?? {} },
      datePublished: r.datePublished,
      version: r.version,
      standing: r.standing,
    })),
  };
}

export type ArticleCounts = Record<ArticleStanding, number> & { total: number };

/**
 * How many of the journal's articles stand where, for the management overview's cards; with
 * `sectionIds` (a section editor's) only those sections' articles. One query.
 */
export async function articleCounts(db: Db, journalId: number, sectionIds?: readonly number[]): Promise<ArticleCounts> {
  const rows = await baseQuery(db, journalId, sectionIds)
    .select([standingSql.as('standing'), (eb) => eb.fn.countAll<string>().as('n')])
    .groupBy(sql`1`)
    .execute();
  const counts: ArticleCounts = { published: 0, scheduled: 0, unpublished: 0, total: 0 };
  for (const row of rows) {
    counts[row.standing] = Number(row.n);
    counts.total += Number(row.n);
  }
  return counts;
}
