import type { FastifyInstance } from 'fastify';
import type { WorkflowWebDeps } from './deps.ts';
import { authorReviewRoutes } from './author-review.ts';
import { copyeditingRoutes } from './copyediting.ts';
import { discussionRoutes } from './discussions.ts';
import { editorialRoutes } from './editorial.ts';
import { reviewEditorRoutes } from './review-editor.ts';
import { reviewSettingsRoutes } from './review-settings.ts';
import { reviewerPages } from './reviewer-pages.ts';
import { reviewerFileRoutes } from './reviewer-files.ts';
import { submissionSettingsRoutes } from './settings.ts';
import { submissionWizardRoutes } from './wizard-routes.ts';
import { productionRoutes } from './production.ts';
import { galleyPreviewRoutes } from './galley-preview.ts';
import { publicationRoutes } from './publication.ts';

export type { WorkflowWebDeps } from './deps.ts';

/** The workflow's pages: one plugin, each part in its own file. */
export async function workflowPlugin(app: FastifyInstance, deps: WorkflowWebDeps): Promise<void> {
  await submissionSettingsRoutes(app, deps);
  await reviewSettingsRoutes(app, deps);
  await submissionWizardRoutes(app, deps);
  await editorialRoutes(app, deps);
  await discussionRoutes(app, deps);
  await reviewEditorRoutes(app, deps);
  await reviewerPages(app, deps);
  await authorReviewRoutes(app, deps);
  await reviewerFileRoutes(app, deps);
  await copyeditingRoutes(app, deps);
  await productionRoutes(app, deps);
  await galleyPreviewRoutes(app, deps);
  await publicationRoutes(app, deps);
}
