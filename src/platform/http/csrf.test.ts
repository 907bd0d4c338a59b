import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, visibleText, type TestApp } from '../../../test/support/app.ts';
import { testDatabases } from '../../../test/support/databases.ts';
import { Session, signedInAs } from '../../../test/support/session.ts';

/**
 * Every state-changing address takes a form only with the page's token. The routes do not vouch for
 * themselves: the only ones without the token are named here, each for a reason, and any other route
 * that turns the check off (`config: { csrf: false }`) fails this test.
 */
const WITHOUT_FORM_TOKEN = new Map([
  // OAI-PMH harvesters may POST their requests (OAI-PMH 2.0, 3.1.1.2); the verbs only read.
  ['POST /oai', 'OAI-PMH request by a harvester'],
  ['POST /:journal/oai', 'OAI-PMH request by a harvester'],
  // The JSON API takes no session cookie at all, only `Authorization: Bearer <token>` (api/auth.ts), so no page can forge a call.
  ...[
    'POST /:journal/api/v1/sections',
    'PUT /:journal/api/v1/sections/:sectionId',
    'PUT /:journal/api/v1/issues/:issueId/publish',
    'PUT /:journal/api/v1/issues/:issueId/unpublish',
    'PUT /:journal/api/v1/submissions/:submissionId/publications/:publicationId',
    'POST /:journal/api/v1/submissions',
    'PUT /:journal/api/v1/submissions/:submissionId/submit',
    'POST /:journal/api/v1/submissions/:submissionId/files',
    'POST /:journal/api/v1/submissions/:submissionId/publications/:publicationId/contributors',
    'PUT /:journal/api/v1/submissions/:submissionId/publications/:publicationId/contributors/:contributorId',
    'DELETE /:journal/api/v1/submissions/:submissionId/publications/:publicationId/contributors/:contributorId',
    'POST /:journal/api/v1/submissions/:submissionId/participants',
    'DELETE /:journal/api/v1/submissions/:submissionId/participants/:participantId',
    'POST /:journal/api/v1/submissions/:submissionId/discussions',
    'POST /:journal/api/v1/submissions/:submissionId/discussions/:discussionId/messages',
    'POST /:journal/api/v1/submissions/:submissionId/reviewAssignments',
    'PUT /:journal/api/v1/submissions/:submissionId/reviewAssignments/:reviewId/dates',
    'POST /:journal/api/v1/submissions/:submissionId/reviewAssignments/:reviewId/cancel',
    'POST /:journal/api/v1/submissions/:submissionId/reviewAssignments/:reviewId/reinstate',
    'POST /:journal/api/v1/submissions/:submissionId/reviewAssignments/:reviewId/remind',
    'PUT /:journal/api/v1/submissions/:submissionId/reviewAssignments/:reviewId/rating',
    'POST /:journal/api/v1/submissions/:submissionId/decisions',
    'POST /:journal/api/v1/submissions/:submissionId/reviewRounds/:reviewRoundId/revisions',
    'POST /:journal/api/v1/reviews/:reviewId/answer',
    'PUT /:journal/api/v1/reviews/:reviewId',
    'POST /:journal/api/v1/reviews/:reviewId/submit',
    'POST /:journal/api/v1/reviews/:reviewId/attachments',
    'DELETE /:journal/api/v1/reviews/:reviewId/attachments/:attachmentId',
    'PUT /api/v1/notifications/:notificationId/read',
    'POST /:journal/api/v1/submissions/:submissionId/copyediting/files',
    'POST /:journal/api/v1/submissions/:submissionId/copyediting/authorReviews',
    'POST /:journal/api/v1/submissions/:submissionId/publications/:publicationId/version',
    'PUT /:journal/api/v1/submissions/:submissionId/publications/:publicationId/publish',
    'DELETE /:journal/api/v1/submissions/:submissionId/publications/:publicationId',
    'POST /:journal/api/v1/submissions/:submissionId/notices',
    'POST /:journal/api/v1/submissions/:submissionId/publications/:publicationId/galleys',
    'POST /:journal/api/v1/submissions/:submissionId/publications/:publicationId/galleys/upload',
    'PUT /:journal/api/v1/submissions/:submissionId/publications/:publicationId/galleys/:galleyId',
    'PUT /:journal/api/v1/submissions/:submissionId/publications/:publicationId/galleys/:galleyId/file',
    'DELETE /:journal/api/v1/submissions/:submissionId/publications/:publicationId/galleys/:galleyId',
    'POST /:journal/api/v1/submissions/:submissionId/publications/:publicationId/galleys/:galleyId/assets',
    'DELETE /:journal/api/v1/submissions/:submissionId/publications/:publicationId/galleys/:galleyId/assets/:assetId',
    'POST /:journal/api/v1/submissions/:submissionId/proofs',
    'PUT /:journal/api/v1/submissions/:submissionId/proofs/:proofId',
    'DELETE /:journal/api/v1/submissions/:submissionId/proofs/:proofId',
    'PUT /:journal/api/v1/submissions/:submissionId/publications/:publicationId/schedule',
    'PUT /:journal/api/v1/submissions/:submissionId/publications/:publicationId/unschedule',
    'PUT /:journal/api/v1/submissions/:submissionId/publications/:publicationId/unpublish',
  ].map((route) => [route, 'JSON API: token-only'] as const),
]);

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

for (const database of await testDatabases()) {
  describe(`form tokens on ${database.name}`, () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp(database);
    });
    after(async () => t.close());

    it('no route but the named few turns the token check off', () => {
      const unchecked = t.app.routeAccess.filter((r) => UNSAFE.has(r.method) && !r.csrf).map((r) => `${r.method} ${r.url}`);
      assert.deepEqual(unchecked.sort(), [...WITHOUT_FORM_TOKEN.keys()].sort());
    });

    it('refuses every state-changing form without the token or with a forged one, even for the site administrator', async () => {
      const admin = await signedInAs(t.app, t.database.db, { email: 'admin@example.org', role: 'admin' });
      const routes = t.app.routeAccess.filter((r) => UNSAFE.has(r.method) && !WITHOUT_FORM_TOKEN.has(`${r.method} ${r.url}`));
      assert.ok(routes.length > 40, `expected the whole set of forms, found ${routes.length}`);
      for (const route of routes) {
        const url = route.url.replace(':journal', 'sm').replace(/:[a-zA-Z]+/g, (name) => (name === ':locale' ? 'en' : name === ':key' ? 'verify-email' : name === ':path' ? 'about' : name === ':purpose' ? 'accept' : '1'));
        for (const token of [undefined, 'forged-token']) {
          const response = await t.app.inject({
            method: route.method as 'POST',
            url,
            headers: { 'accept-language': 'en', cookie: [...admin.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': 'application/x-www-form-urlencoded' },
            payload: token === undefined ? '' : `_csrf=${token}`,
          });
          assert.equal(response.statusCode, 403, `${route.method} ${url} with ${token ?? 'no token'} answered ${response.statusCode}`);
          assert.match(visibleText(response.body), /The form has expired or did not come from this site/);
        }
      }
    });

    it('binds a visitor’s token to their own cookie', async () => {
      const visitor = new Session(t.app);
      await visitor.get('/login');
      const other = new Session(t.app);
      await other.get('/login');
      const response = await visitor.post('/login/signIn', { email: 'admin@example.org', password: 'a long enough password', _csrf: other.csrf });
      assert.equal(response.statusCode, 403);
    });
  });
}
