import type { Kysely } from 'kysely';
import type { Database, DatabaseHandle } from '../../src/db/index.ts';
import { DEMO_JOURNAL_PATH, initialiseSite } from '../../src/demo/index.ts';
import type { TestDatabase } from './databases.ts';

/** A fresh database of `kind` seeded as on first start, with the demo journal's id and its first section's. */
export async function openDemoJournal(kind: TestDatabase): Promise<{ handle: DatabaseHandle; db: Kysely<Database>; journalId: number; sectionId: number }> {
  const handle = await kind.open();
  const db = handle.db;
  await initialiseSite(db, { demo: true });
  const journalId = (await db.selectFrom('journals').select('id').where('path', '=', DEMO_JOURNAL_PATH).executeTakeFirstOrThrow()).id;
  const sectionId = (await db.selectFrom('sections').select('id').where('journal_id', '=', journalId).executeTakeFirstOrThrow()).id;
  return { handle, db, journalId, sectionId };
}
