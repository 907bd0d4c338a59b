import type { FastifyInstance } from 'fastify';
import { sql, type Kysely } from 'kysely';
import type { Database, DatabaseKind } from '../../db/index.ts';

/** `/healthz` for load balancers and monitors: 200 when the database answers, 503 when it does not. */
export async function healthPlugin(app: FastifyInstance, options: { db: Kysely<Database>; kind: DatabaseKind }): Promise<void> {
  app.get('/healthz', async (request, reply) => {
    reply.header('cache-control', 'no-store');
    try {
      await sql`SELECT 1`.execute(options.db);
      return { status: 'ok', database: options.kind };
    } catch (error) {
      request.log.error({ err: error }, 'health check: database unavailable');
      return reply.code(503).send({ status: 'unavailable', database: options.kind });
    }
  });
}
