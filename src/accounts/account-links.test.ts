import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createUserWithRole } from './index.ts';
import { startTestApp, visibleText, type TestApp } from '../../test/support/app.ts';
import { testDatabases } from '../../test/support/databases.ts';
import { manualClock, Session } from '../../test/support/session.ts';

/** One-time links and the pages behind them: what they check before they are spent, and odd addresses. */
for (const database of await testDatabases()) {
  describe(`account links on ${database.name}`, () => {
    let t: TestApp;
    const clock = manualClock();

    before(async () => {
      t = await startTestApp(database, { clock });
    });
    after(() => t.close());

    const latestLink = async (email: string, path: string) => {
      const mail = await t.database.db.selectFrom('mail_outbox').select('text_body').where('to_address', '=', email).orderBy('id', 'desc').executeTakeFirstOrThrow();
      const match = new RegExp(`http://localhost:3000(${path.replace(/[?]/g, '\\?')}\\?token=([A-Za-z0-9_-]+))`).exec(mail.text_body);
      assert.ok(match, `a ${path} link in ${mail.text_body}`);
      return { url: match[1]!, token: match[2]! };
    };

    it('keeps a reset link working when the new password is refused, and spends it when one is set', async () => {
      await createUserWithRole(t.database.db, { email: 'careful@example.org', password: 'the old password', role: 'reader', journalId: 1, now: clock.now() });
      const visitor = new Session(t.app, { 'accept-language': 'en' });
      await visitor.get('/login/lostPassword');
      await visitor.post('/login/lostPassword', { email: 'careful@example.org' });
      const { url, token } = await latestLink('careful@example.org', '/login/resetPassword');
      assert.equal((await visitor.get(url)).statusCode, 200);
      const sameAsEmail = await visitor.post('/login/resetPassword', { token, password: 'careful@example.org', password2: 'careful@example.org' });
      assert.equal(sameAsEmail.statusCode, 400);
      assert.match(visibleText(sameAsEmail.body), /The password must not be your email address/);
      const mismatch = await visitor.post('/login/resetPassword', { token, password: 'a good new password', password2: 'a different one' });
      assert.equal(mismatch.statusCode, 400);
      assert.equal((await visitor.get(url)).statusCode, 200, 'the link still opens the form');
      const done = await visitor.post('/login/resetPassword', { token, password: 'a good new password', password2: 'a good new password' });
      assert.equal(done.statusCode, 200, visibleText(done.body));
      assert.equal((await visitor.post('/login/resetPassword', { token, password: 'another new password', password2: 'another new password' })).statusCode, 410, 'then it is spent');
      await new Session(t.app).signIn('careful@example.org', 'a good new password');
    });

    it('lets the old address take the account back after someone else moved it', async () => {
      await createUserWithRole(t.database.db, { email: 'victim@example.org', password: 'the victim password', role: 'reader', journalId: 1, now: clock.now() });
      const thief = new Session(t.app, { 'accept-language': 'en' });
      await thief.signIn('victim@example.org', 'the victim password');
      await thief.get('/user/profile');
      await thief.post('/user/profile/email', { newEmail: 'thief@example.org', currentPassword: 'the victim password' });
      const change = await latestLink('thief@example.org', '/user/email/confirm');
      await thief.get(change.url);
      assert.equal((await thief.post('/user/email/confirm', { token: change.token })).statusCode, 200);
      // A second move must not take the first way back away.
      await thief.get('/user/profile');
      await thief.post('/user/profile/email', { newEmail: 'thief2@example.org', currentPassword: 'the victim password' });
      const second = await latestLink('thief2@example.org', '/user/email/confirm');
      await thief.get(second.url);
      assert.equal((await thief.post('/user/email/confirm', { token: second.token })).statusCode, 200);

      const back = await latestLink('victim@example.org', '/user/email/revert');
      const owner = new Session(t.app, { 'accept-language': 'en' });
      const page = await owner.get(back.url);
      assert.equal(page.statusCode, 200);
      assert.match(visibleText(page.body), /Give the account back to victim@example\.org\?/);
      const taken = await owner.post('/user/email/revert', { token: back.token });
      assert.equal(taken.statusCode, 200);
      assert.match(visibleText(taken.body), /The account uses victim@example\.org again, and everyone was signed out\. Choose a new password now\./);
      assert.equal((await thief.get('/user/profile')).statusCode, 303, 'the thief is signed out');
      await assert.rejects(new Session(t.app).signIn('victim@example.org', 'the victim password'), 'the password the thief knew no longer works');
      const reset = /name="token" value="([^"]+)"/.exec(taken.body)![1]!;
      assert.equal((await owner.post('/login/resetPassword', { token: reset, password: 'the owner’s new password', password2: 'the owner’s new password' })).statusCode, 200);
      await new Session(t.app).signIn('victim@example.org', 'the owner’s new password');
      assert.equal((await owner.post('/user/email/revert', { token: back.token })).statusCode, 410, 'the way back works once');
    });

    it('answers repeated query parameters with a normal page, using the first value', async () => {
      const visitor = new Session(t.app, { 'accept-language': 'en' });
      const login = await visitor.get('/login?source=%2Fsm&source=%2F%2Fevil.example');
      assert.equal(login.statusCode, 200);
      assert.match(login.body, /name="source" value="\/sm"/);
      assert.equal((await visitor.get('/sm/login?source=a&source=b')).statusCode, 200);
      for (const path of ['/login/resetPassword', '/user/verify', '/user/email/confirm', '/user/email/revert', '/sm/user/verify']) {
        const response = await visitor.get(`${path}?token=a&token=b`);
        assert.equal(response.statusCode, 410, path);
        assert.match(visibleText(response.body), /This link is not valid/, path);
      }
      await createUserWithRole(t.database.db, { email: 'twice@example.org', password: 'a password of hers', role: 'reader', journalId: 1, now: clock.now() });
      await visitor.get('/login/lostPassword');
      await visitor.post('/login/lostPassword', { email: 'twice@example.org' });
      const { token } = await latestLink('twice@example.org', '/login/resetPassword');
      assert.equal((await visitor.get(`/login/resetPassword?token=${token}&token=junk`)).statusCode, 200);
      await visitor.signIn('twice@example.org', 'a password of hers');
      const signedIn = await visitor.get('/login?source=%2Fsm%2Fabout&source=%2Fadmin');
      assert.equal(signedIn.statusCode, 303);
      assert.equal(signedIn.headers.location, '/sm/about');
    });
  });
}
