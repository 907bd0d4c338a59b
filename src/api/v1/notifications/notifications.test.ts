import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createApiToken } from '../../index.ts';
import { createUserWithRole } from '../../../accounts/index.ts';
import { createJournal } from '../../../catalog/index.ts';
import { notify, type NewNotification } from '../../../notifications/index.ts';
import type { Static } from '../../../platform/http/index.ts';
import { assertAllExercised, assertProblem, startApiTestApp, type ApiTestApp } from '../../../../test/support/api.ts';
import { testDatabases } from '../../../../test/support/databases.ts';
import type { Notification, NotificationList } from './schema.ts';

const LIST = '/api/v1/notifications';
const READ = '/api/v1/notifications/{notificationId}/read';

/** A person's notifications through the API with their token, every answer checked against the OpenAPI document. */
for (const database of await testDatabases()) {
  describe(`API notifications on ${database.name}`, () => {
    let t: ApiTestApp;
    let annId: number;
    let ann: string;
    let annInOtherJournal: string;
    let bob: string;
    let otherJournal: number;

    const tell = (userId: number, n: Partial<NewNotification>) => notify(t.database.db, { userId, kind: 'review-requested', journalId: 1, submissionId: null, at: new Date(), ...n });

    before(async () => {
      t = await startApiTestApp(database);
      const db = t.database.db;
      ({ userId: annId } = await createUserWithRole(db, { email: 'api-ann@example.org', password: 'a long enough password', role: 'reviewer', journalId: 1, now: new Date() }));
      ({ token: ann } = await createApiToken(db, { userId: annId, name: 'script', roles: [], journalId: null }, new Date()));
      otherJournal = await createJournal(db, { path: 'other', name: { en: 'Other' }, primaryLocale: 'en', supportedLocales: ['en'] });
      ({ token: annInOtherJournal } = await createApiToken(db, { userId: annId, name: 'other only', roles: [], journalId: otherJournal }, new Date()));
      bob = await t.tokenFor('author');
    });
    after(() => t.close());

    it('lists the caller’s notifications newest first, with the unread count, messages in both languages and where to act', async () => {
      await tell(annId, { kind: 'review-requested', params: { reviewId: 12 } });
      await tell(annId, { kind: 'review-changed', journalId: otherJournal, params: { reviewId: 13, change: 'cancelled' } });
      const answer = await t.call<Static<typeof NotificationList>>('GET', LIST, {}, { token: ann });
      assert.equal(answer.statusCode, 200);
      assert.equal(answer.data.itemsMax, 2);
      assert.equal(answer.data.unread, 2);
      const [cancelled, requested] = answer.data.items;
      assert.equal(cancelled!.kind, 'review-changed');
      assert.deepEqual(cancelled!.message, { pl: 'Anulowano prośbę o Twoją recenzję: (bez tytułu)', en: 'Your review request was cancelled: (untitled)' });
      assert.equal(requested!.url, 'http://localhost:3000/sm/reviewer/review/12');
      assert.deepEqual(requested!.params, { reviewId: 12 });
      assert.equal(requested!.read, false);
      const paged = await t.call<Static<typeof NotificationList>>('GET', LIST, {}, { token: ann, query: 'count=1&offset=1' });
      assert.deepEqual(paged.data.items.map((n) => n.id), [requested!.id]);
      assert.equal(paged.data.itemsMax, 2);
      // A token limited to one journal sees that journal's only.
      const limited = await t.call<Static<typeof NotificationList>>('GET', LIST, {}, { token: annInOtherJournal });
      assert.deepEqual(limited.data.items.map((n) => n.id), [cancelled!.id]);
    });

    it('marks one read; another person’s, or none, is a 404; no token is a 401', async () => {
      const [newest] = (await t.call<Static<typeof NotificationList>>('GET', LIST, {}, { token: ann })).data.items;
      const read = await t.call<Static<typeof Notification>>('PUT', READ, { notificationId: newest!.id }, { token: ann });
      assert.equal(read.statusCode, 200);
      assert.equal(read.data.read, true);
      const again = await t.call<Static<typeof Notification>>('PUT', READ, { notificationId: newest!.id }, { token: ann });
      assert.equal(again.data.dateRead, read.data.dateRead, 'the first reading is kept');
      assert.equal((await t.call<Static<typeof NotificationList>>('GET', LIST, {}, { token: ann })).data.unread, 1);
      assertProblem(await t.call('PUT', READ, { notificationId: newest!.id }, { token: bob }), 404);
      assertProblem(await t.call('PUT', READ, { notificationId: 999999 }, { token: ann }), 404);
      const [other] = (await t.call<Static<typeof NotificationList>>('GET', LIST, {}, { token: ann })).data.items.filter((n) => n.journalId === 1);
      assertProblem(await t.call('PUT', READ, { notificationId: other!.id }, { token: annInOtherJournal }), 404);
      assert.deepEqual((await t.call<Static<typeof NotificationList>>('GET', LIST, {}, { token: bob })).data, { itemsMax: 0, unread: 0, items: [] });
      assertProblem(await t.call('GET', LIST, {}), 401);
      assertProblem(await t.call('PUT', READ, { notificationId: newest!.id }), 401);
      assertAllExercised(t, 'notifications');
    });
  });
}
