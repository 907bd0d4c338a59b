import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { requirePermission, sendPrivatePage, can } from '../accounts/index.ts';
import { findArticleForEditing, findSection, listSections, publishNewVersion } from '../catalog/index.ts';
import type { Database, LocalizedList } from '../db/index.ts';
import { formBody, formLocalized, formText } from '../http/forms.ts';
import { NotFoundError, parseId } from '../http/index.ts';
import { doiProblem, doiTaken } from '../exports/index.ts';
import type { FileStore } from '../storage/index.ts';
import { manageContext, noticeFrom } from './manage-context.ts';
import { isHttpUrl } from '../ui/index.ts';
import { ArticleEditPage, type ArticleForm } from './views/articles.tsx';

/** A reference list longer than this is not a reference list (the longest real ones have ~1,000 entries). */
const MAX_REFERENCES = 2000;
const MAX_REFERENCES_TEXT = 500_000;
/** A reference as one line of the form's text area (a stored text may hold line breaks). */
const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

const articlesPermission = { config: { permission: 'journal.articles' as const } };

const journalId = (request: FastifyRequest) => request.viewer.journal!.id;
const base = (request: FastifyRequest) => `/${request.viewer.journal!.path}/management`;

/** The journal's articles: metadata, contributors, galleys; every change readers see is a new version. */
export function journalArticleRoutes(app: FastifyInstance, deps: { db: Kysely<Database>; files: FileStore }): void {
  const { db } = deps;

  // Published articles: metadata changes become a new version.
  const articleOr404 = async (request: FastifyRequest) => {
    const article = await findArticleForEditing(db, journalId(request), parseId((request.params as { id: string }).id));
    if (!article) throw new NotFoundError();
    // Section editors edit only articles in their sections.
    requirePermission(request, 'journal.articles', { journalId: journalId(request), sectionId: article.current.section_id });
    return article;
  };

  const keywordsToText = (keywords: LocalizedList) => Object.fromEntries(Object.entries(keywords).map(([l, list]) => [l, list.join('; ')]));

  app.get('/:journal/management/articles/:id', articlesPermission, async (request, reply) => {
    const m = await manageContext(db, request, reply);
    const article = await articleOr404(request);
    const p = article.current;
    const form: ArticleForm = {
      title: p.title,
      subtitle: p.subtitle,
      abstract: p.abstract,
      keywords: keywordsToText(p.keywords),
      pages: p.pages ?? '',
      sectionId: String(p.section_id),
      licenseUrl: p.license_url ?? '',
      doi: p.doi ?? '',
      references: article.references.map((r) => oneLine(r.text)).join('\n'),
      errors: {},
    };
    const notice = noticeFrom(request, ['saved']) ? m.ctx.t('manage.newVersionSaved', { version: p.version }) : undefined;
    return sendPrivatePage(reply, ArticleEditPage({ ...m, article, form, sections: await listSections(db, m.journal.id), notice }));
  });

  app.post('/:journal/management/articles/:id', articlesPermission, async (request, reply) => {
    const m = await manageContext(db, request, reply);
    const article = await articleOr404(request);
    const body = formBody(request);
    const { t } = m.ctx;
    const form: ArticleForm = {
      title: formLocalized(body, 'title', m.locales, 1000),
      subtitle: formLocalized(body, 'subtitle', m.locales, 1000),
      abstract: formLocalized(body, 'abstract', m.locales, 50_000),
      keywords: formLocalized(body, 'keywords', m.locales, 5000),
      pages: formText(body, 'pages', 40),
      sectionId: formText(body, 'sectionId', 12),
      licenseUrl: formText(body, 'licenseUrl', 1000),
      doi: formText(body, 'doi', 300).replace(/^https?:\/\/(dx\.)?doi\.org\//i, ''),
      references: formText(body, 'references', MAX_REFERENCES_TEXT + 1),
      errors: {},
    };
    const references = form.references.split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== '');
    if (form.references.length > MAX_REFERENCES_TEXT) form.errors.references = t('refcheck.tooLong', { max: MAX_REFERENCES_TEXT });
    else if (references.length > MAX_REFERENCES) form.errors.references = t('refcheck.tooMany', { max: MAX_REFERENCES });
    // The list as the form showed it: saving other fields leaves the stored texts exactly as they were.
    const shown = article.references.map((r) => oneLine(r.text));
    // A request without the field (an older form, a script) changes no reference either.
    const unchanged = !('references' in body) || (references.length === shown.length && references.every((text, i) => text === shown[i]));
    if (Object.keys(form.title).length === 0) form.errors.title = t('manage.articleTitleRequired');
    if (form.pages !== '' && !/^[0-9ivxlcdmIVXLCDM]+(?:[-–][0-9ivxlcdmIVXLCDM]+)?(?:,\s*[0-9ivxlcdmIVXLCDM]+(?:[-–][0-9ivxlcdmIVXLCDM]+)?)*$/.test(form.pages)) form.errors.pages = t('manage.pagesInvalid');
    const section = /^\d{1,9}$/.test(form.sectionId) ? await findSection(db, m.journal.id, Number(form.sectionId)) : undefined;
    if (!section) form.errors.sectionId = t('manage.sectionInvalid');
    else if (!can(request.viewer.user, 'journal.articles', { journalId: m.journal.id, sectionId: section.id })) form.errors.sectionId = t('manage.sectionNotYours');
    if (form.licenseUrl !== '' && !isHttpUrl(form.licenseUrl)) form.errors.licenseUrl = t('manage.urlInvalid');
    if (form.doi !== '' && doiProblem(form.doi)) form.errors.doi = t('doi.invalid');
    else if (form.doi !== '' && (await doiTaken(db, form.doi, article.articleId))) form.errors.doi = t('doi.taken');
    if (Object.keys(form.errors).length > 0) return sendPrivatePage(reply, ArticleEditPage({ ...m, article, form, sections: await listSections(db, m.journal.id) }), 400);
    const keywords: LocalizedList = Object.fromEntries(Object.entries(form.keywords).map(([l, text]) => [l, text.split(/[;\n]/).map((k) => k.trim()).filter(Boolean)]));
    // The abstract is stored as rich text by publishNewVersion: HTML through the allow-list, plain text as paragraphs.
    await publishNewVersion(db, article.articleId, { title: form.title, subtitle: form.subtitle, abstract: form.abstract, keywords, pages: form.pages || null, sectionId: section!.id, licenseUrl: form.licenseUrl || null, doi: form.doi || null, references: unchanged ? undefined : references });
    request.log.info({ articleId: article.articleId }, 'new version published');
    return reply.redirect(`${base(request)}/articles/${article.articleId}?notice=saved`, 303);
  });
}
