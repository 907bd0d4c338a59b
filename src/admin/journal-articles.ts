import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { requireCan, can } from '../accounts/index.ts';
import { sendPrivatePage } from '../platform/web/index.ts';
import {
  ARTICLE_PAGE_SIZE,
  ARTICLE_SORTS,
  ARTICLE_STANDINGS,
  articleUnpublications,
  findArticleForEditing,
  findIssue,
  findSection,
  listAllIssues,
  listJournalArticles,
  listSections,
  moveArticle,
  publicationContributors,
  publicationGalleys,
  publishNewVersion,
  republishArticle,
  unpublishArticle,
  type ArticleForEditing,
  type ArticleListQuery,
  type ArticleSort,
  type ArticleStanding,
} from '../catalog/index.ts';
import type { Clock } from '../clock.ts';
import type { Database, LocalizedList, Section } from '../db/index.ts';
import { formBody, formLocalized, formText } from '../platform/http/forms.ts';
import { NotFoundError, parseId } from '../platform/http/index.ts';
import { doiProblem, doiTaken } from '../exports/index.ts';
import type { FileStore } from '../storage/index.ts';
import { manageContext, noticeFrom } from './manage-context.ts';
import { isHttpUrl, type FormErrors } from '../ui/index.ts';
import { journalArticlePartRoutes } from './journal-article-parts.ts';
import { journalArticleVersionRoutes } from './journal-article-versions.ts';
import { ArticleConfirmPage } from './views/article-parts.tsx';
import { ArticleListPage } from './views/article-list.tsx';
import { ArticleEditPage, type ArticleForm, type ArticleParts } from './views/articles.tsx';
import { ArticleListAddress, IdParams, type WithParams } from './schemas.ts';

/** A reference list longer than this is not a reference list (the longest real ones have ~1,000 entries). */
const MAX_REFERENCES = 2000;
const MAX_REFERENCES_TEXT = 500_000;
/** A reference as one line of the form's text area (a stored text may hold line breaks). */
const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

const articlesPermission = { config: { permission: 'journal.articles' as const } };

const journalId = (request: FastifyRequest) => request.viewer.journal!.id;
const base = (request: FastifyRequest) => `/${request.viewer.journal!.path}/management`;

/**
 * The sections whose articles this person may open in the request's journal: undefined for everyone
 * but section editors (a section no journal has, 0, passes only roles not limited to sections). For
 * the overview: `articleCounts(db, journalId, articleSectionIds(request, sections))`.
 */
export function articleSectionIds(request: FastifyRequest, sections: readonly Section[]): number[] | undefined {
  const user = request.viewer.user;
  const journal = journalId(request);
  if (can(user, 'section.articles', { kind: 'section', journalId: journal, sectionId: 0 })) return undefined;
  return sections.filter((s) => can(user, 'section.articles', { kind: 'section', journalId: journal, sectionId: s.id })).map((s) => s.id);
}

/** The journal's articles: metadata, contributors, galleys; every change readers see is a new version. */
export function journalArticleRoutes(app: FastifyInstance, deps: { db: Kysely<Database>; files: FileStore; clock: Clock }): void {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = deps;

  /**
   * The sections whose articles this person may open: undefined for everyone but section editors
   * (a section no journal has, 0, passes only roles that are not limited to sections).
   */
  const ownSections = (request: FastifyRequest, sections: Section[]) => articleSectionIds(request, sections);

  typed.get('/:journal/management/articles', { ...articlesPermission, schema: { querystring: ArticleListAddress } }, async (request, reply) => {
    const m = await manageContext(db, request, reply);
    // One value per name (the first of repeated ones), as a form reads it.
    const raw = Object.fromEntries(['search', 'issue', 'section', 'status', 'sort', 'dir', 'page'].map((name) => [name, formText(request.query, name, 200)]));
    const id = (value: string | undefined) => (value !== undefined && /^[1-9]\d{0,8}$/.test(value) ? Number(value) : undefined);
    const allSections = await listSections(db, m.journal.id);
    const sectionIds = ownSections(request, allSections);
    const sections = sectionIds === undefined ? allSections : allSections.filter((s) => sectionIds.includes(s.id));
    const query: ArticleListQuery = {
      search: raw.search || undefined,
      issueId: id(raw.issue),
      sectionId: id(raw.section),
      standing: ARTICLE_STANDINGS.includes(raw.status as ArticleStanding) ? (raw.status as ArticleStanding) : undefined,
      sort: ARTICLE_SORTS.includes(raw.sort as ArticleSort) ? (raw.sort as ArticleSort) : undefined,
      dir: raw.dir === 'desc' ? 'desc' : raw.dir === 'asc' ? 'asc' : undefined,
      page: Math.min(id(raw.page) ?? 1, 100_000),
      ...(sectionIds === undefined ? {} : { sectionIds }),
    };
    const [{ articles, total }, issues] = await Promise.all([listJournalArticles(db, m.journal.id, query), listAllIssues(db, m.journal.id)]);
    const pages = Math.max(1, Math.ceil(total / ARTICLE_PAGE_SIZE));
    return sendPrivatePage(reply, ArticleListPage({ ...m, articles, total, pages, query, issues, sections }));
  });

  // Published articles: metadata changes become a new version.
  const articleOr404 = async (request: WithParams<typeof IdParams>) => {
    const article = await findArticleForEditing(db, journalId(request), parseId(request.params.id));
    if (!article) throw new NotFoundError();
    // Section editors edit only articles in their sections.
    requireCan(request, 'article.edit', { kind: 'article', journalId: journalId(request), sectionId: article.current.section_id, articleId: article.articleId, published: article.readerVersion.status === 'published', assignments: [] });
    return article;
  };

  /** Sections this person may put an article in. */
  const sectionsFor = async (request: FastifyRequest, journal: number) => {
    const all = await listSections(db, journal);
    const own = ownSections(request, all);
    return own === undefined ? all : all.filter((s) => own.includes(s.id));
  };

  async function partsOf(article: ArticleForEditing, placement?: ArticleParts['placement']): Promise<ArticleParts> {
    const [contributors, galleys, issues, unpublications, issue, noticeOf] = await Promise.all([
      publicationContributors(db, article.current.id),
      publicationGalleys(db, article.current.id),
      listAllIssues(db, article.journalId),
      articleUnpublications(db, article.articleId),
      article.readerVersion.issue_id === null ? undefined : findIssue(db, article.journalId, article.readerVersion.issue_id),
      db.selectFrom('article_notices').select('id').where('notice_article_id', '=', article.articleId).executeTakeFirst(),
    ]);
    const standing: ArticleStanding = issue && !issue.is_published ? 'scheduled' : article.readerVersion.status === 'published' ? 'published' : 'unpublished';
    return { contributors, galleys, issues, unpublications, standing, isNotice: noticeOf !== undefined, ...(placement ? { placement } : {}) };
  }

  const keywordsToText = (keywords: LocalizedList) => Object.fromEntries(Object.entries(keywords).map(([l, list]) => [l, list.join('; ')]));

  /** The metadata form as the current version fills it. */
  const formOf = (article: ArticleForEditing): ArticleForm => {
    const p = article.current;
    return {
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
  };

  typed.get('/:journal/management/articles/:id', { ...articlesPermission, schema: { params: IdParams } }, async (request, reply) => {
    const m = await manageContext(db, request, reply);
    const article = await articleOr404(request);
    const p = article.current;
    const form = formOf(article);
    const notice = noticeFrom(request, ['saved', 'changed', 'unpublished', 'published']);
    const noticeText = notice === 'saved' ? m.ctx.t('manage.newVersionSaved', { version: p.version }) : notice ? m.ctx.t(`articles.notice.${notice as 'changed'}`) : undefined;
    return sendPrivatePage(reply, ArticleEditPage({ ...m, article, form, sections: await sectionsFor(request, m.journal.id), notice: noticeText, parts: await partsOf(article) }));
  });

  typed.post('/:journal/management/articles/:id', { ...articlesPermission, schema: { params: IdParams } }, async (request, reply) => {
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
    else if (!can(request.viewer.user, 'section.articles', { kind: 'section', journalId: m.journal.id, sectionId: section.id })) form.errors.sectionId = t('manage.sectionNotYours');
    if (form.licenseUrl !== '' && !isHttpUrl(form.licenseUrl)) form.errors.licenseUrl = t('manage.urlInvalid');
    if (form.doi !== '' && doiProblem(form.doi)) form.errors.doi = t('doi.invalid');
    else if (form.doi !== '' && (await doiTaken(db, form.doi, article.articleId))) form.errors.doi = t('doi.taken');
    if (Object.keys(form.errors).length > 0) return sendPrivatePage(reply, ArticleEditPage({ ...m, article, form, sections: await sectionsFor(request, m.journal.id), parts: await partsOf(article) }), 400);
    const keywords: LocalizedList = Object.fromEntries(Object.entries(form.keywords).map(([l, text]) => [l, text.split(/[;\n]/).map((k) => k.trim()).filter(Boolean)]));
    // The abstract is stored as rich text by publishNewVersion: HTML through the allow-list, plain text as paragraphs.
    await publishNewVersion(db, article.articleId, { title: form.title, subtitle: form.subtitle, abstract: form.abstract, keywords, pages: form.pages || null, sectionId: section!.id, licenseUrl: form.licenseUrl || null, doi: form.doi || null, references: unchanged ? undefined : references });
    request.log.info({ articleId: article.articleId }, 'new version published');
    return reply.redirect(`${base(request)}/articles/${article.articleId}?notice=saved`, 303);
  });

  // Where the article is: its issue (or none) and section.
  typed.post('/:journal/management/articles/:id/placement', { ...articlesPermission, schema: { params: IdParams } }, async (request, reply) => {
    const m = await manageContext(db, request, reply);
    const article = await articleOr404(request);
    const body = formBody(request);
    const placement = { issueId: formText(body, 'toIssue', 12), sectionId: formText(body, 'toSection', 12), errors: {} as FormErrors };
    const issue = /^\d{1,9}$/.test(placement.issueId) ? await findIssue(db, m.journal.id, Number(placement.issueId)) : undefined;
    if (placement.issueId !== '' && !issue) placement.errors.toIssue = m.ctx.t('articles.issueInvalid');
    const section = /^\d{1,9}$/.test(placement.sectionId) ? await findSection(db, m.journal.id, Number(placement.sectionId)) : undefined;
    if (!section) placement.errors.toSection = m.ctx.t('manage.sectionInvalid');
    else if (!can(request.viewer.user, 'section.articles', { kind: 'section', journalId: m.journal.id, sectionId: section.id })) placement.errors.toSection = m.ctx.t('manage.sectionNotYours');
    if (Object.keys(placement.errors).length > 0) {
      return sendPrivatePage(reply, ArticleEditPage({ ...m, article, form: formOf(article), sections: await sectionsFor(request, m.journal.id), parts: await partsOf(article, placement) }), 400);
    }
    await moveArticle(db, article.articleId, { issueId: issue?.id ?? null, sectionId: section!.id });
    request.log.info({ articleId: article.articleId, issueId: issue?.id ?? null, sectionId: section!.id }, 'article moved');
    return reply.redirect(`${base(request)}/articles/${article.articleId}?notice=changed`, 303);
  });

  // Unpublishing: a confirmation that asks why; the reason stays on record for the team.
  const unpublishPage = async (request: FastifyRequest, reply: Parameters<typeof sendPrivatePage>[0], article: ArticleForEditing, reason: { value: string; error?: string }, status = 200) => {
    const m = await manageContext(db, request, reply);
    const { t } = m.ctx;
    return sendPrivatePage(
      reply,
      ArticleConfirmPage({
        ...m,
        article,
        action: `${base(request)}/articles/${article.articleId}/unpublish`,
        question: t('articles.unpublishQuestion'),
        consequences: [t('articles.unpublishHides'), t('articles.unpublishKeeps'), t('articles.unpublishReasonKept')],
        confirmLabel: t('articles.unpublish'),
        reason,
      }),
      status,
    );
  };

  typed.get('/:journal/management/articles/:id/unpublish', { ...articlesPermission, schema: { params: IdParams } }, async (request, reply) => unpublishPage(request, reply, await articleOr404(request), { value: '' }));

  typed.post('/:journal/management/articles/:id/unpublish', { ...articlesPermission, schema: { params: IdParams } }, async (request, reply) => {
    const article = await articleOr404(request);
    const m = await manageContext(db, request, reply);
    const reason = formText(formBody(request), 'reason', 5001);
    if (reason === '') return unpublishPage(request, reply, article, { value: reason, error: m.ctx.t('articles.unpublishReasonRequired') }, 400);
    if (reason.length > 5000) return unpublishPage(request, reply, article, { value: reason.slice(0, 5000), error: m.ctx.t('articles.unpublishReasonTooLong', { max: 5000 }) }, 400);
    await unpublishArticle(db, article.articleId, reason, request.viewer.user?.userId ?? null);
    request.log.info({ articleId: article.articleId }, 'article unpublished');
    return reply.redirect(`${base(request)}/articles/${article.articleId}?notice=unpublished`, 303);
  });

  // Publishing again is not destructive: one step.
  typed.post('/:journal/management/articles/:id/publish', { ...articlesPermission, schema: { params: IdParams } }, async (request, reply) => {
    const article = await articleOr404(request);
    await republishArticle(db, article.articleId, deps.clock.now().toISOString().slice(0, 10));
    return reply.redirect(`${base(request)}/articles/${article.articleId}?notice=published`, 303);
  });

  journalArticlePartRoutes(app, { ...deps, articleOr404 });
  journalArticleVersionRoutes(app, { ...deps, articleOr404 });
}
