import { holdsRole, type JournalResource, type Rules } from '../platform/policy/index.ts';

/** What usage statistics let people do; `can()` (platform/policy) checks these. */
export interface StatsActions {
  /** A journal's usage reports and SUSHI keys. */
  'journal.stats': JournalResource;
}

export const statsRules: Rules<StatsActions> = {
  'journal.stats': (principal, { journalId }) => principal?.isAdmin === true || holdsRole(principal, journalId, ['manager', 'editor']),
};

declare module '../platform/policy/index.ts' {
  interface PolicyActions extends StatsActions {}
}
