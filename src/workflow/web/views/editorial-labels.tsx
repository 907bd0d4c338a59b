import type { ActivityAction } from '../../activity.ts';
import type { WorkflowErrorCode } from '../../errors.ts';
import type { ParticipantRole, SubmissionStatus, WorkflowStage } from '../../../db/schema.ts';
import type { MessageKey } from '../../../i18n/index.ts';
import type { Queue } from '../../dashboard.ts';

// Labels by value, spelled out so the compiler checks each key (no keys built from templates).
export const QUEUE_LABEL: Record<Queue, MessageKey> = { mine: 'editorial.queue.mine', unassigned: 'editorial.queue.unassigned', active: 'editorial.queue.active', archived: 'editorial.queue.archived' };
export const STAGE_LABEL: Record<WorkflowStage, MessageKey> = { submission: 'workflow.stage.submission', review: 'workflow.stage.review', copyediting: 'workflow.stage.copyediting', production: 'workflow.stage.production' };
export const STATUS_LABEL: Record<SubmissionStatus, MessageKey> = { draft: 'workflow.status.draft', active: 'workflow.status.active', declined: 'workflow.status.declined', published: 'workflow.status.published' };
export const ROLE_LABEL: Record<ParticipantRole, MessageKey> = { editor: 'workflow.role.editor', 'section-editor': 'workflow.role.section-editor', author: 'workflow.role.author' };
export const NOTICE_LABEL: Record<'assigned' | 'removed' | 'revised', MessageKey> = { assigned: 'submissionPage.notice.assigned', removed: 'submissionPage.notice.removed', revised: 'submissionPage.notice.revised' };
export const ACTIVITY_LABEL: Record<ActivityAction, MessageKey> = {
  'draft.created': 'submissionPage.activity.draft.created',
  'draft.updated': 'submissionPage.activity.draft.updated',
  'file.uploaded': 'submissionPage.activity.file.uploaded',
  'file.revised': 'submissionPage.activity.file.revised',
  'file.removed': 'submissionPage.activity.file.removed',
  'metadata.updated': 'submissionPage.activity.metadata.updated',
  'contributors.updated': 'submissionPage.activity.contributors.updated',
  'references.updated': 'submissionPage.activity.references.updated',
  'submission.submitted': 'submissionPage.activity.submission.submitted',
  'participant.assigned': 'submissionPage.activity.participant.assigned',
  'participant.removed': 'submissionPage.activity.participant.removed',
  'discussion.started': 'submissionPage.activity.discussion.started',
  'discussion.message': 'submissionPage.activity.discussion.message',
  'discussion.closed': 'submissionPage.activity.discussion.closed',
  'discussion.reopened': 'submissionPage.activity.discussion.reopened',
  'discussion.participants-added': 'submissionPage.activity.discussion.participants-added',
};
export const ERROR_LABEL: Record<WorkflowErrorCode, MessageKey> = {
  'section-unknown': 'workflow.error.section-unknown',
  'section-closed': 'workflow.error.section-closed',
  'locale-not-allowed': 'workflow.error.locale-not-allowed',
  'checklist-unconfirmed': 'workflow.error.checklist-unconfirmed',
  'agreements-unaccepted': 'workflow.error.agreements-unaccepted',
  'not-a-draft': 'workflow.error.not-a-draft',
  'not-active': 'workflow.error.not-active',
  'file-kind-unknown': 'workflow.error.file-kind-unknown',
  'file-type-not-allowed': 'workflow.error.file-type-not-allowed',
  'file-too-large': 'workflow.error.file-too-large',
  'file-empty': 'workflow.error.file-empty',
  'file-unknown': 'workflow.error.file-unknown',
  incomplete: 'workflow.error.incomplete',
  'not-eligible': 'workflow.error.not-eligible',
  'already-assigned': 'workflow.error.already-assigned',
  'participant-unknown': 'workflow.error.participant-unknown',
  'too-long': 'workflow.error.too-long',
  'discussion-unknown': 'workflow.error.discussion-unknown',
  'discussion-closed': 'workflow.error.discussion-closed',
  'subject-missing': 'workflow.error.subject-missing',
  'message-missing': 'workflow.error.message-missing',
  'participants-missing': 'workflow.error.participants-missing',
  'too-many-files': 'workflow.error.too-many-files',
};
