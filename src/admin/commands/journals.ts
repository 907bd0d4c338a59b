import type { Kysely } from 'kysely';
import { deleteJournal } from '../../catalog/index.ts';
import type { Database } from '../../db/index.ts';
import { forgetJournalOaiRecords } from '../../discovery/index.ts';
import { forgetJournalUsage } from '../../stats/index.ts';

/**
 * Deletes a journal with everything in it (catalog/lifecycle.ts deleteJournal), and in the same
 * transaction what other capabilities keep about it without a foreign key: its usage statistics
 * and its OAI records, each forgotten by its own capability's command.
 */
export function deleteJournalEverywhere(db: Kysely<Database>, journalId: number): Promise<{ storageKeys: string[] } | undefined> {
  return deleteJournal(db, journalId, async (trx) => {
    await forgetJournalUsage(trx, journalId);
    await forgetJournalOaiRecords(trx, journalId);
  });
}
