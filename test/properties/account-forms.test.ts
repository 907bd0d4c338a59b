import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { createUserWithRole, issueAccountToken } from '../../src/accounts/index.ts';
import { ask, checkAnswer, type Answer } from '../support/answers.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { testDatabases } from '../support/databases.ts';
import { encodedValue, hostileEmail, hostileText, queryOf, runs } from '../support/properties.ts';
import { filledForm, formsOf, jsonBody, postForm, postJson, signedInSessions, type FormEncoding, type PageForm, type Role } from '../support/property-forms.ts';
import { Session } from '../support/session.ts';

/**
 * The account forms — sign-in, registration, lost password, password reset (with real and false
 * tokens), verification, profile, email and password change — posted by visitors and by signed-in
 * people, with their valid form token so that the handler is reached, filled with random and hostile
 * values, repeated fields, JSON and multipart bodies, from many addresses: never a server error. What
 * strangers store (names, addresses) then renders for the administrator without one either.
 */

/** Forms left out: signing out ends the session the property posts with. */
const NOT_POSTED = ['/login/signOut'];
/** Who posts: a visitor (with a form token bound to its cookie) or a signed-in person. */
type Who = 'visitor' | Role;

interface FormCase {
  who: Who;
  form: PageForm;
  pairs: Array<[string, string]>;
  encoding: FormEncoding;
  remoteAddress: string;
}

for (const database of await testDatabases()) {
  describe(`account form properties on ${database.name}`, () => {
    let t: TestApp;
    let sessions: Record<Who, Session>;
    const forms: Array<{ who: Who; form: PageForm }> = [];
    let target = 0;
    let unverified = 0;

    before(async () => {
      t = await startTestApp(database);
      const signedIn = await signedInSessions(t, ['admin', 'editor', 'reader']);
      const visitor = new Session(t.app, { 'accept-language': 'en' });
      sessions = { visitor, ...signedIn } as Record<Who, Session>;
      // Whose reset and change-email links are real: people the property does not post as.
      target = (await createUserWithRole(t.database.db, { email: 'reset-target@example.org', password: 'target password long', role: 'reader', journalId: 1, now: new Date() })).userId;
      // Someone who registered and has not confirmed the address yet.
      unverified = (await createUserWithRole(t.database.db, { email: 'unverified@example.org', password: 'unverified password', role: 'reader', journalId: 1, now: new Date() })).userId;
      await t.database.db.updateTable('users').set({ email_verified_at: null }).where('id', '=', unverified).execute();

      const pages: Array<[Who, string]> = [];
      for (const prefix of ['', '/sm']) {
        for (const path of ['/login', '/login/lostPassword', '/user/register']) pages.push(['visitor', `${prefix}${path}`], ['reader', `${prefix}${path}`]);
        pages.push(['reader', `${prefix}/user/profile`], ['editor', `${prefix}/user/profile`]);
      }
      for (const [who, url] of pages) {
        const page = await sessions[who].get(url);
        for (const form of formsOf(page.body, url)) {
          if (form.method !== 'post' || NOT_POSTED.includes(form.action.replace(/^\/sm/, ''))) continue;
          // Deleting one's own account takes only the box ticked: the property posts it without, so the account stays.
          if (form.action.endsWith('/user/profile/delete')) form.fields = form.fields.filter((f) => f.name !== 'confirm');
          forms.push({ who, form });
        }
      }
      // Forms reached from mails: their fields are known, their pages need a valid link.
      for (const prefix of ['', '/sm']) {
        for (const who of ['visitor', 'reader'] as const) {
          forms.push({ who, form: { action: `${prefix}/login/resetPassword`, method: 'post', enctype: 'application/x-www-form-urlencoded', fields: ['token', 'password', 'password2'].map((name) => ({ name, type: name === 'token' ? 'hidden' : 'password', value: '', options: [] })) } });
          forms.push({ who, form: { action: `${prefix}/user/email/confirm`, method: 'post', enctype: 'application/x-www-form-urlencoded', fields: [{ name: 'token', type: 'hidden', value: '', options: [] }] } });
          forms.push({ who, form: { action: `${prefix}/user/verify/resend`, method: 'post', enctype: 'application/x-www-form-urlencoded', fields: [{ name: 'email', type: 'email', value: '', options: [] }] } });
        }
      }
      assert.ok(forms.length >= 20, `the account pages show their forms (${forms.length})`);
      // The form token each person's pages carry.
      for (const session of Object.values(sessions)) await session.get('/login/lostPassword');
    });
    after(() => t.close());

    /** What a field plausibly takes; `token` fields get a marker replaced by a fresh real token when sent. */
    const plausible = (field: PageForm['fields'][number]): fc.Arbitrary<string> => {
      if (field.type === 'email' || /email/i.test(field.name)) return fc.oneof(hostileEmail, fc.constantFrom('fuzz-reader@example.org', 'reset-target@example.org', 'FUZZ-ADMIN@EXAMPLE.ORG'));
      if (field.type === 'password') return fc.oneof(fc.constantFrom('a long enough password', 'reset-target@example.org', 'short', ''), hostileText({ maxLength: 1500 }));
      if (field.name === 'token') return fc.oneof({ weight: 2, arbitrary: fc.constantFrom('<reset-password>', '<change-email>', '<verify-email>') }, { weight: 1, arbitrary: hostileText({ maxLength: 300 }) });
      if (field.name === 'orcid') return fc.constantFrom('0000-0002-1825-0097', 'https://orcid.org/0000-0002-1825-0097', '0000-0002-1825-009X', 'javascript:alert(1)', '0000-0000-0000-0000');
      if (field.name === 'source') return fc.constantFrom('/sm', '//evil.example', '/\\evil.example', 'http://evil.example/', '/sm/article/view/1786?x=<y>');
      return hostileText({ maxLength: 300 });
    };

    const formCase = (): fc.Arbitrary<FormCase> =>
      fc.constantFrom(...forms).chain(({ who, form }) =>
        fc.record({
          who: fc.constant(who),
          form: fc.constant(form),
          pairs: filledForm(form, plausible),
          encoding: fc.oneof({ weight: 8, arbitrary: fc.constant<FormEncoding>('urlencoded') }, { weight: 1, arbitrary: fc.constant<FormEncoding>('json') }, { weight: 1, arbitrary: fc.constant<FormEncoding>('multipart') }),
          remoteAddress: fc.ipV4(),
        }),
      );

    /** Real one-time tokens, issued just before the form is sent (earlier ones stop working). */
    const withRealTokens = async (pairs: Array<[string, string]>): Promise<Array<[string, string]>> => {
      const out: Array<[string, string]> = [];
      for (const [name, value] of pairs) {
        const purpose = /^<(reset-password|change-email|verify-email)>$/.exec(value)?.[1] as 'reset-password' | 'change-email' | 'verify-email' | undefined;
        out.push([name, purpose ? await issueAccountToken(t.database.db, purpose === 'verify-email' ? unverified : target, purpose, new Date(), purpose === 'change-email' ? `changed-${Date.now()}@example.org` : null) : value]);
      }
      return out;
    };

    const checkForm = (answer: Answer) => {
      checkAnswer(answer);
      assert.ok(answer.status !== 403 || !/csrf|form expired|wygasł/i.test(answer.body), `the form token was valid, yet: ${answer.status}\n  asked: ${answer.asked}\n  ${answer.body.slice(0, 300)}`);
    };

    it('answers any account form, filled in any way, without a server error', async () => {
      await fc.assert(
        fc.asyncProperty(formCase(), async (c) => {
          const answer = await postForm(sessions[c.who], c.form.action, await withRealTokens(c.pairs), { encoding: c.encoding, remoteAddress: c.remoteAddress });
          checkForm(answer);
        }),
        runs(100),
      );
    });

    it('answers any account form posted as JSON of any shape', async () => {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...forms).chain(({ who, form }) => fc.tuple(fc.constant(who), fc.constant(form.action), jsonBody(form))), async ([who, action, body]) => {
          checkForm(await postJson(sessions[who], action, body));
        }),
        runs(60),
      );
    });

    it('takes any names with a right address and password: registered, or refused with a message', async () => {
      const registration = forms.find((f) => f.who === 'visitor' && f.form.action === '/user/register')!.form;
      const names = registration.fields.filter((f) => /^(givenName|familyName|affiliation)\./.test(f.name)).map((f) => f.name);
      let n = 0;
      let registered = 0;
      // Country and ORCID mostly right (they are checked against a list and a check digit), the names anything.
      const countries = fc.oneof({ weight: 4, arbitrary: fc.constantFrom('PL', '') }, { weight: 1, arbitrary: fc.constantFrom('pl', 'XX') }, { weight: 1, arbitrary: hostileText({ maxLength: 20 }) });
      const orcids = fc.oneof({ weight: 4, arbitrary: fc.constantFrom('', '0000-0002-1825-0097') }, { weight: 1, arbitrary: fc.constantFrom('javascript:alert(1)', '<b>', '0000-0002-1825-009X') });
      await fc.assert(
        fc.asyncProperty(fc.tuple(...names.map(() => hostileText({ maxLength: 500 }))), countries, orcids, fc.ipV4(), async (values, country, orcid, remoteAddress) => {
          const visitor = new Session(t.app, { 'accept-language': 'en' });
          await visitor.get('/user/register');
          const email = `stranger-${n++}-${Date.now()}@example.org`;
          const pairs: Array<[string, string]> = [...names.map((name, i) => [name, values[i]!] as [string, string]), ['country', country], ['orcid', orcid], ['email', email], ['password', 'a long enough password'], ['password2', 'a long enough password'], ['privacyConsent', 'on']];
          const answer = await postForm(visitor, '/user/register', pairs, { remoteAddress });
          checkForm(answer);
          if (answer.status === 200) registered++;
        }),
        runs(20),
      );
      assert.ok(registered > 0, 'some strangers were registered, for the administrator’s pages to show');
    });

    it('answers the account pages and one-time links with any query', async () => {
      const pages = ['/login', '/login/lostPassword', '/login/resetPassword', '/user/register', '/user/verify', '/user/email/confirm', '/user/profile', '/user/profile/export'];
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom<Who>('visitor', 'reader', 'admin'),
          fc.constantFrom('', '/sm', '/nope'),
          fc.constantFrom(...pages),
          fc.array(fc.tuple(fc.constantFrom('token', 'source', 'locale', 'email'), encodedValue()), { maxLength: 4 }),
          async (who, prefix, page, pairs) => {
            const answer = await ask(t.app, { url: `${prefix}${page}${pairs.length ? `?${queryOf(pairs)}` : ''}` }, { session: sessions[who] });
            checkAnswer(answer);
          },
        ),
        runs(80, [['visitor', '', '/login', [['source', 'a'], ['source', 'b']]]]),
      );
    });

    it('renders what strangers registered for the administrator: the user list, each person, the outbox', async () => {
      const admin = sessions.admin;
      const list = await ask(t.app, { url: '/admin/users' }, { session: admin });
      checkAnswer(list);
      const userIds = (await t.database.db.selectFrom('users').select('id').orderBy('id', 'desc').limit(30).execute()).map((r) => r.id);
      for (const id of userIds) checkAnswer(await ask(t.app, { url: `/admin/users/${id}` }, { session: admin }));
      const outbox = await ask(t.app, { url: '/admin/outbox' }, { session: admin });
      checkAnswer(outbox);
      const mails = (await t.database.db.selectFrom('mail_outbox').select('id').orderBy('id', 'desc').limit(20).execute()).map((r) => r.id);
      for (const id of mails) checkAnswer(await ask(t.app, { url: `/admin/outbox/${id}` }, { session: admin }));
      // And searched for with what they might have typed.
      await fc.assert(
        fc.asyncProperty(fc.constantFrom('/admin/users', '/admin/outbox'), fc.array(fc.tuple(fc.constantFrom('search', 'journal', 'role', 'page'), encodedValue()), { maxLength: 3 }), async (path, pairs) => {
          checkAnswer(await ask(t.app, { url: `${path}?${queryOf(pairs)}` }, { session: admin }));
        }),
        runs(60, [['/admin/users', [['search', '%00']]], ['/admin/outbox', [['search', '%00']]]]),
      );
    });
  });
}
