import { sql } from 'kysely';
import { findCurrentIssue, findIssue, issueArticleCount, publishIssue, unpublishIssue } from '../../../catalog/index.ts';
import { HttpError, NotFoundError } from '../../../platform/http/index.ts';
import { JournalParams } from '../../../platform/http/index.ts';
import { callerCan, requireCallerCan } from '../../auth.ts';
import { journalOf, Paged, pageOf } from '../common.ts';
import type { ApiDeps, ApiRoutes } from '../deps.ts';
import { presentIssue } from './presenter.ts';
import { Issue, IssueParams, IssueQuery, PublishIssue } from './schema.ts';

const tags = ['issues'];
const csrf = { csrf: false } as const;

/**
 * A journal's issues. Published issues are public, as in OJS; unpublished ones are seen (and all issues
 * published or unpublished) only with a token of a manager or editor of the journal, and are a 404 to
 * anyone else. Publishing goes through the catalog's `publishIssue` and assigns DOIs as the
 * management page does.
 */
export function issueRoutes(routes: ApiRoutes, { db, clock, baseUrl }: ApiDeps): void {
  routes.get('/:journal/api/v1/issues', { config: csrf, schema: { summary: 'List issues', description: 'Newest first.', tags, operationId: 'getIssues', params: JournalParams, querystring: IssueQuery, response: { 200: Paged(Issue) } } }, async (request) => {
    const journal = await journalOf(db, request.params.journal);
    const editor = callerCan(request, 'journal.issues', { kind: 'journal', journalId: journal.id });
    // Without the rights, only published issues exist: asking for unpublished ones finds none.
    const published = editor ? request.query.isPublished : request.query.isPublished === false ? null : true;
    if (published === null) return { itemsMax: 0, items: [] };
    let query = db.selectFrom('issues').where('journal_id', '=', journal.id);
    if (published !== undefined) query = query.where('is_published', '=', published);
    const { limit, offset } = pageOf(request.query);
    const [rows, count] = await Promise.all([
      query
        .selectAll()
        .orderBy(sql`date_published DESC NULLS FIRST`)
        .orderBy(sql`year DESC NULLS LAST`)
        .orderBy(sql`volume DESC NULLS LAST`)
        .orderBy('id', 'desc')
        .limit(limit)
        .offset(offset)
        .execute(),
      query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
    ]);
    return { itemsMax: Number(count.total), items: rows.map((row) => presentIssue(row, journal.path, baseUrl)) };
  });

  routes.get('/:journal/api/v1/issues/current', { config: csrf, schema: { summary: 'Get the current issue', tags, operationId: 'getCurrentIssue', params: JournalParams, response: { 200: Issue } } }, async (request) => {
    const journal = await journalOf(db, request.params.journal);
    const current = await findCurrentIssue(db, journal.id);
    const row = current && (await findIssue(db, journal.id, current.id));
    if (!row) throw new NotFoundError('the journal has published no issue');
    return presentIssue(row, journal.path, baseUrl);
  });

  async function visibleIssue(request: { params: { journal: string; issueId: number } } & Parameters<typeof callerCan>[0]) {
    const journal = await journalOf(db, request.params.journal);
    const row = await findIssue(db, journal.id, request.params.issueId);
    if (!row || (!row.is_published && !callerCan(request, 'journal.issues', { kind: 'journal', journalId: journal.id }))) throw new NotFoundError(`no issue ${request.params.issueId}`);
    return { journal, row };
  }

  routes.get('/:journal/api/v1/issues/:issueId', { config: csrf, schema: { summary: 'Get an issue', tags, operationId: 'getIssue', params: IssueParams, response: { 200: Issue } } }, async (request) => {
    const { journal, row } = await visibleIssue(request);
    return presentIssue(row, journal.path, baseUrl);
  });

  routes.put(
    '/:journal/api/v1/issues/:issueId/publish',
    { config: csrf, schema: { summary: 'Publish an issue', description: 'With its articles; DOIs are assigned when the journal has a DOI prefix.', tags, operationId: 'publishIssue', tokenRequired: true, params: IssueParams, body: PublishIssue, response: { 200: Issue } } },
    async (request) => {
      const journal = await journalOf(db, request.params.journal);
      requireCallerCan(request, 'journal.issues', { kind: 'journal', journalId: journal.id });
      const issue = await findIssue(db, journal.id, request.params.issueId);
      if (!issue) throw new NotFoundError(`no issue ${request.params.issueId}`);
      if (!request.body.allowEmpty && (await issueArticleCount(db, issue.id)) === 0) throw new HttpError(409, 'the issue holds no article: send "allowEmpty": true to publish it anyway');
      const date = request.body.datePublished ?? clock.now().toISOString().slice(0, 10);
      // The catalog's command, as the management page and `revista issue publish`: DOIs come with it.
      await publishIssue(db, { journalId: journal.id, issueId: issue.id, date, makeCurrent: request.body.isCurrent ?? true });
      request.log.info({ issueId: issue.id, tokenId: request.apiCaller?.tokenId }, 'issue published through the API');
      return presentIssue((await findIssue(db, journal.id, issue.id))!, journal.path, baseUrl);
    },
  );

  routes.put(
    '/:journal/api/v1/issues/:issueId/unpublish',
    { config: csrf, schema: { summary: 'Unpublish an issue', description: 'Its articles stay with it, unpublished.', tags, operationId: 'unpublishIssue', tokenRequired: true, params: IssueParams, response: { 200: Issue } } },
    async (request) => {
      const journal = await journalOf(db, request.params.journal);
      requireCallerCan(request, 'journal.issues', { kind: 'journal', journalId: journal.id });
      const issue = await findIssue(db, journal.id, request.params.issueId);
      if (!issue) throw new NotFoundError(`no issue ${request.params.issueId}`);
      await unpublishIssue(db, journal.id, issue.id);
      request.log.info({ issueId: issue.id, tokenId: request.apiCaller?.tokenId }, 'issue unpublished through the API');
      return presentIssue((await findIssue(db, journal.id, issue.id))!, journal.path, baseUrl);
    },
  );
}
