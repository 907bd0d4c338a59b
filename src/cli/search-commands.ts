import path from 'node:path';
import { loadConfig } from '../config.ts';
import { indexPending, queueAll } from '../discovery/index.ts';
import { createFileStore } from '../storage/index.ts';
import { UsageError, type Command } from './command.ts';
import { withDatabase } from './database.ts';
import { progressBar } from './progress.ts';

/**
 * `revista search reindex [--extract]`: rebuilds the search index of every article (the server keeps
 * it current by itself; this is for after a bulk change made with triggers off, or a new version of
 * the indexing rules). `--extract` reads the text of every galley file again.
 */
export const searchCommand: Command = {
  name: 'search',
  usage: 'revista search reindex [--extract]',
  summary: 'rebuild the full-text search index of every article (--extract: read the text of galley PDFs and HTML again)',
  async run(args, io) {
    const [action, ...rest] = args;
    if (action !== 'reindex') throw new UsageError(action ? `unknown action: ${action}` : 'say reindex');
    const unknown = rest.filter((a) => a !== '--extract');
    if (unknown.length > 0) throw new UsageError(`unknown argument: ${unknown[0]}`);
    const config = loadConfig(io.env);
    return withDatabase(io, 'revista search', async (db) => {
      const queued = await queueAll(db, { extractAgain: rest.includes('--extract') });
      const bar = progressBar(queued, 'indexing articles');
      let last = 0;
      const done = await indexPending(db, {
        files: createFileStore(path.join(config.dataDir, 'files')),
        batchSize: 500,
        log: { warn: (object, message) => io.err(`revista search: ${message ?? ''} ${JSON.stringify(object)}`), error: (object, message) => io.err(`revista search: ${message ?? ''} ${JSON.stringify(object)}`) },
        progress: (n) => {
          bar.tick(n - last);
          last = n;
        },
      });
      bar.done();
      const indexed = await db.selectFrom('search_documents').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      io.out(`indexed ${done} article(s); ${Number(indexed.n)} are visible to readers and searchable`);
      return 0;
    });
  },
};
