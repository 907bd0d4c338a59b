import { accountsRules, type AccountsActions } from './accounts/policy.ts';
import { adminRules, type AdminActions } from './admin/policy.ts';
import { catalogRules, type CatalogActions } from './catalog/policy.ts';
import type { JournalResource, Principal, Rules, SiteResource } from './platform/policy/index.ts';
import { statsRules, type StatsActions } from './stats/policy.ts';
import { workflowRules, type WorkflowActions } from './workflow/policy.ts';

/**
 * Who may do what, registered in one place: every capability's actions and the resource each acts on.
 * Routes, views, file downloads and (later) the API ask `can(viewer, action, resource)`; a new
 * capability adds its actions to `Policies` and its rules to `RULES`.
 */
export type Policies = AccountsActions & AdminActions & CatalogActions & StatsActions & WorkflowActions;
export type Action = keyof Policies;

function register(...tables: Array<Record<string, unknown>>): Rules<Policies> {
  const all: Record<string, unknown> = {};
  for (const table of tables) {
    for (const [action, rule] of Object.entries(table)) {
      // Two capabilities claiming one action would let the later one silently decide for both.
      if (action in all) throw new Error(`policy action ${action} is defined twice`);
      all[action] = rule;
    }
  }
  return all as Rules<Policies>;
}

const RULES: Rules<Policies> = register(accountsRules, adminRules, catalogRules, statsRules, workflowRules);

/** True when `principal` (null: a visitor) may do `action` to `resource`. */
export function can<A extends Action>(principal: Principal | null, action: A, resource: Policies[A]): boolean {
  return RULES[action](principal, resource);
}

/**
 * Actions a route can name in its config (`config: { permission: 'journal.settings' }`): those on the
 * site or on the journal of the route's `:journal`, which the access hook (accounts/access.ts) builds
 * before anything is read. Checks on a thing inside (an article, a galley) are made by the route once
 * it has loaded the thing.
 */
type SitePermission = { [A in Action]: Policies[A] extends SiteResource ? A : never }[Action];
type JournalPermission = { [A in Action]: Policies[A] extends JournalResource ? A : never }[Action];
export type RoutePermission = SitePermission | JournalPermission;

const SITE_PERMISSIONS: Record<SitePermission, true> = { account: true, 'site.admin': true };
const isSitePermission = (permission: RoutePermission): permission is SitePermission => permission in SITE_PERMISSIONS;

/**
 * Whether `principal` may open a route that names `permission`, in the journal of its `:journal`
 * (undefined for site routes; a journal action on a route without a journal is refused).
 */
export function canOnRoute(principal: Principal | null, permission: RoutePermission, journalId: number | undefined): boolean {
  if (isSitePermission(permission)) return can(principal, permission, { kind: 'site' });
  return journalId !== undefined && can(principal, permission, { kind: 'journal', journalId });
}

/** Roles that let someone into a journal's management area at all (for the header's link). */
export function managesSomething(principal: Principal | null, journalId: number): boolean {
  return (['journal.settings', 'journal.issues', 'journal.articles', 'journal.stats'] as const).some((p) => can(principal, p, { kind: 'journal', journalId }));
}
