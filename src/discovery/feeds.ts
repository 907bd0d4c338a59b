import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { sql, type Kysely } from 'kysely';
import { create } from 'xmlbuilder2';
import { findJournal, loadPublishedArticles, type JournalSummary } from '../catalog/index.ts';
import type { Database } from '../db/index.ts';
import { NotFoundError, sendValidated } from '../platform/http/index.ts';
import { createPageCache, JOURNAL_PATH } from '../platform/web/index.ts';
import { localize } from '../i18n/index.ts';
import { richToPlainLine, richToPlainText } from '../ui/index.ts';
import type { DiscoveryDeps } from './deps.ts';
import { articleUrl, inArticleLanguage, noticeRelations, xmlSafe, type RecordInput } from './record.ts';
import { visibleArticles } from './sitemaps.ts';

type Db = Kysely<Database>;

export const FEED_SIZE = 50;
const ATOM_NS = 'http://www.w3.org/2005/Atom';
const DC_NS = 'http://purl.org/dc/elements/1.1/';
const journalParams = Type.Object({ journal: Type.String({ pattern: JOURNAL_PATH }) });

/** The journal's newest visible articles, newest publication date first, ready to describe. */
export async function latestArticles(db: Db, journal: JournalSummary, baseUrl: string, limit = FEED_SIZE): Promise<RecordInput[]> {
  const rows = await visibleArticles(db, [journal.id])
    .select('a.id')
    .orderBy(sql`p.date_published DESC NULLS LAST`)
    .orderBy(sql`i.date_published DESC NULLS LAST`)
    .orderBy('p.seq')
    .orderBy('a.id', 'desc')
    .limit(limit)
    .execute();
  const ids = rows.map((r) => r.id);
  const loaded = await loadPublishedArticles(db, ids, journal.id);
  return ids.flatMap((id) => {
    const article = loaded.get(id);
    return article ? [{ article, journal, baseUrl }] : [];
  });
}

/** Plain text of rich text, entities resolved (the XML writer escapes what needs escaping). */
function plain(html: string | undefined): string {
  return html ? xmlSafe(richToPlainText(html)) : '';
}

/** The full title in the article's language: prefix, title and subtitle. */
export function fullTitle(input: RecordInput): string {
  const title = [inArticleLanguage(input, input.article.prefix), richToPlainLine(inArticleLanguage(input, input.article.title))].filter(Boolean).join(' ');
  const subtitle = richToPlainLine(inArticleLanguage(input, input.article.subtitle));
  return xmlSafe(subtitle ? `${title}: ${subtitle}` : title).trim();
}

/** Named contributors as "Given Family"; those with only an affiliation have no name to give. */
function authorNames(input: RecordInput): string[] {
  return input.article.contributors.flatMap((c) => {
    const name = [inArticleLanguage(input, c.givenName), inArticleLanguage(input, c.familyName)].filter(Boolean).join(' ').trim();
    return name ? [xmlSafe(name)] : [];
  });
}

/** Keywords in the article's language, else the journal's, else any list there is. */
function keywordsOf(input: RecordInput): string[] {
  const { keywords, locale } = input.article;
  const list = [keywords[locale], keywords[input.journal.primaryLocale], ...Object.values(keywords)].find((l) => l && l.length > 0) ?? [];
  return list.map((k) => xmlSafe(k).trim()).filter((k) => k !== '');
}

/** The publication date as a moment (midnight UTC of the calendar day), else the last change. */
function publishedAt(input: RecordInput): Date {
  const date = input.article.datePublished;
  return date ? new Date(`${date}T00:00:00Z`) : input.article.lastModified;
}

function updatedAt(input: RecordInput): Date {
  const published = publishedAt(input);
  return input.article.lastModified > published ? input.article.lastModified : published;
}

function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function journalName(journal: JournalSummary): string {
  return xmlSafe(localize(journal.name, journal.primaryLocale)?.text ?? journal.path);
}

function journalDescription(journal: JournalSummary): string {
  return plain(localize(journal.description, journal.primaryLocale)?.text);
}

/**
 * When the feed last changed: its newest entry's change, or the journal's (its name and description
 * are the feed's title and subtitle), whichever is later — so a feed without entries still has a true
 * date rather than 1970, which readers take for a broken feed.
 */
export function feedUpdated(entries: RecordInput[], journalUpdated: Date): Date {
  return entries.reduce((max, e) => (updatedAt(e) > max ? updatedAt(e) : max), journalUpdated);
}

/** The journal's last change (its row's `updated_at`, kept by a trigger). */
export async function journalUpdatedAt(db: Db, journalId: number): Promise<Date> {
  const row = await db.selectFrom('journals').select('updated_at').where('id', '=', journalId).executeTakeFirstOrThrow();
  return row.updated_at;
}

/** Atom 1.0 (RFC 4287) feed of a journal's newest articles. */
export function atomFeed(journal: JournalSummary, entries: RecordInput[], baseUrl: string, journalUpdated: Date): string {
  const home = `${baseUrl}/${journal.path}`;
  const updated = feedUpdated(entries, journalUpdated);
  const feed = create({ version: '1.0', encoding: 'UTF-8' }).ele(ATOM_NS, 'feed', { 'xml:lang': journal.primaryLocale });
  feed.ele('id').txt(`${home}/feed/atom`);
  feed.ele('title').txt(journalName(journal));
  const description = journalDescription(journal);
  if (description) feed.ele('subtitle').txt(description);
  feed.ele('updated').txt(rfc3339(updated));
  feed.ele('link', { rel: 'self', type: 'application/atom+xml', href: `${home}/feed/atom` });
  feed.ele('link', { rel: 'alternate', type: 'text/html', href: home });
  // Entries without a named author fall back to the feed's: the journal.
  feed.ele('author').ele('name').txt(journalName(journal));
  feed.ele('generator').txt('Revista');
  for (const input of entries) {
    const url = articleUrl(input);
    const entry = feed.ele('entry', { 'xml:lang': input.article.locale });
    entry.ele('id').txt(url);
    entry.ele('title', { type: 'text' }).txt(fullTitle(input));
    entry.ele('link', { rel: 'alternate', type: 'text/html', href: url });
    // A notice and the article it corrects or retracts.
    for (const related of noticeRelations(input)) entry.ele('link', { rel: 'related', type: 'text/html', href: related.pageUrl });
    entry.ele('published').txt(rfc3339(publishedAt(input)));
    entry.ele('updated').txt(rfc3339(updatedAt(input)));
    for (const name of authorNames(input)) entry.ele('author').ele('name').txt(name);
    for (const keyword of keywordsOf(input)) entry.ele('category', { term: keyword });
    const summary = plain(inArticleLanguage(input, input.article.abstract));
    if (summary) entry.ele('summary', { type: 'text' }).txt(summary);
  }
  return feed.end({ prettyPrint: true });
}

/** RSS 2.0 feed of a journal's newest articles. */
export function rssFeed(journal: JournalSummary, entries: RecordInput[], baseUrl: string, journalUpdated: Date): string {
  const home = `${baseUrl}/${journal.path}`;
  const rss = create({ version: '1.0', encoding: 'UTF-8' }).ele('rss', { version: '2.0', 'xmlns:atom': ATOM_NS, 'xmlns:dc': DC_NS });
  const channel = rss.ele('channel');
  channel.ele('title').txt(journalName(journal));
  channel.ele('link').txt(home);
  channel.ele('description').txt(journalDescription(journal) || journalName(journal));
  channel.ele('language').txt(journal.primaryLocale);
  channel.ele(ATOM_NS, 'atom:link', { href: `${home}/feed/rss`, rel: 'self', type: 'application/rss+xml' });
  channel.ele('lastBuildDate').txt(feedUpdated(entries, journalUpdated).toUTCString());
  channel.ele('generator').txt('Revista');
  for (const input of entries) {
    const url = articleUrl(input);
    const item = channel.ele('item');
    item.ele('title').txt(fullTitle(input));
    item.ele('link').txt(url);
    item.ele('guid', { isPermaLink: 'true' }).txt(url);
    // RFC 822 (with a four-digit year, as RFC 1123 and every reader expect).
    item.ele('pubDate').txt(publishedAt(input).toUTCString());
    const summary = plain(inArticleLanguage(input, input.article.abstract));
    if (summary) item.ele('description').txt(summary);
    // RSS <author> must be an e-mail address; names go in Dublin Core.
    for (const name of authorNames(input)) item.ele(DC_NS, 'dc:creator').txt(name);
    for (const keyword of keywordsOf(input)) item.ele('category').txt(keyword);
  }
  return rss.end({ prettyPrint: true });
}

const FORMATS = {
  atom: { render: atomFeed, type: 'application/atom+xml; charset=utf-8' },
  rss: { render: rssFeed, type: 'application/rss+xml; charset=utf-8' },
} as const;

/** Per-journal web feeds: RSS 2.0 and Atom 1.0. */
export function feedRoutes(plain: FastifyInstance, deps: DiscoveryDeps): void {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  const { db, baseUrl } = deps;
  const cache = createPageCache(deps.changes, { maxEntries: 64, enabled: true });

  for (const [name, format] of Object.entries(FORMATS)) {
    app.get(`/:journal/feed/${name}`, { schema: { params: journalParams } }, async (request, reply) => {
      const path = request.params.journal;
      const page = await cache.get(`feed:${name}:${path}`, async () => {
        const journal = await findJournal(db, path);
        if (!journal) throw new NotFoundError();
        return format.render(journal, await latestArticles(db, journal, baseUrl), baseUrl, await journalUpdatedAt(db, journal.id));
      });
      return sendValidated(request, reply, page, format.type);
    });
  }

  // OJS's web feed plugin addresses (atom, rss = RSS 1.0, rss2) lead to the feeds here.
  const OJS_FEEDS: Record<string, keyof typeof FORMATS> = { atom: 'atom', rss: 'rss', rss2: 'rss' };
  app.get(
    '/:journal/gateway/plugin/WebFeedGatewayPlugin/:format',
    { schema: { params: Type.Object({ journal: Type.String({ pattern: JOURNAL_PATH }), format: Type.String() }) } },
    async (request, reply) => {
      const { params } = request;
      const target = Object.hasOwn(OJS_FEEDS, params.format) ? OJS_FEEDS[params.format] : undefined;
      if (!target || !(await findJournal(db, params.journal))) throw new NotFoundError();
      return reply.redirect(`/${params.journal}/feed/${target}`, 301);
    },
  );
}
