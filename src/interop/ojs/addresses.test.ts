import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { testDatabases } from '../../../test/support/databases.ts';
import { pdf } from '../../../test/support/ojs-native.ts';
import { addPublishedArticle } from '../../catalog/index.ts';
import { fromOjsQuery, ojsAlias } from './addresses.ts';

/**
 * OJS 3.x addresses, as its pages/ handlers build them (about, information, issue, article, search,
 * user, login, announcement, index, oai, gateway, sitemap, navigationMenu, citationstylelanguage),
 * with and without `index.php` and in the `index.php?journal=…&page=…` form: each must land, after
 * redirects, on the Revista page that is the same thing — checked by the final address and by the
 * page being the one that address serves — or be an honest 404 where Revista has no such page.
 */

describe('OJS address forms', () => {
  it('turns the query form into the path form, keeping other parameters', () => {
    assert.equal(fromOjsQuery('?journal=sm&page=article&op=view&path[]=1786'), '/sm/article/view/1786');
    assert.equal(fromOjsQuery('?journal=sm&page=article&op=download&path%5B%5D=1786&path%5B%5D=2'), '/sm/article/download/1786/2');
    assert.equal(fromOjsQuery('?journal=index&page=oai&verb=Identify'), '/index/oai?verb=Identify');
    assert.equal(fromOjsQuery('?journal=sm'), '/sm');
    assert.equal(fromOjsQuery('?page=about'), undefined, 'no journal');
    assert.equal(fromOjsQuery('?journal=../etc&page=x'), undefined);
    assert.equal(fromOjsQuery('?journal=sm&page=a/b'), undefined);
    assert.equal(fromOjsQuery('?journal=sm&page=article&op=view&path[]=a%2Fb'), '/sm/article/view/a%2Fb', 'a path argument stays one segment');
  });

  it('sends the language switcher back only to a page of this site', () => {
    assert.equal(ojsAlias('/sm/user/setLocale/en_US?source=%2Fsm%2Fissue%2Farchive'), '/sm/issue/archive?locale=en');
    for (const source of ['//evil.example/x', '/\\evil.example', 'https://evil.example/', 'javascript:alert(1)']) {
      assert.equal(ojsAlias(`/sm/user/setLocale/pl_PL?source=${encodeURIComponent(source)}`), '/sm?locale=pl', source);
    }
    assert.equal(ojsAlias('/sm/user/setLocale/%3Cscript%3E'), undefined);
  });

  it('leaves Revista’s own addresses and unknown ones alone', () => {
    for (const url of ['/sm', '/sm/about', '/sm/article/view/1786', '/oai', '/sm/about/nothing', '/Sm/index', '/sm/citationstylelanguage/get/apa?submissionId=x']) {
      assert.equal(ojsAlias(url), undefined, url);
    }
  });
});

for (const database of await testDatabases()) {
  describe(`OJS 3.x addresses on ${database.name}`, () => {
    let t: TestApp;
    let article = 0;
    let galley = 0;
    let issue = 0;

    before(async () => {
      t = await startTestApp(database, { demo: true });
      const db = t.database.db;
      issue = (await db.selectFrom('issues').select('id').where('journal_id', '=', 1).executeTakeFirstOrThrow()).id;
      const section = (await db.selectFrom('sections').select('id').where('journal_id', '=', 1).executeTakeFirstOrThrow()).id;
      const stored = await t.files.put(pdf('galley'));
      ({ articleId: article } = await addPublishedArticle(db, {
        journalId: 1,
        sectionId: section,
        issueId: issue,
        locale: 'en',
        title: { en: 'With a galley' },
        datePublished: '2021-12-27',
        galleys: [{ label: 'PDF', locale: 'en', file: { storageKey: stored.key, mimeType: 'application/pdf', sizeBytes: stored.sizeBytes, sha256: stored.sha256, originalName: 'a.pdf' } }],
      }));
      galley = (await db.selectFrom('galleys').innerJoin('publications', 'publications.id', 'galleys.publication_id').select('galleys.id').where('publications.article_id', '=', article).executeTakeFirstOrThrow()).id;
      await db.insertInto('journal_pages').values({ journal_id: 1, path: 'ethics', title: JSON.stringify({ en: 'Ethics' }), content: JSON.stringify({ en: '<p>Be good.</p>' }) }).execute();
      await t.changes.sync();
    });
    after(() => t.close());

    /** Follows redirects as a browser or harvester does (at most five); the last answer and address. */
    const land = async (url: string) => {
      let address = url;
      const hops: number[] = [];
      for (;;) {
        const answer = await t.app.inject({ url: address });
        if (answer.statusCode < 300 || answer.statusCode >= 400) return { answer, address, hops };
        // The first hop of a moved OJS address is permanent; Revista's own may be temporary after it
        // (the current issue is 302 to whichever issue is current now).
        if (hops.length === 0 && (url.startsWith('/index.php') || ojsAlias(url) !== undefined)) assert.equal(answer.statusCode, 301, url);
        hops.push(answer.statusCode);
        assert.ok(hops.length <= 5, `${url}: too many redirects`);
        address = String(answer.headers.location);
        assert.match(address, /^\/(?!\/)/, `${url}: redirects stay on the site`);
      }
    };

    /** OJS address → where Revista serves that page (without the fragment, which browsers keep to themselves). */
    const cases = (): [string, string][] => [
      ['/sm', '/sm'],
      ['/sm/index', '/sm'],
      ['/index', '/'],
      ['/index/index', '/'],
      ['/sm/about', '/sm/about'],
      ['/sm/about/contact', '/sm/about'],
      ['/sm/about/editorialTeam', '/sm/about/editorialTeam'],
      ['/sm/about/editorialMasthead', '/sm/about/editorialTeam'],
      ['/sm/about/submissions', '/sm/about/submissions'],
      ['/sm/about/privacy', '/sm/about/privacy'],
      ['/sm/about/aboutThisPublishingSystem', '/sm/about'],
      ['/sm/information/readers', '/sm/about'],
      ['/sm/information/authors', '/sm/about/submissions'],
      ['/sm/information/librarians', '/sm/about'],
      ['/sm/issue', `/sm/issue/view/${issue}`],
      ['/sm/issue/current', `/sm/issue/view/${issue}`],
      ['/sm/issue/archive', '/sm/issue/archive'],
      [`/sm/issue/view/${issue}`, `/sm/issue/view/${issue}`],
      [`/sm/issue/view/${issue}/${galley}`, `/sm/issue/view/${issue}`],
      [`/sm/issue/download/${issue}/${galley}`, `/sm/issue/view/${issue}`],
      [`/sm/article/view/${article}`, `/sm/article/view/${article}`],
      [`/sm/article/view/${article}/${galley}`, `/sm/article/view/${article}/${galley}`],
      [`/sm/article/download/${article}/${galley}`, `/sm/article/download/${article}/${galley}`],
      [`/sm/article/download/${article}/${galley}/77`, `/sm/article/download/${article}/${galley}`],
      [`/sm/article/viewArticle/${article}`, `/sm/article/view/${article}`],
      [`/sm/article/viewFile/${article}/${galley}`, `/sm/article/download/${article}/${galley}`],
      ['/sm/search', '/sm/search'],
      ['/sm/search/index', '/sm/search'],
      ['/sm/search/search?query=Caucasus', '/sm/search/search?query=Caucasus'],
      ['/sm/search/authors', '/sm/search/authors'],
      ['/sm/user/register', '/sm/user/register'],
      ['/sm/login', '/sm/login'],
      ['/sm/login/lostPassword', '/sm/login/lostPassword'],
      ['/sm/announcement', '/sm/announcement'],
      ['/sm/oai?verb=Identify', '/sm/oai?verb=Identify'],
      ['/index/oai?verb=Identify', '/oai?verb=Identify'],
      ['/index/oai?verb=ListRecords&metadataPrefix=oai_dc', '/oai?verb=ListRecords&metadataPrefix=oai_dc'],
      ['/sm/gateway/plugin/WebFeedGatewayPlugin/atom', '/sm/feed/atom'],
      ['/sm/sitemap', '/sm/sitemap'],
      ['/index/sitemap', '/sitemap.xml'],
      ['/index/search?query=Caucasus', '/search?query=Caucasus'],
      ['/index/search/search?query=Caucasus', '/search?query=Caucasus'],
      ['/index/login', '/login'],
      ['/index/user/register', '/user/register'],
      ['/sm/navigationMenu/view/ethics', '/sm/page/ethics'],
      [`/sm/citationstylelanguage/get/mla?submissionId=${article}`, `/sm/article/view/${article}?citationStyle=mla`],
      [`/sm/citationstylelanguage/download/ris?submissionId=${article}`, `/sm/citationstylelanguage/download/ris?submissionId=${article}`],
      [`/sm/user/setLocale/en_US?source=%2Fsm%2Farticle%2Fview%2F${article}`, `/sm/article/view/${article}?locale=en`],
    ];

    it('lands every OJS address, with and without index.php, on the page that is the same thing', async () => {
      for (const [ojs, revista] of cases()) {
        const direct = await t.app.inject({ url: revista });
        assert.equal(direct.statusCode, 200, `${revista} itself answers`);
        for (const form of [ojs, `/index.php${ojs}`]) {
          const { answer, address } = await land(form);
          assert.equal(answer.statusCode, 200, `${form} → ${address}`);
          assert.equal(address.replace(/#.*$/, ''), revista, form);
          // The page is the one that address serves: same kind of document, same heading.
          assert.equal(answer.headers['content-type'], direct.headers['content-type'], form);
          const heading = (html: string) => /<h1[^>]*>([\s\S]*?)<\/h1>/.exec(html)?.[1];
          assert.equal(heading(answer.body), heading(direct.body), form);
        }
      }
    });

    it('answers the index.php?journal=…&page=… form with the page in one redirect', async () => {
      const forms: [string, string][] = [
        [`/index.php?journal=sm&page=article&op=view&path[]=${article}`, `/sm/article/view/${article}`],
        [`/index.php?journal=sm&page=article&op=download&path%5B%5D=${article}&path%5B%5D=${galley}`, `/sm/article/download/${article}/${galley}`],
        ['/index.php?journal=sm&page=issue&op=archive', '/sm/issue/archive'],
        ['/index.php?journal=sm&page=about&op=contact', '/sm/about#contact'],
        ['/index.php?journal=sm&page=information&op=authors', '/sm/about/submissions'],
        ['/index.php?journal=sm', '/sm'],
        ['/index.php?journal=index&page=oai&verb=Identify', '/oai?verb=Identify'],
        ['/index.php/index/oai?verb=Identify', '/oai?verb=Identify'],
        ['/index.php/sm/about/aboutThisPublishingSystem', '/sm/about#publishing-system'],
      ];
      for (const [from, to] of forms) {
        const first = await t.app.inject({ url: from });
        assert.equal(first.statusCode, 301, from);
        assert.equal(first.headers.location, to, from);
        assert.equal((await t.app.inject({ url: to.replace(/#.*$/, '') })).statusCode, 200, to);
      }
      const harvest = await land('/index.php/index/oai?verb=Identify');
      assert.match(harvest.answer.body, /<Identify>/, 'a harvester registered with OJS’s site-wide endpoint reaches the repository');
    });

    it('has the fragments OJS’s contact and software pages lead to', async () => {
      await t.database.db.updateTable('journals').set({ contact_name: 'Redakcja', contact_email: 'redakcja@example.org' }).where('id', '=', 1).execute();
      await t.changes.sync();
      const about = (await t.app.inject({ url: '/sm/about?locale=en' })).body;
      assert.match(about, /<dt id="contact">Contact<\/dt>/);
      assert.match(about, /<p id="publishing-system">This journal is published with Revista/);
    });

    it('answers 404 where OJS’s page has no Revista equivalent, and for what does not exist', async () => {
      for (const url of ['/sm/gateway/lockss', '/sm/gateway/clockss', '/sm/navigationMenu/view/nothing', '/sm/about/nothing', '/nosuch/about/contact', '/index.php?journal=nosuch&page=about', `/sm/citationstylelanguage/get/apa?submissionId=none`]) {
        const { answer, address } = await land(url);
        assert.equal(answer.statusCode, 404, `${url} → ${address}`);
      }
    });
  });
}
