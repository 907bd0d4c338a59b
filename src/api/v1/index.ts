import type { FastifyInstance } from 'fastify';
import { registerApiValidation, typed } from '../../platform/http/index.ts';
import { registerTokenAuth } from '../auth.ts';
import { contextRoutes } from './contexts/routes.ts';
import type { ApiDeps } from './deps.ts';
import { issueRoutes } from './issues/routes.ts';
import { collectOperations, openApiDocument } from './openapi.ts';
import { apiDocsPage } from './docs.tsx';
import { sectionRoutes } from './sections/routes.ts';
import { submissionsPlugin } from './submissions/plugin.ts';
import { discussionRoutes } from './discussions/routes.ts';
import { reviewsPlugin } from './reviews/plugin.ts';
import { galleysPlugin } from './production/galleys-plugin.ts';
import { notificationRoutes } from './notifications/routes.ts';
import { productionPlugin } from './production/plugin.ts';
import { versionsPlugin } from './production/versions-plugin.ts';
import { publishingPlugin } from './production/publishing-plugin.ts';

export type { ApiDeps } from './deps.ts';

/**
 * The JSON API, version 1: one folder per resource (routes, schema, presenter, contract test), paths
 * and names as in OJS's REST API. Every route here is token-only (auth.ts) and answers errors as
 * problem details; the OpenAPI document is generated from the routes' own schemas.
 */
export async function apiV1Plugin(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  registerTokenAuth(app, deps);
  registerApiValidation(app);
  const operations = collectOperations(app);
  const routes = typed(app);
  contextRoutes(routes, deps);
  issueRoutes(routes, deps);
  sectionRoutes(routes, deps);
  await app.register(submissionsPlugin, deps);
  discussionRoutes(routes, deps);
  await app.register(reviewsPlugin, deps);
  notificationRoutes(routes, deps);
  await app.register(productionPlugin, deps);
  await app.register(galleysPlugin, deps);
  await app.register(versionsPlugin, deps);
  await app.register(publishingPlugin, deps);

  // Built once, on first request, when every route is registered.
  let document: Record<string, unknown> | undefined;
  const openApi = () => (document ??= openApiDocument(operations, { baseUrl: deps.baseUrl }));
  routes.get('/api/v1/openapi.json', { config: { csrf: false }, schema: { hide: true } }, async (_request, reply) => reply.header('cache-control', 'public, max-age=300').type('application/json; charset=utf-8').send(JSON.stringify(openApi())));
  routes.get('/api/v1/docs', { config: { csrf: false }, schema: { hide: true } }, async (request, reply) => apiDocsPage(deps, request, reply, openApi()));
}
