import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Kysely } from 'kysely';
import type { Database } from '../db/index.ts';
import { DEMO_JOURNAL_PATH } from '../demo/index.ts';
import { ensureScheduled, runJobsUntilIdle, scheduleKey } from '../platform/jobs/index.ts';
import { createDraft, saveSubmissionDetails } from '../workflow/commands/submissions.ts';
import { startTestApp, visibleText, type TestApp } from '../../test/support/app.ts';
import { testDatabases } from '../../test/support/databases.ts';
import { manualClock, Session, signedInAs } from '../../test/support/session.ts';
import { notificationJobs, notificationSchedules, notify, PRUNE_NOTIFICATIONS_JOB, type NewNotification } from './index.ts';

/** The header's link: "Notifications" alone, or with the unread count and its words for screen readers. */
function headerLink(html: string): string | undefined {
  const match = /<a href="\/notifications">([\s\S]*?)<\/a>/.exec(html);
  return match ? visibleText(match[1]!) : undefined;
}

const DAY = 24 * 3600_000;

for (const database of await testDatabases()) {
  describe(`notifications on ${database.name}`, () => {
    let t: TestApp;
    let db: Kysely<Database>;
    const clock = manualClock(new Date('2026-05-04T08:00:00Z'));
    let journalId: number;
    let submissionId: number;
    let ann: Session;
    let annId: number;
    let bob: Session;
    let bobId: number;

    const userIdOf = async (email: string) => (await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
    const tell = (userId: number, n: Partial<NewNotification> = {}) => db.transaction().execute((trx) => notify(trx, { userId, kind: 'submission-assigned', journalId, submissionId, at: clock.now(), ...n }));
    const idsOf = (html: string) => [...html.matchAll(/\/notifications\/(\d+)\/open"/g)].map((m) => Number(m[1]));

    before(async () => {
      t = await startTestApp(database, { clock });
      db = t.database.db;
      journalId = (await db.selectFrom('journals').select('id').where('path', '=', DEMO_JOURNAL_PATH).executeTakeFirstOrThrow()).id;
      ann = await signedInAs(t.app, db, { email: 'ann@example.org', role: 'editor', journalId });
      bob = await signedInAs(t.app, db, { email: 'bob@example.org', role: 'author', journalId });
      annId = await userIdOf('ann@example.org');
      bobId = await userIdOf('bob@example.org');
      const sectionId = (await db.selectFrom('sections').select('id').where('journal_id', '=', journalId).executeTakeFirstOrThrow()).id;
      submissionId = await createDraft(db, { journalId, userId: bobId, sectionId, locale: 'en', commentsForEditor: '', checklistConfirmed: true, agreementsAccepted: true, now: clock.now() });
      await saveSubmissionDetails(db, journalId, submissionId, bobId, { prefix: {}, title: { en: 'Tides of the Vistula' }, subtitle: {}, abstract: {}, keywords: {} }, clock.now());
    });
    after(() => t.close());

    it('shows the unread count in the header to the signed-in person only, on public pages too, and it follows notify and mark-read', async () => {
      assert.equal(headerLink((await ann.get('/user/profile')).body), 'Notifications');
      const first = await tell(annId);
      assert.deepEqual(first, { byEmail: true });
      await tell(annId, { kind: 'discussion-message', params: { discussionId: 1, subject: 'Figures' } });
      assert.equal(headerLink((await ann.get('/user/profile')).body), 'Notifications (2) unread');
      const home = await ann.get(`/${DEMO_JOURNAL_PATH}`);
      assert.equal(home.statusCode, 200);
      assert.equal(headerLink(home.body), 'Notifications (2) unread', 'a public page, rendered for her alone');
      assert.equal(home.headers['cache-control'], 'private, no-store');
      // A visitor gets the cached public page, without anyone's count.
      const visitor = await new Session(t.app, { 'accept-language': 'en' }).get(`/${DEMO_JOURNAL_PATH}`);
      assert.equal(headerLink(visitor.body), undefined);
      assert.doesNotMatch(visitor.body, /Notifications/);
      assert.equal(headerLink((await bob.get('/user/profile')).body), 'Notifications', 'Bob has none');

      const list = await ann.get('/notifications');
      const [newest] = idsOf(list.body);
      await ann.post(`/notifications/${newest}/read`, {});
      assert.equal(headerLink((await ann.get('/user/profile')).body), 'Notifications (1) unread');
      await ann.get('/notifications');
      const all = await ann.post('/notifications/read-all', {});
      assert.equal(all.statusCode, 303);
      assert.equal(all.headers.location, '/notifications?notice=all-read');
      const after = await ann.get(all.headers.location as string);
      assert.equal(headerLink(after.body), 'Notifications');
      assert.match(visibleText(after.body), /All notifications are marked as read\./);
    });

    it('lists them newest first in the person’s language, unread marked, each leading where to act', async () => {
      await tell(annId, { kind: 'submission-submitted' });
      await tell(annId, { kind: 'review-requested', params: { reviewId: 77 } });
      await tell(annId, { kind: 'discussion-message', params: { discussionId: 5, subject: 'About the maps' } });
      const page = await ann.get('/notifications');
      assert.equal(page.statusCode, 200);
      assert.equal(page.headers['cache-control'], 'private, no-store');
      const text = visibleText(page.body);
      assert.match(text, /Unread: 3 of 5\./);
      const discussion = text.indexOf(`Unread: New message in the discussion “About the maps” of submission ${submissionId}: Tides of the Vistula`);
      const review = text.indexOf('Unread: You are asked to review: Tides of the Vistula');
      const submitted = text.indexOf(`Unread: New submission ${submissionId}: Tides of the Vistula`);
      assert.ok(discussion > 0 && discussion < review && review < submitted, text);
      assert.match(text, new RegExp(`(?<!Unread: )You were assigned to submission ${submissionId}: Tides of the Vistula`), 'read ones without the mark');
      const [discussionId, reviewId, submittedId] = idsOf(page.body);
      const opened = await ann.get(`/notifications/${discussionId}/open`);
      assert.equal(opened.statusCode, 303);
      assert.equal(opened.headers.location, `/${DEMO_JOURNAL_PATH}/workflow/index/${submissionId}/discussions/5`);
      assert.equal((await ann.get(`/notifications/${reviewId}/open`)).headers.location, `/${DEMO_JOURNAL_PATH}/reviewer/review/77`);
      assert.equal((await ann.get(`/notifications/${submittedId}/open`)).headers.location, `/${DEMO_JOURNAL_PATH}/workflow/access/${submissionId}`);
      assert.match(visibleText((await ann.get('/notifications')).body), /Unread: 0 of 5\./, 'opening marks read');

      const polish = new Session(t.app, { 'accept-language': 'pl' });
      await polish.signIn('ann@example.org', 'a long enough password');
      await tell(annId, { kind: 'decision' });
      assert.match(visibleText((await polish.get('/notifications')).body), new RegExp(`Nieprzeczytane: Podjęto decyzję w sprawie Twojego zgłoszenia ${submissionId}: Tides of the Vistula`));
      assert.equal(headerLink((await polish.get('/user/profile')).body), 'Powiadomienia (1) nieprzeczytane');
    });

    it('never shows or changes another person’s notification: 404 as for one that does not exist', async () => {
      await tell(bobId, { kind: 'decision' });
      const bobs = idsOf((await bob.get('/notifications')).body);
      assert.equal(bobs.length, 1);
      const his = bobs[0]!;
      assert.ok(!idsOf((await ann.get('/notifications')).body).includes(his));
      assert.equal((await ann.get(`/notifications/${his}/open`)).statusCode, 404);
      await ann.get('/notifications');
      assert.equal((await ann.post(`/notifications/${his}/read`, {})).statusCode, 404);
      assert.equal((await ann.get(`/notifications/999999/open`)).statusCode, 404);
      await ann.post('/notifications/read-all', {});
      assert.match(visibleText((await bob.get('/notifications')).body), /Unread: 1 of 1\./, 'her "mark all" left his alone');
      // Without the form token nothing changes.
      assert.equal((await bob.post(`/notifications/${his}/read`, { _csrf: 'forged' })).statusCode, 403);
      assert.equal((await bob.post('/notifications/read-all', {}, { csrf: false })).statusCode, 403);
      // Visitors are sent to sign in.
      const visitor = await new Session(t.app).get('/notifications');
      assert.equal(visitor.statusCode, 303);
      assert.match(visitor.headers.location as string, /^\/login\?source=/);
    });

    it('filters to one journal at /{journal}/notifications', async () => {
      await tell(bobId, { kind: 'submission-assigned', journalId: null, submissionId: null });
      assert.match(visibleText((await bob.get('/notifications')).body), /Unread: 2 of 2\./);
      const inJournal = await bob.get(`/${DEMO_JOURNAL_PATH}/notifications`);
      assert.equal(inJournal.statusCode, 200);
      assert.match(visibleText(inJournal.body), /Unread: 1 of 1\. .*Only notifications about this journal are shown\.|Only notifications about this journal are shown\..*Unread: 1 of 1\./);
      const [id] = idsOf(inJournal.body);
      assert.equal((await bob.get(`/${DEMO_JOURNAL_PATH}/notifications/${id}/open`)).headers.location, `/${DEMO_JOURNAL_PATH}/workflow/access/${submissionId}`);
      await bob.get(`/${DEMO_JOURNAL_PATH}/notifications`);
      const all = await bob.post(`/${DEMO_JOURNAL_PATH}/notifications/read-all`, {});
      assert.equal(all.headers.location, `/${DEMO_JOURNAL_PATH}/notifications?notice=all-read`);
      assert.match(visibleText((await bob.get('/notifications')).body), /Unread: 1 of 2\./, 'the site-wide one stays unread');
    });

    it('pages long lists, newest first', async () => {
      const carol = await signedInAs(t.app, db, { email: 'carol@example.org', role: 'reader', journalId });
      const carolId = await userIdOf('carol@example.org');
      for (let i = 0; i < 23; i++) await tell(carolId, { kind: 'discussion-message', params: { discussionId: i + 1, subject: `Thread ${i + 1}` } });
      const first = visibleText((await carol.get('/notifications')).body);
      assert.match(first, /Thread 23.*Thread 4\b/);
      assert.doesNotMatch(first, /Thread 3\b/);
      assert.match(first, /Page 1 of 2/);
      const second = await carol.get('/notifications?page=2');
      assert.deepEqual([...visibleText(second.body).matchAll(/Thread (\d+)/g)].map((m) => m[1]), ['3', '2', '1']);
      // Marking one read on page 2 comes back to page 2.
      const [oldest] = idsOf(second.body).slice(-1);
      assert.equal((await carol.post(`/notifications/${oldest}/read`, { page: '2' })).headers.location, '/notifications?page=2&notice=read');
      assert.match(visibleText((await carol.get('/notifications?page=9')).body), /Page 2 of 2/, 'past the end: the last page');
    });

    it('keeps each person’s choice per kind: shown or not, emailed or not; a request to act is always emailed', async () => {
      const dan = await signedInAs(t.app, db, { email: 'dan@example.org', role: 'reviewer', journalId });
      const danId = await userIdOf('dan@example.org');
      const profile = await dan.get('/user/profile');
      assert.match(profile.body, /href="\/user\/profile\/notifications"/);
      const page = await dan.get('/user/profile/notifications');
      assert.equal(page.statusCode, 200);
      assert.match(visibleText(page.body), /Requests to review Always sent by email, whatever you choose here\. Show in Revista Email me/);
      assert.match(page.body, /<input id="notification-decision-by-email" type="checkbox" name="byEmail" value="decision" checked disabled/);
      assert.match(page.body, /<input id="notification-discussion-message-by-email" type="checkbox" name="byEmail" value="discussion-message" checked\s*\/?>/);
      // Every kind shown; discussion messages not emailed; assignments not shown (nor emailed). "decision" is left out of byEmail.
      const kinds = ['submission-submitted', 'discussion-message', 'review-requested', 'review-answered', 'review-submitted', 'review-changed', 'review-reminder', 'decision', 'recommendation', 'revisions-submitted'];
      const saved = await dan.post('/user/profile/notifications', { inApp: kinds, byEmail: kinds.filter((k) => k !== 'discussion-message' && k !== 'decision') });
      assert.equal(saved.statusCode, 303);
      assert.equal(saved.headers.location, '/user/profile/notifications?notice=saved');
      const shown = await dan.get(saved.headers.location as string);
      assert.match(visibleText(shown.body), /Your notification settings are saved\./);
      assert.match(shown.body, /value="discussion-message" \/>|value="discussion-message">/, 'the email box is now unticked');
      assert.match(shown.body, /name="inApp" value="submission-assigned" \/>|name="inApp" value="submission-assigned">/);

      assert.deepEqual(await tell(danId, { kind: 'discussion-message', params: { discussionId: 1, subject: 'S' } }), { byEmail: false });
      assert.deepEqual(await tell(danId, { kind: 'submission-assigned' }), { byEmail: false });
      assert.deepEqual(await tell(danId, { kind: 'decision' }), { byEmail: true }, 'a decision is always mailed');
      assert.deepEqual(await tell(danId, { kind: 'review-requested', params: { reviewId: 3 } }), { byEmail: true });
      const listed = await db.selectFrom('notifications').select('kind').where('user_id', '=', danId).orderBy('id').execute();
      assert.deepEqual(listed.map((n) => n.kind), ['discussion-message', 'decision', 'review-requested'], 'assignments are not kept for him');
      // Without the form token the choice is not changed.
      assert.equal((await dan.post('/user/profile/notifications', { _csrf: 'forged', inApp: [] })).statusCode, 403);
      assert.deepEqual(await tell(danId, { kind: 'review-submitted' }), { byEmail: true });
    });

    it('removes read notifications once they are old, in a daily scheduled job; unread ones stay', async () => {
      const erin = await signedInAs(t.app, db, { email: 'erin@example.org', role: 'reader', journalId });
      const erinId = await userIdOf('erin@example.org');
      await tell(erinId, { kind: 'decision' });
      await tell(erinId, { kind: 'decision' });
      const [unreadId, readId] = idsOf((await erin.get('/notifications')).body);
      await erin.post(`/notifications/${readId}/read`, {});
      const [schedule] = notificationSchedules;
      await db.deleteFrom('jobs').where('key', '=', scheduleKey(schedule!.name)).execute();
      await ensureScheduled(db, schedule!, clock.now());
      const run = () => runJobsUntilIdle(db, notificationJobs(), { clock });
      clock.advance(2 * DAY);
      assert.equal((await run()).done, 1, 'the day’s run');
      assert.equal((await db.selectFrom('notifications').select('id').where('user_id', '=', erinId).execute()).length, 2, 'too young to go');
      clock.advance(180 * DAY);
      await ensureScheduled(db, schedule!, clock.now());
      clock.advance(DAY);
      assert.equal((await run()).done, 1);
      const left = await db.selectFrom('notifications').select('id').where('user_id', '=', erinId).execute();
      assert.deepEqual(left.map((n) => n.id), [unreadId], 'the read one is gone, the unread one stays');
      assert.equal(schedule!.kind, PRUNE_NOTIFICATIONS_JOB);
    });
  });
}
