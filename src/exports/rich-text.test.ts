import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { demoJournal, variantOf } from '../../test/support/records.ts';
import { dublinCoreTags, highwireTags, jatsArticle, marcxmlRecord, dublinCoreRecord, scholarlyArticleJsonLd, type RecordInput } from '../discovery/index.ts';
import { atomFeed, rssFeed } from '../discovery/feeds.ts';
import { socialTags } from '../discovery/head.tsx';
import { crossrefDeposit } from './crossref.ts';
import { doajArticles } from './doaj.ts';
import { toBibTeX, toCslJson, toRis } from './citations.ts';

/**
 * An abstract and a title as OJS stores them (HTML from its editor, as its Native XML carries them
 * escaped), with what an attacker could add, through every output derived from them: each gets
 * the form it can hold (JATS elements, plain text), never the tags as text, never the script.
 */

const S = path.resolve('../shared/schemas');
const BASE_URL = 'https://journals.example.org';

// The shape OJS 3.x's TinyMCE writes: paragraphs, emphasis, sub/superscripts, a line break, a list,
// a link, an entity; plus MathML (dropped: no schema here takes it from HTML) and an attack.
const ABSTRACT =
  '<p><strong>Background:</strong> Uptake of CO<sub>2</sub> by <em>Quercus robur</em> &amp; <i>Pinus</i> rose 10<sup>3</sup>-fold.<br>See <a href="https://example.org/data?id=1&amp;v=2" target="_blank">the data</a>.</p>' +
  '<ul><li>first finding</li><li>second <b>finding</b></li></ul>' +
  '<p>Model: <math xmlns="http://www.w3.org/1998/Math/MathML"><mi>x</mi></math>fitted.<img src="x" onerror="alert(1)"><script>alert("xss")</script><a href="javascript:alert(2)">click</a></p>';
const TITLE = 'Growth of <i>Quercus robur</i> under CO<sub>2</sub> &amp; heat<script>alert(3)</script>';
const PLAIN_TITLE = 'Growth of Quercus robur under CO2 & heat';

const record: RecordInput = variantOf(BASE_URL, 4242, { title: { en: TITLE }, abstract: { en: ABSTRACT, pl: '<p>Streszczenie <em>po polsku</em>.</p>' } }, { ...demoJournal, onlineIssn: '2391-6869' });

const dir = mkdtempSync(path.join(tmpdir(), 'revista-richtext-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, xml: string): string {
  const target = path.join(dir, name);
  writeFileSync(target, xml);
  return target;
}

function assertValid(target: string, ...schema: string[]): void {
  const run = spawnSync('xmllint', ['--noout', '--nonet', ...schema, target], { encoding: 'utf8' });
  assert.equal(run.status, 0, `${path.basename(target)} is not valid:\n${run.stderr}`);
}

function xpath(target: string, expression: string): string {
  return execFileSync('xmllint', ['--nonet', '--xpath', expression, target], { encoding: 'utf8' }).replace(/\n$/, '');
}

/** Nothing of the markup or the attack reached a plain-text value. */
function assertPlain(value: string | undefined, what: string): void {
  assert.ok(value, `${what} is empty`);
  assert.doesNotMatch(value, /<|&lt;|&amp;|alert|javascript|onerror/, `${what}: ${value}`);
}

const ABSTRACT_TEXT = 'Background: Uptake of CO2 by Quercus robur & Pinus rose 103-fold. See the data.';

describe('rich abstracts and titles', () => {
  let crossref: string;
  let jats: string;
  before(() => {
    crossref = file('crossref.xml', crossrefDeposit([record], { depositor: { name: 'Test', email: 'crossref@example.org', registrant: 'Test' }, batchId: 'richtext-1', timestamp: 20240101000000 }));
    jats = file('jats.xml', `<?xml version="1.0" encoding="UTF-8"?>\n${jatsArticle(record)}`);
  });

  test('Crossref: jats:abstract has the paragraphs, list and inline elements; the title its face markup; valid', () => {
    assertValid(crossref, '--schema', `${S}/crossref/crossref5.3.1.xsd`);
    const abstract = "//*[local-name()='abstract'][@xml:lang='en']";
    assert.equal(xpath(crossref, `count(${abstract}/*[local-name()='p'])`), '3');
    assert.equal(xpath(crossref, `string(${abstract}/*[local-name()='p'][1]/*[local-name()='bold'])`), 'Background:');
    assert.equal(xpath(crossref, `string(${abstract}//*[local-name()='italic'][1])`), 'Quercus robur');
    assert.equal(xpath(crossref, `string(${abstract}//*[local-name()='sub'])`), '2');
    assert.equal(xpath(crossref, `string(${abstract}//*[local-name()='sup'])`), '3');
    assert.equal(xpath(crossref, `string(${abstract}//*[local-name()='ext-link']/@*[local-name()='href'])`), 'https://example.org/data?id=1&v=2');
    assert.equal(xpath(crossref, `count(${abstract}/*[local-name()='p']/*[local-name()='list']/*[local-name()='list-item'])`), '2');
    assert.match(xpath(crossref, `string(${abstract})`), /Uptake of CO2 by Quercus robur & Pinus/);
    assert.doesNotMatch(xpath(crossref, `string(${abstract})`), /alert|<|click.*javascript/);
    assert.equal(xpath(crossref, `count(${abstract}//*[local-name()='ext-link'])`), '1', 'the javascript: link is text only');
    assert.equal(xpath(crossref, "string(//*[local-name()='titles']/*[local-name()='title']/*[local-name()='i'])"), 'Quercus robur');
    assert.equal(xpath(crossref, "string(//*[local-name()='titles']/*[local-name()='title'])"), PLAIN_TITLE);
  });

  test('JATS: <abstract> has <p>, <list>, <italic>, <bold>, <sup>, <sub>, <ext-link>; the title <italic>; valid JATS 1.3', () => {
    assertValid(jats, '--schema', `${S}/jats/JATS-journalpublishing1-3-mathml3.xsd`);
    assert.equal(xpath(jats, 'count(//abstract/p)'), '3');
    assert.equal(xpath(jats, 'string(//abstract/p[1]/bold)'), 'Background:');
    assert.equal(xpath(jats, 'string(//abstract/p[1]/italic[2])'), 'Pinus');
    assert.equal(xpath(jats, "string(//abstract/p[1]/ext-link[@ext-link-type='uri']/@*[local-name()='href'])"), 'https://example.org/data?id=1&v=2');
    assert.match(xpath(jats, 'string(//abstract/p[1])'), /^Background: Uptake of CO2 by Quercus robur & Pinus rose 103-fold\. See the data\.$/);
    assert.equal(xpath(jats, 'count(//abstract/p/list[@list-type="bullet"]/list-item/p)'), '2');
    assert.equal(xpath(jats, "string(//trans-abstract[@xml:lang='pl']/p/italic)"), 'po polsku');
    assert.equal(xpath(jats, 'string(//article-meta/title-group/article-title/italic)'), 'Quercus robur');
    assert.equal(xpath(jats, 'string(//article-meta/title-group/article-title/sub)'), '2');
    assert.equal(xpath(jats, 'string(//article-meta/title-group/article-title)'), PLAIN_TITLE);
    assert.doesNotMatch(xpath(jats, 'string(//article-meta)'), /alert|&lt;|<p>/);
  });

  test('DOAJ: title and abstract as plain text, valid', () => {
    const doaj = file('doaj.xml', doajArticles([record]));
    assertValid(doaj, '--schema', `${S}/doaj/doajArticles.xsd`);
    assert.equal(xpath(doaj, "string(//record/title[@language='eng'])"), PLAIN_TITLE);
    const abstract = xpath(doaj, "string(//record/abstract[@language='eng'])");
    assertPlain(abstract, 'DOAJ abstract');
    assert.ok(abstract.startsWith(ABSTRACT_TEXT), abstract);
  });

  test('oai_dc and MARCXML: dc:title, dc:description and 245/520 plain, valid', () => {
    const dc = file('dc.xml', dublinCoreRecord(record));
    assertValid(dc, '--schema', `${S}/oai-pmh/oai_dc.xsd`);
    assert.equal(xpath(dc, "string(//*[local-name()='title'])"), PLAIN_TITLE);
    const description = xpath(dc, "string(//*[local-name()='description'][@xml:lang='en'])");
    assertPlain(description, 'dc:description');
    assert.ok(description.startsWith(ABSTRACT_TEXT), description);
    assert.match(description, /\n\nfirst finding\n\nsecond finding\n\nModel: fitted\.click$/);
    const marc = file('marc.xml', `<?xml version="1.0" encoding="UTF-8"?>\n${marcxmlRecord(record)}`);
    assertValid(marc, '--schema', `${S}/oai-pmh/MARC21slim.xsd`);
    assert.equal(xpath(marc, "string(//*[local-name()='datafield'][@tag='245']/*[@code='a'])"), PLAIN_TITLE);
    assertPlain(xpath(marc, "string(//*[local-name()='datafield'][@tag='520'][1]/*[@code='a'])"), 'MARC 520');
  });

  test('head tags and JSON-LD: titles and descriptions as plain text', () => {
    const highwire = highwireTags(record);
    assert.equal(highwire.find((t) => t.name === 'citation_title')?.content, PLAIN_TITLE);
    const dcTags = dublinCoreTags(record);
    assert.equal(dcTags.find((t) => t.name === 'DC.Title')?.content, PLAIN_TITLE);
    for (const tag of dcTags.filter((t) => t.name === 'DC.Description')) assertPlain(tag.content, `DC.Description ${tag.lang}`);
    const social = socialTags(record, 'en');
    assert.equal(social.find((t) => t.property === 'og:title')?.content, PLAIN_TITLE);
    const description = social.find((t) => t.property === 'og:description')?.content;
    assertPlain(description, 'og:description');
    assert.ok(description!.startsWith(ABSTRACT_TEXT));
    const jsonLd = scholarlyArticleJsonLd(record) as { headline: string; abstract: string };
    assert.equal(jsonLd.headline, PLAIN_TITLE);
    assertPlain(jsonLd.abstract, 'JSON-LD abstract');
  });

  test('CSL, BibTeX and RIS: plain title and abstract', () => {
    const csl = toCslJson(record);
    assert.equal(csl.title, PLAIN_TITLE);
    assertPlain(csl.abstract, 'CSL abstract');
    assert.ok(csl.abstract!.startsWith(ABSTRACT_TEXT));
    assert.match(toBibTeX(record), /title = \{\{Growth of Quercus robur under CO2 \\& heat\}\}/);
    assert.match(toRis(record), /^TI {2}- Growth of Quercus robur under CO2 & heat\r?$/m);
  });

  test('feeds: entry titles and summaries plain, the Atom feed valid', () => {
    const atom = file('atom.xml', atomFeed(demoJournal, [record], BASE_URL, new Date('2024-01-01T00:00:00Z')));
    assertValid(atom, '--relaxng', `${S}/atom/atom.rng`);
    assert.equal(xpath(atom, "string(//*[local-name()='entry']/*[local-name()='title'])"), PLAIN_TITLE);
    const summary = xpath(atom, "string(//*[local-name()='entry']/*[local-name()='summary'])");
    assertPlain(summary, 'Atom summary');
    const rss = rssFeed(demoJournal, [record], BASE_URL, new Date('2024-01-01T00:00:00Z'));
    assert.ok(rss.includes(`<title>${PLAIN_TITLE.replace('&', '&amp;')}</title>`), rss);
    assert.doesNotMatch(rss, /&lt;p&gt;|alert/);
  });
});
