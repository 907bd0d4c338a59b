import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { formPage, sendPrivatePage } from '../platform/web/index.ts';
import type { Clock } from '../clock.ts';
import type { Database } from '../db/index.ts';
import { parseId } from '../platform/http/index.ts';
import { listFailedJobs, retryFailedJob, type RetryOutcome } from '../platform/jobs/index.ts';
import { IdParams, QueryValue } from './schemas.ts';
import { FailedJobsPage } from './views/jobs.tsx';

const admin = { config: { permission: 'site.admin' as const } };
const NOTICES: readonly RetryOutcome[] = ['queued', 'already-queued', 'not-failed'];

/**
 * Failed jobs (deposits, mail, … that ran out of tries), newest first, with their last error, and a
 * retry button: queueing a job again undoes nothing, so it asks for no confirmation.
 */
export function siteJobRoutes(app: FastifyInstance, deps: { db: Kysely<Database>; clock: Clock }): void {
  const routes = app.withTypeProvider<TypeBoxTypeProvider>();
  routes.get('/admin/jobs', { ...admin, schema: { querystring: Type.Object({ notice: QueryValue }) } }, async (request, reply) => {
    const { ctx } = await formPage(deps.db, request, reply);
    const raw = request.query.notice;
    const notice = NOTICES.find((n) => n === raw);
    return sendPrivatePage(reply, FailedJobsPage({ ctx, jobs: await listFailedJobs(deps.db), notice: notice && ctx.t(`jobs.notice.${notice}`) }));
  });

  routes.post('/admin/jobs/:id/retry', { ...admin, schema: { params: IdParams } }, async (request, reply) => {
    const id = parseId(request.params.id);
    const outcome = await retryFailedJob(deps.db, id, deps.clock);
    return reply.redirect(`/admin/jobs?notice=${outcome}`, 303);
  });
}
