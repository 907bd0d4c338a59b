import type { FastifyInstance, FastifyReply, FastifyRequest, RouteShorthandOptions } from 'fastify';
import type { Kysely } from 'kysely';
import { findJournal, type JournalSummary } from '../catalog/index.ts';
import type { Clock } from '../clock.ts';
import type { Database } from '../db/index.ts';
import { NotFoundError } from '../http/index.ts';
import type { Mailer } from '../mail/index.ts';
import { contextForRequest, DEFAULT_SITE, type SiteInfo } from '../reader/index.ts';
import type { PageContext } from '../ui/index.ts';
import type { SafeHtml } from '#jsx/jsx-runtime';
import { markPrivate } from './access.ts';

/** What the account routes need, passed in once. */
export interface AccountDeps {
  db: Kysely<Database>;
  mailer: Mailer;
  clock: Clock;
  /** Public address of the site, for links in mail. */
  baseUrl: string;
  https: boolean;
}

export async function loadSite(db: Kysely<Database>): Promise<SiteInfo> {
  const row = await db.selectFrom('site').select(['title', 'primary_locale', 'supported_locales']).executeTakeFirst();
  return row ? { title: row.title, primaryLocale: row.primary_locale, supportedLocales: row.supported_locales } : DEFAULT_SITE;
}

export interface FormPage {
  ctx: PageContext;
  site: SiteInfo;
  journal: JournalSummary | undefined;
}

/** The page context for a form page at `/…` or `/{journal}/…` (404 for an unknown journal). */
export async function formPage(db: Kysely<Database>, request: FastifyRequest, reply: FastifyReply): Promise<FormPage> {
  const path = (request.params as { journal?: string }).journal;
  const [site, journal] = await Promise.all([loadSite(db), path === undefined ? undefined : findJournal(db, path)]);
  if (path !== undefined && !journal) throw new NotFoundError(`no journal ${path}`);
  return { ctx: contextForRequest(request, reply, site, journal, { forms: true }), site, journal };
}

/** Sends a page that belongs to one visitor (forms with their token, account data): never cached. */
export function sendPrivatePage(reply: FastifyReply, html: SafeHtml | string, status = 200): FastifyReply {
  return markPrivate(reply).code(status).type('text/html; charset=utf-8').send(String(html));
}

const JOURNAL_PATH = '^[a-z0-9][a-z0-9-]*$';

/** Registers a route at the site root and inside every journal, as OJS serves its account pages. */
export function siteAndJournal(
  app: FastifyInstance,
  method: 'GET' | 'POST',
  path: string,
  options: RouteShorthandOptions,
  handler: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>,
): void {
  app.route({ ...options, method, url: path, handler });
  app.route({
    ...options,
    method,
    url: `/:journal${path}`,
    schema: { params: { type: 'object', properties: { journal: { type: 'string', pattern: JOURNAL_PATH } }, required: ['journal'] } },
    handler,
  });
}

/** Absolute link into the site, for mail. */
export function absoluteUrl(baseUrl: string, path: string): string {
  return `${baseUrl}${path}`;
}
