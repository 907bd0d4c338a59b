import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { can } from '../accounts/index.ts';
import { sendPrivatePage } from '../platform/web/index.ts';
import {
  deleteIssue,
  findIssue,
  findSection,
  listAllIssues,
  listIssueArticles,
  issueArticleCount,
  listSections,
  moveArticleInIssue,
  moveSectionInIssue,
  publishIssue,
  referenceProblemCounts,
  saveIssue,
  setCurrentIssue,
  setIssueCover,
  unpublishIssue,
  type IssueFields,
} from '../catalog/index.ts';
import type { Clock } from '../clock.ts';
import type { Database, Issue } from '../db/index.ts';
import { formBody, formChecked, formLocalized, formText } from '../platform/http/forms.ts';
import { NotFoundError, parseId } from '../platform/http/index.ts';
import { formatLongDate, type Translate } from '../i18n/index.ts';
import type { FileStore } from '../storage/index.ts';
import type { FormErrors } from '../ui/index.ts';
import { detectImageType, imageUploads, MAX_IMAGE_BYTES, storeImage, uploadedBytes } from './images.ts';
import { isCalendarDate } from './journal-site.ts';
import { manageContext, noticeFrom } from './manage-context.ts';
import { ArticleInIssueParams, IdParams, PublishQuery, SectionInIssueParams } from './schemas.ts';
import { sanitizeRichTextPerLocale } from '../ui/index.ts';
import { ManageConfirmPage } from './views/confirm-pages.tsx';
import { IssueEditPage, IssuesPage, issueName, PublishEmptyFields, type IssueForm } from './views/issues.tsx';


const issuesPermission = { config: { permission: 'journal.issues' as const } };
/** The issue form, which carries the cover image. */
const issueForm = { config: { ...issuesPermission.config, uploads: imageUploads(1) } };

const journalId = (request: FastifyRequest) => request.viewer.journal!.id;
const base = (request: FastifyRequest) => `/${request.viewer.journal!.path}/management`;
const direction = (request: FastifyRequest) => (formText(formBody(request), 'direction', 10) === 'up' ? 'up' : 'down');


/** Issues: their order, publication and deletion; articles are in journal-articles.ts, sections in journal-sections.ts. */
export function journalIssueRoutes(app: FastifyInstance, deps: { db: Kysely<Database>; files: FileStore; clock: Clock }): void {
  const { db, files, clock } = deps;
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();

  // Issues.
  app.get('/:journal/management/issues', issuesPermission, async (request, reply) => {
    const m = await manageContext(db, request, reply);
    const notice = noticeFrom(request, ['saved', 'deleted']);
    return sendPrivatePage(reply, IssuesPage({ ...m, issues: await listAllIssues(db, m.journal.id), notice: notice ? m.ctx.t(notice === 'saved' ? 'admin.saved' : 'issues.deleted') : undefined }));
  });

  const emptyIssueForm: IssueForm = { volume: '', number: '', year: '', title: {}, description: {}, showVolume: true, showNumber: true, showYear: true, showTitle: true, errors: {} };

  app.get('/:journal/management/issues/new', issuesPermission, async (request, reply) => {
    const m = await manageContext(db, request, reply);
    return sendPrivatePage(reply, IssueEditPage({ ...m, form: { ...emptyIssueForm, year: String(new Date().getUTCFullYear()) }, articles: [], sections: [], canEditArticles: false }));
  });

  const issueOr404 = async (request: FastifyRequest & { params: { id: string } }): Promise<Issue> => {
    const issue = await findIssue(db, journalId(request), parseId(request.params.id));
    if (!issue) throw new NotFoundError();
    return issue;
  };

  function readIssue(request: FastifyRequest, locales: readonly string[], t: (k: 'manage.volumeInvalid' | 'manage.yearInvalid' | 'manage.issueIdentificationRequired') => string): { form: IssueForm; fields: IssueFields } {
    const body = formBody(request);
    const form: IssueForm = {
      volume: formText(body, 'volume', 10),
      number: formText(body, 'number', 40),
      year: formText(body, 'year', 10),
      title: formLocalized(body, 'title', locales, 300),
      description: sanitizeRichTextPerLocale(formLocalized(body, 'description', locales, 20_000)),
      showVolume: formChecked(body, 'showVolume'),
      showNumber: formChecked(body, 'showNumber'),
      showYear: formChecked(body, 'showYear'),
      showTitle: formChecked(body, 'showTitle'),
      errors: {},
    };
    if (form.volume !== '' && !/^\d{1,6}$/.test(form.volume)) form.errors.volume = t('manage.volumeInvalid');
    if (form.year !== '' && !/^\d{4}$/.test(form.year)) form.errors.year = t('manage.yearInvalid');
    if (form.volume === '' && form.number === '' && form.year === '' && Object.keys(form.title).length === 0) form.errors.volume = t('manage.issueIdentificationRequired');
    const fields: IssueFields = {
      volume: form.volume === '' ? null : Number(form.volume),
      number: form.number === '' ? null : form.number,
      year: form.year === '' ? null : Number(form.year),
      title: form.title,
      description: form.description,
      showVolume: form.showVolume,
      showNumber: form.showNumber,
      showYear: form.showYear,
      showTitle: form.showTitle,
      urlPath: null,
    };
    return { form, fields };
  }

  async function readCover(request: FastifyRequest, errors: FormErrors, t: (k: 'manage.imageType' | 'manage.imageTooLarge') => string, name: string): Promise<number | null | undefined> {
    const body = formBody(request);
    const bytes = uploadedBytes(body, 'cover');
    if (bytes) {
      const type = detectImageType(bytes);
      if (!type || type === 'image/x-icon') errors.cover = t('manage.imageType');
      else if (bytes.length > MAX_IMAGE_BYTES) errors.cover = t('manage.imageTooLarge');
      else return storeImage(db, files, bytes, type, name);
    } else if (formChecked(body, 'removeCover')) return null;
    return undefined;
  }

  app.post('/:journal/management/issues/new', issueForm, async (request, reply) => {
    const m = await manageContext(db, request, reply);
    const { form, fields } = readIssue(request, m.locales, m.ctx.t);
    const cover = Object.keys(form.errors).length === 0 ? await readCover(request, form.errors, m.ctx.t, `${m.journal.path}-cover`) : undefined;
    if (Object.keys(form.errors).length > 0) return sendPrivatePage(reply, IssueEditPage({ ...m, form, articles: [], sections: [], canEditArticles: false }), 400);
    const id = await saveIssue(db, m.journal.id, null, fields);
    if (cover !== undefined) await setIssueCover(db, id, cover);
    return reply.redirect(`${base(request)}/issues/${id}?notice=saved`, 303);
  });

  async function showIssue(request: FastifyRequest, reply: Parameters<typeof sendPrivatePage>[0], issue: Issue, form?: IssueForm, status = 200, problems: FormErrors = {}) {
    const m = await manageContext(db, request, reply);
    const articles = await listIssueArticles(db, m.journal.id, issue.id);
    const notice = noticeFrom(request, ['saved', 'published', 'unpublished', 'current']);
    const noticeText = notice ? m.ctx.t(notice === 'saved' ? 'admin.saved' : (`manage.notice.${notice}` as 'manage.notice.published')) : undefined;
    return sendPrivatePage(
      reply,
      IssueEditPage({
        ...m,
        issue,
        form: form ?? {
          volume: issue.volume === null ? '' : String(issue.volume),
          number: issue.number ?? '',
          year: issue.year === null ? '' : String(issue.year),
          title: issue.title,
          description: issue.description,
          showVolume: issue.show_volume,
          showNumber: issue.show_number,
          showYear: issue.show_year,
          showTitle: issue.show_title,
          errors: {},
        },
        articles,
        referenceCounts: await referenceProblemCounts(db, articles.map((a) => a.publicationId)),
        sections: await listSections(db, m.journal.id),
        notice: noticeText,
        problems,
        canEditArticles: can(request.viewer.user, 'journal.articles', { kind: 'journal', journalId: m.journal.id }),
      }),
      status,
    );
  }

  typed.get('/:journal/management/issues/:id', { ...issuesPermission, schema: { params: IdParams } }, async (request, reply) => showIssue(request, reply, await issueOr404(request)));

  typed.post('/:journal/management/issues/:id', { ...issueForm, schema: { params: IdParams } }, async (request, reply) => {
    const m = await manageContext(db, request, reply);
    const issue = await issueOr404(request);
    const { form, fields } = readIssue(request, m.locales, m.ctx.t);
    const cover = Object.keys(form.errors).length === 0 ? await readCover(request, form.errors, m.ctx.t, `${m.journal.path}-cover`) : undefined;
    if (Object.keys(form.errors).length > 0) return showIssue(request, reply, issue, form, 400);
    await saveIssue(db, m.journal.id, issue.id, { ...fields, urlPath: issue.url_path });
    if (cover !== undefined) await setIssueCover(db, issue.id, cover);
    return reply.redirect(`${base(request)}/issues/${issue.id}?notice=saved`, 303);
  });

  // Publishing: an issue without articles only after its own confirmation, never by accident.
  const readPublish = (request: FastifyRequest) => {
    const body = formBody(request);
    return { date: formText(body, 'datePublished', 10), current: formChecked(body, 'current'), empty: formText(body, 'publishEmpty', 10) === 'yes' };
  };

  typed.get('/:journal/management/issues/:id/publish', { ...issuesPermission, schema: { params: IdParams, querystring: PublishQuery } }, async (request, reply) => {
    const issue = await issueOr404(request);
    // Only an empty issue needs this page; any other is published by the form on its own page.
    if (issue.is_published || (await issueArticleCount(db, issue.id)) > 0) return reply.redirect(`${base(request)}/issues/${issue.id}`, 303);
    const m = await manageContext(db, request, reply);
    const { t } = m.ctx;
    const query = request.query;
    const requested = formText(query, 'datePublished', 10);
    const date = isCalendarDate(requested) ? requested : clock.now().toISOString().slice(0, 10);
    const current = 'datePublished' in query ? formChecked(query, 'current') : true;
    const name = issueName(m.ctx, issue);
    return sendPrivatePage(
      reply,
      ManageConfirmPage({
        ...m,
        title: t('manage.publishIssue'),
        action: `${base(request)}/issues/${issue.id}/publish`,
        question: t('issues.publishEmptyQuestion', { issue: name }),
        consequences: [t('issues.publishEmptyNoArticles'), t('issues.publishEmptyVisible'), t('issues.publishDateAndCurrent', { date: formatLongDate(m.ctx.locale, date), current: t(current ? 'issues.willBeCurrent' : 'issues.willNotBeCurrent') })],
        confirmLabel: t('issues.publishEmptyConfirm'),
        cancelHref: `${base(request)}/issues/${issue.id}`,
        danger: false,
        children: PublishEmptyFields({ date, current }),
      }),
    );
  });

  typed.post('/:journal/management/issues/:id/publish', { ...issuesPermission, schema: { params: IdParams } }, async (request, reply) => {
    const issue = await issueOr404(request);
    const { date, current, empty } = readPublish(request);
    if (!isCalendarDate(date)) {
      const m = await manageContext(db, request, reply);
      return sendPrivatePage(reply, `${m.ctx.t('manage.dateInvalid')}`, 400);
    }
    if (!empty && (await issueArticleCount(db, issue.id)) === 0) {
      return showIssue(request, reply, issue, undefined, 400, { '': (await manageContext(db, request, reply)).ctx.t('issues.publishEmptyRefused') });
    }
    // Publishing assigns the DOIs when the journal has a prefix (the command's rule, not this page's).
    const { dois } = await publishIssue(db, { journalId: journalId(request), issueId: issue.id, date, makeCurrent: current });
    request.log.info({ issueId: issue.id, empty, dois: dois?.assigned.length }, 'issue published');
    return reply.redirect(`${base(request)}/issues/${issue.id}?notice=published`, 303);
  });

  typed.get('/:journal/management/issues/:id/unpublish', { ...issuesPermission, schema: { params: IdParams } }, async (request, reply) => {
    const issue = await issueOr404(request);
    if (!issue.is_published) return reply.redirect(`${base(request)}/issues/${issue.id}`, 303);
    const m = await manageContext(db, request, reply);
    const { t } = m.ctx;
    const articles = await issueArticleCount(db, issue.id);
    return sendPrivatePage(
      reply,
      ManageConfirmPage({
        ...m,
        title: t('manage.unpublish'),
        action: `${base(request)}/issues/${issue.id}/unpublish`,
        question: t('issues.unpublishQuestion', { issue: issueName(m.ctx, issue) }),
        consequences: [
          t('issues.unpublishArticles', { count: articles }),
          ...(articles > 0 ? [t('issues.unpublishDois'), t('issues.unpublishOai')] : []),
          ...(issue.is_current ? [t('issues.unpublishCurrent')] : []),
          t('issues.unpublishKept'),
        ],
        confirmLabel: t('issues.unpublishConfirm'),
        cancelHref: `${base(request)}/issues/${issue.id}`,
      }),
    );
  });

  typed.post('/:journal/management/issues/:id/unpublish', { ...issuesPermission, schema: { params: IdParams } }, async (request, reply) => {
    const issue = await issueOr404(request);
    await unpublishIssue(db, journalId(request), issue.id);
    request.log.info({ issueId: issue.id }, 'issue unpublished');
    return reply.redirect(`${base(request)}/issues/${issue.id}?notice=unpublished`, 303);
  });

  /** Why this issue cannot be deleted, in words for the editor; undefined when it can. */
  const deletionProblem = async (issue: Issue, t: Translate): Promise<string | undefined> => {
    if (issue.is_published) return t('issues.deletePublished');
    const articles = await issueArticleCount(db, issue.id);
    return articles > 0 ? t('issues.deleteHasArticles', { count: articles }) : undefined;
  };

  typed.get('/:journal/management/issues/:id/delete', { ...issuesPermission, schema: { params: IdParams } }, async (request, reply) => {
    const issue = await issueOr404(request);
    const m = await manageContext(db, request, reply);
    const { t } = m.ctx;
    const problem = await deletionProblem(issue, t);
    if (problem) return showIssue(request, reply, issue, undefined, 409, { '': problem });
    const galleys = await db.selectFrom('issue_galleys').select((eb) => eb.fn.countAll<string>().as('n')).where('issue_id', '=', issue.id).executeTakeFirstOrThrow();
    return sendPrivatePage(
      reply,
      ManageConfirmPage({
        ...m,
        title: t('issues.delete'),
        action: `${base(request)}/issues/${issue.id}/delete`,
        question: t('issues.deleteQuestion', { issue: issueName(m.ctx, issue) }),
        consequences: [t('issues.deleteWhat', { files: Number(galleys.n) }), t('issues.deleteNeverSeen')],
        confirmLabel: t('issues.deleteConfirm'),
        cancelHref: `${base(request)}/issues/${issue.id}`,
      }),
    );
  });

  typed.post('/:journal/management/issues/:id/delete', { ...issuesPermission, schema: { params: IdParams } }, async (request, reply) => {
    const issue = await issueOr404(request);
    const outcome = await deleteIssue(db, journalId(request), issue.id);
    if (!outcome.deleted) {
      const { t } = (await manageContext(db, request, reply)).ctx;
      if (outcome.reason === 'missing') throw new NotFoundError();
      return showIssue(request, reply, issue, undefined, 409, { '': outcome.reason === 'published' ? t('issues.deletePublished') : t('issues.deleteHasArticles', { count: outcome.articles }) });
    }
    for (const key of outcome.storageKeys) await files.remove(key);
    request.log.info({ issueId: issue.id, files: outcome.storageKeys.length }, 'issue deleted');
    return reply.redirect(`${base(request)}/issues?notice=deleted`, 303);
  });

  typed.post('/:journal/management/issues/:id/current', { ...issuesPermission, schema: { params: IdParams } }, async (request, reply) => {
    const issue = await issueOr404(request);
    await setCurrentIssue(db, journalId(request), issue.id);
    return reply.redirect(`${base(request)}/issues/${issue.id}?notice=current`, 303);
  });

  typed.post('/:journal/management/issues/:id/articles/:articleId/move', { ...issuesPermission, schema: { params: ArticleInIssueParams } }, async (request, reply) => {
    const issue = await issueOr404(request);
    await moveArticleInIssue(db, journalId(request), issue.id, parseId(request.params.articleId), direction(request));
    return reply.redirect(`${base(request)}/issues/${issue.id}?notice=saved`, 303);
  });

  typed.post('/:journal/management/issues/:id/sections/:sectionId/move', { ...issuesPermission, schema: { params: SectionInIssueParams } }, async (request, reply) => {
    const issue = await issueOr404(request);
    await moveSectionInIssue(db, journalId(request), issue.id, parseId(request.params.sectionId), direction(request));
    return reply.redirect(`${base(request)}/issues/${issue.id}?notice=saved`, 303);
  });

}
