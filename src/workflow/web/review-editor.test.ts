import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Kysely } from 'kysely';
import { createJournal, createSection } from '../../catalog/index.ts';
import type { Database } from '../../db/index.ts';
import type { FileStore } from '../../storage/index.ts';
import { startTestApp, visibleText, type TestApp } from '../../../test/support/app.ts';
import { testDatabases } from '../../../test/support/databases.ts';
import { Session, signedInAs } from '../../../test/support/session.ts';
import { addSubmissionFile, createDraft, saveSubmissionDetails, submitSubmission } from '../index.ts';
import { addReviewAttachment, answerReviewRequest, saveReview, uploadRevision } from '../review/index.ts';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const PDF2 = Buffer.from('%PDF-1.4\n% revised\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

async function stored(files: FileStore, bytes: Buffer, name: string) {
  const s = await files.put(bytes);
  return { storageKey: s.key, sizeBytes: s.sizeBytes, sha256: s.sha256, mimeType: 'application/pdf', originalName: name };
}

const userId = async (db: Kysely<Database>, email: string) => (await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
const named = (db: Kysely<Database>, id: number, given: string, family: string) =>
  db.updateTable('users').set({ given_name: JSON.stringify({ en: given }), family_name: JSON.stringify({ en: family }) }).where('id', '=', id).execute();

/** The form's hidden state token on a decision page. */
const stateOn = (html: string) => /name="state" value="([^"]*)"/.exec(html)?.[1] ?? '';
const day = (offsetDays: number) => new Date(Date.now() + offsetDays * 86400_000).toISOString().slice(0, 10);

for (const database of await testDatabases()) {
  describe(`editors' review pages on ${database.name}`, () => {
    let t: TestApp;
    let db: Kysely<Database>;
    let journalId: number;
    let sectionA: number;
    let submissionId: number;
    let base: string;
    const s: Record<string, Session> = {};
    const ids: Record<string, number> = {};
    const reviewIds: Record<string, number> = {};

    before(async () => {
      t = await startTestApp(database);
      db = t.database.db;
      journalId = (await db.selectFrom('journals').select('id').where('path', '=', 'sm').executeTakeFirstOrThrow()).id;
      sectionA = (await db.selectFrom('sections').select('id').where('journal_id', '=', journalId).orderBy('id').executeTakeFirstOrThrow()).id;
      const sectionB = await createSection(db, { journalId, title: { en: 'Essays' } });
      const otherJournal = await createJournal(db, { path: 'elsewhere', name: { en: 'Elsewhere' }, primaryLocale: 'en', supportedLocales: ['en'] });
      const people = [
        ['editor', 'editor', journalId],
        ['sectionEditor', 'section-editor', journalId],
        ['otherSectionEditor', 'section-editor', journalId],
        ['author', 'author', journalId],
        ['reviewer', 'reviewer', journalId],
        ['reviewer2', 'reviewer', journalId],
        ['foreignEditor', 'editor', otherJournal],
      ] as const;
      for (const [name, role, journal] of people) {
        s[name] = await signedInAs(t.app, db, { email: `${name}@example.org`, role, journalId: journal });
        ids[name] = await userId(db, `${name}@example.org`);
      }
      await named(db, ids.reviewer!, 'Rita', 'Recenzentka');
      await named(db, ids.author!, 'Zofia', 'Wiśniewska');
      await named(db, ids.sectionEditor!, 'Sebastian', 'Sekcyjny');
      await db.insertInto('section_editor_sections').values([{ user_id: ids.sectionEditor!, section_id: sectionA }, { user_id: ids.otherSectionEditor!, section_id: sectionB }]).execute();
      const now = new Date();
      submissionId = await createDraft(db, { journalId, userId: ids.author!, sectionId: sectionA, locale: 'en', commentsForEditor: '', checklistConfirmed: true, agreementsAccepted: true, now });
      await addSubmissionFile(db, { journalId, submissionId, userId: ids.author!, kind: 'article', upload: await stored(t.files, PDF, 'manuscript.pdf'), now });
      await saveSubmissionDetails(db, journalId, submissionId, ids.author!, { prefix: {}, title: { en: 'Glacial lakes of the Tatra' }, subtitle: {}, abstract: { en: 'An abstract.' }, keywords: {} }, now);
      await submitSubmission(db, journalId, submissionId, ids.author!, now);
      // Reviewer 2 shares an author's affiliation: reviewer search says so.
      const publicationId = (await db.selectFrom('articles').select('current_publication_id').where('id', '=', submissionId).executeTakeFirstOrThrow()).current_publication_id!;
      await db.insertInto('contributors').values({ publication_id: publicationId, given_name: JSON.stringify({ en: 'Piotr' }), family_name: JSON.stringify({ en: 'Zieliński' }), affiliation: JSON.stringify({ en: 'Uniwersytet Łódzki' }), seq: 5 }).execute();
      await db.updateTable('users').set({ affiliation: JSON.stringify({ en: 'Uniwersytet Łódzki' }) }).where('id', '=', ids.reviewer2!).execute();
      // The section editor works on it, limited to recommending.
      await db.insertInto('submission_participants').values({ submission_id: submissionId, user_id: ids.sectionEditor!, role: 'section-editor', recommend_only: true, created_at: now }).execute();
      base = `/sm/workflow/index/${submissionId}`;
    });
    after(() => t.close());

    it('offers the submission stage’s decisions to the deciding editor, recommendations to a recommending section editor, nothing to the author', async () => {
      const page = visibleText((await s.editor!.get(base)).body);
      assert.match(page, /Review The submission has not been sent to review\./);
      for (const label of ['Send to review', 'Accept (skip review)', 'Decline without review']) assert.ok(page.includes(label), label);
      const recommender = await s.sectionEditor!.get(base);
      assert.equal(recommender.statusCode, 200);
      assert.match(visibleText(recommender.body), /Recommend accepting/);
      assert.doesNotMatch(recommender.body, /decision\/send-to-review/);
      const author = await s.author!.get(base);
      assert.equal(author.statusCode, 200);
      assert.doesNotMatch(author.body, /id="review"|decision\//);
      assert.equal((await s.sectionEditor!.get(`${base}/decision/send-to-review`)).statusCode, 403, 'a recommending editor does not decide');
      assert.equal((await s.editor!.get(`${base}/decision/recommend-accept`)).statusCode, 403, 'a deciding editor does not recommend');
      const early = await s.editor!.get(`${base}/review/request-new`);
      assert.equal(early.statusCode, 409, 'no reviewer before the submission is in review');
      assert.match(visibleText(early.body), /The submission is not in review\./);
    });

    it('sends to review with the chosen files, keeping the message when no file is chosen', async () => {
      const form = await s.editor!.get(`${base}/decision/send-to-review`);
      assert.equal(form.statusCode, 200);
      const fileId = Number(/name="fileIds" value="(\d+)" checked/.exec(form.body)?.[1]);
      assert.ok(fileId > 0, 'the submitted file is offered, chosen');
      const state = stateOn(form.body);
      const none = await s.editor!.post(`${base}/decision/send-to-review`, { state, message: 'Dear author, off it goes.', notifyAuthor: 'on' });
      assert.equal(none.statusCode, 422);
      assert.match(visibleText(none.body), /Choose at least one file\./);
      assert.match(none.body, /Dear author, off it goes\./);
      const sent = await s.editor!.post(`${base}/decision/send-to-review`, { state, message: 'Dear author, off it goes.', notifyAuthor: 'on', fileIds: String(fileId) });
      assert.equal(sent.statusCode, 303);
      assert.equal(sent.headers.location, `${base}?reviewNotice=decided#review`);
      const round = await db.selectFrom('review_rounds').selectAll().where('submission_id', '=', submissionId).executeTakeFirstOrThrow();
      assert.equal(round.round, 1);
      const files = await db.selectFrom('submission_files').select(['name', 'review_purpose']).where('review_round_id', '=', round.id).execute();
      assert.deepEqual(files, [{ name: 'manuscript.pdf', review_purpose: 'review-file' }]);
      const page = visibleText((await s.editor!.get(`${base}?reviewNotice=decided`)).body);
      assert.match(page, /The decision was recorded\./);
      assert.match(page, /Round 1: In review/);
      assert.match(page, /Files for review manuscript\.pdf/);
      assert.match(page, /Add a reviewer/);
      // The same form again, made before the decision: refused, the message kept.
      const stale = await s.editor!.post(`${base}/decision/send-to-review`, { state, message: 'A second time?', fileIds: String(fileId) });
      assert.equal(stale.statusCode, 409);
      assert.match(visibleText(stale.body), /cannot be taken at this point/);
      assert.match(stale.body, /A second time\?/);
    });

    it('asks a reviewer with an account, with dates, anonymity and a message; refuses asking them twice', async () => {
      const search = await s.editor!.get(`${base}/review/reviewers?q=reviewer2%40example.org`);
      assert.equal(search.statusCode, 200);
      assert.match(visibleText(search.body), /Same affiliation as an author/);
      const chosen = await s.editor!.post(`${base}/review/reviewers`, { reviewerId: String(ids.reviewer2) });
      assert.equal(chosen.statusCode, 303);
      assert.equal(chosen.headers.location, `${base}/review/request?reviewerId=${ids.reviewer2}`);
      const warned = await s.editor!.get(chosen.headers.location as string);
      assert.match(visibleText(warned.body), /Possible conflicts of interest: Same affiliation as an author/);
      const form = await s.editor!.get(`${base}/review/request?reviewerId=${ids.reviewer}`);
      assert.equal(form.statusCode, 200);
      const defaultForm = /<select id="field-reviewFormId"[\s\S]*?<option value="(\d+)" selected>/.exec(form.body)?.[1] ?? '';
      assert.ok(defaultForm, 'the round’s form is chosen');
      assert.match(visibleText(form.body), /Ask Rita Recenzentka to review/);
      assert.match(form.body, /<option value="double-anonymous" selected>/);
      const bad = await s.editor!.post(`${base}/review/request`, { reviewerId: String(ids.reviewer), responseDue: '2020-01-01', reviewDue: day(30), anonymity: 'anonymous-reviewer', reviewFormId: '', message: 'Would you?' });
      assert.equal(bad.statusCode, 422);
      assert.match(bad.body, /id="field-responseDue-error"/);
      assert.match(bad.body, /Would you\?/);
      const sent = await s.editor!.post(`${base}/review/request`, { reviewerId: String(ids.reviewer), responseDue: day(7), reviewDue: day(30), anonymity: 'anonymous-reviewer', reviewFormId: defaultForm, message: 'Would you?' });
      assert.equal(sent.statusCode, 303);
      const row = await db.selectFrom('review_assignments').selectAll().where('reviewer_id', '=', ids.reviewer!).executeTakeFirstOrThrow();
      reviewIds.reviewer = row.id;
      assert.equal(row.anonymity, 'anonymous-reviewer');
      assert.equal(row.request_message, 'Would you?');
      assert.equal(row.review_form_id, Number(defaultForm));
      assert.equal(row.review_due.toISOString().slice(0, 10), day(30));
      const twice = await s.editor!.post(`${base}/review/request`, { reviewerId: String(ids.reviewer), responseDue: day(7), reviewDue: day(30), anonymity: 'open', reviewFormId: '', message: '' });
      assert.equal(twice.statusCode, 409);
      assert.match(visibleText(twice.body), /already been asked/);
      assert.equal((await s.editor!.get(`${base}/review/request?reviewerId=${ids.author}`)).statusCode, 404, 'only the journal’s reviewers can be chosen');
    });

    it('invites a new reviewer by name and address: an invitation, no account yet', async () => {
      assert.equal((await s.editor!.get(`${base}/review/request-new`)).statusCode, 200);
      const invalid = await s.editor!.post(`${base}/review/request-new`, { givenName: 'Nowy', familyName: 'Recenzent', email: 'not an address', locale: 'pl', responseDue: day(7), reviewDue: day(30), anonymity: 'double-anonymous', reviewFormId: '', message: '' });
      assert.equal(invalid.statusCode, 422);
      assert.match(invalid.body, /id="field-email-error"/);
      assert.match(invalid.body, /value="Nowy"/);
      const sent = await s.editor!.post(`${base}/review/request-new`, { givenName: 'Nowy', familyName: 'Recenzent', email: 'nowy@example.org', locale: 'pl', responseDue: day(7), reviewDue: day(30), anonymity: 'double-anonymous', reviewFormId: '', message: '' });
      assert.equal(sent.statusCode, 303);
      const row = await db.selectFrom('review_assignments as r').innerJoin('invitations as i', 'i.id', 'r.invitation_id').select(['r.id', 'r.reviewer_id', 'i.email', 'i.locale']).executeTakeFirstOrThrow();
      assert.equal(row.reviewer_id, null);
      assert.equal(row.email, 'nowy@example.org');
      reviewIds.invited = row.id;
      assert.equal(await db.selectFrom('users').select('id').where('email', '=', 'nowy@example.org').executeTakeFirst(), undefined);
      const page = visibleText((await s.editor!.get(base)).body);
      assert.match(page, /Rita Recenzentka \(Reviewer A\)/);
      assert.match(page, /Nowy Recenzent \(Reviewer B\) No account yet/);
      assert.match(page, /Anonymous reviewer/);
    });

    it('changes dates, cancels and reinstates a request, reminds the reviewer', async () => {
      const href = `${base}/reviews/${reviewIds.reviewer}`;
      assert.equal((await s.editor!.get(`${href}/dates`)).statusCode, 200);
      const past = await s.editor!.post(`${href}/dates`, { responseDue: day(3), reviewDue: day(1) });
      assert.equal(past.statusCode, 422);
      assert.match(past.body, /id="field-reviewDue-error"/);
      const moved = await s.editor!.post(`${href}/dates`, { responseDue: day(10), reviewDue: day(40) });
      assert.equal(moved.statusCode, 303);
      const dates = await db.selectFrom('review_assignments').select(['response_due', 'review_due']).where('id', '=', reviewIds.reviewer!).executeTakeFirstOrThrow();
      assert.equal(dates.review_due.toISOString().slice(0, 10), day(40));
      const confirm = await s.editor!.get(`${href}/cancel`);
      assert.equal(confirm.statusCode, 200);
      assert.match(visibleText(confirm.body), /Cancel the review request to Rita Recenzentka \(Reviewer A\)\?/);
      assert.equal((await s.editor!.post(`${href}/cancel`)).statusCode, 303);
      assert.equal((await db.selectFrom('review_assignments').select('status').where('id', '=', reviewIds.reviewer!).executeTakeFirstOrThrow()).status, 'cancelled');
      assert.equal((await s.editor!.post(`${href}/remind`)).statusCode, 409, 'a cancelled request is not reminded');
      assert.equal((await s.editor!.get(`${href}/reinstate`)).statusCode, 200);
      assert.equal((await s.editor!.post(`${href}/reinstate`)).statusCode, 303);
      assert.equal((await db.selectFrom('review_assignments').select('status').where('id', '=', reviewIds.reviewer!).executeTakeFirstOrThrow()).status, 'requested');
      const reminded = await s.editor!.post(`${href}/remind`);
      assert.equal(reminded.statusCode, 303);
      assert.match(visibleText((await s.editor!.get(reminded.headers.location as string)).body), /A reminder is on its way\./);
    });

    it('shows a sent review to the editor and takes a rating', async () => {
      const now = new Date();
      await answerReviewRequest(db, { journalId, reviewId: reviewIds.reviewer!, accept: true, by: { kind: 'user', userId: ids.reviewer! }, now });
      const formId = (await db.selectFrom('review_assignments').select('review_form_id').where('id', '=', reviewIds.reviewer!).executeTakeFirstOrThrow()).review_form_id!;
      const questions = await db.selectFrom('review_form_elements').select(['id', 'kind']).where('review_form_id', '=', formId).execute();
      const answers = Object.fromEntries(questions.map((q) => [String(q.id), q.kind.endsWith('choice') ? '0' : 'Clear and well argued.']));
      const attachmentId = await addReviewAttachment(db, { journalId, reviewId: reviewIds.reviewer!, userId: ids.reviewer!, upload: await stored(t.files, PDF2, 'annotated.pdf'), now });
      await saveReview(db, { journalId, reviewId: reviewIds.reviewer!, userId: ids.reviewer!, recommendation: 'minor-revisions', commentsForAuthor: 'Tighten section 2.', commentsForEditor: 'Solid work.', answers, submit: true, now });
      const href = `${base}/reviews/${reviewIds.reviewer}`;
      const page = visibleText((await s.editor!.get(href)).body);
      assert.match(page, /Review by Rita Recenzentka, round 1/);
      assert.match(page, /Recommendation Minor revisions/);
      assert.match(page, /Comments for the author Tighten section 2\./);
      assert.match(page, /Comments for the editor Solid work\./);
      assert.match(page, /Review form .*Clear and well argued\./, 'the form’s answers, every one for editors');
      assert.match(page, /annotated\.pdf \(\d+ B\) — hidden from the author/);
      const download = await s.editor!.get(`${href}/attachments/${attachmentId}`);
      assert.equal(download.statusCode, 200);
      assert.match(String(download.headers['content-disposition']), /attachment; filename="annotated\.pdf"/);
      assert.equal((await s.author!.get(`${href}/attachments/${attachmentId}`)).statusCode, 403);
      assert.equal((await s.editor!.post(`${href}/attachments/${attachmentId}/share`, { visible: 'on' })).statusCode, 303);
      assert.equal((await db.selectFrom('review_attachments').select('visible_to_author').where('id', '=', attachmentId).executeTakeFirstOrThrow()).visible_to_author, true);
      assert.match(visibleText((await s.editor!.get(`${href}?notice=shared`)).body), /annotated\.pdf \(\d+ B\) — the author may see it/);
      const wrong = await s.editor!.post(`${href}/rate`, { rating: '9' });
      assert.equal(wrong.statusCode, 422);
      assert.equal((await s.editor!.post(`${href}/rate`, { rating: '4' })).statusCode, 303);
      assert.equal((await db.selectFrom('review_assignments').select('rating').where('id', '=', reviewIds.reviewer!).executeTakeFirstOrThrow()).rating, 4);
      assert.match(visibleText((await s.editor!.get(base)).body), /Minor revisions Rated 4 of 5/);
    });

    it('refuses decisions out of order or before the journal’s reviews are in, saying why and keeping the message', async () => {
      const early = await s.editor!.get(`${base}/decision/new-round`);
      assert.equal(early.statusCode, 409);
      assert.match(visibleText(early.body), /cannot be taken at this point/);
      await db.insertInto('review_settings').values({ journal_id: journalId, min_reviews: 2 }).execute();
      const form = await s.editor!.get(`${base}/decision/request-revisions`);
      const tooFew = await s.editor!.post(`${base}/decision/request-revisions`, { state: stateOn(form.body), message: 'Please revise.', sharedReviewIds: String(reviewIds.reviewer), notifyAuthor: 'on' });
      assert.equal(tooFew.statusCode, 409);
      assert.match(visibleText(tooFew.body), /at least 2 completed reviews/);
      assert.match(tooFew.body, /Please revise\./);
      await db.updateTable('review_settings').set({ min_reviews: 0 }).where('journal_id', '=', journalId).execute();
    });

    it('shows the recommending section editor’s recommendation to the deciding editor', async () => {
      const page = await s.sectionEditor!.get(base);
      assert.match(visibleText(page.body), /Recommend revisions/);
      assert.doesNotMatch(page.body, /decision\/request-revisions/);
      const form = await s.sectionEditor!.get(`${base}/decision/recommend-revisions`);
      assert.equal(form.statusCode, 200);
      assert.match(visibleText(form.body), /Message to the deciding editors/);
      const sent = await s.sectionEditor!.post(`${base}/decision/recommend-revisions`, { state: stateOn(form.body), message: 'I would ask for revisions.' });
      assert.equal(sent.statusCode, 303);
      const editorView = visibleText((await s.editor!.get(base)).body);
      assert.match(editorView, /Recommend revisions — Sebastian Sekcyjny/);
      assert.match(editorView, /I would ask for revisions\./);
    });

    it('requests revisions sharing a review, and opens round 2 with the author’s revision', async () => {
      // Another editor's form, opened before the decision below and sent after it.
      const declineForm = await s.editor!.get(`${base}/decision/decline`);
      const form = await s.editor!.get(`${base}/decision/request-revisions`);
      assert.match(visibleText(form.body), /Reviewer A — Minor revisions/);
      assert.match(visibleText(form.body), /Tighten section 2\./);
      const sent = await s.editor!.post(`${base}/decision/request-revisions`, { state: stateOn(form.body), message: 'Please revise.', sharedReviewIds: String(reviewIds.reviewer), notifyAuthor: 'on' });
      assert.equal(sent.statusCode, 303);
      const decision = await db.selectFrom('editorial_decisions').selectAll().where('decision', '=', 'request-revisions').executeTakeFirstOrThrow();
      assert.deepEqual(decision.shared_review_ids, [reviewIds.reviewer]);
      assert.equal(decision.message, 'Please revise.');
      const stale = await s.editor!.post(`${base}/decision/decline`, { state: stateOn(declineForm.body), message: 'We must decline.' });
      assert.equal(stale.statusCode, 409);
      assert.match(visibleText(stale.body), /The submission changed since this form was opened/);
      assert.match(stale.body, /We must decline\./);
      assert.equal((await db.selectFrom('submissions').select('status').where('id', '=', submissionId).executeTakeFirstOrThrow()).status, 'active');
      await uploadRevision(db, { journalId, submissionId, userId: ids.author!, kind: 'article', upload: await stored(t.files, PDF2, 'manuscript-revised.pdf'), now: new Date() });
      const round1 = visibleText((await s.editor!.get(base)).body);
      assert.match(round1, /Round 1: Revisions submitted/);
      assert.match(round1, /The author’s revisions manuscript-revised\.pdf/);
      const newRound = await s.editor!.get(`${base}/decision/new-round`);
      assert.equal(newRound.statusCode, 200);
      const revised = /name="fileIds" value="(\d+)" checked/.exec(newRound.body)?.[1];
      assert.ok(revised, 'the revision is chosen');
      assert.equal([...newRound.body.matchAll(/name="fileIds" value="\d+"/g)].length, 2, 'the earlier review file is offered too');
      assert.equal([...newRound.body.matchAll(/name="fileIds" value="\d+" checked/g)].length, 1, '…not chosen');
      assert.equal((await s.editor!.post(`${base}/decision/new-round`, { state: stateOn(newRound.body), message: '', fileIds: revised })).statusCode, 303);
      const round2 = visibleText((await s.editor!.get(base)).body);
      assert.match(round2, /Round 2: In review/);
      assert.match(round2, /Files for review manuscript-revised\.pdf/);
      assert.match(round2, /No reviewer has been asked in this round yet\./);
      const earlier = visibleText((await s.editor!.get(`${base}?round=1`)).body);
      assert.match(earlier, /Round 1: Revisions submitted/);
      assert.match(earlier, /Rita Recenzentka/);
      assert.doesNotMatch(earlier, /Add a reviewer/, 'an earlier round is history');
    });

    it('refuses every review page to the author, a reviewer, another journal’s editor and another section’s editor', async () => {
      const review = `${base}/reviews/${reviewIds.reviewer}`;
      const waiting = `${base}/reviews/${reviewIds.invited}`;
      const pages = [`${base}/decision/accept`, `${base}/review/reviewers`, `${base}/review/request?reviewerId=${ids.reviewer2}`, `${base}/review/request-new`, review, `${waiting}/dates`, `${waiting}/cancel`, `${review}/reinstate`, `${waiting}/remind`];
      for (const url of pages) {
        assert.equal((await s.editor!.get(url)).statusCode, 200, `editor: ${url}`);
        for (const who of ['author', 'reviewer', 'foreignEditor']) assert.equal((await s[who]!.get(url)).statusCode, 403, `${who}: ${url}`);
        assert.equal((await s.otherSectionEditor!.get(url)).statusCode, 404, `section editor of another section: ${url}`);
      }
      for (const url of [`${base}/decision/accept`, `${review}/cancel`, `${review}/rate`]) {
        await s.author!.get('/sm/user/profile');
        assert.equal((await s.author!.post(url, { state: 'x', rating: '5' })).statusCode, 403, `author POST ${url}`);
      }
      assert.equal((await db.selectFrom('review_assignments').select('status').where('id', '=', reviewIds.reviewer!).executeTakeFirstOrThrow()).status, 'submitted');
    });
  });
}
