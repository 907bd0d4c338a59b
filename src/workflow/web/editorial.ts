import type { FastifyInstance } from 'fastify';
import type { WorkflowWebDeps } from './deps.ts';

/** The editorial dashboard, the submission page, its files and assignment (issue 19, items 4–5). */
export async function editorialRoutes(app: FastifyInstance, deps: WorkflowWebDeps): Promise<void> {
  void app;
  void deps;
}
