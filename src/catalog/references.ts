import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { referenceParseColumns, storedReference } from '../references/index.ts';
import type { ReferenceView } from './types.ts';
import type { Db } from './db.ts';

/**
 * A publication's references as the catalog writes and reads them: every write stores the parse
 * beside each text in the same transaction, every read hands out the text with its CSL-JSON and
 * issues, so exports, meta tags and pages use the structure without parsing anything.
 */

/** Rows for `citations`, numbered 1…n, each with its parse. */
export function citationRows(publicationId: number, texts: readonly string[]) {
  const parses = referenceParseColumns(texts);
  return texts.map((raw_text, index) => ({ publication_id: publicationId, seq: index + 1, raw_text, ...parses[index]! }));
}

/** Inserts a publication's reference list; call inside the transaction that writes the publication. */
export async function insertReferences(db: Db, publicationId: number, texts: readonly string[]): Promise<void> {
  // Chunks keep a long list under the parameter limit of one statement (5 columns per row).
  const rows = citationRows(publicationId, texts);
  for (let start = 0; start < rows.length; start += 2000) {
    await db.insertInto('citations').values(rows.slice(start, start + 2000)).execute();
  }
}

/** A stored row as readers get it; `csl`/`issues` are absent until the reference is parsed. */
export function toReferenceView(row: { seq: number; raw_text: string; parsed: unknown }): ReferenceView {
  const stored = storedReference(row.parsed);
  return stored ? { seq: row.seq, text: row.raw_text, csl: stored.csl, issues: stored.issues } : { seq: row.seq, text: row.raw_text };
}

/** One publication's references, in order, with their parses (the editors' pages). */
export async function publicationReferences(db: Db, publicationId: number): Promise<ReferenceView[]> {
  const rows = await db.selectFrom('citations').select(['seq', 'raw_text', 'parsed']).where('publication_id', '=', publicationId).orderBy('seq').execute();
  return rows.map(toReferenceView);
}

export interface ReferenceProblemCount {
  /** References of the publication. */
  references: number;
  /** References whose parse found at least one issue. */
  withProblems: number;
  /** References not parsed yet (the background pass has not reached them). */
  unparsed: number;
}

/** Per publication: how many references, how many with problems; one query for all. */
export async function referenceProblemCounts(db: Db, publicationIds: readonly number[]): Promise<Map<number, ReferenceProblemCount>> {
  const counts = new Map<number, ReferenceProblemCount>();
  if (publicationIds.length === 0) return counts;
  const rows = await db
    .selectFrom('citations')
    .select([
      'publication_id',
      sql<string>`count(*)`.as('references'),
      sql<string>`count(*) FILTER (WHERE jsonb_typeof(parsed->'issues') = 'array' AND jsonb_array_length(parsed->'issues') > 0)`.as('with_problems'),
      sql<string>`count(*) FILTER (WHERE parsed IS NULL)`.as('unparsed'),
    ])
    .where('publication_id', 'in', [...publicationIds])
    .groupBy('publication_id')
    .execute();
  for (const row of rows) counts.set(row.publication_id, { references: Number(row.references), withProblems: Number(row.with_problems), unparsed: Number(row.unparsed) });
  return counts;
}
