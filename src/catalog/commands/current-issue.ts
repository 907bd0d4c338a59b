import type { Db } from '../db.ts';

/**
 * The current-issue rule, the only place it is written: one current issue per journal, so marking
 * one unmarks the other. Every command that makes an issue current (createIssue, publishIssue,
 * setCurrentIssue, the OJS import's importIssue) goes through here.
 */
export async function markCurrent(trx: Db, journalId: number, issueId: number): Promise<void> {
  await unmarkCurrent(trx, journalId, issueId);
  await trx.updateTable('issues').set({ is_current: true }).where('id', '=', issueId).where('journal_id', '=', journalId).execute();
}

/**
 * The other half of the rule, for an issue about to be inserted as the current one (the OJS import):
 * inserted with `is_current` set, it keeps the modification date it came with, which a later update
 * would move to now.
 */
export async function unmarkCurrent(trx: Db, journalId: number, exceptIssueId?: number): Promise<void> {
  let update = trx.updateTable('issues').set({ is_current: false }).where('journal_id', '=', journalId).where('is_current', '=', true);
  if (exceptIssueId !== undefined) update = update.where('id', '<>', exceptIssueId);
  await update.execute();
}
