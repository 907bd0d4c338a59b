import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.ts';
import { etagOf, NotFoundError, requestUrl, sendPublicPage, type ErrorPages, type PublicPage, type ReaderOfAnswer, type ResponseCache } from '../http/index.ts';
import { BadRequestPage, ErrorPage, ForbiddenPage, NotFoundPage, type PageContext } from '../../ui/index.ts';
import { contextForRequest, DEFAULT_SITE, pageCacheKey, type FrameJournal, type SiteInfo } from './context.ts';
import { createPageCache, type ChangeGenerations } from './page-cache.ts';
import { formPageOf, JOURNAL_PATH, loadSite, markPrivate, type FormPage } from './pages.ts';

/**
 * What the frame reads from the capabilities beneath the pages, handed in once by buildApp: the
 * frame imports no capability, so the catalog's journal lookup and the OJS address map come in here.
 */
export interface FrameSources<J extends FrameJournal> {
  db: Kysely<Database>;
  /** The catalog's change generation: memoized sites, journals and cached pages live until it moves. */
  changes: ChangeGenerations;
  /** Public address of the site, for canonical links. */
  baseUrl: string;
  /** False turns the public page cache off (config `pageCache`). */
  pageCache: boolean;
  /** An enabled journal by its path (the catalog's `findJournal`). */
  findJournal(path: string): Promise<J | undefined>;
  /** Where an old (OJS) address that Revista does not know now lives, if anywhere: answered with 301. */
  legacyTarget?(url: string): Promise<string | undefined>;
  /** Whole answers kept for readers without a session (http/response-cache.ts); public pages offer theirs. */
  responses?: ResponseCache;
}

/**
 * What a cached page gets filled in with per request (usage counts), after the cache: a short key of
 * what is filled in (`variant`, '' for nothing) and how to fill it in. The key comes first, so an
 * unchanged finished page is neither rebuilt, hashed nor encoded again: `apply` runs once per variant.
 */
export interface FinishedPage {
  variant: string;
  apply(html: string): string;
  /** How long the finished page may be sent again as it is (its filled-in part ages); unlimited when absent. */
  ttlMs?: number;
  /** The per-reader part of finishing (counting the view), for readers sent the kept answer. */
  onServe?: (reader: ReaderOfAnswer) => void;
}

export type FinishPage = (request: FastifyRequest) => Promise<FinishedPage>;

/** Public pages of one capability, through its own page cache. */
export interface PublicPages {
  /**
   * Renders through the page cache and sends with validators (ETag, 304). `render` returns null for
   * a page that does not exist (404). A signed-in person's page carries their name and form token:
   * rendered for them alone and never cached.
   */
  send(request: FastifyRequest, reply: FastifyReply, ctx: PageContext, render: () => Promise<string | null>, finish?: FinishPage): Promise<FastifyReply>;
}

/** The page frame: the site and journal around every page, public and form pages, error pages. */
export interface PageFrame<J extends FrameJournal = FrameJournal> {
  /** The site's title and languages, with its public address; kept until the catalog changes. */
  site(): Promise<SiteInfo>;
  /** An enabled journal by its path; kept until the catalog changes. */
  journal(path: string): Promise<J | undefined>;
  /** An enabled journal by its path, read afresh (form pages: a manager sees what was just saved). */
  findJournal(path: string): Promise<J | undefined>;
  /** The journal, or a 404. */
  journalOr404(path: string): Promise<J>;
  /** The page context of a request on the site or in `journal`. */
  context(request: FastifyRequest, reply: FastifyReply, journal?: J): Promise<PageContext>;
  /**
   * The context of a form page at `/…` or `/{journal}/…` (404 for an unknown journal), with the form
   * token. Read afresh, not from the memo: a manager who has just saved the site's settings sees them.
   */
  formPage(request: FastifyRequest, reply: FastifyReply): Promise<FormPage<J>>;
  publicPages(options: { maxEntries: number }): PublicPages;
  /** The 404, 403 and 500 pages in the reader's language, in the site's or journal's frame. */
  errorPages: ErrorPages;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The page frame built in buildApp (platform/web), for helpers that get no deps of their own. */
    pageFrame: PageFrame;
  }
}

/** An address whose first segment is a journal path may point into a journal. */
const JOURNAL_PATH_RE = new RegExp(JOURNAL_PATH);

/** Values that change only when the catalog does, kept until the next change. */
export function memoByGeneration<K, V>(changes: ChangeGenerations, load: (key: K) => Promise<V>, maxEntries = 1000): (key: K) => Promise<V> {
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
    if (changes.generation() === current && values.size < maxEntries) values.set(key, value);
    return value;
  };
}

export function createPageFrame<J extends FrameJournal>(sources: FrameSources<J>): PageFrame<J> {
  const siteMemo = memoByGeneration<'site', SiteInfo>(sources.changes, async () => ({ ...(await loadSite(sources.db)), baseUrl: sources.baseUrl }));
  const journal = memoByGeneration(sources.changes, (path: string) => sources.findJournal(path));
  const site = () => siteMemo('site');

  /** The journal the address points into, when its first segment names one (for error pages). */
  async function journalOfAddress(request: FastifyRequest): Promise<J | undefined> {
    const first = requestUrl(request.url).pathname.split('/')[1] ?? '';
    return JOURNAL_PATH_RE.test(first) ? journal(first).catch(() => undefined) : undefined;
  }

  const errorPages: ErrorPages = {
    async notFound(request, reply) {
      if (request.method === 'GET' || request.method === 'HEAD') {
        const target = await sources.legacyTarget?.(request.url).catch(() => undefined);
        if (target) return reply.redirect(target, 301);
      }
      // In the language of the journal the address points into, when it points into one.
      const ctx = contextForRequest(request, reply, await site().catch(() => DEFAULT_SITE), await journalOfAddress(request));
      return reply.code(404).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(String(NotFoundPage({ ctx })));
    },
    async forbidden(request, reply, reason) {
      const journalHere = await journalOfAddress(request);
      const ctx = contextForRequest(request, reply, await site().catch(() => DEFAULT_SITE), journalHere);
      const loginHref = journalHere ? `/${journalHere.path}/login` : '/login';
      return reply.code(reason === 'sign-in' ? 401 : 403).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(String(ForbiddenPage({ ctx, reason, loginHref })));
    },
    async badRequest(request, reply, reason) {
      const ctx = contextForRequest(request, reply, await site().catch(() => DEFAULT_SITE), await journalOfAddress(request));
      return reply.code(400).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(String(BadRequestPage({ ctx, reason })));
    },
    async serverError(request, reply) {
      // No database here: the fault may be the database.
      const ctx = contextForRequest(request, reply, DEFAULT_SITE);
      return reply.code(500).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(String(ErrorPage({ ctx, requestId: request.id })));
    },
  };

  return {
    site,
    journal,
    async journalOr404(path) {
      const found = await journal(path);
      if (!found) throw new NotFoundError(`no journal ${path}`);
      return found;
    },
    async context(request, reply, journalHere) {
      return contextForRequest(request, reply, await site(), journalHere);
    },
    findJournal: (path) => sources.findJournal(path),
    formPage: (request, reply) => formPageOf(sources.db, sources.findJournal, request, reply),
    publicPages(options) {
      return publicPages(sources, options.maxEntries);
    },
    errorPages,
  };
}

function publicPages(sources: Pick<FrameSources<FrameJournal>, 'changes' | 'pageCache' | 'responses'>, maxEntries: number): PublicPages {
  const cache = createPageCache(sources.changes, { maxEntries, enabled: sources.pageCache });
  const finished = new Map<string, PublicPage>();
  return {
    async send(request, reply, ctx, render, finish) {
      if (ctx.viewer) {
        const rendered = await render();
        if (rendered === null) throw new NotFoundError();
        const html = finish ? (await finish(request)).apply(rendered) : rendered;
        return markPrivate(reply).type('text/html; charset=utf-8').send(html);
      }
      // Read before the page is taken: an answer kept for later is retired by any change since.
      const generation = sources.changes.generation();
      const rendered = await cache.get(pageCacheKey(ctx), async () => {
        const html = await render();
        if (html === null) throw new NotFoundError();
        return html;
      });
      if (!finish) {
        sources.responses?.keep(request, { generation });
        return sendPublicPage(request, reply, rendered);
      }
      const { variant, apply, ttlMs, onServe } = await finish(request);
      sources.responses?.keep(request, { generation, ...(ttlMs === undefined ? {} : { ttlMs }), ...(onServe ? { onServe } : {}) });
      if (variant === '') return sendPublicPage(request, reply, rendered);
      const key = `${rendered.etag}${variant}`;
      let done = finished.get(key);
      if (!done) {
        const html = apply(rendered.body);
        done = { body: html, etag: etagOf(html), bytes: Buffer.from(html) };
        if (finished.size > 500) finished.clear();
        finished.set(key, done);
      }
      return sendPublicPage(request, reply, done);
    },
  };
}

/** Installs the frame on the app, for `formPage(db, request, reply)` in routes that get no deps of their own. */
export function registerPageFrame(app: FastifyInstance, frame: PageFrame): void {
  app.decorate('pageFrame', frame);
}

/**
 * The page context for a form page at `/…` or `/{journal}/…` (404 for an unknown journal): the site
 * read from `db`, the journal through the app's page frame (which has the catalog's lookup).
 */
export async function formPage(db: Kysely<Database>, request: FastifyRequest, reply: FastifyReply): Promise<FormPage> {
  return formPageOf(db, (path) => request.server.pageFrame.findJournal(path), request, reply);
}
