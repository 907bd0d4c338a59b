import type { JobHandler, Schedule } from '../../platform/jobs/index.ts';
import type { FileStore } from '../../storage/index.ts';
import { startTextExtractor, type TextExtractor } from './extract-thread.ts';
import { indexPending } from './indexer.ts';

/**
 * Indexing as a job: catalog triggers queue changed articles (search_queue), and a trigger on that
 * queue queues this job (migration 0023), so whoever changed the catalog — a page, the CLI, an OJS
 * import, SQL — sets it off in their own transaction. A worker process runs it; galley text is
 * extracted on the way, off the main thread.
 */
export const SEARCH_INDEX_JOB = 'search.index';

export function searchJobs(options: { files?: FileStore }): JobHandler[] {
  // One extractor thread for the runner's life (started on the first file, closed when it stops).
  const extractor: TextExtractor | undefined = options.files ? startTextExtractor() : undefined;
  return [
    {
      kind: SEARCH_INDEX_JOB,
      async close() {
        await extractor?.close();
      },
      // A large import's first indexing reads many galley files.
      leaseMs: 15 * 60_000,
      async run(_payload, job) {
        // Until the queue is empty: articles queued during a run are taken by the same job.
        for (let round = 0; round < 100 && !job.signal.aborted; round++) {
          if ((await indexPending(job.db, { ...(options.files ? { files: options.files } : {}), ...(extractor ? { extractor } : {}), log: job.log })) === 0) return;
        }
      },
    },
  ];
}

/** For a change whose job was queued in the instant a run was finishing: looked at every five minutes. */
export const searchSchedules: Schedule[] = [{ name: SEARCH_INDEX_JOB, kind: SEARCH_INDEX_JOB, everyMs: 5 * 60_000, maxAttempts: 1 }];
