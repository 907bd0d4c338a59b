import type {} from '@fastify/cookie';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Kysely } from 'kysely';
import type { Clock } from '../clock.ts';
import type { Database } from '../db/index.ts';
import { ForbiddenError, NotFoundError, SignInRequiredError } from '../platform/http/index.ts';
import type { ViewerMenu } from '../ui/index.ts';
import { viewerName } from './names.ts';
import { can, canOnRoute, managesSomething, type Action, type PolicyActions, type RoutePermission } from '../platform/policy/index.ts';
import { findSessionUser, SESSION_COOKIE, type SignedInUser } from './sessions.ts';
import { equalInConstantTime, hmac, newToken } from './tokens.ts';

/** Who is asking, as every route and view sees it. */
export interface Viewer {
  user: SignedInUser | null;
  /** The journal a `/:journal/…` route points into, when the route checks a journal permission. */
  journal: { id: number; path: string } | null;
  /** The token forms must send back; for visitors it is bound to a cookie set on first use. */
  csrfToken(): string;
  /**
   * Whether `sent` is this viewer's form token; when it is, the request counts as checked (for a route
   * that reads the token itself from a streamed body, before the rest of that body).
   */
  acceptFormToken(sent: string | undefined): boolean;
  /** What the page header shows a signed-in person (undefined for visitors), on a page of `journalId`. */
  menu(locale: string, journalId: number | undefined): ViewerMenu | undefined;
}

/** A route as the access layer sees it: what it needs, recorded when it is registered. */
export interface RouteAccess {
  method: string;
  url: string;
  permission: RoutePermission | undefined;
  csrf: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route with its permission, for audits and the role-matrix test. */
    routeAccess: RouteAccess[];
  }
  interface FastifyRequest {
    viewer: Viewer;
  }
  interface FastifyContextConfig {
    /** The action this route needs on the site or its journal (its capability's policy.ts). Routes without one are public. */
    permission?: RoutePermission;
    /** False only for endpoints machines post to without a form (OAI-PMH, SUSHI). */
    csrf?: boolean;
  }
}

export const CSRF_COOKIE = 'revista_csrf';
export const CSRF_FIELD = '_csrf';

export interface AccessOptions {
  db: Kysely<Database>;
  clock: Clock;
  secret: string;
  https: boolean;
}

function isUnsafe(method: string): boolean {
  return method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS';
}

/** The CSRF token submitted with a form (urlencoded or multipart) or in the X-CSRF-Token header. */
function submittedToken(request: FastifyRequest): string | undefined {
  const header = request.headers['x-csrf-token'];
  if (typeof header === 'string') return header;
  const body = request.body as Record<string, unknown> | undefined;
  const field = body?.[CSRF_FIELD];
  if (typeof field === 'string') return field;
  // @fastify/multipart with attachFieldsToBody puts { value } objects in the body.
  if (field && typeof field === 'object' && 'value' in field && typeof field.value === 'string') return field.value;
  return undefined;
}

/** Where a visitor goes to sign in from `url`, coming back afterwards. */
export function loginUrlFor(url: string, journalPath?: string | null): string {
  const base = journalPath ? `/${journalPath}/login` : '/login';
  return `${base}?source=${encodeURIComponent(url)}`;
}

async function accessPlugin(app: FastifyInstance, options: AccessOptions): Promise<void> {
  const { db, clock, secret, https } = options;
  /** Requests whose form token has been checked (from a header, or from a streamed form's first field). */
  const formTokenChecked = new WeakSet<FastifyRequest>();
  app.decorateRequest('viewer', null as unknown as Viewer);
  const routes: RouteAccess[] = [];
  app.decorate('routeAccess', routes);
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === 'HEAD') continue;
      routes.push({ method, url: route.url, permission: route.config?.permission, csrf: route.config?.csrf !== false });
    }
  });

  // Who is asking, what the route needs and whether a form token can be right are all settled here,
  // before any body is read: a stranger's upload to a management address is refused unread.
  app.addHook('onRequest', async (request, reply) => {
    let user: SignedInUser | null = null;
    const raw = request.cookies[SESSION_COOKIE];
    if (raw) {
      const unsigned = request.unsignCookie(raw);
      if (unsigned.valid && unsigned.value) user = (await findSessionUser(db, unsigned.value, clock.now())) ?? null;
      if (!user) reply.clearCookie(SESSION_COOKIE, { path: '/' });
    }
    let token: string | undefined;
    request.viewer = {
      user,
      journal: null,
      csrfToken() {
        if (token) return token;
        if (user) return (token = hmac(secret, `session:${user.sessionHash}`));
        let anonymous = request.cookies[CSRF_COOKIE];
        if (!anonymous || !/^[A-Za-z0-9_-]{43}$/.test(anonymous)) {
          anonymous = newToken();
          request.cookies[CSRF_COOKIE] = anonymous;
          reply.setCookie(CSRF_COOKIE, anonymous, { path: '/', httpOnly: true, sameSite: 'lax', secure: https || request.protocol === 'https' });
        }
        return (token = hmac(secret, `visitor:${anonymous}`));
      },
      acceptFormToken(sent) {
        const expected = expectedToken(request);
        if (!sent || !expected || !equalInConstantTime(sent, expected)) return false;
        formTokenChecked.add(request);
        return true;
      },
      menu(locale, journalId) {
        if (!user) return undefined;
        return {
          name: viewerName(user, locale),
          csrf: this.csrfToken(),
          admin: user.isAdmin,
          manage: journalId !== undefined && managesSomething(user, journalId),
          reviews: journalId !== undefined && (user.roles.get(journalId)?.has('reviewer') ?? false),
          unreadNotifications: user.unreadNotifications,
        };
      },
    };

    // An address no route answers has nothing to protect: the not-found handler answers it (404/405).
    if (request.is404) return;
    const config = request.routeOptions.config;
    if (config.permission) await checkPermission(request, config.permission);
    if (isUnsafe(request.method) && config.csrf !== false) {
      // No session and no visitor cookie: no token can be right, so the body is not worth reading.
      if (!expectedToken(request)) throw new ForbiddenError('csrf');
      const header = request.headers['x-csrf-token'];
      if (typeof header === 'string' && !request.viewer.acceptFormToken(header)) throw new ForbiddenError('csrf');
    }
  });

  // A token sent in the form itself can only be read with the body, which is bounded by then (http/bodies.ts).
  app.addHook('preHandler', async (request) => {
    if (request.is404 || !isUnsafe(request.method) || request.routeOptions.config.csrf === false) return;
    if (formTokenChecked.has(request)) return;
    if (!request.viewer.acceptFormToken(submittedToken(request))) throw new ForbiddenError('csrf');
  });

  function expectedToken(request: FastifyRequest): string | undefined {
    const user = request.viewer.user;
    if (user) return hmac(secret, `session:${user.sessionHash}`);
    const anonymous = request.cookies[CSRF_COOKIE];
    return anonymous ? hmac(secret, `visitor:${anonymous}`) : undefined;
  }

  async function checkPermission(request: FastifyRequest, permission: RoutePermission): Promise<void> {
    const params = request.params as { journal?: string };
    if (params.journal !== undefined) {
      const journal = await db.selectFrom('journals').select(['id', 'path']).where('path', '=', params.journal).executeTakeFirst();
      if (!journal) throw new NotFoundError(`no journal ${params.journal}`);
      request.viewer.journal = journal;
    }
    const user = request.viewer.user;
    if (!user) throw new SignInRequiredError(loginUrlFor(request.url, request.viewer.journal?.path));
    if (!canOnRoute(user, permission, request.viewer.journal?.id)) throw new ForbiddenError();
  }
}

/**
 * Throws unless the viewer may do `action` to `resource`: visitors are sent to sign in, others
 * refused (403). For checks a route makes once it has loaded the thing (an article of a section).
 */
export function requireCan<A extends Action>(request: FastifyRequest, action: A, resource: PolicyActions[A]): void {
  const user = request.viewer.user;
  if (!user) throw new SignInRequiredError(loginUrlFor(request.url, request.viewer.journal?.path));
  if (!can(user, action, resource)) throw new ForbiddenError();
}

export const access = fp(accessPlugin, { name: 'revista-access' });
