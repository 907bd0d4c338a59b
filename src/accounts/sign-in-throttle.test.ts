import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { createUserWithRole } from './index.ts';
import { DEVICE_COOKIE } from './devices.ts';
import { startTestApp, visibleText, type TestApp } from '../../test/support/app.ts';
import { testDatabases } from '../../test/support/databases.ts';
import { manualClock, Session } from '../../test/support/session.ts';

/** A visitor of the sign-in form whose connection comes from `remoteAddress` (a proxy, a gateway). */
async function signInFrom(app: FastifyInstance, remoteAddress: string): Promise<(fields: Record<string, string>, headers?: Record<string, string>) => Promise<LightMyRequestResponse>> {
  const page = await app.inject({ url: '/login', remoteAddress });
  const cookie = (page.cookies as Array<{ name: string; value: string }>).map((c) => `${c.name}=${c.value}`).join('; ');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
  return (fields, headers = {}) =>
    app.inject({
      method: 'POST',
      url: '/login/signIn',
      remoteAddress,
      headers: { ...headers, cookie, 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'en' },
      payload: new URLSearchParams({ _csrf: csrf, ...fields }).toString(),
    });
}

const from = (app: FastifyInstance, address: string) => new Session(app, { 'accept-language': 'en', 'x-forwarded-for': address });

const count = (statuses: number[]) => statuses.reduce<Record<number, number>>((all, s) => ({ ...all, [s]: (all[s] ?? 0) + 1 }), {});

for (const database of await testDatabases()) {
  describe(`sign-in throttling on ${database.name}`, () => {
    let t: TestApp;
    const clock = manualClock();
    const password = 'the owner’s password';

    before(async () => {
      t = await startTestApp(database, { clock, demo: false });
    });
    after(() => t.close());

    // Each test starts after every earlier wait and count is forgotten.
    const account = async (email: string) => {
      clock.advance(2 * 3600 * 1000);
      await createUserWithRole(t.database.db, { email, password, role: 'admin', now: clock.now() });
    };

    it('checks exactly five of twenty parallel wrong passwords; the other fifteen wait, with Retry-After', async () => {
      await account('parallel@example.org');
      const attacker = from(t.app, '198.51.100.10');
      await attacker.get('/login');
      const responses = await Promise.all(Array.from({ length: 20 }, (_, i) => attacker.post('/login/signIn', { email: 'parallel@example.org', password: `guess number ${i}` })));
      assert.deepEqual(count(responses.map((r) => r.statusCode)), { 400: 5, 429: 15 });
      for (const refused of responses.filter((r) => r.statusCode === 429)) {
        const wait = Number(refused.headers['retry-after']);
        assert.ok(wait > 0 && wait <= 60, `Retry-After ${refused.headers['retry-after']}`);
        assert.match(visibleText(refused.body), /Too many unsuccessful sign-in attempts\. Try again in 1 min/);
      }
      // The right password from the attacker's address waits too…
      const sameAddress = from(t.app, '198.51.100.10');
      await sameAddress.get('/login');
      assert.equal((await sameAddress.post('/login/signIn', { email: 'parallel@example.org', password })).statusCode, 429);
      // …but the owner elsewhere is not locked out.
      await from(t.app, '203.0.113.20').signIn('parallel@example.org', password);
    });

    it('lets the owner in from another address, and from a known device during an attack from many addresses', async () => {
      await account('owner@example.org');
      const fiveWrong = async (address: string) => {
        const attacker = from(t.app, address);
        await attacker.get('/login');
        const statuses = [];
        for (let i = 0; i < 6; i++) statuses.push((await attacker.post('/login/signIn', { email: 'owner@example.org', password: `wrong ${i}` })).statusCode);
        assert.deepEqual(statuses, [400, 400, 400, 400, 400, 429], address);
      };
      // A stranger's failures from one address do not keep the owner out elsewhere.
      await fiveWrong('198.51.100.1');
      const ownerAtHome = from(t.app, '203.0.113.30');
      await ownerAtHome.signIn('owner@example.org', password);
      assert.ok(ownerAtHome.cookies.get(DEVICE_COOKIE), 'a device cookie after signing in');
      await ownerAtHome.get('/user/profile');
      assert.equal((await ownerAtHome.post('/login/signOut')).statusCode, 303);

      // Four more addresses, five wrong passwords each: the account waits for browsers it does not know.
      for (const address of ['198.51.100.2', '198.51.100.3', '198.51.100.4', '198.51.100.5']) await fiveWrong(address);
      const newBrowser = from(t.app, '203.0.113.40');
      await newBrowser.get('/login');
      const waiting = await newBrowser.post('/login/signIn', { email: 'owner@example.org', password });
      assert.equal(waiting.statusCode, 429, 'an unknown browser waits while the account is under attack');
      assert.match(visibleText(waiting.body), /set a new password with “Forgot your password\?”/);

      // The owner's own browser, now on another network, is let through.
      const ownerTravelling = from(t.app, '203.0.113.41');
      ownerTravelling.cookies.set(DEVICE_COOKIE, ownerAtHome.cookies.get(DEVICE_COOKIE)!);
      await ownerTravelling.signIn('owner@example.org', password);
      // A device cookie names one account: it opens no wait for another.
      const borrowed = from(t.app, '198.51.100.1');
      borrowed.cookies.set(DEVICE_COOKIE, ownerAtHome.cookies.get(DEVICE_COOKIE)!);
      await borrowed.get('/login');
      assert.equal((await borrowed.post('/login/signIn', { email: 'owner@example.org', password: 'still guessing' })).statusCode, 400, 'a known device has its own count');

      // A password reset by email always works and ends the wait for every browser.
      const lost = from(t.app, '203.0.113.42');
      await lost.get('/login/lostPassword');
      await lost.post('/login/lostPassword', { email: 'owner@example.org' });
      const mail = await t.database.db.selectFrom('mail_outbox').select('text_body').where('to_address', '=', 'owner@example.org').orderBy('id', 'desc').executeTakeFirstOrThrow();
      const token = /resetPassword\?token=([A-Za-z0-9_-]+)/.exec(mail.text_body)![1]!;
      await lost.get(`/login/resetPassword?token=${token}`);
      assert.equal((await lost.post('/login/resetPassword', { token, password: 'a new owner password', password2: 'a new owner password' })).statusCode, 200);
      await from(t.app, '203.0.113.40').signIn('owner@example.org', 'a new owner password');
    });

    it('makes one address wait after thirty failures across different accounts', async () => {
      await account('bystander@example.org');
      const sprayer = from(t.app, '198.51.100.50');
      await sprayer.get('/login');
      const statuses = [];
      for (let i = 0; i < 30; i++) statuses.push((await sprayer.post('/login/signIn', { email: `person${i}@example.org`, password: 'Winter2025!' })).statusCode);
      assert.deepEqual(count(statuses), { 400: 30 });
      const next = await sprayer.post('/login/signIn', { email: 'bystander@example.org', password });
      assert.equal(next.statusCode, 429, 'the 31st attempt from the address waits, even with a right password');
      assert.equal(Number(next.headers['retry-after']), 15 * 60);
      await from(t.app, '198.51.100.51').signIn('bystander@example.org', password);
      clock.advance(15 * 60 * 1000);
      await from(t.app, '198.51.100.50').signIn('bystander@example.org', password);
    });

    it('believes X-Forwarded-For only from a proxy on this machine, not from a Docker-style gateway', async () => {
      await account('gateway@example.org');
      const viaGateway = await signInFrom(t.app, '172.17.0.1');
      const statuses = [];
      for (let i = 0; i < 31; i++) statuses.push((await viaGateway({ email: `victim${i}@example.org`, password: 'Summer2025!' }, { 'x-forwarded-for': `10.9.${i}.1` })).statusCode);
      assert.deepEqual(count(statuses), { 400: 30, 429: 1 }, 'made-up client addresses get no fresh quota');
      // From loopback (a reverse proxy on the same machine) the forwarded address counts.
      await from(t.app, '10.9.0.1').signIn('gateway@example.org', password);
    });

    it('throttles the current password asked again on the profile forms', async () => {
      await account('borrowed@example.org');
      const borrowed = from(t.app, '203.0.113.60');
      await borrowed.signIn('borrowed@example.org', password);
      await borrowed.get('/user/profile');
      const change = (oldPassword: string) => borrowed.post('/user/profile/password', { oldPassword, password: 'taken over password', password2: 'taken over password' });
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await change(`guess ${i}`)).statusCode);
      assert.deepEqual(statuses, [400, 400, 400, 400, 400]);
      const refused = await change(password);
      assert.equal(refused.statusCode, 429, 'the sixth try waits, even the right password');
      assert.ok(Number(refused.headers['retry-after']) > 0);
      assert.match(visibleText(refused.body), /Too many wrong passwords\. Try again in 1 min/);
      const email = await borrowed.post('/user/profile/email', { newEmail: 'thief@example.org', currentPassword: password });
      assert.equal(email.statusCode, 429, 'the change of address shares the count');
      clock.advance(61 * 1000);
      assert.equal((await change(password)).statusCode, 200);
    });
  });
}
