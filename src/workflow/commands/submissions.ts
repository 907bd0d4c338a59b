import { assignRole } from '../../accounts/index.ts';
import {
  addContributor,
  discardManuscript,
  forgetUnreferencedFiles,
  inTransaction,
  markManuscriptSubmitted,
  moveContributor,
  placeManuscript,
  recordFile,
  removeContributor,
  saveContributor,
  saveManuscriptDetails,
  saveManuscriptReferences,
  startManuscript,
  type ContributorFields,
  type Db,
  type ManuscriptDetails,
} from '../../catalog/index.ts';
import type { WizardStep } from '../../db/schema.ts';
import { emit } from '../../platform/events/index.ts';
import { isActiveContentType } from '../../storage/index.ts';
import { logActivity } from '../activity.ts';
import { WorkflowError } from '../errors.ts';
import { submissionProblems } from '../problems.ts';
import { findSubmissionForUpdate, type SubmissionRecord } from '../queries.ts';
import { sectionRules, submissionSettings, MAX_SUBMISSION_FILE_BYTES } from '../settings/read.ts';

/**
 * The author's side of a submission (issue 19): a draft is started, filled in step by step and
 * submitted. Pages and the API call these; each runs in one transaction and writes its activity
 * entry with the change, so a refusal (WorkflowError) leaves nothing half saved.
 */

const STEPS: readonly WizardStep[] = ['start', 'files', 'details', 'contributors', 'references', 'review'];

/** The furthest step the author has reached: never moves back. */
function furthest(a: WizardStep, b: WizardStep): WizardStep {
  return STEPS.indexOf(a) >= STEPS.indexOf(b) ? a : b;
}

/** The submission, locked for the rest of the transaction (see findSubmissionForUpdate). */
async function submissionOf(trx: Db, journalId: number, submissionId: number): Promise<SubmissionRecord> {
  const submission = await findSubmissionForUpdate(trx, journalId, submissionId);
  if (!submission) throw new WorkflowError('participant-unknown', 'submission');
  return submission;
}

async function draftOf(trx: Db, journalId: number, submissionId: number): Promise<SubmissionRecord> {
  const submission = await submissionOf(trx, journalId, submissionId);
  if (submission.status !== 'draft') throw new WorkflowError('not-a-draft');
  return submission;
}

/** A draft's or an active submission's (metadata and files change until a decision ends it). */
async function openSubmissionOf(trx: Db, journalId: number, submissionId: number): Promise<SubmissionRecord> {
  const submission = await submissionOf(trx, journalId, submissionId);
  if (submission.status !== 'draft' && submission.status !== 'active') throw new WorkflowError('not-active');
  return submission;
}

async function checkPlace(db: Db, journalId: number, sectionId: number, locale: string): Promise<void> {
  const rules = await sectionRules(db, journalId, sectionId);
  if (!rules) throw new WorkflowError('section-unknown', 'sectionId');
  if (!rules.isOpen) throw new WorkflowError('section-closed', 'sectionId');
  const journal = await db.selectFrom('journals').select(['supported_locales', 'primary_locale']).where('id', '=', journalId).executeTakeFirstOrThrow();
  const allowed = rules.locales.length > 0 ? rules.locales : journalLocales(journal);
  if (!allowed.includes(locale)) throw new WorkflowError('locale-not-allowed', 'locale');
}

function journalLocales(journal: { supported_locales: unknown; primary_locale: string }): string[] {
  const supported = Array.isArray(journal.supported_locales) ? (journal.supported_locales as string[]) : [];
  return supported.length > 0 ? supported : [journal.primary_locale];
}

export interface DraftStart {
  journalId: number;
  userId: number;
  sectionId: number;
  locale: string;
  commentsForEditor: string;
  /** The author ticked every item of the journal's checklist. */
  checklistConfirmed: boolean;
  /** The author accepted the copyright notice and the privacy statement. */
  agreementsAccepted: boolean;
  now: Date;
}

/**
 * Starts a draft: a queued article in the chosen section and language, the submitter as its author
 * (participant) and first contributor, from their profile. The submitter is given the author role in
 * the journal if they did not have it (as OJS does on a first submission).
 */
export async function createDraft(db: Db, input: DraftStart): Promise<number> {
  if (input.commentsForEditor.length > 10000) throw new WorkflowError('too-long', 'commentsForEditor', { max: 10000 });
  return inTransaction(db, async (trx) => {
    await checkPlace(trx, input.journalId, input.sectionId, input.locale);
    const settings = await submissionSettings(trx, input.journalId);
    if (settings.checklist.length > 0 && !input.checklistConfirmed) throw new WorkflowError('checklist-unconfirmed', 'checklist');
    if (!input.agreementsAccepted && hasAgreements(settings)) throw new WorkflowError('agreements-unaccepted', 'agreements');
    const { articleId } = await startManuscript(trx, { journalId: input.journalId, sectionId: input.sectionId, locale: input.locale });
    await trx
      .insertInto('submissions')
      .values({
        id: articleId,
        journal_id: input.journalId,
        submitter_id: input.userId,
        status: 'draft',
        progress: 'files',
        comments_for_editor: input.commentsForEditor,
        checklist_confirmed_at: input.checklistConfirmed || settings.checklist.length === 0 ? input.now : null,
        agreements_accepted_at: input.agreementsAccepted || !hasAgreements(settings) ? input.now : null,
        last_activity_at: input.now,
        created_at: input.now,
        updated_at: input.now,
      })
      .execute();
    await trx.insertInto('submission_participants').values({ submission_id: articleId, user_id: input.userId, role: 'author', assigned_by: input.userId, created_at: input.now }).execute();
    await assignRole(trx, input.userId, input.journalId, 'author');
    const user = await trx.selectFrom('users').select(['given_name', 'family_name', 'email', 'orcid', 'affiliation']).where('id', '=', input.userId).executeTakeFirstOrThrow();
    await addContributor(trx, articleId, {
      givenName: user.given_name,
      familyName: user.family_name,
      email: user.email,
      orcid: user.orcid,
      affiliations: Object.keys(user.affiliation).length > 0 ? [{ name: user.affiliation }] : [],
      isPrimaryContact: true,
      includeInBrowse: true,
      userGroup: 'Author',
    });
    await logActivity(trx, { submissionId: articleId, userId: input.userId, action: 'draft.created', details: { sectionId: input.sectionId, locale: input.locale }, at: input.now });
    return articleId;
  });
}

function hasAgreements(settings: { copyrightNotice: Record<string, string>; privacyStatement: Record<string, string> }): boolean {
  return Object.values(settings.copyrightNotice).some((t) => t.trim() !== '') || Object.values(settings.privacyStatement).some((t) => t.trim() !== '');
}

/** The first step again: section, language, comments, confirmations. */
export async function saveDraftStart(db: Db, journalId: number, submissionId: number, userId: number, input: Omit<DraftStart, 'journalId' | 'userId'>): Promise<void> {
  if (input.commentsForEditor.length > 10000) throw new WorkflowError('too-long', 'commentsForEditor', { max: 10000 });
  await inTransaction(db, async (trx) => {
    const draft = await draftOf(trx, journalId, submissionId);
    await checkPlace(trx, journalId, input.sectionId, input.locale);
    const settings = await submissionSettings(trx, journalId);
    if (settings.checklist.length > 0 && !input.checklistConfirmed) throw new WorkflowError('checklist-unconfirmed', 'checklist');
    if (!input.agreementsAccepted && hasAgreements(settings)) throw new WorkflowError('agreements-unaccepted', 'agreements');
    if (draft.sectionId !== input.sectionId || draft.locale !== input.locale) await placeManuscript(trx, submissionId, { sectionId: input.sectionId, locale: input.locale });
    await trx
      .updateTable('submissions')
      .set({
        comments_for_editor: input.commentsForEditor,
        checklist_confirmed_at: draft.checklistConfirmedAt ?? input.now,
        agreements_accepted_at: draft.agreementsAcceptedAt ?? input.now,
        progress: furthest(draft.progress, 'files'),
      })
      .where('id', '=', submissionId)
      .execute();
    await logActivity(trx, { submissionId, userId, action: 'draft.updated', details: { step: 'start' }, at: input.now });
  });
}

/** Records that the author moved on to `step` (the dashboard resumes the draft there). */
export async function reachStep(db: Db, journalId: number, submissionId: number, step: WizardStep): Promise<void> {
  await inTransaction(db, async (trx) => {
    const draft = await draftOf(trx, journalId, submissionId);
    const progress = furthest(draft.progress, step);
    if (progress !== draft.progress) await trx.updateTable('submissions').set({ progress }).where('id', '=', submissionId).execute();
  });
}

/** A file already put in the file store, with what was read of it. */
export interface StoredUpload {
  storageKey: string;
  sizeBytes: number;
  sha256: string;
  /** The type recognised from the bytes (storage's fileType). */
  mimeType: string;
  originalName: string;
}

/** Checks a stored upload against the kind's types and size; throws what is wrong with it. */
export function checkUpload(kind: { types: readonly string[]; maxBytes: number }, upload: Pick<StoredUpload, 'sizeBytes' | 'mimeType'>): void {
  if (upload.sizeBytes === 0) throw new WorkflowError('file-empty', 'file');
  if (upload.sizeBytes > Math.min(kind.maxBytes, MAX_SUBMISSION_FILE_BYTES)) throw new WorkflowError('file-too-large', 'file', { max: Math.min(kind.maxBytes, MAX_SUBMISSION_FILE_BYTES) });
  if (isActiveContentType(upload.mimeType)) throw new WorkflowError('file-type-not-allowed', 'file', { type: upload.mimeType });
  if (kind.types.length > 0 && !kind.types.includes(upload.mimeType)) throw new WorkflowError('file-type-not-allowed', 'file', { type: upload.mimeType });
}

export interface NewSubmissionFile {
  journalId: number;
  submissionId: number;
  userId: number;
  kind: string;
  upload: StoredUpload;
  now: Date;
}

/** Adds a file to a draft (the author) or to a submission's submission stage (its editors). Returns its id. */
export async function addSubmissionFile(db: Db, input: NewSubmissionFile): Promise<number> {
  return inTransaction(db, async (trx) => {
    await openSubmissionOf(trx, input.journalId, input.submissionId);
    const kind = (await submissionSettings(trx, input.journalId)).fileKinds.find((k) => k.key === input.kind);
    if (!kind) throw new WorkflowError('file-kind-unknown', 'kind');
    checkUpload(kind, input.upload);
    const fileId = await recordFile(trx, { storageKey: input.upload.storageKey, mimeType: input.upload.mimeType, sizeBytes: input.upload.sizeBytes, sha256: input.upload.sha256, originalName: cleanName(input.upload.originalName) });
    const row = await trx
      .insertInto('submission_files')
      .values({ submission_id: input.submissionId, stage: 'submission', kind: input.kind, file_id: fileId, name: cleanName(input.upload.originalName), uploaded_by: input.userId, created_at: input.now, updated_at: input.now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx.insertInto('submission_file_revisions').values({ submission_file_id: row.id, file_id: fileId, uploaded_by: input.userId, created_at: input.now }).execute();
    await logActivity(trx, { submissionId: input.submissionId, userId: input.userId, action: 'file.uploaded', details: { submissionFileId: row.id, name: cleanName(input.upload.originalName), kind: input.kind, sha256: input.upload.sha256 }, at: input.now });
    return row.id;
  });
}

/** Replaces a file's bytes with a new revision; the earlier ones stay (versions kept). */
export async function reviseSubmissionFile(db: Db, input: Omit<NewSubmissionFile, 'kind'> & { submissionFileId: number }): Promise<void> {
  await inTransaction(db, async (trx) => {
    await openSubmissionOf(trx, input.journalId, input.submissionId);
    const file = await trx.selectFrom('submission_files').select(['id', 'kind']).where('id', '=', input.submissionFileId).where('submission_id', '=', input.submissionId).forUpdate().executeTakeFirst();
    if (!file) throw new WorkflowError('file-unknown', 'file');
    const kind = (await submissionSettings(trx, input.journalId)).fileKinds.find((k) => k.key === file.kind) ?? { types: [], maxBytes: MAX_SUBMISSION_FILE_BYTES };
    checkUpload(kind, input.upload);
    const fileId = await recordFile(trx, { storageKey: input.upload.storageKey, mimeType: input.upload.mimeType, sizeBytes: input.upload.sizeBytes, sha256: input.upload.sha256, originalName: cleanName(input.upload.originalName) });
    await trx.updateTable('submission_files').set({ file_id: fileId, name: cleanName(input.upload.originalName), updated_at: input.now }).where('id', '=', file.id).execute();
    await trx.insertInto('submission_file_revisions').values({ submission_file_id: file.id, file_id: fileId, uploaded_by: input.userId, created_at: input.now }).execute();
    await logActivity(trx, { submissionId: input.submissionId, userId: input.userId, action: 'file.revised', details: { submissionFileId: file.id, name: cleanName(input.upload.originalName), sha256: input.upload.sha256 }, at: input.now });
  });
}

/** Removes a file from a draft (after submission files are kept: the editors revise them instead). */
export async function removeDraftFile(db: Db, journalId: number, submissionId: number, submissionFileId: number, userId: number, now: Date): Promise<void> {
  await inTransaction(db, async (trx) => {
    await draftOf(trx, journalId, submissionId);
    const file = await trx.selectFrom('submission_files').select(['id', 'name']).where('id', '=', submissionFileId).where('submission_id', '=', submissionId).executeTakeFirst();
    if (!file) throw new WorkflowError('file-unknown', 'file');
    const stored = await trx.selectFrom('submission_file_revisions').select('file_id').where('submission_file_id', '=', file.id).execute();
    await trx.deleteFrom('submission_files').where('id', '=', file.id).execute();
    // Its revisions went with it: their `files` rows go too (the store's sweep then removes the bytes).
    await forgetUnreferencedFiles(trx, stored.map((r) => r.file_id));
    await logActivity(trx, { submissionId, userId, action: 'file.removed', details: { submissionFileId: file.id, name: file.name }, at: now });
  });
}

/** A file's name as shown and offered for download: no path, no control characters, bounded. */
export function cleanName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 255);
  return clean === '' ? 'file' : clean;
}

/** Title, subtitle, abstract, keywords (per language). */
export async function saveSubmissionDetails(db: Db, journalId: number, submissionId: number, userId: number, details: ManuscriptDetails, now: Date): Promise<void> {
  await inTransaction(db, async (trx) => {
    await openSubmissionOf(trx, journalId, submissionId);
    await saveManuscriptDetails(trx, submissionId, details);
    await logActivity(trx, { submissionId, userId, action: 'metadata.updated', at: now });
  });
}

/** The pasted reference list, one reference per entry. */
export async function saveSubmissionReferences(db: Db, journalId: number, submissionId: number, userId: number, references: readonly string[], now: Date): Promise<void> {
  await inTransaction(db, async (trx) => {
    await openSubmissionOf(trx, journalId, submissionId);
    // A blank entry (an empty line between two references) is no reference.
    const texts = references.map((text) => text.trim()).filter((text) => text !== '');
    await saveManuscriptReferences(trx, submissionId, texts);
    await logActivity(trx, { submissionId, userId, action: 'references.updated', details: { count: texts.length }, at: now });
  });
}

export type ContributorChange =
  | { op: 'add'; fields: ContributorFields }
  | { op: 'save'; contributorId: number; fields: ContributorFields }
  | { op: 'remove'; contributorId: number }
  | { op: 'move'; contributorId: number; direction: 'up' | 'down' };

/** Adds, changes, removes or moves a contributor; returns the contributor's id (added or changed). */
export async function changeSubmissionContributors(db: Db, journalId: number, submissionId: number, userId: number, change: ContributorChange, now: Date): Promise<number | null> {
  return inTransaction(db, async (trx) => {
    await openSubmissionOf(trx, journalId, submissionId);
    let id: number | null = null;
    let found = true;
    switch (change.op) {
      case 'add':
        id = await addContributor(trx, submissionId, change.fields);
        break;
      case 'save':
        found = await saveContributor(trx, submissionId, change.contributorId, change.fields);
        id = change.contributorId;
        break;
      case 'remove':
        found = await removeContributor(trx, submissionId, change.contributorId);
        break;
      case 'move':
        found = await moveContributor(trx, submissionId, change.contributorId, change.direction);
        id = change.contributorId;
        break;
    }
    if (!found) throw new WorkflowError('participant-unknown', 'contributor');
    await logActivity(trx, { submissionId, userId, action: 'contributors.updated', details: { op: change.op, ...(id !== null ? { contributorId: id } : {}) }, at: now });
    return id;
  });
}

/**
 * Sends the draft to the journal: refused, with every problem listed, unless everything the journal
 * requires is there. The editors are told by the `SubmissionSubmitted` event's subscribers (mail).
 */
export async function submitSubmission(db: Db, journalId: number, submissionId: number, userId: number, now: Date): Promise<void> {
  await inTransaction(db, async (trx) => {
    // The row stays locked to the end: two submits at once make one submission (the second finds it submitted).
    const draft = await draftOf(trx, journalId, submissionId);
    const problems = await submissionProblems(trx, draft);
    if (problems.length > 0) throw new WorkflowError('incomplete', undefined, {}, problems);
    await trx.updateTable('submissions').set({ status: 'active', stage: 'submission', progress: 'review', submitted_at: now }).where('id', '=', submissionId).execute();
    await markManuscriptSubmitted(trx, submissionId, now);
    await logActivity(trx, { submissionId, userId, action: 'submission.submitted', at: now });
    await emit(trx, { type: 'SubmissionSubmitted', journalId, submissionId, userId });
  });
}

/** The author throws a draft away (a submitted manuscript is withdrawn through the editors). */
export async function discardDraft(db: Db, journalId: number, submissionId: number): Promise<void> {
  await inTransaction(db, async (trx) => {
    await draftOf(trx, journalId, submissionId);
    const stored = await storedFilesOf(trx, submissionId);
    await discardManuscript(trx, submissionId);
    // The submission's rows went with the article: the `files` rows nothing names any more go too.
    await forgetUnreferencedFiles(trx, stored);
  });
}

/** Every stored file a submission's rows name: its files' revisions and its discussions' attachments. */
async function storedFilesOf(trx: Db, submissionId: number): Promise<number[]> {
  const [revisions, current, attachments] = await Promise.all([
    trx.selectFrom('submission_file_revisions as r').innerJoin('submission_files as sf', 'sf.id', 'r.submission_file_id').select('r.file_id').where('sf.submission_id', '=', submissionId).execute(),
    trx.selectFrom('submission_files').select('file_id').where('submission_id', '=', submissionId).execute(),
    trx
      .selectFrom('discussion_message_files as f')
      .innerJoin('discussion_messages as m', 'm.id', 'f.message_id')
      .innerJoin('discussions as d', 'd.id', 'm.discussion_id')
      .select('f.file_id')
      .where('d.submission_id', '=', submissionId)
      .execute(),
  ]);
  return [...revisions, ...current, ...attachments].map((r) => r.file_id);
}
