import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Kysely } from 'kysely';
import { startTestApp, visibleText, type TestApp } from '../../../test/support/app.ts';
import { testDatabases } from '../../../test/support/databases.ts';
import { signedInAs, type Session } from '../../../test/support/session.ts';
import { startSmtpListener } from '../../../test/support/smtp.ts';
import type { Database } from '../../db/index.ts';
import { createCrossrefClient } from '../../exports/index.ts';
import { createMailer, type Mailer } from '../../mail/index.ts';
import { runJobsUntilIdle } from '../../platform/jobs/index.ts';
import { buildSubscriptions } from '../../subscribers.ts';
import { PDF, revisionsRequested } from '../../../test/support/review-fixture.ts';
import { recordDecision } from '../review/commands/decisions.ts';
import { shareReviewAttachment } from '../review/commands/reviews.ts';

for (const database of await testDatabases()) {
  describe(`the author's side of review (${database.name})`, () => {
    let t: TestApp;
    let db: Kysely<Database>;
    let smtp: Awaited<ReturnType<typeof startSmtpListener>>;
    let mailer: Mailer;
    let author: Session;
    let editor: Session;
    let anna: Session;
    let bob: Session;
    let stranger: Session;
    let submissionId: number;
    let page: string;
    const ids: Record<string, number> = {};
    const subscriptions = buildSubscriptions({ crossref: createCrossrefClient({ baseUrl: 'http://127.0.0.1:9' }), baseUrl: 'http://localhost:3000' });
    const runJobs = () => runJobsUntilIdle(db, [...subscriptions.jobHandlers(), ...mailer.jobs]);
    const idOf = async (email: string) => (await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;

    before(async () => {
      smtp = await startSmtpListener();
      t = await startTestApp(database, { mailer: (handle) => (mailer = createMailer(handle.db, { smtpUrl: smtp.url, from: 'Revista <noreply@example.org>' })) });
      db = t.database.db;
      author = await signedInAs(t.app, db, { email: 'author@example.org', role: 'author', journalId: 1 });
      editor = await signedInAs(t.app, db, { email: 'editor@example.org', role: 'editor', journalId: 1 });
      anna = await signedInAs(t.app, db, { email: 'anna@example.org', role: 'reviewer', journalId: 1 });
      bob = await signedInAs(t.app, db, { email: 'bob@example.org', role: 'reviewer', journalId: 1 });
      stranger = await signedInAs(t.app, db, { email: 'stranger@example.org', role: 'author', journalId: 1 });
      for (const [name, email] of [['author', 'author@example.org'], ['editor', 'editor@example.org'], ['anna', 'anna@example.org'], ['bob', 'bob@example.org']] as const) ids[name] = await idOf(email);
      await db.updateTable('users').set({ given_name: JSON.stringify({ en: 'Anna' }), family_name: JSON.stringify({ en: 'Kowalska' }) }).where('id', '=', ids.anna!).execute();
      await db.updateTable('users').set({ given_name: JSON.stringify({ en: 'Bob' }), family_name: JSON.stringify({ en: 'Openshaw' }) }).where('id', '=', ids.bob!).execute();

      const made = await revisionsRequested(db, t.files, { author: ids.author!, editor: ids.editor!, anna: ids.anna!, bob: ids.bob! });
      submissionId = made.submissionId;
      [ids.annaReview, ids.bobReview, ids.attachment] = [made.annaReview, made.bobReview, made.attachment];
      await runJobs();
      smtp.received.length = 0;
      page = `/sm/workflow/index/${submissionId}`;
    });
    after(async () => {
      await t.close();
      await smtp.close();
    });

    it('shows the author the rounds, the decision and the shared reviews, naming only the open reviewer', async () => {
      const response = await author.get(page);
      assert.equal(response.statusCode, 200);
      const text = visibleText(response.body);
      assert.match(text, /Round 1: revisions requested/);
      assert.match(text, /Revisions requested — /);
      assert.match(text, /Please revise section 2\./);
      assert.match(text, /Reviewer A Comments for the author by anna\./);
      assert.match(text, /Reviewer B: Bob Openshaw Comments for the author by bob\./);
      assert.doesNotMatch(text, /Kowalska|anna@example\.org|kowalska-notes|Only for the editor/);
      assert.match(response.body, new RegExp(`href="${page}/review/revisions"`));
      // The editor has the editor's review section instead.
      assert.doesNotMatch(visibleText((await editor.get(page)).body), /Round 1: revisions requested/);
    });

    it('lets the author download a shared attachment under a name that does not reveal its reviewer', async () => {
      const url = `${page}/review/attachments/${ids.attachment}`;
      const download = await author.get(url);
      assert.equal(download.statusCode, 200);
      assert.match(String(download.headers['content-disposition']), /filename="review-A-1\.pdf"/);
      const forEditor = await editor.get(url);
      assert.equal(forEditor.statusCode, 200);
      assert.match(String(forEditor.headers['content-disposition']), /filename="kowalska-notes\.pdf"/, 'editors see both sides');
      assert.equal((await anna.get(url)).statusCode, 404, 'reviewers have their own pages, not the submission’s');
      assert.equal((await bob.get(url)).statusCode, 404);
      assert.equal((await stranger.get(url)).statusCode, 404);
      await shareReviewAttachment(db, { journalId: 1, reviewId: ids.annaReview!, attachmentId: ids.attachment!, visibleToAuthor: false });
      assert.equal((await author.get(url)).statusCode, 404, 'not once the editors hide it');
    });

    it('takes the revised files, moves the round to revisions sent and tells the editors', async () => {
      const url = `${page}/review/revisions`;
      assert.equal((await stranger.get(url)).statusCode, 404);
      assert.equal((await editor.get(url)).statusCode, 404, 'the author’s page');
      const form = await author.get(url);
      assert.equal(form.statusCode, 200);
      assert.match(visibleText(form.body), /No revised files have been sent yet\./);
      const missing = await author.postMultipart(url, { kind: '' }, { file: { name: 'revised.pdf', type: 'application/pdf', content: PDF } });
      assert.equal(missing.statusCode, 400);
      assert.match(visibleText(missing.body), /Choose the kind of file\./);
      const sent = await author.postMultipart(url, { kind: 'article' }, { file: { name: 'revised.pdf', type: 'application/pdf', content: PDF } });
      assert.equal(sent.statusCode, 303, sent.body);
      assert.equal(sent.headers.location, `${url}?notice=uploaded`);
      const listed = visibleText((await author.get(String(sent.headers.location))).body);
      assert.match(listed, /The revised file has been uploaded\./);
      assert.match(listed, /revised\.pdf/);
      const link = new RegExp(`href="(${page}/files/\\d+)"[^>]*>\\s*revised\\.pdf`).exec((await author.get(url)).body);
      assert.ok(link, 'the author downloads their revision');
      assert.equal((await author.get(link[1]!)).statusCode, 200);
      assert.equal((await db.selectFrom('review_rounds').select('status').where('submission_id', '=', submissionId).executeTakeFirstOrThrow()).status, 'revisions-submitted');
      assert.match(visibleText((await author.get(page)).body), /Round 1: revisions sent/);
      await runJobs();
      const mails = smtp.received.splice(0);
      assert.deepEqual(mails.map((m) => m.envelopeTo[0]), ['editor@example.org']);
      assert.match(mails[0]!.subject, /Poprawki do zgłoszenia/, 'in the journal’s language (the editor chose none)');
    });

    it('lets a manager reword a decision mail in the template editor; the decision uses it', async () => {
      const manager = await signedInAs(t.app, db, { email: 'manager@example.org', role: 'manager', journalId: 1 });
      const list = await manager.get('/sm/management/mail-templates');
      assert.equal(list.statusCode, 200);
      assert.match(visibleText(list.body), /Decision: accepted/);
      const edit = await manager.get('/sm/management/mail-templates/decision-accept/pl');
      assert.equal(edit.statusCode, 200);
      assert.match(visibleText(edit.body), /\{\{reviews\}\}/, 'the variables are listed');
      const saved = await manager.post('/sm/management/mail-templates/decision-accept/pl', { subject: 'Przyjęte: {{title}}', body: 'Szanowni Państwo,\n\n{{message}}{{reviews}}{{journalName}}' });
      assert.equal(saved.statusCode, 303, saved.body);
      await recordDecision(db, { journalId: 1, submissionId, decision: 'accept', editorId: ids.editor!, recommendOnly: false, message: 'Gratulacje.', sharedReviewIds: [ids.annaReview!], now: new Date() });
      await runJobs();
      const [mail] = smtp.received.splice(0).filter((m) => m.envelopeTo.includes('author@example.org'));
      assert.equal(mail!.subject, 'Przyjęte: Rivers of the north');
      assert.match(mail!.text, /^Szanowni Państwo,\s+Gratulacje\.\s+Uwagi recenzentów:\s+Recenzent A:\s+Comments for the author by anna\./);
      assert.doesNotMatch(mail!.text, /Kowalska/);
    });
  });
}
