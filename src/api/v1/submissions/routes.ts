import { findDraftVersion, publishNewVersion } from '../../../catalog/index.ts';
import { HttpError, NotFoundError, TokenRequiredError } from '../../../platform/http/index.ts';
import { FieldsError, JournalParams } from '../../../platform/http/index.ts';
import { findSubmission } from '../../../workflow/index.ts';
import { callerCan, requireCallerCan } from '../../auth.ts';
import { changedPublicationTexts, journalOf, Paged, pageOf } from '../common.ts';
import type { ApiDeps, ApiRoutes } from '../deps.ts';
import { presentArticles } from './presenter.ts';
import { listArticles, loadPublications, type ListedArticle } from './queries.ts';
import { Publication, PublicationChanges, PublicationParams, Submission, SubmissionParams, SubmissionQuery } from './schema.ts';
import { editSubmissionPublication, presentWorkflowSubmission } from './workflow-routes.ts';
import { listWorkflowSubmissions } from './workflow-queries.ts';
import { presentWorkflow } from './workflow-presenter.ts';
import { workflowRefusals } from './workflow-schema.ts';

const tags = ['submissions'];
const csrf = { csrf: false } as const;

/**
 * Articles with their versions (OJS: submissions and publications), contributors and galleys. Readers
 * see published articles; a token of the journal's manager or editor shows every article and version
 * (but no one's draft). With `status`, the list is of the workflow's submissions the token's person
 * may see, and one submission its reader may see comes with its `workflow`. Changing a published
 * version's title or abstract goes through the catalog's `publishNewVersion`, as the management page's
 * edit does: published metadata changes as a new version; a submission's metadata changes in place
 * through the workflow's commands (workflow-routes.ts).
 */
export function submissionRoutes(routes: ApiRoutes, { db, baseUrl }: ApiDeps): void {
  const present = (journalPath: string, articles: ListedArticle[], editor: boolean) => presentArticles(db, { journalPath, baseUrl }, articles, editor);

  routes.get('/:journal/api/v1/submissions', { config: csrf, schema: { summary: 'List articles', description: 'Newest first.', tags, operationId: 'getSubmissions', params: JournalParams, querystring: SubmissionQuery, response: { 200: Paged(Submission) } } }, async (request) => {
    const journal = await journalOf(db, request.params.journal);
    const { issueIds, sectionIds, status } = request.query;
    if (status) {
      // What the workflow shows this person: their own drafts and submissions, or what they edit.
      if (!request.apiCaller) throw new TokenRequiredError('missing');
      const { articles, total } = await listWorkflowSubmissions(db, request.apiCaller.principal, journal.id, status, pageOf(request.query));
      const where = { journalPath: journal.path, baseUrl };
      const items = await present(journal.path, articles, true);
      return { itemsMax: total, items: items.map((item, i) => ({ ...item, workflow: presentWorkflow(item.id, articles[i]!.workflow, {}, where) })) };
    }
    const editor = callerCan(request, 'journal.issues', { kind: 'journal', journalId: journal.id });
    const { articles, total } = await listArticles(db, { journalId: journal.id, editor, ...(issueIds ? { issueIds } : {}), ...(sectionIds ? { sectionIds } : {}) }, pageOf(request.query));
    return { itemsMax: total, items: await present(journal.path, articles, editor) };
  });

  async function submissionOr404(request: Parameters<typeof callerCan>[0], journalPath: string, submissionId: number) {
    const journal = await journalOf(db, journalPath);
    const record = await findSubmission(db, journal.id, submissionId);
    // A submission its reader may see comes with its place in the workflow; a draft to nobody else.
    if (record && callerCan(request, 'submission.read', record.resource)) return { journal, submission: await presentWorkflowSubmission(db, request, { journalPath: journal.path, baseUrl }, record) };
    if (record?.status === 'draft') throw new NotFoundError(`no article ${submissionId}`);
    const editor = callerCan(request, 'journal.issues', { kind: 'journal', journalId: journal.id });
    const { articles } = await listArticles(db, { journalId: journal.id, editor, articleIds: [submissionId] }, { limit: 1, offset: 0 });
    if (articles.length === 0) throw new NotFoundError(`no article ${submissionId}`);
    return { journal, submission: (await present(journal.path, articles, editor))[0]! };
  }

  routes.get('/:journal/api/v1/submissions/:submissionId', { config: csrf, schema: { summary: 'Get an article', tags, operationId: 'getSubmission', params: SubmissionParams, response: { 200: Submission } } }, async (request) => {
    return (await submissionOr404(request, request.params.journal, request.params.submissionId)).submission;
  });

  routes.get(
    '/:journal/api/v1/submissions/:submissionId/publications/:publicationId',
    { config: csrf, schema: { summary: 'Get a version of an article', tags, operationId: 'getPublication', params: PublicationParams, response: { 200: Publication } } },
    async (request) => {
      const { submission } = await submissionOr404(request, request.params.journal, request.params.submissionId);
      const publication = submission.publications.find((p) => p.id === request.params.publicationId);
      if (!publication) throw new NotFoundError(`no version ${request.params.publicationId} of article ${request.params.submissionId}`);
      return publication;
    },
  );

  routes.put(
    '/:journal/api/v1/submissions/:submissionId/publications/:publicationId',
    {
      config: csrf,
      schema: {
        summary: 'Change the current version’s title, subtitle, abstract, keywords (or a submission’s references)',
        description: 'On a published article, as on the management page, the change is published as a new version; the answer is that new version (a new id). Only the current version can be changed (409 otherwise). On a submission in progress (a draft, for its authors; a submitted one, for its editors) the version changes in place, and `references` may be given too.',
        tags,
        operationId: 'editPublication',
        tokenRequired: true,
        params: PublicationParams,
        body: PublicationChanges,
        response: { 200: Publication, ...workflowRefusals(409, 422) },
      },
    },
    async (request) => {
      const journal = await journalOf(db, request.params.journal);
      // A submission on its way (a draft, a submitted manuscript) changes in place, through the workflow.
      const record = await findSubmission(db, journal.id, request.params.submissionId);
      if (record && (record.status === 'draft' || record.status === 'active')) return editSubmissionPublication(db, request, { journal, baseUrl }, record);
      if (request.body.references !== undefined) throw new FieldsError([{ in: 'body', pointer: '/references', detail: 'references change only on a submission in progress' }]);
      // Any token of the journal first, so a stranger cannot learn which articles exist.
      requireCallerCan(request, 'journal.articles', { kind: 'journal', journalId: journal.id });
      const { articles } = await listArticles(db, { journalId: journal.id, editor: true, articleIds: [request.params.submissionId] }, { limit: 1, offset: 0 });
      const article = articles[0];
      if (!article) throw new NotFoundError(`no article ${request.params.submissionId}`);
      const { byArticle } = await loadPublications(db, [article], false);
      // While the article has a draft version (POST …/version), the draft is the one to change.
      const current = (await findDraftVersion(db, article.id)) ?? byArticle.get(article.id)![0]!;
      // Section editors change only the articles of their sections.
      requireCallerCan(request, 'section.articles', { kind: 'section', journalId: journal.id, sectionId: current.section_id });
      if (request.params.publicationId !== current.id) throw new HttpError(409, `only the current version (${current.id}) can be changed`);
      const locales = journal.supportedLocales;
      const { title, subtitle, abstract, keywords } = request.body;
      const texts = changedPublicationTexts({ title, subtitle, abstract, keywords }, current, locales, { titleRequired: true });
      const publicationId = await publishNewVersion(db, article.id, {
        // An abstract given here goes through the same rich-text rules as the page's (publishNewVersion sanitizes it).
        ...texts,
        pages: current.pages,
        sectionId: current.section_id,
        licenseUrl: current.license_url,
        doi: current.doi,
      });
      request.log.info({ articleId: article.id, publicationId, tokenId: request.apiCaller?.tokenId }, 'new version published through the API');
      const changed = await listArticles(db, { journalId: journal.id, editor: true, articleIds: [article.id] }, { limit: 1, offset: 0 });
      const [submission] = await present(journal.path, changed.articles, true);
      return submission!.publications.find((p) => p.id === publicationId)!;
    },
  );
}
