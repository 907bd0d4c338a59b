import type { LocalizedText } from '../../db/schema.ts';
import { inTransaction, type Db } from '../db.ts';
import { listSections, reorder, sectionIsEmpty } from '../editing.ts';

/** Sections of a journal: made, renamed, ordered, and deleted while they hold no article. */

export async function createSection(db: Db, input: { journalId: number; title: LocalizedText; abbreviation?: LocalizedText; seq?: number }): Promise<number> {
  const row = await db
    .insertInto('sections')
    .values({
      journal_id: input.journalId,
      title: JSON.stringify(input.title),
      abbreviation: JSON.stringify(input.abbreviation ?? {}),
      policy: '{}',
      seq: input.seq ?? 0,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface SectionFields {
  title: LocalizedText;
  abbreviation: LocalizedText;
  policy: LocalizedText;
}

export async function saveSection(db: Db, journalId: number, id: number | null, fields: SectionFields): Promise<number> {
  const values = { title: JSON.stringify(fields.title), abbreviation: JSON.stringify(fields.abbreviation), policy: JSON.stringify(fields.policy) };
  if (id !== null) {
    await db.updateTable('sections').set(values).where('id', '=', id).where('journal_id', '=', journalId).execute();
    return id;
  }
  const last = await db.selectFrom('sections').select((eb) => eb.fn.max('seq').as('seq')).where('journal_id', '=', journalId).executeTakeFirst();
  const row = await db.insertInto('sections').values({ journal_id: journalId, ...values, seq: Number(last?.seq ?? 0) + 1 }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function moveSection(db: Db, journalId: number, sectionId: number, direction: 'up' | 'down'): Promise<void> {
  await inTransaction(db, async (trx) => {
    const order = reorder(await listSections(trx, journalId), sectionId, direction);
    for (const { id, seq } of order) await trx.updateTable('sections').set({ seq }).where('id', '=', id).execute();
  });
}

/** Deletes a section that holds no article (any version); false when it holds one and stays. */
export async function deleteSection(db: Db, journalId: number, sectionId: number): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    if (!(await sectionIsEmpty(trx, sectionId))) return false;
    await trx.deleteFrom('sections').where('id', '=', sectionId).where('journal_id', '=', journalId).execute();
    return true;
  });
}
