import { holdsRole, type JournalResource, type Rules, type SiteResource } from '../platform/policy/index.ts';

export { JOURNAL_ROLES, type JournalRole, type Principal } from '../platform/policy/index.ts';

/** A person's account, as someone else (or they themselves) may act on it. */
export interface UserResource {
  kind: 'user';
  userId: number;
}

/** What accounts lets people do; `can()` (platform/policy) checks these. */
export interface AccountsActions {
  /** Signed in, any role or none: own profile, own data export, deletion request. */
  account: SiteResource;
  /** A journal's people and their roles in it. */
  'journal.users': JournalResource;
  /** Change a person's account (name, e-mail, password): the person, or the site administrator. */
  'user.edit': UserResource;
}

export const accountsRules: Rules<AccountsActions> = {
  account: (principal) => principal !== null,
  'journal.users': (principal, { journalId }) => principal?.isAdmin === true || holdsRole(principal, journalId, ['manager']),
  'user.edit': (principal, { userId }) => principal?.isAdmin === true || principal?.userId === userId,
};

declare module '../platform/policy/index.ts' {
  interface PolicyActions extends AccountsActions {}
}
