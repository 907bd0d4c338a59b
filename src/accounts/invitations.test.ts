import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createUserWithRole } from './index.ts';
import { createJournal } from '../catalog/index.ts';
import { createMailer } from '../mail/index.ts';
import { startTestApp, visibleText, type TestApp } from '../../test/support/app.ts';
import { testDatabases } from '../../test/support/databases.ts';
import { manualClock, Session } from '../../test/support/session.ts';
import { startSmtpListener } from '../../test/support/smtp.ts';

const DAY = 24 * 3600 * 1000;

/** The path of the link in a mail (the site's address is http://localhost:3000 in tests). */
function linkIn(text: string): string {
  const match = /http:\/\/localhost:3000(\/\S+)/.exec(text);
  assert.ok(match, `no link in: ${text}`);
  return match[1]!;
}

for (const database of await testDatabases()) {
  describe(`invitations on ${database.name}`, () => {
    let t: TestApp;
    let smtp: Awaited<ReturnType<typeof startSmtpListener>>;
    let manager: Session;
    const clock = manualClock(new Date());

    before(async () => {
      smtp = await startSmtpListener();
      t = await startTestApp(database, { clock, mailer: (db) => createMailer(db.db, { smtpUrl: smtp.url, from: 'Revista <noreply@localhost>' }) });
      await createUserWithRole(t.database.db, { email: 'manager@example.org', password: 'manager password', role: 'manager', journalId: 1, givenName: 'Maria', now: clock.now() });
      manager = new Session(t.app, { 'accept-language': 'en' });
      await manager.signIn('manager@example.org', 'manager password');
    });
    after(async () => {
      await t.close();
      await smtp.close();
    });

    const invite = async (fields: Record<string, string | string[]>) => {
      await manager.get('/sm/management/users');
      return manager.post('/sm/management/users', fields);
    };
    const roleOf = async (email: string) =>
      (await t.database.db.selectFrom('role_assignments').innerJoin('users', 'users.id', 'role_assignments.user_id').select('role').where('users.email', '=', email).orderBy('role').execute()).map((r) => r.role);

    it('invites a new person by mail; the link sets a password once, and the person is signed in with the roles', async () => {
      const sent = await invite({ email: 'nowa.osoba@example.org', givenName: 'Nowa', familyName: 'Osoba', roles: ['editor', 'reviewer'] });
      assert.equal(sent.statusCode, 303);
      const list = visibleText((await manager.get(sent.headers.location as string)).body);
      assert.match(list, /Invitation sent to nowa\.osoba@example\.org/);
      assert.match(list, /Pending invitations.*Nowa Osoba.*nowa\.osoba@example\.org.*Editor, Reviewer.*Waiting/);

      const mail = await smtp.next();
      assert.deepEqual(mail.envelopeTo, ['nowa.osoba@example.org']);
      assert.match(mail.text, /Maria invites you|Maria zaprasza/);
      const link = linkIn(mail.text);
      assert.ok(link.startsWith('/sm/user/invitation?token='));
      const stored = await t.database.db.selectFrom('invitations').select('token_hash').executeTakeFirstOrThrow();
      assert.ok(!link.includes(stored.token_hash), 'only a hash of the token is stored');

      const person = new Session(t.app, { 'accept-language': 'en' });
      const page = await person.get(link);
      assert.equal(page.statusCode, 200);
      assert.match(visibleText(page.body), /Maria invites you to .* as: Editor, Reviewer/);
      const token = new URLSearchParams(link.split('?')[1]).get('token')!;
      const weak = await person.post('/sm/user/invitation', { token, givenName: 'Nowa', familyName: 'Osoba', password: 'short', password2: 'short', privacyConsent: 'on' });
      assert.equal(weak.statusCode, 400, 'the registration password rules hold');
      assert.deepEqual(await roleOf('nowa.osoba@example.org'), [], 'nothing is created by a refused form');
      const accepted = await person.post('/sm/user/invitation', { token, givenName: 'Nowa', familyName: 'Osoba', password: 'a good long password', password2: 'a good long password', privacyConsent: 'on' });
      assert.equal(accepted.statusCode, 303);
      assert.equal(accepted.headers.location, '/sm/management');
      assert.equal((await person.get('/sm/management')).statusCode, 200, 'signed in, with the editor’s management pages');
      assert.deepEqual(await roleOf('nowa.osoba@example.org'), ['editor', 'reviewer']);
      const user = await t.database.db.selectFrom('users').select(['email_verified_at', 'password_hash']).where('email', '=', 'nowa.osoba@example.org').executeTakeFirstOrThrow();
      assert.ok(user.email_verified_at, 'the link proved the address');
      assert.match(user.password_hash!, /^\$argon2id\$/);

      const again = await new Session(t.app, { 'accept-language': 'en' }).get(link);
      assert.equal(again.statusCode, 410);
      assert.match(visibleText(again.body), /already been accepted/);
      const twice = await person.post('/sm/user/invitation', { token, givenName: 'X', password: 'another long password', password2: 'another long password', privacyConsent: 'on' });
      assert.equal(twice.statusCode, 410);
      assert.match(visibleText((await manager.get('/sm/management/users')).body), /No invitations are waiting/);
    });

    it('gives the roles at once to an address that has an account, and tells its owner', async () => {
      await createUserWithRole(t.database.db, { email: 'known@example.org', password: 'known person password', role: 'reader', journalId: 1, now: clock.now() });
      const response = await invite({ email: 'Known@Example.org', roles: 'copyeditor' });
      assert.equal(response.statusCode, 303);
      assert.match(visibleText((await manager.get(response.headers.location as string)).body), /already has an account/);
      assert.deepEqual(await roleOf('known@example.org'), ['copyeditor', 'reader']);
      const mail = await smtp.next();
      assert.deepEqual(mail.envelopeTo, ['known@example.org']);
      assert.match(mail.subject, /new role|Nowa rola/i);
    });

    it('adds the roles to an account the address got after the invitation, without touching its password or signing in', async () => {
      await invite({ email: 'meanwhile@example.org', givenName: 'Mean', roles: 'reviewer' });
      const link = linkIn((await smtp.next()).text);
      await createUserWithRole(t.database.db, { email: 'meanwhile@example.org', password: 'registered meanwhile', role: 'reader', journalId: 1, now: clock.now() });
      const person = new Session(t.app, { 'accept-language': 'en' });
      const page = await person.get(link);
      assert.match(visibleText(page.body), /already has an account/);
      assert.doesNotMatch(page.body, /name="password"/);
      const token = new URLSearchParams(link.split('?')[1]).get('token')!;
      const done = await person.post('/sm/user/invitation', { token, password: 'an attacker’s password', password2: 'an attacker’s password' });
      assert.equal(done.statusCode, 200);
      assert.match(visibleText(done.body), /Sign in with your usual password/);
      assert.deepEqual(await roleOf('meanwhile@example.org'), ['reader', 'reviewer']);
      assert.equal((await person.get('/user/profile')).statusCode, 303, 'not signed in by the link');
      await new Session(t.app).signIn('meanwhile@example.org', 'registered meanwhile');
    });

    it('refuses an invitation without a name, role or valid address, keeping what was typed', async () => {
      const noName = await invite({ email: 'anonymous@example.org', roles: 'reader' });
      assert.equal(noName.statusCode, 400);
      assert.match(visibleText(noName.body), /Enter the given name/);
      assert.match(noName.body, /value="anonymous@example.org"/);
      const noRole = await invite({ email: 'someone@example.org', givenName: 'Some' });
      assert.equal(noRole.statusCode, 400);
      assert.match(visibleText(noRole.body), /Choose at least one role/);
      assert.equal(await t.database.db.selectFrom('invitations').select('id').where('email', 'in', ['anonymous@example.org', 'someone@example.org']).executeTakeFirst(), undefined);
    });

    it('lets a link expire after 14 days', async () => {
      await invite({ email: 'late@example.org', givenName: 'Late', roles: 'reviewer' });
      const link = linkIn((await smtp.next()).text);
      clock.advance(14 * DAY + 60_000);
      const page = await new Session(t.app, { 'accept-language': 'en' }).get(link);
      assert.equal(page.statusCode, 410);
      assert.match(visibleText(page.body), /expired/);
      assert.match(visibleText((await manager.get('/sm/management/users')).body), /late@example\.org.*Expired/);
    });

    it('sends an invitation again with a new link (the old one stops working), at most three mails an hour', async () => {
      await invite({ email: 'resend@example.org', givenName: 'Re', roles: 'author' });
      const first = linkIn((await smtp.next()).text);
      const id = (await t.database.db.selectFrom('invitations').select('id').where('email', '=', 'resend@example.org').executeTakeFirstOrThrow()).id;
      await manager.get('/sm/management/users');
      assert.equal((await manager.post(`/sm/management/users/invitations/${id}/resend`)).statusCode, 303);
      const second = linkIn((await smtp.next()).text);
      assert.notEqual(second, first);
      const old = await new Session(t.app, { 'accept-language': 'en' }).get(first);
      assert.equal(old.statusCode, 410);
      assert.match(visibleText(old.body), /does not work/);
      assert.equal((await new Session(t.app).get(second)).statusCode, 200);
      await manager.get('/sm/management/users');
      assert.equal((await manager.post(`/sm/management/users/invitations/${id}/resend`)).statusCode, 303);
      await smtp.next();
      await manager.get('/sm/management/users');
      const throttled = await manager.post(`/sm/management/users/invitations/${id}/resend`);
      assert.equal(throttled.statusCode, 429);
      assert.match(visibleText(throttled.body), /Too many invitations/);
    });

    it('withdraws an invitation only after its confirmation page; the link then says so', async () => {
      await invite({ email: 'withdrawn@example.org', givenName: 'Wit', roles: 'reader' });
      const link = linkIn((await smtp.next()).text);
      const id = (await t.database.db.selectFrom('invitations').select('id').where('email', '=', 'withdrawn@example.org').executeTakeFirstOrThrow()).id;
      const confirm = await manager.get(`/sm/management/users/invitations/${id}/revoke`);
      assert.equal(confirm.statusCode, 200);
      assert.match(visibleText(confirm.body), /Withdraw the invitation to Wit <withdrawn@example\.org>\?/);
      assert.match(confirm.body, /class="confirmation"/);
      assert.equal((await new Session(t.app).get(link)).statusCode, 200, 'nothing changed before the confirmation is sent');
      assert.equal((await manager.post(`/sm/management/users/invitations/${id}/revoke`)).statusCode, 303);
      const page = await new Session(t.app, { 'accept-language': 'en' }).get(link);
      assert.equal(page.statusCode, 410);
      assert.match(visibleText(page.body), /withdrawn/);
      assert.equal((await manager.post(`/sm/management/users/invitations/${id}/revoke`)).statusCode, 404, 'withdrawn once');
    });

    it('keeps invitations of one journal out of another journal’s hands', async () => {
      const other = await createJournal(t.database.db, { path: 'other', name: { en: 'Other' }, primaryLocale: 'en', supportedLocales: ['en'] });
      await createUserWithRole(t.database.db, { email: 'other.manager@example.org', password: 'other manager password', role: 'manager', journalId: other, now: clock.now() });
      const otherManager = new Session(t.app, { 'accept-language': 'en' });
      await otherManager.signIn('other.manager@example.org', 'other manager password');
      const id = (await t.database.db.selectFrom('invitations').select('id').where('email', '=', 'resend@example.org').executeTakeFirstOrThrow()).id;
      assert.equal((await otherManager.get(`/other/management/users/invitations/${id}/revoke`)).statusCode, 404);
    });
  });
}
