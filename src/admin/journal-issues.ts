import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { sendPrivatePage, can } from '../accounts/index.ts';
import {
  findIssue,
  findSection,
  listAllIssues,
  listIssueArticles,
  listSections,
  moveArticleInIssue,
  moveSection,
  moveSectionInIssue,
  publishIssue,
  referenceProblemCounts,
  saveIssue,
  saveSection,
  sectionIsEmpty,
  setCurrentIssue,
  setIssueCover,
  unpublishIssue,
  type IssueFields,
} from '../catalog/index.ts';
import type { Database, Issue } from '../db/index.ts';
import { formBody, formChecked, formLocalized, formText } from '../http/forms.ts';
import { NotFoundError, parseId } from '../http/index.ts';
import { assignMissingDois } from '../exports/index.ts';
import type { FileStore } from '../storage/index.ts';
import type { FormErrors } from '../ui/index.ts';
import { detectImageType, imageUploads, MAX_IMAGE_BYTES, storeImage, uploadedBytes } from './images.ts';
import { isCalendarDate } from './journal-site.ts';
import { manageContext, noticeFrom } from './manage-context.ts';
import { sanitizeRichTextPerLocale } from '../ui/index.ts';
import { IssueEditPage, IssuesPage, SectionEditPage, SectionsPage, type IssueForm, type SectionForm } from './views/issues.tsx';

const settings = { config: { permission: 'journal.settings' as const } };
const issuesPermission = { config: { permission: 'journal.issues' as const } };
/** The issue form, which carries the cover image. */
const issueForm = { config: { ...issuesPermission.config, uploads: imageUploads(1) } };

const journalId = (request: FastifyRequest) => request.viewer.journal!.id;
const base = (request: FastifyRequest) => `/${request.viewer.journal!.path}/management`;
const direction = (request: FastifyRequest) => (formText(formBody(request), 'direction', 10) === 'up' ? 'up' : 'down');


/** Sections and issues (with their order and publication); articles are in journal-articles.ts. */
export function journalIssueRoutes(app: FastifyInstance, deps: { db: Kysely<Database>; files: FileStore }): void {
  const { db, files } = deps;

  // Sections.
  app.get('/:journal/management/sections', settings, async (request, reply) => {
    const m = await manageContext(db, request, reply);
    const notice = noticeFrom(request, ['saved', 'deleted']);
    return sendPrivatePage(reply, SectionsPage({ ...m, sections: await listSections(db, m.journal.id), errors: {}, notice: notice ? m.ctx.t(notice === 'saved' ? 'admin.saved' : 'manage.sectionDeleted') : undefined }));
  });

  app.get('/:journal/management/sections/new', settings, async (request, reply) => {
    const m = await manageContext(db, request, reply);
    return sendPrivatePage(reply, SectionEditPage({ ...m, form: { title: {}, abbreviation: {}, policy: {}, errors: {} } }));
  });

  const readSection = (request: FastifyRequest, locales: readonly string[], required: string): SectionForm => {
    const body = formBody(request);
    const form: SectionForm = {
      title: formLocalized(body, 'title', locales, 300),
      abbreviation: formLocalized(body, 'abbreviation', locales, 30),
      policy: sanitizeRichTextPerLocale(formLocalized(body, 'policy', locales, 20_000)),
      errors: {},
    };
    if (Object.keys(form.title).length === 0) form.errors.title = required;
    return form;
  };

  const sectionOr404 = async (request: FastifyRequest) => {
    const section = await findSection(db, journalId(request), parseId((request.params as { id: string }).id));
    if (!section) throw new NotFoundError();
    return section;
  };

  app.post('/:journal/management/sections/new', settings, async (request, reply) => {
    const m = await manageContext(db, request, reply);
    const form = readSection(request, m.locales, m.ctx.t('manage.sectionTitleRequired'));
    if (Object.keys(form.errors).length > 0) return sendPrivatePage(reply, SectionEditPage({ ...m, form }), 400);
    await saveSection(db, m.journal.id, null, form);
    return reply.redirect(`${base(request)}/sections?notice=saved`, 303);
  });

  app.get('/:journal/management/sections/:id', settings, async (request, reply) => {
    const m = await manageContext(db, request, reply);
    const s = await sectionOr404(request);
    return sendPrivatePage(reply, SectionEditPage({ ...m, id: s.id, form: { title: s.title, abbreviation: s.abbreviation, policy: s.policy, errors: {} } }));
  });

  app.post('/:journal/management/sections/:id', settings, async (request, reply) => {
    const m = await manageContext(db, request, reply);
    const s = await sectionOr404(request);
    const form = readSection(request, m.locales, m.ctx.t('manage.sectionTitleRequired'));
    if (Object.keys(form.errors).length > 0) return sendPrivatePage(reply, SectionEditPage({ ...m, id: s.id, form }), 400);
    await saveSection(db, m.journal.id, s.id, form);
    return reply.redirect(`${base(request)}/sections?notice=saved`, 303);
  });

  app.post('/:journal/management/sections/:id/move', settings, async (request, reply) => {
    const s = await sectionOr404(request);
    await moveSection(db, journalId(request), s.id, direction(request));
    return reply.redirect(`${base(request)}/sections?notice=saved`, 303);
  });

  app.post('/:journal/management/sections/:id/delete', settings, async (request, reply) => {
    const m = await manageContext(db, request, reply);
    const s = await sectionOr404(request);
    // A section with articles stays: deleting it would take their place in the catalog with it.
    if (!(await sectionIsEmpty(db, s.id))) {
      return sendPrivatePage(reply, SectionsPage({ ...m, sections: await listSections(db, m.journal.id), errors: { '': m.ctx.t('manage.sectionNotEmpty') } }), 409);
    }
    await db.deleteFrom('sections').where('id', '=', s.id).execute();
    return reply.redirect(`${base(request)}/sections?notice=deleted`, 303);
  });

  // Issues.
  app.get('/:journal/management/issues', issuesPermission, async (request, reply) => {
    const m = await manageContext(db, request, reply);
    const notice = noticeFrom(request, ['saved']) ? m.ctx.t('admin.saved') : undefined;
    return sendPrivatePage(reply, IssuesPage({ ...m, issues: await listAllIssues(db, m.journal.id), notice }));
  });

  const emptyIssueForm: IssueForm = { volume: '', number: '', year: '', title: {}, description: {}, showVolume: true, showNumber: true, showYear: true, showTitle: true, errors: {} };

  app.get('/:journal/management/issues/new', issuesPermission, async (request, reply) => {
    const m = await manageContext(db, request, reply);
    return sendPrivatePage(reply, IssueEditPage({ ...m, form: { ...emptyIssueForm, year: String(new Date().getUTCFullYear()) }, articles: [], sections: [], canEditArticles: false }));
  });

  const issueOr404 = async (request: FastifyRequest): Promise<Issue> => {
    const issue = await findIssue(db, journalId(request), parseId((request.params as { id: string }).id));
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

  async function showIssue(request: FastifyRequest, reply: Parameters<typeof sendPrivatePage>[0], issue: Issue, form?: IssueForm, status = 200) {
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
        canEditArticles: can(request.viewer.user, 'journal.articles', { journalId: m.journal.id }),
      }),
      status,
    );
  }

  app.get('/:journal/management/issues/:id', issuesPermission, async (request, reply) => showIssue(request, reply, await issueOr404(request)));

  app.post('/:journal/management/issues/:id', issueForm, async (request, reply) => {
    const m = await manageContext(db, request, reply);
    const issue = await issueOr404(request);
    const { form, fields } = readIssue(request, m.locales, m.ctx.t);
    const cover = Object.keys(form.errors).length === 0 ? await readCover(request, form.errors, m.ctx.t, `${m.journal.path}-cover`) : undefined;
    if (Object.keys(form.errors).length > 0) return showIssue(request, reply, issue, form, 400);
    await saveIssue(db, m.journal.id, issue.id, { ...fields, urlPath: issue.url_path });
    if (cover !== undefined) await setIssueCover(db, issue.id, cover);
    return reply.redirect(`${base(request)}/issues/${issue.id}?notice=saved`, 303);
  });

  app.post('/:journal/management/issues/:id/publish', issuesPermission, async (request, reply) => {
    const issue = await issueOr404(request);
    const body = formBody(request);
    const date = formText(body, 'datePublished', 10);
    if (!isCalendarDate(date)) {
      const m = await manageContext(db, request, reply);
      return sendPrivatePage(reply, `${m.ctx.t('manage.dateInvalid')}`, 400);
    }
    await publishIssue(db, journalId(request), issue.id, date, formChecked(body, 'current'));
    // DOIs are assigned at publication when the journal has a prefix (OJS: "assign on publication").
    const journal = await db.selectFrom('journals').select('doi_prefix').where('id', '=', journalId(request)).executeTakeFirstOrThrow();
    if (journal.doi_prefix) await assignMissingDois(db, journalId(request), { issueId: issue.id });
    request.log.info({ issueId: issue.id }, 'issue published');
    return reply.redirect(`${base(request)}/issues/${issue.id}?notice=published`, 303);
  });

  app.post('/:journal/management/issues/:id/unpublish', issuesPermission, async (request, reply) => {
    const issue = await issueOr404(request);
    await unpublishIssue(db, journalId(request), issue.id);
    return reply.redirect(`${base(request)}/issues/${issue.id}?notice=unpublished`, 303);
  });

  app.post('/:journal/management/issues/:id/current', issuesPermission, async (request, reply) => {
    const issue = await issueOr404(request);
    await setCurrentIssue(db, journalId(request), issue.id);
    return reply.redirect(`${base(request)}/issues/${issue.id}?notice=current`, 303);
  });

  app.post('/:journal/management/issues/:id/articles/:articleId/move', issuesPermission, async (request, reply) => {
    const issue = await issueOr404(request);
    await moveArticleInIssue(db, journalId(request), issue.id, parseId((request.params as { articleId: string }).articleId), direction(request));
    return reply.redirect(`${base(request)}/issues/${issue.id}?notice=saved`, 303);
  });

  app.post('/:journal/management/issues/:id/sections/:sectionId/move', issuesPermission, async (request, reply) => {
    const issue = await issueOr404(request);
    await moveSectionInIssue(db, journalId(request), issue.id, parseId((request.params as { sectionId: string }).sectionId), direction(request));
    return reply.redirect(`${base(request)}/issues/${issue.id}?notice=saved`, 303);
  });
}
