import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addPublishedArticle } from '../catalog/index.ts';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { testDatabases } from '../../test/support/databases.ts';
import { remoteGalleyTarget } from './remote-galley.ts';

/** Addresses an older import may have stored for a remote galley, none of which may reach a Location header. */
const UNUSABLE = [
  'https://repository.example.org/a\r\nSet-Cookie: session=stolen',
  'https://repository.example.org/a\nLocation: https://evil.example/',
  'https://repository.example.org/a\rb',
  'javascript:alert(document.cookie)',
  'java\tscript:alert(1)',
  ' https://repository.example.org/leading-space',
  'data:text/html,<script>alert(1)</script>',
  'ftp://repository.example.org/a.pdf',
  '//evil.example/a.pdf',
  '/sm/article/download/1/2',
  'https://',
  `https://repository.example.org/${'a'.repeat(2100)}`,
];

describe('remote galley addresses', () => {
  it('takes absolute http(s) addresses, written as a header can carry them', () => {
    assert.equal(remoteGalleyTarget('https://repository.example.org/article.html'), 'https://repository.example.org/article.html');
    assert.equal(remoteGalleyTarget('http://Repository.Example.org/a?b=1#c'), 'http://repository.example.org/a?b=1#c');
    assert.equal(remoteGalleyTarget('https://repozytorium.pl/artykuł 1.pdf'.replace(' ', '%20')), 'https://repozytorium.pl/artyku%C5%82%201.pdf');
    assert.match(remoteGalleyTarget('https://zażółć.pl/a') ?? '', /^https:\/\/xn--[a-z0-9-]+\.pl\/a$/, 'the host in punycode');
  });

  it('refuses line breaks, control characters, spaces, other schemes and relative addresses', () => {
    for (const stored of UNUSABLE) assert.equal(remoteGalleyTarget(stored), undefined, JSON.stringify(stored.slice(0, 60)));
  });
});

for (const database of await testDatabases()) {
  describe(`remote galleys already in the database on ${database.name}`, () => {
    let t: TestApp;
    let articleId: number;
    const galleys = new Map<string, number>();

    before(async () => {
      t = await startTestApp(database);
      const journal = await t.database.db.selectFrom('journals').select('id').where('path', '=', 'sm').executeTakeFirstOrThrow();
      const section = await t.database.db.selectFrom('sections').select('id').where('journal_id', '=', journal.id).executeTakeFirstOrThrow();
      const stored = ['https://repozytorium.pl/artykuł.pdf', ...UNUSABLE];
      const added = await addPublishedArticle(t.database.db, {
        journalId: journal.id,
        sectionId: section.id,
        issueId: null,
        locale: 'pl',
        title: { pl: 'Artykuł z galeriami zdalnymi' },
        datePublished: '2022-03-01',
        galleys: stored.map((remoteUrl, i) => ({ label: `G${i}`, locale: 'pl', remoteUrl })),
      });
      articleId = added.articleId;
      const rows = await t.database.db.selectFrom('galleys').select(['id', 'remote_url']).where('publication_id', '=', added.publicationId).execute();
      for (const row of rows) galleys.set(row.remote_url!, row.id);
      await t.changes.sync();
    });
    after(() => t.close());

    const requests = async () => Number((await t.database.db.selectFrom('usage_events').select((eb) => eb.fn.countAll<string>().as('n')).where('article_id', '=', articleId).executeTakeFirstOrThrow()).n);

    it('sends readers to a usable address, encoded for the header', async () => {
      const answer = await t.app.inject({ url: `/sm/article/download/${articleId}/${galleys.get('https://repozytorium.pl/artykuł.pdf')}` });
      assert.equal(answer.statusCode, 302);
      assert.equal(answer.headers.location, 'https://repozytorium.pl/artyku%C5%82.pdf');
    });

    it('answers any other stored address as a missing galley: a 404 page with the security headers, no Location, no download counted', async () => {
      const before = await requests();
      for (const stored of UNUSABLE) {
        const answer = await t.app.inject({ url: `/sm/article/download/${articleId}/${galleys.get(stored)}`, headers: { accept: 'text/html' } });
        const what = JSON.stringify(stored.slice(0, 60));
        assert.equal(answer.statusCode, 404, what);
        assert.equal(answer.headers.location, undefined, what);
        assert.equal(answer.headers['set-cookie'], undefined, what);
        assert.match(String(answer.headers['content-security-policy']), /default-src/, what);
        assert.equal(answer.headers['x-content-type-options'], 'nosniff', what);
        assert.match(String(answer.headers['content-type']), /^text\/html/, what);
      }
      assert.equal(await requests(), before, 'a galley that cannot be reached is no download');
    });
  });
}
