import cookie from '@fastify/cookie';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { ContentChanges } from './catalog/index.ts';
import type { Config } from './config.ts';
import type { DatabaseHandle } from './db/index.ts';
import { healthPlugin } from './http/health.ts';
import { registerHttpBasics, type ErrorPages } from './http/index.ts';
import { ojsCompatibilityPlugin } from './interop/ojs/index.ts';
import { readerPlugin } from './reader/index.ts';
import type { FileStore } from './storage/index.ts';
import { assetsPlugin } from './ui/index.ts';

export interface AppDeps {
  config: Pick<Config, 'baseUrl' | 'pageCache'>;
  database: DatabaseHandle;
  files: FileStore;
  changes: ContentChanges;
  /** Fastify's logger settings; tests pass `false`. */
  logger?: FastifyServerOptions['logger'];
}

/** The whole web application; each capability is one plugin. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.logger ?? false,
    genReqId: () => randomUUID(),
    trustProxy: true,
    return503OnClosing: true,
  });
  const pages: ErrorPages = {
    notFound: async (_request, reply) => reply.code(404).type('text/plain; charset=utf-8').send('404 Not Found'),
    serverError: async (request, reply) => reply.code(500).type('text/plain; charset=utf-8').send(`500 Internal Server Error (${request.id})`),
  };
  registerHttpBasics(app, { https: deps.config.baseUrl.startsWith('https:'), pages });
  await app.register(cookie);

  await app.register(assetsPlugin);
  await app.register(healthPlugin, { db: deps.database.db, kind: deps.database.kind });
  await app.register(ojsCompatibilityPlugin);
  await app.register(readerPlugin, { db: deps.database.db, files: deps.files, changes: deps.changes, pageCache: deps.config.pageCache, pages });
  return app;
}
