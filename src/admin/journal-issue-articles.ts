import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { addArticleToIssue, findIssue, listSections } from '../catalog/index.ts';
import type { Database } from '../db/index.ts';
import { formBody, formText } from '../platform/http/forms.ts';
import { NotFoundError, parseId } from '../platform/http/index.ts';
import { sendPrivatePage } from '../platform/web/index.ts';
import type { FormErrors } from '../ui/index.ts';
import { manageContext } from './manage-context.ts';
import { IdParams } from './schemas.ts';
import { IssueArticleNewPage, type IssueArticleForm } from './views/issue-article-new.tsx';
import { issueName } from './views/issues.tsx';

const issuesPermission = { config: { permission: 'journal.issues' as const } };
const MAX_ABSTRACT = 20000;

/**
 * "New article" on an issue's management page (issue 21, item 4): an editorial or back content added
 * straight to the issue, without the workflow, by the catalog's command; the editor goes on to its
 * galleys and other authors on the article's page. It is published with the issue.
 */
export function journalIssueArticleRoutes(app: FastifyInstance, deps: { db: Kysely<Database> }): void {
  const { db } = deps;
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();

  async function issueOf(request: FastifyRequest<{ Params: { id: string } }>) {
    const issue = await findIssue(db, request.viewer.journal!.id, parseId(request.params.id));
    if (!issue) throw new NotFoundError();
    return issue;
  }

  async function show(request: FastifyRequest<{ Params: { id: string } }>, reply: Parameters<typeof manageContext>[2], form: IssueArticleForm, status = 200) {
    const issue = await issueOf(request);
    const m = await manageContext(db, request, reply);
    const sections = await listSections(db, m.journal.id);
    const action = `/${m.journal.path}/management/issues/${issue.id}/articles/new`;
    return sendPrivatePage(reply, IssueArticleNewPage({ ...m, issueName: issueName(m.ctx, issue), action, sections, form }), status);
  }

  typed.get('/:journal/management/issues/:id/articles/new', { ...issuesPermission, schema: { params: IdParams } }, async (request, reply) => show(request, reply, { title: '', sectionId: '', givenName: '', familyName: '', abstract: '', errors: {} }));

  typed.post('/:journal/management/issues/:id/articles/new', { ...issuesPermission, schema: { params: IdParams } }, async (request, reply) => {
    const issue = await issueOf(request);
    const m = await manageContext(db, request, reply);
    const body = formBody(request);
    const form: IssueArticleForm = {
      title: formText(body, 'title', 501).trim(),
      sectionId: formText(body, 'sectionId', 12),
      givenName: formText(body, 'givenName', 201).trim(),
      familyName: formText(body, 'familyName', 201).trim(),
      abstract: formText(body, 'abstract', MAX_ABSTRACT + 1),
      errors: {},
    };
    const sections = await listSections(db, m.journal.id);
    const section = sections.find((s) => String(s.id) === form.sectionId);
    const errors: FormErrors = {};
    if (form.title === '' || form.title.length > 500) errors.title = m.ctx.t('issueArticle.titleRequired');
    if (!section) errors.sectionId = m.ctx.t('issueArticle.sectionRequired');
    if (form.abstract.length > MAX_ABSTRACT || form.givenName.length > 200 || form.familyName.length > 200) errors.abstract = m.ctx.t('issueArticle.tooLong');
    if (Object.keys(errors).length > 0) return show(request, reply, { ...form, errors }, 400);
    const named = form.givenName !== '' || form.familyName !== '';
    const id = await addArticleToIssue(db, {
      journalId: m.journal.id,
      issueId: issue.id,
      sectionId: section!.id,
      locale: m.journal.primary_locale,
      title: form.title,
      abstract: form.abstract,
      author: named ? { givenName: form.givenName, familyName: form.familyName } : null,
    });
    return reply.redirect(`/${m.journal.path}/management/articles/${id}`, 303);
  });
}
