import { can, type SignedInUser } from '../../accounts/index.ts';
import type { ManageAccess } from '../../platform/web/index.ts';

/** Which parts of the journal's management menu a workflow page offers the person. */
export function manageAccess(user: SignedInUser | null, journalId: number): ManageAccess {
  return {
    settings: can(user, 'journal.settings', { kind: 'journal', journalId }),
    issues: can(user, 'journal.issues', { kind: 'journal', journalId }),
    users: can(user, 'journal.users', { kind: 'journal', journalId }),
    stats: can(user, 'journal.stats', { kind: 'journal', journalId }),
  };
}
