import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/index.ts';
import type { FileStore } from '../../src/storage/index.ts';
import { addSubmissionFile, assignParticipant, createDraft, saveSubmissionDetails, submissionFiles, submitSubmission } from '../../src/workflow/index.ts';
import { addReviewAttachment, answerReviewRequest, recordDecision, requestReview, saveReview, shareReviewAttachment } from '../../src/workflow/index.ts';

/** A small PDF with one page: enough for the anonymised copy (a PDF without a page tree is refused as damaged). */
export const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

/**
 * A manuscript of the demo journal ("sm") whose first round asked for revisions, made through the
 * workflow's own commands: `anna` reviewed it double-anonymously (with a file the author may see),
 * `bob` openly (neither with a form: the mail tests cover forms); the editor shared both reviews
 * with the decision.
 */
export async function revisionsRequested(db: Kysely<Database>, files: FileStore, people: { author: number; editor: number; anna: number; bob: number }, title = 'Rivers of the north'): Promise<{ submissionId: number; annaReview: number; bobReview: number; attachment: number }> {
  const now = new Date();
  const section = await db.selectFrom('sections').select('id').where('journal_id', '=', 1).orderBy('id').executeTakeFirstOrThrow();
  const submissionId = await createDraft(db, { journalId: 1, userId: people.author, sectionId: section.id, locale: 'en', commentsForEditor: '', checklistConfirmed: true, agreementsAccepted: true, now });
  const stored = await files.put(PDF);
  await addSubmissionFile(db, { journalId: 1, submissionId, userId: people.author, kind: 'article', upload: { storageKey: stored.key, sizeBytes: stored.sizeBytes, sha256: stored.sha256, mimeType: 'application/pdf', originalName: 'manuscript.pdf' }, now });
  await saveSubmissionDetails(db, 1, submissionId, people.author, { prefix: {}, title: { en: title }, subtitle: {}, abstract: { en: 'About rivers.' }, keywords: {} }, now);
  await submitSubmission(db, 1, submissionId, people.author, now);
  await assignParticipant(db, { journalId: 1, submissionId, userId: people.editor, role: 'editor', recommendOnly: false, assignedBy: people.editor, now });
  await recordDecision(db, { journalId: 1, submissionId, decision: 'send-to-review', editorId: people.editor, recommendOnly: false, fileIds: (await submissionFiles(db, submissionId)).map((f) => f.id), now });
  const annaReview = await requestReview(db, { journalId: 1, submissionId, reviewer: { userId: people.anna }, reviewFormId: null, requestedBy: people.editor, now });
  const bobReview = await requestReview(db, { journalId: 1, submissionId, reviewer: { userId: people.bob }, anonymity: 'open', reviewFormId: null, requestedBy: people.editor, now });
  let attachment = 0;
  for (const [name, reviewId] of [['anna', annaReview], ['bob', bobReview]] as const) {
    await answerReviewRequest(db, { journalId: 1, reviewId, accept: true, by: { kind: 'user', userId: people[name] }, now });
    if (name === 'anna') {
      const notes = await files.put(PDF);
      attachment = await addReviewAttachment(db, { journalId: 1, reviewId, userId: people.anna, upload: { storageKey: notes.key, sizeBytes: notes.sizeBytes, sha256: notes.sha256, mimeType: 'application/pdf', originalName: 'kowalska-notes.pdf' }, now });
      await shareReviewAttachment(db, { journalId: 1, reviewId, attachmentId: attachment, visibleToAuthor: true });
    }
    await saveReview(db, { journalId: 1, reviewId, userId: people[name], recommendation: 'minor-revisions', commentsForAuthor: `Comments for the author by ${name}.`, commentsForEditor: `Only for the editor, by ${name}.`, answers: {}, submit: true, now });
  }
  await recordDecision(db, { journalId: 1, submissionId, decision: 'request-revisions', editorId: people.editor, recommendOnly: false, message: 'Please revise section 2.', sharedReviewIds: [annaReview, bobReview], now });
  return { submissionId, annaReview, bobReview, attachment };
}
