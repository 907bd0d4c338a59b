import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Kysely } from 'kysely';
import { PDFDocument } from 'pdf-lib';
import type { Database } from '../../db/index.ts';
import { redactSecretsInUrl } from '../../platform/http/logging.ts';
import type { FileStore } from '../../storage/index.ts';
import { startTestApp, visibleText, type TestApp } from '../../../test/support/app.ts';
import { testDatabases } from '../../../test/support/databases.ts';
import { manualClock, Session, signedInAs } from '../../../test/support/session.ts';
import { addSubmissionFile, changeSubmissionContributors, createDraft, saveSubmissionDetails, submitSubmission } from '../commands/submissions.ts';
import { answerReviewRequest, findReview, linkExpiry, recordDecision, requestReview, reviewForm, reviewLinkSecret, signReviewLink, type LinkPurpose } from '../review/index.ts';
import type { Anonymity } from '../../db/schema.ts';

/** A real one-page PDF (its anonymised copy is made from it), with an author in its metadata. */
const manuscript = await PDFDocument.create();
manuscript.addPage();
manuscript.setAuthor('Zofia Wiśniewska');
const PDF = Buffer.from(await manuscript.save());

/** What must never reach a reviewer in double-anonymous mode: the authors' names, addresses and affiliations, and the uploaded file's name. */
const AUTHOR_TRACES = ['Zofia', 'Wiśniewska', 'author@example.org', 'Karol', 'Kowalczyk', 'karol.k@uni.example', 'Tatra Mountains Institute', 'Wisniewska-manuscript'];

for (const database of await testDatabases()) {
  describe(`the reviewer's pages on ${database.name}`, () => {
    let t: TestApp;
    let db: Kysely<Database>;
    let files: FileStore;
    let journalId: number;
    let sectionId: number;
    let editorId: number;
    const clock = manualClock(new Date());
    const s: Record<string, Session> = {};
    const ids: Record<string, number> = {};
    let n = 0;

    const userId = async (email: string) => (await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;

    /** A signed-in reviewer of the journal. */
    async function reviewer(name: string): Promise<{ session: Session; id: number }> {
      const session = await signedInAs(t.app, db, { email: `${name}@example.org`, role: 'reviewer', journalId });
      return { session, id: await userId(`${name}@example.org`) };
    }

    /** A submission by the author, sent to review with its one file. */
    async function inReview(title: string): Promise<number> {
      const now = clock.now();
      const id = await createDraft(db, { journalId, userId: ids.author!, sectionId, locale: 'en', commentsForEditor: '', checklistConfirmed: true, agreementsAccepted: true, now });
      const stored = await files.put(PDF);
      const fileId = await addSubmissionFile(db, { journalId, submissionId: id, userId: ids.author!, kind: 'article', upload: { storageKey: stored.key, sizeBytes: stored.sizeBytes, sha256: stored.sha256, mimeType: 'application/pdf', originalName: 'Wisniewska-manuscript.pdf' }, now });
      await saveSubmissionDetails(db, journalId, id, ids.author!, { prefix: {}, title: { en: title }, subtitle: {}, abstract: { en: `<p>Abstract of ${title}.</p>` }, keywords: { en: ['lakes'] } }, now);
      await changeSubmissionContributors(
        db,
        journalId,
        id,
        ids.author!,
        { op: 'add', fields: { givenName: { en: 'Karol' }, familyName: { en: 'Kowalczyk' }, email: 'karol.k@uni.example', orcid: null, affiliations: [{ name: { en: 'Tatra Mountains Institute' } }], isPrimaryContact: false, includeInBrowse: true } },
        now,
      );
      await submitSubmission(db, journalId, id, ids.author!, now);
      await recordDecision(db, { journalId, submissionId: id, decision: 'send-to-review', editorId, recommendOnly: false, fileIds: [fileId], now });
      return id;
    }

    const ask = (submissionId: number, reviewerId: number, options: { anonymity?: Anonymity; responseDue?: Date } = {}) =>
      requestReview(db, { journalId, submissionId, reviewer: { userId: reviewerId }, requestedBy: editorId, message: 'Dear colleague, your view would help us a lot.', now: clock.now(), ...options });

    async function link(reviewId: number, purpose: LinkPurpose): Promise<{ url: string; token: string }> {
      const review = (await findReview(db, journalId, reviewId))!;
      const token = signReviewLink(await reviewLinkSecret(db), { reviewId, purpose, expiresAt: linkExpiry(review.responseDue), nonce: review.linkNonce });
      return { url: `/sm/reviewer/respond/${purpose}?token=${encodeURIComponent(token)}`, token };
    }

    const statusOf = async (reviewId: number) => (await findReview(db, journalId, reviewId))!.status;
    const accept = (reviewId: number, id: number) => answerReviewRequest(db, { journalId, reviewId, accept: true, by: { kind: 'user', userId: id }, now: clock.now() });

    /** Answers for every required question of the review's form (the demo journal's default form, when it has one). */
    async function requiredAnswers(reviewId: number): Promise<Record<string, string>> {
      const review = (await findReview(db, journalId, reviewId))!;
      const form = review.reviewFormId === null ? undefined : await reviewForm(db, journalId, review.reviewFormId);
      const out: Record<string, string> = {};
      for (const e of form?.elements ?? []) if (e.required) out[`answer-${e.id}`] = e.kind === 'short-text' || e.kind === 'long-text' ? 'A considered answer.' : '0';
      return out;
    }

    before(async () => {
      t = await startTestApp(database, { clock });
      db = t.database.db;
      files = t.files;
      journalId = (await db.selectFrom('journals').select('id').where('path', '=', 'sm').executeTakeFirstOrThrow()).id;
      sectionId = (await db.selectFrom('sections').select('id').where('journal_id', '=', journalId).orderBy('id').executeTakeFirstOrThrow()).id;
      for (const [name, role] of [['editor', 'editor'], ['author', 'author'], ['stranger', 'reader']] as const) {
        s[name] = await signedInAs(t.app, db, { email: `${name}@example.org`, role, journalId });
        ids[name] = await userId(`${name}@example.org`);
      }
      editorId = ids.editor!;
      await db.updateTable('users').set({ given_name: JSON.stringify({ en: 'Zofia' }), family_name: JSON.stringify({ en: 'Wiśniewska' }) }).where('id', '=', ids.author!).execute();
    });
    after(() => t.close());

    it('shows the request behind a mail link without answering it; the POST answers once; other links are refused with a page saying what to do', async () => {
      const submissionId = await inReview(`Glacial lakes ${++n}`);
      const rita = await reviewer('rita');
      const reviewId = await ask(submissionId, rita.id);
      const visitor = new Session(t.app, { 'accept-language': 'en' });
      const { url, token } = await link(reviewId, 'accept');

      const page = await visitor.get(url);
      assert.equal(page.statusCode, 200);
      assert.equal(page.headers['referrer-policy'], 'no-referrer');
      assert.equal(page.headers['cache-control'], 'private, no-store');
      const text = visibleText(page.body);
      assert.match(text, new RegExp(`Glacial lakes ${n}`));
      assert.match(text, /Abstract of Glacial lakes/);
      assert.match(text, /Dear colleague, your view would help us a lot\./);
      assert.match(text, /Accept the request/);
      for (const trace of AUTHOR_TRACES) assert.ok(!page.body.includes(trace), `the request page names ${trace}`);
      assert.equal(await statusOf(reviewId), 'requested', 'opening the link answers nothing');
      assert.ok(!redactSecretsInUrl(url).includes(encodeURIComponent(token)), 'the request log does not keep the token');

      // Not signed in: accepted, then asked to sign in and sent on to the review.
      const answered = await visitor.post('/sm/reviewer/respond/accept', { token });
      assert.equal(answered.statusCode, 303);
      const location = String(answered.headers.location);
      assert.match(location, /^\/sm\/login\?source=.*&notice=review-accepted$/);
      assert.equal(decodeURIComponent(/source=([^&]+)/.exec(location)![1]!), `/sm/reviewer/review/${reviewId}`);
      assert.equal(await statusOf(reviewId), 'accepted');
      assert.match(visibleText((await visitor.get(location)).body), /Thank you for accepting the review request\. Sign in/);

      const again = await visitor.get(url);
      assert.equal(again.statusCode, 409);
      assert.match(visibleText(again.body), /already been answered/);
      assert.equal((await visitor.post('/sm/reviewer/respond/accept', { token })).statusCode, 409, 'the same link cannot answer twice');

      // A decline link cannot accept, an accept link cannot decline, and a changed one opens nothing.
      const other = await ask(await inReview(`Glacial lakes ${++n}`), rita.id);
      const decline = await link(other, 'decline');
      const swapped = await visitor.get(`/sm/reviewer/respond/accept?token=${encodeURIComponent(decline.token)}`);
      assert.equal(swapped.statusCode, 403);
      assert.match(visibleText(swapped.body), /not valid.*contact the journal’s editor/);
      assert.equal((await visitor.post('/sm/reviewer/respond/accept', { token: decline.token })).statusCode, 403);
      const tampered = decline.token.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
      assert.equal((await visitor.get(`/sm/reviewer/respond/decline?token=${encodeURIComponent(tampered)}`)).statusCode, 403);
      const forged = decline.token.replace(/^\d+/, String(reviewId));
      assert.equal((await visitor.get(`/sm/reviewer/respond/decline?token=${encodeURIComponent(forged)}`)).statusCode, 403);
      assert.equal((await visitor.get('/sm/reviewer/respond/decline')).statusCode, 403);
      assert.equal(await statusOf(other), 'requested');

      // Declined with a reason: thanks, and the link is spent.
      await visitor.get(decline.url);
      const declined = await visitor.post('/sm/reviewer/respond/decline', { token: decline.token, declineReason: 'Travelling until spring.' });
      assert.equal(declined.statusCode, 303);
      assert.equal(declined.headers.location, '/sm/reviewer/respond/done?answer=declined');
      assert.match(visibleText((await visitor.get(String(declined.headers.location))).body), /You have declined the request/);
      const row = (await findReview(db, journalId, other))!;
      assert.equal(row.status, 'declined');
      assert.equal(row.declineReason, 'Travelling until spring.');
      assert.equal((await visitor.get(decline.url)).statusCode, 409);

      // Signed in as the reviewer: straight to the review page.
      const third = await ask(await inReview(`Glacial lakes ${++n}`), rita.id);
      const { token: thirdToken, url: thirdUrl } = await link(third, 'accept');
      await rita.session.get(thirdUrl);
      const direct = await rita.session.post('/sm/reviewer/respond/accept', { token: thirdToken });
      assert.equal(direct.statusCode, 303);
      assert.equal(direct.headers.location, `/sm/reviewer/review/${third}?notice=accepted`);
    });

    it('makes the account of someone asked without one when they accept, and signs them in', async () => {
      const submissionId = await inReview(`Glacial lakes ${++n}`);
      const reviewId = await requestReview(db, { journalId, submissionId, reviewer: { newReviewer: { email: 'nora.nowak@example.org', givenName: { en: 'Nora' }, familyName: { en: 'Nowak' }, locale: 'en' } }, requestedBy: editorId, now: clock.now() });
      const visitor = new Session(t.app, { 'accept-language': 'en' });
      const { url, token } = await link(reviewId, 'accept');
      const page = await visitor.get(url);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /name="givenName"[^>]*value="Nora"|value="Nora"[^>]*name="givenName"/);
      assert.match(visibleText(page.body), /makes one for nora\.nowak@example\.org/);

      const refused = await visitor.post('/sm/reviewer/respond/accept', { token, givenName: 'Nora', familyName: 'Nowak', password: 'short', password2: 'short' });
      assert.equal(refused.statusCode, 400);
      assert.match(refused.body, /value="Nowak"/, 'nothing typed is lost');
      assert.match(refused.body, /privacyConsent/);
      assert.equal(await statusOf(reviewId), 'requested');

      const accepted = await visitor.post('/sm/reviewer/respond/accept', { token, givenName: 'Nora', familyName: 'Nowak', password: 'a long enough password', password2: 'a long enough password', privacyConsent: 'on' });
      assert.equal(accepted.statusCode, 303);
      assert.equal(accepted.headers.location, `/sm/reviewer/review/${reviewId}?notice=welcome`);
      const review = (await findReview(db, journalId, reviewId))!;
      assert.equal(review.status, 'accepted');
      assert.equal(review.reviewerId, await userId('nora.nowak@example.org'));
      const welcome = await visitor.get(String(accepted.headers.location));
      assert.equal(welcome.statusCode, 200, 'signed in as the new account');
      assert.match(visibleText(welcome.body), /Your account is ready and you are signed in/);
      assert.match(welcome.body, /href="\/sm\/dashboard\/reviewAssignments">My reviews</);
      const fresh = new Session(t.app, { 'accept-language': 'en' });
      await fresh.signIn('nora.nowak@example.org', 'a long enough password');
    });

    it('lists the reviewer’s requests to answer, reviews in progress and completed ones, and the declined last; answers from there', async () => {
      const vera = await reviewer('vera');
      const [a, b, c, d] = [await inReview('To answer'), await inReview('Under way'), await inReview('Sent already'), await inReview('Said no')];
      const toAnswer = await ask(a, vera.id);
      const underWay = await ask(b, vera.id, { anonymity: 'open' });
      await accept(underWay, vera.id);
      const done = await ask(c, vera.id);
      await accept(done, vera.id);
      await db.updateTable('review_assignments').set({ status: 'submitted', submitted_at: clock.now(), recommendation: 'accept' }).where('id', '=', done).execute();
      const no = await ask(d, vera.id);
      await answerReviewRequest(db, { journalId, reviewId: no, accept: false, by: { kind: 'user', userId: vera.id }, now: clock.now() });

      const page = await vera.session.get('/sm/dashboard/reviewAssignments');
      assert.equal(page.statusCode, 200);
      const html = page.body;
      const at = (label: string) => html.indexOf(label);
      assert.ok(at('Requests to answer') < at('To answer') && at('To answer') < at('Reviews in progress'));
      assert.ok(at('Reviews in progress') < at('Under way') && at('Under way') < at('Completed reviews'));
      assert.ok(at('Completed reviews') < at('Sent already') && at('Sent already') < at('<details'));
      assert.ok(at('<details') < at('Said no'), 'declined requests come last, folded');
      assert.match(html, new RegExp(`action="/sm/reviewer/review/${toAnswer}/accept"`));
      assert.match(html, new RegExp(`href="/sm/reviewer/review/${toAnswer}/decline"`));
      assert.match(html, /href="\/sm\/dashboard\/reviewAssignments">My reviews</);
      assert.doesNotMatch((await s.stranger!.get('/sm/dashboard/reviewAssignments')).body, /href="\/sm\/dashboard\/reviewAssignments"/, 'no "My reviews" for someone who does not review');
      for (const trace of AUTHOR_TRACES) assert.ok(!html.includes(trace), `the dashboard names ${trace}`);

      // Late: said in words once the review date has passed.
      assert.doesNotMatch(visibleText(html), /overdue/);
      await db.updateTable('review_assignments').set({ review_due: new Date(clock.now().getTime() - 86_400_000) }).where('id', '=', underWay).execute();
      assert.match(visibleText((await vera.session.get('/sm/dashboard/reviewAssignments')).body), /Review overdue/);

      // Declining from the dashboard asks for a reason first; accepting is one button.
      const declinePage = await vera.session.get(`/sm/reviewer/review/${toAnswer}/decline`);
      assert.equal(declinePage.statusCode, 200);
      assert.match(visibleText(declinePage.body), /Decline this review request\?/);
      assert.equal((await s.stranger!.post(`/sm/reviewer/review/${toAnswer}/accept`)).statusCode, 404, 'nobody answers another’s request');
      const accepted = await vera.session.post(`/sm/reviewer/review/${toAnswer}/accept`);
      assert.equal(accepted.statusCode, 303);
      assert.equal(accepted.headers.location, `/sm/reviewer/review/${toAnswer}?notice=accepted`);
      assert.equal(await statusOf(toAnswer), 'accepted');

      const e = await ask(await inReview('Declined signed in'), vera.id);
      await vera.session.get(`/sm/reviewer/review/${e}/decline`);
      const declined = await vera.session.post(`/sm/reviewer/review/${e}/decline`, { declineReason: 'Conflict of interest.' });
      assert.equal(declined.statusCode, 303);
      assert.equal(declined.headers.location, '/sm/dashboard/reviewAssignments?notice=declined');
      assert.equal((await findReview(db, journalId, e))!.declineReason, 'Conflict of interest.');
    });

    it('keeps the draft, sends the review only with a recommendation and the required answers, then shows it read-only', async () => {
      const olga = await reviewer('olga');
      const submissionId = await inReview('Review me');
      const reviewId = await ask(submissionId, olga.id);
      await accept(reviewId, olga.id);
      const href = `/sm/reviewer/review/${reviewId}`;

      const page = await olga.session.get(href);
      assert.equal(page.statusCode, 200);
      const shown = new RegExp(`href="(${href}/files/\\d+)"[^>]*>(submission-${submissionId}-round-1-[a-z-]+\\.pdf)<`).exec(page.body);
      assert.ok(shown, 'the file is listed under a name that names no one');
      const download = await olga.session.get(shown[1]!);
      assert.equal(download.statusCode, 200);
      assert.match(String(download.headers['content-disposition']), new RegExp(`filename="${shown[2]!.replace(/\./g, '\\.')}"`), 'downloaded under the name the page shows');
      assert.match(page.body, /<select[^>]*name="recommendation"/);
      for (const trace of AUTHOR_TRACES) assert.ok(!page.body.includes(trace), `the review page names ${trace}`);

      const saved = await olga.session.postMultipart(href, { action: 'save', recommendation: '', commentsForAuthor: 'The method is sound.', commentsForEditor: 'Fine work.', competingInterests: '' });
      assert.equal(saved.statusCode, 303);
      assert.equal(saved.headers.location, `${href}?notice=saved`);
      const reread = await olga.session.get(String(saved.headers.location));
      assert.match(reread.body, /The method is sound\./);
      assert.match(visibleText(reread.body), /Your draft has been saved/);

      // Sending without a recommendation: refused next to the field, the text kept, the draft saved.
      const noRecommendation = await olga.session.postMultipart(href, { action: 'submit', recommendation: '', commentsForAuthor: 'The method is sound, the data too.', commentsForEditor: 'Fine work.' });
      assert.equal(noRecommendation.statusCode, 422);
      assert.match(noRecommendation.body, /id="field-recommendation-error"[^>]*>\s*Choose a recommendation/);
      assert.match(noRecommendation.body, /The method is sound, the data too\./);
      assert.equal((await findReview(db, journalId, reviewId))!.commentsForAuthor, 'The method is sound, the data too.');

      // The round's form (the demo journal's default one) asks required questions: sending waits for their answers.
      const answers = await requiredAnswers(reviewId);
      const first = Object.keys(answers)[0];
      assert.ok(first, 'the review has a form with required questions');
      assert.match(page.body, new RegExp(`name="${first}"`));
      const unanswered = await olga.session.postMultipart(href, { action: 'submit', recommendation: 'minor-revisions', commentsForAuthor: 'The method is sound.' });
      assert.equal(unanswered.statusCode, 422);
      assert.match(unanswered.body, new RegExp(`id="field-${first}-error"[^>]*>\\s*Answer this question`));
      assert.match(unanswered.body, /<option value="minor-revisions" selected/, 'the recommendation chosen stays chosen');

      // A file with the draft; removed after a confirmation.
      const withFile = await olga.session.postMultipart(href, { action: 'save', recommendation: 'minor-revisions', commentsForAuthor: 'The method is sound.', commentsForEditor: '', ...answers }, { file: { name: 'annotated.pdf', type: 'application/pdf', content: PDF } });
      assert.equal(withFile.statusCode, 303);
      assert.equal(withFile.headers.location, `${href}?notice=attached`);
      const attachmentId = Number(/\/attachments\/(\d+)"/.exec((await olga.session.get(href)).body)?.[1]);
      const own = await olga.session.get(`${href}/attachments/${attachmentId}`);
      assert.equal(own.statusCode, 200);
      assert.equal(own.headers['content-type'], 'application/pdf');
      const confirm = await olga.session.get(`${href}/attachments/${attachmentId}/remove`);
      assert.equal(confirm.statusCode, 200);
      assert.match(visibleText(confirm.body), /Remove the file “annotated\.pdf” from your review\?/);
      assert.equal((await olga.session.post(`${href}/attachments/${attachmentId}/remove`)).statusCode, 303);
      assert.equal((await db.selectFrom('review_attachments').select('id').where('review_assignment_id', '=', reviewId).execute()).length, 0);

      // Submit: the confirmation first, then sent.
      const toConfirm = await olga.session.postMultipart(href, { action: 'submit', recommendation: 'minor-revisions', commentsForAuthor: 'The method is sound.', commentsForEditor: 'Fine work.', ...answers });
      assert.equal(toConfirm.statusCode, 303);
      assert.equal(toConfirm.headers.location, `${href}/submit`);
      const confirmation = await olga.session.get(`${href}/submit`);
      assert.match(visibleText(confirmation.body), /Once sent, the review cannot be changed\./);
      assert.equal(await statusOf(reviewId), 'accepted');
      const sent = await olga.session.post(`${href}/submit`);
      assert.equal(sent.statusCode, 303);
      assert.equal(sent.headers.location, `${href}?notice=submitted`);
      const review = (await findReview(db, journalId, reviewId))!;
      assert.equal(review.status, 'submitted');
      assert.equal(review.recommendation, 'minor-revisions');

      const readOnly = await olga.session.get(href);
      assert.equal(readOnly.statusCode, 200);
      assert.match(visibleText(readOnly.body), /Thank you for your review/);
      assert.doesNotMatch(readOnly.body, /<textarea/);
      assert.match(visibleText(readOnly.body), /Minor revisions required/);
      assert.match(visibleText(readOnly.body), /The method is sound\./);
      if (Object.values(answers).includes('A considered answer.')) assert.match(visibleText(readOnly.body), /A considered answer\./);
      assert.equal((await olga.session.postMultipart(href, { action: 'save', commentsForAuthor: 'Changed my mind.' })).statusCode, 403);
      assert.equal((await olga.session.post(`${href}/submit`)).statusCode, 403);
      assert.equal((await findReview(db, journalId, reviewId))!.commentsForAuthor, 'The method is sound.');
    });

    it('shows a review to its reviewer only: another reviewer, the author and a stranger get a 404, a visitor the sign-in page', async () => {
      const paul = await reviewer('paul');
      const quinn = await reviewer('quinn');
      const submissionId = await inReview('Private review');
      const reviewId = await ask(submissionId, paul.id);
      await accept(reviewId, paul.id);
      await ask(submissionId, quinn.id);
      const href = `/sm/reviewer/review/${reviewId}`;
      assert.equal((await paul.session.get(href)).statusCode, 200);
      for (const who of [quinn.session, s.author!, s.stranger!]) {
        assert.equal((await who.get(href)).statusCode, 404);
        assert.equal((await who.get(`${href}/submit`)).statusCode, 404);
        assert.equal((await who.postMultipart(href, { action: 'save', commentsForAuthor: 'Not mine.' })).statusCode, 404);
      }
      const visitor = await new Session(t.app).get(href);
      assert.equal(visitor.statusCode, 303);
      assert.match(String(visitor.headers.location), /^\/sm\/login\?source=/);
      assert.equal((await findReview(db, journalId, reviewId))!.commentsForAuthor, '');
    });

    it('names the authors to the reviewer in open review, never in double-anonymous review', async () => {
      const uma = await reviewer('uma');
      const hidden = await ask(await inReview('Anonymous one'), uma.id);
      const open = await ask(await inReview('Open one'), uma.id, { anonymity: 'open' });
      const openLink = await link(open, 'accept');
      const openRequest = visibleText((await new Session(t.app, { 'accept-language': 'en' }).get(openLink.url)).body);
      assert.match(openRequest, /Zofia Wiśniewska/);
      await accept(hidden, uma.id);
      await accept(open, uma.id);
      const hiddenPage = await uma.session.get(`/sm/reviewer/review/${hidden}`);
      for (const trace of AUTHOR_TRACES) assert.ok(!hiddenPage.body.includes(trace), `the double-anonymous review page names ${trace}`);
      const openPage = visibleText((await uma.session.get(`/sm/reviewer/review/${open}`)).body);
      assert.match(openPage, /Karol Kowalczyk \(Tatra Mountains Institute\)/);
      assert.match(openPage, /Open: the authors learn who reviewed/);
    });

    it('refuses an expired link with 410', async () => {
      const walt = await reviewer('walt');
      const reviewId = await ask(await inReview('Too late'), walt.id, { responseDue: new Date(clock.now().getTime() + 3600_000) });
      const { url, token } = await link(reviewId, 'accept');
      clock.advance(15 * 86_400_000);
      const visitor = new Session(t.app, { 'accept-language': 'en' });
      const expired = await visitor.get(url);
      assert.equal(expired.statusCode, 410);
      assert.match(visibleText(expired.body), /This link has expired\. If you would still like to answer, contact the journal’s editor/);
      await visitor.get('/sm/login');
      assert.equal((await visitor.post('/sm/reviewer/respond/accept', { token })).statusCode, 410);
      assert.equal(await statusOf(reviewId), 'requested');
    });
  });
}
