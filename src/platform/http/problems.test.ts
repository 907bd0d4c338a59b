import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ServiceBusyError, TooManyRequestsError } from './index.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { assertProblem } from '../../../test/support/api.ts';
import { testDatabases } from '../../../test/support/databases.ts';
import { isApiPath } from './problems.ts';
import { JournalParams, Type, typed } from './schemas.ts';

describe('API addresses', () => {
  it('are /api/… and /{journal}/api/…, and nothing else', () => {
    for (const url of ['/api/v1/contexts', '/sm/api/v1/issues?count=1', '/api', '/sm/api/v2/x']) assert.equal(isApiPath(url), true, url);
    for (const url of ['/sm/issue/view/1', '/apis', '/sm/apiary', '/sm/article/view/api', '/', '/a/b/api/v1']) assert.equal(isApiPath(url), false, url);
  });
});

/**
 * One error, two audiences: the same refusal is problem details on an API address and the app's error
 * page (or plain text, as before) on a page; Retry-After goes with 429 and 503 on both.
 */
const [database] = await testDatabases();
describe('errors for people and for programs', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp(database!, {
      demo: true,
      beforeReady(app) {
        for (const prefix of ['/api/v1/test', '/test']) {
          app.get(`${prefix}/busy`, { config: { csrf: false } }, async () => {
            throw new ServiceBusyError(7);
          });
          app.get(`${prefix}/throttled`, { config: { csrf: false } }, async () => {
            throw new TooManyRequestsError(42);
          });
          app.get(`${prefix}/fault`, { config: { csrf: false } }, async () => {
            throw new Error('a bug with a secret in its message');
          });
        }
        // A page route with a typed query: its validation failure stays a page's 400, not problem details.
        typed(app).get('/:journal/test/typed', { schema: { params: JournalParams, querystring: Type.Object({ n: Type.Integer({ minimum: 1 }) }) } }, async (request) => `n=${request.query.n} in ${request.params.journal}`);
      },
    });
  });
  after(() => t.close());

  it('sends Retry-After with 429 and 503, to programs and to people', async () => {
    const busy = assertProblem(await t.app.inject({ url: '/api/v1/test/busy' }), 503);
    assert.equal(busy.type, 'about:blank');
    assert.equal(busy.title, 'Service Unavailable');
    assert.equal(busy.instance, '/api/v1/test/busy');
    assert.equal((await t.app.inject({ url: '/api/v1/test/busy' })).headers['retry-after'], '7');
    const throttled = await t.app.inject({ url: '/api/v1/test/throttled' });
    assertProblem(throttled, 429);
    assert.equal(throttled.headers['retry-after'], '42');
    const page = await t.app.inject({ url: '/test/throttled', headers: { accept: 'text/html' } });
    assert.equal(page.statusCode, 429);
    assert.equal(page.headers['retry-after'], '42');
    assert.doesNotMatch(String(page.headers['content-type']), /problem/);
  });

  it('hides a fault’s message from programs too, giving the request id', async () => {
    const fault = await t.app.inject({ url: '/api/v1/test/fault' });
    const problem = assertProblem(fault, 500);
    assert.equal(problem.requestId, fault.headers['x-request-id']);
    assert.doesNotMatch(fault.body, /secret/);
  });

  it('keeps pages’ own answers: an HTML 404 page, and a bad query of a typed page route is not problem details', async () => {
    const missing = await t.app.inject({ url: '/sm/no-such-page', headers: { accept: 'text/html' } });
    assert.equal(missing.statusCode, 404);
    assert.match(String(missing.headers['content-type']), /^text\/html/);
    const typedPage = await t.app.inject({ url: '/sm/test/typed?n=3' });
    assert.equal(typedPage.body, 'n=3 in sm');
    const bad = await t.app.inject({ url: '/sm/test/typed?n=zero' });
    assert.equal(bad.statusCode, 400);
    assert.doesNotMatch(String(bad.headers['content-type']), /problem/);
    assert.equal((await t.app.inject({ url: '/SM/test/typed?n=1' })).statusCode, 404);
  });
});
