import { publicationContributors, type Db } from '../../catalog/index.ts';
import { localize, type LocalizedValue } from '../../i18n/index.ts';
import type { ReviewStatus } from '../../db/schema.ts';
import { contributorName } from '../../platform/web/index.ts';
import { richToPlainLine } from '../../ui/index.ts';
import { lateness, type ReviewRecord } from '../review/queries.ts';
import { authorsHiddenFromReviewer } from '../review/settings.ts';

/**
 * What the reviewer's pages read (issue 20, items 3, 4, 8): the request as the reviewer may see it
 * (never the authors in double-anonymous mode: they are not even loaded then), the round's files,
 * the reviewer's own attachments, and the reviewer's requests in a journal.
 */

/** A submission as a review request shows it. */
export interface RequestedSubmission {
  title: LocalizedValue | undefined;
  abstract: LocalizedValue | undefined;
  keywords: string[];
  section: LocalizedValue | undefined;
  /** The authors, only where the request's anonymity lets the reviewer know them; else null. */
  authors: Array<{ name: string; affiliations: string[] }> | null;
}

export async function requestedSubmission(db: Db, review: Pick<ReviewRecord, 'submissionId' | 'anonymity'>, locale: string): Promise<RequestedSubmission> {
  const row = await db
    .selectFrom('articles as a')
    .innerJoin('publications as p', 'p.id', 'a.current_publication_id')
    .innerJoin('sections as sec', 'sec.id', 'p.section_id')
    .select(['p.id', 'p.locale', 'p.title', 'p.abstract', 'p.keywords', 'sec.title as section'])
    .where('a.id', '=', review.submissionId)
    .executeTakeFirstOrThrow();
  const title = localize(row.title, locale, row.locale);
  const authors = authorsHiddenFromReviewer(review.anonymity)
    ? null
    : (await publicationContributors(db, row.id)).map((c) => ({
        name: contributorName(c, locale, row.locale)?.text ?? '',
        affiliations: c.affiliations.map((a) => localize(a.name, locale, row.locale)?.text ?? '').filter((a) => a !== ''),
      }));
  const keywords = row.keywords[locale] ?? row.keywords[row.locale] ?? [];
  return {
    title: title ? { text: richToPlainLine(title.text), locale: title.locale } : undefined,
    abstract: localize(row.abstract, locale, row.locale),
    keywords,
    section: localize(row.section, locale, row.locale),
    authors,
  };
}

/** A file of the round the reviewer reads. */
export interface RoundFile {
  id: number;
  /** The stored bytes (`files`). */
  fileId: number;
  sha256: string;
  kind: string;
  /** The stored name: never shown to a reviewer (it may name the authors); see `reviewerFileName`. */
  name: string;
  mimeType: string;
  sizeBytes: number;
}

/** The files the editor sent to review in the request's round. */
export async function roundFiles(db: Db, review: Pick<ReviewRecord, 'submissionId' | 'reviewRoundId'>): Promise<RoundFile[]> {
  const rows = await db
    .selectFrom('submission_files as sf')
    .innerJoin('files as f', 'f.id', 'sf.file_id')
    .select(['sf.id', 'sf.file_id', 'sf.kind', 'sf.name', 'f.mime_type', 'f.size_bytes', 'f.sha256'])
    .where('sf.submission_id', '=', review.submissionId)
    .where('sf.stage', '=', 'review')
    .where('sf.review_round_id', '=', review.reviewRoundId)
    .where('sf.review_purpose', '=', 'review-file')
    .orderBy('sf.id')
    .execute();
  return rows.map((r) => ({ id: r.id, fileId: r.file_id, sha256: r.sha256, kind: r.kind, name: r.name, mimeType: r.mime_type, sizeBytes: Number(r.size_bytes) }));
}

export interface ReviewAttachment {
  id: number;
  fileId: number;
  name: string;
  sizeBytes: number;
  mimeType: string;
  createdAt: Date;
}

export async function reviewAttachments(db: Db, reviewId: number): Promise<ReviewAttachment[]> {
  const rows = await db
    .selectFrom('review_attachments as ra')
    .innerJoin('files as f', 'f.id', 'ra.file_id')
    .select(['ra.id', 'ra.file_id', 'ra.name', 'ra.created_at', 'f.size_bytes', 'f.mime_type'])
    .where('ra.review_assignment_id', '=', reviewId)
    .orderBy('ra.id')
    .execute();
  return rows.map((r) => ({ id: r.id, fileId: r.file_id, name: r.name, sizeBytes: Number(r.size_bytes), mimeType: r.mime_type, createdAt: r.created_at }));
}

/** One line of the reviewer's dashboard. */
export interface AssignmentLine {
  reviewId: number;
  submissionId: number;
  round: number;
  title: string;
  titleLocale: string;
  status: ReviewStatus;
  requestedAt: Date;
  responseDue: Date;
  reviewDue: Date;
  respondedAt: Date | null;
  submittedAt: Date | null;
  cancelledAt: Date | null;
  late: 'response' | 'review' | null;
  /** Whether the submission still goes on (a declined or published one takes no answers). */
  active: boolean;
}

export interface AssignmentGroups {
  toAnswer: AssignmentLine[];
  inProgress: AssignmentLine[];
  completed: AssignmentLine[];
  closed: AssignmentLine[];
}

/** The person's requests in the journal, grouped as the dashboard shows them. */
export async function reviewerAssignments(db: Db, journalId: number, userId: number, locale: string, now: Date): Promise<AssignmentGroups> {
  const rows = await db
    .selectFrom('review_assignments as r')
    .innerJoin('review_rounds as rr', 'rr.id', 'r.review_round_id')
    .innerJoin('submissions as s', 's.id', 'r.submission_id')
    .innerJoin('articles as a', 'a.id', 's.id')
    .innerJoin('publications as p', 'p.id', 'a.current_publication_id')
    .select(['r.id', 'r.submission_id', 'rr.round', 'r.status', 'r.requested_at', 'r.response_due', 'r.review_due', 'r.responded_at', 'r.submitted_at', 'r.cancelled_at', 's.status as submission_status', 'p.title', 'p.locale'])
    .where('r.reviewer_id', '=', userId)
    .where('s.journal_id', '=', journalId)
    .orderBy('r.id', 'desc')
    .limit(1000)
    .execute();
  const groups: AssignmentGroups = { toAnswer: [], inProgress: [], completed: [], closed: [] };
  for (const r of rows) {
    const title = localize(r.title, locale, r.locale);
    const active = r.submission_status === 'active';
    const line: AssignmentLine = {
      reviewId: r.id,
      submissionId: r.submission_id,
      round: r.round,
      title: richToPlainLine(title?.text ?? ''),
      titleLocale: title?.locale ?? locale,
      status: r.status,
      requestedAt: r.requested_at,
      responseDue: r.response_due,
      reviewDue: r.review_due,
      respondedAt: r.responded_at,
      submittedAt: r.submitted_at,
      cancelledAt: r.cancelled_at,
      late: active ? lateness({ status: r.status, responseDue: r.response_due, reviewDue: r.review_due }, now) : null,
      active,
    };
    if (r.status === 'requested' && active) groups.toAnswer.push(line);
    else if (r.status === 'accepted' && active) groups.inProgress.push(line);
    else if (r.status === 'submitted') groups.completed.push(line);
    else groups.closed.push(line);
  }
  // What is due first comes first.
  groups.toAnswer.sort((a, b) => a.responseDue.getTime() - b.responseDue.getTime());
  groups.inProgress.sort((a, b) => a.reviewDue.getTime() - b.reviewDue.getTime());
  return groups;
}
