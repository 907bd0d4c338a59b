import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { testDatabases } from '../../test/support/databases.ts';

/** The last segment of a form's address that names an action one cannot take back by a click. */
const DESTRUCTIVE = new Set(['delete', 'remove', 'revoke', 'unpublish', 'disable', 'reset', 'merge', 'withdraw']);

/**
 * Routes whose form is its own confirmation. A person's request to delete their account deletes
 * nothing: it asks the administrators, and the form needs its "I understand" box ticked.
 */
const CONFIRMED_IN_FORM = new Set<string>(['/user/profile/delete', '/:journal/user/profile/delete']);

/**
 * Nothing destructive on one click: every route that deletes, removes, revokes, unpublishes, disables,
 * resets, merges or withdraws is a pair, `GET` (the confirmation page saying what will happen) and `POST` (the
 * work) at one address. The route table of the real app is walked, so a new destructive route without
 * its confirmation page fails here.
 */
const [database] = await testDatabases();
describe('confirmation pages of destructive actions', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp(database!, { demo: false });
  });
  after(() => t.close());

  const routes = () => t.app.routeAccess;
  const hasGet = (url: string) => routes().some((r) => r.method === 'GET' && r.url === url);
  const destructive = () => routes().filter((r) => r.method === 'POST' && DESTRUCTIVE.has(r.url.split('/').at(-1)!));

  it('finds the destructive routes it guards', () => {
    const urls = destructive().map((r) => r.url);
    for (const url of ['/admin/journals/:id/delete', '/admin/journals/:id/disable', '/:journal/management/issues/:id/unpublish', '/:journal/management/sections/:id/delete', '/admin/users/:id/delete', '/admin/users/:id/merge', '/:journal/management/users/:id/roles/remove']) assert.ok(urls.includes(url), url);
  });

  it('gives every destructive POST route a confirmation page at the same address', () => {
    const missing = destructive()
      .map((r) => r.url)
      .filter((url) => !hasGet(url) && !CONFIRMED_IN_FORM.has(url));
    assert.deepEqual(missing, [], `destructive routes without a GET confirmation page: ${missing.join(', ')}`);
  });
});
