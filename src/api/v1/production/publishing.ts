import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/index.ts';
import { Id, JournalPath, NotFoundError, Problem, Type, problem, sendProblem, typed, type Static } from '../../../platform/http/index.ts';
import { fixUrl, publishSubmission, PublishingError, readiness, readinessFacts, schedulePublication, unpublishSubmission, unschedulePublication, type PublishingErrorCode, type ScheduleChoice } from '../../../workflow/index.ts';
import { requireCallerCan } from '../../auth.ts';
import { named } from '../common.ts';
import type { ApiDeps } from '../deps.ts';
import { readableSubmission } from '../submissions/workflow-routes.ts';
import { publishDraftVersionIfAsked } from './versions.ts';
import { VersionSummary } from './versions-schema.ts';

/**
 * Scheduling and publishing through the API (issue 21, items 3-5 and 8), in OJS's shape:
 * `PUT /submissions/{id}/publications/{publicationId}/publish` and `/unpublish`, with Revista's
 * readiness check and schedule beside them. For the submission's deciding editors
 * (`submission.publish`); its authors get 403, whoever may not read it 404. The same commands as the
 * submission page, so both refuse alike: a refusal is a problem with the reason in `code`.
 */

const tags = ['publishing'];
const config = { csrf: false } as const;

const PublicationParams = Type.Object({ journal: JournalPath, submissionId: Id, publicationId: Id });
const DateOnly = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', description: '`YYYY-MM-DD`.' });
const DateTime = Type.String({ format: 'date-time' });
const ReadinessItem = Type.Union([
  Type.Literal('title'),
  Type.Literal('authors'),
  Type.Literal('author-names'),
  Type.Literal('galley'),
  Type.Literal('abstract'),
  Type.Literal('license'),
  Type.Literal('doi'),
  Type.Literal('pages'),
  Type.Literal('issn'),
  Type.Literal('issue'),
]);

const Readiness = named(
  'PublicationReadiness',
  Type.Object({
    ready: Type.Boolean({ description: 'Nothing blocks: publishing and scheduling are possible.' }),
    blocking: Type.Array(Type.Object({ item: ReadinessItem, url: Type.String() }), { description: 'Missing and required: a title, authors with names in the submission’s language, a galley.' }),
    warnings: Type.Array(Type.Object({ item: ReadinessItem, url: Type.String() }), { description: 'Missing and wanted by indexers (abstract, licence, DOI, pages or article number, ISSN, issue): publishing goes ahead without them.' }),
  }),
);

const PublicationState = named(
  'PublicationState',
  Type.Object({
    id: Id,
    submissionId: Id,
    status: Type.Union([Type.Literal('queued'), Type.Literal('scheduled'), Type.Literal('published')]),
    submissionStatus: Type.Union([Type.Literal('active'), Type.Literal('scheduled'), Type.Literal('published'), Type.Literal('declined'), Type.Literal('draft')]),
    issueId: Type.Union([Id, Type.Null()], { description: 'The issue it is in (scheduled into, or published in).' }),
    datePublished: Type.Union([DateOnly, Type.Null()]),
    doi: Type.Union([Type.String(), Type.Null()]),
    schedule: Type.Union([
      Type.Object({ mode: Type.Union([Type.Literal('issue'), Type.Literal('online-first'), Type.Literal('at')]), issueId: Type.Union([Id, Type.Null()]), publishAt: Type.Union([DateTime, Type.Null()]) }, { description: '`issue`: published with the issue; `online-first`: published, the issue collects it when it is published; `at`: published at `publishAt`.' }),
      Type.Null(),
    ]),
  }),
);

const PublishBody = Type.Object(
  {
    issueId: Type.Optional(Type.Union([Id, Type.Null()], { description: 'A published issue: in it; an issue not yet published: online first, collected by it later; null: outside issues. Absent: where it is scheduled.' })),
    datePublished: Type.Optional(DateOnly),
  },
  { additionalProperties: false },
);
const ScheduleBody = Type.Object(
  {
    mode: Type.Union([Type.Literal('issue'), Type.Literal('online-first'), Type.Literal('at')]),
    issueId: Type.Optional(Type.Union([Id, Type.Null()])),
    publishAt: Type.Optional(DateTime),
  },
  { additionalProperties: false },
);
const UnpublishBody = Type.Object({ reason: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false });

const PublishingProblem = named('PublishingProblem', Type.Object({ ...Problem.properties, code: Type.Optional(Type.String({ description: '`not-accepted`, `not-ready` (see `blocking`), `not-scheduled`, `already-published`, `not-published`, `issue-unknown`, `date-invalid`.' })), blocking: Type.Optional(Type.Array(Type.String())) }));
const refusals = { 409: { ...PublishingProblem, description: 'Not possible in the submission’s state, or something readers need is missing (`code`).' }, 422: { ...PublishingProblem, description: 'The issue or the moment cannot be used (`code`).' } };

const STATUS: Record<PublishingErrorCode, number> = { 'not-accepted': 409, 'not-ready': 409, 'not-scheduled': 409, 'already-published': 409, 'not-published': 409, 'issue-unknown': 422, 'date-invalid': 422 };

function sendPublishingProblem(request: FastifyRequest, reply: FastifyReply, error: PublishingError): FastifyReply {
  const base = problem(STATUS[error.code], request.url.split('?')[0]!, error.message);
  return sendProblem(reply, { ...base, code: error.code, ...(error.code === 'not-ready' ? { blocking: [...error.details] } : {}) } as Static<typeof PublishingProblem>);
}

async function state(db: Kysely<Database>, submissionId: number, publicationId: number): Promise<Static<typeof PublicationState>> {
  const row = await db
    .selectFrom('publications as p')
    .innerJoin('submissions as s', 's.id', 'p.article_id')
    .leftJoin('publication_schedules as ps', 'ps.publication_id', 'p.id')
    .select(['p.id', 'p.status', 's.status as submission_status', 'p.issue_id', 'p.date_published', 'p.doi', 'ps.mode', 'ps.issue_id as schedule_issue', 'ps.publish_at'])
    .where('p.id', '=', publicationId)
    .where('s.id', '=', submissionId)
    .executeTakeFirstOrThrow();
  return {
    id: row.id,
    submissionId,
    status: row.status,
    submissionStatus: row.submission_status,
    issueId: row.issue_id,
    datePublished: row.date_published === null ? null : String(row.date_published).slice(0, 10),
    doi: row.doi,
    schedule: row.mode ? { mode: row.mode, issueId: row.schedule_issue, publishAt: row.publish_at ? row.publish_at.toISOString() : null } : null,
  };
}

export async function publishingRoutes(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  const { db, clock } = deps;
  app.setErrorHandler(async (error, request, reply) => {
    if (error instanceof PublishingError) return sendPublishingProblem(request, reply, error);
    throw error;
  });
  const routes = typed(app);

  /** The submission's current publication, for those who may publish it. */
  async function target(request: FastifyRequest, params: Static<typeof PublicationParams>) {
    const { journal, record } = await readableSubmission(db, request, params.journal, params.submissionId);
    if (record.publicationId !== params.publicationId) throw new NotFoundError(`publication ${params.publicationId} is not the current version of submission ${record.id}`);
    requireCallerCan(request, 'submission.publish', record.resource);
    return { journal, record, userId: request.apiCaller!.principal.userId };
  }

  routes.get(
    '/:journal/api/v1/submissions/:submissionId/publications/:publicationId/readiness',
    { config, schema: { summary: 'Check whether a publication is ready to publish', description: 'What indexers need and the publication lacks: `blocking` items stop publishing, `warnings` do not. Each links to the page where it is fixed.', tags, operationId: 'getPublicationReadiness', tokenRequired: true, params: PublicationParams, response: { 200: Readiness } } },
    async (request) => {
      const { journal, record } = await target(request, request.params);
      const facts = (await readinessFacts(db, journal.id, record.id))!;
      const result = readiness(facts);
      const url = (item: (typeof result.blocking)[number]) => `${deps.baseUrl}${fixUrl(item, journal.path, record.id)}`;
      return { ready: result.ready, blocking: result.blocking.map((item) => ({ item, url: url(item) })), warnings: result.warnings.map((item) => ({ item, url: url(item) })) };
    },
  );

  routes.put(
    '/:journal/api/v1/submissions/:submissionId/publications/:publicationId/publish',
    {
      config,
      // OJS's clients publish with an empty PUT: no body is an empty one.
      preValidation: async (request: FastifyRequest) => {
        request.body ??= {};
      },
      schema: {
        summary: 'Publish a publication',
        description: 'As OJS, one address publishes any version. A published article’s draft version becomes the version readers see (dated today, the article’s DOI; earlier versions stay readable). Otherwise the accepted submission’s current publication becomes public now (dated today, or `datePublished`), with its DOI when the journal has a prefix; the Crossref deposit is queued and the authors are told. Refused (409 `not-ready`) while something blocking is missing.',
        tags,
        operationId: 'publishPublication',
        tokenRequired: true,
        params: PublicationParams,
        body: PublishBody,
        response: { 200: Type.Union([PublicationState, VersionSummary], { description: 'The publication’s state; a published article’s draft version answers as a version.' }), ...refusals },
      },
    },
    async (request) => {
      // One address publishes any version (OJS): a published article's draft version is the versions' to publish.
      const version = await publishDraftVersionIfAsked(deps, request, request.params);
      if (version) return version;
      const { journal, record, userId } = await target(request, request.params);
      const body = request.body ?? {};
      await publishSubmission(db, { journalId: journal.id, submissionId: record.id, userId, now: clock.now(), ...(body.issueId !== undefined ? { issueId: body.issueId } : {}), ...(body.datePublished ? { date: body.datePublished } : {}) });
      return state(db, record.id, record.publicationId);
    },
  );

  routes.put(
    '/:journal/api/v1/submissions/:submissionId/publications/:publicationId/schedule',
    {
      config,
      schema: {
        summary: 'Schedule a publication',
        description: '`issue`: with an issue not yet published (published now if it is); `online-first`: published now, collected by `issueId` when it is published; `at`: published at `publishAt` (a moment to come) into `issueId` or outside issues.',
        tags,
        operationId: 'schedulePublication',
        tokenRequired: true,
        params: PublicationParams,
        body: ScheduleBody,
        response: { 200: PublicationState, ...refusals },
      },
    },
    async (request) => {
      const { journal, record, userId } = await target(request, request.params);
      const { mode, issueId = null, publishAt } = request.body;
      let choice: ScheduleChoice;
      if (mode === 'issue') {
        if (issueId === null) throw new PublishingError('issue-unknown');
        choice = { mode, issueId };
      } else if (mode === 'at') {
        if (!publishAt) throw new PublishingError('date-invalid');
        choice = { mode, at: new Date(publishAt), issueId };
      } else choice = { mode, issueId };
      await schedulePublication(db, { journalId: journal.id, submissionId: record.id, userId, now: clock.now(), choice });
      return state(db, record.id, record.publicationId);
    },
  );

  routes.put(
    '/:journal/api/v1/submissions/:submissionId/publications/:publicationId/unschedule',
    { config, schema: { summary: 'Unschedule a publication', description: 'Back to production: the schedule goes and the submission is active again.', tags, operationId: 'unschedulePublication', tokenRequired: true, params: PublicationParams, response: { 200: PublicationState, ...refusals } } },
    async (request) => {
      const { journal, record } = await target(request, request.params);
      await unschedulePublication(db, { journalId: journal.id, submissionId: record.id, now: clock.now() });
      return state(db, record.id, record.publicationId);
    },
  );

  routes.put(
    '/:journal/api/v1/submissions/:submissionId/publications/:publicationId/unpublish',
    {
      config,
      schema: { summary: 'Unpublish a publication', description: 'As OJS: the article leaves the reader site (its record stays, the reason is kept for the team) and the submission is back in production.', tags, operationId: 'unpublishPublication', tokenRequired: true, params: PublicationParams, body: UnpublishBody, response: { 200: PublicationState, ...refusals } },
    },
    async (request) => {
      const { journal, record, userId } = await target(request, request.params);
      await unpublishSubmission(db, { journalId: journal.id, submissionId: record.id, userId, reason: request.body?.reason ?? '', now: clock.now() });
      return state(db, record.id, record.publicationId);
    },
  );
}
