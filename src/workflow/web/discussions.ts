import type { FastifyInstance } from 'fastify';
import type { WorkflowWebDeps } from './deps.ts';

/** Discussions of a submission (issue 19, item 6). */
export async function discussionRoutes(app: FastifyInstance, deps: WorkflowWebDeps): Promise<void> {
  void app;
  void deps;
}
