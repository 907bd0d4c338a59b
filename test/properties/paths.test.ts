import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { ask, checkAnswer, type Answer } from '../support/answers.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { testDatabases } from '../support/databases.ts';
import { brokenPercent, encodedValue, hostileLanguageHeader, hostileNumber, hostileText, percentEncode, queryOf, runs } from '../support/properties.ts';
import { addPdfGalley } from '../support/property-forms.ts';

/**
 * Every public address with random and hostile ids, path segments, OJS (`index.php`) forms, locales
 * (`?locale=`, Accept-Language, the remembered cookie), ranges and methods: never a server error,
 * every feed and sitemap well-formed XML, every answer with its security headers.
 */

/** Addresses with holes: j (journal), id (a number), g (galley), f (file), s (a free segment), n (a page). */
const TEMPLATES = [
  '/',
  '/{j}',
  '/{j}/index',
  '/{j}/issue/current',
  '/{j}/issue/archive',
  '/{j}/issue/archive/{n}',
  '/{j}/issue/view/{id}',
  '/{j}/issue/view/{id}/{g}',
  '/{j}/issue/cover/{id}',
  '/{j}/article/view/{id}',
  '/{j}/article/view/{id}/{g}',
  '/{j}/article/download/{id}/{g}',
  '/{j}/article/download/{id}/{g}/{f}',
  '/{j}/about',
  '/{j}/about/{s}',
  '/{j}/page/{s}',
  '/{j}/announcement',
  '/{j}/announcement/view/{id}',
  '/{j}/announcement/feed',
  '/{j}/section/view/{id}',
  '/{j}/theme.css',
  '/{j}/theme/{s}',
  '/{j}/citationstylelanguage/download/{s}',
  '/{j}/gateway/plugin/WebFeedGatewayPlugin/{s}',
  '/{j}/feed/atom',
  '/{j}/feed/rss',
  '/{j}/sitemap.xml',
  '/{j}/sitemap-{n}.xml',
  '/sitemap.xml',
  '/robots.txt',
  '/about/privacy',
  '/healthz',
  '/readyz',
  '/index.php',
  '/index.php/{j}/article/view/{id}',
  '/index.php/{j}/issue/view/{id}',
  '/index.php/{s}/{s}',
  '/{s}',
  '/{j}/{s}',
  '/{j}/{s}/{s}/{s}',
  '/{j}/login',
  '/login',
];
const QUERY_NAMES = ['locale', 'submissionId', 'citationStyle', 'source', 'page', 'articlesBySimilarityPage', 'format', 'token'];

/** A path segment: mostly right, or made of hostile text, dots, slashes and broken encoding. */
const segment = (right: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 15, arbitrary: right },
    { weight: 1, arbitrary: hostileNumber.map(percentEncode) },
    { weight: 2, arbitrary: hostileText({ maxLength: 200 }).map(percentEncode) },
    { weight: 1, arbitrary: fc.constantFrom('..', '.', '%2e%2e', '..%2f..%2f..%2fetc%2fpasswd', '%2F', '%5C', '~', '..;', '%20', '+', 'a%00b', '%C0%AE%C0%AE') },
    { weight: 1, arbitrary: brokenPercent },
  );

for (const database of await testDatabases()) {
  describe(`addresses, ids and locales properties on ${database.name}`, () => {
    let t: TestApp;
    let ids: { articles: string[]; issues: string[]; galleys: string[]; files: string[]; sections: string[] };

    before(async () => {
      t = await startTestApp(database);
      const db = t.database.db;
      const galley = await addPdfGalley(t, 1786);
      const numbers = (rows: Array<{ id: number }>) => rows.map((r) => String(r.id));
      ids = {
        articles: numbers(await db.selectFrom('articles').select('id').execute()),
        issues: numbers(await db.selectFrom('issues').select('id').execute()),
        galleys: [String(galley)],
        files: numbers(await db.selectFrom('files').select('id').execute()),
        sections: numbers(await db.selectFrom('sections').select('id').execute()),
      };
    });
    after(() => t.close());

    const address = (): fc.Arbitrary<string> =>
      fc
        .record({
          template: fc.constantFrom(...TEMPLATES),
          j: segment(fc.oneof({ weight: 6, arbitrary: fc.constant('sm') }, { weight: 1, arbitrary: fc.constantFrom('nope', 'SM', 'sm.', 'index.php', 'assets', 'admin', 'oai') })),
          id: segment(fc.constantFrom(...ids.articles, ...ids.issues, ...ids.sections, '1', '0', '2147483647')),
          g: segment(fc.constantFrom(...ids.galleys, '1')),
          f: segment(fc.constantFrom(...ids.files, '1')),
          s: segment(fc.constantFrom('logo', 'favicon', 'homepage', 'ris', 'bibtex', 'apa', 'atom', 'rss', 'rss2', 'editorialTeam', 'submissions', 'contact', 'privacy', 'x')),
          n: segment(fc.constantFrom('1', '2', '0', '999999')),
        })
        .map(({ template, ...parts }) => template.replace(/\{(\w+)\}/g, (_, hole: string) => parts[hole as keyof typeof parts]));

    const query = fc.array(
      fc.tuple(
        fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...QUERY_NAMES) }, { weight: 1, arbitrary: fc.string({ maxLength: 8 }) }),
        fc.oneof(
          { weight: 2, arbitrary: fc.constantFrom('en', 'pl', 'de', 'en_US', 'pl-PL', '', '1786', '/sm', '//evil.example', 'apa') },
          { weight: 3, arbitrary: encodedValue(hostileText({ maxLength: 300 })) },
        ),
      ),
      { maxLength: 4 },
    );

    const headerText = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-_=;,./*+ "\'()<>'), maxLength: 80 });
    const headers = fc.record(
      {
        'accept-language': hostileLanguageHeader,
        accept: fc.constantFrom('text/html', 'application/xml', 'application/json', '*/*', '', 'text/html;q=0.1, */*;q=0'),
        cookie: fc.oneof(fc.constantFrom('revista_locale=en', 'revista_locale=xx', 'revista_locale=', 'revista_session=forged.value', 'revista_csrf=%00', 'revista_session=s%3Aabc.def'), headerText.map((v) => `revista_locale=${v}`)),
        range: fc.oneof(fc.constantFrom('bytes=0-10', 'bytes=-1', 'bytes=999999999-', 'bytes=5-1', 'bytes=a-b', 'bytes=0-0,1-1,2-2,3-3,4-4,5-5,6-6,7-7,8-8,9-9', 'items=0-1', 'bytes=0-1,'.repeat(500)), headerText),
        'if-none-match': fc.oneof(fc.constantFrom('*', '"x"', 'W/"x"', ''), headerText),
        'if-modified-since': fc.oneof(fc.constantFrom('Thu, 01 Jan 1970 00:00:00 GMT', 'yesterday', '0000-01-01'), headerText),
        'user-agent': fc.oneof(fc.constantFrom('Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0', 'Googlebot/2.1', ''), headerText),
      },
      { requiredKeys: [] },
    );

    const checkAddress = (answer: Answer) => {
      checkAnswer(answer);
      // A redirect never leaves the site, whatever the address asked for.
      const location = answer.headers.location;
      if (location !== undefined) assert.match(String(location), /^(?:\/(?![/\\])|http:\/\/localhost:3000\/)/, `a redirect within the site: ${location}\n  asked: ${answer.asked}`);
    };

    it('answers any address, id, segment, locale and header without a server error', async () => {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom('GET', 'GET', 'GET', 'HEAD'), address(), query, headers, async (method, path, pairs, extra) => {
          const url = pairs.length > 0 ? `${path}?${queryOf(pairs)}` : path;
          checkAddress(await ask(t.app, { method: method as 'GET', url, headers: extra as Record<string, string> }));
        }),
        runs(250, [
          ['GET', '/sm/article/view/1786', [['locale', '%00']], {}],
          ['GET', '/sm/article/view/1786', [['locale', 'en'], ['locale', 'pl']], {}],
          ['GET', '/login', [['source', 'a'], ['source', 'b']], {}],
          ['GET', '/sm/article/view/%ED%A0%80', [], {}],
          ['GET', '/index.php/sm/article/view/..%2f..%2fetc%2fpasswd', [], {}],
          ['GET', '/sm/citationstylelanguage/download/ris', [['submissionId', '1786'], ['submissionId', '1']], {}],
          ['GET', '/sm/article/view/1786', [], { 'accept-language': 'en;q=0.5,'.repeat(500) }],
          ['GET', '//evil.example/', [], {}],
          // New (found here): an address starting // whose first segment is no valid host name is a 500.
          ['GET', '//[', [], {}],
          ['HEAD', '//a%00b/c', [], {}],
        ]),
      );
    });

    it('answers a method no address takes with 404 or 405, naming what it takes', async () => {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom('PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'PROPFIND', 'SEARCH'), address(), async (method, path) => {
          const answer = await ask(t.app, { method: method as 'PUT', url: path });
          checkAnswer(answer);
          if (answer.status === 400 && /the address is not valid/.test(answer.body)) return;
          // A segment longer than any id where an address takes PUT or DELETE (the API's): the router says 414.
          if (answer.status === 414) return;
          assert.ok(answer.status === 404 || answer.status === 405, `404 or 405, not ${answer.status}\n  asked: ${answer.asked}`);
          if (answer.status === 405) assert.match(String(answer.headers.allow), /^(GET|HEAD|POST)(, (GET|HEAD|POST))*$/, answer.asked);
        }),
        runs(80),
      );
    });
  });
}
