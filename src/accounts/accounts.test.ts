import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createUserWithRole, SESSION_COOKIE } from './index.ts';
import { createMailer } from '../mail/index.ts';
import { startTestApp, visibleText, type TestApp } from '../../test/support/app.ts';
import { testDatabases } from '../../test/support/databases.ts';
import { manualClock, Session } from '../../test/support/session.ts';
import { startSmtpListener, type ReceivedMail } from '../../test/support/smtp.ts';

const linkIn = (mail: ReceivedMail) => {
  const match = /http:\/\/localhost:3000(\/\S+)/.exec(mail.text);
  assert.ok(match, `no link in mail: ${mail.text}`);
  return match[1]!;
};

const registration = (email: string, extra: Record<string, string> = {}) => ({
  'givenName.pl': 'Anna',
  'familyName.pl': 'Nowak',
  'affiliation.pl': 'Uniwersytet Warszawski',
  country: 'PL',
  orcid: '0000-0002-1825-0097',
  email,
  password: 'correct horse battery',
  password2: 'correct horse battery',
  privacyConsent: 'on',
  ...extra,
});

for (const database of await testDatabases()) {
  describe(`accounts on ${database.name}`, () => {
    let t: TestApp;
    let smtp: Awaited<ReturnType<typeof startSmtpListener>>;
    const clock = manualClock();

    before(async () => {
      smtp = await startSmtpListener();
      t = await startTestApp(database, { clock, mailer: (db) => createMailer(db.db, { smtpUrl: smtp.url, from: 'Revista <noreply@localhost>' }) });
      await createUserWithRole(t.database.db, { email: 'admin@example.org', password: 'administrator password', role: 'admin', now: clock.now() });
    });
    after(async () => {
      await t.close();
      await smtp.close();
    });

    it('registers through a journal, confirms the address from the mail, then signs in', async () => {
      const visitor = new Session(t.app);
      const form = await visitor.get('/sm/user/register');
      assert.equal(form.statusCode, 200);
      assert.match(form.headers['cache-control'] as string, /no-store/);
      const done = await visitor.post('/sm/user/register', registration('anna@example.org'));
      assert.equal(done.statusCode, 200);
      assert.match(visibleText(done.body), /Wysłaliśmy wiadomość na adres anna@example\.org/);

      const mail = await smtp.next();
      assert.deepEqual(mail.envelopeTo, ['anna@example.org']);
      assert.equal(mail.subject, 'Potwierdź adres e-mail w serwisie Sprawy Międzynarodowe');
      const link = linkIn(mail);
      assert.match(link, /^\/sm\/user\/verify\?token=[A-Za-z0-9_-]{43}$/);

      // Not confirmed yet: the right password does not let the person in.
      await visitor.get('/sm/login');
      const early = await visitor.post('/sm/login/signIn', { email: 'anna@example.org', password: 'correct horse battery' });
      assert.equal(early.statusCode, 403);
      assert.match(visibleText(early.body), /Najpierw potwierdź adres e-mail/);

      const confirmed = await visitor.get(link);
      assert.equal(confirmed.statusCode, 200);
      assert.match(visibleText(confirmed.body), /Adres e-mail został potwierdzony/);
      assert.equal((await visitor.get(link)).statusCode, 410, 'a confirmation link works once');

      await visitor.signIn('anna@example.org', 'correct horse battery', 'sm');
      const profile = await visitor.get('/sm/user/profile');
      assert.equal(profile.statusCode, 200);
      const text = visibleText(profile.body);
      assert.match(text, /Profil: Anna Nowak/);
      assert.match(text, /sm: Czytelnik/);
      assert.match(text, /sm: Autor/);
      assert.match(profile.body, /value="https:\/\/orcid\.org\/0000-0002-1825-0097"/);
      const user = await t.database.db.selectFrom('users').selectAll().where('email', '=', 'anna@example.org').executeTakeFirstOrThrow();
      assert.ok(user.privacy_consent_at, 'consent is recorded with its date');
      assert.match(user.password_hash!, /^\$argon2id\$/);
    });

    it('sets the session cookie HttpOnly, SameSite=Lax and signed, and signing out ends the session', async () => {
      const person = new Session(t.app);
      await person.get('/login');
      const response = await person.post('/login/signIn', { email: 'admin@example.org', password: 'administrator password' });
      const cookie = (response.headers['set-cookie'] as string[] | string).toString();
      assert.match(cookie, new RegExp(`${SESSION_COOKIE}=[^;]+\\.[^;]+;`), 'signed value');
      assert.match(cookie, /HttpOnly/);
      assert.match(cookie, /SameSite=Lax/);
      assert.doesNotMatch(cookie, /Secure/, 'plain http here');
      // Behind a TLS-terminating proxy the cookie is Secure.
      const overTls = new Session(t.app, { 'x-forwarded-proto': 'https' });
      await overTls.get('/login');
      const secure = await overTls.post('/login/signIn', { email: 'admin@example.org', password: 'administrator password' });
      assert.match((secure.headers['set-cookie'] as string[] | string).toString(), new RegExp(`${SESSION_COOKIE}=[^,]*Secure`));
      // …but only a proxy on this machine or a private network is believed, not a client on the internet.
      const spoofed = await t.app.inject({ url: '/login', remoteAddress: '203.0.113.9', headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': '198.51.100.1' } });
      assert.doesNotMatch((spoofed.headers['set-cookie'] as string[] | string).toString(), /Secure/);
      const stolen = person.cookies.get(SESSION_COOKIE)!;
      assert.equal((await person.get('/admin')).statusCode, 200);
      await person.post('/login/signOut');
      const replay = await t.app.inject({ url: '/admin', headers: { cookie: `${SESSION_COOKIE}=${stolen}` } });
      assert.equal(replay.statusCode, 303, 'the old cookie no longer opens anything');
      assert.match(replay.headers.location as string, /^\/login\?source=%2Fadmin$/);
    });

    it('refuses bad registrations with messages and stores nothing', async () => {
      const visitor = new Session(t.app, { 'accept-language': 'en' });
      await visitor.get('/user/register');
      const response = await visitor.post('/user/register', registration('bad@example.org', { orcid: '0000-0002-1825-0098', password2: 'something else', privacyConsent: '' }));
      assert.equal(response.statusCode, 400);
      const text = visibleText(response.body);
      assert.match(text, /There is a problem/);
      assert.match(text, /not a valid ORCID iD/);
      assert.match(text, /The two passwords are not the same/);
      assert.match(text, /needs your consent to the privacy statement/);
      assert.match(response.body, /aria-invalid="true"/);
      const row = await t.database.db.selectFrom('users').select('id').where('email', '=', 'bad@example.org').executeTakeFirst();
      assert.equal(row, undefined);
    });

    it('answers sign-in, reset and registration the same whether or not an account exists', async () => {
      const visitor = new Session(t.app, { 'accept-language': 'en' });
      await visitor.get('/login');
      const unknown = await visitor.post('/login/signIn', { email: 'nobody@example.org', password: 'whatever password' });
      const wrong = await visitor.post('/login/signIn', { email: 'admin@example.org', password: 'whatever password' });
      assert.equal(unknown.statusCode, wrong.statusCode);
      const message = (body: string) => /<div class="error-summary"[\s\S]*?<\/div>/.exec(body)?.[0];
      assert.equal(message(unknown.body), message(wrong.body));

      await visitor.get('/login/lostPassword');
      const resetUnknown = await visitor.post('/login/lostPassword', { email: 'nobody@example.org' });
      const resetKnown = await visitor.post('/login/lostPassword', { email: 'admin@example.org' });
      assert.equal(resetUnknown.statusCode, resetKnown.statusCode);
      assert.equal(visibleText(resetUnknown.body).replace('nobody@example.org', 'X'), visibleText(resetKnown.body).replace('admin@example.org', 'X'));
      // Both addresses get one mail (the same work either way); only the account's has a link to use.
      const resetMails = [await smtp.next(), await smtp.next()];
      const resetMail = resetMails.find((m) => m.envelopeTo[0] === 'admin@example.org')!;
      assert.match(resetMail.subject, /Set a new password/);
      assert.match(resetMail.text, /\/login\/resetPassword\?token=/);
      const noAccount = resetMails.find((m) => m.envelopeTo[0] === 'nobody@example.org')!;
      assert.match(noAccount.subject, /Password reset requested/);
      assert.match(noAccount.text, /no account uses this address/);
      assert.doesNotMatch(noAccount.text, /token=/);

      await visitor.get('/user/register');
      const again = await visitor.post('/user/register', registration('admin@example.org'));
      const fresh = await visitor.post('/user/register', registration('fresh@example.org'));
      assert.equal(again.statusCode, fresh.statusCode);
      assert.equal(visibleText(again.body).replace('admin@example.org', 'X'), visibleText(fresh.body).replace('fresh@example.org', 'X'));
      const mails = [await smtp.next(), await smtp.next()];
      const attempt = mails.find((m) => m.envelopeTo[0] === 'admin@example.org')!;
      assert.match(attempt.subject, /Registration attempt/);
      assert.ok(mails.some((m) => m.envelopeTo[0] === 'fresh@example.org' && /Confirm your email/.test(m.subject)));
    });

    it('resets a forgotten password through a one-time link', async () => {
      await createUserWithRole(t.database.db, { email: 'reset@example.org', password: 'the old password', role: 'reader', journalId: 1, now: clock.now() });
      const visitor = new Session(t.app, { 'accept-language': 'en' });
      await visitor.get('/sm/login/lostPassword');
      await visitor.post('/sm/login/lostPassword', { email: 'reset@example.org' });
      const mail = await smtp.next();
      assert.match(mail.subject, /Ustaw nowe hasło|Set a new password/);
      const link = linkIn(mail);
      const form = await visitor.get(link);
      assert.equal(form.statusCode, 200);
      const token = new URL(link, 'http://x').searchParams.get('token')!;
      const tooShort = await visitor.post('/sm/login/resetPassword', { token, password: 'short', password2: 'short' });
      assert.equal(tooShort.statusCode, 400);
      const done = await visitor.post('/sm/login/resetPassword', { token, password: 'a brand new password', password2: 'a brand new password' });
      assert.equal(done.statusCode, 200);
      assert.equal((await visitor.post('/sm/login/resetPassword', { token, password: 'yet another password', password2: 'yet another password' })).statusCode, 410);
      await assert.rejects(new Session(t.app).signIn('reset@example.org', 'the old password'));
      await new Session(t.app).signIn('reset@example.org', 'a brand new password');
    });

    it('changes the email address only after the new address confirms it, tells the old address, and signs out other devices', async () => {
      await createUserWithRole(t.database.db, { email: 'move@example.org', password: 'moving password', role: 'reader', journalId: 1, now: clock.now() });
      const person = new Session(t.app, { 'accept-language': 'en' });
      await person.signIn('move@example.org', 'moving password');
      const otherDevice = new Session(t.app, { 'accept-language': 'en' });
      await otherDevice.signIn('move@example.org', 'moving password');
      await person.get('/user/profile');
      const wrongPassword = await person.post('/user/profile/email', { newEmail: 'moved@example.org', currentPassword: 'nope nope nope' });
      assert.equal(wrongPassword.statusCode, 400);
      await person.post('/user/profile/email', { newEmail: 'moved@example.org', currentPassword: 'moving password' });
      const mail = await smtp.next();
      assert.deepEqual(mail.envelopeTo, ['moved@example.org']);
      assert.match(visibleText((await person.get('/user/profile')).body), /Current address: move@example\.org/);
      const link = linkIn(mail);
      const confirm = await person.get(link);
      assert.match(visibleText(confirm.body), /Change the email address of your account to moved@example\.org/);
      const token = new URL(link, 'http://x').searchParams.get('token')!;
      const done = await person.post('/user/email/confirm', { token });
      assert.equal(done.statusCode, 200);
      await new Session(t.app).signIn('moved@example.org', 'moving password');

      // The old address hears of it, with a way back.
      const notice = await smtp.next();
      assert.deepEqual(notice.envelopeTo, ['move@example.org']);
      assert.match(notice.subject, /email address of your account .* was changed/);
      assert.match(notice.text, /from move@example\.org to moved@example\.org/);
      assert.match(linkIn(notice), /^\/user\/email\/revert\?token=[A-Za-z0-9_-]{43}$/);
      // The device that confirmed stays signed in; the other one is signed out.
      assert.equal((await person.get('/user/profile')).statusCode, 200);
      assert.equal((await otherDevice.get('/user/profile')).statusCode, 303);
    });

    it('throttles 20 wrong passwords in a row, and lets the right one in after the wait', async () => {
      await createUserWithRole(t.database.db, { email: 'target@example.org', password: 'the right password', role: 'reader', journalId: 1, now: clock.now() });
      const attacker = new Session(t.app, { 'accept-language': 'en' });
      await attacker.get('/login');
      const statuses: number[] = [];
      let last = '';
      for (let i = 0; i < 20; i++) {
        const response = await attacker.post('/login/signIn', { email: 'target@example.org', password: `wrong guess ${i}` });
        statuses.push(response.statusCode);
        last = visibleText(response.body);
      }
      assert.deepEqual(statuses.slice(0, 5), [400, 400, 400, 400, 400]);
      assert.ok(statuses.slice(5).every((s) => s === 429), `after five failures every attempt waits: ${statuses.join(',')}`);
      assert.match(last, /Too many unsuccessful sign-in attempts\. Try again in \d+ min/);
      const owner = new Session(t.app, { 'accept-language': 'en' });
      await owner.get('/login');
      const duringWait = await owner.post('/login/signIn', { email: 'target@example.org', password: 'the right password' });
      assert.equal(duringWait.statusCode, 429, 'the account waits, whoever asks');
      assert.ok(Number(duringWait.headers['retry-after']) > 0);
      clock.advance(16 * 60 * 1000);
      await owner.signIn('target@example.org', 'the right password');
    });

    it('exports the person’s own data without secrets, and records a deletion request', async () => {
      const person = new Session(t.app, { 'accept-language': 'en' });
      await person.signIn('anna@example.org', 'correct horse battery');
      const exported = await person.get('/user/profile/export');
      assert.equal(exported.statusCode, 200);
      assert.match(exported.headers['content-disposition'] as string, /attachment/);
      const data = JSON.parse(exported.body);
      assert.equal(data.user.email, 'anna@example.org');
      assert.deepEqual(data.roles.map((r: { role: string }) => r.role).sort(), ['author', 'reader']);
      assert.ok(!exported.body.includes('argon2'), 'no password hash');
      assert.ok(data.mail.length >= 1, 'the mail sent to the person is listed');
      await person.get('/user/profile');
      assert.equal((await person.post('/user/profile/delete', {})).statusCode, 400, 'needs the confirmation box');
      const requested = await person.post('/user/profile/delete', { confirm: 'on' });
      assert.match(visibleText(requested.body), /Your request is recorded/);
      const confirmation = await smtp.next();
      assert.deepEqual(confirmation.envelopeTo, ['anna@example.org']);
      assert.match(confirmation.subject, /usunięcie konta|delete your account/);
      const row = await t.database.db.selectFrom('users').select('deletion_requested_at').where('email', '=', 'anna@example.org').executeTakeFirstOrThrow();
      assert.ok(row.deletion_requested_at);
    });
  });
}
