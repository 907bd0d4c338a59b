/**
 * The core of who-may-do-what: the person asking (a principal), the thing asked about (a resource,
 * a tagged union each capability defines) and a rule per action. `can(viewer, action, resource)`
 * lives in `src/policies.ts`, where every capability's rules are registered.
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
}

/**
 * A person's tie to one submission (the workflow's assignment tables load these with the
 * submission): its editor, one of its authors, or the reviewer of one review round.
 */
export type Assignment =
  | { userId: number; role: 'editor' }
  | { userId: number; role: 'author' }
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
