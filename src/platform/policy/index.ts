/**
 * The core of who-may-do-what: the person asking (a principal), the thing asked about (a resource,
 * a tagged union each capability defines) and a rule per action. `can(viewer, action, resource)`
 * is below; each capability declares its actions and rules in its own policy.ts, and app.ts registers them.
 *
 * Roles follow OJS 3.x: the site administrator; per journal the manager, editor, section editor
 * (limited to their sections), copyeditor, layout editor, reviewer, author and reader. Roles are
 * journal-wide; assignments tie a person to one thing (the editor of this submission, the reviewer
 * of this round, an author of this submission) and travel with the resource they are about, so a
 * check never loads more than the one resource it decides on.
 */
export const JOURNAL_ROLES = ['manager', 'editor', 'section-editor', 'copyeditor', 'layout-editor', 'reviewer', 'author', 'reader'] as const;
export type JournalRole = (typeof JOURNAL_ROLES)[number];

/** Who asks, as a policy sees them; null for a visitor who is not signed in. */
export interface Principal {
  userId: number;
  isAdmin: boolean;
  /** Roles per journal id. */
  roles: ReadonlyMap<number, ReadonlySet<JournalRole>>;
  /** Sections a section editor is assigned to (section ids are unique across journals). */
  sectionIds: ReadonlySet<number>;
  /**
   * Set when the principal acts through something limited to one journal (an API token made for
   * it): rules that do not depend on a role in the journal (submitting) hold there only.
   */
  onlyJournalId?: number;
}

/**
 * A person's tie to one submission (the workflow's assignment tables load these with the
 * submission): its editor, one of its authors, or the reviewer of one review round.
 */
export type Assignment =
  | { userId: number; role: 'editor' }
  | { userId: number; role: 'author' }
  | { userId: number; role: 'copyeditor' }
  | { userId: number; role: 'layout-editor' }
  | { userId: number; role: 'reviewer'; reviewRoundId: number };

/** A rule: whether `principal` may do one action to `resource`. Pure, synchronous, no database. */
export type Rule<R> = (principal: Principal | null, resource: R) => boolean;

/** A capability's rules: one per action it defines, keyed by action name, typed by the action's resource. */
export type Rules<Actions> = { readonly [A in keyof Actions]: Rule<Actions[A]> };

/** Whether the person holds one of `roles` in the journal (the administrator holds none by this test). */
export function holdsRole(principal: Principal | null, journalId: number, roles: readonly JournalRole[]): boolean {
  const held = principal?.roles.get(journalId);
  return held !== undefined && roles.some((role) => held.has(role));
}

/**
 * Whether the person edits everything in the section: a manager or editor of the journal, or a
 * section editor assigned to it.
 */
export function editsSection(principal: Principal | null, journalId: number, sectionId: number): boolean {
  if (!principal) return false;
  if (holdsRole(principal, journalId, ['manager', 'editor'])) return true;
  return holdsRole(principal, journalId, ['section-editor']) && principal.sectionIds.has(sectionId);
}

/** Whether the person is assigned to the thing in one of `roles` (reviewers: of the round, when one is named). */
export function isAssigned(principal: Principal | null, assignments: readonly Assignment[], role: Assignment['role'], reviewRoundId?: number): boolean {
  if (!principal) return false;
  return assignments.some((a) => a.userId === principal.userId && a.role === role && (reviewRoundId === undefined || (a.role === 'reviewer' && a.reviewRoundId === reviewRoundId)));
}

/** The site as a whole: what a route without a journal acts on. */
export interface SiteResource {
  kind: 'site';
}

/** A journal as a whole: what a `/:journal/…` route acts on unless it names something inside. */
export interface JournalResource {
  kind: 'journal';
  journalId: number;
}

/**
 * Every action and the resource it acts on. Each capability adds its own in its policy.ts by
 * declaration merging (`declare module '…/platform/policy/index.ts' { interface PolicyActions extends
 * CatalogActions {} }`), so `can()` is typed for all of them while no capability imports another's
 * rules, and this layer imports none.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface PolicyActions {}
export type Action = keyof PolicyActions;

const rules = new Map<string, Rule<never>>();

/**
 * Registers capabilities' rules; the composition root (app.ts) calls it with every capability's table.
 * Registering the same rule again (another app in the same process, a test) changes nothing; a
 * second, different rule for one action throws, since it would silently decide for both.
 */
export function registerRules(...tables: ReadonlyArray<Record<string, Rule<never>>>): void {
  for (const table of tables) {
    for (const [action, rule] of Object.entries(table)) {
      const known = rules.get(action);
      if (known && known !== rule) throw new Error(`policy action ${action} is defined twice`);
      rules.set(action, rule);
    }
  }
}

/** True when `principal` (null: a visitor) may do `action` to `resource`. An action nobody registered is an error, never a yes. */
export function can<A extends Action>(principal: Principal | null, action: A, resource: PolicyActions[A]): boolean {
  const rule = rules.get(action) as Rule<PolicyActions[A]> | undefined;
  if (!rule) throw new Error(`no policy registered for ${action}`);
  return rule(principal, resource);
}

/**
 * Actions a route can name in its config (`config: { permission: 'journal.settings' }`): those on the
 * site or on the journal of the route's `:journal`, which the access hook (accounts/access.ts) builds
 * before anything is read. Checks on a thing inside (an article, a galley) are made by the route once
 * it has loaded the thing.
 */
type SitePermission = { [A in Action]: PolicyActions[A] extends SiteResource ? A : never }[Action];
type JournalPermission = { [A in Action]: PolicyActions[A] extends JournalResource ? A : never }[Action];
export type RoutePermission = SitePermission | JournalPermission;

const isJournalResourceAction = (permission: RoutePermission): permission is JournalPermission => !SITE_ACTIONS.has(permission);
const SITE_ACTIONS: ReadonlySet<string> = new Set(['account', 'site.admin']);

/**
 * Whether `principal` may open a route that names `permission`, in the journal of its `:journal`
 * (undefined for site routes; a journal action on a route without a journal is refused).
 */
export function canOnRoute(principal: Principal | null, permission: RoutePermission, journalId: number | undefined): boolean {
  if (!isJournalResourceAction(permission)) return can(principal, permission, { kind: 'site' } as PolicyActions[typeof permission]);
  return journalId !== undefined && can(principal, permission, { kind: 'journal', journalId } as PolicyActions[typeof permission]);
}

/** Roles that let someone into a journal's management area at all (for the header's link). */
export function managesSomething(principal: Principal | null, journalId: number): boolean {
  const areas = ['journal.settings', 'journal.issues', 'journal.articles', 'journal.stats'] as const satisfies readonly JournalPermission[];
  return areas.some((p) => can(principal, p, { kind: 'journal', journalId }));
}
