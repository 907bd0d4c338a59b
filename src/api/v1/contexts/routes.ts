import { listJournals } from '../../../catalog/index.ts';
import { NotFoundError } from '../../../platform/http/index.ts';
import type { ApiDeps, ApiRoutes } from '../deps.ts';
import { Paged, PageQuery, pageOf } from '../common.ts';
import { presentContext } from './presenter.ts';
import { Context, ContextParams } from './schema.ts';

/** The site's journals (OJS: contexts); every enabled journal is public. */
export function contextRoutes(routes: ApiRoutes, { db, baseUrl }: ApiDeps): void {
  routes.get(
    '/api/v1/contexts',
    { config: { csrf: false }, schema: { summary: 'List journals', tags: ['contexts'], operationId: 'getContexts', querystring: PageQuery, response: { 200: Paged(Context) } } },
    async (request) => {
      const journals = await listJournals(db);
      const { limit, offset } = pageOf(request.query);
      return { itemsMax: journals.length, items: journals.slice(offset, offset + limit).map((j) => presentContext(j, baseUrl)) };
    },
  );

  routes.get(
    '/api/v1/contexts/:contextId',
    { config: { csrf: false }, schema: { summary: 'Get a journal', tags: ['contexts'], operationId: 'getContext', params: ContextParams, response: { 200: Context } } },
    async (request) => {
      const journal = (await listJournals(db)).find((j) => j.id === request.params.contextId);
      if (!journal) throw new NotFoundError(`no journal ${request.params.contextId}`);
      return presentContext(journal, baseUrl);
    },
  );
}
