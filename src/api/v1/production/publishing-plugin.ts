import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../deps.ts';
import { publishingRoutes } from './publishing.ts';

/** Scheduling and publishing (issue 21) in a scope of its own, so its refusals are answered as its problems. */
export async function publishingPlugin(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  await publishingRoutes(app, deps);
}
