import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { visibleText } from '../../../test/support/app.ts';
import { startApiTestApp, type ApiTestApp } from '../../../test/support/api.ts';
import { testDatabases } from '../../../test/support/databases.ts';
import { openApiProblems } from '../../../test/support/openapi.ts';

/** Routes of the API as registered: `/api/v1/…` and `/:journal/api/v1/…`. */
const isApiRoute = (url: string) => /^\/(?::journal\/)?api\/v1\//.test(url);

/** The OpenAPI document: valid OpenAPI 3.1, generated from the routes, and readable as a page. */
const [database] = await testDatabases();
describe('the API’s OpenAPI document', () => {
  let t: ApiTestApp;
  before(async () => {
    t = await startApiTestApp(database!, { demo: false });
  });
  after(() => t.close());

  it('is a valid OpenAPI 3.1 document', () => {
    assert.equal(t.document.openapi, '3.1.0');
    assert.deepEqual(openApiProblems(t.document), []);
  });

  it('is refused by the check when it breaks the specification', () => {
    const broken = structuredClone(t.document) as { paths: Record<string, Record<string, { responses: Record<string, unknown>; parameters?: Array<Record<string, unknown>> }>> };
    const issue = broken.paths['/{journal}/api/v1/issues/{issueId}']!.get!;
    // A path parameter that is not required, a response without a description, a dangling reference.
    issue.parameters![0]!.required = false;
    issue.responses['200'] = { content: { 'application/json': { schema: { $ref: '#/components/schemas/Nothing' } } } };
    const problems = openApiProblems(broken as unknown as Record<string, unknown>);
    assert.ok(problems.some((p) => p.includes('/parameters/0')), problems.join('\n'));
    assert.ok(problems.some((p) => p.includes("'description'")), problems.join('\n'));
    assert.ok(problems.some((p) => p.includes('#/components/schemas/Nothing')), problems.join('\n'));
  });

  it('lists every API route registered in the app, under the path OJS uses', () => {
    const documented = new Set(Object.entries(t.document.paths as Record<string, object>).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`)));
    const routes = t.app.routeAccess.filter((r) => isApiRoute(r.url) && !r.url.startsWith('/api/v1/openapi') && !r.url.startsWith('/api/v1/docs')).map((r) => `${r.method} ${r.url.replace(/:([A-Za-z]+)/g, '{$1}')}`);
    assert.ok(routes.length >= 12, routes.join(', '));
    assert.deepEqual(routes.filter((r) => !documented.has(r)), []);
    for (const write of ['POST /{journal}/api/v1/submissions/{submissionId}/reviewAssignments', 'POST /{journal}/api/v1/submissions/{submissionId}/decisions', 'POST /{journal}/api/v1/reviews/{reviewId}/answer', 'PUT /{journal}/api/v1/reviews/{reviewId}', 'POST /{journal}/api/v1/reviews/{reviewId}/submit', 'POST /{journal}/api/v1/submissions/{submissionId}/reviewRounds/{reviewRoundId}/revisions']) assert.ok(documented.has(write), write);
    for (const path of ['/api/v1/contexts', '/{journal}/api/v1/issues', '/{journal}/api/v1/sections', '/{journal}/api/v1/submissions', '/{journal}/api/v1/submissions/{submissionId}/publications/{publicationId}', '/{journal}/api/v1/submissions/{submissionId}/reviewRounds', '/{journal}/api/v1/submissions/{submissionId}/reviewAssignments', '/{journal}/api/v1/submissions/{submissionId}/decisions', '/{journal}/api/v1/reviews', '/{journal}/api/v1/reviews/{reviewId}']) assert.ok(documented.has(`GET ${path}`), path);
  });

  it('registers every API route without CSRF: the API is token-only', () => {
    const withCsrf = t.app.routeAccess.filter((r) => isApiRoute(r.url) && r.csrf);
    assert.deepEqual(withCsrf, []);
  });

  it('is readable as a page listing operations, parameters and schemas, with nothing from other sites', async () => {
    const page = await t.app.inject({ url: '/api/v1/docs', headers: { 'accept-language': 'en' } });
    assert.equal(page.statusCode, 200);
    assert.match(String(page.headers['content-type']), /^text\/html/);
    const text = visibleText(page.body);
    assert.match(text, /GET \/\{journal\}\/api\/v1\/issues\/\{issueId\}/);
    assert.match(text, /PUT \/\{journal\}\/api\/v1\/issues\/\{issueId\}\/publish Publish an issue/);
    assert.match(text, /count query integer no How many items \(at most 100\)\. — ≥ 1, ≤ 100, default 20/);
    assert.match(text, /Submission .*currentPublicationId/);
    assert.doesNotMatch(page.body, /(?:src|href)="(?:https?:)?\/\//);
    const polish = await t.app.inject({ url: '/api/v1/docs', headers: { 'accept-language': 'pl' } });
    assert.match(visibleText(polish.body), /Wymaga tokenu\./);
  });
});
