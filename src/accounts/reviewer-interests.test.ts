import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createUserWithRole, MAX_REVIEWER_INTERESTS, parseReviewerInterests, reviewerInterests } from './index.ts';
import { startTestApp, visibleText, type TestApp } from '../../test/support/app.ts';
import { testDatabases } from '../../test/support/databases.ts';
import { manualClock, Session } from '../../test/support/session.ts';

describe('reviewing interests as typed', () => {
  it('splits on commas, semicolons and lines, tidies spaces, drops empty ones', () => {
    assert.deepEqual(parseReviewerInterests('Migration studies,  memory ;\n\n Climate   policy\r\n,').interests, ['Migration studies', 'memory', 'Climate policy']);
  });
  it('refuses too many and too long', () => {
    assert.equal(parseReviewerInterests(Array.from({ length: MAX_REVIEWER_INTERESTS + 1 }, (_, i) => `topic ${i}`).join(',')).problem, 'too-many');
    assert.equal(parseReviewerInterests('x'.repeat(101)).problem, 'too-long');
    assert.equal(parseReviewerInterests('x'.repeat(100)).problem, undefined);
  });
});

for (const database of await testDatabases()) {
  describe(`reviewing interests on the profile, on ${database.name}`, () => {
    let t: TestApp;
    const clock = manualClock();

    before(async () => {
      t = await startTestApp(database, { clock });
    });
    after(() => t.close());

    it('lets a reviewer list interests, one that folds like another kept once, and keeps the text when refused', async () => {
      const { userId } = await createUserWithRole(t.database.db, { email: 'reviewer@example.org', password: 'a long enough password', role: 'reviewer', journalId: 1, now: clock.now() });
      const reviewer = new Session(t.app, { 'accept-language': 'en' });
      await reviewer.signIn('reviewer@example.org', 'a long enough password');
      const form = await reviewer.get('/user/profile');
      assert.match(visibleText(form.body), /Reviewing interests/);
      const saved = await reviewer.post('/user/profile', { 'givenName.en': 'Ewa', 'familyName.en': 'Kamińska', reviewingInterests: 'Łódź history, lodz HISTORY\nMemory politics; memory politics' });
      assert.equal(saved.statusCode, 200, visibleText(saved.body));
      assert.deepEqual(await reviewerInterests(t.database.db, userId), ['Łódź history', 'Memory politics']);
      assert.match(saved.body, />Łódź history\nMemory politics</);
      const exported = JSON.parse((await reviewer.get('/user/profile/export')).body) as { reviewingInterests: string[] };
      assert.deepEqual([...exported.reviewingInterests].sort(), ['Memory politics', 'Łódź history'].sort(), 'and they are in the person’s own data download');

      const tooLong = await reviewer.post('/user/profile', { 'givenName.en': 'Ewa', reviewingInterests: `Memory, ${'x'.repeat(120)}` });
      assert.equal(tooLong.statusCode, 400);
      assert.match(visibleText(tooLong.body), /Keep each interest to 100 characters/);
      assert.ok(tooLong.body.includes(`Memory, ${'x'.repeat(120)}`), 'what was typed is still there');
      assert.deepEqual(await reviewerInterests(t.database.db, userId), ['Łódź history', 'Memory politics'], 'nothing changed');

      const cleared = await reviewer.post('/user/profile', { 'givenName.en': 'Ewa', reviewingInterests: '' });
      assert.equal(cleared.statusCode, 200);
      assert.deepEqual(await reviewerInterests(t.database.db, userId), []);
    });

    it('does not show the field to someone who does not review, and leaves interests alone without it', async () => {
      await createUserWithRole(t.database.db, { email: 'reader@example.org', password: 'a long enough password', role: 'reader', journalId: 1, now: clock.now() });
      const reader = new Session(t.app, { 'accept-language': 'en' });
      await reader.signIn('reader@example.org', 'a long enough password');
      assert.doesNotMatch(visibleText((await reader.get('/user/profile')).body), /Reviewing interests/);
      assert.equal((await reader.post('/user/profile', { 'givenName.en': 'Jan' })).statusCode, 200);
    });
  });
}
