import type { FastifyInstance } from 'fastify';
import { WorkflowError } from '../../../workflow/index.ts';
import type { ApiDeps } from '../deps.ts';
import { sendWorkflowProblem } from '../submissions/workflow-presenter.ts';
import { copyeditingRoutes } from './copyediting.ts';

/**
 * Copyediting and production through the API (issue 21), in a scope of its own: the workflow's
 * refusals are answered as problem details with their reasons. Each part is a file of this folder
 * registering its routes (uploads in scopes of their own within it), one line each below.
 */
export async function productionPlugin(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  app.setErrorHandler(async (error, request, reply) => {
    if (error instanceof WorkflowError) return sendWorkflowProblem(request, reply, error);
    throw error;
  });
  await app.register(copyeditingRoutes, deps);
}
