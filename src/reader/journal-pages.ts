import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { sql, type Kysely } from 'kysely';
import { create } from 'xmlbuilder2';
import type { JournalSummary } from '../catalog/index.ts';
import type { Announcement, Database } from '../db/index.ts';
import { etagOf, NotFoundError, parseId, sendValidated } from '../platform/http/index.ts';
import { localize } from '../i18n/index.ts';
import type { FileStore } from '../storage/index.ts';
import { richTextToPlain } from '../ui/index.ts';
import { JOURNAL_PATH, type PageFrame, type PublicPages } from '../platform/web/index.ts';
import { sendAboutSubmissions } from './about-submissions.ts';
import { sendGalley } from './galley-download.ts';
import { themeStylesheet } from './theme.ts';
import { AboutPage, AnnouncementPage, AnnouncementsPage, JournalTextPage } from './views/about.tsx';

export interface JournalPageHelpers {
  db: Kysely<Database>;
  files: FileStore;
  baseUrl: string;
  frame: PageFrame<JournalSummary>;
  /** The reader's public pages (its page cache). */
  page: PublicPages['send'];
}

const journalParams = Type.Object({ journal: Type.String({ pattern: JOURNAL_PATH }) });

/** Announcements still showing: posted, and not past their expiry date. */
export function currentAnnouncements(db: Kysely<Database>, journalId: number, limit: number): Promise<Announcement[]> {
  return db
    .selectFrom('announcements')
    .selectAll()
    .where('journal_id', '=', journalId)
    .where((eb) => eb.or([eb('expires_on', 'is', null), eb('expires_on', '>=', sql<string>`current_date`)]))
    .orderBy('posted_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/**
 * Atom 1.0 (RFC 4287) feed of a journal's announcements. Its `updated` is the newest announcement's
 * change or the journal's own (the feed's title is the journal's name), whichever is later: a journal
 * without announcements still has a true date, not 1970.
 */
export function announcementFeed(journal: JournalSummary, announcements: Announcement[], baseUrl: string, locale: string, journalUpdated: Date): string {
  const home = `${baseUrl}/${journal.path}`;
  const text = (value: Record<string, string>) => localize(value, locale, journal.primaryLocale)?.text ?? '';
  const updated = announcements.reduce((latest, a) => (a.updated_at > latest ? a.updated_at : latest), journalUpdated);
  const feed = create({ version: '1.0', encoding: 'UTF-8' }).ele('http://www.w3.org/2005/Atom', 'feed', { 'xml:lang': locale });
  feed.ele('id').txt(`${home}/announcement`);
  feed.ele('title').txt(text(journal.name) || journal.path);
  feed.ele('updated').txt(updated.toISOString());
  feed.ele('link', { rel: 'self', type: 'application/atom+xml', href: `${home}/announcement/feed` });
  feed.ele('link', { rel: 'alternate', type: 'text/html', href: `${home}/announcement` });
  feed.ele('author').ele('name').txt(text(journal.name) || journal.path);
  for (const a of announcements) {
    const entry = feed.ele('entry');
    entry.ele('id').txt(`${home}/announcement/view/${a.id}`);
    entry.ele('title').txt(text(a.title));
    entry.ele('link', { rel: 'alternate', type: 'text/html', href: `${home}/announcement/view/${a.id}` });
    entry.ele('published').txt(a.posted_at.toISOString());
    entry.ele('updated').txt(a.updated_at.toISOString());
    const summary = richTextToPlain(text(a.summary) || text(a.body));
    if (summary) entry.ele('summary').txt(summary);
  }
  return feed.end({ prettyPrint: true });
}

const FIXED: Record<string, { path: string; title: 'about.editorialTeam' | 'about.submissions' | 'about.privacy' }> = {
  editorialTeam: { path: 'editorial-team', title: 'about.editorialTeam' },
  submissions: { path: 'submissions', title: 'about.submissions' },
  privacy: { path: 'privacy', title: 'about.privacy' },
};

/** The journal's own pages, announcements and theme (logo, favicon, colours, custom CSS, cover images). */
export function journalPageRoutes(plain: FastifyInstance, h: JournalPageHelpers): void {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  const { db, frame } = h;
  const pageRow = (journalId: number, path: string) => db.selectFrom('journal_pages').selectAll().where('journal_id', '=', journalId).where('path', '=', path).executeTakeFirst();

  app.get('/:journal/about', { schema: { params: journalParams } }, async (request, reply) => {
    const journal = await frame.journalOr404(request.params.journal);
    const ctx = await frame.context(request, reply, journal);
    return h.page(request, reply, ctx, async () => {
      const [row, about] = await Promise.all([pageRow(journal.id, 'about'), db.selectFrom('journals').select(['contact_name', 'contact_email', 'license_url', 'copyright_notice']).where('id', '=', journal.id).executeTakeFirstOrThrow()]);
      return String(
        AboutPage({
          ctx,
          journal,
          about: {
            description: localize(journal.description, ctx.locale, journal.primaryLocale),
            content: localize(row?.content, ctx.locale, journal.primaryLocale),
            contactName: about.contact_name,
            contactEmail: about.contact_email,
            licenseUrl: about.license_url,
            copyrightNotice: localize(about.copyright_notice, ctx.locale, journal.primaryLocale),
          },
        }),
      );
    });
  });

  app.get('/:journal/about/:page', { schema: { params: Type.Object({ journal: Type.String({ pattern: JOURNAL_PATH }), page: Type.String() }) } }, async (request, reply) => {
    const params = request.params;
    const fixed = FIXED[params.page];
    if (!fixed) throw new NotFoundError();
    const journal = await frame.journalOr404(params.journal);
    const ctx = await frame.context(request, reply, journal);
    if (params.page === 'submissions') return sendAboutSubmissions(db, request, reply, ctx, journal);
    return h.page(request, reply, ctx, async () => {
      const row = await pageRow(journal.id, fixed.path);
      return String(JournalTextPage({ ctx, title: ctx.t(fixed.title), content: localize(row?.content, ctx.locale, journal.primaryLocale), empty: ctx.t('about.notWritten') }));
    });
  });

  app.get('/:journal/page/:path', { schema: { params: Type.Object({ journal: Type.String({ pattern: JOURNAL_PATH }), path: Type.String({ pattern: JOURNAL_PATH }) }) } }, async (request, reply) => {
    const params = request.params;
    const journal = await frame.journalOr404(params.journal);
    const ctx = await frame.context(request, reply, journal);
    return h.page(request, reply, ctx, async () => {
      const row = await pageRow(journal.id, params.path);
      if (!row) return null;
      const title = localize(row.title, ctx.locale, journal.primaryLocale)?.text ?? row.path;
      return String(JournalTextPage({ ctx, title, content: localize(row.content, ctx.locale, journal.primaryLocale), empty: ctx.t('about.notWritten') }));
    });
  });

  app.get('/about/privacy', async (request, reply) => {
    const site = await frame.site();
    const ctx = await frame.context(request, reply);
    return h.page(request, reply, ctx, async () => {
      const row = await db.selectFrom('site').select('about').executeTakeFirst();
      return String(JournalTextPage({ ctx, title: ctx.t('about.privacy'), content: localize(row?.about, ctx.locale, site.primaryLocale), empty: ctx.t('about.sitePrivacy') }));
    });
  });

  app.get('/:journal/announcement', { schema: { params: journalParams } }, async (request, reply) => {
    const journal = await frame.journalOr404(request.params.journal);
    const ctx = await frame.context(request, reply, journal);
    return h.page(request, reply, ctx, async () => String(AnnouncementsPage({ ctx, journal, announcements: await currentAnnouncements(db, journal.id, 100) })));
  });

  app.get('/:journal/announcement/view/:id', { schema: { params: Type.Object({ journal: Type.String({ pattern: JOURNAL_PATH }), id: Type.String() }) } }, async (request, reply) => {
    const params = request.params;
    const journal = await frame.journalOr404(params.journal);
    const id = parseId(params.id);
    const ctx = await frame.context(request, reply, journal);
    return h.page(request, reply, ctx, async () => {
      const announcement = await db.selectFrom('announcements').selectAll().where('id', '=', id).where('journal_id', '=', journal.id).executeTakeFirst();
      return announcement ? String(AnnouncementPage({ ctx, journal, announcement })) : null;
    });
  });

  app.get('/:journal/announcement/feed', { schema: { params: journalParams } }, async (request, reply) => {
    const journal = await frame.journalOr404(request.params.journal);
    const journalRow = await db.selectFrom('journals').select('updated_at').where('id', '=', journal.id).executeTakeFirstOrThrow();
    const xml = announcementFeed(journal, await currentAnnouncements(db, journal.id, 50), h.baseUrl, journal.primaryLocale, journalRow.updated_at);
    return sendValidated(request, reply, { body: xml, etag: etagOf(xml) }, 'application/atom+xml; charset=utf-8');
  });

  app.get('/:journal/theme.css', { schema: { params: journalParams } }, async (request, reply) => {
    const journal = await frame.journalOr404(request.params.journal);
    const row = await db.selectFrom('journals').select(['theme_colour', 'custom_css']).where('id', '=', journal.id).executeTakeFirstOrThrow();
    const css = themeStylesheet(row.theme_colour, row.custom_css);
    return sendValidated(request, reply, { body: css, etag: etagOf(css) }, 'text/css; charset=utf-8');
  });

  const sendImage = async (request: FastifyRequest, reply: FastifyReply, fileId: number | null) => {
    if (!fileId) throw new NotFoundError();
    const file = await db.selectFrom('files').selectAll().where('id', '=', fileId).executeTakeFirst();
    if (!file) throw new NotFoundError();
    return sendGalley(request, reply, h.files, {
      galleyId: file.id,
      label: file.original_name,
      remoteUrl: null,
      file: { storageKey: file.storage_key, mimeType: file.mime_type, sizeBytes: Number(file.size_bytes), sha256: file.sha256, originalName: file.original_name, createdAt: file.created_at },
    });
  };

  app.get('/:journal/theme/:kind', { schema: { params: Type.Object({ journal: Type.String({ pattern: JOURNAL_PATH }), kind: Type.String() }) } }, async (request, reply) => {
    const params = request.params;
    const journal = await frame.journalOr404(params.journal);
    const theme = journal.theme;
    const fileId = params.kind === 'logo' ? theme.logoFileId : params.kind === 'favicon' ? theme.faviconFileId : params.kind === 'homepage' ? theme.homepageImageFileId : null;
    return sendImage(request, reply, fileId);
  });

  app.get('/:journal/issue/cover/:id', { schema: { params: Type.Object({ journal: Type.String({ pattern: JOURNAL_PATH }), id: Type.String() }) } }, async (request, reply) => {
    const params = request.params;
    const journal = await frame.journalOr404(params.journal);
    const issue = await db.selectFrom('issues').select('cover_file_id').where('id', '=', parseId(params.id)).where('journal_id', '=', journal.id).where('is_published', '=', true).executeTakeFirst();
    return sendImage(request, reply, issue?.cover_file_id ?? null);
  });
}
