import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addPublishedArticle } from '../catalog/index.ts';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { testDatabases } from '../../test/support/databases.ts';
import { headOf, jsonLd, linkTags, metaTags, metaValues } from '../../test/support/html.ts';

const HOSTILE = '"<script>alert(1)</script>\' & \u202Eevil\u202C \u0007bell';

for (const database of await testDatabases()) {
  describe(`article page head on ${database.name}`, () => {
    let t: TestApp;
    let full = 0;
    let hostile = 0;

    before(async () => {
      t = await startTestApp(database);
      const db = t.database.db;
      await db.updateTable('journals').set({ online_issn: '2049-3630', print_issn: '0378-5955', publisher: 'PISM', acronym: JSON.stringify({ pl: 'SM' }) }).where('path', '=', 'sm').execute();
      const issue = await db.selectFrom('issues').select('id').executeTakeFirstOrThrow();
      const section = await db.selectFrom('sections').select('id').executeTakeFirstOrThrow();
      const stored = await t.files.put(Buffer.from('%PDF-1.4\n%test\n'));
      full = (
        await addPublishedArticle(db, {
          journalId: 1,
          sectionId: section.id,
          issueId: issue.id,
          locale: 'en',
          title: { en: 'Energy security in the Caucasus', pl: 'Bezpieczeństwo energetyczne na Kaukazie' },
          abstract: { en: 'An abstract.', pl: 'Streszczenie.' },
          keywords: { en: ['energy', 'Caucasus'], pl: ['energia'] },
          pages: '45-67',
          doi: '10.1234/sm.2021.45',
          licenseUrl: 'https://creativecommons.org/licenses/by/4.0/',
          dateSubmitted: '2021-10-01',
          datePublished: '2021-12-27',
          contributors: [
            { givenName: { en: 'Anna' }, familyName: { en: 'Nowak' }, affiliation: { en: 'University of Warsaw' }, orcid: 'https://orcid.org/0000-0002-1825-0097' },
            { givenName: { en: 'Jan' }, familyName: { en: 'Kowalski' }, affiliation: { en: 'Jagiellonian University' } },
          ],
          references: ['First reference.', 'Second reference, https://doi.org/10.1/x.'],
          galleys: [{ label: 'PDF', locale: 'en', file: { storageKey: stored.key, mimeType: 'application/pdf', sizeBytes: stored.sizeBytes, sha256: stored.sha256, originalName: 'a.pdf' } }],
        })
      ).articleId;
      hostile = (
        await addPublishedArticle(db, {
          journalId: 1,
          sectionId: section.id,
          issueId: issue.id,
          locale: 'en',
          title: { en: HOSTILE },
          abstract: { en: `</script><script>alert(2)</script> ${HOSTILE}` },
          datePublished: '2021-12-27',
          contributors: [{ givenName: { en: '"><img src=x onerror=alert(3)>' }, familyName: { en: HOSTILE } }],
          references: ['<script>alert(4)</script>', ']]> & </mixed-citation>'],
        })
      ).articleId;
      await t.changes.sync();
    });
    after(() => t.close());

    it('gives the demo article 42 citation_reference tags, in order, structured where parsed, and the Scholar essentials', async () => {
      const page = await t.app.inject({ url: '/sm/article/view/1786' });
      const publication = await t.database.db.selectFrom('publications').select(['id', 'title']).where('article_id', '=', 1786).executeTakeFirstOrThrow();
      const references = await t.database.db.selectFrom('citations').select('raw_text').where('publication_id', '=', publication.id).orderBy('seq').execute();
      const tags = metaValues(page.body, 'citation_reference');
      assert.equal(tags.length, 42);
      assert.equal(
        tags[0],
        'citation_author=Aliyev, N.; citation_title=Russia’s arms sales: A foreign policy tool in relations with Azerbaijan and Armenia; citation_journal_title=Eurasia Daily Monitor; citation_volume=15; citation_issue=47; citation_publication_date=2018',
      );
      // Each tag is its reference: structured (naming the reference's first author or title), or its very text.
      tags.forEach((tag, i) => {
        if (tag === references[i]!.raw_text) return;
        assert.match(tag, /^citation_(author|title)=[^;]+(; citation_[a-z_]+=[^;]+)*$/, `reference ${i + 1}: ${tag}`);
        const firstValue = tag.split('; ')[0]!.split('=')[1]!.split(', ')[0]!;
        assert.ok(references[i]!.raw_text.includes(firstValue), `reference ${i + 1} names what its text names`);
      });
      // Those with an author (24 of 42 with today's model) are structured; unsigned web pages stay as written.
      assert.ok(tags.filter((tag, i) => tag !== references[i]!.raw_text).length >= 15, 'many demo references are structured');
      assert.ok(tags.some((tag, i) => tag === references[i]!.raw_text), 'a reference without an author keeps its text');
      assert.deepEqual(metaValues(page.body, 'citation_title'), [publication.title.en]);
      assert.deepEqual(metaValues(page.body, 'citation_journal_title'), ['Sprawy Międzynarodowe']);
      assert.deepEqual(metaValues(page.body, 'citation_volume'), ['74']);
      assert.deepEqual(metaValues(page.body, 'citation_issue'), ['4']);
      assert.deepEqual(metaValues(page.body, 'citation_publication_date'), ['2021/12/27']);
      assert.deepEqual(metaValues(page.body, 'citation_language'), ['en']);
      assert.deepEqual(metaValues(page.body, 'citation_issn'), ['2049-3630', '0378-5955']);
      assert.deepEqual(metaValues(page.body, 'citation_abstract_html_url'), ['http://localhost:3000/sm/article/view/1786']);
      assert.deepEqual(metaValues(page.body, 'citation_author'), [], 'the demo contributor has no name: no author tag is invented');
    });

    it('carries Dublin Core as OJS emits it', async () => {
      const page = await t.app.inject({ url: '/sm/article/view/1786' });
      const dc = (name: string) => metaValues(page.body, name);
      assert.equal(dc('DC.Title')[0], 'Russia’s approaches towards Armenia and Azerbaijan: evolution of the policy or interests come first?');
      assert.deepEqual(dc('DC.Date.created'), ['2021-12-27']);
      assert.deepEqual(dc('DC.Date.dateSubmitted'), ['2021-12-27']);
      assert.deepEqual(dc('DC.Identifier'), ['1786']);
      assert.deepEqual(dc('DC.Identifier.URI'), ['http://localhost:3000/sm/article/view/1786']);
      assert.deepEqual(dc('DC.Source'), ['Sprawy Międzynarodowe']);
      assert.deepEqual(dc('DC.Source.Volume'), ['74']);
      assert.deepEqual(dc('DC.Source.Issue'), ['4']);
      assert.deepEqual(dc('DC.Source.ISSN'), ['2049-3630']);
      assert.deepEqual(dc('DC.Language'), ['en']);
      assert.deepEqual(dc('DC.Type'), ['Text.Serial.Journal']);
      assert.match(dc('DC.Description')[0]!, /^This paper aims to analyse Russia’s policy/);
      assert.deepEqual(dc('DC.Creator.PersonalName'), [], 'a contributor without a name is no creator');
      const created = metaTags(page.body).find((m) => m.name === 'DC.Date.created')!;
      assert.equal(created.scheme, 'ISO8601');
    });

    it('describes the article in JSON-LD with its issue, volume, journal and 42 citations', async () => {
      const page = await t.app.inject({ url: '/sm/article/view/1786' });
      const [data] = jsonLd(page.body) as Array<Record<string, any>>;
      assert.equal(data!['@type'], 'ScholarlyArticle');
      assert.equal(data!.citation.length, 42);
      assert.equal(data!.isPartOf['@type'], 'PublicationIssue');
      assert.equal(data!.isPartOf.issueNumber, '4');
      assert.equal(data!.isPartOf.isPartOf['@type'], 'PublicationVolume');
      assert.equal(data!.isPartOf.isPartOf.volumeNumber, '74');
      assert.equal(data!.isPartOf.isPartOf.isPartOf.name, 'Sprawy Międzynarodowe');
      // Its one contributor is only an affiliation: no author, and the university is not made one.
      assert.equal(data!.author, undefined);
      assert.ok(!JSON.stringify(data).includes('University of Economics'), 'the affiliation is not presented as the author');
      assert.equal(data!.datePublished, '2021-12-27');
      assert.equal(data!.inLanguage, 'en');
    });

    it('names itself canonical in each language, with hreflang alternates, OpenGraph and feeds', async () => {
      const page = await t.app.inject({ url: '/sm/article/view/1786?locale=pl' });
      const links = linkTags(page.body);
      assert.deepEqual(links.filter((l) => l.rel === 'canonical').map((l) => l.href), ['http://localhost:3000/sm/article/view/1786?locale=pl']);
      const alternates = Object.fromEntries(links.filter((l) => l.hreflang).map((l) => [l.hreflang, l.href]));
      assert.deepEqual(alternates, {
        pl: 'http://localhost:3000/sm/article/view/1786?locale=pl',
        en: 'http://localhost:3000/sm/article/view/1786?locale=en',
        'x-default': 'http://localhost:3000/sm/article/view/1786',
      });
      assert.ok(links.some((l) => l.type === 'application/atom+xml' && l.href === '/sm/feed/atom'));
      assert.deepEqual(metaValues(page.body, 'og:type'), ['article']);
      assert.deepEqual(metaValues(page.body, 'og:url'), ['http://localhost:3000/sm/article/view/1786']);
      assert.deepEqual(metaValues(page.body, 'og:locale'), ['pl_PL']);
      assert.deepEqual(metaValues(page.body, 'twitter:card'), ['summary']);
      const notFound = await t.app.inject({ url: '/sm/article/view/999999' });
      assert.ok(!linkTags(notFound.body).some((l) => l.rel === 'canonical'), 'error pages name no canonical');
    });

    it('gives a fully described article its authors, institutions, ORCID, DOI, pages and PDF', async () => {
      const page = await t.app.inject({ url: `/sm/article/view/${full}` });
      const tags = metaTags(page.body).filter((m) => m.name?.startsWith('citation_author')).map((m) => `${m.name}=${m.content}`);
      assert.deepEqual(tags, [
        'citation_author=Anna Nowak',
        'citation_author_institution=University of Warsaw',
        'citation_author_orcid=https://orcid.org/0000-0002-1825-0097',
        'citation_author=Jan Kowalski',
        'citation_author_institution=Jagiellonian University',
      ]);
      assert.deepEqual(metaValues(page.body, 'citation_doi'), ['10.1234/sm.2021.45']);
      assert.deepEqual(metaValues(page.body, 'citation_firstpage'), ['45']);
      assert.deepEqual(metaValues(page.body, 'citation_lastpage'), ['67']);
      const galley = await t.database.db.selectFrom('galleys').innerJoin('publications', 'publications.id', 'galleys.publication_id').select('galleys.id').where('publications.article_id', '=', full).executeTakeFirstOrThrow();
      assert.deepEqual(metaValues(page.body, 'citation_pdf_url'), [`http://localhost:3000/sm/article/download/${full}/${galley.id}`]);
      assert.deepEqual(metaValues(page.body, 'citation_reference'), ['First reference.', 'Second reference, https://doi.org/10.1/x.'], 'references too thin to structure go as written');
      assert.deepEqual(metaValues(page.body, 'citation_keywords'), ['energy; Caucasus', 'energia']);
      assert.deepEqual(metaValues(page.body, 'DC.Title.Alternative'), ['Bezpieczeństwo energetyczne na Kaukazie']);
      const [data] = jsonLd(page.body) as Array<Record<string, any>>;
      assert.deepEqual(data!.author[0], { '@type': 'Person', name: 'Anna Nowak', '@id': 'https://orcid.org/0000-0002-1825-0097', sameAs: 'https://orcid.org/0000-0002-1825-0097', affiliation: { '@type': 'Organization', name: 'University of Warsaw' } });
      assert.equal(data!.identifier.value, '10.1234/sm.2021.45');
    });

    it('keeps hostile metadata inert in every tag and in the JSON-LD', async () => {
      const page = await t.app.inject({ url: `/sm/article/view/${hostile}` });
      const head = headOf(page.body);
      assert.equal((head.match(/<script/g) ?? []).length, 1, 'the JSON-LD is the only script element');
      assert.doesNotMatch(head, /<img|onerror=alert\(3\)>/);
      assert.doesNotMatch(page.body, /\u0007/, 'control characters are dropped');
      // Titles and abstracts are rich text (as OJS stores them): their tags are markup, so the
      // scripts are gone and the text is what remains.
      const expected = '"\' & \u202Eevil\u202C bell';
      assert.deepEqual(metaValues(page.body, 'citation_title'), [expected]);
      assert.deepEqual(metaValues(page.body, 'citation_reference'), ['<script>alert(4)</script>', ']]> & </mixed-citation>']);
      const [data] = jsonLd(page.body) as Array<Record<string, any>>;
      assert.equal(data!.headline, expected, 'the JSON-LD parses and round-trips the title');
      assert.equal(data!.abstract, expected);
      assert.deepEqual(metaValues(page.body, 'DC.Description'), [expected]);
    });
  });
}
