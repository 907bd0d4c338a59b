import { inTransaction, type Db } from '../../catalog/index.ts';
import type { ParticipantRole } from '../../db/schema.ts';
import { emit } from '../../platform/events/index.ts';
import { logActivity } from '../activity.ts';
import { WorkflowError } from '../errors.ts';
import { findSubmissionForUpdate } from '../queries.ts';

/**
 * Who works on a submission (issue 19): managers and editors assign editors and section editors. The
 * assigned person is emailed by the `ParticipantAssigned` event's subscriber (workflow/mail.ts).
 */

/** The journal roles that may be assigned in each participant role. */
const ELIGIBLE: Record<Exclude<ParticipantRole, 'author'>, readonly string[]> = {
  editor: ['manager', 'editor'],
  'section-editor': ['section-editor', 'editor', 'manager'],
  // Copyeditors and layout editors (issue 21): those roles, or anyone who edits the journal.
  copyeditor: ['copyeditor', 'editor', 'manager'],
  'layout-editor': ['layout-editor', 'editor', 'manager'],
};

export interface Assignment {
  journalId: number;
  submissionId: number;
  userId: number;
  role: Exclude<ParticipantRole, 'author'>;
  /** The section editor may only recommend a decision (issue 20 reads it). */
  recommendOnly?: boolean;
  assignedBy: number | null;
  now: Date;
}

/** People who may be assigned to the journal's submissions in `role`, by name. */
export async function eligibleParticipants(db: Db, journalId: number, role: Exclude<ParticipantRole, 'author'>): Promise<Array<{ userId: number; email: string; givenName: Record<string, string>; familyName: Record<string, string>; sectionIds: number[] }>> {
  const rows = await db
    .selectFrom('role_assignments as r')
    .innerJoin('users as u', 'u.id', 'r.user_id')
    .select(['u.id', 'u.email', 'u.given_name', 'u.family_name'])
    .where('r.journal_id', '=', journalId)
    .where('r.role', 'in', ELIGIBLE[role] as never)
    .where('u.disabled_at', 'is', null)
    .distinct()
    .orderBy('u.id')
    .execute();
  const sections = rows.length === 0 ? [] : await db.selectFrom('section_editor_sections as s').innerJoin('sections', 'sections.id', 's.section_id').select(['s.user_id', 's.section_id']).where('sections.journal_id', '=', journalId).where('s.user_id', 'in', rows.map((r) => r.id)).execute();
  return rows.map((r) => ({ userId: r.id, email: r.email, givenName: r.given_name, familyName: r.family_name, sectionIds: sections.filter((s) => s.user_id === r.id).map((s) => s.section_id) }));
}

export async function assignParticipant(db: Db, input: Assignment): Promise<number> {
  return inTransaction(db, async (trx) => {
    const submission = await findSubmissionForUpdate(trx, input.journalId, input.submissionId);
    if (!submission) throw new WorkflowError('participant-unknown', 'submission');
    if (submission.status !== 'active') throw new WorkflowError('not-active');
    // The submission's row is locked: the same person assigned twice at once is refused once, not a failed insert.
    const roles = await trx.selectFrom('role_assignments as r').innerJoin('users as u', 'u.id', 'r.user_id').select('r.role').where('r.user_id', '=', input.userId).where('r.journal_id', '=', input.journalId).where('u.disabled_at', 'is', null).execute();
    if (!roles.some((r) => ELIGIBLE[input.role].includes(r.role))) throw new WorkflowError('not-eligible', 'userId');
    if (submission.participants.some((p) => p.userId === input.userId && p.role === input.role)) throw new WorkflowError('already-assigned', 'userId');
    const row = await trx
      .insertInto('submission_participants')
      .values({ submission_id: input.submissionId, user_id: input.userId, role: input.role, recommend_only: input.recommendOnly ?? false, assigned_by: input.assignedBy, created_at: input.now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await logActivity(trx, { submissionId: input.submissionId, userId: input.assignedBy, action: 'participant.assigned', details: { participantId: row.id, userId: input.userId, role: input.role }, at: input.now });
    await emit(trx, { type: 'ParticipantAssigned', journalId: input.journalId, submissionId: input.submissionId, participantId: row.id, userId: input.userId, role: input.role, assignedBy: input.assignedBy });
    return row.id;
  });
}

/** Takes an editor or section editor off a submission (its authors stay). */
export async function removeParticipant(db: Db, input: { journalId: number; submissionId: number; participantId: number; removedBy: number | null; now: Date }): Promise<void> {
  await inTransaction(db, async (trx) => {
    const submission = await findSubmissionForUpdate(trx, input.journalId, input.submissionId);
    const participant = submission?.participants.find((p) => p.id === input.participantId && p.role !== 'author');
    if (!submission || !participant) throw new WorkflowError('participant-unknown', 'participantId');
    await trx.deleteFrom('submission_participants').where('id', '=', participant.id).execute();
    await logActivity(trx, { submissionId: input.submissionId, userId: input.removedBy, action: 'participant.removed', details: { participantId: participant.id, userId: participant.userId, role: participant.role }, at: input.now });
  });
}
