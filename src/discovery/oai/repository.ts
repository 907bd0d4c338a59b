import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/index.ts';
import type { Range } from './protocol.ts';

type Db = Kysely<Database>;

export interface RecordHeader {
  articleId: number;
  journalId: number;
  sectionId: number;
  datestamp: Date;
  deleted: boolean;
}

export interface SetFilter {
  journalId?: number;
  sectionId?: number;
}

function filtered(db: Db, range: Range, set: SetFilter) {
  let query = db.selectFrom('oai_records as r').innerJoin('journals as j', 'j.id', 'r.journal_id');
  if (set.journalId !== undefined) query = query.where('r.journal_id', '=', set.journalId);
  if (set.sectionId !== undefined) query = query.where('r.section_id', '=', set.sectionId);
  if (range.from) query = query.where('r.datestamp', '>=', range.from);
  if (range.before) query = query.where('r.datestamp', '<', range.before);
  return query;
}

/** One page of headers in (datestamp, id) order, after the keyset position `after`. */
export async function listHeaders(db: Db, range: Range, set: SetFilter, after: [Date, number] | undefined, limit: number): Promise<RecordHeader[]> {
  let query = filtered(db, range, set).select(['r.article_id', 'r.journal_id', 'r.section_id', 'r.datestamp', 'r.deleted']);
  if (after) query = query.where(sql<boolean>`(r.datestamp, r.article_id) > (${after[0]}, ${after[1]})`);
  const rows = await query.orderBy('r.datestamp').orderBy('r.article_id').limit(limit).execute();
  return rows.map((r) => ({ articleId: r.article_id, journalId: r.journal_id, sectionId: r.section_id, datestamp: r.datestamp, deleted: r.deleted }));
}

export async function countHeaders(db: Db, range: Range, set: SetFilter): Promise<number> {
  const row = await filtered(db, range, set).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function findHeader(db: Db, articleId: number, journalId?: number): Promise<RecordHeader | undefined> {
  let query = db.selectFrom('oai_records').selectAll().where('article_id', '=', articleId);
  if (journalId !== undefined) query = query.where('journal_id', '=', journalId);
  const r = await query.executeTakeFirst();
  return r && { articleId: r.article_id, journalId: r.journal_id, sectionId: r.section_id, datestamp: r.datestamp, deleted: r.deleted };
}

export async function earliestDatestamp(db: Db, journalId?: number): Promise<Date | undefined> {
  let query = db.selectFrom('oai_records').select((eb) => eb.fn.min('datestamp').as('earliest'));
  if (journalId !== undefined) query = query.where('journal_id', '=', journalId);
  const row = await query.executeTakeFirst();
  return row?.earliest ? new Date(row.earliest as unknown as string) : undefined;
}

export interface SetDescription {
  spec: string;
  name: string;
}

/** Sets: each journal (its path) and each of its sections (`path:section-{id}`), as OJS offers them. */
export async function listSets(db: Db, journalId?: number): Promise<Array<{ journalId: number; journalPath: string; journalName: Record<string, string>; primaryLocale: string; sections: Array<{ id: number; title: Record<string, string> }> }>> {
  let journals = db.selectFrom('journals').select(['id', 'path', 'name', 'primary_locale']).where('enabled', '=', true);
  if (journalId !== undefined) journals = journals.where('id', '=', journalId);
  const rows = await journals.orderBy('seq').orderBy('path').execute();
  if (rows.length === 0) return [];
  const sections = await db.selectFrom('sections').select(['id', 'journal_id', 'title']).where('journal_id', 'in', rows.map((r) => r.id)).orderBy('seq').orderBy('id').execute();
  return rows.map((j) => ({
    journalId: j.id,
    journalPath: j.path,
    journalName: j.name,
    primaryLocale: j.primary_locale,
    sections: sections.filter((s) => s.journal_id === j.id).map((s) => ({ id: s.id, title: s.title })),
  }));
}

/**
 * Forgets a journal's OAI records, tombstones included (its journal is being deleted, so no
 * harvester can ask for them again). Runs in the deleting transaction, before its articles go.
 */
export async function forgetJournalOaiRecords(db: Kysely<Database>, journalId: number): Promise<void> {
  await db.deleteFrom('oai_records').where('journal_id', '=', journalId).execute();
}
