import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { addPublishedArticle, createJournal, createSection } from '../../catalog/index.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { testDatabases } from '../../../test/support/databases.ts';
import { JATS_1_3, oaiSchemaWithJats } from '../../../test/support/oai-schemas.ts';
import { JATS_OAI_NAMESPACE } from '../formats/index.ts';

const SCHEMAS = path.resolve('../shared/schemas');
const WITH_FORMATS = path.join(SCHEMAS, 'oai-pmh/oai-pmh-with-formats.xsd');

/** xmllint --schema; throws with xmllint's message when the document is not valid. */
function validate(xml: string, schema: string): void {
  const file = path.join(os.tmpdir(), `revista-oai-${process.pid}-${Math.random().toString(16).slice(2)}.xml`);
  fs.writeFileSync(file, xml);
  try {
    execFileSync('xmllint', ['--noout', '--nonet', '--schema', schema, file], { stdio: 'pipe' });
  } catch (error) {
    throw new Error(`invalid against ${path.basename(schema)}: ${String((error as { stderr?: Buffer }).stderr ?? error).slice(0, 1500)}`);
  } finally {
    fs.rmSync(file, { force: true });
  }
}

/**
 * A JATS answer, validated whole — envelope and records, the records in the namespace
 * ListMetadataFormats declares for `jats` — and each record on its own against the official JATS 1.3
 * schema once that namespace is taken off (JATS's schema has none). Returns how many records.
 */
function validateJats(xml: string): number {
  validate(xml, oaiSchemaWithJats());
  const articles = [...xml.matchAll(/<article [\s\S]*?<\/article>/g)].map((m) => m[0]);
  for (const article of articles) {
    assert.ok(article.startsWith(`<article xmlns="${JATS_OAI_NAMESPACE}" `), 'the record is in the declared namespace');
    validate(`<?xml version="1.0" encoding="UTF-8"?>\n${article.replace(` xmlns="${JATS_OAI_NAMESPACE}"`, '')}`, JATS_1_3);
  }
  return articles.length;
}

const HOSTILE = '"<script>alert(1)</script>\' & \u202Eevil\u202C \u0007bell ]]>';

for (const database of await testDatabases()) {
  describe(`OAI-PMH on ${database.name}`, () => {
    let t: TestApp;
    let hostileId = 0;
    const oai = async (query: string, journal = '') => {
      await t.changes.sync();
      return t.app.inject({ url: `${journal ? `/${journal}` : ''}/oai?${query}` });
    };
    const errorCode = (xml: string) => /<error code="([a-zA-Z]+)"/.exec(xml)?.[1];

    before(async () => {
      t = await startTestApp(database, { oaiPageSize: 3 });
      const db = t.database.db;
      const issue = await db.selectFrom('issues').select('id').executeTakeFirstOrThrow();
      const section = await db.selectFrom('sections').select('id').executeTakeFirstOrThrow();
      for (let i = 1; i <= 6; i++) {
        const { articleId } = await addPublishedArticle(db, {
          journalId: 1,
          sectionId: section.id,
          issueId: issue.id,
          locale: 'en',
          title: { en: i === 6 ? HOSTILE : `Generated article ${i}`, pl: `Artykuł ${i}` },
          abstract: { en: `Abstract ${i}.` },
          keywords: { en: ['energy', `k${i}`] },
          pages: `${i * 10}-${i * 10 + 9}`,
          datePublished: '2021-12-27',
          contributors: [{ givenName: { en: 'Anna' }, familyName: { en: `Nowak ${i}` }, affiliation: { en: 'University of Warsaw' }, orcid: 'https://orcid.org/0000-0002-1825-0097' }],
          references: [`Reference ${i} with <angle> & "quotes".`],
        });
        if (i === 6) hostileId = articleId;
      }
      const other = await createJournal(db, { path: 'other', name: { en: 'Other Journal' }, primaryLocale: 'en', supportedLocales: ['en'] });
      const otherSection = await createSection(db, { journalId: other, title: { en: 'Notes' } });
      await addPublishedArticle(db, { journalId: other, sectionId: otherSection, issueId: null, locale: 'en', title: { en: 'A note elsewhere' }, datePublished: '2022-01-01' });
    });
    after(() => t.close());

    it('identifies the repository (site and journal) with a valid answer', async () => {
      for (const journal of ['', 'sm']) {
        const response = await oai('verb=Identify', journal);
        assert.equal(response.statusCode, 200);
        assert.match(response.headers['content-type'] as string, /text\/xml/);
        validate(response.body, WITH_FORMATS);
        assert.match(response.body, /<deletedRecord>persistent<\/deletedRecord>/);
        assert.match(response.body, /<granularity>YYYY-MM-DDThh:mm:ssZ<\/granularity>/);
        assert.match(response.body, new RegExp(`<baseURL>http://localhost:3000${journal ? '/sm' : ''}/oai</baseURL>`));
      }
      assert.match((await oai('verb=Identify', 'sm')).body, /<repositoryName>Sprawy Międzynarodowe<\/repositoryName>/);
    });

    it('lists formats and sets, valid', async () => {
      const formats = await oai('verb=ListMetadataFormats');
      validate(formats.body, WITH_FORMATS);
      assert.deepEqual([...formats.body.matchAll(/<metadataPrefix>([^<]+)/g)].map((m) => m[1]), ['oai_dc', 'marcxml', 'jats']);
      const sets = await oai('verb=ListSets');
      validate(sets.body, WITH_FORMATS);
      assert.deepEqual([...sets.body.matchAll(/<setSpec>([^<]+)/g)].map((m) => m[1]).sort(), ['other', 'other:section-2', 'sm', 'sm:section-1']);
      const journalSets = await oai('verb=ListSets', 'sm');
      assert.deepEqual([...journalSets.body.matchAll(/<setSpec>([^<]+)/g)].map((m) => m[1]), ['sm', 'sm:section-1']);
    });

    it('harvests the whole list through resumption tokens, each page valid, with size and cursor', async () => {
      const identifiers: string[] = [];
      let response = await oai('verb=ListRecords&metadataPrefix=oai_dc&set=sm');
      let pages = 0;
      for (;;) {
        validate(response.body, WITH_FORMATS);
        pages++;
        identifiers.push(...[...response.body.matchAll(/<identifier>(oai:[^<]+)<\/identifier>/g)].map((m) => m[1]!));
        const token = /<resumptionToken completeListSize="(\d+)" cursor="(\d+)"(?: expirationDate="[^"]+")?>([^<]+)<\/resumptionToken>/.exec(response.body);
        if (!token) {
          assert.match(response.body, /<resumptionToken completeListSize="7" cursor="6"\/>/, 'the last page closes the list');
          break;
        }
        assert.equal(token[1], '7');
        assert.equal(Number(token[2]), (pages - 1) * 3);
        response = await oai(`verb=ListRecords&resumptionToken=${encodeURIComponent(token[3]!)}`);
      }
      assert.equal(pages, 3);
      assert.equal(new Set(identifiers).size, 7, 'every record once');
      assert.ok(identifiers.includes('oai:localhost:article/1786'));
    });

    it('describes the demo article in oai_dc, MARCXML and JATS, all valid', async () => {
      const dc = await oai('verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:localhost:article/1786');
      validate(dc.body, WITH_FORMATS);
      assert.match(dc.body, /<dc:title xml:lang="en">Russia’s approaches towards Armenia and Azerbaijan/);
      assert.match(dc.body, /<dc:identifier>http:\/\/localhost:3000\/sm\/article\/view\/1786<\/dc:identifier>/);
      assert.match(dc.body, /<setSpec>sm<\/setSpec><setSpec>sm:section-1<\/setSpec>/);
      const marc = await oai('verb=GetRecord&metadataPrefix=marcxml&identifier=oai:localhost:article/1786');
      validate(marc.body, WITH_FORMATS);
      assert.match(marc.body, /tag="245"/);
      const jats = await oai('verb=GetRecord&metadataPrefix=jats&identifier=oai:localhost:article/1786');
      assert.equal(validateJats(jats.body), 1);
      const formats = await oai('verb=ListMetadataFormats');
      assert.match(formats.body, new RegExp(`<metadataPrefix>jats</metadataPrefix><schema>[^<]+</schema><metadataNamespace>${JATS_OAI_NAMESPACE}</metadataNamespace>`));
      assert.match(jats.body, /<metadata><article xmlns="https:\/\/jats\.nlm\.nih\.gov\/publishing\/1\.3\/" /, 'the JATS record is in the namespace ListMetadataFormats declares');
      assert.equal((jats.body.match(/<ref /g) ?? []).length, 42, 'the reference list travels in JATS');
      const list = await oai('verb=ListRecords&metadataPrefix=jats&set=sm');
      assert.equal(validateJats(list.body), 3);
      const marcList = await oai('verb=ListRecords&metadataPrefix=marcxml');
      validate(marcList.body, WITH_FORMATS);
      const ids = await oai('verb=ListIdentifiers&metadataPrefix=oai_dc');
      validate(ids.body, WITH_FORMATS);
      assert.doesNotMatch(ids.body, /<metadata>/);
    });

    it('selects by date with day and seconds granularity', async () => {
      const stamp = /<datestamp>([^<]+)<\/datestamp>/.exec((await oai('verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:localhost:article/1786')).body)![1]!;
      const day = stamp.slice(0, 10);
      const inDay = await oai(`verb=ListIdentifiers&metadataPrefix=oai_dc&from=${day}&until=${day}`);
      validate(inDay.body, WITH_FORMATS);
      assert.match(inDay.body, /article\/1786</);
      const exact = await oai(`verb=ListIdentifiers&metadataPrefix=oai_dc&from=${stamp}&until=${stamp}`);
      assert.match(exact.body, /article\/1786</);
      const later = await oai('verb=ListIdentifiers&metadataPrefix=oai_dc&from=2999-01-01');
      assert.equal(errorCode(later.body), 'noRecordsMatch');
      validate(later.body, WITH_FORMATS);
      const mixed = await oai(`verb=ListIdentifiers&metadataPrefix=oai_dc&from=${day}&until=${stamp}`);
      assert.equal(errorCode(mixed.body), 'badArgument');
    });

    it('answers every error condition with its code, valid, echoing arguments only where allowed', async () => {
      const cases: Array<[string, string]> = [
        ['', 'badVerb'],
        ['verb=Frobnicate', 'badVerb'],
        ['verb=Identify&verb=Identify', 'badVerb'],
        ['verb=Identify&extra=1', 'badArgument'],
        ['verb=ListRecords', 'badArgument'],
        ['verb=ListRecords&metadataPrefix=oai_dc&from=2021-13-45', 'badArgument'],
        ['verb=ListRecords&metadataPrefix=oai_dc&from=2022-01-01&until=2021-01-01', 'badArgument'],
        ['verb=ListRecords&metadataPrefix=oai_dc&resumptionToken=abc', 'badArgument'],
        ['verb=ListRecords&resumptionToken=forged.token', 'badResumptionToken'],
        ['verb=ListRecords&metadataPrefix=mods', 'cannotDisseminateFormat'],
        // A bad date is the error even where the format is not offered: it is never echoed.
        ['verb=ListRecords&metadataPrefix=mods&from=%C5%BC%C5%BC&until=%0A', 'badArgument'],
        ['verb=ListRecords&metadataPrefix=mods&from=', 'badArgument'],
        ['verb=GetRecord&metadataPrefix=mods&identifier=oai:localhost:article/1786', 'cannotDisseminateFormat'],
        ['verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:localhost:article/999999', 'idDoesNotExist'],
        ['verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:elsewhere:article/1786', 'idDoesNotExist'],
        ['verb=ListMetadataFormats&identifier=oai:localhost:article/999999', 'idDoesNotExist'],
        ['verb=ListRecords&metadataPrefix=oai_dc&set=nosuchset', 'noRecordsMatch'],
      ];
      for (const [query, code] of cases) {
        const response = await oai(query);
        assert.equal(errorCode(response.body), code, `${query} → ${response.body.slice(0, 400)}`);
        validate(response.body, WITH_FORMATS);
        if (code === 'badVerb' || code === 'badArgument') assert.match(response.body, /<request>http:\/\/localhost:3000\/oai<\/request>/, `${query} echoes no arguments`);
      }
      // An article of another journal is not in this journal's repository.
      const other = await t.database.db.selectFrom('articles').select('id').where('journal_id', '=', 2).executeTakeFirstOrThrow();
      assert.equal(errorCode((await oai(`verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:localhost:article/${other.id}`, 'sm')).body), 'idDoesNotExist');
      // A token from the journal endpoint does not work on the site endpoint.
      const first = await oai('verb=ListIdentifiers&metadataPrefix=oai_dc', 'sm');
      const token = /<resumptionToken[^>]*>([^<]+)</.exec(first.body)![1]!;
      assert.equal(errorCode((await oai(`verb=ListIdentifiers&resumptionToken=${encodeURIComponent(token)}`)).body), 'badResumptionToken');
      const tampered = token.replace(/^./, (c) => (c === 'e' ? 'f' : 'e'));
      assert.equal(errorCode((await oai(`verb=ListIdentifiers&resumptionToken=${encodeURIComponent(tampered)}`, 'sm')).body), 'badResumptionToken');
    });

    it('continues a list after a restart: tokens need no server state', async () => {
      const first = await oai('verb=ListIdentifiers&metadataPrefix=oai_dc&set=sm');
      const token = /<resumptionToken[^>]*>([^<]+)</.exec(first.body)![1]!;
      // A second server on the same database, as after a restart or behind a load balancer.
      const { buildApp } = await import('../../app.ts');
      const other = await buildApp({ config: { baseUrl: 'http://localhost:3000', pageCache: false, oaiPageSize: 3 }, database: t.database, files: t.files, changes: t.changes });
      try {
        const next = await other.inject({ url: `/oai?verb=ListIdentifiers&resumptionToken=${encodeURIComponent(token)}` });
        validate(next.body, WITH_FORMATS);
        assert.match(next.body, /<resumptionToken completeListSize="7" cursor="3"/);
        assert.match(next.body, /<setSpec>sm<\/setSpec><setSpec>sm:section-1<\/setSpec>/, 'a server whose first request lists identifiers still names their sets');
      } finally {
        await other.close();
      }
    });

    it('answers POST like GET', async () => {
      const response = await t.app.inject({ method: 'POST', url: '/oai', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'verb=GetRecord&metadataPrefix=oai_dc&identifier=oai%3Alocalhost%3Aarticle%2F1786' });
      assert.equal(response.statusCode, 200);
      validate(response.body, WITH_FORMATS);
      assert.match(response.body, /<request verb="GetRecord" metadataPrefix="oai_dc" identifier="oai:localhost:article\/1786">/);
    });

    it('answers a POST body that is no form (JSON of any shape) with an OAI-PMH error, not a server error', async () => {
      for (const payload of ['[{"toString":""}]', '{"verb":{"valueOf":1,"toString":2}}', '{"verb":["Identify",{"toString":null}]}', '"Identify"', 'null', '42']) {
        const response = await t.app.inject({ method: 'POST', url: '/oai', headers: { 'content-type': 'application/json' }, payload });
        assert.equal(response.statusCode, 200, `${payload}: ${response.body.slice(0, 200)}`);
        validate(response.body, WITH_FORMATS);
        assert.match(response.body, /<error code="bad(Verb|Argument)">/, payload);
      }
    });

    it('keeps hostile metadata well-formed and inert in every format', async () => {
      const id = hostileId;
      for (const prefix of ['oai_dc', 'marcxml']) {
        const response = await oai(`verb=GetRecord&metadataPrefix=${prefix}&identifier=oai:localhost:article/${id}`);
        validate(response.body, WITH_FORMATS);
        assert.doesNotMatch(response.body, /<script/);
        assert.doesNotMatch(response.body, /\u0007/);
        // Titles are rich text (OJS 3.4 writes inline HTML in them): the script is markup, gone; the text stays.
        assert.doesNotMatch(response.body, /alert\(1\)/);
        assert.match(response.body, /&amp; \u202Eevil\u202C bell \]\]&gt;/);
      }
      const jats = await oai(`verb=GetRecord&metadataPrefix=jats&identifier=oai:localhost:article/${id}`);
      assert.equal(validateJats(jats.body), 1);
    });

    it('reports an unpublished article as deleted, and a republished one as live again', async () => {
      await t.database.db.updateTable('issues').set({ is_published: false }).where('journal_id', '=', 1).execute();
      const gone = await oai('verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:localhost:article/1786');
      validate(gone.body, WITH_FORMATS);
      assert.match(gone.body, /<header status="deleted"><identifier>oai:localhost:article\/1786<\/identifier>/);
      assert.doesNotMatch(gone.body, /<metadata>/);
      const listed = await oai('verb=ListIdentifiers&metadataPrefix=oai_dc&set=sm');
      assert.match(listed.body, /<header status="deleted">/);
      await t.database.db.updateTable('issues').set({ is_published: true }).where('journal_id', '=', 1).execute();
      const back = await oai('verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:localhost:article/1786');
      assert.doesNotMatch(back.body, /status="deleted"/);
    });
  });
}
