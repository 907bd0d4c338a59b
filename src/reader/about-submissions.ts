import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { listSections, type JournalSummary } from '../catalog/index.ts';
import type { Database } from '../db/index.ts';
import { localize, type LocalizedValue } from '../i18n/index.ts';
import { etagOf, sendPublicPage } from '../platform/http/index.ts';
import { markPrivate } from '../platform/web/index.ts';
import type { PageContext } from '../ui/index.ts';
import { sectionSubmissionRules, submissionSettings } from '../workflow/index.ts';
import { AboutSubmissionsPage } from './views/about-submissions.tsx';

/**
 * The journal's "Submissions" page, from its submission settings. Rendered on every request rather
 * than through the page cache: the cache is retired by catalog changes, and the submission settings
 * are workflow tables that send no change notice.
 */
export async function sendAboutSubmissions(db: Kysely<Database>, request: FastifyRequest, reply: FastifyReply, ctx: PageContext, journal: JournalSummary): Promise<FastifyReply> {
  const [settings, rules, sections, pages, journalRow] = await Promise.all([
    submissionSettings(db, journal.id),
    sectionSubmissionRules(db, journal.id),
    listSections(db, journal.id),
    db.selectFrom('journal_pages').select(['path', 'content']).where('journal_id', '=', journal.id).where('path', 'in', ['submissions', 'privacy']).execute(),
    db.selectFrom('journals').select('copyright_notice').where('id', '=', journal.id).executeTakeFirstOrThrow(),
  ]);
  const here = (text: Record<string, string> | null | undefined) => localize(text, ctx.locale, journal.primaryLocale);
  const page = (path: string) => here(pages.find((p) => p.path === path)?.content);
  const open = new Set(rules.filter((r) => r.isOpen).map((r) => r.sectionId));
  const html = String(
    AboutSubmissionsPage({
      ctx,
      about: {
        intro: page('submissions'),
        guidelines: here(settings.authorGuidelines),
        checklist: settings.checklist.map(here).filter((item): item is LocalizedValue => item !== undefined),
        // The journal's own notice and privacy page stand in until the submission settings say otherwise.
        copyrightNotice: here(settings.copyrightNotice) ?? here(journalRow.copyright_notice),
        privacyStatement: here(settings.privacyStatement) ?? page('privacy'),
        openSections: sections.filter((s) => open.has(s.id)).map((s) => here(s.title) ?? { text: `#${s.id}`, locale: journal.primaryLocale }),
      },
    }),
  );
  if (ctx.viewer) return markPrivate(reply).type('text/html; charset=utf-8').send(html);
  return sendPublicPage(request, reply, { body: html, etag: etagOf(html) });
}
