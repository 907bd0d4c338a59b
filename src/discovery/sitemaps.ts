import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { sql, type Kysely } from 'kysely';
import { findJournal, listJournals, visibleCurrentPublications, type JournalSummary } from '../catalog/index.ts';
import type { Database } from '../db/index.ts';
import { etagOf, NotFoundError, sendValidated, type PublicPage } from '../platform/http/index.ts';
import { createPageCache, JOURNAL_PATH } from '../platform/web/index.ts';
import type { DiscoveryDeps } from './deps.ts';
import { escapeXml } from './xml.ts';

type Db = Kysely<Database>;

/** sitemaps.org: at most 50,000 URLs (and 50 MB) in one sitemap file. */
export const SITEMAP_MAX_URLS = 50_000;
const SITEMAP_NS = 'http://www.sitemaps.org/schemas/sitemap/0.9';
const journalParams = Type.Object({ journal: Type.String({ pattern: JOURNAL_PATH }) });

/**
 * Visible articles of the given journals, as a query to select from: the current publication is
 * published, its issue (if any) is published, the journal is enabled. The same rule as the catalog's
 * loaders (loadPublishedArticles), written as a query here so sitemaps and feeds can count, order
 * and page over many articles without loading them.
 */
export function visibleArticles(db: Db, journalIds: number[]) {
  return visibleCurrentPublications(db)
    .leftJoin('oai_records as o', 'o.article_id', 'a.id')
    .where('a.journal_id', 'in', journalIds.length > 0 ? journalIds : [-1]);
}

/**
 * When an article's page last changed: the article, its current version, or — through the OAI
 * record's datestamp, which triggers move — its contributors, references, galleys or issue.
 */
const articleLastmod = sql<Date>`greatest(a.updated_at, p.updated_at, o.datestamp)`;

/** W3C Datetime as sitemaps want it: seconds, UTC. */
export function w3cDatetime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function latest(...dates: (Date | null | undefined)[]): Date {
  return dates.reduce<Date>((max, d) => (d && d > max ? d : max), new Date(0));
}


interface JournalStats {
  journalUpdatedAt: Date;
  /** Published issues, and the newest change to one of them (not counting their articles). */
  issues: number;
  issuesUpdatedAt: Date;
  /** URLs in the journal's sitemap: home, archive, issues, articles, galleys. */
  urls: number;
  /** The newest change to anything the journal's sitemap lists. */
  lastmod: Date;
}

/** Sizes and last changes of the journals' sitemaps, with four queries whatever their number. */
async function journalStats(db: Db, journalIds: number[]): Promise<Map<number, JournalStats>> {
  const stats = new Map<number, JournalStats>();
  if (journalIds.length === 0) return stats;
  const [journals, issues, articles, galleys] = await Promise.all([
    db.selectFrom('journals').select(['id', 'updated_at']).where('id', 'in', journalIds).execute(),
    db
      .selectFrom('issues')
      .select((eb) => ['journal_id', eb.fn.countAll<number>().as('n'), eb.fn.max('updated_at').as('lastmod')])
      .where('journal_id', 'in', journalIds)
      .where('is_published', '=', true)
      .groupBy('journal_id')
      .execute(),
    visibleArticles(db, journalIds)
      .select((eb) => ['a.journal_id', eb.fn.countAll<number>().as('n'), sql<Date>`max(${articleLastmod})`.as('lastmod')])
      .groupBy('a.journal_id')
      .execute(),
    visibleArticles(db, journalIds)
      .innerJoin('galleys as g', 'g.publication_id', 'p.id')
      .select((eb) => ['a.journal_id', eb.fn.countAll<number>().as('n')])
      .groupBy('a.journal_id')
      .execute(),
  ]);
  for (const j of journals) stats.set(j.id, { journalUpdatedAt: j.updated_at, issues: 0, issuesUpdatedAt: new Date(0), urls: 2, lastmod: j.updated_at });
  const add = (journalId: number, n: number | string, lastmod?: Date | null) => {
    const s = stats.get(journalId);
    if (!s) return undefined;
    s.urls += Number(n);
    s.lastmod = latest(s.lastmod, lastmod);
    return s;
  };
  for (const r of issues) {
    const s = add(r.journal_id, r.n, r.lastmod);
    if (s) {
      s.issues = Number(r.n);
      s.issuesUpdatedAt = latest(r.lastmod);
    }
  }
  for (const r of articles) add(r.journal_id, r.n, r.lastmod);
  for (const r of galleys) add(r.journal_id, r.n);
  return stats;
}

function pageCount(stats: JournalStats | undefined): number {
  return Math.max(1, Math.ceil((stats?.urls ?? 0) / SITEMAP_MAX_URLS));
}

function journalSitemapUrl(baseUrl: string, journal: JournalSummary, page: number): string {
  return page === 1 ? `${baseUrl}/${journal.path}/sitemap.xml` : `${baseUrl}/${journal.path}/sitemap-${page}.xml`;
}


/** Text for element content: escaped as sitemaps.org asks, and without characters XML cannot carry. */

/**
 * Writes the two-level shape every sitemap file has (`<urlset><url><loc/><lastmod/></url>…`) as plain
 * text: no document tree, so a page of 50,000 URLs costs its text and little time.
 */
function sitemapWriter(root: 'urlset' | 'sitemapindex', item: 'url' | 'sitemap'): { add(loc: string, lastmod?: Date): void; end(): string } {
  const parts = [`<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${SITEMAP_NS}">\n`];
  return {
    add(loc, lastmod) {
      parts.push(`  <${item}>\n    <loc>${escapeXml(loc)}</loc>\n${lastmod ? `    <lastmod>${w3cDatetime(lastmod)}</lastmod>\n` : ''}  </${item}>\n`);
    },
    end() {
      parts.push(`</${root}>\n`);
      return parts.join('');
    },
  };
}

/** The sitemap index: one entry per page of every enabled journal's sitemap. */
export async function sitemapIndex(db: Db, baseUrl: string): Promise<string> {
  const journals = await listJournals(db);
  const stats = await journalStats(
    db,
    journals.map((j) => j.id),
  );
  const index = sitemapWriter('sitemapindex', 'sitemap');
  for (const journal of journals) {
    const s = stats.get(journal.id);
    for (let page = 1; page <= pageCount(s); page++) index.add(journalSitemapUrl(baseUrl, journal, page), s?.lastmod);
  }
  return index.end();
}

/**
 * One page of a journal's sitemap, or undefined past the last page. The URLs form one list — home,
 * archive, issues (newest first), then articles by id, each followed by its galleys — cut into pages
 * of SITEMAP_MAX_URLS; articles come in id order so new ones land on the last page.
 */
export async function journalSitemap(db: Db, baseUrl: string, journal: JournalSummary, page: number): Promise<string | undefined> {
  const stats = (await journalStats(db, [journal.id])).get(journal.id);
  if (!stats || page < 1 || page > pageCount(stats)) return undefined;
  const home = `${baseUrl}/${journal.path}`;
  const urls = sitemapWriter('urlset', 'url');
  const url = (loc: string, lastmod: Date) => urls.add(loc, lastmod);

  // Home, archive and issues open page 1; the article list runs on from there across the pages.
  const fixed = 2 + Math.min(stats.issues, SITEMAP_MAX_URLS - 2);
  if (page === 1) {
    url(home, stats.lastmod);
    url(`${home}/issue/archive`, latest(stats.journalUpdatedAt, stats.issuesUpdatedAt));
    for (const issue of await publishedIssues(db, journal.id, fixed - 2)) url(`${home}/issue/view/${issue.id}`, issue.lastmod);
  }
  const offset = page === 1 ? 0 : (page - 1) * SITEMAP_MAX_URLS - fixed;
  const limit = page === 1 ? SITEMAP_MAX_URLS - fixed : SITEMAP_MAX_URLS;
  if (limit > 0) {
    for (const row of await articleUrls(db, journal.id, offset, limit)) {
      const loc = row.galley_id === null ? `${home}/article/view/${row.article_id}` : `${home}/article/download/${row.article_id}/${row.galley_id}`;
      url(loc, row.lastmod);
    }
  }
  return urls.end();
}

/** Published issues in archive order, each with its last change: its own, or of an article in it. */
async function publishedIssues(db: Db, journalId: number, limit: number) {
  const articles = visibleArticles(db, [journalId])
    .where('p.issue_id', 'is not', null)
    .select(['p.issue_id', sql<Date>`max(${articleLastmod})`.as('lastmod')])
    .groupBy('p.issue_id');
  const rows = await db
    .selectFrom('issues as i')
    .leftJoin(articles.as('x'), 'x.issue_id', 'i.id')
    .select(['i.id', 'i.updated_at', 'x.lastmod'])
    .where('i.journal_id', '=', journalId)
    .where('i.is_published', '=', true)
    .orderBy(sql`i.date_published DESC NULLS LAST`)
    .orderBy(sql`i.year DESC NULLS LAST`)
    .orderBy(sql`i.volume DESC NULLS LAST`)
    .orderBy('i.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, lastmod: latest(r.updated_at, r.lastmod) }));
}

/** One window of the journal's article and galley URLs, in one query. */
async function articleUrls(db: Db, journalId: number, offset: number, limit: number) {
  const articles = visibleArticles(db, [journalId]).select([
    'a.id as article_id',
    sql<number | null>`NULL::integer`.as('galley_id'),
    sql<number>`-1`.as('galley_seq'),
    articleLastmod.as('lastmod'),
  ]);
  // A galley's bytes change only with its file; a remote galley follows the article.
  const galleys = visibleArticles(db, [journalId])
    .innerJoin('galleys as g', 'g.publication_id', 'p.id')
    .leftJoin('files as f', 'f.id', 'g.file_id')
    .select(['a.id as article_id', 'g.id as galley_id', 'g.seq as galley_seq', sql<Date>`coalesce(f.created_at, ${articleLastmod})`.as('lastmod')]);
  return articles.unionAll(galleys).orderBy('article_id').orderBy('galley_seq').orderBy('galley_id').limit(limit).offset(offset).execute();
}

export function robotsTxt(baseUrl: string): string {
  return ['User-agent: *', 'Disallow: /admin/', 'Disallow: /*/management/', 'Disallow: /user/', 'Disallow: /*/user/', '', `Sitemap: ${baseUrl}/sitemap.xml`, ''].join('\n');
}

const XML = 'application/xml; charset=utf-8';

/** Sitemaps (sitemaps.org 0.9) and robots.txt. */
export function sitemapRoutes(plain: FastifyInstance, deps: DiscoveryDeps): void {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  const { db, baseUrl } = deps;
  // Few entries: a full sitemap page is megabytes. Any catalog change retires them all.
  const cache = createPageCache(deps.changes, { maxEntries: 8, enabled: true });
  const robotsBody = robotsTxt(baseUrl);
  const robots = { body: robotsBody, etag: etagOf(robotsBody) };

  app.get('/robots.txt', async (request, reply) => sendValidated(request, reply, robots, 'text/plain; charset=utf-8'));

  app.get('/sitemap.xml', async (request, reply) => sendValidated(request, reply, await cache.get('sitemap-index', () => sitemapIndex(db, baseUrl)), XML));

  const journalPage = async (request: FastifyRequest, reply: FastifyReply, path: string, page: number) => {
    const body = await cache.get(`sitemap:${path}:${page}`, async () => {
      const journal = await findJournal(db, path);
      const xml = journal && (await journalSitemap(db, baseUrl, journal, page));
      if (xml === undefined) throw new NotFoundError();
      return xml;
    });
    return sendValidated(request, reply, body, XML);
  };
  app.get('/:journal/sitemap.xml', { schema: { params: journalParams } }, async (request, reply) => journalPage(request, reply, request.params.journal, 1));
  // OJS's address of the same sitemap.
  app.get('/:journal/sitemap', { schema: { params: journalParams } }, async (request, reply) => journalPage(request, reply, request.params.journal, 1));
  app.get(
    '/:journal/sitemap-:page(^[1-9]\\d{0,5}).xml',
    { schema: { params: Type.Object({ journal: Type.String({ pattern: JOURNAL_PATH }), page: Type.String({ pattern: '^[1-9][0-9]{0,5}$' }) }) } },
    async (request, reply) => {
      const { params } = request;
      const page = Number(params.page);
      // Page 1 has one address only.
      if (page === 1) return reply.redirect(`/${params.journal}/sitemap.xml`, 301);
      return journalPage(request, reply, params.journal, page);
    },
  );
}
