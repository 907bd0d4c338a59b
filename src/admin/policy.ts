import { holdsRole, type JournalResource, type Rules, type SiteResource } from '../platform/policy/index.ts';

/** What the site and journal settings let people do; `can()` (platform/policy) checks these. */
export interface AdminActions {
  /** The site: journals, site settings, all users, the mail outbox. */
  'site.admin': SiteResource;
  /** A journal's settings, pages, menus, look, announcements, sections, mail templates. */
  'journal.settings': JournalResource;
}

export const adminRules: Rules<AdminActions> = {
  'site.admin': (principal) => principal?.isAdmin === true,
  'journal.settings': (principal, { journalId }) => principal?.isAdmin === true || holdsRole(principal, journalId, ['manager']),
};

declare module '../platform/policy/index.ts' {
  interface PolicyActions extends AdminActions {}
}
