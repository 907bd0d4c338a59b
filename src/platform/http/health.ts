import type { FastifyInstance } from 'fastify';
import { sql, type Kysely } from 'kysely';
import { pendingMigrations, type Database, type DatabaseKind } from '../../db/index.ts';

/**
 * `/healthz` (alive) and `/readyz` (ready for traffic), as load balancers and orchestrators ask them.
 * `/healthz` answers from memory: a process that can answer is alive, and a monitor asking it every
 * second costs no query. `/readyz` asks the database and whether every migration this version knows
 * has been applied: 503 while either is not so, 200 again once it is, without a restart.
 */
export async function healthPlugin(app: FastifyInstance, options: { db: Kysely<Database>; kind: DatabaseKind }): Promise<void> {
  const alive = JSON.stringify({ status: 'ok', database: options.kind });
  app.get('/healthz', async (_request, reply) => reply.header('cache-control', 'no-store').type('application/json; charset=utf-8').send(alive));

  // Once every migration is seen applied it stays so for this process (schemas are not rolled back under it).
  let migrated = false;
  app.get('/readyz', async (request, reply) => {
    reply.header('cache-control', 'no-store');
    try {
      await sql`SELECT 1`.execute(options.db);
      if (!migrated) {
        const pending = await pendingMigrations(options.db);
        if (pending.length > 0) return reply.code(503).send({ status: 'unavailable', database: options.kind, reason: 'migrations pending', pending });
        migrated = true;
      }
      return { status: 'ok', database: options.kind };
    } catch (error) {
      request.log.error({ err: error }, 'readiness check: database unavailable');
      return reply.code(503).send({ status: 'unavailable', database: options.kind, reason: 'database unavailable' });
    }
  });
}
