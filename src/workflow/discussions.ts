import type { Db } from '../catalog/index.ts';
import type { LocalizedText, WorkflowStage } from '../db/schema.ts';
import { can, type Principal } from '../platform/policy/index.ts';
import type { DiscussionResource } from './policy.ts';
import type { SubmissionRecord } from './queries.ts';

/**
 * Discussions of a submission as pages and the API read them (issue 19, item 6): who sees which
 * (`discussion.take-part`), the thread of one, its attachments, and the people who may be asked in.
 */

export interface DiscussionSummary {
  id: number;
  submissionId: number;
  stage: WorkflowStage;
  subject: string;
  createdBy: number | null;
  createdAt: Date;
  closedAt: Date | null;
  participantIds: number[];
  messageCount: number;
  lastMessageAt: Date | null;
  /** What `can(…, 'discussion.take-part', …)` is asked with. */
  resource: DiscussionResource;
}

async function summaries(db: Db, submission: SubmissionRecord, discussionId?: number): Promise<DiscussionSummary[]> {
  let query = db
    .selectFrom('discussions as d')
    .select((eb) => [
      'd.id',
      'd.submission_id',
      'd.stage',
      'd.subject',
      'd.created_by',
      'd.created_at',
      'd.closed_at',
      eb.selectFrom('discussion_messages as m').select(eb.fn.countAll<string>().as('n')).whereRef('m.discussion_id', '=', 'd.id').as('message_count'),
      eb.selectFrom('discussion_messages as m').select((inner) => inner.fn.max('m.created_at').as('last')).whereRef('m.discussion_id', '=', 'd.id').as('last_message_at'),
    ])
    .where('d.submission_id', '=', submission.id);
  if (discussionId !== undefined) query = query.where('d.id', '=', discussionId);
  const rows = await query.orderBy('d.id').execute();
  if (rows.length === 0) return [];
  const people = await db.selectFrom('discussion_participants').select(['discussion_id', 'user_id']).where('discussion_id', 'in', rows.map((r) => r.id)).orderBy('user_id').execute();
  return rows.map((r) => {
    const participantIds = people.filter((p) => p.discussion_id === r.id).map((p) => p.user_id);
    const last = r.last_message_at as Date | string | null;
    return {
      id: r.id,
      submissionId: r.submission_id,
      stage: r.stage,
      subject: r.subject,
      createdBy: r.created_by,
      createdAt: r.created_at,
      closedAt: r.closed_at,
      participantIds,
      messageCount: Number(r.message_count ?? 0),
      lastMessageAt: last === null ? null : new Date(last),
      resource: { kind: 'discussion', discussionId: r.id, participantIds, submission: submission.resource },
    };
  });
}

/** The submission's discussions the viewer takes part in (all of them for its editors), oldest first. */
export async function listDiscussions(db: Db, submission: SubmissionRecord, viewer: Principal | null): Promise<DiscussionSummary[]> {
  return (await summaries(db, submission)).filter((d) => can(viewer, 'discussion.take-part', d.resource));
}

/** One discussion of the submission; undefined when the id is not one of its discussions. */
export async function findDiscussion(db: Db, submission: SubmissionRecord, discussionId: number): Promise<DiscussionSummary | undefined> {
  if (!Number.isSafeInteger(discussionId) || discussionId <= 0 || discussionId > 2147483647) return undefined;
  return (await summaries(db, submission, discussionId))[0];
}

export interface DiscussionAttachment {
  fileId: number;
  name: string;
  mimeType: string;
  sizeBytes: number;
}

export interface DiscussionMessageEntry {
  id: number;
  authorId: number | null;
  author: PersonName | null;
  body: string;
  createdAt: Date;
  attachments: DiscussionAttachment[];
}

export interface PersonName {
  userId: number;
  email: string;
  givenName: LocalizedText;
  familyName: LocalizedText;
}

/** A discussion's messages, oldest first, with their authors and attachments. */
export async function discussionThread(db: Db, discussionId: number): Promise<DiscussionMessageEntry[]> {
  const rows = await db
    .selectFrom('discussion_messages as m')
    .leftJoin('users as u', 'u.id', 'm.author_id')
    .select(['m.id', 'm.author_id', 'm.body', 'm.created_at', 'u.email', 'u.given_name', 'u.family_name'])
    .where('m.discussion_id', '=', discussionId)
    .orderBy('m.id')
    .execute();
  const files =
    rows.length === 0
      ? []
      : await db
          .selectFrom('discussion_message_files as mf')
          .innerJoin('files as f', 'f.id', 'mf.file_id')
          .select(['mf.message_id', 'mf.file_id', 'mf.name', 'f.mime_type', 'f.size_bytes'])
          .where('mf.message_id', 'in', rows.map((r) => r.id))
          .orderBy('mf.file_id')
          .execute();
  return rows.map((r) => ({
    id: r.id,
    authorId: r.author_id,
    author: r.author_id === null || r.email === null ? null : { userId: r.author_id, email: r.email, givenName: r.given_name ?? {}, familyName: r.family_name ?? {} },
    body: r.body,
    createdAt: r.created_at,
    attachments: files.filter((f) => f.message_id === r.id).map((f) => ({ fileId: f.file_id, name: f.name, mimeType: f.mime_type, sizeBytes: Number(f.size_bytes) })),
  }));
}

/** An attachment of a message of this discussion, with where its bytes are; undefined for a file of any other. */
export async function discussionAttachment(db: Db, discussionId: number, fileId: number): Promise<(DiscussionAttachment & { storageKey: string }) | undefined> {
  if (!Number.isSafeInteger(fileId) || fileId <= 0 || fileId > 2147483647) return undefined;
  const row = await db
    .selectFrom('discussion_message_files as mf')
    .innerJoin('discussion_messages as m', 'm.id', 'mf.message_id')
    .innerJoin('files as f', 'f.id', 'mf.file_id')
    .select(['mf.file_id', 'mf.name', 'f.mime_type', 'f.size_bytes', 'f.storage_key'])
    .where('m.discussion_id', '=', discussionId)
    .where('mf.file_id', '=', fileId)
    .executeTakeFirst();
  return row ? { fileId: row.file_id, name: row.name, mimeType: row.mime_type, sizeBytes: Number(row.size_bytes), storageKey: row.storage_key } : undefined;
}

/** A person who may be asked into a discussion of the submission, with what they are to it. */
export interface DiscussionCandidate extends PersonName {
  /** `editor`, `section-editor`, `author` (of the submission) or `manager`/`editor` (of the journal), most specific first. */
  roles: string[];
}

/**
 * The people of a submission: its participants (editors, section editors, authors) and the journal's
 * managers and editors. Someone who does not edit the submission (an author) may ask only its
 * editors and themselves: the other authors take part only where an editor asks them in.
 */
export async function discussionCandidates(db: Db, submission: SubmissionRecord, options: { starterId: number; starterEdits: boolean }): Promise<DiscussionCandidate[]> {
  const roles = new Map<number, string[]>();
  const add = (userId: number, role: string) => {
    const list = roles.get(userId) ?? [];
    if (!list.includes(role)) list.push(role);
    roles.set(userId, list);
  };
  for (const p of submission.participants) if (options.starterEdits || p.role !== 'author' || p.userId === options.starterId) add(p.userId, p.role);
  const staff = await db.selectFrom('role_assignments').select(['user_id', 'role']).where('journal_id', '=', submission.journalId).where('role', 'in', ['manager', 'editor']).orderBy('user_id').execute();
  for (const s of staff) add(s.user_id, s.role);
  if (roles.size === 0) return [];
  const users = await db.selectFrom('users').select(['id', 'email', 'given_name', 'family_name']).where('id', 'in', [...roles.keys()]).where('disabled_at', 'is', null).orderBy('id').execute();
  return users.map((u) => ({ userId: u.id, email: u.email, givenName: u.given_name, familyName: u.family_name, roles: roles.get(u.id)! }));
}

/** Names of people by id (a discussion's participants), in id order. */
export async function peopleByIds(db: Db, userIds: readonly number[]): Promise<PersonName[]> {
  if (userIds.length === 0) return [];
  const rows = await db.selectFrom('users').select(['id', 'email', 'given_name', 'family_name']).where('id', 'in', [...new Set(userIds)]).orderBy('id').execute();
  return rows.map((u) => ({ userId: u.id, email: u.email, givenName: u.given_name, familyName: u.family_name }));
}
