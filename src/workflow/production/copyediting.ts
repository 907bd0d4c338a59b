import type { Transaction } from 'kysely';
import { loadPrincipal } from '../../accounts/index.ts';
import { inTransaction, recordFile, type Db } from '../../catalog/index.ts';
import type { Database } from '../../db/schema.ts';
import { can } from '../../platform/policy/index.ts';
import { logActivity } from '../activity.ts';
import { checkMessage, MAX_DISCUSSION_SUBJECT, writeMessage } from '../commands/discussions.ts';
import { checkUpload, cleanName, type StoredUpload } from '../commands/submissions.ts';
import { WorkflowError } from '../errors.ts';
import { recordDecision } from '../review/commands/decisions.ts';
import { findSubmission, findSubmissionForUpdate, submissionFiles, type SubmissionFileEntry, type SubmissionRecord } from '../queries.ts';
import { MAX_SUBMISSION_FILE_BYTES } from '../settings/read.ts';

/**
 * Copyediting (issue 21, item 1), as OJS has it: once accepted, a submission is in the copyediting
 * stage. Its editors assign copyeditors (and layout editors for later) with `assignParticipant`;
 * the copyeditor downloads the accepted files, uploads the copyedited ones (each new version of a
 * file a revision of it, the earlier ones kept), and asks the author to review the copyedits in a
 * discussion of the stage, the chosen copyedited files attached. "Send to production" is a decision
 * (review/commands/decisions.ts): it moves the submission to production and copies the copyedited
 * files the editor chose into the production stage as `production-ready` files — copies, not marks,
 * so that a copyedit revised afterwards (back in copyediting) does not change what production had,
 * and production's list is the production stage's files alone, as OJS's "production ready" stage.
 *
 * Who may: `submission.copyedit` (the submission's editors and its assigned copyeditors). Each
 * command checks the actor itself, so the API, the pages and the CLI are refused alike.
 */

type Trx = Transaction<Database>;

import { COPYEDITED_KIND, PRODUCTION_READY_KIND } from './production-ready.ts';

export { COPYEDITED_KIND, PRODUCTION_READY_KIND, copyProductionReadyFiles } from './production-ready.ts';
/** The participant roles of copyediting and production, assigned by the submission's editors. */
export const PRODUCTION_ROLES = ['copyeditor', 'layout-editor'] as const;
export type ProductionRole = (typeof PRODUCTION_ROLES)[number];

/** Any type but those a browser would run (the file is downloaded, never shown); the workflow's largest size. */
const COPYEDITED_FILES = { types: [] as string[], maxBytes: MAX_SUBMISSION_FILE_BYTES };
const MAX_ATTACHED = 20;

/**
 * The person may copyedit this submission: otherwise a refusal that tells someone who may not read it
 * nothing of it (as an unknown id), and one who reads it (an author) that they are not the one to.
 */
async function checkCopyeditor(db: Db, submission: SubmissionRecord, userId: number): Promise<void> {
  const principal = await loadPrincipal(db, userId);
  if (!can(principal, 'submission.read', submission.resource)) throw new WorkflowError('participant-unknown', 'submission');
  if (!can(principal, 'submission.copyedit', submission.resource)) throw new WorkflowError('not-eligible', 'userId');
}

async function inCopyediting(trx: Db, journalId: number, submissionId: number, userId: number): Promise<SubmissionRecord> {
  const submission = await findSubmissionForUpdate(trx, journalId, submissionId);
  if (!submission || submission.status === 'draft') throw new WorkflowError('participant-unknown', 'submission');
  await checkCopyeditor(trx, submission, userId);
  if (submission.status !== 'active' || submission.stage !== 'copyediting') throw new WorkflowError('not-in-copyediting');
  return submission;
}

export interface CopyeditedUpload {
  journalId: number;
  submissionId: number;
  userId: number;
  upload: StoredUpload;
  /** A copyedited file this is the new version of (its earlier versions are kept); none: a new file. */
  revises?: number;
  now: Date;
}

/** Adds a copyedited file, or a new revision of one; returns the copyedited file's id. */
export async function addCopyeditedFile(db: Db, input: CopyeditedUpload): Promise<number> {
  return inTransaction(db, async (trx) => {
    const submission = await inCopyediting(trx, input.journalId, input.submissionId, input.userId);
    checkUpload(COPYEDITED_FILES, input.upload);
    const name = cleanName(input.upload.originalName);
    const fileId = await recordFile(trx, { storageKey: input.upload.storageKey, mimeType: input.upload.mimeType, sizeBytes: input.upload.sizeBytes, sha256: input.upload.sha256, originalName: name });
    let id: number;
    if (input.revises !== undefined) {
      const file = await trx.selectFrom('submission_files').select('id').where('id', '=', input.revises).where('submission_id', '=', submission.id).where('stage', '=', 'copyediting').forUpdate().executeTakeFirst();
      if (!file) throw new WorkflowError('file-unknown', 'revises');
      id = file.id;
      await trx.updateTable('submission_files').set({ file_id: fileId, name, updated_at: input.now }).where('id', '=', id).execute();
    } else {
      id = (
        await trx
          .insertInto('submission_files')
          .values({ submission_id: submission.id, stage: 'copyediting', kind: COPYEDITED_KIND, file_id: fileId, name, uploaded_by: input.userId, created_at: input.now, updated_at: input.now })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    }
    await trx.insertInto('submission_file_revisions').values({ submission_file_id: id, file_id: fileId, uploaded_by: input.userId, created_at: input.now }).execute();
    await logActivity(trx, {
      submissionId: submission.id,
      userId: input.userId,
      action: input.revises !== undefined ? 'file.revised' : 'file.uploaded',
      details: { submissionFileId: id, name, kind: COPYEDITED_KIND, stage: 'copyediting', sha256: input.upload.sha256 },
      at: input.now,
    });
    return id;
  });
}

export interface AuthorReviewRequest {
  journalId: number;
  submissionId: number;
  userId: number;
  /** The submission's authors asked (all of them when empty). */
  authorIds?: readonly number[];
  /** Copyedited files attached to the first message. */
  fileIds: readonly number[];
  subject: string;
  body: string;
  now: Date;
}

/**
 * "Ask the author to review the copyedits": a discussion of the copyediting stage with the author(s),
 * the chosen copyedited files attached to its first message (the same stored files, not copies). The
 * authors are mailed as for any discussion's message (DiscussionMessagePosted); they answer in the
 * discussion, with a file if they like.
 */
export async function askAuthorToReviewCopyedits(db: Db, input: AuthorReviewRequest): Promise<{ discussionId: number; messageId: number }> {
  const subject = input.subject.trim();
  if (subject === '') throw new WorkflowError('subject-missing', 'subject');
  if (subject.length > MAX_DISCUSSION_SUBJECT) throw new WorkflowError('too-long', 'subject', { max: MAX_DISCUSSION_SUBJECT });
  checkMessage(input.body, []);
  const fileIds = [...new Set(input.fileIds)];
  if (fileIds.length === 0) throw new WorkflowError('files-missing', 'fileIds');
  if (fileIds.length > MAX_ATTACHED) throw new WorkflowError('too-many-files', 'fileIds', { max: MAX_ATTACHED });
  return inTransaction(db, async (trx) => {
    const submission = await inCopyediting(trx, input.journalId, input.submissionId, input.userId);
    const authors = submission.participants.filter((p) => p.role === 'author').map((p) => p.userId);
    const asked = input.authorIds && input.authorIds.length > 0 ? [...new Set(input.authorIds)] : authors;
    if (asked.length === 0) throw new WorkflowError('participants-missing', 'authorIds');
    if (asked.some((id) => !authors.includes(id))) throw new WorkflowError('not-eligible', 'authorIds');
    const files = await trx.selectFrom('submission_files').select(['id', 'file_id', 'name']).where('submission_id', '=', submission.id).where('stage', '=', 'copyediting').where('id', 'in', fileIds).orderBy('id').execute();
    if (files.length !== fileIds.length) throw new WorkflowError('file-unknown', 'fileIds');
    const discussion = await trx
      .insertInto('discussions')
      .values({ submission_id: submission.id, stage: 'copyediting', subject, created_by: input.userId, created_at: input.now })
      .returning('id')
      .executeTakeFirstOrThrow();
    const participants = [...new Set([input.userId, ...asked])];
    await trx
      .insertInto('discussion_participants')
      .values(participants.map((userId) => ({ discussion_id: discussion.id, user_id: userId })))
      .execute();
    const messageId = await writeMessage(trx, { submissionId: submission.id, journalId: input.journalId, discussionId: discussion.id, body: input.body, attachments: [], userId: input.userId, now: input.now });
    // The copyedited files themselves (their current versions): the mail, sent after the commit, names them.
    const names = new Set<string>();
    for (const file of files) {
      let name = file.name;
      for (let i = 2; names.has(name); i++) name = `${i}-${file.name}`.slice(0, 255);
      names.add(name);
      await trx.insertInto('discussion_message_files').values({ message_id: messageId, file_id: file.file_id, name }).onConflict((oc) => oc.doNothing()).execute();
    }
    await logActivity(trx, { submissionId: submission.id, userId: input.userId, action: 'discussion.started', details: { discussionId: discussion.id, stage: 'copyediting', participantIds: participants, copyeditedFileIds: files.map((f) => f.id) }, at: input.now });
    return { discussionId: discussion.id, messageId };
  });
}


/** What the copyeditor works from: the submission's files and the latest round's revisions, those the viewer may read. */
export async function filesToCopyedit(db: Db, submission: SubmissionRecord): Promise<SubmissionFileEntry[]> {
  const [original, review] = await Promise.all([submissionFiles(db, submission.id, 'submission'), submissionFiles(db, submission.id, 'review')]);
  const lastRound = review.reduce((max, f) => Math.max(max, f.reviewRoundId ?? 0), 0);
  return [...original, ...review.filter((f) => f.reviewPurpose === 'revision' && f.reviewRoundId === lastRound)];
}

/** The copyedited files (stage copyediting), oldest first. */
export async function copyeditedFiles(db: Db, submissionId: number): Promise<SubmissionFileEntry[]> {
  return submissionFiles(db, submissionId, 'copyediting');
}

/** The files made ready for production by the send-to-production decision. */
export async function productionReadyFiles(db: Db, submissionId: number): Promise<SubmissionFileEntry[]> {
  return (await submissionFiles(db, submissionId, 'production')).filter((f) => f.kind === PRODUCTION_READY_KIND);
}

export interface SendToProduction {
  journalId: number;
  submissionId: number;
  editorId: number;
  /** Copyedited files (ids) that become the production-ready files. */
  fileIds: readonly number[];
  message?: string;
  now: Date;
}

/**
 * Sends the submission to production as the person `editorId`, who must decide on it (a copyeditor
 * or a recommending section editor may not): the `send-to-production` decision with its files.
 */
export async function sendToProduction(db: Db, input: SendToProduction): Promise<number> {
  return inTransaction(db, async (trx) => {
    const submission = await findSubmission(trx, input.journalId, input.submissionId);
    if (!submission || submission.status === 'draft') throw new WorkflowError('participant-unknown', 'submission');
    const principal = await loadPrincipal(trx, input.editorId);
    if (!can(principal, 'submission.read', submission.resource)) throw new WorkflowError('participant-unknown', 'submission');
    if (!can(principal, 'submission.decide', submission.resource)) throw new WorkflowError('not-eligible', 'userId');
    return recordDecision(trx, { journalId: input.journalId, submissionId: input.submissionId, decision: 'send-to-production', editorId: input.editorId, recommendOnly: false, fileIds: input.fileIds, message: input.message ?? '', now: input.now });
  });
}
