import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import type { Kysely } from 'kysely';
import { PDFDocument } from 'pdf-lib';
import { createUserWithRole } from '../../accounts/index.ts';
import type { Database } from '../../db/index.ts';
import { jobHandlers } from '../../job-handlers.ts';
import { createMailer, type Mailer } from '../../mail/index.ts';
import { runJobsUntilIdle } from '../../platform/jobs/index.ts';
import { startTestApp, visibleText, type TestApp } from '../../../test/support/app.ts';
import { AUTHOR, assertNoAuthor, assertNoTraces, authoredDocx, authoredPdf, pdfParts, zipParts } from '../../../test/support/authored-documents.ts';
import { testDatabases } from '../../../test/support/databases.ts';
import { Session } from '../../../test/support/session.ts';
import { startSmtpListener, type ReceivedMail } from '../../../test/support/smtp.ts';
import { assignParticipant } from '../commands/participants.ts';
import { addSubmissionFile, createDraft, saveSubmissionDetails, submitSubmission } from '../commands/submissions.ts';
import { submissionFiles } from '../queries.ts';
import { recordDecision } from './commands/decisions.ts';
import { remindReviewer, requestReview } from './commands/requests.ts';
import { addReviewAttachment, saveReview, shareReviewAttachment } from './commands/reviews.ts';

/**
 * Issue 20's anonymity acceptance, end to end on the real app: in double-anonymous review, nothing a
 * reviewer receives — pages, the files they download (names and bytes, metadata included), mails,
 * notifications — holds an author's name, address or affiliation, and nothing the author receives
 * names the reviewer. The author's PDF and DOCX carry the author in their metadata, their file names
 * carry the surname; the reviewer's attachment carries the reviewer in its metadata.
 */

const REVIEWER = { given: 'Bartłomiej', family: 'Recenzencki', email: 'b.recenzencki@recenzje.example', affiliation: 'Instytut Recenzji Naukowych', password: 'reviewer password 1' };
const AUTHOR_PASSWORD = 'author password 1';
const EDITOR = { email: 'editor.anon@example.org', password: 'editor password 1' };
const [AUTHOR_GIVEN, AUTHOR_FAMILY] = AUTHOR.name.split(' ') as [string, string];

/** The reviewer's annotated copy: their name, address and affiliation in its document information. */
async function reviewersPdf(): Promise<Uint8Array> {
  const document = await PDFDocument.create({ updateMetadata: false });
  document.addPage([200, 200]);
  document.setAuthor(`${REVIEWER.given} ${REVIEWER.family}`);
  document.setCreator(REVIEWER.email);
  document.setProducer(REVIEWER.affiliation);
  return document.save({ useObjectStreams: false });
}

function assertNoneOf(needles: readonly string[], where: string, text: string): void {
  const folded = text.toLowerCase();
  for (const needle of needles) assert.ok(!folded.includes(needle.toLowerCase()), `${where} names “${needle}”`);
}
const authorTraces = [AUTHOR.name, AUTHOR_FAMILY, AUTHOR.email, AUTHOR.affiliation];
const reviewerTraces = [`${REVIEWER.given} ${REVIEWER.family}`, REVIEWER.family, REVIEWER.email, REVIEWER.affiliation];

for (const database of await testDatabases()) {
  describe(`double-anonymous review on ${database.name}: what each side receives`, () => {
    let t: TestApp;
    let db: Kysely<Database>;
    let smtp: Awaited<ReturnType<typeof startSmtpListener>>;
    let mailer: Mailer;
    let submissionId = 0;
    let reviewId = 0;
    const ids = { author: 0, editor: 0, reviewer: 0 };
    const received: ReceivedMail[] = [];

    /** What a worker does: deliveries of events, mails (over SMTP). */
    async function work(): Promise<void> {
      const run = await runJobsUntilIdle(db, jobHandlers({ crossrefUrl: 'http://127.0.0.1:9', baseUrl: 'http://localhost:3000', referenceParsing: false }, { mailer, files: t.files }).handlers);
      assert.equal(run.failed, 0);
      received.push(...smtp.received.splice(0));
    }
    const mailsTo = (email: string) => received.filter((m) => m.envelopeTo.includes(email));
    const page = (response: LightMyRequestResponse, where: string) => {
      assert.equal(response.statusCode, 200, `${where}: ${response.statusCode}`);
      return response.body;
    };

    before(async () => {
      smtp = await startSmtpListener();
      t = await startTestApp(database, { mailer: (handle) => (mailer = createMailer(handle.db, { smtpUrl: smtp.url, from: 'Revista <noreply@localhost>' })) });
      db = t.database.db;
      const now = new Date();
      // The journal's forms aside: this review is the recommendation and the comments.
      await db.updateTable('review_forms').set({ is_default: false }).where('journal_id', '=', 1).execute();
      ids.author = (await createUserWithRole(db, { email: AUTHOR.email, password: AUTHOR_PASSWORD, role: 'author', journalId: 1, givenName: AUTHOR_GIVEN, now })).userId;
      await db.updateTable('users').set({ family_name: JSON.stringify({ en: AUTHOR_FAMILY }), affiliation: JSON.stringify({ en: AUTHOR.affiliation }) }).where('id', '=', ids.author).execute();
      ids.editor = (await createUserWithRole(db, { email: EDITOR.email, password: EDITOR.password, role: 'editor', journalId: 1, givenName: 'Edyta', now })).userId;
      ids.reviewer = (await createUserWithRole(db, { email: REVIEWER.email, password: REVIEWER.password, role: 'reviewer', journalId: 1, givenName: REVIEWER.given, now })).userId;
      await db.updateTable('users').set({ family_name: JSON.stringify({ en: REVIEWER.family }), affiliation: JSON.stringify({ en: REVIEWER.affiliation }) }).where('id', '=', ids.reviewer).execute();

      const sectionId = (await db.selectFrom('sections').select('id').where('journal_id', '=', 1).orderBy('seq').executeTakeFirstOrThrow()).id;
      submissionId = await createDraft(db, { journalId: 1, userId: ids.author, sectionId, locale: 'en', commentsForEditor: '', checklistConfirmed: true, agreementsAccepted: true, now });
      for (const [bytes, mimeType, originalName] of [
        [await authoredPdf(), 'application/pdf', `${AUTHOR_FAMILY} - borders.pdf`],
        [authoredDocx(), 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', `${AUTHOR_FAMILY} - borders.docx`],
      ] as const) {
        const stored = await t.files.put(Buffer.from(bytes));
        await addSubmissionFile(db, { journalId: 1, submissionId, userId: ids.author, kind: 'article', upload: { storageKey: stored.key, sizeBytes: stored.sizeBytes, sha256: stored.sha256, mimeType, originalName }, now });
      }
      await saveSubmissionDetails(db, 1, submissionId, ids.author, { prefix: {}, title: { en: 'Borders and trade' }, subtitle: {}, abstract: { en: 'How borders shaped trade around the Baltic.' }, keywords: {} }, now);
      await submitSubmission(db, 1, submissionId, ids.author, now);
      await assignParticipant(db, { journalId: 1, submissionId, userId: ids.editor, role: 'editor', assignedBy: ids.editor, now });
      const fileIds = (await submissionFiles(db, submissionId, 'submission')).map((f) => f.id);
      await recordDecision(db, { journalId: 1, submissionId, decision: 'send-to-review', editorId: ids.editor, recommendOnly: false, fileIds, now });
      reviewId = await requestReview(db, { journalId: 1, submissionId, reviewer: { userId: ids.reviewer }, requestedBy: ids.editor, message: 'Would you review this paper?', now });
      await work();
    });
    after(async () => {
      await t?.close();
      await smtp?.close();
    });

    it('the reviewer’s mails, pages, file names and file bytes hold nothing of the author', async () => {
      const [request] = mailsTo(REVIEWER.email);
      assert.ok(request, 'the request was mailed');
      const acceptLink = /http:\/\/localhost:3000(\/sm\/reviewer\/respond\/accept\?token=\S+)/.exec(request.text);
      assert.ok(acceptLink, 'the request has an accept link');

      // The link's page, as opened from the mail (not signed in), then the answer from it.
      const visitor = new Session(t.app, { 'accept-language': 'en' });
      const respond = page(await visitor.get(acceptLink[1]!), 'the accept link');
      assertNoneOf(authorTraces, 'the accept page', respond);
      const token = decodeURIComponent(/token=(\S+)/.exec(acceptLink[1]!)![1]!);
      assert.ok([200, 303].includes((await visitor.post('/sm/reviewer/respond/accept', { token })).statusCode));

      const reviewer = new Session(t.app, { 'accept-language': 'en' });
      await reviewer.signIn(REVIEWER.email, REVIEWER.password);
      const review = page(await reviewer.get(`/sm/reviewer/review/${reviewId}`), 'the review page');
      const pages: Array<[string, string]> = [
        ['the dashboard', page(await reviewer.get('/sm/dashboard/reviewAssignments'), 'the dashboard')],
        ['the review page', review],
        ['the notifications', page(await reviewer.get('/notifications'), 'the notifications')],
      ];

      // Every file the review page offers: its name as downloaded and its bytes, unpacked.
      const links = [...review.matchAll(/href="(\/sm\/reviewer\/review\/\d+\/files\/\d+)"/g)].map((m) => m[1]!);
      assert.equal(new Set(links).size, 2, 'the PDF and the DOCX are offered');
      for (const link of new Set(links)) {
        const file = await reviewer.get(link);
        assert.equal(file.statusCode, 200, link);
        const disposition = String(file.headers['content-disposition']);
        assertNoneOf(authorTraces, `the name of ${link}`, decodeURIComponent(disposition));
        const bytes = file.rawPayload;
        const type = String(file.headers['content-type']);
        assertNoAuthor(type.startsWith('application/pdf') ? await pdfParts(bytes) : zipParts(bytes));
      }

      // A reminder, and the thanks for the review, go to the reviewer too.
      await remindReviewer(db, { journalId: 1, reviewId, by: ids.editor, now: new Date() });
      await work();
      const attachment = await t.files.put(Buffer.from(await reviewersPdf()));
      const attachmentId = await addReviewAttachment(db, { journalId: 1, reviewId, userId: ids.reviewer, upload: { storageKey: attachment.key, sizeBytes: attachment.sizeBytes, sha256: attachment.sha256, mimeType: 'application/pdf', originalName: `${REVIEWER.family} notes.pdf` }, now: new Date() });
      await saveReview(db, { journalId: 1, reviewId, userId: ids.reviewer, recommendation: 'minor-revisions', commentsForAuthor: 'The second section needs sources.', commentsForEditor: 'A sound paper.', answers: {}, submit: true, now: new Date() });
      await shareReviewAttachment(db, { journalId: 1, reviewId, attachmentId, visibleToAuthor: true });
      await work();
      const mails = mailsTo(REVIEWER.email);
      assert.ok(mails.length >= 3, `request, reminder and thanks: got ${mails.map((m) => m.subject).join(' | ')}`);
      for (const mail of mails) assertNoneOf(authorTraces, `the mail “${mail.subject}”`, `${mail.subject}\n${mail.text}`);
      pages.push(['the completed review', page(await reviewer.get(`/sm/reviewer/review/${reviewId}`), 'the completed review')]);
      for (const [where, html] of pages) assertNoneOf(authorTraces, where, html);
    });

    it('nothing the author receives names the reviewer: the decision mail, the pages, the shared attachment', async () => {
      await recordDecision(db, { journalId: 1, submissionId, decision: 'request-revisions', editorId: ids.editor, recommendOnly: false, message: 'Please revise.', sharedReviewIds: [reviewId], now: new Date() });
      await work();
      const mails = mailsTo(AUTHOR.email);
      const decision = mails.find((m) => /The second section needs sources/.test(m.text));
      assert.ok(decision, `the decision shares the review: got ${mails.map((m) => m.subject).join(' | ')}`);
      for (const mail of mails) assertNoneOf(reviewerTraces, `the mail “${mail.subject}”`, `${mail.subject}\n${mail.text}`);

      const author = new Session(t.app, { 'accept-language': 'en' });
      await author.signIn(AUTHOR.email, AUTHOR_PASSWORD);
      const submissionPage = page(await author.get(`/sm/workflow/index/${submissionId}`), 'the submission page');
      assert.match(visibleText(submissionPage), /The second section needs sources/);
      for (const [where, html] of [
        ['the submission page', submissionPage],
        ['the notifications', page(await author.get('/notifications'), 'the notifications')],
        ['my submissions', page(await author.get('/sm/dashboard/mySubmissions'), 'my submissions')],
      ] as const)
        assertNoneOf(reviewerTraces, where, html);

      const links = [...submissionPage.matchAll(/href="(\/sm\/workflow\/index\/\d+\/review\/attachments\/\d+)"/g)].map((m) => m[1]!);
      assert.equal(links.length, 1, 'the shared attachment is offered');
      const file = await author.get(links[0]!);
      assert.equal(file.statusCode, 200);
      assertNoneOf(reviewerTraces, 'the attachment’s name', decodeURIComponent(String(file.headers['content-disposition'])));
      const parts = await pdfParts(file.rawPayload);
      assertNoTraces(parts, reviewerTraces);
    });
  });
}
