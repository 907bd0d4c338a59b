import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { sendPrivatePage } from '../platform/web/index.ts';
import type { Clock } from '../clock.ts';
import type { Database } from '../db/index.ts';
import type { Mailer } from '../mail/index.ts';
import type { FileStore } from '../storage/index.ts';
import type { CrossrefClient } from '../exports/index.ts';
import { journalAppearanceRoutes } from './journal-appearance.ts';
import { journalArticleRoutes } from './journal-articles.ts';
import { journalDoiRoutes } from './journal-doi.ts';
import { journalStatsRoutes } from './journal-stats.ts';
import { journalIssueRoutes } from './journal-issues.ts';
import { journalIssueArticleRoutes } from './journal-issue-articles.ts';
import { journalMailTemplateRoutes } from './journal-mail-templates.ts';
import { journalSectionRoutes } from './journal-sections.ts';
import { journalNavigationRoutes } from './journal-navigation.ts';
import { journalSiteRoutes } from './journal-site.ts';
import { journalUserRoutes } from './journal-users.ts';
import { manageContext } from './manage-context.ts';
import { siteAdminRoutes } from './site-admin.ts';
import { siteJournalRoutes } from './site-journals.ts';
import { siteUserRoutes } from './site-users.ts';
import { siteJobRoutes } from './site-jobs.ts';
import { journalOverviewCounts } from './overview.ts';
import { ManagementOverviewPage } from './views/overview.tsx';

export { detectImageType, contrastRatio } from './images.ts';
// For management pages other capabilities own (interop/ojs): the same frame and context.
export { manageContext } from './manage-context.ts';
export { ManagePage, type ManageAccess } from './views/manage.tsx';
export { ManageConfirmPage } from './views/confirm-pages.tsx';

export interface AdminOptions {
  db: Kysely<Database>;
  files: FileStore;
  mailer: Mailer;
  clock: Clock;
  baseUrl: string;
  crossref: CrossrefClient;
  crossrefUrl: string;
}

/**
 * Site administration (`/admin/…`, site administrators) and journal management
 * (`/{journal}/management/…`, managers and editors): every route names its permission.
 */
export async function adminPlugin(app: FastifyInstance, options: AdminOptions): Promise<void> {
  const { db } = options;
  siteAdminRoutes(app, options);
  siteJournalRoutes(app, options);
  siteUserRoutes(app, options);
  siteJobRoutes(app, options);

  app.get('/:journal/management', { config: { permission: 'journal.articles' } }, async (request, reply) => {
    const m = await manageContext(db, request, reply);
    const counts = await journalOverviewCounts(db, m.journal.id, [...(request.viewer.user?.sectionIds ?? [])], m.access, options.clock.now());
    return sendPrivatePage(reply, ManagementOverviewPage({ ...m, counts }));
  });

  journalSiteRoutes(app, options);
  journalNavigationRoutes(app, options);
  journalAppearanceRoutes(app, options);
  journalMailTemplateRoutes(app, options);
  journalSectionRoutes(app, options);
  journalIssueRoutes(app, options);
  journalIssueArticleRoutes(app, options);
  journalArticleRoutes(app, options);
  journalUserRoutes(app, options);
  journalDoiRoutes(app, options);
  journalStatsRoutes(app, options);
}
export { adminRules } from './policy.ts';
export { createSiteRecord } from './commands/site.ts';
