import type { FastifyInstance } from 'fastify';
import { typed } from '../../../platform/http/index.ts';
import type { ApiDeps } from '../deps.ts';
import { noticeRoutes } from './notices.ts';
import { versionRoutes } from './versions.ts';

/** Versions and notices of published articles (issue 21, items 6 and 7). */
export async function versionsPlugin(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  const routes = typed(app);
  versionRoutes(routes, deps);
  noticeRoutes(routes, deps);
}
