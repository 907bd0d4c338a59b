import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, visibleText, type TestApp } from '../../../test/support/app.ts';
import { testDatabases } from '../../../test/support/databases.ts';

for (const database of await testDatabases()) {
  describe(`the page frame's error pages on ${database.name}`, () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp(database);
    });
    after(() => t.close());

    it('answers a query its schema refuses with a 400 page in the reader’s language, inside the journal', async () => {
      // submissionId twice: the route's schema takes one value.
      const url = '/sm/citationstylelanguage/download/ris?submissionId=1786&submissionId=1787';
      const polish = await t.app.inject({ url });
      assert.equal(polish.statusCode, 400);
      assert.match(String(polish.headers['content-type']), /^text\/html/);
      assert.equal(polish.headers['cache-control'], 'no-store');
      const text = visibleText(polish.body);
      assert.match(text, /Nie można odpowiedzieć na to żądanie/);
      assert.match(text, /submissionId/, 'the schema’s reason, for whoever reports it');
      assert.match(polish.body, /class="site-brand" href="\/sm"/, 'in the journal’s frame');
      const english = await t.app.inject({ url, headers: { 'accept-language': 'en' } });
      assert.match(visibleText(english.body), /This request cannot be answered/);
      // The same download with one id is the citation itself.
      const one = await t.app.inject({ url: '/sm/citationstylelanguage/download/ris?submissionId=1786' });
      assert.equal(one.statusCode, 200);
      assert.match(one.body, /^TY {2}-/m);
    });

    it('keeps OAI-PMH’s own errors for bad arguments, not an HTTP 400', async () => {
      const response = await t.app.inject({ url: '/oai?verb=ListRecords&metadataPrefix=oai_dc&from=2021-13-45' });
      assert.equal(response.statusCode, 200);
      assert.match(String(response.headers['content-type']), /^text\/xml/);
      assert.match(response.body, /<error code="badArgument"/);
      const unknownJournal = await t.app.inject({ url: '/Bad_Journal/oai?verb=Identify' });
      assert.equal(unknownJournal.statusCode, 404);
    });

    it('shows 404 and 403 pages in the language of the journal the address points into', async () => {
      const missing = await t.app.inject({ url: '/sm/no/such/page', headers: { 'accept-language': 'en' } });
      assert.equal(missing.statusCode, 404);
      assert.match(missing.body, /class="site-brand" href="\/sm"/);
      const refused = await t.app.inject({ method: 'POST', url: '/sm/user/register', payload: 'email=a%40example.org', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      assert.equal(refused.statusCode, 403, 'a form without its token');
      assert.match(String(refused.headers['content-type']), /^text\/html/);
      assert.match(refused.body, /class="site-brand" href="\/sm"/);
    });
  });
}
