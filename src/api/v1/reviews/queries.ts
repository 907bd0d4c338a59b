import type { Kysely } from 'kysely';
import type { Database, DecisionKind, LocalizedText, ReviewFilePurpose, ReviewStatus } from '../../../db/index.ts';

/** What the review resources read besides the workflow's own queries: round files, attachments, decisions, a version's texts. */

type Db = Kysely<Database>;

export interface RoundFileRow {
  id: number;
  reviewRoundId: number;
  purpose: ReviewFilePurpose;
  kind: string;
  name: string;
  mimeType: string;
  sizeBytes: number;
  uploadedBy: number | null;
  createdAt: Date;
}

/** The files of a submission's rounds (or of one), oldest first. */
export async function roundFiles(db: Db, submissionId: number, reviewRoundId?: number): Promise<RoundFileRow[]> {
  let query = db
    .selectFrom('submission_files as sf')
    .innerJoin('files as f', 'f.id', 'sf.file_id')
    .select(['sf.id', 'sf.review_round_id', 'sf.review_purpose', 'sf.kind', 'sf.name', 'f.mime_type', 'f.size_bytes', 'sf.uploaded_by', 'sf.created_at'])
    .where('sf.submission_id', '=', submissionId)
    .where('sf.stage', '=', 'review')
    .where('sf.review_round_id', 'is not', null);
  if (reviewRoundId !== undefined) query = query.where('sf.review_round_id', '=', reviewRoundId);
  const rows = await query.orderBy('sf.id').execute();
  return rows.map((r) => ({
    id: r.id,
    reviewRoundId: r.review_round_id!,
    purpose: r.review_purpose ?? 'review-file',
    kind: r.kind,
    name: r.name,
    mimeType: r.mime_type,
    sizeBytes: Number(r.size_bytes),
    uploadedBy: r.uploaded_by,
    createdAt: r.created_at,
  }));
}

export interface AttachmentRow {
  id: number;
  reviewId: number;
  name: string;
  mimeType: string;
  sizeBytes: number;
  visibleToAuthor: boolean;
  createdAt: Date;
}

export async function reviewAttachments(db: Db, reviewIds: readonly number[]): Promise<AttachmentRow[]> {
  if (reviewIds.length === 0) return [];
  const rows = await db
    .selectFrom('review_attachments as a')
    .innerJoin('files as f', 'f.id', 'a.file_id')
    .select(['a.id', 'a.review_assignment_id', 'a.name', 'f.mime_type', 'f.size_bytes', 'a.visible_to_author', 'a.created_at'])
    .where('a.review_assignment_id', 'in', [...reviewIds])
    .orderBy('a.id')
    .execute();
  return rows.map((r) => ({ id: r.id, reviewId: r.review_assignment_id, name: r.name, mimeType: r.mime_type, sizeBytes: Number(r.size_bytes), visibleToAuthor: r.visible_to_author, createdAt: r.created_at }));
}

export interface DecisionRow {
  id: number;
  submissionId: number;
  reviewRoundId: number | null;
  round: number | null;
  stage: 'submission' | 'review' | 'copyediting' | 'production';
  decision: DecisionKind;
  editorId: number | null;
  message: string;
  sharedReviewIds: number[];
  createdAt: Date;
}

/** A submission's decisions and recommendations, oldest first. */
export async function decisionsOf(db: Db, submissionId: number): Promise<DecisionRow[]> {
  const rows = await db
    .selectFrom('editorial_decisions as d')
    .leftJoin('review_rounds as rr', 'rr.id', 'd.review_round_id')
    .select(['d.id', 'd.submission_id', 'd.review_round_id', 'rr.round', 'd.stage', 'd.decision', 'd.editor_id', 'd.message', 'd.shared_review_ids', 'd.created_at'])
    .where('d.submission_id', '=', submissionId)
    .orderBy('d.id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    submissionId: r.submission_id,
    reviewRoundId: r.review_round_id,
    round: r.round,
    stage: r.stage,
    decision: r.decision,
    editorId: r.editor_id,
    message: r.message,
    sharedReviewIds: r.shared_review_ids,
    createdAt: r.created_at,
  }));
}

/** The texts of a submission's current version a reviewer reads. */
export async function publicationTexts(db: Db, publicationId: number): Promise<{ title: LocalizedText; abstract: LocalizedText; keywords: Record<string, string[]> }> {
  return db.selectFrom('publications').select(['title', 'abstract', 'keywords']).where('id', '=', publicationId).executeTakeFirstOrThrow();
}

/** A page of one reviewer's requests in a journal, newest first, and how many there are in all. */
export async function reviewerRequests(db: Db, journalId: number, reviewerId: number, statuses: readonly ReviewStatus[], page: { limit: number; offset: number }) {
  const query = db
    .selectFrom('review_assignments as r')
    .innerJoin('submissions as s', 's.id', 'r.submission_id')
    .where('s.journal_id', '=', journalId)
    .where('r.reviewer_id', '=', reviewerId)
    .where('r.status', 'in', [...statuses]);
  const [rows, count] = await Promise.all([
    query
      .innerJoin('review_rounds as rr', 'rr.id', 'r.review_round_id')
      .innerJoin('articles as a', 'a.id', 's.id')
      .innerJoin('publications as p', 'p.id', 'a.current_publication_id')
      .select(['r.id', 'r.status', 'r.submission_id', 'p.title', 'rr.round', 'r.response_due', 'r.review_due', 'r.submitted_at'])
      .orderBy('r.requested_at', 'desc')
      .orderBy('r.id', 'desc')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.total) };
}
