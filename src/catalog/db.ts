import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';

/**
 * The database a catalog command or query takes: the connection, or the caller's transaction (the
 * OJS import's unit of work, a CLI command that does several things at once, a later workflow step).
 * A command that must be atomic runs through `inTransaction`, which joins the caller's transaction
 * instead of opening a second one (Kysely cannot nest them).
 */
export type Db = Kysely<Database> | Transaction<Database>;

export async function inTransaction<T>(db: Db, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  if (db.isTransaction) return work(db as Transaction<Database>);
  return db.transaction().execute(work);
}
