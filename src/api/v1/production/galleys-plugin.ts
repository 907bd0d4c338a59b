import type { FastifyInstance } from 'fastify';
import { typed } from '../../../platform/http/index.ts';
import { ProductionError } from '../../../workflow/index.ts';
import type { ApiDeps } from '../deps.ts';
import { galleyRoutes, galleyUploadRoutes } from './galleys.ts';
import { sendProductionProblem } from './presenter.ts';
import { proofRoutes } from './proofs.ts';

/** Galleys and proofs through the API (issue 21, item 2), in a scope whose production refusals are problem details with their `code`. */
export async function galleysPlugin(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  app.setErrorHandler(async (error, request, reply) => {
    if (error instanceof ProductionError) return sendProductionProblem(request, reply, error);
    throw error;
  });
  const routes = typed(app);
  galleyRoutes(routes, deps);
  proofRoutes(routes, deps);
  await app.register(async (scope) => galleyUploadRoutes(scope, deps));
}
