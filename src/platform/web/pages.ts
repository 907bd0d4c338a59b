import type { FastifyInstance, FastifyReply, FastifyRequest, RouteShorthandOptions } from 'fastify';
import { Type, type Static, type TSchema, type TUnknown } from '@sinclair/typebox';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.ts';
import { localize } from '../../i18n/index.ts';
import { NotFoundError } from '../http/index.ts';
import type { PageContext } from '../../ui/index.ts';
import type { SafeHtml } from '#jsx/jsx-runtime';
import { contextForRequest, DEFAULT_SITE, type FrameJournal, type SiteInfo } from './context.ts';

/** Pages for people signed in are theirs alone: never kept by a shared cache. */
export function markPrivate(reply: FastifyReply): FastifyReply {
  return reply.header('cache-control', 'private, no-store');
}

/**
 * A query parameter as a browser may send it: once, or repeated (`?source=a&source=b` arrives as a
 * list). A page that takes one value reads the first with `firstValue` rather than refusing the list.
 */
export const QueryParameter = Type.Union([Type.String(), Type.Array(Type.String())]);

/** The first value of a query parameter (`QueryParameter`); '' when absent. */
export function firstValue(value: string | readonly string[] | undefined): string {
  return (typeof value === 'string' ? value : value?.[0]) ?? '';
}

export async function loadSite(db: Kysely<Database>): Promise<SiteInfo> {
  const row = await db.selectFrom('site').select(['title', 'primary_locale', 'supported_locales']).executeTakeFirst();
  return row ? { title: row.title, primaryLocale: row.primary_locale, supportedLocales: row.supported_locales } : DEFAULT_SITE;
}

export interface FormPage<J extends FrameJournal = FrameJournal> {
  ctx: PageContext;
  site: SiteInfo;
  journal: J | undefined;
}

/** A form page's context: the site read from `db`, the journal by `findJournal`, the form token. */
export async function formPageOf<J extends FrameJournal>(db: Kysely<Database>, findJournal: (path: string) => Promise<J | undefined>, request: FastifyRequest, reply: FastifyReply): Promise<FormPage<J>> {
  const path = (request.params as { journal?: string } | undefined)?.journal;
  const [site, journal] = await Promise.all([loadSite(db), path === undefined ? undefined : findJournal(path)]);
  if (path !== undefined && !journal) throw new NotFoundError(`no journal ${path}`);
  return { ctx: contextForRequest(request, reply, site, journal, { forms: true }), site, journal };
}

/** Sends a page that belongs to one visitor (forms with their token, account data): never cached. */
export function sendPrivatePage(reply: FastifyReply, html: SafeHtml | string, status = 200): FastifyReply {
  return markPrivate(reply).code(status).type('text/html; charset=utf-8').send(String(html));
}

/** Journal paths as routes accept them (a pattern for route schemas). */
export const JOURNAL_PATH = '^[a-z0-9][a-z0-9-]*$';

/** The path parameters of a route served at the site root and inside every journal. */
export interface SiteOrJournalParams {
  /** The journal's path; absent at the site root. */
  journal?: string;
}

const journalParams = Type.Object({ journal: Type.String({ pattern: JOURNAL_PATH }) });

/** Registers a route at the site root and inside every journal, as OJS serves its account pages. */
export function siteAndJournal<Q extends TSchema = TUnknown>(
  app: FastifyInstance,
  method: 'GET' | 'POST',
  path: string,
  options: Omit<RouteShorthandOptions, 'schema'> & { querystring?: Q },
  handler: (request: FastifyRequest<{ Params: SiteOrJournalParams; Querystring: Static<Q> }>, reply: FastifyReply) => Promise<unknown>,
): void {
  const { querystring, ...rest } = options;
  const schema = querystring ? { querystring } : {};
  app.route<{ Params: SiteOrJournalParams; Querystring: Static<Q> }>({ ...rest, method, url: path, schema, handler });
  app.route<{ Params: SiteOrJournalParams; Querystring: Static<Q> }>({ ...rest, method, url: `/:journal${path}`, schema: { ...schema, params: journalParams }, handler });
}

/** The name a mail gives the site: the journal's, else the site's, in `locale`. */
export function siteName(site: SiteInfo, journal: Pick<FrameJournal, 'name' | 'primaryLocale'> | undefined, locale: string): string {
  return localize(journal?.name ?? site.title, locale, journal?.primaryLocale ?? site.primaryLocale)?.text ?? 'Revista';
}

/** Absolute link into the site, for mail. */
export function absoluteUrl(baseUrl: string, path: string): string {
  return `${baseUrl}${path}`;
}
