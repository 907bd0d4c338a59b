import { loadPrincipal } from '../../accounts/index.ts';
import { inTransaction, recordFile, type Db } from '../../catalog/index.ts';
import type { Transaction } from 'kysely';
import type { Database, WorkflowStage } from '../../db/schema.ts';
import { emit } from '../../platform/events/index.ts';
import { can } from '../../platform/policy/index.ts';
import { isActiveContentType } from '../../storage/index.ts';
import { logActivity } from '../activity.ts';
import { discussionCandidates, findDiscussion, type DiscussionSummary } from '../discussions.ts';
import { WorkflowError } from '../errors.ts';
import { findSubmission, type SubmissionRecord } from '../queries.ts';
import { cleanName, type StoredUpload } from './submissions.ts';

/**
 * Discussions of a submission (issue 19, item 6): a subject, chosen participants and a thread of
 * messages with attachments, per workflow stage. Each command runs in one transaction with its
 * activity entry and its event; every message (the first too) emits `DiscussionMessagePosted`, whose
 * subscriber (workflow/mail.ts) emails every participant but the sender. A refusal (WorkflowError)
 * leaves nothing written; files the route put in the store for a refused message are its to remove.
 */

export const MAX_DISCUSSION_ATTACHMENTS = 5;
/** 20 MB, as people count them (formatFileSize shows "20 MB"). */
export const MAX_DISCUSSION_ATTACHMENT_BYTES = 20_000_000;
export const MAX_DISCUSSION_BODY = 20000;
export const MAX_DISCUSSION_SUBJECT = 255;
/** Web pages: allowed as downloads elsewhere (storage), refused as attachments. */
const WEB_PAGES = new Set(['text/html', 'application/xhtml+xml']);
const STAGES: readonly WorkflowStage[] = ['submission', 'review', 'copyediting', 'production'];

/** An attachment already in the file store (the route streamed it there), its type read from its bytes. */
export type DiscussionUpload = StoredUpload;

/** Checks a message's text and attachments before anything is written. */
export function checkMessage(body: string, attachments: readonly DiscussionUpload[]): void {
  if (body.trim() === '') throw new WorkflowError('message-missing', 'body');
  if (body.length > MAX_DISCUSSION_BODY) throw new WorkflowError('too-long', 'body', { max: MAX_DISCUSSION_BODY });
  if (attachments.length > MAX_DISCUSSION_ATTACHMENTS) throw new WorkflowError('too-many-files', 'attachments', { max: MAX_DISCUSSION_ATTACHMENTS });
  for (const file of attachments) {
    if (file.sizeBytes === 0) throw new WorkflowError('file-empty', 'attachments', { name: cleanName(file.originalName) });
    if (file.sizeBytes > MAX_DISCUSSION_ATTACHMENT_BYTES) throw new WorkflowError('file-too-large', 'attachments', { max: MAX_DISCUSSION_ATTACHMENT_BYTES, name: cleanName(file.originalName) });
    // Files a browser would run (web pages, SVG, scripts) are not taken: a message is no place for them,
    // and a participant who opened one would run it with the journal's authority.
    if (isActiveContentType(file.mimeType) || WEB_PAGES.has(file.mimeType)) throw new WorkflowError('file-type-not-allowed', 'attachments', { type: file.mimeType, name: cleanName(file.originalName) });
  }
}

/** The person acting: whether they may discuss the submission at all, and whether they edit it. */
async function actor(db: Db, submission: SubmissionRecord, userId: number): Promise<{ edits: boolean }> {
  const principal = await loadPrincipal(db, userId);
  // Someone who may not discuss the submission learns nothing of it: the same refusal as an unknown id.
  if (!can(principal, 'submission.discuss', submission.resource)) throw new WorkflowError('participant-unknown', 'submission');
  return { edits: can(principal, 'submission.assign', submission.resource) };
}

async function activeSubmission(db: Db, journalId: number, submissionId: number): Promise<SubmissionRecord> {
  const submission = await findSubmission(db, journalId, submissionId);
  if (!submission) throw new WorkflowError('participant-unknown', 'submission');
  if (submission.status === 'draft') throw new WorkflowError('participant-unknown', 'submission');
  return submission;
}

async function takingPart(db: Db, submission: SubmissionRecord, discussionId: number, userId: number): Promise<{ discussion: DiscussionSummary; edits: boolean }> {
  const principal = await loadPrincipal(db, userId);
  const discussion = await findDiscussion(db, submission, discussionId);
  if (!discussion || !can(principal, 'discussion.take-part', discussion.resource)) throw new WorkflowError('discussion-unknown', 'discussion');
  return { discussion, edits: can(principal, 'submission.assign', submission.resource) };
}

/** Writes a message (and its uploaded attachments) of a discussion and emits its event; the caller checked who writes. */
export async function writeMessage(db: Transaction<Database>, input: { submissionId: number; journalId: number; discussionId: number; body: string; attachments: readonly DiscussionUpload[]; userId: number; now: Date }): Promise<number> {
  const message = await db
    .insertInto('discussion_messages')
    .values({ discussion_id: input.discussionId, author_id: input.userId, body: input.body, created_at: input.now })
    .returning('id')
    .executeTakeFirstOrThrow();
  const names = new Set<string>();
  for (const file of input.attachments) {
    const fileId = await recordFile(db, { storageKey: file.storageKey, mimeType: file.mimeType, sizeBytes: file.sizeBytes, sha256: file.sha256, originalName: file.originalName });
    // Two files of one name in a message are told apart by a number.
    let name = cleanName(file.originalName);
    for (let i = 2; names.has(name); i++) name = `${i}-${cleanName(file.originalName)}`.slice(0, 255);
    names.add(name);
    await db.insertInto('discussion_message_files').values({ message_id: message.id, file_id: fileId, name }).execute();
  }
  await emit(db, { type: 'DiscussionMessagePosted', journalId: input.journalId, submissionId: input.submissionId, discussionId: input.discussionId, messageId: message.id, authorId: input.userId });
  return message.id;
}

export interface NewDiscussion {
  journalId: number;
  submissionId: number;
  stage: WorkflowStage;
  subject: string;
  /** Who is asked in; the starter takes part whether listed or not. */
  participantIds: readonly number[];
  body: string;
  attachments: readonly DiscussionUpload[];
  userId: number;
  now: Date;
}

/** Starts a discussion with its first message; returns its id. */
export async function startDiscussion(db: Db, input: NewDiscussion): Promise<{ discussionId: number; messageId: number }> {
  const subject = input.subject.trim();
  if (subject === '') throw new WorkflowError('subject-missing', 'subject');
  if (subject.length > MAX_DISCUSSION_SUBJECT) throw new WorkflowError('too-long', 'subject', { max: MAX_DISCUSSION_SUBJECT });
  if (!STAGES.includes(input.stage)) throw new WorkflowError('participant-unknown', 'stage');
  checkMessage(input.body, input.attachments);
  return inTransaction(db, async (trx) => {
    const submission = await activeSubmission(trx, input.journalId, input.submissionId);
    const { edits } = await actor(trx, submission, input.userId);
    const others = [...new Set(input.participantIds)].filter((id) => id !== input.userId);
    if (others.length === 0) throw new WorkflowError('participants-missing', 'participantIds');
    const candidates = new Set((await discussionCandidates(trx, submission, { starterId: input.userId, starterEdits: edits })).map((c) => c.userId));
    if (others.some((id) => !candidates.has(id))) throw new WorkflowError('not-eligible', 'participantIds');
    const discussion = await trx
      .insertInto('discussions')
      .values({ submission_id: submission.id, stage: input.stage, subject, created_by: input.userId, created_at: input.now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('discussion_participants')
      .values([input.userId, ...others].map((userId) => ({ discussion_id: discussion.id, user_id: userId })))
      .execute();
    const messageId = await writeMessage(trx, { ...input, discussionId: discussion.id });
    await logActivity(trx, { submissionId: submission.id, userId: input.userId, action: 'discussion.started', details: { discussionId: discussion.id, stage: input.stage, participantIds: [input.userId, ...others] }, at: input.now });
    return { discussionId: discussion.id, messageId };
  });
}

export interface NewDiscussionMessage {
  journalId: number;
  submissionId: number;
  discussionId: number;
  body: string;
  attachments: readonly DiscussionUpload[];
  userId: number;
  now: Date;
}

/** Answers in a discussion (its participants, and the submission's editors); returns the message's id. */
export async function postMessage(db: Db, input: NewDiscussionMessage): Promise<number> {
  checkMessage(input.body, input.attachments);
  return inTransaction(db, async (trx) => {
    const submission = await activeSubmission(trx, input.journalId, input.submissionId);
    // Locks the discussion: a message and its closing do not pass each other.
    await trx.selectFrom('discussions').select('id').where('id', '=', input.discussionId).where('submission_id', '=', submission.id).forUpdate().executeTakeFirst();
    const { discussion } = await takingPart(trx, submission, input.discussionId, input.userId);
    if (discussion.closedAt !== null) throw new WorkflowError('discussion-closed');
    const messageId = await writeMessage(trx, input);
    await logActivity(trx, { submissionId: submission.id, userId: input.userId, action: 'discussion.message', details: { discussionId: discussion.id, messageId, attachments: input.attachments.length }, at: input.now });
    return messageId;
  });
}

export interface DiscussionChange {
  journalId: number;
  submissionId: number;
  discussionId: number;
  userId: number;
  now: Date;
}

async function editorsChange(db: Db, input: DiscussionChange, change: (discussion: DiscussionSummary, submission: SubmissionRecord, trx: Transaction<Database>) => Promise<void>): Promise<void> {
  await inTransaction(db, async (trx) => {
    const submission = await activeSubmission(trx, input.journalId, input.submissionId);
    await trx.selectFrom('discussions').select('id').where('id', '=', input.discussionId).where('submission_id', '=', submission.id).forUpdate().executeTakeFirst();
    const { discussion, edits } = await takingPart(trx, submission, input.discussionId, input.userId);
    if (!edits) throw new WorkflowError('not-eligible', 'discussion');
    await change(discussion, submission, trx);
  });
}

/** Closes a discussion (its editors): it stays readable, and takes no more messages until reopened. */
export async function closeDiscussion(db: Db, input: DiscussionChange): Promise<void> {
  await editorsChange(db, input, async (discussion, submission, trx) => {
    if (discussion.closedAt !== null) return;
    await trx.updateTable('discussions').set({ closed_at: input.now }).where('id', '=', discussion.id).execute();
    await logActivity(trx, { submissionId: submission.id, userId: input.userId, action: 'discussion.closed', details: { discussionId: discussion.id }, at: input.now });
  });
}

/** Opens a closed discussion again (its editors). */
export async function reopenDiscussion(db: Db, input: DiscussionChange): Promise<void> {
  await editorsChange(db, input, async (discussion, submission, trx) => {
    if (discussion.closedAt === null) return;
    await trx.updateTable('discussions').set({ closed_at: null }).where('id', '=', discussion.id).execute();
    await logActivity(trx, { submissionId: submission.id, userId: input.userId, action: 'discussion.reopened', details: { discussionId: discussion.id }, at: input.now });
  });
}

/** Asks more people into a discussion (its editors); those already in are left as they are. Returns who was added. */
export async function addDiscussionParticipants(db: Db, input: DiscussionChange & { participantIds: readonly number[] }): Promise<number[]> {
  let added: number[] = [];
  await editorsChange(db, input, async (discussion, submission, trx) => {
    const wanted = [...new Set(input.participantIds)].filter((id) => !discussion.participantIds.includes(id));
    if (wanted.length === 0) throw new WorkflowError('participants-missing', 'participantIds');
    const candidates = new Set((await discussionCandidates(trx, submission, { starterId: input.userId, starterEdits: true })).map((c) => c.userId));
    if (wanted.some((id) => !candidates.has(id))) throw new WorkflowError('not-eligible', 'participantIds');
    await trx
      .insertInto('discussion_participants')
      .values(wanted.map((userId) => ({ discussion_id: discussion.id, user_id: userId })))
      .execute();
    await logActivity(trx, { submissionId: submission.id, userId: input.userId, action: 'discussion.participants-added', details: { discussionId: discussion.id, participantIds: wanted }, at: input.now });
    added = wanted;
  });
  return added;
}
