import type { FastifyRequest } from 'fastify';
import { can } from '../../../accounts/index.ts';
import { FieldsError, HttpError, NotFoundError, TokenRequiredError } from '../../../platform/http/index.ts';
import { discussionThread, findDiscussion, findSubmission, listDiscussions, postMessage, startDiscussion, WorkflowError, type SubmissionRecord } from '../../../workflow/index.ts';
import { journalOf } from '../common.ts';
import type { ApiDeps, ApiRoutes } from '../deps.ts';
import { presentDiscussion, presentMessage, presentThread } from './presenter.ts';
import { DiscussionList, DiscussionMessage, DiscussionParams, DiscussionThread, NewDiscussion, NewDiscussionMessage, SubmissionDiscussionsParams } from './schema.ts';

const tags = ['discussions'];
const csrf = { csrf: false } as const;

/** A refusal of the workflow as a problem: a field at fault is a 400 naming it, the rest keep their status. */
function problemOf(error: WorkflowError): HttpError {
  if (error.status === 404) return new NotFoundError(error.field === 'discussion' ? 'no such discussion' : 'no such submission');
  if (error.status === 422 && error.field && error.field !== 'submission') return new FieldsError([{ in: 'body', pointer: `/${error.field}`, detail: error.message.replace(/ \(.*\)$/, '') + describe(error) }]);
  return new HttpError(error.status, `${error.code}${describe(error)}`);
}

function describe(error: WorkflowError): string {
  switch (error.code) {
    case 'not-eligible':
      return ': only people working on the submission may take part, and an author may ask only its editors';
    case 'too-long':
      return `: at most ${error.params.max} characters`;
    case 'discussion-closed':
      return ': the discussion is closed and takes no more messages';
    default:
      return '';
  }
}

/**
 * Discussions of a submission (issue 19, item 6), through the same commands as the pages. A token's
 * person sees the discussions they take part in (all of them if they edit the submission); anyone else
 * gets 404 for the submission's discussions, as for an id that does not exist. Messages are JSON only
 * here: attachments are sent from the discussion's page.
 */
export function discussionRoutes(routes: ApiRoutes, { db, baseUrl, clock }: ApiDeps): void {
  function caller(request: FastifyRequest) {
    if (!request.apiCaller) throw new TokenRequiredError('missing');
    return request.apiCaller.principal;
  }

  async function submissionOr404(request: FastifyRequest, journalPath: string, submissionId: number): Promise<{ submission: SubmissionRecord; journalPath: string; locale: string }> {
    const journal = await journalOf(db, journalPath);
    const principal = caller(request);
    const submission = await findSubmission(db, journal.id, submissionId);
    if (!submission || submission.status === 'draft') throw new NotFoundError(`no submission ${submissionId}`);
    if (!can(principal, 'submission.discuss', submission.resource) && (await listDiscussions(db, submission, principal)).length === 0) throw new NotFoundError(`no submission ${submissionId}`);
    return { submission, journalPath: journal.path, locale: journal.primaryLocale };
  }

  async function discussionOr404(request: FastifyRequest, submission: SubmissionRecord, discussionId: number) {
    const discussion = await findDiscussion(db, submission, discussionId);
    if (!discussion || !can(caller(request), 'discussion.take-part', discussion.resource)) throw new NotFoundError(`no discussion ${discussionId}`);
    return discussion;
  }

  routes.get(
    '/:journal/api/v1/submissions/:submissionId/discussions',
    { config: csrf, schema: { summary: 'List a submission’s discussions', description: 'Those the caller takes part in; all of them for the submission’s editors. Oldest first.', tags, operationId: 'getDiscussions', tokenRequired: true, params: SubmissionDiscussionsParams, response: { 200: DiscussionList } } },
    async (request) => {
      const { submission, journalPath } = await submissionOr404(request, request.params.journal, request.params.submissionId);
      const items = await listDiscussions(db, submission, caller(request));
      return { itemsMax: items.length, items: items.map((d) => presentDiscussion(d, { baseUrl, journalPath })) };
    },
  );

  routes.post(
    '/:journal/api/v1/submissions/:submissionId/discussions',
    {
      config: csrf,
      schema: {
        summary: 'Start a discussion',
        description: 'With its first message; every participant but the caller is emailed.',
        tags,
        operationId: 'addDiscussion',
        tokenRequired: true,
        params: SubmissionDiscussionsParams,
        body: NewDiscussion,
        response: { 201: DiscussionThread },
      },
    },
    async (request, reply) => {
      const { submission, journalPath, locale } = await submissionOr404(request, request.params.journal, request.params.submissionId);
      const principal = caller(request);
      if (!can(principal, 'submission.discuss', submission.resource)) throw new NotFoundError(`no submission ${submission.id}`);
      const { stage, subject, participantIds, body } = request.body;
      let discussionId: number;
      try {
        ({ discussionId } = await startDiscussion(db, { journalId: submission.journalId, submissionId: submission.id, stage, subject, participantIds, body, attachments: [], userId: principal.userId, now: clock.now() }));
      } catch (error) {
        throw error instanceof WorkflowError ? problemOf(error) : error;
      }
      const discussion = (await findDiscussion(db, submission, discussionId))!;
      request.log.info({ submissionId: submission.id, discussionId, tokenId: request.apiCaller?.tokenId }, 'discussion started through the API');
      return reply.code(201).send(presentThread(discussion, await discussionThread(db, discussionId), { baseUrl, journalPath }, locale));
    },
  );

  routes.get(
    '/:journal/api/v1/submissions/:submissionId/discussions/:discussionId',
    { config: csrf, schema: { summary: 'Get a discussion with its messages', tags, operationId: 'getDiscussion', tokenRequired: true, params: DiscussionParams, response: { 200: DiscussionThread } } },
    async (request) => {
      const { submission, journalPath, locale } = await submissionOr404(request, request.params.journal, request.params.submissionId);
      const discussion = await discussionOr404(request, submission, request.params.discussionId);
      return presentThread(discussion, await discussionThread(db, discussion.id), { baseUrl, journalPath }, locale);
    },
  );

  routes.post(
    '/:journal/api/v1/submissions/:submissionId/discussions/:discussionId/messages',
    {
      config: csrf,
      schema: {
        summary: 'Answer in a discussion',
        description: 'Every other participant is emailed. A closed discussion answers 409.',
        tags,
        operationId: 'addDiscussionMessage',
        tokenRequired: true,
        params: DiscussionParams,
        body: NewDiscussionMessage,
        response: { 201: DiscussionMessage },
      },
    },
    async (request, reply) => {
      const { submission, journalPath, locale } = await submissionOr404(request, request.params.journal, request.params.submissionId);
      const discussion = await discussionOr404(request, submission, request.params.discussionId);
      let messageId: number;
      try {
        messageId = await postMessage(db, { journalId: submission.journalId, submissionId: submission.id, discussionId: discussion.id, body: request.body.body, attachments: [], userId: caller(request).userId, now: clock.now() });
      } catch (error) {
        throw error instanceof WorkflowError ? problemOf(error) : error;
      }
      const message = (await discussionThread(db, discussion.id)).find((m) => m.id === messageId)!;
      return reply.code(201).send(presentMessage(message, discussion, { baseUrl, journalPath }, locale));
    },
  );
}
