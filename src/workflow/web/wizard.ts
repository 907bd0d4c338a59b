import type { FastifyInstance } from 'fastify';
import type { WorkflowWebDeps } from './deps.ts';

/** The submission wizard and the author's dashboard (issue 19, items 2–3). */
export async function submissionWizardRoutes(app: FastifyInstance, deps: WorkflowWebDeps): Promise<void> {
  void app;
  void deps;
}
