import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Kysely } from 'kysely';
import {
  findArticleGalleyForPolicy,
  findArticleVersion,
  findCurrentIssue,
  findGalleyFile,
  findIssueGalleyFile,
  findIssueGalleyForPolicy,
  findJournal,
  findPublishedArticle,
  findPublishedIssue,
  listJournals,
  listPublishedIssues,
  listPublishedVersions,
  loadIssueContents,
  type ContentChanges,
  type GalleyFile,
  type GalleyForPolicy,
  type JournalSummary,
} from '../catalog/index.ts';
import type { Database } from '../db/index.ts';
import { can } from '../policies.ts';
import { ArticleHead } from '../discovery/index.ts';
import { monthlyDownloads, UsageBody, type MonthlyCount, type UsageHit, type UsageRecorder } from '../stats/index.ts';
import { trustedHtml, type SafeHtml } from '#jsx/jsx-runtime';
import { CITATION_STYLES, citationDownload, formatCitation } from '../exports/index.ts';
import { etagOf, sendPublicPage, type PublicPage } from '../http/index.ts';
import { NotFoundError, parseId, requestUrl, type ErrorPages } from '../http/index.ts';
import { createPageCache } from '../http/index.ts';
import type { FileStore } from '../storage/index.ts';
import { NotFoundPage, ErrorPage, ForbiddenPage, type PageContext } from '../ui/index.ts';
import { contextForRequest, DEFAULT_SITE, pageCacheKey, type SiteInfo } from './context.ts';
import { sendGalley } from './galley-download.ts';
import { remoteGalleyTarget } from './remote-galley.ts';
import { currentAnnouncements, journalPageRoutes } from './journal-pages.ts';
import { ArticlePage } from './views/article.tsx';
import { ArchivePage, IssuePage, JournalHomePage, SiteIndexPage } from './views/pages.tsx';

export { issueLabel, issueNumbering, contributorName, linkifyReference } from './format.ts';
export { contextForRequest, DEFAULT_SITE, BUILTIN_NAVIGATION_TARGETS, defaultNavigation, navigationHref, type SiteInfo } from './context.ts';

export interface ReaderOptions {
  /** Usage recording (COUNTER); absent, nothing is counted. */
  usage?: UsageRecorder;
  db: Kysely<Database>;
  baseUrl: string;
  files: FileStore;
  changes: ContentChanges;
  pageCache: boolean;
  /** Where an old (OJS) address that Revista does not know now lives, if anywhere: answered with 301. */
  legacyTarget?: (url: string) => Promise<string | undefined>;
  /** The article page's "Similar articles" block (discovery/search); absent, the page has none. */
  similarArticles?: (ctx: PageContext, articleId: number) => Promise<SafeHtml>;
}

export const ARCHIVE_PAGE_SIZE = 10;

/** Where the article page's usage block goes in a cached page; filled in per request. */
const USAGE_MARK = '<!--revista:usage-->';
const USAGE_SECTION = '<section class="usage"';

const JOURNAL_PATH = '^[a-z0-9][a-z0-9-]*$';
const journalParams = Type.Object({ journal: Type.String({ pattern: JOURNAL_PATH }) });
const journalIdParams = Type.Object({ journal: Type.String({ pattern: JOURNAL_PATH }), id: Type.String() });

/** Values that change only when the catalog does, kept until the next change. */
function memoByGeneration<K, V>(changes: ContentChanges, load: (key: K) => Promise<V>): (key: K) => Promise<V> {
  const values = new Map<K, V>();
  let generation = -1;
  return async (key) => {
    const current = changes.generation();
    if (current !== generation || !changes.reliable()) {
      values.clear();
      generation = current;
    }
    if (values.has(key)) return values.get(key) as V;
    const value = await load(key);
    if (changes.generation() === current && values.size < 1000) values.set(key, value);
    return value;
  };
}

/**
 * The public reader site: journals, issues, articles and galley downloads, in the reader's language.
 * Pages are rendered on the server and work without JavaScript.
 */
export async function readerPlugin(app: FastifyInstance, options: ReaderOptions & { pages: ErrorPages }): Promise<void> {
  const { db, files, changes, pages } = options;
  const cache = createPageCache(changes, { maxEntries: 2000, enabled: options.pageCache });
  const site = memoByGeneration<'site', SiteInfo>(changes, async () => {
    const row = await db.selectFrom('site').select(['title', 'primary_locale', 'supported_locales']).executeTakeFirst();
    const info = row ? { title: row.title, primaryLocale: row.primary_locale, supportedLocales: row.supported_locales } : DEFAULT_SITE;
    return { ...info, baseUrl: options.baseUrl };
  });
  const journalByPath = memoByGeneration(changes, (path: string) => findJournal(db, path));
  // Download counts move without catalog changes: kept a few seconds, so a page shows them within seconds.
  const downloadCache = new Map<number, { at: number; months: MonthlyCount[] }>();
  async function downloadsOf(articleId: number): Promise<MonthlyCount[]> {
    const hit = downloadCache.get(articleId);
    if (hit && Date.now() - hit.at < 5000) return hit.months;
    const months = await monthlyDownloads(db, articleId);
    if (downloadCache.size > 5000) downloadCache.clear();
    downloadCache.set(articleId, { at: Date.now(), months });
    return months;
  }

  async function journalOr404(path: string): Promise<JournalSummary> {
    const journal = await journalByPath(path);
    if (!journal) throw new NotFoundError(`no journal ${path}`);
    return journal;
  }

  const finished = new Map<string, PublicPage>();

  /** Counts a view of a page that exists (journal home, issue table of contents), then lets it go out. */
  function countView(hit: Omit<UsageHit, 'ip' | 'userAgent'>) {
    return async (html: string, request: FastifyRequest): Promise<string> => {
      void options.usage?.record({ ...hit, ip: request.ip, userAgent: request.headers['user-agent'] }).catch((error: unknown) => request.log.error({ err: error }, 'usage event not recorded'));
      return html;
    };
  }

  /** Renders through the page cache and sends with validators (ETag, 304). */
  async function page(request: FastifyRequest, reply: FastifyReply, ctx: PageContext, render: () => Promise<string | null>, finish?: (html: string, request: FastifyRequest) => Promise<string>): Promise<FastifyReply> {
    if (ctx.viewer) {
      // A signed-in person's page carries their name and form token: rendered for them alone, never cached.
      const rendered = await render();
      if (rendered === null) throw new NotFoundError();
      const html = finish ? await finish(rendered, request) : rendered;
      return reply.header('cache-control', 'private, no-store').type('text/html; charset=utf-8').send(html);
    }
    const rendered = await cache.get(pageCacheKey(ctx), async () => {
      const html = await render();
      if (html === null) throw new NotFoundError();
      return html;
    });
    if (finish) {
      // Parts that change without a catalog change (usage counts) are filled in after the cache. The
      // finished page is kept too, keyed by the cached page and those parts, so an unchanged page is
      // neither rebuilt, hashed nor encoded again.
      const body = await finish(rendered.body, request);
      if (body === rendered.body) return sendPublicPage(request, reply, rendered);
      const key = `${rendered.etag}${body.slice(body.indexOf(USAGE_SECTION))}`;
      let done = finished.get(key);
      if (!done) {
        done = { body, etag: etagOf(body), bytes: Buffer.from(body) };
        if (finished.size > 500) finished.clear();
        finished.set(key, done);
      }
      return sendPublicPage(request, reply, done);
    }
    return sendPublicPage(request, reply, rendered);
  }

  app.get('/', async (request, reply) => {
    const ctx = contextForRequest(request, reply, await site('site'));
    return page(request, reply, ctx, async () => String(SiteIndexPage({ ctx, journals: await listJournals(db) })));
  });

  app.get('/:journal', { schema: { params: journalParams } }, async (request, reply) => {
    const { journal: path } = request.params as { journal: string };
    const journal = await journalOr404(path);
    const ctx = contextForRequest(request, reply, await site('site'), journal);
    return page(request, reply, ctx, async () => {
      const issue = await findCurrentIssue(db, journal.id);
      const [current, announcements] = await Promise.all([issue ? loadIssueContents(db, journal.id, issue) : undefined, currentAnnouncements(db, journal.id, 3)]);
      return String(JournalHomePage({ ctx, journal, current, announcements }));
    }, countView({ journalId: journal.id, kind: 'home' }));
  });

  app.get('/:journal/issue/current', { schema: { params: journalParams } }, async (request, reply) => {
    const { journal: path } = request.params as { journal: string };
    const journal = await journalOr404(path);
    const issue = await findCurrentIssue(db, journal.id);
    return reply.redirect(issue ? `/${journal.path}/issue/view/${issue.id}` : `/${journal.path}`, 302);
  });

  const archive = async (request: FastifyRequest, reply: FastifyReply) => {
    const params = request.params as { journal: string; page?: string };
    const journal = await journalOr404(params.journal);
    const pageNumber = params.page === undefined ? 1 : parseId(params.page);
    const ctx = contextForRequest(request, reply, await site('site'), journal);
    return page(request, reply, ctx, async () => {
      const { issues, total } = await listPublishedIssues(db, journal.id, { limit: ARCHIVE_PAGE_SIZE, offset: (pageNumber - 1) * ARCHIVE_PAGE_SIZE });
      const pages = Math.max(1, Math.ceil(total / ARCHIVE_PAGE_SIZE));
      if (pageNumber > pages) return null;
      return String(ArchivePage({ ctx, journal, issues, page: pageNumber, pages }));
    });
  };
  app.get('/:journal/issue/archive', { schema: { params: journalParams } }, archive);
  app.get('/:journal/issue/archive/:page', { schema: { params: Type.Object({ journal: Type.String({ pattern: JOURNAL_PATH }), page: Type.String() }) } }, archive);

  app.get('/:journal/issue/view/:id', { schema: { params: journalIdParams } }, async (request, reply) => {
    const params = request.params as { journal: string; id: string };
    const journal = await journalOr404(params.journal);
    const issueId = parseId(params.id);
    const ctx = contextForRequest(request, reply, await site('site'), journal);
    return page(request, reply, ctx, async () => {
      const issue = await findPublishedIssue(db, journal.id, issueId);
      if (!issue) return null;
      return String(IssuePage({ ctx, journal, contents: await loadIssueContents(db, journal.id, issue) }));
    }, countView({ journalId: journal.id, issueId, kind: 'toc' }));
  });

  app.get('/:journal/article/view/:id', { schema: { params: journalIdParams } }, async (request, reply) => {
    const params = request.params as { journal: string; id: string };
    const journal = await journalOr404(params.journal);
    const articleId = parseId(params.id);
    const ctx = contextForRequest(request, reply, await site('site'), journal);
    const response = await page(
      request,
      reply,
      ctx,
      async () => {
      const article = await findPublishedArticle(db, journal.id, articleId);
      if (!article) return null;
      const input = { article, journal, baseUrl: options.baseUrl };
      const requested = ctx.query.get('citationStyle');
      const styleId = CITATION_STYLES.some((s) => s.id === requested) ? requested! : 'apa';
      const citation = { html: formatCitation(input, styleId, ctx.locale, 'html'), styleId, styles: CITATION_STYLES };
      const versions = await listPublishedVersions(db, article.id, article.publicationId);
      return String(ArticlePage({ ctx, journal, article, citation, versions, usage: trustedHtml(USAGE_MARK), head: ArticleHead({ input, pageLocale: ctx.locale }), similar: options.similarArticles ? await options.similarArticles(ctx, article.id) : undefined }));
      },
      async (html) => {
        // The page exists (a 404 never gets here): count the view (COUNTER Investigation). Page views are
        // written in the next group commit without holding the page back; downloads wait for theirs.
        void options.usage?.record({ journalId: journal.id, articleId, kind: 'investigation', ip: request.ip, userAgent: request.headers['user-agent'] }).catch((error: unknown) => request.log.error({ err: error }, 'usage event not recorded'));
        return html.replace(USAGE_MARK, String(UsageBody({ ctx, months: await downloadsOf(articleId) })));
      },
    );
    return response;
  });

  // An earlier version (OJS 3.2+: /{journal}/article/view/{id}/version/{publicationId}): its own text and
  // files, not indexed, without the meta tags indexers read (those describe the current version only).
  app.get(
    '/:journal/article/view/:id/version/:publicationId',
    { schema: { params: Type.Object({ journal: Type.String({ pattern: JOURNAL_PATH }), id: Type.String(), publicationId: Type.String() }) } },
    async (request, reply) => {
      const params = request.params as { journal: string; id: string; publicationId: string };
      const journal = await journalOr404(params.journal);
      const articleId = parseId(params.id);
      const publicationId = parseId(params.publicationId);
      const ctx = contextForRequest(request, reply, await site('site'), journal);
      return page(request, reply, ctx, async () => {
        const found = await findArticleVersion(db, journal.id, articleId, publicationId);
        if (!found) return null;
        const versions = await listPublishedVersions(db, articleId, found.current.publicationId);
        return String(ArticlePage({ ctx, journal, article: found.version, versions, newerVersionHref: `/${journal.path}/article/view/${articleId}` }));
      });
    },
  );

  app.get(
    '/:journal/article/download/:id/:galleyId',
    { schema: { params: Type.Object({ journal: Type.String({ pattern: JOURNAL_PATH }), id: Type.String(), galleyId: Type.String() }) } },
    async (request, reply) => {
      const params = request.params as { journal: string; id: string; galleyId: string };
      const journal = await journalOr404(params.journal);
      const articleId = parseId(params.id);
      const galleyId = parseId(params.galleyId);
      const published = await findGalleyFile(db, journal.id, articleId, galleyId);
      // Not visible to readers: editors of its section (and, with the workflow, its authors) may still download it.
      const found = published ?? allowedGalley(request, await findArticleGalleyForPolicy(db, journal.id, articleId, galleyId));
      if (!found) throw new NotFoundError('no such galley');
      // A remote galley leads only to an http(s) address a Location header can carry; else it is missing.
      const remoteUrl = found.remoteUrl === null ? null : remoteGalleyTarget(found.remoteUrl);
      if (remoteUrl === undefined) throw new NotFoundError('remote galley address unusable');
      const galley = { ...found, remoteUrl };
      // A download is a COUNTER Request; it is committed before the file is sent. Previews are no usage.
      if (published && request.method === 'GET' && !request.headers.range) {
        await options.usage?.record({ journalId: journal.id, articleId, galleyId: galley.galleyId, kind: 'request', ip: request.ip, userAgent: request.headers['user-agent'] }, { urgent: true });
      }
      return sendGalley(request, reply, files, galley, published ? 'public' : 'private');
    },
  );

  // An issue's own galley (OJS: /{journal}/issue/download/{issue}/{galley}); of an unpublished issue for its editors only.
  app.get(
    '/:journal/issue/download/:id/:galleyId',
    { schema: { params: Type.Object({ journal: Type.String({ pattern: JOURNAL_PATH }), id: Type.String(), galleyId: Type.String() }) } },
    async (request, reply) => {
      const params = request.params as { journal: string; id: string; galleyId: string };
      const journal = await journalOr404(params.journal);
      const [issueId, galleyId] = [parseId(params.id), parseId(params.galleyId)];
      const published = await findIssueGalleyFile(db, journal.id, issueId, galleyId);
      const galley = published ?? allowedGalley(request, await findIssueGalleyForPolicy(db, journal.id, issueId, galleyId));
      if (!galley) throw new NotFoundError('no such issue galley');
      return sendGalley(request, reply, files, galley, published ? 'public' : 'private');
    },
  );

  // OJS's citation downloads: /{journal}/citationstylelanguage/download/{format}?submissionId={id}.
  app.get(
    '/:journal/citationstylelanguage/download/:format',
    { schema: { params: Type.Object({ journal: Type.String({ pattern: JOURNAL_PATH }), format: Type.String() }) } },
    async (request, reply) => {
      const params = request.params as { journal: string; format: string };
      const journal = await journalOr404(params.journal);
      const article = await findPublishedArticle(db, journal.id, parseId(String((request.query as { submissionId?: string }).submissionId ?? '')));
      if (!article) throw new NotFoundError('no such article');
      const download = citationDownload(params.format, { article, journal, baseUrl: options.baseUrl });
      if (!download) throw new NotFoundError(`no citation format ${params.format}`);
      return reply
        .type(download.contentType)
        .header('content-disposition', `attachment; filename="${journal.path}-${article.id}.${download.extension}"`)
        .header('cache-control', 'public, max-age=0, must-revalidate')
        .send(download.body);
    },
  );

  /** The galley when the viewer may download it; those who may not learn nothing of it (404, as for no galley). */
  function allowedGalley(request: FastifyRequest, found: GalleyForPolicy | undefined): GalleyFile | undefined {
    return found && can(request.viewer.user, 'galley.download', found.resource) ? found.galley : undefined;
  }

  journalPageRoutes(app, { db, files, baseUrl: options.baseUrl, journalOr404, site: () => site('site'), page });

  pages.notFound = async (request, reply) => {
    if (request.method === 'GET' || request.method === 'HEAD') {
      const target = await options.legacyTarget?.(request.url).catch(() => undefined);
      if (target) return reply.redirect(target, 301);
    }
    // In the language of the journal the address points into, when it points into one.
    const first = requestUrl(request.url).pathname.split('/')[1] ?? '';
    const journal = new RegExp(JOURNAL_PATH).test(first) ? await journalByPath(first).catch(() => undefined) : undefined;
    const ctx = contextForRequest(request, reply, await site('site').catch(() => DEFAULT_SITE), journal);
    return reply.code(404).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(String(NotFoundPage({ ctx })));
  };
  pages.forbidden = async (request, reply, reason) => {
    const first = requestUrl(request.url).pathname.split('/')[1] ?? '';
    const journal = new RegExp(JOURNAL_PATH).test(first) ? await journalByPath(first).catch(() => undefined) : undefined;
    const ctx = contextForRequest(request, reply, await site('site').catch(() => DEFAULT_SITE), journal);
    const loginHref = journal ? `/${journal.path}/login` : '/login';
    return reply.code(reason === 'sign-in' ? 401 : 403).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(String(ForbiddenPage({ ctx, reason, loginHref })));
  };
  pages.serverError = async (request, reply) => {
    // No database here: the fault may be the database.
    const ctx = contextForRequest(request, reply, DEFAULT_SITE);
    return reply.code(500).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(String(ErrorPage({ ctx, requestId: request.id })));
  };
}
