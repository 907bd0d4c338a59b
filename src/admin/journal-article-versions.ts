import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { can } from '../accounts/index.ts';
import {
  createDraftVersion,
  discardDraftVersion,
  findCurrentIssue,
  listSections,
  NOTICE_KINDS,
  noticeTargets,
  publishDraftVersion,
  publishNotice,
  VersionError,
  type ArticleForEditing,
} from '../catalog/index.ts';
import type { Clock } from '../clock.ts';
import type { Database, LocalizedText, NoticeKind, Section } from '../db/index.ts';
import { isUiLocale, translator } from '../i18n/index.ts';
import { formBody, formChecked, formLocalized, formText } from '../platform/http/forms.ts';
import { HttpError, parseId } from '../platform/http/index.ts';
import { sendPrivatePage } from '../platform/web/index.ts';
import { fileType, type FileStore } from '../storage/index.ts';
import { richToPlainLine } from '../ui/index.ts';
import { uploadedBytes } from './images.ts';
import { manageContext } from './manage-context.ts';
import { MAX_GALLEY_BYTES } from './journal-article-parts.ts';
import { IdParams, type WithParams } from './schemas.ts';
import { NoticeFormPage, type NoticeForm } from './views/article-versions.tsx';

/**
 * A published article's versions and notices, on its management page (where the journal edits
 * published articles — with or without a workflow submission behind them): make a draft version,
 * which the page's forms then edit; publish it or throw it away; publish a correction, retraction
 * or expression of concern about the article as its own item.
 */

const permission = { config: { permission: 'journal.articles' as const } };
const upload = { config: { ...permission.config, uploads: { files: 1, fileBytes: MAX_GALLEY_BYTES + 1 } } };
const VersionParams = Type.Object({ id: Type.String({ pattern: '^[0-9]{1,10}$' }), publicationId: Type.String({ pattern: '^[0-9]{1,10}$' }) });

/** A section whose name says it holds notices (errata, corrections, retractions), in any language. */
const NOTICE_SECTION = /correct|errat|retract|notice|concern|sprostowa|errat|wycofa|korekt/i;

export function defaultNoticeSection(sections: readonly Section[], articleSectionId: number): number {
  const named = sections.find((s) => Object.values(s.title).some((title) => NOTICE_SECTION.test(title)));
  return named?.id ?? articleSectionId;
}

/** "Correction: <title>" in each language the article has a title in (the UI's languages). */
export function noticeTitles(kind: NoticeKind, title: LocalizedText): LocalizedText {
  const out: LocalizedText = {};
  for (const [locale, text] of Object.entries(title)) {
    const ui = locale.slice(0, 2);
    const plain = richToPlainLine(text);
    if (plain === '' || !isUiLocale(ui)) continue;
    out[locale] = translator(ui)(`notices.titlePrefix.${kind}`, { title: plain });
  }
  return out;
}

export function journalArticleVersionRoutes(
  app: FastifyInstance,
  deps: { db: Kysely<Database>; files: FileStore; clock: Clock; articleOr404: (request: WithParams<typeof IdParams>) => Promise<ArticleForEditing> },
): void {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const { db, articleOr404 } = deps;
  const base = (request: FastifyRequest, articleId: number) => `/${request.viewer.journal!.path}/management/articles/${articleId}`;
  const today = () => deps.clock.now().toISOString().slice(0, 10);
  const refused = (error: unknown) => {
    if (error instanceof VersionError) throw new HttpError(409, error.reason);
    throw error;
  };

  typed.post('/:journal/management/articles/:id/versions', { ...permission, schema: { params: IdParams } }, async (request, reply) => {
    const article = await articleOr404(request);
    const made = await createDraftVersion(db, article.articleId).catch(refused);
    request.log.info({ articleId: article.articleId, publicationId: made.publicationId }, 'draft version made');
    return reply.redirect(base(request, article.articleId), 303);
  });

  typed.post('/:journal/management/articles/:id/versions/:publicationId/publish', { ...permission, schema: { params: VersionParams } }, async (request, reply) => {
    const article = await articleOr404(request);
    await publishDraftVersion(db, article.articleId, parseId(request.params.publicationId), today()).catch(refused);
    request.log.info({ articleId: article.articleId }, 'version published');
    return reply.redirect(`${base(request, article.articleId)}?notice=published`, 303);
  });

  typed.post('/:journal/management/articles/:id/versions/:publicationId/discard', { ...permission, schema: { params: VersionParams } }, async (request, reply) => {
    const article = await articleOr404(request);
    await discardDraftVersion(db, article.articleId, parseId(request.params.publicationId)).catch(refused);
    return reply.redirect(`${base(request, article.articleId)}?notice=changed`, 303);
  });

  // Notices: only about a published article that is not itself a notice.
  const noticeSubject = async (request: WithParams<typeof IdParams>) => {
    const article = await articleOr404(request);
    if (article.readerVersion.status !== 'published') throw new HttpError(409, 'article-not-published');
    if ((await noticeTargets(db, [article.articleId])).has(article.articleId)) throw new HttpError(409, 'article-is-notice');
    return article;
  };

  const sectionsFor = async (request: FastifyRequest) => {
    const journalId = request.viewer.journal!.id;
    return (await listSections(db, journalId)).filter((s) => can(request.viewer.user, 'section.articles', { kind: 'section', journalId, sectionId: s.id }));
  };

  async function showForm(request: WithParams<typeof IdParams>, reply: Parameters<typeof sendPrivatePage>[0], article: ArticleForEditing, form: NoticeForm, status = 200) {
    const m = await manageContext(db, request, reply);
    const [sections, currentIssue] = await Promise.all([sectionsFor(request), findCurrentIssue(db, m.journal.id)]);
    const issue = currentIssue ? await db.selectFrom('issues').selectAll().where('id', '=', currentIssue.id).executeTakeFirst() : undefined;
    const policyMissing = !!m.journal.doi_prefix && !m.journal.crossmark_policy_doi;
    return sendPrivatePage(reply, NoticeFormPage({ ...m, article, form, sections, currentIssue: issue, policyMissing, kinds: NOTICE_KINDS }), status);
  }

  typed.get('/:journal/management/articles/:id/notice', { ...permission, schema: { params: IdParams } }, async (request, reply) => {
    const article = await noticeSubject(request);
    const sections = await sectionsFor(request);
    const form: NoticeForm = { kind: '', title: {}, text: {}, sectionId: String(defaultNoticeSection(sections, article.readerVersion.section_id)), intoCurrentIssue: false, errors: {} };
    return showForm(request, reply, article, form);
  });

  typed.post('/:journal/management/articles/:id/notice', { ...upload, schema: { params: IdParams } }, async (request, reply) => {
    const article = await noticeSubject(request);
    const m = await manageContext(db, request, reply);
    const { t } = m.ctx;
    const body = formBody(request);
    const kind = formText(body, 'kind', 40);
    const form: NoticeForm = {
      kind: (NOTICE_KINDS as readonly string[]).includes(kind) ? (kind as NoticeKind) : '',
      title: formLocalized(body, 'title', m.locales, 1000),
      text: formLocalized(body, 'text', m.locales, 50_000),
      sectionId: formText(body, 'sectionId', 12),
      intoCurrentIssue: formChecked(body, 'intoCurrentIssue'),
      errors: {},
    };
    if (form.kind === '') form.errors.kind = t('notices.kindRequired');
    if (Object.keys(form.text).length === 0) form.errors.text = t('notices.textRequired');
    const sections = await sectionsFor(request);
    const section = sections.find((s) => String(s.id) === form.sectionId);
    if (!section) form.errors.sectionId = t('manage.sectionInvalid');
    const bytes = uploadedBytes(body, 'file');
    if (bytes && bytes.length > MAX_GALLEY_BYTES) form.errors.file = t('articles.fileTooLarge', { size: `${MAX_GALLEY_BYTES / 1024 / 1024} MB` });
    else if (bytes && fileType({ head: bytes }) !== 'application/pdf') form.errors.file = t('notices.pdfOnly');
    if (Object.keys(form.errors).length > 0) return showForm(request, reply, article, form, 400);
    const kindOf = form.kind as NoticeKind;
    // An empty title is the prefilled one: "Retraction: <the article's title>".
    const title = Object.keys(form.title).length > 0 ? form.title : noticeTitles(kindOf, article.readerVersion.title);
    const currentIssue = form.intoCurrentIssue ? await findCurrentIssue(db, m.journal.id) : undefined;
    const stored = bytes ? await deps.files.put(bytes) : undefined;
    const locale = article.readerVersion.locale;
    const published = await publishNotice(db, {
      journalId: m.journal.id,
      articleId: article.articleId,
      kind: kindOf,
      sectionId: section!.id,
      issueId: currentIssue?.id ?? null,
      locale,
      title,
      text: form.text,
      ...(stored ? { galley: { label: 'PDF', locale, file: { storageKey: stored.key, mimeType: 'application/pdf', sizeBytes: stored.sizeBytes, sha256: stored.sha256, originalName: 'notice.pdf' } } } : {}),
      datePublished: today(),
      userId: request.viewer.user?.userId ?? null,
    });
    request.log.info({ articleId: article.articleId, noticeArticleId: published.noticeArticleId, kind: kindOf }, 'notice published');
    return reply.redirect(`${base(request, published.noticeArticleId)}?notice=published`, 303);
  });
}
