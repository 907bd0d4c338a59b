import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addPublishedArticle } from '../catalog/index.ts';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { testDatabases } from '../../test/support/databases.ts';

/**
 * Whatever the database holds, however it got there (an older import, an SQL edit), readers are
 * never sent a file from outside storage, never redirected to a javascript: or header-splitting
 * address, and never given such an address as a link — on the article page or in any OAI format.
 */

const pdf = Buffer.from('%PDF-1.4\n% a galley\n%%EOF\n');
const HOSTILE = 'javascript:alert(document.cookie)';

for (const database of await testDatabases()) {
  describe(`stored galleys and addresses that cannot be trusted, on ${database.name}`, () => {
    let t: TestApp;
    let articleId: number;
    const galleys: Record<string, number> = {};

    before(async () => {
      t = await startTestApp(database);
      const db = t.database.db;
      const journal = await db.selectFrom('journals').select('id').where('path', '=', 'sm').executeTakeFirstOrThrow();
      const section = await db.selectFrom('sections').select('id').where('journal_id', '=', journal.id).executeTakeFirstOrThrow();
      const issue = await db.selectFrom('issues').select('id').where('journal_id', '=', journal.id).where('is_published', '=', true).executeTakeFirstOrThrow();
      const file = async (name: string) => {
        const stored = await t.files.put(pdf);
        return { storageKey: stored.key, mimeType: 'application/pdf', sizeBytes: stored.sizeBytes, sha256: stored.sha256, originalName: name };
      };
      const added = await addPublishedArticle(db, {
        journalId: journal.id,
        sectionId: section.id,
        issueId: issue.id,
        locale: 'en',
        title: { en: 'An article with bad data' },
        datePublished: '2022-03-01',
        licenseUrl: HOSTILE,
        contributors: [{ givenName: { en: 'Anna' }, familyName: { en: 'Nowak' }, orcid: 'javascript:alert(2)', rorId: 'javascript:alert(3)', affiliation: { en: 'Somewhere' } }],
        galleys: [
          { label: 'Good PDF', locale: 'en', file: await file('good.pdf') },
          { label: 'Escaping PDF', locale: 'en', file: await file('escaping.pdf') },
          { label: 'Traversing PDF', locale: 'en', file: await file('traversing.pdf') },
          { label: 'Script link', locale: 'en', remoteUrl: 'javascript:alert(4)' },
          { label: 'Split link', locale: 'en', remoteUrl: 'https://example.org/a.pdf\r\nSet-Cookie: session=stolen' },
          { label: 'Good link', locale: 'en', remoteUrl: 'https://repository.example.org/good.pdf' },
        ],
      });
      articleId = added.articleId;
      for (const g of await db.selectFrom('galleys').select(['id', 'label', 'file_id']).where('publication_id', '=', added.publicationId).execute()) galleys[g.label] = g.id;
      // Written into the database by hand: keys Revista could not have made, pointing out of storage.
      const fileOf = async (label: string) => (await db.selectFrom('galleys').select('file_id').where('id', '=', galleys[label]!).executeTakeFirstOrThrow()).file_id!;
      await db.updateTable('files').set({ storage_key: '../../etc/passwd' }).where('id', '=', await fileOf('Escaping PDF')).execute();
      await db.updateTable('files').set({ storage_key: '00/../../../../../../etc/passwd' }).where('id', '=', await fileOf('Traversing PDF')).execute();
      await t.changes.sync();
    });
    after(() => t.close());

    const download = (label: string) => t.app.inject({ url: `/sm/article/download/${articleId}/${galleys[label]}` });

    it('serves a galley from storage, and answers 404 for one whose stored key leads out of it', async () => {
      const good = await download('Good PDF');
      assert.equal(good.statusCode, 200);
      assert.deepEqual(good.rawPayload, pdf);
      for (const label of ['Escaping PDF', 'Traversing PDF']) {
        const response = await download(label);
        assert.equal(response.statusCode, 404, label);
        assert.doesNotMatch(response.body, /root:|\/bin\/(?:ba)?sh/, 'nothing of /etc/passwd is sent');
        assert.notEqual(response.headers['content-type'], 'application/pdf');
      }
    });

    it('redirects only to an http(s) address; a script or header-splitting one answers 404', async () => {
      const good = await download('Good link');
      assert.equal(good.statusCode, 302);
      assert.equal(good.headers.location, 'https://repository.example.org/good.pdf');
      for (const label of ['Script link', 'Split link']) {
        const response = await download(label);
        assert.equal(response.statusCode, 404, label);
        assert.equal(response.headers.location, undefined);
        assert.equal(response.headers['set-cookie'], undefined);
        assert.ok(response.headers['content-security-policy'], 'an answer of the app, with its security headers');
      }
    });

    it('gives readers no javascript: link on the article page, and lists only galleys that lead somewhere', async () => {
      const page = await t.app.inject({ url: `/sm/article/view/${articleId}?locale=en` });
      assert.equal(page.statusCode, 200);
      assert.doesNotMatch(page.body, /href="javascript:|"@id":"javascript:|content="javascript:/i);
      assert.doesNotMatch(page.body, /Set-Cookie/);
      assert.match(page.body, /href="https:\/\/repository\.example\.org\/good\.pdf"/);
      assert.doesNotMatch(page.body, /Script link|Split link/);
    });

    it('puts no javascript: address into oai_dc, MARCXML or JATS (xlink:href)', async () => {
      for (const format of ['oai_dc', 'marcxml', 'jats']) {
        const response = await t.app.inject({ url: `/oai?verb=GetRecord&metadataPrefix=${format}&identifier=oai:localhost:article/${articleId}` });
        assert.equal(response.statusCode, 200, format);
        assert.match(response.body, /<GetRecord>/, format);
        assert.doesNotMatch(response.body, /javascript:/i, format);
        assert.doesNotMatch(response.body, /Set-Cookie/, format);
      }
    });
  });
}
