import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { watchContentChanges, type ContentChanges } from '../../src/catalog/index.ts';
import type { DatabaseHandle } from '../../src/db/index.ts';
import { initialiseSite } from '../../src/demo/index.ts';
import { createFileStore, type FileStore } from '../../src/storage/index.ts';
import type { TestDatabase } from './databases.ts';
import type { Clock } from '../../src/clock.ts';
import type { Mailer } from '../../src/mail/index.ts';
import type { UploadSlots } from '../../src/platform/http/index.ts';
import { searchJobs } from '../../src/discovery/search/index.ts';
import { startJobRunner } from '../../src/platform/jobs/index.ts';
import { jobHandlers } from '../../src/job-handlers.ts';
import { createMailer } from '../../src/mail/index.ts';
import { countingDatabase } from './query-count.ts';

export interface TestApp {
  app: FastifyInstance;
  database: DatabaseHandle;
  files: FileStore;
  changes: ContentChanges;
  close(): Promise<void>;
}

/** The real app on a fresh database of the given kind, with the demo journal seeded as on first start. */
export async function startTestApp(kind: TestDatabase, options: { demo?: boolean; pageCache?: boolean; mailer?: (db: DatabaseHandle) => Mailer; clock?: Clock; oaiPageSize?: number; uploadSlots?: UploadSlots; beforeReady?: (app: FastifyInstance, database: DatabaseHandle) => void; worker?: boolean; countQueries?: boolean } = {}): Promise<TestApp> {
  const database = await kind.open();
  await initialiseSite(database.db, { demo: options.demo ?? true });
  const changes = await watchContentChanges(database);
  const filesRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'revista-files-'));
  const files = createFileStore(filesRoot);
  // One mailer for the pages and the worker, as in one process started with SERVICES=web,worker.
  const mailer = options.mailer ? options.mailer(database) : options.worker ? createMailer(database.db, { from: 'Revista <noreply@localhost>' }) : undefined;
  const app = await buildApp({
    config: { baseUrl: 'http://localhost:3000', pageCache: options.pageCache ?? true, ...(options.oaiPageSize ? { oaiPageSize: options.oaiPageSize } : {}) },
    // Counted inside queriesOf (test/support/query-count.ts) only; `database` stays the plain handle for the test's own writes.
    database: options.countQueries ? countingDatabase(database) : database,
    files,
    changes,
    ...(mailer ? { mailer } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.uploadSlots ? { uploadSlots: options.uploadSlots } : {}),
  });
  // A test's own routes (a sample page made of real components) join before the app is sealed.
  options.beforeReady?.(app, database);
  await app.ready();
  // What a worker process does for the pages: keeps the search index current (a test's other jobs,
  // deposits and mail, are run by the test itself with runJobsUntilIdle) — or, with `worker`, every
  // job a worker runs (events' subscribers, mail, deposits), as `npm start` does.
  const handlers = options.worker && mailer ? jobHandlers({ crossrefUrl: 'http://127.0.0.1:9', baseUrl: 'http://localhost:3000', referenceParsing: true }, { mailer, files }).handlers : searchJobs({ files });
  const indexer = startJobRunner({ db: database.db, handlers, concurrency: 1, pollMs: 250, listen: (channel, onMessage) => database.listen(channel, onMessage) });
  return {
    app,
    database,
    files,
    changes,
    async close() {
      await indexer.stop();
      await app.close();
      await changes.close();
      await database.close();
      fs.rmSync(filesRoot, { recursive: true, force: true });
    },
  };
}

/** Visible text of an HTML page: tags removed, entities decoded, whitespace collapsed. */
export function visibleText(html: string): string {
  return html
    .replace(/<head>[\s\S]*?<\/head>/i, ' ')
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
    // Block elements end a run of text, as a browser lays them out; inline ones do not.
    .replace(/<\/?(?:p|div|h[1-6]|li|ul|ol|dl|dt|dd|section|nav|header|footer|main|article|br|table|tr|td|th)\b[^>]*>/gi, ' ')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&#34;|&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}
