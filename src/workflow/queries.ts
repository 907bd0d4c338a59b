import type { Db } from '../catalog/index.ts';
import type { ParticipantRole, SubmissionStatus, WizardStep, WorkflowStage } from '../db/schema.ts';
import type { Assignment } from '../platform/policy/index.ts';
import type { SubmissionResource } from './policy.ts';

/** A submission as the workflow's pages and commands see it: its row, its article's version, its people. */
export interface SubmissionRecord {
  id: number;
  journalId: number;
  sectionId: number;
  publicationId: number;
  locale: string;
  status: SubmissionStatus;
  stage: WorkflowStage;
  progress: WizardStep;
  submitterId: number | null;
  commentsForEditor: string;
  checklistConfirmedAt: Date | null;
  agreementsAcceptedAt: Date | null;
  submittedAt: Date | null;
  lastActivityAt: Date;
  createdAt: Date;
  participants: Participant[];
  /** What policies are asked with. */
  resource: SubmissionResource;
}

export interface Participant {
  id: number;
  userId: number;
  role: ParticipantRole;
  recommendOnly: boolean;
  createdAt: Date;
}

export function assignmentsOf(participants: readonly Pick<Participant, 'userId' | 'role'>[]): Assignment[] {
  // Editors and section editors are the submission's editors; copyeditors and layout editors keep their own roles.
  return participants.map((p) => ({ userId: p.userId, role: p.role === 'section-editor' ? 'editor' : p.role }));
}

/** One submission of the journal, with its participants; undefined when the id is not the journal's. */
export async function findSubmission(db: Db, journalId: number, id: number): Promise<SubmissionRecord | undefined> {
  if (!Number.isSafeInteger(id) || id <= 0 || id > 2147483647) return undefined;
  const row = await db
    .selectFrom('submissions as s')
    .innerJoin('articles as a', 'a.id', 's.id')
    .innerJoin('publications as p', 'p.id', 'a.current_publication_id')
    .select([
      's.id',
      's.journal_id',
      's.status',
      's.stage',
      's.progress',
      's.submitter_id',
      's.comments_for_editor',
      's.checklist_confirmed_at',
      's.agreements_accepted_at',
      's.submitted_at',
      's.last_activity_at',
      's.created_at',
      'p.id as publication_id',
      'p.section_id',
      'p.locale',
    ])
    .where('s.id', '=', id)
    .where('s.journal_id', '=', journalId)
    .executeTakeFirst();
  if (!row) return undefined;
  // Reviewers who accepted (or finished) read their round's files; a request not yet answered gives nothing.
  const reviewers = await db
    .selectFrom('review_assignments')
    .select(['reviewer_id', 'review_round_id'])
    .where('submission_id', '=', id)
    .where('reviewer_id', 'is not', null)
    .where('status', 'in', ['accepted', 'submitted'])
    .execute();
  const participants = (await db.selectFrom('submission_participants').select(['id', 'user_id', 'role', 'recommend_only', 'created_at']).where('submission_id', '=', id).orderBy('id').execute()).map(
    (p): Participant => ({ id: p.id, userId: p.user_id, role: p.role, recommendOnly: p.recommend_only, createdAt: p.created_at }),
  );
  return {
    id: row.id,
    journalId: row.journal_id,
    sectionId: row.section_id,
    publicationId: row.publication_id,
    locale: row.locale,
    status: row.status,
    stage: row.stage,
    progress: row.progress,
    submitterId: row.submitter_id,
    commentsForEditor: row.comments_for_editor,
    checklistConfirmedAt: row.checklist_confirmed_at,
    agreementsAcceptedAt: row.agreements_accepted_at,
    submittedAt: row.submitted_at,
    lastActivityAt: row.last_activity_at,
    createdAt: row.created_at,
    participants,
    resource: {
      kind: 'submission',
      journalId: row.journal_id,
      sectionId: row.section_id,
      submissionId: row.id,
      status: row.status,
      assignments: [...assignmentsOf(participants), ...reviewers.map((r): Assignment => ({ userId: r.reviewer_id!, role: 'reviewer', reviewRoundId: r.review_round_id }))],
      recommendOnly: participants.filter((p) => p.recommendOnly).map((p) => p.userId),
    },
  };
}

/**
 * `findSubmission` with the submission's row locked until the transaction ends: every command that
 * changes a submission takes it first, so two of them on one submission run one after the other (two
 * submits make one; a file removed while the draft is submitted waits and then finds it submitted).
 * Only inside a transaction.
 */
export async function findSubmissionForUpdate(trx: Db, journalId: number, id: number): Promise<SubmissionRecord | undefined> {
  if (!Number.isSafeInteger(id) || id <= 0 || id > 2147483647) return undefined;
  const locked = await trx.selectFrom('submissions').select('id').where('id', '=', id).where('journal_id', '=', journalId).forUpdate().executeTakeFirst();
  return locked ? findSubmission(trx, journalId, id) : undefined;
}

/** A submission's files at a stage (current revision of each), oldest first. */
export interface SubmissionFileEntry {
  id: number;
  submissionId: number;
  stage: WorkflowStage;
  kind: string;
  name: string;
  fileId: number;
  mimeType: string;
  sizeBytes: number;
  sha256: string;
  uploadedBy: number | null;
  reviewRoundId: number | null;
  /** Of a review round's file: sent to review, or the author's revision. */
  reviewPurpose: 'review-file' | 'revision' | null;
  createdAt: Date;
  updatedAt: Date;
  /** Earlier revisions, newest first (not counting the current one). */
  revisions: number;
}

export async function submissionFiles(db: Db, submissionId: number, stage?: WorkflowStage): Promise<SubmissionFileEntry[]> {
  let query = db
    .selectFrom('submission_files as sf')
    .innerJoin('files as f', 'f.id', 'sf.file_id')
    .select((eb) => [
      'sf.id',
      'sf.submission_id',
      'sf.stage',
      'sf.kind',
      'sf.name',
      'sf.file_id',
      'f.mime_type',
      'f.size_bytes',
      'f.sha256',
      'sf.uploaded_by',
      'sf.review_round_id',
      'sf.review_purpose',
      'sf.created_at',
      'sf.updated_at',
      eb.selectFrom('submission_file_revisions as r').select(eb.fn.countAll<string>().as('n')).whereRef('r.submission_file_id', '=', 'sf.id').as('revision_count'),
    ])
    .where('sf.submission_id', '=', submissionId);
  if (stage) query = query.where('sf.stage', '=', stage);
  const rows = await query.orderBy('sf.id').execute();
  return rows.map((r) => ({
    id: r.id,
    submissionId: r.submission_id,
    stage: r.stage,
    kind: r.kind,
    name: r.name,
    fileId: r.file_id,
    mimeType: r.mime_type,
    sizeBytes: Number(r.size_bytes),
    sha256: r.sha256,
    uploadedBy: r.uploaded_by,
    reviewRoundId: r.review_round_id,
    reviewPurpose: r.review_purpose,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    // The table keeps every revision including the current one; "earlier" are the others.
    revisions: Math.max(0, Number(r.revision_count ?? 0) - 1),
  }));
}

export interface FileRevision {
  id: number;
  fileId: number;
  mimeType: string;
  sizeBytes: number;
  sha256: string;
  originalName: string;
  uploadedBy: number | null;
  createdAt: Date;
}

/** Every revision of a submission file, newest first (the first is the current one). */
export async function submissionFileRevisions(db: Db, submissionFileId: number): Promise<FileRevision[]> {
  const rows = await db
    .selectFrom('submission_file_revisions as r')
    .innerJoin('files as f', 'f.id', 'r.file_id')
    .select(['r.id', 'r.file_id', 'f.mime_type', 'f.size_bytes', 'f.sha256', 'f.original_name', 'r.uploaded_by', 'r.created_at'])
    .where('r.submission_file_id', '=', submissionFileId)
    .orderBy('r.id', 'desc')
    .execute();
  return rows.map((r) => ({ id: r.id, fileId: r.file_id, mimeType: r.mime_type, sizeBytes: Number(r.size_bytes), sha256: r.sha256, originalName: r.original_name, uploadedBy: r.uploaded_by, createdAt: r.created_at }));
}

export interface ActivityEntry {
  id: number;
  userId: number | null;
  userName: string | null;
  action: string;
  details: Record<string, unknown>;
  createdAt: Date;
}

/** The submission's activity log, oldest first. */
export async function submissionActivity(db: Db, submissionId: number, limit = 500): Promise<ActivityEntry[]> {
  const rows = await db
    .selectFrom('submission_activity as a')
    .leftJoin('users as u', 'u.id', 'a.user_id')
    .select(['a.id', 'a.user_id', 'a.action', 'a.details', 'a.created_at', 'u.given_name', 'u.family_name', 'u.email'])
    .where('a.submission_id', '=', submissionId)
    .orderBy('a.id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    userId: r.user_id,
    userName: r.user_id === null ? null : [Object.values(r.given_name ?? {})[0], Object.values(r.family_name ?? {})[0]].filter(Boolean).join(' ') || (r.email ?? null),
    action: r.action,
    details: r.details,
    createdAt: r.created_at,
  }));
}
