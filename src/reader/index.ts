import type { FastifyBaseLogger, FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Kysely } from 'kysely';
import {
  findArticleGalleyForPolicy,
  findArticleVersion,
  findCurrentIssue,
  findGalleyFile,
  findIssueGalleyFile,
  findIssueGalleyForPolicy,
  findPublishedArticle,
  findPublishedIssue,
  listJournals,
  listPublishedIssues,
  listPublishedVersions,
  loadIssueContents,
  type GalleyFile,
  type GalleyForPolicy,
  type JournalSummary,
} from '../catalog/index.ts';
import type { Database } from '../db/index.ts';
import { can } from '../platform/policy/index.ts';
import { ArticleHead } from '../discovery/index.ts';
import { monthlyDownloads, UsageBody, type UsageHit, type UsageRecorder } from '../stats/index.ts';
import { trustedHtml, type SafeHtml } from '#jsx/jsx-runtime';
import { CITATION_STYLES, citationDownload, formatCitation } from '../exports/index.ts';
import { NotFoundError, parseId, type ReaderOfAnswer } from '../platform/http/index.ts';
import { JOURNAL_PATH, type FinishPage, type PageFrame } from '../platform/web/index.ts';
import type { FileStore } from '../storage/index.ts';
import type { PageContext } from '../ui/index.ts';
import { sendGalley } from './galley-download.ts';
import { remoteGalleyTarget } from './remote-galley.ts';
import { currentAnnouncements, journalPageRoutes } from './journal-pages.ts';
import { galleyViewRoutes } from './galley-view.ts';
import { ArticlePage } from './views/article.tsx';
import { ArchivePage, IssuePage, JournalHomePage, SiteIndexPage } from './views/pages.tsx';

export { readerGalleyAddresses } from './galley-view.ts';

export interface ReaderOptions {
  /** Usage recording (COUNTER); absent, nothing is counted. */
  usage?: UsageRecorder;
  db: Kysely<Database>;
  baseUrl: string;
  files: FileStore;
  /** The page frame (platform/web): site and journal, the page cache, error pages. */
  frame: PageFrame<JournalSummary>;
  /** The article page's "Similar articles" block (discovery/search); absent, the page has none. */
  similarArticles?: (ctx: PageContext, articleId: number) => Promise<SafeHtml>;
}

export const ARCHIVE_PAGE_SIZE = 10;

/** How old an article page's download counts may be when shown (they move without catalog changes). */
const USAGE_FRESH_MS = 5000;

/** Where the article page's usage block goes in a cached page; filled in per request. */
const USAGE_MARK = '<!--revista:usage-->';

const journalParams = Type.Object({ journal: Type.String({ pattern: JOURNAL_PATH }) });
const journalIdParams = Type.Object({ journal: Type.String({ pattern: JOURNAL_PATH }), id: Type.String() });
const archiveParams = Type.Object({ journal: Type.String({ pattern: JOURNAL_PATH }), page: Type.Optional(Type.String()) });
const galleyParams = Type.Object({ journal: Type.String({ pattern: JOURNAL_PATH }), id: Type.String(), galleyId: Type.String() });

/**
 * The public reader site: journals, issues, articles and galley downloads, in the reader's language.
 * Pages are rendered on the server and work without JavaScript.
 */
export async function readerPlugin(plain: FastifyInstance, options: ReaderOptions): Promise<void> {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  const { db, files, frame } = options;
  const page = frame.publicPages({ maxEntries: 2000 }).send;
  const journalOr404 = frame.journalOr404;
  // Download counts move without catalog changes: the chart of an article, in each language, is kept a
  // few seconds, so a page shows new counts within seconds and is not drawn again for every reader.
  const usageBlocks = new Map<string, { at: number; html: string }>();
  async function usageBlock(articleId: number, ctx: PageContext): Promise<string> {
    const key = `${articleId} ${ctx.locale}`;
    const hit = usageBlocks.get(key);
    if (hit && Date.now() - hit.at < USAGE_FRESH_MS) return hit.html;
    const html = String(UsageBody({ ctx, months: await monthlyDownloads(db, articleId) }));
    if (usageBlocks.size > 5000) usageBlocks.clear();
    usageBlocks.set(key, { at: Date.now(), html });
    return html;
  }

  /**
   * Counts a view of a page that exists for this request, and returns the count for each later reader
   * sent the kept answer (which holds on to the hit alone, not to this request).
   */
  function countViews(hit: Omit<UsageHit, 'ip' | 'userAgent'>, request: FastifyRequest): (reader: ReaderOfAnswer) => void {
    const count = (reader: ReaderOfAnswer, log: FastifyBaseLogger) =>
      void options.usage?.record({ ...hit, ...reader }).catch((error: unknown) => log.error({ err: error }, 'usage event not recorded'));
    count({ ip: request.ip, userAgent: request.headers['user-agent'] }, request.log);
    return (reader) => count(reader, plain.log);
  }

  /** Counts a view of a page that exists (journal home, issue table of contents), then lets it go out. */
  function countView(hit: Omit<UsageHit, 'ip' | 'userAgent'>): FinishPage {
    return async (request) => ({ variant: '', apply: (html) => html, onServe: countViews(hit, request) });
  }

  app.get('/', async (request, reply) => {
    const ctx = await frame.context(request, reply);
    return page(request, reply, ctx, async () => String(SiteIndexPage({ ctx, journals: await listJournals(db) })));
  });

  app.get('/:journal', { schema: { params: journalParams } }, async (request, reply) => {
    const { journal: path } = request.params;
    const journal = await journalOr404(path);
    const ctx = await frame.context(request, reply, journal);
    return page(request, reply, ctx, async () => {
      const issue = await findCurrentIssue(db, journal.id);
      const [current, announcements] = await Promise.all([issue ? loadIssueContents(db, journal.id, issue) : undefined, currentAnnouncements(db, journal.id, 3)]);
      return String(JournalHomePage({ ctx, journal, current, announcements }));
    }, countView({ journalId: journal.id, kind: 'home' }));
  });

  app.get('/:journal/issue/current', { schema: { params: journalParams } }, async (request, reply) => {
    const { journal: path } = request.params;
    const journal = await journalOr404(path);
    const issue = await findCurrentIssue(db, journal.id);
    return reply.redirect(issue ? `/${journal.path}/issue/view/${issue.id}` : `/${journal.path}`, 302);
  });

  // OJS: /{journal}/issue/archive, then /{journal}/issue/archive/{page}.
  for (const url of ['/:journal/issue/archive', '/:journal/issue/archive/:page']) {
    app.get(url, { schema: { params: archiveParams } }, async (request, reply) => {
      const journal = await journalOr404(request.params.journal);
      const pageNumber = request.params.page === undefined ? 1 : parseId(request.params.page);
      const ctx = await frame.context(request, reply, journal);
      return page(request, reply, ctx, async () => {
        const { issues, total } = await listPublishedIssues(db, journal.id, { limit: ARCHIVE_PAGE_SIZE, offset: (pageNumber - 1) * ARCHIVE_PAGE_SIZE });
        const pages = Math.max(1, Math.ceil(total / ARCHIVE_PAGE_SIZE));
        if (pageNumber > pages) return null;
        return String(ArchivePage({ ctx, journal, issues, page: pageNumber, pages }));
      });
    });
  }

  app.get('/:journal/issue/view/:id', { schema: { params: journalIdParams } }, async (request, reply) => {
    const params = request.params;
    const journal = await journalOr404(params.journal);
    const issueId = parseId(params.id);
    const ctx = await frame.context(request, reply, journal);
    return page(request, reply, ctx, async () => {
      const issue = await findPublishedIssue(db, journal.id, issueId);
      if (!issue) return null;
      return String(IssuePage({ ctx, journal, contents: await loadIssueContents(db, journal.id, issue) }));
    }, countView({ journalId: journal.id, issueId, kind: 'toc' }));
  });

  app.get('/:journal/article/view/:id', { schema: { params: journalIdParams } }, async (request, reply) => {
    const params = request.params;
    const journal = await journalOr404(params.journal);
    const articleId = parseId(params.id);
    const ctx = await frame.context(request, reply, journal);
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
      async () => {
        // The page exists (a 404 never gets here): count the view (COUNTER Investigation). Page views are
        // written in the next group commit without holding the page back; downloads wait for theirs.
        const onServe = countViews({ journalId: journal.id, articleId, kind: 'investigation' }, request);
        const usage = await usageBlock(articleId, ctx);
        // Sent again as it is while its download counts are fresh enough, each reader still counted.
        return { variant: usage, apply: (html) => html.replace(USAGE_MARK, () => usage), ttlMs: USAGE_FRESH_MS, onServe };
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
      const params = request.params;
      const journal = await journalOr404(params.journal);
      const articleId = parseId(params.id);
      const publicationId = parseId(params.publicationId);
      const ctx = await frame.context(request, reply, journal);
      return page(request, reply, ctx, async () => {
        const found = await findArticleVersion(db, journal.id, articleId, publicationId);
        if (!found) return null;
        const versions = await listPublishedVersions(db, articleId, found.current.publicationId);
        return String(ArticlePage({ ctx, journal, article: found.version, versions, newerVersionHref: `/${journal.path}/article/view/${articleId}` }));
      });
    },
  );

  // `?inline=1`: the viewer page's frame (galley-view.ts), a PDF shown in page; the same download otherwise, counted the same.
  app.get(
    '/:journal/article/download/:id/:galleyId',
    { schema: { params: galleyParams, querystring: Type.Object({ inline: Type.Optional(Type.String({ maxLength: 10 })) }) } },
    async (request, reply) => {
      const params = request.params;
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
      return sendGalley(request, reply, files, galley, published ? 'public' : 'private', request.query.inline === '1' ? 'inline' : 'attachment');
    },
  );

  // An issue's own galley (OJS: /{journal}/issue/download/{issue}/{galley}); of an unpublished issue for its editors only.
  app.get(
    '/:journal/issue/download/:id/:galleyId',
    { schema: { params: galleyParams } },
    async (request, reply) => {
      const params = request.params;
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
    { schema: { params: Type.Object({ journal: Type.String({ pattern: JOURNAL_PATH }), format: Type.String() }), querystring: Type.Object({ submissionId: Type.Optional(Type.String()) }) } },
    async (request, reply) => {
      const params = request.params;
      const journal = await journalOr404(params.journal);
      const article = await findPublishedArticle(db, journal.id, parseId(request.query.submissionId ?? ''));
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

  journalPageRoutes(app, { db, files, baseUrl: options.baseUrl, frame, page });
  galleyViewRoutes(app, { db, files, frame, page, ...(options.usage ? { usage: options.usage } : {}) });
}
