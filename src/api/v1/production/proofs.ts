import type { FastifyRequest } from 'fastify';
import { NotFoundError } from '../../../platform/http/index.ts';
import { answerProof, cancelProof, findProof, proofResource, sendProofs, submissionProofs, type ProofRequest, type SubmissionRecord } from '../../../workflow/index.ts';
import { callerCan, requireCallerCan } from '../../auth.ts';
import { Paged } from '../common.ts';
import type { ApiDeps, ApiRoutes } from '../deps.ts';
import { callerOf } from '../reviews/access.ts';
import { readableSubmission } from '../submissions/workflow-routes.ts';
import { workflowRefusals } from '../submissions/workflow-schema.ts';
import { presentProof } from './presenter.ts';
import { NewProofs, Proof, ProofAnswer, ProofParams, ProofsParams } from './schema.ts';

/**
 * Proofs through the API (issue 21, item 2): the layout editors and editors send them to authors
 * and cancel them; each author reads and answers their own. Mails follow as on the pages.
 */

const tags = ['proofs'];
const csrf = { csrf: false } as const;

export function proofRoutes(routes: ApiRoutes, deps: ApiDeps): void {
  const { db, baseUrl, clock } = deps;

  /** The requests the caller sees: all for the team, their own for an author. */
  const visible = (request: FastifyRequest, record: SubmissionRecord, proofs: ProofRequest[]) => (callerCan(request, 'submission.produce', record.resource) ? proofs : proofs.filter((p) => p.authorId === callerOf(request).userId));

  async function oneProof(request: FastifyRequest, params: { journal: string; submissionId: number; proofId: number }) {
    const { journal, record } = await readableSubmission(db, request, params.journal, params.submissionId);
    const proof = await findProof(db, record.id, params.proofId);
    if (!proof || visible(request, record, [proof]).length === 0) throw new NotFoundError(`no proof request ${params.proofId}`);
    return { journal, record, proof };
  }

  routes.get(
    '/:journal/api/v1/submissions/:submissionId/proofs',
    { config: csrf, schema: { summary: 'List proof requests', description: 'Oldest first: all of them for the layout editors and editors, an author’s own for the author.', tags, operationId: 'getProofs', tokenRequired: true, params: ProofsParams, response: { 200: Paged(Proof) } } },
    async (request) => {
      const { journal, record } = await readableSubmission(db, request, request.params.journal, request.params.submissionId);
      const items = visible(request, record, await submissionProofs(db, record.id)).map((p) => presentProof(p, { baseUrl, journalPath: journal.path }));
      return { itemsMax: items.length, items };
    },
  );

  routes.post(
    '/:journal/api/v1/submissions/:submissionId/proofs',
    {
      config: csrf,
      schema: {
        summary: 'Send proofs to authors',
        description: 'One request per author in `authorUserIds` (users who are authors of the submission), with `message`; each is emailed a link to their proof page. Needs a galley; only in production, or scheduled and not yet published.',
        tags,
        operationId: 'sendProofs',
        tokenRequired: true,
        params: ProofsParams,
        body: NewProofs,
        response: { 201: Paged(Proof), ...workflowRefusals(409, 422) },
      },
    },
    async (request, reply) => {
      const { journal, record } = await readableSubmission(db, request, request.params.journal, request.params.submissionId);
      requireCallerCan(request, 'submission.produce', record.resource);
      const ids = await sendProofs(db, { journalId: journal.id, submissionId: record.id, authorIds: request.body.authorUserIds, message: request.body.message ?? '', requestedBy: callerOf(request).userId, now: clock.now() });
      const items = (await submissionProofs(db, record.id)).filter((p) => ids.includes(p.id)).map((p) => presentProof(p, { baseUrl, journalPath: journal.path }));
      return reply.code(201).send({ itemsMax: items.length, items });
    },
  );

  routes.get(
    '/:journal/api/v1/submissions/:submissionId/proofs/:proofId',
    { config: csrf, schema: { summary: 'Get a proof request', description: 'For the layout editors and editors, and the author it went to.', tags, operationId: 'getProof', tokenRequired: true, params: ProofParams, response: { 200: Proof } } },
    async (request) => {
      const { journal, proof } = await oneProof(request, request.params);
      return presentProof(proof, { baseUrl, journalPath: journal.path });
    },
  );

  routes.put(
    '/:journal/api/v1/submissions/:submissionId/proofs/:proofId',
    {
      config: csrf,
      schema: {
        summary: 'Answer proofs',
        description: 'The author it went to approves (`approve`) or asks for corrections (`corrections`, with `response`); the layout editors and editors are emailed. Once only (409 after).',
        tags,
        operationId: 'answerProof',
        tokenRequired: true,
        params: ProofParams,
        body: ProofAnswer,
        response: { 200: Proof, ...workflowRefusals(409, 422) },
      },
    },
    async (request) => {
      const { journal, record, proof } = await oneProof(request, request.params);
      // The team sees the request; only its author answers it (once answered, the command says 409).
      if (proof.authorId !== callerOf(request).userId) requireCallerCan(request, 'proof.answer', proofResource(record, proof));
      await answerProof(db, { journalId: journal.id, submissionId: record.id, proofId: proof.id, userId: callerOf(request).userId, approve: request.body.answer === 'approve', response: request.body.response ?? '', now: clock.now() });
      return presentProof((await findProof(db, record.id, proof.id))!, { baseUrl, journalPath: journal.path });
    },
  );

  routes.delete(
    '/:journal/api/v1/submissions/:submissionId/proofs/:proofId',
    { config: csrf, schema: { summary: 'Cancel a proof request', description: 'While it waits for the author (409 once answered). Answers the request, now `cancelled`.', tags, operationId: 'cancelProof', tokenRequired: true, params: ProofParams, response: { 200: Proof, ...workflowRefusals(409) } } },
    async (request) => {
      const { journal, record, proof } = await oneProof(request, request.params);
      requireCallerCan(request, 'submission.produce', record.resource);
      await cancelProof(db, { journalId: journal.id, submissionId: record.id, proofId: proof.id, userId: callerOf(request).userId });
      return presentProof((await findProof(db, record.id, proof.id))!, { baseUrl, journalPath: journal.path });
    },
  );
}
