import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { setImmediate as yieldToEvents, setTimeout as sleep } from 'node:timers/promises';
import { isDeepStrictEqual } from 'node:util';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/index.ts';
import { MODEL_FILE } from './model.ts';
import { parseReferences } from './parse.ts';
import type { CslItem, ParsedReference, ReferenceIssue } from './types.ts';

/**
 * Parsed references kept beside the raw ones (citations.parsed, migration 0010): what the catalog
 * writes with each reference list, and the background pass that parses the rows nobody parsed — an
 * OJS import, SQL, rows from before this parser, rows parsed by an older version of it.
 *
 * A stored parse is tagged with the SHA-256 of its text (a trigger drops a parse that does not match
 * the text) and with PARSER_VERSION, so a retrained model or changed rules (RULES_VERSION) re-parse everything.
 */

type Db = Kysely<Database>;

/**
 * The parsing rules' version: bump it when a change to the rules (csl.ts, checks.ts, dates.ts, names.ts,
 * features …) changes what a parse stores, so stored parses are redone. It is a number kept by hand,
 * not a hash of the sources, because every re-parse rewrites citation rows, which moves OAI datestamps
 * and may re-deposit to Crossref: an edit that changes nothing a reader or indexer sees must not do that.
 * A retrained model changes the version by itself (its file is hashed).
 */
const RULES_VERSION = 'rules/2';
/** Bumped when the stored shape changes. */
const STORE_FORMAT = 'parse/1';

function parserVersion(): string {
  return createHash('sha256').update(STORE_FORMAT).update('\0').update(RULES_VERSION).update('\0').update(readFileSync(MODEL_FILE)).digest('hex').slice(0, 16);
}

/** Changes whenever the model or the parsing rules do; stored with each parse. */
export const PARSER_VERSION = parserVersion();

/** The hex SHA-256 of a reference's text as PostgreSQL computes it in the guard trigger. */
export function textSha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The columns stored beside each raw reference. */
export interface ParseColumns {
  parsed: string;
  parsed_text_sha256: string;
  parser_version: string;
}

// The same list parsed again (a copy of an article, the demo on a second database) costs nothing.
const recent = new Map<string, ParsedReference[]>();
const RECENT_LISTS = 100;

/** A publication's reference list, parsed as one list (numbered, duplicates found), remembered briefly. */
export function parseReferenceList(raws: readonly string[]): ParsedReference[] {
  const key = JSON.stringify(raws);
  const known = recent.get(key);
  if (known) {
    recent.delete(key);
    recent.set(key, known);
    return known;
  }
  const parsed = parseReferences(raws);
  recent.set(key, parsed);
  if (recent.size > RECENT_LISTS) recent.delete(recent.keys().next().value!);
  return parsed;
}

/** The stored columns for each reference of a list, in its order. */
export function referenceParseColumns(raws: readonly string[]): ParseColumns[] {
  return parseReferenceList(raws).map((parsed, index) => ({
    parsed: JSON.stringify(parsed),
    parsed_text_sha256: textSha256(raws[index]!),
    parser_version: PARSER_VERSION,
  }));
}

/** What readers of a stored parse get: the CSL-JSON item and the issues; undefined when there is none. */
export interface StoredReference {
  csl: CslItem;
  issues: ReferenceIssue[];
}

/** A stored `parsed` value read back, checked for shape: anything else (NULL, damage) is no parse. */
export function storedReference(value: unknown): StoredReference | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { csl, issues } = value as { csl?: unknown; issues?: unknown };
  if (typeof csl !== 'object' || csl === null || typeof (csl as { type?: unknown }).type !== 'string') return undefined;
  if (!Array.isArray(issues) || !issues.every((i) => typeof i === 'object' && i !== null && typeof (i as { code?: unknown }).code === 'string')) return undefined;
  return { csl: csl as CslItem, issues: issues as ReferenceIssue[] };
}

export interface ReparseOptions {
  /** Publications per transaction. */
  batchSize?: number;
  /** Called after each batch with the number of publications done so far. */
  progress?: (publications: number) => void;
  /**
   * Rest this many times as long as each list took to parse (1: at most half a core), so a server
   * catching up with a large import keeps answering at speed. 0 (default): as fast as it can.
   */
  restRatio?: number;
  /** Stops between lists when it returns true (a server shutting down). */
  stopped?: () => boolean;
}

export interface ReparseResult {
  publications: number;
  /** Rows whose stored parse was written. */
  references: number;
}

const staleVersion = sql<boolean>`(parser_version IS NULL OR parser_version < ${PARSER_VERSION} OR parser_version > ${PARSER_VERSION})`;

/**
 * Parses the reference lists that have a row without a current parse, whole (duplicates depend on
 * the other references of the list), and stores each row's parse if its text is still the one that
 * was parsed: a text changed meanwhile keeps no parse (the trigger) and is taken next time.
 */
export async function parseStaleReferences(db: Db, options: ReparseOptions = {}): Promise<ReparseResult> {
  const batchSize = options.batchSize ?? 20;
  const result: ReparseResult = { publications: 0, references: 0 };
  let after = 0;
  // Bounded: lists changed again while being parsed are taken on the next call.
  for (let round = 0; round < 100_000; round++) {
    const stale = await db
      .selectFrom('citations')
      .select('publication_id')
      .where(staleVersion)
      .where('publication_id', '>', after)
      .orderBy('publication_id')
      .limit(batchSize * 50)
      .execute();
    const publicationIds = [...new Set(stale.map((r) => r.publication_id))].slice(0, batchSize);
    if (publicationIds.length === 0) break;
    after = publicationIds.at(-1)!;
    const rows = await db
      .selectFrom('citations')
      .select(['id', 'publication_id', 'raw_text', 'parsed', 'parser_version'])
      .where('publication_id', 'in', publicationIds)
      .orderBy('publication_id')
      .orderBy('seq')
      .execute();
    const updates: Array<{ id: number; raw_text: string; parsed: unknown; sha: string }> = [];
    for (const publicationId of publicationIds) {
      if (options.stopped?.()) break;
      const list = rows.filter((r) => r.publication_id === publicationId);
      const started = performance.now();
      const parsed = parseReferenceList(list.map((r) => r.raw_text));
      const took = performance.now() - started;
      list.forEach((row, index) => {
        const fresh = JSON.parse(JSON.stringify(parsed[index]!)) as unknown;
        if (row.parser_version === PARSER_VERSION && isDeepStrictEqual(row.parsed, fresh)) return;
        updates.push({ id: row.id, raw_text: row.raw_text, parsed: fresh, sha: textSha256(row.raw_text) });
      });
      // Parsing is CPU work in the server's process: let requests in between lists.
      if (options.restRatio) await sleep(took * options.restRatio);
      else await yieldToEvents();
    }
    if (updates.length > 0) {
      const written = await sql`
        UPDATE citations c
           SET parsed = v.parsed, parsed_text_sha256 = v.sha, parser_version = ${PARSER_VERSION}
          FROM jsonb_to_recordset(${JSON.stringify(updates)}::jsonb) AS v(id integer, raw_text text, parsed jsonb, sha text)
         WHERE c.id = v.id AND c.raw_text = v.raw_text
      `.execute(db);
      result.references += Number(written.numAffectedRows ?? 0);
    }
    result.publications += publicationIds.length;
    options.progress?.(result.publications);
    if (options.stopped?.()) break;
  }
  return result;
}

/** How many reference rows wait for a parse (for a progress bar's total, and tests). */
export async function countStaleReferences(db: Db): Promise<{ publications: number; references: number }> {
  const row = await db
    .selectFrom('citations')
    .select([sql<string>`count(DISTINCT publication_id)`.as('publications'), sql<string>`count(*)`.as('references')])
    .where(staleVersion)
    .executeTakeFirstOrThrow();
  return { publications: Number(row.publications), references: Number(row.references) };
}
