import type { Db } from '../catalog/index.ts';

/**
 * The submission's activity log: who did what, when (issue 19). Every workflow command writes its
 * entry in its own transaction, so the log says exactly what happened. `details` holds ids and short
 * values (a file's name, the assigned person's id), never message bodies.
 */
export type ActivityAction =
  | 'draft.created'
  | 'draft.updated'
  | 'file.uploaded'
  | 'file.revised'
  | 'file.removed'
  | 'metadata.updated'
  | 'contributors.updated'
  | 'references.updated'
  | 'submission.submitted'
  | 'participant.assigned'
  | 'participant.removed'
  | 'discussion.started'
  | 'discussion.message'
  | 'discussion.closed'
  | 'discussion.reopened'
  | 'discussion.participants-added'
  | 'review.requested'
  | 'review.accepted'
  | 'review.declined'
  | 'review.submitted'
  | 'review.cancelled'
  | 'review.reinstated'
  | 'review.dates-changed'
  | 'review.rated'
  | 'review.reminded'
  | 'decision.recorded'
  | 'round.opened'
  | 'revision.uploaded';

export async function logActivity(db: Db, entry: { submissionId: number; userId: number | null; action: ActivityAction; details?: Record<string, unknown>; at?: Date }): Promise<void> {
  const at = entry.at ?? new Date();
  await db
    .insertInto('submission_activity')
    .values({ submission_id: entry.submissionId, user_id: entry.userId, action: entry.action, details: JSON.stringify(entry.details ?? {}), created_at: at })
    .execute();
  await db.updateTable('submissions').set({ last_activity_at: at, updated_at: at }).where('id', '=', entry.submissionId).execute();
}
