import type { RoleName } from '../db/index.ts';

/**
 * Who may do what: the one place that says so. Routes name a permission in their config
 * (`config: { permission: 'journal.settings' }`) and the access hook (access.ts) checks it here.
 *
 * Roles follow OJS 3.x: the site administrator; per journal the manager, editor, section editor
 * (limited to their sections), copyeditor, layout editor, reviewer, author and reader.
 */
export const JOURNAL_ROLES = ['manager', 'editor', 'section-editor', 'copyeditor', 'layout-editor', 'reviewer', 'author', 'reader'] as const satisfies readonly RoleName[];
export type JournalRole = (typeof JOURNAL_ROLES)[number];

export type Permission =
  /** Signed in, any role or none: own profile, own data export, deletion request. */
  | 'account'
  /** The site: journals, site settings, all users, the mail outbox. */
  | 'site.admin'
  /** A journal's settings, pages, menus, look, announcements, sections, mail templates. */
  | 'journal.settings'
  /** A journal's people and their roles in it. */
  | 'journal.users'
  /** A journal's issues: create, edit, order, publish, unpublish, mark current. */
  | 'journal.issues'
  /** Metadata of a published article (a new version); section editors only in their sections. */
  | 'journal.articles'
  /** Usage reports and SUSHI keys. */
  | 'journal.stats';

const JOURNAL_PERMISSIONS: Record<Exclude<Permission, 'account' | 'site.admin'>, readonly JournalRole[]> = {
  'journal.settings': ['manager'],
  'journal.users': ['manager'],
  'journal.issues': ['manager', 'editor'],
  'journal.articles': ['manager', 'editor', 'section-editor'],
  'journal.stats': ['manager', 'editor'],
};

/** What the access check knows about a signed-in person. */
export interface Principal {
  userId: number;
  isAdmin: boolean;
  /** Roles per journal id. */
  roles: ReadonlyMap<number, ReadonlySet<JournalRole>>;
  /** Sections a section editor is assigned to. */
  sectionIds: ReadonlySet<number>;
}

export interface Scope {
  journalId?: number;
  /** For per-section permissions: the section of the thing being changed. */
  sectionId?: number;
}

/** True when `principal` may exercise `permission` in `scope`. The site administrator may do everything. */
export function can(principal: Principal | null, permission: Permission, scope: Scope = {}): boolean {
  if (!principal) return false;
  if (principal.isAdmin) return true;
  if (permission === 'account') return true;
  if (permission === 'site.admin') return false;
  if (scope.journalId === undefined) return false;
  const roles = principal.roles.get(scope.journalId);
  if (!roles) return false;
  for (const role of JOURNAL_PERMISSIONS[permission]) {
    if (!roles.has(role)) continue;
    if (role === 'section-editor' && scope.sectionId !== undefined && !principal.sectionIds.has(scope.sectionId)) continue;
    return true;
  }
  return false;
}

/** Roles that let someone into a journal's management area at all (for the header's link). */
export function managesSomething(principal: Principal | null, journalId: number): boolean {
  return (['journal.settings', 'journal.issues', 'journal.articles', 'journal.stats'] as const).some((p) => can(principal, p, { journalId }));
}
