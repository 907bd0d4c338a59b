import type { Db } from '../db.ts';

/**
 * The current-issue rule, the only place it is written: one current issue per journal, so marking
 * one unmarks the other. Every command that makes an issue current (createIssue, publishIssue,
 * setCurrentIssue, the OJS import's importIssue) goes through here.
 */
export async function markCurrent(trx: Db, journalId: number, issueId: number): Promise<void> {
  await trx.updateTable('issues').set({ is_current: false }).where('journal_id', '=', journalId).where('is_current', '=', true).where('id', '<>', issueId).execute();
  await trx.updateTable('issues').set({ is_current: true }).where('id', '=', issueId).where('journal_id', '=', journalId).execute();
}
