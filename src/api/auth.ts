import type {} from './v1/common.ts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { can, type Action, type PolicyActions } from '../accounts/index.ts';
import type { Clock } from '../clock.ts';
import type { Database } from '../db/index.ts';
import { HttpError } from '../platform/http/index.ts';
import { TokenRequiredError } from '../platform/http/index.ts';
import { findTokenCaller, type ApiCaller } from './tokens.ts';

/**
 * The API knows callers by their token alone (`Authorization: Bearer …`): a session cookie gives no
 * rights here, so a page on another site cannot make a signed-in browser call the API, and no CSRF
 * token is needed (every API route is registered with `csrf: false`). Without a token, a caller reads
 * what any reader may read.
 */

declare module 'fastify' {
  interface FastifyRequest {
    /** The token's caller on API routes; null when the request carries no token. */
    apiCaller: ApiCaller | null;
  }
}

/** 403: the token is good, but its roles (or its journal) do not allow this. */
export class NotAllowedError extends HttpError {
  constructor() {
    super(403, "the token's roles do not allow this request");
  }
}

/** Reads the token on every request in the API's scope, before any body: an unknown or revoked one is a 401 at once. */
export function registerTokenAuth(app: FastifyInstance, deps: { db: Kysely<Database>; clock: Clock }): void {
  app.decorateRequest('apiCaller', null);
  app.addHook('onRequest', async (request) => {
    request.apiCaller = null;
    const header = request.headers.authorization;
    // A write without a token is refused before its body is read.
    if (header === undefined && request.routeOptions.schema?.tokenRequired) throw new TokenRequiredError('missing');
    if (header === undefined) return;
    const match = /^Bearer +(\S{1,200}) *$/i.exec(header);
    if (!match) throw new TokenRequiredError('invalid');
    const caller = await findTokenCaller(deps.db, match[1]!, deps.clock.now());
    if (!caller) throw new TokenRequiredError('invalid');
    request.apiCaller = caller;
  });
}

/** True when the request's token allows `action` on `resource`; false without a token. */
export function callerCan<A extends Action>(request: FastifyRequest, action: A, resource: PolicyActions[A]): boolean {
  return request.apiCaller !== null && can(request.apiCaller.principal, action, resource);
}

/** Throws 401 without a token and 403 when the token does not allow `action` on `resource`. */
export function requireCallerCan<A extends Action>(request: FastifyRequest, action: A, resource: PolicyActions[A]): void {
  if (!request.apiCaller) throw new TokenRequiredError('missing');
  if (!can(request.apiCaller.principal, action, resource)) throw new NotAllowedError();
}
