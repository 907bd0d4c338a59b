import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { visibleText } from '../../test/support/app.ts';
import { assertProblem, startApiTestApp, type ApiTestApp } from '../../test/support/api.ts';
import { testDatabases } from '../../test/support/databases.ts';
import { signedInAs, type Session } from '../../test/support/session.ts';
import type { JournalRole } from '../accounts/index.ts';
import { createApiToken, findTokenCaller, LAST_USED_INTERVAL_MS, narrowed } from './tokens.ts';

describe('a token’s rights', () => {
  const person = { userId: 7, isAdmin: true, roles: new Map<number, ReadonlySet<JournalRole>>([[1, new Set<JournalRole>(['manager', 'author'])], [2, new Set<JournalRole>(['reviewer'])]]), sectionIds: new Set<number>() };

  it('are the person’s roles narrowed to the token’s roles and journal', () => {
    const manager = narrowed(person, ['manager'], null);
    assert.equal(manager.isAdmin, false);
    assert.deepEqual([...manager.roles].map(([j, r]) => [j, [...r]]), [[1, ['manager']]]);
    const inTwo = narrowed(person, ['manager', 'reviewer', 'admin'], 2);
    assert.deepEqual([...inTwo.roles].map(([j, r]) => [j, [...r]]), [[2, ['reviewer']]]);
    // An administrator's token limited to one journal is not an administrator's.
    assert.equal(inTwo.isAdmin, false);
    assert.equal(narrowed(person, ['admin'], null).isAdmin, true);
    assert.equal(narrowed({ ...person, isAdmin: false }, ['admin'], null).isAdmin, false);
  });
});

for (const database of await testDatabases()) {
  describe(`API tokens on the profile on ${database.name}`, () => {
    let t: ApiTestApp;
    let manager: Session;

    before(async () => {
      t = await startApiTestApp(database);
      manager = await signedInAs(t.app, t.database.db, { email: 'manager@example.org', role: 'manager', journalId: 1 });
    });
    after(() => t.close());

    const created = (html: string) => /data-token="">\s*(rvt_[A-Za-z0-9_-]{43})\s*</.exec(html)?.[1];

    it('is reached from the profile and offers only the person’s own roles and journals', async () => {
      const profile = await manager.get('/user/profile');
      assert.match(profile.body, /href="\/user\/profile\/api-tokens"/);
      const page = await manager.get('/user/profile/api-tokens');
      assert.equal(page.statusCode, 200);
      assert.match(String(page.headers['cache-control']), /no-store/);
      assert.match(visibleText(page.body), /You have no API tokens\./);
      const roles = [...page.body.matchAll(/name="roles" value="([a-z-]+)"/g)].map((m) => m[1]);
      assert.deepEqual(roles, ['manager']);
      const journals = [...page.body.matchAll(/<option value="(\d+)"/g)].map((m) => m[1]);
      assert.deepEqual(journals, ['1']);
      assert.equal((await manager.get('/sm/user/profile/api-tokens')).statusCode, 200);
    });

    it('shows a new token once and keeps only its hash', async () => {
      const answer = await manager.post('/user/profile/api-tokens', { name: 'archive sync', roles: 'manager', journal: '1' });
      assert.equal(answer.statusCode, 200);
      const token = created(answer.body);
      assert.ok(token, 'the token is on the page');
      assert.match(visibleText(answer.body), /Copy the token now: it is shown only this once\./);
      const row = await t.database.db.selectFrom('api_tokens').selectAll().executeTakeFirstOrThrow();
      assert.deepEqual([row.name, row.roles, row.journal_id, row.last_used_at], ['archive sync', ['manager'], 1, null]);
      assert.notEqual(row.token_hash, token);
      assert.doesNotMatch(JSON.stringify(row), new RegExp(token.slice(4)));
      const later = await manager.get('/user/profile/api-tokens');
      assert.equal(created(later.body), undefined);
      assert.doesNotMatch(later.body, new RegExp(token.slice(4)));
      assert.match(visibleText(later.body), /Actions archive sync Journal manager — sm .* Never Revoke token: archive sync/);
      // It works on the API, as the manager it was made for.
      const issues = await t.call<{ itemsMax: number }>('GET', '/{journal}/api/v1/issues', { journal: 'sm' }, { token, query: 'isPublished=false' });
      assert.equal(issues.statusCode, 200);
      const used = await manager.get('/user/profile/api-tokens');
      assert.match(visibleText(used.body), /archive sync Journal manager — sm [^R]+ UTC Revoke token: archive sync/);
    });

    it('refuses roles the person does not have, a nameless token and a form without its CSRF token', async () => {
      for (const roles of ['admin', 'editor', ['manager', 'reviewer']]) {
        const refused = await manager.post('/user/profile/api-tokens', { name: 'too much', roles });
        assert.equal(refused.statusCode, 400, String(roles));
        assert.match(visibleText(refused.body), /A token can only have roles you have\./);
      }
      const other = await manager.post('/user/profile/api-tokens', { name: 'elsewhere', roles: 'manager', journal: '2' });
      assert.equal(other.statusCode, 400);
      assert.match(visibleText(other.body), /Choose one of your journals\./);
      assert.equal((await manager.post('/user/profile/api-tokens', { name: ' ', roles: 'manager' })).statusCode, 400);
      assert.equal((await manager.post('/user/profile/api-tokens', { name: 'no csrf' }, { csrf: false })).statusCode, 403);
      const stranger = await t.app.inject({ method: 'POST', url: '/user/profile/api-tokens', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'name=x' });
      assert.ok([401, 403].includes(stranger.statusCode), String(stranger.statusCode));
      const count = await t.database.db.selectFrom('api_tokens').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      assert.equal(Number(count.n), 1);
    });

    it('revokes a token after a confirmation page; the API refuses it from then on', async () => {
      const answer = await manager.post('/user/profile/api-tokens', { name: 'short-lived' });
      const token = created(answer.body)!;
      const id = (await t.database.db.selectFrom('api_tokens').select('id').where('name', '=', 'short-lived').executeTakeFirstOrThrow()).id;
      assert.equal((await t.call('GET', '/{journal}/api/v1/issues', { journal: 'sm' }, { token })).statusCode, 200);
      const confirm = await manager.get(`/user/profile/api-tokens/${id}/revoke`);
      assert.equal(confirm.statusCode, 200);
      assert.match(visibleText(confirm.body), /Revoke the API token "short-lived"\? Scripts that use this token will be refused from now on\./);
      const done = await manager.post(`/user/profile/api-tokens/${id}/revoke`);
      assert.equal(done.statusCode, 200);
      assert.match(visibleText(done.body), /The token "short-lived" is revoked\./);
      assertProblem(await t.call('GET', '/{journal}/api/v1/issues', { journal: 'sm' }, { token }), 401);
      assert.equal((await manager.get(`/user/profile/api-tokens/${id}/revoke`)).statusCode, 404);
    });

    it('lets nobody see or revoke another person’s token', async () => {
      const own = (await t.database.db.selectFrom('api_tokens').select('id').where('name', '=', 'archive sync').executeTakeFirstOrThrow()).id;
      const editor = await signedInAs(t.app, t.database.db, { email: 'editor@example.org', role: 'editor', journalId: 1 });
      assert.equal((await editor.get(`/user/profile/api-tokens/${own}/revoke`)).statusCode, 404);
      await editor.get('/user/profile/api-tokens');
      assert.equal((await editor.post(`/user/profile/api-tokens/${own}/revoke`)).statusCode, 404);
      assert.doesNotMatch((await editor.get('/user/profile/api-tokens')).body, /Revoke token: archive sync/);
    });

    it('writes the last use at most once a minute', async () => {
      const row = await t.database.db.selectFrom('users').select('id').where('email', '=', 'manager@example.org').executeTakeFirstOrThrow();
      const { token, id } = await createApiToken(t.database.db, { userId: row.id, name: 'clocked', roles: [], journalId: null }, new Date());
      const lastUse = async () => (await t.database.db.selectFrom('api_tokens').select('last_used_at').where('id', '=', id).executeTakeFirstOrThrow()).last_used_at?.toISOString();
      const start = new Date('2030-01-01T10:00:00Z');
      assert.ok(await findTokenCaller(t.database.db, token, start));
      await findTokenCaller(t.database.db, token, new Date(start.getTime() + LAST_USED_INTERVAL_MS - 1000));
      assert.equal(await lastUse(), start.toISOString());
      await findTokenCaller(t.database.db, token, new Date(start.getTime() + LAST_USED_INTERVAL_MS));
      assert.equal(await lastUse(), new Date(start.getTime() + LAST_USED_INTERVAL_MS).toISOString());
      assert.equal(await findTokenCaller(t.database.db, token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A'), start), undefined);
    });
  });
}
