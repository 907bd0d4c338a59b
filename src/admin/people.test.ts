import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createUserWithRole } from '../accounts/index.ts';
import { createMailer } from '../mail/index.ts';
import { startTestApp, visibleText, type TestApp } from '../../test/support/app.ts';
import { testDatabases } from '../../test/support/databases.ts';
import { Session } from '../../test/support/session.ts';
import { startSmtpListener } from '../../test/support/smtp.ts';

/** The names in the people table's first column, in order. */
function namesListed(html: string): string[] {
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? '';
  return [...body.matchAll(/<tr>\s*<td>(?:<a [^>]*>)?([^<]*)/g)].map((m) => m[1]!.trim());
}

for (const database of await testDatabases()) {
  describe(`people lists and safe actions on ${database.name}`, () => {
    let t: TestApp;
    let smtp: Awaited<ReturnType<typeof startSmtpListener>>;
    let admin: Session;
    let manager: Session;
    let managerId = 0;
    let adminId = 0;

    before(async () => {
      smtp = await startSmtpListener();
      t = await startTestApp(database, { mailer: (db) => createMailer(db.db, { smtpUrl: smtp.url, from: 'Revista <noreply@localhost>' }) });
      const db = t.database.db;
      const now = new Date();
      adminId = (await createUserWithRole(db, { email: 'admin@example.org', password: 'administrator password', role: 'admin', now })).userId;
      managerId = (await createUserWithRole(db, { email: 'manager@example.org', password: 'manager password', role: 'manager', journalId: 1, givenName: 'Maria', now })).userId;
      const people = [
        { email: 'zofia.wojcik@uw.edu.pl', given: 'Zofia', family: 'Wójcik', affiliation: 'Uniwersytet Łódzki', orcid: '0000-0002-1825-0097', role: 'editor' as const },
        { email: 'adam.abel@example.org', given: 'Adam', family: 'Abel', affiliation: 'Charles University', orcid: null, role: 'reviewer' as const },
        { email: 'ewa.nowak@example.org', given: 'Ewa', family: 'Nowak', affiliation: 'Politechnika Gdańska', orcid: null, role: 'author' as const },
      ];
      for (const p of people) {
        const { userId } = await createUserWithRole(db, { email: p.email, password: 'a long enough password', role: p.role, journalId: 1, now });
        await db.updateTable('users').set({ given_name: JSON.stringify({ pl: p.given }), family_name: JSON.stringify({ pl: p.family, en: p.family }), affiliation: JSON.stringify({ pl: p.affiliation }), orcid: p.orcid }).where('id', '=', userId).execute();
      }
      // Enough readers for a second page.
      for (let i = 0; i < 26; i++) await createUserWithRole(db, { email: `reader${String(i).padStart(2, '0')}@example.org`, password: 'a long enough password', role: 'reader', journalId: 1, now });
      admin = new Session(t.app, { 'accept-language': 'en' });
      await admin.signIn('admin@example.org', 'administrator password');
      manager = new Session(t.app, { 'accept-language': 'en' });
      await manager.signIn('manager@example.org', 'manager password');
    });
    after(async () => {
      await t.close();
      await smtp.close();
    });

    it('finds people by name (without diacritics), email, affiliation and ORCID iD', async () => {
      for (const [search, expected] of [['wojcik', 'Zofia Wójcik'], ['ZOFIA', 'Zofia Wójcik'], ['uw.edu', 'Zofia Wójcik'], ['lodzki', 'Zofia Wójcik'], ['1825-0097', 'Zofia Wójcik'], ['charles', 'Adam Abel'], ['ewa nowak', 'Ewa Nowak'], ['gdansk', 'Ewa Nowak']]) {
        for (const [session, list] of [[admin, '/admin/users'], [manager, '/sm/management/users']] as const) {
          const page = await session.get(`${list}?search=${encodeURIComponent(search)}`);
          assert.equal(page.statusCode, 200);
          assert.deepEqual(namesListed(page.body), [expected], `${list} ${search}`);
          assert.match(visibleText(page.body), /1 found/);
        }
      }
      const none = await admin.get('/admin/users?search=nobody-like-this');
      assert.match(visibleText(none.body), /Nobody matches this search/);
      assert.match(visibleText((await admin.get('/admin/users?search=100%25_%5C')).body), /0 found/, 'wildcards are taken literally');
    });

    it('filters by role, pages by 25 and sorts by name, email and registration date', async () => {
      const editors = await manager.get('/sm/management/users?role=editor');
      assert.deepEqual(namesListed(editors.body), ['Zofia Wójcik']);
      const first = await manager.get('/sm/management/users?role=reader');
      assert.equal(namesListed(first.body).length, 25);
      assert.match(visibleText(first.body), /26 found.*Page 1 of 2/);
      const second = await manager.get('/sm/management/users?role=reader&page=2');
      assert.equal(namesListed(second.body).length, 1);
      const byName = namesListed((await admin.get('/admin/users?search=example.org')).body);
      assert.equal(byName[0], 'Adam Abel');
      const byNameDesc = await admin.get('/admin/users?search=example.org&sort=name&dir=desc');
      assert.match(byNameDesc.body, /<th scope="col" aria-sort="descending"><a href="\/admin\/users\?search=example.org" class="sort-link"/);
      assert.equal(namesListed(byNameDesc.body)[0], 'reader25');
      const byEmail = namesListed((await admin.get('/admin/users?search=example.org&sort=email')).body);
      assert.deepEqual(byEmail.slice(0, 3), ['Adam Abel', 'Administrator', 'Ewa Nowak']);
      const newest = namesListed((await admin.get('/admin/users?sort=registered&dir=desc')).body);
      assert.equal(newest[0], 'reader25');
      await t.database.db.updateTable('users').set({ deletion_requested_at: new Date() }).where('email', '=', 'reader05@example.org').execute();
      const deletion = await admin.get('/admin/users?deletion=1');
      assert.deepEqual(namesListed(deletion.body), ['reader05']);
      assert.match(deletion.body, /<input type="hidden" name="deletion" value="1">/, 'the search keeps the filter');
    });

    it('names journals instead of giving their paths', async () => {
      const text = visibleText((await admin.get('/admin/users?search=zofia')).body);
      assert.match(text, /Sprawy Międzynarodowe: Editor/);
      assert.doesNotMatch(text, /\bsm: /);
    });

    it('gives each section editor’s section boxes ids of their own, so a label ticks its own box', async () => {
      const now = new Date();
      for (const email of ['section.one@example.org', 'section.two@example.org']) await createUserWithRole(t.database.db, { email, password: 'a long enough password', role: 'section-editor', journalId: 1, now });
      const html = (await manager.get('/sm/management/users?role=section-editor')).body;
      const ids = [...html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]!);
      assert.ok(ids.filter((id) => id.startsWith('field-sections-')).length >= 2, 'both editors have section boxes');
      assert.deepEqual(ids.filter((id, i) => ids.indexOf(id) !== i), [], 'no id twice');
    });

    it('refuses to remove the last manager or one’s own manager role, saying why', async () => {
      const own = await manager.get(`/sm/management/users/${managerId}/roles/remove?role=manager`);
      assert.equal(own.statusCode, 409);
      assert.match(visibleText(own.body), /Maria is the last journal manager of Sprawy Międzynarodowe\. Give someone else the manager role first/);
      await manager.get('/sm/management/users');
      assert.equal((await manager.post(`/sm/management/users/${managerId}/roles/remove`, { role: 'manager' })).statusCode, 409);
      const last = await admin.get(`/admin/users/${managerId}/roles/remove?assignment=1:manager`);
      assert.equal(last.statusCode, 409);
      assert.match(visibleText(last.body), /Maria is the last journal manager of Sprawy Międzynarodowe/);
      await admin.get(`/admin/users/${managerId}`);
      assert.equal((await admin.post(`/admin/users/${managerId}/roles/remove`, { assignment: '1:manager' })).statusCode, 409);
      const ownAdmin = await admin.get(`/admin/users/${adminId}/roles/remove?assignment=0:admin`);
      assert.equal(ownAdmin.statusCode, 409);
      const roles = await t.database.db.selectFrom('role_assignments').select('role').where('user_id', 'in', [managerId, adminId]).orderBy('role').execute();
      assert.deepEqual(roles.map((r) => r.role), ['admin', 'manager']);
    });

    it('removes a role only from its confirmation page', async () => {
      const editor = await t.database.db.selectFrom('users').select('id').where('email', '=', 'zofia.wojcik@uw.edu.pl').executeTakeFirstOrThrow();
      const list = await manager.get('/sm/management/users?role=editor');
      assert.match(list.body, new RegExp(`href="/sm/management/users/${editor.id}/roles/remove\\?role=editor" data-confirm=""`));
      const page = await manager.get(`/sm/management/users/${editor.id}/roles/remove?role=editor`);
      assert.equal(page.statusCode, 200);
      assert.match(visibleText(page.body), /Remove the role Editor of Zofia Wójcik in Sprawy Międzynarodowe\?/);
      assert.match(page.body, /<form action="\/sm\/management\/users\/\d+\/roles\/remove\?role=editor" method="post"/);
      const held = () => t.database.db.selectFrom('role_assignments').select('role').where('user_id', '=', editor.id).where('role', '=', 'editor').executeTakeFirst();
      assert.ok(await held(), 'nothing changes until the confirmation is sent');
      assert.equal((await manager.post(`/sm/management/users/${editor.id}/roles/remove?role=editor`)).statusCode, 303);
      assert.equal(await held(), undefined);
      // With a second manager, the first one's role may go, but only by someone else.
      await admin.get(`/admin/users/${editor.id}`);
      await admin.post(`/admin/users/${editor.id}/roles`, { journal: '1', role: 'manager' });
      assert.equal((await admin.get(`/admin/users/${managerId}/roles/remove?assignment=1:manager`)).statusCode, 200);
      const own = await manager.get(`/sm/management/users/${managerId}/roles/remove?role=manager`);
      assert.equal(own.statusCode, 409);
      assert.match(visibleText(own.body), /cannot remove your own Journal manager role.*Ask another manager/);
    });

    it('disables and deletes accounts only from their confirmation pages; never the last administrator', async () => {
      const target = await t.database.db.selectFrom('users').select('id').where('email', '=', 'adam.abel@example.org').executeTakeFirstOrThrow();
      const disable = await admin.get(`/admin/users/${target.id}/disable`);
      assert.equal(disable.statusCode, 200);
      assert.match(visibleText(disable.body), /Disable the account of Adam Abel\?.*signed out everywhere/);
      const disabled = async () => (await t.database.db.selectFrom('users').select('disabled_at').where('id', '=', target.id).executeTakeFirstOrThrow()).disabled_at;
      assert.equal(await disabled(), null);
      assert.equal((await admin.post(`/admin/users/${target.id}/disable`, { reason: 'Spam.' })).statusCode, 303);
      assert.ok(await disabled());

      assert.equal((await admin.get(`/admin/users/${adminId}/disable`)).statusCode, 409);
      assert.equal((await admin.get(`/admin/users/${adminId}/delete`)).statusCode, 409);

      const del = await admin.get(`/admin/users/${target.id}/delete`);
      assert.match(visibleText(del.body), /Delete the account of Adam Abel\?/);
      assert.equal((await admin.post(`/admin/users/${target.id}/delete`)).statusCode, 400, 'the tick box is still asked');
      assert.equal((await admin.post(`/admin/users/${target.id}/delete`, { confirm: 'on' })).statusCode, 303);
      assert.equal(await t.database.db.selectFrom('users').select('id').where('id', '=', target.id).executeTakeFirst(), undefined);
    });

    it('shows the merge of two accounts before doing it', async () => {
      const from = await t.database.db.selectFrom('users').select('id').where('email', '=', 'reader00@example.org').executeTakeFirstOrThrow();
      const page = await admin.get(`/admin/users/${from.id}/merge?into=reader01%40example.org`);
      assert.equal(page.statusCode, 200);
      assert.match(visibleText(page.body), /Merge the account reader00 <reader00@example\.org> into reader01 <reader01@example\.org>\?/);
      assert.match(page.body, /<input type="hidden" name="into" value="reader01@example.org">/);
      assert.ok(await t.database.db.selectFrom('users').select('id').where('id', '=', from.id).executeTakeFirst());
      assert.equal((await admin.get(`/admin/users/${from.id}/merge?into=nobody%40example.org`)).statusCode, 400);
      assert.equal((await admin.post(`/admin/users/${from.id}/merge`, { into: 'reader01@example.org' })).statusCode, 400, 'the tick box is still asked');
      assert.equal((await admin.post(`/admin/users/${from.id}/merge`, { into: 'reader01@example.org', confirm: 'on' })).statusCode, 303);
      assert.equal(await t.database.db.selectFrom('users').select('id').where('id', '=', from.id).executeTakeFirst(), undefined);
    });

    it('lets the administrator create an account with a set-password mail, or with a typed password', async () => {
      await admin.get('/admin/users/new');
      const taken = await admin.post('/admin/users/new', { givenName: 'Dup', email: 'ewa.nowak@example.org', passwordMode: 'mail' });
      assert.equal(taken.statusCode, 400);
      assert.match(visibleText(taken.body), /already exists/);

      const mailed = await admin.post('/admin/users/new', { givenName: 'Jan', familyName: 'Mailed', email: 'jan.mailed@example.org', journal: '1', roles: 'reviewer', passwordMode: 'mail' });
      assert.equal(mailed.statusCode, 303);
      assert.match(visibleText((await admin.get(mailed.headers.location as string)).body), /created and a link to set the password was sent/);
      const mail = await smtp.next();
      assert.deepEqual(mail.envelopeTo, ['jan.mailed@example.org']);
      const link = /http:\/\/localhost:3000(\/\S+)/.exec(mail.text)![1]!;
      const person = new Session(t.app, { 'accept-language': 'en' });
      assert.equal((await person.get(link)).statusCode, 200);
      const token = new URLSearchParams(link.split('?')[1]).get('token')!;
      assert.equal((await person.post('/login/resetPassword', { token, password: 'jan chose this one', password2: 'jan chose this one' })).statusCode, 200);
      await person.signIn('jan.mailed@example.org', 'jan chose this one');

      await admin.get('/admin/users/new');
      const weak = await admin.post('/admin/users/new', { givenName: 'Typed', email: 'typed@example.org', passwordMode: 'set', password: 'short', password2: 'short' });
      assert.equal(weak.statusCode, 400);
      const typed = await admin.post('/admin/users/new', { givenName: 'Typed', email: 'typed@example.org', passwordMode: 'set', password: 'typed by the admin', password2: 'typed by the admin' });
      assert.equal(typed.statusCode, 303);
      await new Session(t.app).signIn('typed@example.org', 'typed by the admin');
    });

    it('invites from the site administration into a chosen journal', async () => {
      await admin.get('/admin/users');
      const missing = await admin.post('/admin/users/invite', { email: 'site.invite@example.org', givenName: 'Site', roles: 'reviewer' });
      assert.equal(missing.statusCode, 400);
      assert.match(visibleText(missing.body), /Choose the journal/);
      const sent = await admin.post('/admin/users/invite', { email: 'site.invite@example.org', givenName: 'Site', journal: '1', roles: 'reviewer' });
      assert.equal(sent.statusCode, 303);
      const mail = await smtp.next();
      assert.match(mail.text, /\/sm\/user\/invitation\?token=/);
      assert.match(visibleText((await admin.get('/admin/users')).body), /site\.invite@example\.org Sprawy Międzynarodowe Reviewer/);
    });
  });
}
