import type { FastifyInstance } from 'fastify';
import type { WorkflowWebDeps } from './deps.ts';

/** The manager's submission settings (issue 19, item 1). */
export async function submissionSettingsRoutes(app: FastifyInstance, deps: WorkflowWebDeps): Promise<void> {
  void app;
  void deps;
}
