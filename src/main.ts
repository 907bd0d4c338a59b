import path from 'node:path';
import { AccountSetupError, ensureAdministrator } from './accounts/index.ts';
import { buildApp } from './app.ts';
import { systemClock } from './clock.ts';
import { loggerOptions } from './platform/http/index.ts';
import { createMailer, describeMailer } from './mail/index.ts';
import { robotPatternCount, ROBOTS_FILE_NAME, useRobotsListFile } from './stats/index.ts';
import { watchContentChanges } from './catalog/index.ts';
import { ConfigError, describeDatabase, loadConfig } from './config.ts';
import { DatabaseConnectError, DatabaseInUseError, MigrationError, migrateToLatest } from './db/index.ts';
import { initialiseSite } from './demo/index.ts';
import { REFERENCES_PARSE_JOB } from './references/index.ts';
import { jobHandlers } from './job-handlers.ts';
import { enqueue, startJobRunner, type JobRunner } from './platform/jobs/index.ts';
import { connectDatabase, prepareDataDir, StartupError, unsupportedNode } from './runtime.ts';
import { createFileStore, retypeStoredFiles, sweepFileStore } from './storage/index.ts';

/** Start: config → database → migrate → first-start content → listen. Stops cleanly on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  const config = loadConfig();
  prepareDataDir(config.dataDir);
  const database = await connectDatabase(config, 'revista start');
  const applied = await migrateToLatest(database.db);
  const seeded = await initialiseSite(database.db, { demo: config.seedDemo });
  let logListener: ((status: { listening: boolean; error?: unknown; retryInMs?: number }) => void) | undefined;
  const changes = await watchContentChanges(database, { onStatus: (status) => logListener?.(status) });
  const files = createFileStore(path.join(config.dataDir, 'files'));
  // What a killed process left in the store (upload spools, an interrupted import's files) goes now.
  const swept = await sweepFileStore(database.db, files, { exclusive: database.kind === 'pglite' });
  // Files stored before types were read from their bytes get theirs, once (an OJS 3.3+ PDF was octet-stream).
  const retyped = await retypeStoredFiles(database.db, files);
  const robots = useRobotsListFile(path.join(config.dataDir, ROBOTS_FILE_NAME));
  const administrator = await ensureAdministrator(database.db, config.firstAdministrator, systemClock.now());
  const mailer = createMailer(database.db, { smtpUrl: config.smtpUrl, from: config.mailFrom });
  const app = await buildApp({
    config,
    database,
    files,
    changes,
    mailer,
    logger: loggerOptions(config.logLevel),
    accessLog: config.accessLog,
  });
  app.log.info({ database: describeDatabase(config), migrations: applied, demo: seeded }, 'database ready');
  logListener = ({ listening, error, retryInMs }) =>
    listening ? app.log.info('listening for catalog changes again; page caches in use') : app.log.warn({ err: error, retryInMs }, 'catalog change listener lost its connection; page caches bypassed until it is back');
  if (swept.spools + swept.partials + swept.orphans > 0) app.log.info({ ...swept }, 'removed files left by an interrupted upload or import');
  if (retyped.checked + retyped.missing > 0) app.log.info({ ...retyped }, 'read the types of stored files from their bytes (once, for files stored before this version)');
  app.log.info(`mail: ${describeMailer(config.smtpUrl)}`);
  app.log.info(`usage statistics: ${robots ?? robotPatternCount()} COUNTER robot patterns (${robots ? 'refreshed list in DATA_DIR' : 'bundled list'})`);
  if (!config.databaseUrl) {
    app.log.info('embedded PGlite runs without fsync: use PostgreSQL (DATABASE_URL) for production');
  }
  const unsupported = unsupportedNode(process.versions.node);
  if (unsupported) app.log.warn(unsupported);

  let jobs: JobRunner | undefined;
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down: finishing requests in flight');
    const force = setTimeout(() => {
      app.log.error('shutdown took longer than 10 s, exiting');
      process.exit(1);
    }, 10_000);
    force.unref();
    try {
      await app.close();
      await jobs?.stop();
      await changes.close();
      await mailer.close();
      await database.close();
      app.log.info('stopped cleanly');
      process.exit(0);
    } catch (error) {
      app.log.error({ err: error }, 'error while shutting down');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));

  if (config.services.web) {
    await app.listen({ port: config.port, host: config.host });
    app.log.info(`Revista is serving ${config.baseUrl}`);
  }
  // SERVICES=worker: this process runs the job queue (deposits, mail, indexing, …); several may, each
  // job runs once. Started after the pages are served, so a first start's catch-up work waits for them.
  if (config.services.worker) {
    // References without a parse of this parser version (a newer parser, imports, SQL) are caught up.
    if (config.referenceParsing) await enqueue(database.db, { kind: REFERENCES_PARSE_JOB, payload: {}, key: REFERENCES_PARSE_JOB });
    jobs = startJobRunner({ db: database.db, ...jobHandlers(config, { mailer, files }), log: app.log, listen: (channel, onMessage) => database.listen(channel, onMessage) });
    app.log.info('running jobs (SERVICES includes worker)');
  }
  if (administrator) {
    // Printed once, on the start that created the account; the log line carries no password when it came from the environment.
    const how = administrator.generatedPassword ? `password ${administrator.generatedPassword} (shown only this once; change it in your profile)` : 'the password from ADMIN_PASSWORD';
    console.log(`\nSign in as administrator at ${config.baseUrl}/login with email ${administrator.email} and ${how}.\n`);
  }
}

main().catch((error: unknown) => {
  const known = error instanceof ConfigError || error instanceof AccountSetupError || error instanceof StartupError || error instanceof DatabaseConnectError || error instanceof DatabaseInUseError || error instanceof MigrationError;
  if (known) {
    console.error(`revista: ${(error as Error).message}`);
  } else if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    console.error(`revista: port ${(error as { port?: number }).port ?? ''} is already in use; set PORT to a free port`);
  } else {
    console.error('revista: failed to start:', error);
  }
  process.exit(1);
});
