import { inTransaction, type Db } from '../../catalog/index.ts';
import type { ProofStatus } from '../../db/schema.ts';
import { emit } from '../../platform/events/index.ts';
import type { ProofResource } from '../policy.ts';
import { findSubmission, findSubmissionForUpdate, type SubmissionRecord } from '../queries.ts';
import { ProductionError } from './errors.ts';
import { checkProducible } from './galleys.ts';

/**
 * Proofs (issue 21, item 2): the layout editor or an editor asks one or more of the submission's
 * authors to check the galleys, with a message; each author gets a request of their own, approves
 * or asks for corrections (with what to correct), and the layout editors and editors are told. A
 * request still unanswered can be cancelled. The mails follow the ProductionTaskChanged event.
 */

export const MAX_PROOF_TEXT = 20000;

export interface ProofRequest {
  id: number;
  submissionId: number;
  publicationId: number;
  requestedBy: number | null;
  authorId: number;
  message: string;
  status: ProofStatus;
  response: string;
  answeredAt: Date | null;
  createdAt: Date;
}

const columns = ['id', 'submission_id', 'publication_id', 'requested_by', 'author_id', 'message', 'status', 'response', 'answered_at', 'created_at'] as const;
type Row = { id: number; submission_id: number; publication_id: number; requested_by: number | null; author_id: number; message: string; status: ProofStatus; response: string; answered_at: Date | null; created_at: Date };
const toProof = (r: Row): ProofRequest => ({
  id: r.id,
  submissionId: r.submission_id,
  publicationId: r.publication_id,
  requestedBy: r.requested_by,
  authorId: r.author_id,
  message: r.message,
  status: r.status,
  response: r.response,
  answeredAt: r.answered_at,
  createdAt: r.created_at,
});

/** The submission's proof requests, oldest first. */
export async function submissionProofs(db: Db, submissionId: number): Promise<ProofRequest[]> {
  return (await db.selectFrom('proof_requests').select([...columns]).where('submission_id', '=', submissionId).orderBy('id').execute()).map(toProof);
}

export async function findProof(db: Db, submissionId: number, proofId: number): Promise<ProofRequest | undefined> {
  if (!Number.isSafeInteger(proofId) || proofId <= 0 || proofId > 2147483647) return undefined;
  const row = await db.selectFrom('proof_requests').select([...columns]).where('id', '=', proofId).where('submission_id', '=', submissionId).executeTakeFirst();
  return row ? toProof(row) : undefined;
}

/** What the policy `proof.answer` is asked with. */
export function proofResource(submission: SubmissionRecord, proof: ProofRequest): ProofResource {
  return { kind: 'proof', proofId: proof.id, authorId: proof.authorId, status: proof.status, submission: submission.resource };
}

export interface ProofsToSend {
  journalId: number;
  submissionId: number;
  /** Users who are authors of the submission (participants in the role `author`). */
  authorIds: readonly number[];
  message: string;
  requestedBy: number;
  now: Date;
}

/** Sends the proofs to each author named; returns the new requests' ids. */
export async function sendProofs(db: Db, input: ProofsToSend): Promise<number[]> {
  return inTransaction(db, async (trx) => {
    const submission = await findSubmissionForUpdate(trx, input.journalId, input.submissionId);
    if (!submission) throw new ProductionError('proof-unknown');
    checkProducible(submission);
    const authorIds = [...new Set(input.authorIds)];
    if (authorIds.length === 0) throw new ProductionError('authors-missing', 'authorIds');
    const authors = new Set(submission.participants.filter((p) => p.role === 'author').map((p) => p.userId));
    if (authorIds.some((id) => !authors.has(id))) throw new ProductionError('not-an-author', 'authorIds');
    if (input.message.length > MAX_PROOF_TEXT) throw new ProductionError('too-long', 'message', { max: MAX_PROOF_TEXT });
    const galleys = await trx.selectFrom('galleys').select('id').where('publication_id', '=', submission.publicationId).limit(1).execute();
    if (galleys.length === 0) throw new ProductionError('no-galleys');
    const ids: number[] = [];
    for (const authorId of authorIds) {
      const row = await trx
        .insertInto('proof_requests')
        .values({ submission_id: submission.id, publication_id: submission.publicationId, requested_by: input.requestedBy, author_id: authorId, message: input.message.trim(), created_at: input.now })
        .returning('id')
        .executeTakeFirstOrThrow();
      ids.push(row.id);
      await emit(trx, { type: 'ProductionTaskChanged', journalId: submission.journalId, submissionId: submission.id, task: 'proofs-requested', proofId: row.id, userId: authorId });
    }
    return ids;
  });
}

export interface ProofAnswer {
  journalId: number;
  submissionId: number;
  proofId: number;
  /** The author answering: the one the request went to. */
  userId: number;
  approve: boolean;
  /** What to correct (required when not approving). */
  response: string;
  now: Date;
}

/** The author approves the proofs or asks for corrections. */
export async function answerProof(db: Db, input: ProofAnswer): Promise<void> {
  await inTransaction(db, async (trx) => {
    const submission = await findSubmissionForUpdate(trx, input.journalId, input.submissionId);
    const proof = submission ? await trx.selectFrom('proof_requests').select([...columns]).where('id', '=', input.proofId).where('submission_id', '=', submission.id).forUpdate().executeTakeFirst() : undefined;
    if (!submission || !proof || proof.author_id !== input.userId) throw new ProductionError('proof-unknown');
    if (proof.status !== 'sent') throw new ProductionError('proof-answered');
    const response = input.response.trim();
    if (response.length > MAX_PROOF_TEXT) throw new ProductionError('too-long', 'response', { max: MAX_PROOF_TEXT });
    if (!input.approve && response === '') throw new ProductionError('response-missing', 'response');
    await trx.updateTable('proof_requests').set({ status: input.approve ? 'approved' : 'corrections', response, answered_at: input.now }).where('id', '=', proof.id).execute();
    await emit(trx, { type: 'ProductionTaskChanged', journalId: submission.journalId, submissionId: submission.id, task: 'proofs-answered', proofId: proof.id, userId: input.userId });
  });
}

/** Withdraws a request not yet answered (the author's page then says so). */
export async function cancelProof(db: Db, input: { journalId: number; submissionId: number; proofId: number; userId: number }): Promise<void> {
  await inTransaction(db, async (trx) => {
    const submission = await findSubmission(trx, input.journalId, input.submissionId);
    const proof = submission ? await trx.selectFrom('proof_requests').select(['id', 'status']).where('id', '=', input.proofId).where('submission_id', '=', submission.id).forUpdate().executeTakeFirst() : undefined;
    if (!proof) throw new ProductionError('proof-unknown');
    if (proof.status !== 'sent') throw new ProductionError('proof-answered');
    await trx.updateTable('proof_requests').set({ status: 'cancelled' }).where('id', '=', proof.id).execute();
  });
}
