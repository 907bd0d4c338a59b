import type { FastifyInstance } from 'fastify';
import { tokenPageRoutes } from './token-pages.ts';
import { apiV1Plugin, type ApiDeps } from './v1/index.ts';

export { TOKEN_PREFIX, createApiToken, revokeApiToken, findTokenCaller, type ApiCaller } from './tokens.ts';
export type { ApiDeps } from './v1/index.ts';

/**
 * The JSON API (`/api/v1/…`, `/{journal}/api/v1/…`, token-only, in its own scope) and the profile
 * pages where people create and revoke their API tokens (cookie sessions and forms, as every page).
 */
export async function apiPlugin(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  await app.register(apiV1Plugin, deps);
  tokenPageRoutes(app, deps);
}
