import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/index.ts';
import type { FileStore } from '../../storage/index.ts';
import type { ExtractedFile } from './extract.ts';
import { ExtractorClosedError, startTextExtractor, type TextExtractor } from './extract-thread.ts';

/**
 * Keeps `search_documents` in step with the catalog. Catalog triggers queue the ids of changed
 * articles (search_queue); the indexer takes them in batches, reads the text of new galley files,
 * and rebuilds their rows in one statement per batch. Whoever changed the catalog (the app, an OJS
 * import, the CLI, SQL) needs to do nothing more.
 */

type Db = Kysely<Database>;

export interface IndexerOptions {
  /** Where galley files are; without it, galley text is not extracted (metadata is still indexed). */
  files?: FileStore;
  /** Reads galley text off the main thread; without one, each call starts its own for its duration. */
  extractor?: TextExtractor;
  /** Articles per batch (one transaction each). */
  batchSize?: number;
  log?: { warn(object: unknown, message?: string): void; error(object: unknown, message?: string): void };
  /** Called after each batch with the number of articles done. */
  progress?: (done: number) => void;
}

// Two indexers (two servers on one PostgreSQL) take turns instead of writing the same rows at once.
const LOCK_KEY = 0x5e_a2_c4;

/** Reads and stores the text of the stored galley files of these articles that have none yet. */
async function extractMissing(db: Db, articleIds: number[], options: IndexerOptions, extractor: TextExtractor | undefined): Promise<boolean> {
  if (!options.files || !extractor || articleIds.length === 0) return false;
  const files = await db
    .selectFrom('articles as a')
    .innerJoin('galleys as g', 'g.publication_id', 'a.current_publication_id')
    .innerJoin('files as f', 'f.id', 'g.file_id')
    .leftJoin('search_file_texts as t', 't.file_id', 'f.id')
    .select(['f.id', 'f.storage_key', 'f.mime_type'])
    .distinct()
    .where('a.id', 'in', articleIds)
    .where('t.file_id', 'is', null)
    .execute();
  for (const file of files) {
    let extracted: ExtractedFile;
    try {
      extracted = await extractor.extract(options.files.pathOf(file.storage_key), file.mime_type);
    } catch (error) {
      if (error instanceof ExtractorClosedError) throw error;
      extracted = { text: '' as const, problem: 'the stored file is missing', fileError: (error as Error).message };
    }
    if (extracted.fileError) options.log?.warn({ fileId: file.id, err: extracted.fileError }, 'search: galley file cannot be read');
    await db
      .insertInto('search_file_texts')
      .values({ file_id: file.id, content: extracted.text, problem: extracted.problem })
      .onConflict((oc) => oc.column('file_id').doNothing())
      .execute();
  }
  return files.length > 0;
}

/** Runs `work` with the caller's extractor, or one of its own (started only if a file needs reading) closed after. */
async function withExtractor<T>(options: IndexerOptions, work: (extractor: TextExtractor | undefined) => Promise<T>): Promise<T> {
  if (options.extractor || !options.files) return work(options.extractor);
  const own = startTextExtractor();
  try {
    return await work(own);
  } finally {
    await own.close();
  }
}

/** Rebuilds the rows of these articles now (no queue): for the CLI and tests. */
export async function refreshArticles(db: Db, articleIds: number[], options: IndexerOptions = {}): Promise<void> {
  await withExtractor(options, (extractor) => extractMissing(db, articleIds, options, extractor));
  await db.transaction().execute(async (tx) => {
    await sql`SELECT pg_advisory_xact_lock(${LOCK_KEY})`.execute(tx);
    await sql`SELECT revista_search_refresh(${articleIds}::integer[])`.execute(tx);
  });
}

/**
 * Indexes every queued article and returns how many were done. Tests call it to make the index
 * current before they search; the search.index job (jobs.ts) calls it whenever the catalog changes.
 */
export async function indexPending(db: Db, options: IndexerOptions = {}): Promise<number> {
  return withExtractor(options, (extractor) => indexQueued(db, options, extractor));
}

async function indexQueued(db: Db, options: IndexerOptions, extractor: TextExtractor | undefined): Promise<number> {
  const batchSize = options.batchSize ?? 200;
  let done = 0;
  // Bounded: articles changed again while being indexed are taken on the next call.
  for (let round = 0; round < 10_000; round++) {
    const batch = await db
      .selectFrom('search_queue')
      .select(['article_id', sql<string>`queued_at::text`.as('queued')])
      .orderBy('queued_at')
      .orderBy('article_id')
      .limit(batchSize)
      .execute();
    if (batch.length === 0) break;
    const ids = batch.map((row) => row.article_id);
    await extractMissing(db, ids, options, extractor);
    await db.transaction().execute(async (tx) => {
      await sql`SELECT pg_advisory_xact_lock(${LOCK_KEY})`.execute(tx);
      await sql`SELECT revista_search_refresh(${ids}::integer[])`.execute(tx);
      // An article queued again since it was read stays queued for the next round.
      await sql`
        DELETE FROM search_queue q
         USING unnest(${ids}::integer[], ${batch.map((row) => row.queued)}::timestamptz[]) AS b(id, queued)
         WHERE q.article_id = b.id AND q.queued_at = b.queued
      `.execute(tx);
    });
    done += batch.length;
    options.progress?.(done);
    if (batch.length < batchSize) break;
  }
  if (done > 0) {
    await tidyAfter(db, done);
    // Cached pages (search results, similar articles) were rendered from the old index.
    await sql`SELECT pg_notify('revista_content_' || current_schema(), 'search')`.execute(db);
  }
  return done;
}

/**
 * After a run that rebuilt a tenth of the index or more (an import, a reindex), the planner's
 * statistics of the search tables are gathered again and the postings vacuumed, as autovacuum would
 * on PostgreSQL: the embedded database has none. Search leans on both: the statistics say how many
 * articles a word is in (every match ranked, or the best postings read), and a vacuumed table lets
 * the postings be read from their index alone.
 */
async function tidyAfter(db: Db, done: number): Promise<void> {
  const documents = Number((await db.selectFrom('search_stats').select('documents').executeTakeFirst())?.documents ?? 0);
  if (done < Math.max(TIDY_LEAST, documents / 10)) return;
  await sql`VACUUM (ANALYZE) search_postings`.execute(db);
  await sql`ANALYZE search_documents`.execute(db);
}

/** Fewer articles than this are not worth new statistics. */
const TIDY_LEAST = 200;

/** Queues every article again (the reindex command); returns how many. */
export async function queueAll(db: Db, options: { extractAgain?: boolean } = {}): Promise<number> {
  if (options.extractAgain) await db.deleteFrom('search_file_texts').execute();
  const result = await sql`
    INSERT INTO search_queue (article_id) SELECT id FROM articles
    ON CONFLICT (article_id) DO UPDATE SET queued_at = clock_timestamp()
  `.execute(db);
  // Articles gone from the catalog leave the index too.
  await sql`
    INSERT INTO search_queue (article_id) SELECT d.article_id FROM search_documents d WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.id = d.article_id)
    ON CONFLICT (article_id) DO NOTHING
  `.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
