import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Kysely } from 'kysely';
import { assignRole, insertUser } from '../../accounts/index.ts';
import type { Database, DatabaseHandle, RoleName } from '../../db/index.ts';
import { DEMO_JOURNAL_PATH, initialiseSite } from '../../demo/index.ts';
import { formatLongDate } from '../../i18n/index.ts';
import { createMailer, type Mailer } from '../../mail/index.ts';
import { createSubscriptions } from '../../platform/events/index.ts';
import { runJobsUntilIdle } from '../../platform/jobs/index.ts';
import { testDatabases } from '../../../test/support/databases.ts';
import { startSmtpListener, type ReceivedMail } from '../../../test/support/smtp.ts';
import { assignParticipant } from '../commands/participants.ts';
import { addSubmissionFile, createDraft, saveSubmissionDetails, submitSubmission } from '../commands/submissions.ts';
import { submissionFiles } from '../queries.ts';
import { recordDecision, uploadRevision } from './commands/decisions.ts';
import { answerReviewRequest, cancelReview, changeReviewDates, reinstateReview, requestReview } from './commands/requests.ts';
import { saveReview } from './commands/reviews.ts';
import { readReviewLink, reviewLinkSecret, type LinkPurpose } from './links.ts';
import { subscribeReviewMail } from './mail.ts';
import { findReview } from './queries.ts';
import { reviewReminderJobs } from './reminder-job.ts';

const BASE = 'https://journals.example.org';
const HOUR = 3600_000;
const DAY = 24 * HOUR;
// The mails' own jobs are queued at the real time: the controlled clock starts after it and only moves on.
const T = new Date(Math.ceil(Date.now() / HOUR) * HOUR + HOUR);

/** The token of a request mail's accept or decline link. */
function tokenIn(mail: ReceivedMail, purpose: LinkPurpose): string {
  const match = new RegExp(`${BASE}/${DEMO_JOURNAL_PATH}/reviewer/respond/${purpose}\\?token=(\\S+)`).exec(mail.text);
  assert.ok(match, `a ${purpose} link in “${mail.subject}”`);
  return decodeURIComponent(match[1]!);
}

for (const database of await testDatabases()) {
  describe(`review mails and reminders on ${database.name}`, () => {
    let handle: DatabaseHandle;
    let db: Kysely<Database>;
    let smtp: Awaited<ReturnType<typeof startSmtpListener>>;
    let mailer: Mailer;
    let journalId: number;
    let sectionId: number;
    let submissionId: number;
    const people: Record<string, number> = {};
    const reviews: Record<string, number> = {};
    const questions: Record<'shown' | 'hidden', number> = { shown: 0, hidden: 0 };
    let formId: number;
    const subscriptions = createSubscriptions();
    subscribeReviewMail(subscriptions, { baseUrl: BASE });

    async function person(name: string, role: RoleName | null, locale: string, familyName: string, affiliation: Record<string, string> = {}): Promise<number> {
      const user = await insertUser(db, { email: `${name}@example.org`, givenName: { en: name[0]!.toUpperCase() + name.slice(1) }, familyName: { en: familyName }, affiliation, orcid: null, country: null, preferredLocale: locale, privacyConsentAt: T }, null);
      if (role) await assignRole(db, user!.id, journalId, role);
      people[name] = user!.id;
      return user!.id;
    }

    /** The worker at `at`: event deliveries, reminders that are due, then the mails, sent over SMTP. */
    async function work(at: Date): Promise<ReceivedMail[]> {
      const run = await runJobsUntilIdle(db, [...subscriptions.jobHandlers(), ...mailer.jobs, ...reviewReminderJobs({ baseUrl: BASE })], { clock: { now: () => at } });
      assert.equal(run.failed, 0);
      return smtp.received.splice(0);
    }
    const to = (mails: ReceivedMail[], name: string) => mails.filter((m) => m.envelopeTo.includes(`${name}@example.org`));
    const notifications = async (name: string, kind: string) => Number((await db.selectFrom('notifications').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', people[name]!).where('kind', '=', kind).executeTakeFirstOrThrow()).n);
    const mailOff = (name: string, kind: string) => db.insertInto('notification_preferences').values({ user_id: people[name]!, kind, in_app: true, by_email: false }).execute();

    async function inReview(title: string): Promise<number> {
      const id = await createDraft(db, { journalId, userId: people.author!, sectionId, locale: 'en', commentsForEditor: '', checklistConfirmed: true, agreementsAccepted: true, now: T });
      await addSubmissionFile(db, { journalId, submissionId: id, userId: people.author!, kind: 'article', upload: { storageKey: `ab/${crypto.randomUUID()}`, sizeBytes: 10, sha256: 'd'.repeat(64), mimeType: 'application/pdf', originalName: 'a.pdf' }, now: T });
      await saveSubmissionDetails(db, journalId, id, people.author!, { prefix: {}, title: { en: title, pl: `${title} (pl)` }, subtitle: {}, abstract: { en: 'Rivers carry <em>sediment</em> north.' }, keywords: {} }, T);
      await submitSubmission(db, journalId, id, people.author!, T);
      await assignParticipant(db, { journalId, submissionId: id, userId: people.editor!, role: 'editor', recommendOnly: false, assignedBy: people.manager!, now: T });
      await assignParticipant(db, { journalId, submissionId: id, userId: people.editortwo!, role: 'editor', recommendOnly: false, assignedBy: people.manager!, now: T });
      const fileIds = (await submissionFiles(db, id)).map((f) => f.id);
      await recordDecision(db, { journalId, submissionId: id, decision: 'send-to-review', editorId: people.editor!, recommendOnly: false, fileIds, now: T });
      return id;
    }

    before(async () => {
      handle = await database.open();
      db = handle.db;
      await initialiseSite(db, { demo: true });
      journalId = (await db.selectFrom('journals').select('id').where('path', '=', DEMO_JOURNAL_PATH).executeTakeFirstOrThrow()).id;
      sectionId = (await db.selectFrom('sections').select('id').where('journal_id', '=', journalId).executeTakeFirstOrThrow()).id;
      await person('author', null, 'en', 'Nowakowska', { en: 'Northern River Institute' });
      await person('manager', 'manager', 'en', 'Manager');
      await person('editor', 'editor', 'pl', 'Redaktorska');
      await person('editortwo', 'editor', 'en', 'Second');
      for (const [name, locale, family] of [
        ['anna', 'pl', 'Kowalska'],
        ['bob', 'en', 'Openshaw'],
        ['carl', 'en', 'Hidden'],
        ['dora', 'en', 'Changes'],
        ['rem', 'en', 'Remindme'],
        ['acc', 'en', 'Accepting'],
        ['moved', 'en', 'Moved'],
      ] as const) {
        await person(name, 'reviewer', locale, family);
      }
      await person('limited', 'editor', 'en', 'Limited');
      // A review form with one answer the author sees and one they do not.
      formId = (await db.insertInto('review_forms').values({ journal_id: journalId, title: JSON.stringify({ en: 'Form' }) }).returning('id').executeTakeFirstOrThrow()).id;
      for (const [key, question, visible] of [['shown', 'Is the method sound?', true], ['hidden', 'Should we publish it?', false]] as const) {
        questions[key] = (await db.insertInto('review_form_elements').values({ review_form_id: formId, kind: 'long-text', question: JSON.stringify({ en: question }), visible_to_author: visible }).returning('id').executeTakeFirstOrThrow()).id;
      }
      smtp = await startSmtpListener();
      mailer = createMailer(db, { smtpUrl: smtp.url, from: 'Revista <noreply@example.org>' });
      submissionId = await inReview('Rivers of the north');
    });
    after(async () => {
      await mailer.close();
      await smtp.close();
      await handle.close();
    });

    it('tells the authors the submission went to review, in their language', async () => {
      const mails = await work(T);
      const [toAuthor] = to(mails, 'author');
      assert.ok(toAuthor, 'the author is mailed');
      assert.match(toAuthor.subject, /sent to review/);
      assert.match(toAuthor.text, /Rivers of the north/);
      assert.equal(to(mails, 'editor').length, 0);
      assert.equal(await notifications('author', 'decision'), 1);
    });

    it('asks reviewers by mail with working links, the abstract and the dates, naming the authors only in open review', async () => {
      const responseDue = new Date(T.getTime() + 10 * DAY);
      reviews.anna = await requestReview(db, { journalId, submissionId, reviewer: { userId: people.anna! }, responseDue, reviewDue: new Date(T.getTime() + 30 * DAY), message: 'Your work on sediment makes you the right reader.', reviewFormId: formId, requestedBy: people.editor!, now: T });
      reviews.bob = await requestReview(db, { journalId, submissionId, reviewer: { userId: people.bob! }, anonymity: 'open', reviewFormId: null, requestedBy: people.editor!, now: T });
      reviews.carl = await requestReview(db, { journalId, submissionId, reviewer: { userId: people.carl! }, anonymity: 'anonymous-reviewer', reviewFormId: null, requestedBy: people.editor!, now: T });
      reviews.newbie = await requestReview(db, { journalId, submissionId, reviewer: { newReviewer: { email: 'newbie@example.org', givenName: { en: 'Nina' }, familyName: { en: 'Newcomer' }, locale: 'en' } }, requestedBy: people.editor!, now: T });
      const mails = await work(T);
      const secret = await reviewLinkSecret(db);

      const [anna] = to(mails, 'anna');
      assert.ok(anna && to(mails, 'anna').length === 1);
      assert.match(anna.subject, /Prośba o recenzję: Rivers of the north \(pl\)/, 'in the reviewer’s language (Polish)');
      assert.match(anna.text, /Your work on sediment makes you the right reader\./, 'the editor’s words');
      assert.match(anna.text, /Rivers carry sediment north\./, 'the abstract, as plain text');
      assert.ok(anna.text.includes(formatLongDate('pl', responseDue)), 'the answer’s date, in Polish');
      assert.ok(anna.text.includes(`${BASE}/${DEMO_JOURNAL_PATH}/reviewer/review/${reviews.anna}`), 'the review page');
      for (const secretWord of ['Nowakowska', 'author@example.org', 'Northern River Institute']) assert.ok(!`${anna.subject}\n${anna.text}`.includes(secretWord), `no ${secretWord} in double-anonymous review`);
      const accept = readReviewLink(secret, tokenIn(anna, 'accept'), 'accept', T);
      assert.ok(accept.ok && accept.reviewId === reviews.anna, 'the accept link is the request’s');
      assert.equal(accept.ok && accept.nonce, (await findReview(db, journalId, reviews.anna))!.linkNonce, 'with the request’s nonce');
      assert.ok(readReviewLink(secret, tokenIn(anna, 'decline'), 'decline', T).ok);
      assert.equal(readReviewLink(secret, tokenIn(anna, 'accept'), 'decline', T).ok, false, 'an accept link does not decline');

      for (const name of ['bob', 'carl']) {
        const [mail] = to(mails, name);
        assert.match(mail!.subject, /Review request: Rivers of the north$/);
        assert.match(mail!.text, /Authors: Author Nowakowska \(Northern River Institute\)/, `${name} sees the authors`);
      }
      const [newbie] = mails.filter((m) => m.envelopeTo.includes('newbie@example.org'));
      assert.match(newbie!.subject, /Invitation to review/);
      assert.ok(readReviewLink(secret, tokenIn(newbie!, 'accept'), 'accept', T).ok);
      assert.doesNotMatch(newbie!.text, /reviewer\/review\//, 'no review page before there is an account');
      assert.doesNotMatch(newbie!.text, /Nowakowska/);
      assert.equal(await notifications('anna', 'review-requested'), 1);
      assert.equal(mails.length, 4, 'nobody else is mailed');
    });

    it('tells a reviewer of new dates, a cancellation and a reinstatement, with links that still work', async () => {
      reviews.dora = await requestReview(db, { journalId, submissionId, reviewer: { userId: people.dora! }, requestedBy: people.editor!, now: T });
      await work(T);
      const responseDue = new Date(T.getTime() + 20 * DAY);
      await changeReviewDates(db, { journalId, reviewId: reviews.dora, responseDue, reviewDue: new Date(T.getTime() + 40 * DAY), by: people.editor!, now: T });
      let [mail] = to(await work(T), 'dora');
      assert.match(mail!.subject, /New dates for your review/);
      assert.ok(mail!.text.includes(formatLongDate('en', responseDue)));
      const check = readReviewLink(await reviewLinkSecret(db), tokenIn(mail!, 'accept'), 'accept', T);
      assert.ok(check.ok && check.expiresAt.getTime() > responseDue.getTime(), 'the links last past the new date');
      await cancelReview(db, { journalId, reviewId: reviews.dora, by: people.editor!, now: T });
      [mail] = to(await work(T), 'dora');
      assert.match(mail!.subject, /Review request cancelled/);
      assert.doesNotMatch(mail!.text, /respond\/accept/);
      await reinstateReview(db, { journalId, reviewId: reviews.dora, by: people.editor!, now: T });
      [mail] = to(await work(T), 'dora');
      assert.match(mail!.subject, /Review request reinstated/);
      assert.equal(readReviewLink(await reviewLinkSecret(db), tokenIn(mail!, 'accept'), 'accept', T).ok, true, 'with the renewed link');
      assert.equal(await notifications('dora', 'review-changed'), 3);
      await cancelReview(db, { journalId, reviewId: reviews.dora, by: people.editor!, now: T });
      await work(T);
    });

    it('tells the editors of answers and reviews (unless they turned that mail off) and thanks the reviewer', async () => {
      await mailOff('editor', 'review-answered');
      await answerReviewRequest(db, { journalId, reviewId: reviews.anna!, accept: true, by: { kind: 'user', userId: people.anna! }, now: T });
      const nonce = (await findReview(db, journalId, reviews.newbie!))!.linkNonce;
      await answerReviewRequest(db, { journalId, reviewId: reviews.newbie!, accept: false, by: { kind: 'link', nonce }, declineReason: 'Too busy this term.', now: T });
      let mails = await work(T);
      assert.equal(to(mails, 'editor').length, 0, 'mail turned off');
      assert.equal(await notifications('editor', 'review-answered'), 2, 'the notifications are there');
      const answers = to(mails, 'editortwo');
      assert.equal(answers.length, 2);
      assert.ok(answers.some((m) => /Anna Kowalska accepted to review submission/.test(m.subject)));
      const declined = answers.find((m) => /declined/.test(m.subject))!;
      assert.match(declined.subject, /Nina Newcomer declined/);
      assert.match(declined.text, /Their reason: Too busy this term\./);

      for (const name of ['bob', 'carl']) await answerReviewRequest(db, { journalId, reviewId: reviews[name]!, accept: true, by: { kind: 'user', userId: people[name]! }, now: T });
      // The editors' kind: a reviewer who turned it off is still thanked (a receipt).
      await mailOff('anna', 'review-submitted');
      const comments: Record<string, string> = { anna: 'The argument in section 2 needs data.', bob: 'Open comments from Bob.', carl: 'Comments nobody shares.' };
      for (const name of ['anna', 'bob', 'carl']) {
        await saveReview(db, { journalId, reviewId: reviews[name]!, userId: people[name]!, recommendation: 'minor-revisions', commentsForAuthor: comments[name]!, commentsForEditor: `Confidential note by ${name}.`, answers: name === 'anna' ? { [questions.shown]: 'Yes, with one caveat.', [questions.hidden]: 'Not in this form.' } : {}, submit: true, now: T });
      }
      mails = await work(T);
      const [thanks] = to(mails, 'anna');
      assert.match(thanks!.subject, /Dziękujemy za recenzję/);
      assert.equal(await notifications('anna', 'review-submitted'), 1);
      const completed = to(mails, 'editor');
      assert.equal(completed.length, 3, 'review-submitted mail is still on');
      assert.match(completed.find((m) => m.text.includes('Anna Kowalska'))!.text, /Rekomendacja: Drobne poprawki/, 'in the editor’s language');
      assert.equal(to(mails, 'editortwo').length, 5, 'two more acceptances and three reviews');
    });

    it('sends the decision with only the shared reviews, anonymised as each review’s mode requires, even to an author who turned mail off', async () => {
      await mailOff('author', 'decision');
      await recordDecision(db, { journalId, submissionId, decision: 'request-revisions', editorId: people.editor!, recommendOnly: false, message: 'Please answer each point.', sharedReviewIds: [reviews.anna!, reviews.bob!], now: T });
      const mails = await work(T);
      const [mail] = to(mails, 'author');
      assert.ok(mail, 'decisions always come by email');
      assert.match(mail.subject, /Revisions requested/);
      assert.match(mail.text, /Please answer each point\./);
      assert.match(mail.text, /Reviewer A:\s+The argument in section 2 needs data\./);
      assert.match(mail.text, /Reviewer B \(Bob Openshaw\):\s+Open comments from Bob\./, 'an open review is signed');
      assert.match(mail.text, /Is the method sound\?\s+Yes, with one caveat\./, 'the form’s answers the author may see');
      for (const hidden of ['Should we publish', 'Not in this form', 'Kowalska', 'anna@example.org', 'Comments nobody shares', 'Confidential', 'Hidden']) assert.ok(!mail.text.includes(hidden), `no ${hidden}`);
      assert.ok(mail.text.includes(`${BASE}/${DEMO_JOURNAL_PATH}/workflow/index/${submissionId}/review/revisions`));
      assert.equal(mails.length, 1);
    });

    it('tells the editors when the author sends revisions', async () => {
      await uploadRevision(db, { journalId, submissionId, userId: people.author!, kind: 'article', upload: { storageKey: `ab/${crypto.randomUUID()}`, sizeBytes: 10, sha256: 'e'.repeat(64), mimeType: 'application/pdf', originalName: 'revised.pdf' }, now: T });
      const mails = await work(T);
      assert.match(to(mails, 'editor')[0]!.subject, /Poprawki do zgłoszenia/);
      assert.match(to(mails, 'editortwo')[0]!.text, /Author Nowakowska has uploaded revised files .* review round 1\./);
      assert.equal(to(mails, 'author').length, 0);
      assert.equal((await db.selectFrom('review_rounds').select('status').where('submission_id', '=', submissionId).executeTakeFirstOrThrow()).status, 'revisions-submitted');
    });

    it('sends an editor’s recommendation to the deciding editors only', async () => {
      const id = await inReview('Recommended');
      await assignParticipant(db, { journalId, submissionId: id, userId: people.limited!, role: 'editor', recommendOnly: true, assignedBy: people.manager!, now: T });
      await work(T);
      await recordDecision(db, { journalId, submissionId: id, decision: 'recommend-accept', editorId: people.limited!, recommendOnly: true, message: 'A clear accept from me.', now: T });
      const mails = await work(T);
      assert.deepEqual(mails.map((m) => m.envelopeTo[0]).sort(), ['editor@example.org', 'editortwo@example.org']);
      const [mail] = to(mails, 'editortwo');
      assert.match(mail!.subject, /Recommendation for submission \d+: accept/);
      assert.match(mail!.text, /Limited Limited recommends the following decision .*: accept\.\s+A clear accept from me\./s);
      assert.equal(await notifications('editor', 'recommendation'), 1);
    });

    it('reminds before and after each due date, only while the request still waits for that date', async () => {
      const reminded = await inReview('Reminders');
      const S = new Date(T.getTime() + HOUR);
      const at = (days: number) => new Date(S.getTime() + days * DAY + 60_000);
      // Answer due in 7 days, the review in 28 (the journal's defaults); reminders 2 days before and 3 after.
      for (const name of ['rem', 'acc', 'moved']) reviews[name] = await requestReview(db, { journalId, submissionId: reminded, reviewer: { userId: people[name]! }, requestedBy: people.editor!, now: S });
      await work(S);
      await answerReviewRequest(db, { journalId, reviewId: reviews.acc!, accept: true, by: { kind: 'user', userId: people.acc! }, now: at(1) });
      const movedDue = new Date(S.getTime() + 14 * DAY);
      await changeReviewDates(db, { journalId, reviewId: reviews.moved!, responseDue: movedDue, reviewDue: new Date(S.getTime() + 40 * DAY), by: people.editor!, now: at(1) });
      await work(at(1));

      let mails = await work(at(4));
      assert.equal(mails.length, 0, 'nothing yet 4 days in');

      mails = await work(at(5));
      assert.deepEqual(mails.map((m) => m.envelopeTo[0]).sort(), ['rem@example.org'], 'two days before the answer is due: only the one still asked for that date');
      assert.match(mails[0]!.subject, /Reminder: review request/);
      assert.ok(readReviewLink(await reviewLinkSecret(db), tokenIn(mails[0]!, 'accept'), 'accept', at(5)).ok, 'with answer links that work');
      const rem = await db.selectFrom('review_assignments').select('last_reminded_at').where('id', '=', reviews.rem!).executeTakeFirstOrThrow();
      assert.ok(rem.last_reminded_at, 'the request notes the reminder');
      const logged = await db.selectFrom('submission_activity').select('action').where('submission_id', '=', reminded).where('action', '=', 'review.reminded').execute();
      assert.equal(logged.length, 1);
      assert.equal(await notifications('rem', 'review-reminder'), 1);

      mails = await work(at(10));
      assert.deepEqual(mails.map((m) => m.envelopeTo[0]), ['rem@example.org'], 'three days after the missed date');

      mails = await work(at(12));
      assert.deepEqual(mails.map((m) => m.envelopeTo[0]), ['moved@example.org'], 'the new date’s reminder; the old date’s did nothing');
      assert.ok(mails[0]!.text.includes(formatLongDate('en', movedDue)));

      mails = await work(at(26));
      const acc = to(mails, 'acc');
      assert.equal(acc.length, 1, 'an accepted review is reminded of its own date');
      assert.match(acc[0]!.subject, /Reminder: your review of “Reminders”/);
      assert.ok(acc[0]!.text.includes(`${BASE}/${DEMO_JOURNAL_PATH}/reviewer/review/${reviews.acc}`));
      assert.equal(to(mails, 'rem').length, 0, 'reminders for the missed answer date are over');
    });
  });
}
