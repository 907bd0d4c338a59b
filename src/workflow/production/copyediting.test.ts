import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { Kysely } from 'kysely';
import { assignRole, insertUser, loadPrincipal } from '../../accounts/index.ts';
import type { Database, DatabaseHandle, RoleName } from '../../db/index.ts';
import { DEMO_JOURNAL_PATH } from '../../demo/index.ts';
import { createMailer, type Mailer } from '../../mail/index.ts';
import { createSubscriptions, type Subscriptions } from '../../platform/events/index.ts';
import { runJobsUntilIdle } from '../../platform/jobs/index.ts';
import { can } from '../../platform/policy/index.ts';
import { registerPolicies } from '../../app.ts';
import { testDatabases } from '../../../test/support/databases.ts';
import { openDemoJournal } from '../../../test/support/demo-journal.ts';
import { refused } from '../../../test/support/refused.ts';
import { startSmtpListener, type ReceivedMail } from '../../../test/support/smtp.ts';
import { assignParticipant } from '../commands/participants.ts';
import { postMessage } from '../commands/discussions.ts';
import { addSubmissionFile, createDraft, saveSubmissionDetails, submitSubmission, type StoredUpload } from '../commands/submissions.ts';
import { discussionThread, findDiscussion } from '../discussions.ts';
import { subscribeWorkflowMail } from '../mail.ts';
import { findSubmission, submissionFileRevisions, submissionFiles } from '../queries.ts';
import { decisionsAvailable, recordDecision } from '../review/commands/decisions.ts';
import { addCopyeditedFile, askAuthorToReviewCopyedits, copyeditedFiles, productionReadyFiles, sendToProduction } from './copyediting.ts';
import { subscribeCopyeditingMail } from './copyediting-mail.ts';

// The commands ask the policies as the person acting, as the app does.
registerPolicies();

const now = new Date('2026-06-01T09:00:00Z');
const BASE = 'https://journals.example.org';

for (const database of await testDatabases()) {
  describe(`copyediting commands on ${database.name}`, () => {
    let handle: DatabaseHandle;
    let db: Kysely<Database>;
    let smtp: Awaited<ReturnType<typeof startSmtpListener>>;
    let mailer: Mailer;
    let subscriptions: Subscriptions;
    let journalId: number;
    let sectionId: number;
    const people: Record<string, number> = {};

    async function person(name: string, roles: RoleName[], preferredLocale: string | null = 'en'): Promise<number> {
      const user = await insertUser(db, { email: `${name}@example.org`, givenName: { en: name[0]!.toUpperCase() + name.slice(1) }, familyName: { en: 'Test' }, affiliation: {}, orcid: null, country: null, preferredLocale, privacyConsentAt: now }, null);
      for (const role of roles) await assignRole(db, user!.id, journalId, role);
      people[name] = user!.id;
      return user!.id;
    }

    async function work(): Promise<ReceivedMail[]> {
      const run = await runJobsUntilIdle(db, [...subscriptions.jobHandlers(), ...mailer.jobs]);
      assert.equal(run.failed, 0);
      return smtp.received.splice(0).sort((a, b) => a.envelopeTo[0]!.localeCompare(b.envelopeTo[0]!));
    }

    const upload = (name: string, bytes = 10): StoredUpload => ({ storageKey: `ce/${crypto.randomUUID()}`, sizeBytes: bytes, sha256: 'e'.repeat(64), mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', originalName: name });

    /** A submitted manuscript with its editor; accepted (in copyediting) unless `accepted` is false. */
    async function submission(title: string, accepted = true): Promise<number> {
      const id = await createDraft(db, { journalId, userId: people.author!, sectionId, locale: 'en', commentsForEditor: '', checklistConfirmed: true, agreementsAccepted: true, now });
      await addSubmissionFile(db, { journalId, submissionId: id, userId: people.author!, kind: 'article', upload: { ...upload('manuscript.pdf'), mimeType: 'application/pdf' }, now });
      await saveSubmissionDetails(db, journalId, id, people.author!, { prefix: {}, title: { en: title }, subtitle: {}, abstract: { en: 'A.' }, keywords: {} }, now);
      await submitSubmission(db, journalId, id, people.author!, now);
      await assignParticipant(db, { journalId, submissionId: id, userId: people.editor!, role: 'editor', assignedBy: people.editor!, now });
      if (accepted) await recordDecision(db, { journalId, submissionId: id, decision: 'accept', editorId: people.editor!, recommendOnly: false, notifyAuthor: false, now });
      return id;
    }

    before(async () => {
      ({ handle, db, journalId, sectionId } = await openDemoJournal(database));
      await person('author', []);
      await person('editor', ['editor']);
      await person('copyeditor', ['copyeditor']);
      await person('othercopyeditor', ['copyeditor']);
      await person('layout', ['layout-editor'], 'pl');
      smtp = await startSmtpListener();
      mailer = createMailer(db, { smtpUrl: smtp.url, from: 'Revista <noreply@example.org>' });
      subscriptions = createSubscriptions();
      subscribeWorkflowMail(subscriptions, { baseUrl: BASE });
      subscribeCopyeditingMail(subscriptions, { baseUrl: BASE });
    });
    beforeEach(() => work());
    after(async () => {
      await mailer.close();
      await smtp.close();
      await handle.close();
    });

    it('emails an assigned copyeditor what to do, with the submission’s link (not the editors’ assignment mail); a layout editor that galleys are wanted in production', async () => {
      const id = await submission('Copyedited paper');
      await work();
      await assignParticipant(db, { journalId, submissionId: id, userId: people.copyeditor!, role: 'copyeditor', assignedBy: people.editor!, now });
      await assignParticipant(db, { journalId, submissionId: id, userId: people.layout!, role: 'layout-editor', assignedBy: people.editor!, now });
      const [copyeditor, layout, ...more] = await work();
      assert.equal(more.length, 0, 'one mail each');
      assert.deepEqual(copyeditor!.envelopeTo, ['copyeditor@example.org']);
      assert.equal(copyeditor!.subject, '[Sprawy Międzynarodowe] Copyediting request: Copyedited paper');
      assert.match(copyeditor!.text, /Editor Test has asked you to copyedit the submission “Copyedited paper”/);
      assert.match(copyeditor!.text, /Download the accepted files/);
      assert.ok(copyeditor!.text.includes(`${BASE}/${DEMO_JOURNAL_PATH}/workflow/access/${id}`));
      assert.deepEqual(layout!.envelopeTo, ['layout@example.org']);
      assert.equal(layout!.subject, `[Sprawy Międzynarodowe] Skład zgłoszenia ${id}`, 'in the layout editor’s language');
      assert.match(layout!.text, /Gdy zgłoszenie trafi do produkcji, potrzebne będą wersje do publikacji/);
    });

    it('takes copyedited files from the copyeditor and the editor, keeping revisions; lists them apart from the accepted files', async () => {
      const id = await submission('Files paper');
      await assignParticipant(db, { journalId, submissionId: id, userId: people.copyeditor!, role: 'copyeditor', assignedBy: people.editor!, now });
      const first = await addCopyeditedFile(db, { journalId, submissionId: id, userId: people.copyeditor!, upload: upload('copyedited.docx'), now });
      const second = await addCopyeditedFile(db, { journalId, submissionId: id, userId: people.editor!, upload: upload('tables.docx'), now });
      await addCopyeditedFile(db, { journalId, submissionId: id, userId: people.copyeditor!, upload: upload('copyedited-v2.docx', 12), revises: first, now });
      const files = await copyeditedFiles(db, id);
      assert.deepEqual(files.map((f) => [f.id, f.name, f.stage, f.kind, f.revisions]), [
        [first, 'copyedited-v2.docx', 'copyediting', 'copyedited', 1],
        [second, 'tables.docx', 'copyediting', 'copyedited', 0],
      ]);
      assert.deepEqual((await submissionFileRevisions(db, first)).map((r) => r.originalName), ['copyedited-v2.docx', 'copyedited.docx'], 'the earlier version kept');
      assert.deepEqual((await submissionFiles(db, id, 'submission')).map((f) => f.name), ['manuscript.pdf'], 'the accepted files untouched');
      // A file of another stage is not a copyedited file to revise; a web page is no copyedited file.
      const accepted = (await submissionFiles(db, id, 'submission'))[0]!;
      await refused(addCopyeditedFile(db, { journalId, submissionId: id, userId: people.copyeditor!, upload: upload('x.docx'), revises: accepted.id, now }), 'file-unknown');
      await refused(addCopyeditedFile(db, { journalId, submissionId: id, userId: people.copyeditor!, upload: { ...upload('x.svg'), mimeType: 'image/svg+xml' }, now }), 'file-type-not-allowed');
    });

    it('refuses copyedits from a copyeditor not assigned, from the author, and before the submission is accepted', async () => {
      const id = await submission('Guarded paper');
      await refused(addCopyeditedFile(db, { journalId, submissionId: id, userId: people.othercopyeditor!, upload: upload('a.docx'), now }), 'participant-unknown');
      await refused(addCopyeditedFile(db, { journalId, submissionId: id, userId: people.author!, upload: upload('a.docx'), now }), 'not-eligible');
      const early = await submission('Early paper', false);
      await assignParticipant(db, { journalId, submissionId: early, userId: people.copyeditor!, role: 'copyeditor', assignedBy: people.editor!, now });
      const error = await refused(addCopyeditedFile(db, { journalId, submissionId: early, userId: people.copyeditor!, upload: upload('a.docx'), now }), 'not-in-copyediting');
      assert.equal(error.status, 409);
      assert.equal((await copyeditedFiles(db, id)).length + (await copyeditedFiles(db, early)).length, 0, 'nothing written by the refusals');
    });

    it('asks the author to review the copyedits in a discussion of the stage, the files attached and emailed; the author answers with a file', async () => {
      const id = await submission('Reviewed copyedits');
      await assignParticipant(db, { journalId, submissionId: id, userId: people.copyeditor!, role: 'copyeditor', assignedBy: people.editor!, now });
      const fileId = await addCopyeditedFile(db, { journalId, submissionId: id, userId: people.copyeditor!, upload: upload('copyedited.docx'), now });
      await work();
      await refused(askAuthorToReviewCopyedits(db, { journalId, submissionId: id, userId: people.copyeditor!, fileIds: [], subject: 'Copyedits', body: 'Please look.', now }), 'files-missing');
      await refused(askAuthorToReviewCopyedits(db, { journalId, submissionId: id, userId: people.copyeditor!, fileIds: [fileId], authorIds: [people.editor!], subject: 'Copyedits', body: 'Please look.', now }), 'not-eligible');
      await refused(askAuthorToReviewCopyedits(db, { journalId, submissionId: id, userId: people.author!, fileIds: [fileId], subject: 'Copyedits', body: 'Please look.', now }), 'not-eligible');
      const { discussionId } = await askAuthorToReviewCopyedits(db, { journalId, submissionId: id, userId: people.copyeditor!, fileIds: [fileId], subject: 'Please review the copyedits', body: 'The copyedits are attached.', now });
      const record = (await findSubmission(db, journalId, id))!;
      const discussion = (await findDiscussion(db, record, discussionId))!;
      assert.equal(discussion.stage, 'copyediting');
      assert.deepEqual(discussion.participantIds, [people.author!, people.copyeditor!].sort((a, b) => a - b));
      const [message] = await discussionThread(db, discussionId);
      const copyedited = (await copyeditedFiles(db, id))[0]!;
      assert.deepEqual(message!.attachments.map((a) => [a.name, a.fileId]), [['copyedited.docx', copyedited.fileId]], 'the copyedited file itself');
      const [mail, ...more] = await work();
      assert.equal(more.length, 0);
      assert.deepEqual(mail!.envelopeTo, ['author@example.org']);
      assert.match(mail!.text, /The copyedits are attached\./);
      assert.match(mail!.text, /Attachments: copyedited\.docx/);
      assert.ok(mail!.text.includes(`${BASE}/${DEMO_JOURNAL_PATH}/workflow/index/${id}/discussions/${discussionId}`));
      await postMessage(db, { journalId, submissionId: id, discussionId, body: 'One correction, attached.', attachments: [{ ...upload('corrections.pdf'), mimeType: 'application/pdf' }], userId: people.author!, now });
      const answer = await work();
      assert.deepEqual(answer.map((m) => m.envelopeTo[0]), ['copyeditor@example.org'], 'the copyeditor hears the answer');
      assert.match(answer[0]!.text, /Attachments: corrections\.pdf/);
    });

    it('sends to production: the stage moves, the chosen files are copied as production-ready, the layout editor is emailed; back again; out of order refused', async () => {
      const inReview = await submission('Still in review', false);
      await recordDecision(db, { journalId, submissionId: inReview, decision: 'send-to-review', editorId: people.editor!, recommendOnly: false, fileIds: (await submissionFiles(db, inReview)).map((f) => f.id), now });
      const early = await refused(sendToProduction(db, { journalId, submissionId: inReview, editorId: people.editor!, fileIds: [], now }), 'decision-not-allowed');
      assert.equal(early.status, 409);
      assert.equal((await findSubmission(db, journalId, inReview))!.stage, 'review');

      const id = await submission('Produced paper');
      await assignParticipant(db, { journalId, submissionId: id, userId: people.copyeditor!, role: 'copyeditor', assignedBy: people.editor!, now });
      await assignParticipant(db, { journalId, submissionId: id, userId: people.layout!, role: 'layout-editor', assignedBy: people.editor!, now });
      const chosen = await addCopyeditedFile(db, { journalId, submissionId: id, userId: people.copyeditor!, upload: upload('final.docx'), now });
      await addCopyeditedFile(db, { journalId, submissionId: id, userId: people.copyeditor!, upload: upload('draft-notes.docx'), now });
      await work();
      const record = (await findSubmission(db, journalId, id))!;
      assert.deepEqual(decisionsAvailable(record, undefined, false), ['send-to-production']);
      // A copyeditor does not decide (the policy, and the command asked as them).
      const copyeditor = await loadPrincipal(db, people.copyeditor!);
      assert.equal(can(copyeditor, 'submission.decide', record.resource), false);
      assert.equal(can(copyeditor, 'submission.copyedit', record.resource), true);
      await refused(sendToProduction(db, { journalId, submissionId: id, editorId: people.copyeditor!, fileIds: [chosen], now }), 'not-eligible');
      const submissionFile = (await submissionFiles(db, id, 'submission'))[0]!;
      await refused(sendToProduction(db, { journalId, submissionId: id, editorId: people.editor!, fileIds: [submissionFile.id], now }), 'file-unknown');

      await sendToProduction(db, { journalId, submissionId: id, editorId: people.editor!, fileIds: [chosen], now });
      const moved = (await findSubmission(db, journalId, id))!;
      assert.equal(moved.stage, 'production');
      const ready = await productionReadyFiles(db, id);
      const copyedited = (await copyeditedFiles(db, id)).find((f) => f.id === chosen)!;
      assert.deepEqual(ready.map((f) => [f.name, f.stage, f.kind, f.fileId]), [['final.docx', 'production', 'production-ready', copyedited.fileId]]);
      assert.equal((await copyeditedFiles(db, id)).length, 2, 'the copyedited files stay in copyediting');
      const [layout, ...more] = await work();
      assert.equal(more.length, 0, 'the layout editor only (the author is not mailed a send-to-production)');
      assert.deepEqual(layout!.envelopeTo, ['layout@example.org']);
      assert.equal(layout!.subject, '[Sprawy Międzynarodowe] Gotowe do składu: Produced paper');
      assert.match(layout!.text, /- final\.docx\n/);
      assert.doesNotMatch(layout!.text, /draft-notes/);

      await refused(addCopyeditedFile(db, { journalId, submissionId: id, userId: people.copyeditor!, upload: upload('late.docx'), now }), 'not-in-copyediting');
      await refused(sendToProduction(db, { journalId, submissionId: id, editorId: people.editor!, fileIds: [chosen], now }), 'decision-not-allowed');
      assert.deepEqual(decisionsAvailable(moved, undefined, false), ['back-to-copyediting']);
      await recordDecision(db, { journalId, submissionId: id, decision: 'back-to-copyediting', editorId: people.editor!, recommendOnly: false, now });
      assert.equal((await findSubmission(db, journalId, id))!.stage, 'copyediting');
      assert.equal((await productionReadyFiles(db, id)).length, 1, 'the production-ready files stay');
    });
  });
}
