import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createUserWithRole } from './index.ts';
import { hashPassword } from './passwords.ts';
import { createMailer } from '../mail/index.ts';
import { startTestApp, visibleText, type TestApp } from '../../test/support/app.ts';
import { testDatabases } from '../../test/support/databases.ts';
import { manualClock, Session } from '../../test/support/session.ts';
import { startSmtpListener } from '../../test/support/smtp.ts';

const registration = (email: string, extra: Record<string, string> = {}) => ({
  'givenName.pl': 'Anna',
  'familyName.pl': 'Nowak',
  email,
  password: 'correct horse battery',
  password2: 'correct horse battery',
  privacyConsent: 'on',
  ...extra,
});

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** The answer, or a failure when it does not come within `ms` (it waits for something it should not). */
async function answeredWithin<T>(ms: number, answer: Promise<T>, what: string): Promise<T> {
  const timeout = sleep(ms).then(() => {
    throw new Error(`${what}: no answer within ${ms} ms`);
  });
  return Promise.race([answer, timeout]);
}

for (const database of await testDatabases()) {
  describe(`registration and account mail abuse on ${database.name}`, () => {
    let t: TestApp;
    let smtp: Awaited<ReturnType<typeof startSmtpListener>>;
    let releaseSmtp: () => void = () => {};
    const clock = manualClock();

    before(async () => {
      // The SMTP server accepts each message only once the first test lets it.
      smtp = await startSmtpListener({ hold: new Promise<void>((resolve) => (releaseSmtp = resolve)) });
      t = await startTestApp(database, { clock, mailer: (db) => createMailer(db.db, { smtpUrl: smtp.url, from: 'Revista <noreply@localhost>' }) });
      await createUserWithRole(t.database.db, { email: 'taken@example.org', password: 'the owner password', role: 'reader', journalId: 1, now: clock.now() });
    });
    after(async () => {
      releaseSmtp();
      await t.close();
      await smtp.close();
    });

    const outboxFor = (email: string) => t.database.db.selectFrom('mail_outbox').select(['id', 'status', 'subject', 'text_body']).where('to_address', '=', email).orderBy('id').execute();
    const from = (address: string) => new Session(t.app, { 'accept-language': 'en', 'x-forwarded-for': address });
    // Each test starts after every earlier rate limit is forgotten.
    const later = () => clock.advance(2 * 3600 * 1000);

    it('writes one mail to the outbox before answering and delivers it after, the same for taken and new addresses', async () => {
      try {
        await answersBeforeDelivering();
      } finally {
        // The later tests need the mail through, whatever happened here.
        releaseSmtp();
      }
    });

    async function answersBeforeDelivering() {
      const visitor = from('192.0.2.1');
      await visitor.get('/user/register');
      const pages: string[] = [];
      for (const email of ['taken@example.org', 'new.person@example.org']) {
        const response = await answeredWithin(20_000, visitor.post('/user/register', registration(email)), `registering ${email} while the SMTP server holds mail`);
        assert.equal(response.statusCode, 200, email);
        pages.push(visibleText(response.body).replace(email, 'ADDRESS'));
        const rows = await outboxFor(email);
        assert.equal(rows.length, 1, `one mail for ${email}`);
        assert.equal(rows[0]!.status, 'stored', 'written before the answer, not yet delivered');
      }
      assert.equal(pages[0], pages[1], 'the same page either way');

      await visitor.get('/login/lostPassword');
      for (const email of ['taken@example.org', 'nobody.here@example.org']) {
        const response = await answeredWithin(20_000, visitor.post('/login/lostPassword', { email }), `lost password for ${email} while the SMTP server holds mail`);
        assert.equal(response.statusCode, 200);
        pages.push(visibleText(response.body).replace(email, 'ADDRESS'));
        assert.equal((await outboxFor(email)).filter((m) => /password/i.test(m.subject)).length, 1, `a mail for ${email}`);
      }
      assert.equal(pages[2], pages[3]);

      releaseSmtp();
      const subjects = (await Promise.all([smtp.next(), smtp.next(), smtp.next(), smtp.next()])).map((m) => `${m.envelopeTo[0]}: ${m.subject}`).sort();
      assert.deepEqual(subjects, [
        'new.person@example.org: Confirm your email address for Revista',
        'nobody.here@example.org: Password reset requested at Revista',
        'taken@example.org: Registration attempt with your email address at Revista',
        'taken@example.org: Set a new password for Revista',
      ]);
      for (let i = 0; i < 100; i++) {
        const statuses = [...(await outboxFor('taken@example.org')), ...(await outboxFor('new.person@example.org'))].map((m) => m.status);
        if (statuses.every((s) => s === 'sent')) return;
        await sleep(100);
      }
      assert.fail('the delivered mails are marked sent in the outbox');
    }

    it('hashes the password for a taken address as for a new one (CPU time, which other processes do not inflate)', async (test) => {
      later();
      for (let i = 0; i < 5; i++) await createUserWithRole(t.database.db, { email: `existing${i}@example.org`, password: 'some password here', role: 'reader', journalId: 1, now: clock.now() });
      const cpu = async (work: () => Promise<unknown>) => {
        const start = process.cpuUsage();
        await work();
        const used = process.cpuUsage(start);
        return (used.user + used.system) / 1000;
      };
      const oneHash = median([await cpu(() => hashPassword('a password to hash')), await cpu(() => hashPassword('a password to hash')), await cpu(() => hashPassword('a password to hash'))]);
      const visitor = from('192.0.2.2');
      await visitor.get('/user/register');
      const taken: number[] = [];
      const fresh: number[] = [];
      for (let i = 0; i < 5; i++) {
        // Interleaved, so a change in the machine's state touches both alike; each mail is received
        // before the next measurement, so no delivery runs during one.
        taken.push(await cpu(() => visitor.post('/user/register', registration(`existing${i}@example.org`))));
        await smtp.next();
        fresh.push(await cpu(() => visitor.post('/user/register', registration(`fresh${i}@example.org`))));
        await smtp.next();
      }
      const [takenMs, freshMs] = [median(taken), median(fresh)];
      test.diagnostic(`CPU per registration: taken ${taken.map((ms) => ms.toFixed(0)).join(', ')} ms; new ${fresh.map((ms) => ms.toFixed(0)).join(', ')} ms; one hash ${oneHash.toFixed(0)} ms`);
      assert.ok(takenMs >= oneHash * 0.6, `a taken address costs ${takenMs.toFixed(0)} ms of CPU, a password hash ${oneHash.toFixed(0)} ms`);
      assert.ok(takenMs / freshMs > 0.5 && takenMs / freshMs < 2, `taken ${takenMs.toFixed(0)} ms against new ${freshMs.toFixed(0)} ms of CPU`);
    });

    it('sends at most three account mails an hour to one address, whichever form asks', async () => {
      later();
      const statuses = [];
      for (let i = 0; i < 3; i++) {
        const visitor = from(`192.0.2.${10 + i}`);
        await visitor.get('/login/lostPassword');
        statuses.push((await visitor.post('/login/lostPassword', { email: 'limited@example.org' })).statusCode);
      }
      assert.deepEqual(statuses, [200, 200, 200]);
      const fourth = from('192.0.2.13');
      await fourth.get('/login/lostPassword');
      const refused = await fourth.post('/login/lostPassword', { email: 'limited@example.org' });
      assert.equal(refused.statusCode, 429);
      assert.equal(Number(refused.headers['retry-after']), 3600);
      assert.match(visibleText(refused.body), /Too many messages were asked for.*Try again in 60 min/);
      await fourth.get('/user/register');
      assert.equal((await fourth.post('/user/register', registration('limited@example.org'))).statusCode, 429, 'registration shares the budget');
      assert.equal(await t.database.db.selectFrom('users').select('id').where('email', '=', 'limited@example.org').executeTakeFirst(), undefined);
      assert.equal((await outboxFor('limited@example.org')).length, 3);
      clock.advance(3600 * 1000);
      await fourth.get('/login/lostPassword');
      assert.equal((await fourth.post('/login/lostPassword', { email: 'limited@example.org' })).statusCode, 200, 'an hour later');
    });

    it('sends at most twenty account mails an hour asked for from one address', async () => {
      later();
      const visitor = from('192.0.2.20');
      await visitor.get('/login/lostPassword');
      const statuses = [];
      for (let i = 0; i < 21; i++) statuses.push((await visitor.post('/login/lostPassword', { email: `someone@domain${i}.example` })).statusCode);
      assert.deepEqual(statuses, [...Array<number>(20).fill(200), 429]);
      const other = from('192.0.2.21');
      await other.get('/login/lostPassword');
      assert.equal((await other.post('/login/lostPassword', { email: 'someone@domain20.example' })).statusCode, 200);
    });

    it('sends at most a hundred account mails an hour to addresses without an account at one mail domain, answering the same past it; the domain’s accounts still get theirs', async () => {
      later();
      await createUserWithRole(t.database.db, { email: 'owner@victim.example', password: 'a long enough password', role: 'reader', journalId: 1, now: clock.now() });
      const statuses = [];
      let visitor = from('198.18.0.1');
      for (let i = 0; i < 101; i++) {
        // Ten from each address, well under the per-address budget.
        if (i % 10 === 0) {
          visitor = from(`198.18.${i / 10}.1`);
          await visitor.get('/login/lostPassword');
        }
        const answer = await visitor.post('/login/lostPassword', { email: `staff${i}@victim.example` });
        statuses.push(answer.statusCode);
        assert.match(visibleText(answer.body), new RegExp(`staff${i}@victim\\.example`), 'the usual answer, naming the address');
      }
      assert.deepEqual(new Set(statuses), new Set([200]), 'the answer does not change past the budget: it would tell which addresses have accounts');
      const toStrangers = await t.database.db.selectFrom('mail_outbox').select('id').where('to_address', 'like', 'staff%@victim.example').execute();
      assert.equal(toStrangers.length, 100, 'the 101st address without an account got nothing');
      const owner = from('198.18.99.1');
      await owner.get('/login/lostPassword');
      assert.equal((await owner.post('/login/lostPassword', { email: 'owner@victim.example' })).statusCode, 200);
      const toOwner = await t.database.db.selectFrom('mail_outbox').select('template').where('to_address', '=', 'owner@victim.example').execute();
      assert.deepEqual(toOwner.map((r) => r.template), ['reset-password'], 'an account at the domain still gets its reset link');
      const registering = from('198.18.98.1');
      await registering.get('/user/register');
      assert.equal((await registering.post('/user/register', registration('newcomer@victim.example'))).statusCode, 200);
      assert.equal(await t.database.db.selectFrom('users').select('id').where('email', '=', 'newcomer@victim.example').executeTakeFirst(), undefined, 'nor is an account made for a new address there');
    });

    it('pretends to register a program that fills the hidden field, and does nothing', async () => {
      later();
      const visitor = from('192.0.2.30');
      const form = await visitor.get('/user/register');
      const honeypot = /<div hidden>\s*<label for="field-website">([^<]+)<\/label>\s*<input type="text" id="field-website" name="website" value="" tabindex="-1" autocomplete="off"\/?>\s*<\/div>/.exec(form.body);
      assert.ok(honeypot, 'a hidden field, labelled for people who still see it');
      assert.match(honeypot[1]!, /Leave this field empty/);
      const bot = await visitor.post('/user/register', registration('bot@example.org', { website: 'https://spam.example' }));
      const person = await visitor.post('/user/register', registration('person@example.org'));
      assert.equal(bot.statusCode, person.statusCode);
      assert.equal(visibleText(bot.body).replace('bot@', 'X@'), visibleText(person.body).replace('person@', 'X@'));
      assert.equal(await t.database.db.selectFrom('users').select('id').where('email', '=', 'bot@example.org').executeTakeFirst(), undefined);
      assert.equal((await outboxFor('bot@example.org')).length, 0);
      assert.equal((await outboxFor('person@example.org')).length, 1);
    });

    it('gives the journal’s roles only when the address is confirmed', async () => {
      later();
      const visitor = from('192.0.2.40');
      await visitor.get('/sm/user/register');
      assert.equal((await visitor.post('/sm/user/register', registration('roles@example.org'))).statusCode, 200);
      const user = await t.database.db.selectFrom('users').select('id').where('email', '=', 'roles@example.org').executeTakeFirstOrThrow();
      const roles = () => t.database.db.selectFrom('role_assignments').select(['journal_id', 'role']).where('user_id', '=', user.id).orderBy('role').execute();
      assert.deepEqual(await roles(), [], 'no role before the address is confirmed');
      const mail = (await outboxFor('roles@example.org'))[0]!;
      const link = /http:\/\/localhost:3000(\/sm\/user\/verify\?token=\S+)/.exec(mail.text_body)![1]!;
      assert.equal((await visitor.get(link)).statusCode, 200);
      assert.deepEqual(await roles(), [
        { journal_id: 1, role: 'author' },
        { journal_id: 1, role: 'reader' },
      ]);
    });

    it('refuses addresses at disposable mail domains, subdomains too', async () => {
      later();
      const visitor = from('192.0.2.50');
      await visitor.get('/user/register');
      for (const email of ['throwaway@mailinator.com', 'throwaway@eu.MAILINATOR.com']) {
        const response = await visitor.post('/user/register', registration(email));
        assert.equal(response.statusCode, 400, email);
        assert.match(visibleText(response.body), /Addresses of disposable mail services cannot be used/);
      }
      assert.equal((await t.database.db.selectFrom('users').select('id').where('email', 'ilike', '%mailinator.com').execute()).length, 0);
      assert.equal((await visitor.post('/user/register', registration('keeper@notmailinator.com'))).statusCode, 200, 'only the domain and its subdomains');
    });

    it('sends the confirmation again only from the button given after the right password', async () => {
      later();
      const visitor = from('192.0.2.60');
      await visitor.get('/user/register');
      await visitor.post('/user/register', registration('unconfirmed@example.org'));
      // Anyone asking for an address: refused, whether or not it has an account.
      await visitor.get('/login');
      const byAddress = await visitor.post('/user/verify/resend', { email: 'unconfirmed@example.org' });
      assert.equal(byAddress.statusCode, 400);
      assert.match(visibleText(byAddress.body), /This button has expired\. Sign in again/);
      assert.equal((await outboxFor('unconfirmed@example.org')).length, 1);

      const signIn = await visitor.post('/login/signIn', { email: 'unconfirmed@example.org', password: 'correct horse battery' });
      assert.equal(signIn.statusCode, 403);
      const proof = /name="proof" value="([^"]+)"/.exec(signIn.body)![1]!;
      const forged = proof.replace(/^verify-resend\.\d+/, 'verify-resend.1');
      assert.equal((await visitor.post('/user/verify/resend', { proof: forged })).statusCode, 400, 'the proof is signed');
      const resent = await visitor.post('/user/verify/resend', { proof });
      assert.equal(resent.statusCode, 200);
      assert.match(visibleText(resent.body), /We sent a message to unconfirmed@example\.org/);
      assert.equal((await outboxFor('unconfirmed@example.org')).length, 2);
      assert.equal((await visitor.post('/user/verify/resend', { proof })).statusCode, 200);
      assert.equal((await visitor.post('/user/verify/resend', { proof })).statusCode, 429, 'the fourth mail to the address within the hour');
      clock.advance(2 * 3600 * 1000);
      assert.equal((await visitor.post('/user/verify/resend', { proof })).statusCode, 400, 'the button expires');
    });
  });
}
