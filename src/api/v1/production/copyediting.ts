import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../deps.ts';

/** Copyediting through the API (issue 21, item 1): copyedited files. */
export async function copyeditingRoutes(_app: FastifyInstance, _deps: ApiDeps): Promise<void> {}
