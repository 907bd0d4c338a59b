import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ArticleDetail, JournalSummary, ReferenceView } from '../../catalog/index.ts';
import { parseReferences } from '../../references/index.ts';
import { DEMO_AFFILIATION, demoArticle as sharedArticle, demoJournal as sharedJournal, seed } from '../../../test/support/records.ts';
import { articleUrl, galleyUrl, type RecordInput } from '../record.ts';
import { jatsArticle } from './jats.ts';
import { marcxmlRecord } from './marcxml.ts';

const MARC_SCHEMA = path.resolve('../shared/schemas/oai-pmh/MARC21slim.xsd');
const JATS_SCHEMA = path.resolve('../shared/schemas/jats/JATS-journalpublishing1-3d2-mathml3.xsd');
const BASE_URL = 'https://journals.example.org';

const dir = mkdtempSync(path.join(tmpdir(), 'revista-formats-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Every fixture's output, written to a file and validated by xmllint once per schema (loading the
 * JATS schema with MathML takes seconds). A test fails with xmllint's own messages for its file.
 */
const outputs = new Map<string, { xml: string; file: string }>();
const verdicts = new Map<string, string>();

function output(name: string, xml: string): { xml: string; file: string } {
  const file = path.join(dir, name);
  writeFileSync(file, xml);
  const result = { xml, file };
  outputs.set(name, result);
  return result;
}

function validateAll(schema: string, files: string[]): void {
  // spawnSync rather than execFileSync: xmllint's verdicts are on stderr, which we want either way.
  const run = spawnSync('xmllint', ['--noout', '--nonet', '--schema', schema, ...files], { encoding: 'utf8' });
  if (run.error) throw run.error;
  for (const file of files) verdicts.set(file, run.stderr);
}

function assertValid(name: string): { xml: string; file: string } {
  const result = outputs.get(name);
  assert.ok(result, `no output named ${name}`);
  const report = verdicts.get(result.file) ?? '';
  const mine = report.split('\n').filter((l) => l.startsWith(result.file));
  assert.ok(mine.includes(`${result.file} validates`), `${name} is not valid:\n${mine.join('\n') || report}\n${result.xml}`);
  return result;
}

/** The value of an XPath expression (string(), count()) over a file, as xmllint reads it. */
function xpath(file: string, expression: string): string {
  return execFileSync('xmllint', ['--nonet', '--xpath', expression, file], { encoding: 'utf8' }).replace(/\n$/, '');
}

const subfield = (tag: string, code: string, n = 1) =>
  `string((//*[local-name()='datafield'][@tag='${tag}'])[${n}]/*[local-name()='subfield'][@code='${code}'])`;
const fieldCount = (tag: string) => `count(//*[local-name()='datafield'][@tag='${tag}'])`;

// The demo article from its seed page (test/support/records.ts), as the seed has it: without a DOI.
const demoJournal: JournalSummary = sharedJournal;
const demoArticle: ArticleDetail = { ...sharedArticle, doi: null };
const demo: RecordInput = { article: demoArticle, journal: demoJournal, baseUrl: BASE_URL };

// (b) Everything filled in: two named authors with ORCID iDs, DOI, pages, keywords in two
// languages, a PDF, CC BY 4.0, both ISSNs.
const fullJournal: JournalSummary = {
  ...demoJournal,
  acronym: { pl: 'SM' },
  name: { pl: 'Sprawy Międzynarodowe', en: 'International Affairs' },
  onlineIssn: '2719-3942',
  printIssn: '0038-853X',
  publisher: 'Polski Instytut Spraw Międzynarodowych',
  licenseUrl: 'https://creativecommons.org/licenses/by/4.0/',
};

const fullArticle: ArticleDetail = {
  ...demoArticle,
  id: 1801,
  publicationId: 9,
  locale: 'pl',
  title: { pl: 'Polityka Rosji wobec Kaukazu Południowego', en: 'Russia’s policy towards the South Caucasus' },
  subtitle: { pl: 'studium przypadku', en: 'a case study' },
  abstract: {
    pl: 'Pierwszy akapit streszczenia.\n\nDrugi akapit streszczenia.',
    en: 'First paragraph of the abstract.\n\nSecond paragraph of the abstract.',
  },
  keywords: { pl: ['Rosja', 'Kaukaz Południowy'], en: ['Russia', 'South Caucasus', 'security'] },
  pages: '45-67',
  doi: '10.1234/sm.2021.1',
  licenseUrl: 'https://creativecommons.org/licenses/by/4.0/',
  copyrightHolder: { pl: 'Autorzy', en: 'The authors' },
  copyrightYear: 2021,
  contributors: [
    {
      id: 11,
      givenName: { pl: 'Anna' },
      familyName: { pl: 'Kowalska' },
      affiliation: { pl: 'Uniwersytet Warszawski', en: 'University of Warsaw' },
      rorId: 'https://ror.org/039bjqg32',
      orcid: 'https://orcid.org/0000-0002-1825-0097',
      isPrimaryContact: true,
    },
    {
      id: 12,
      givenName: { pl: 'Jan', en: 'John' },
      familyName: { pl: 'Nowak' },
      affiliation: { pl: 'Polski Instytut Spraw Międzynarodowych' },
      rorId: null,
      orcid: 'https://orcid.org/0000-0001-5109-3700',
      isPrimaryContact: false,
    },
  ],
  galleys: [{ id: 77, label: 'PDF', locale: 'pl', remoteUrl: null, mimeType: 'application/pdf', sizeBytes: 481_516 }],
  references: [
    { seq: 1, text: 'Kortunov A., Shest\' urokov konflikta v Karabakhe, “Global Brief” [online], 4 X 2020: <https://globalbrief.ru/?a=1&b=2>.' },
    { seq: 2, text: 'Smith J. & Doe R., "Quoted" title, Journal of Things 3 (2019), pp. 1–10, https://doi.org/10.1000/xyz123.' },
  ],
};

const full: RecordInput = { article: fullArticle, journal: fullJournal, baseUrl: BASE_URL };

// (c) Hostile metadata: markup, entities, bidi override, control characters, CDATA terminators.
const HOSTILE_TITLE = '"<script>alert(1)</script> & \u202eRTL \u0007 bell';
const HOSTILE_REFERENCE = 'Evil ref ]]> </mixed-citation><ref id="x"> & \'quoted\' "double" <https://example.org/?q=<a>&b=1>';

const hostileArticle: ArticleDetail = {
  ...fullArticle,
  id: 1802,
  locale: 'en',
  title: { en: HOSTILE_TITLE, pl: '</article-title><x>\u0000' },
  subtitle: {},
  prefix: { en: '<b>' },
  abstract: { en: 'Abstract </p><p>injected\u0001 & \uD800 lone surrogate' },
  keywords: { en: ['<kwd>', 'a & b'], pl: [] },
  pages: 'e12"3<',
  doi: '10.1234/"><script>',
  copyrightHolder: { en: '</copyright-holder>' },
  contributors: [
    {
      id: 21,
      givenName: { en: '<given>' },
      familyName: { en: 'O\'Brien & "Sons"' },
      affiliation: { en: '<institution>Fake</institution>' },
      rorId: null,
      orcid: '"><x',
      isPrimaryContact: false,
    },
  ],
  galleys: [{ id: 78, label: '<PDF & more>', locale: 'en', remoteUrl: null, mimeType: 'application/pdf"><x', sizeBytes: 1 }],
  references: [
    { seq: 1, text: HOSTILE_REFERENCE },
    { seq: 2, text: 'bell \u0007 in a reference' },
  ],
};

const hostile: RecordInput = {
  article: hostileArticle,
  journal: { ...fullJournal, onlineIssn: null, printIssn: '<issn>', publisher: '</publisher-name>&', name: { pl: '<journal>' } },
  baseUrl: BASE_URL,
};

// References as the catalog hands them out once parsed: the demo's 42 through the real parser, and
// hand-made CSL items for the shapes the parser can give (chapter, editors, ISBN, odd pages, hostile text).
const withParses = (texts: string[]): ReferenceView[] => parseReferences(texts).map((p, i) => ({ seq: i + 1, text: texts[i]!, csl: p.csl, issues: p.issues }));
const parsedDemo: RecordInput = { ...demo, article: { ...demoArticle, references: withParses(seed.references) } };
const VARIETY: ReferenceView[] = [
  {
    seq: 1,
    text: 'Nowak A., Rozdział, [in:] K. Wiśniewski (ed.), Księga, transl. J. Smith, Wydawnictwo Naukowe PWN, Warszawa 2019, pp. 12, 15–18.',
    csl: { type: 'chapter', author: [{ family: 'Nowak', given: 'A.' }], editor: [{ family: 'Wiśniewski', given: 'K.' }], translator: [{ literal: 'J. Smith' }], title: 'Rozdział', 'container-title': 'Księga', publisher: 'Wydawnictwo Naukowe PWN', 'publisher-place': 'Warszawa', page: '12, 15–18', issued: { 'date-parts': [[2019]] } },
    issues: [],
  },
  {
    seq: 2,
    text: 'Kissinger H., Diplomacy, 2nd ed., Simon & Schuster, New York 1994, ISBN 978-0-671-51099-1, 912 pp.',
    csl: { type: 'book', author: [{ family: 'Kissinger', given: 'H.' }], title: 'Diplomacy', edition: '2', publisher: 'Simon & Schuster', 'publisher-place': 'New York', ISBN: '978-0-671-51099-1', 'number-of-pages': '912', issued: { 'date-parts': [[1994]] } },
    issues: [],
  },
  {
    seq: 3,
    text: 'Evil ]]> </element-citation><ref id="x">, “<source>”, https://example.org/a?b=1&c=2&d=\'x, doi:10.1000/x<y>',
    csl: { type: 'webpage', author: [{ given: 'Onlygiven' }, { literal: '</collab>&' }], title: ']]> </article-title>', 'container-title': '<source>', URL: 'https://example.org/a?b=1&c=2&d=\'x', DOI: '10.1000/x<y>', accessed: { 'date-parts': [[2021, 5, 15]] }, issued: { 'date-parts': [[2020, 10]] } },
    issues: [],
  },
  { seq: 4, text: 'Parsed to nothing.', csl: { type: 'document' }, issues: [] },
];
const variety: RecordInput = { ...demo, article: { ...demoArticle, id: 1809, references: VARIETY } };

before(() => {
  const cases: [string, RecordInput][] = [
    ['demo', demo],
    ['parsed-demo', parsedDemo],
    ['variety', variety],
    ['full', full],
    ['hostile', hostile],
    ['elocation', { ...full, article: { ...fullArticle, pages: 'e1234' } }],
    [
      'organisation',
      {
        ...full,
        article: {
          ...fullArticle,
          contributors: [
            { ...fullArticle.contributors[0]!, id: 21, givenName: { pl: 'Research Group on Economic Statecraft' }, familyName: {}, orcid: null, isOrganization: true },
            { ...fullArticle.contributors[0]!, id: 22, orcidAuthenticated: true },
            { ...fullArticle.contributors[0]!, id: 23, givenName: {}, familyName: {}, orcid: null, rorId: null, affiliation: { pl: DEMO_AFFILIATION } },
          ],
        },
      },
    ],
  ];
  const marc = cases.map(([name, input]) => output(`${name}.marc.xml`, marcxmlRecord(input)).file);
  // The <article> is the document's root; only the XML declaration is added.
  const jats = cases.map(([name, input]) => output(`${name}.jats.xml`, `<?xml version="1.0" encoding="UTF-8"?>\n${jatsArticle(input)}`).file);
  validateAll(MARC_SCHEMA, marc);
  validateAll(JATS_SCHEMA, jats);
});

describe('MARCXML record', () => {
  test('the demo article validates and names title, affiliation, language and address', () => {
    const { file } = assertValid('demo.marc.xml');
    assert.equal(xpath(file, subfield('245', 'a')), seed.title);
    assert.equal(xpath(file, subfield('100', 'a')), '', 'no name is invented for an affiliation-only contributor');
    assert.equal(xpath(file, subfield('100', 'u')), DEMO_AFFILIATION);
    assert.equal(xpath(file, subfield('773', 't')), 'Sprawy Międzynarodowe');
    assert.equal(xpath(file, subfield('773', 'g')), 'Vol. 74 No. 4 (2021)');
    assert.equal(xpath(file, subfield('856', 'u')), `${BASE_URL}/sm/article/view/1786`);
    assert.equal(xpath(file, subfield('546', 'a')), 'English');
    assert.equal(xpath(file, fieldCount('022')), '0');
    assert.equal(xpath(file, fieldCount('024')), '0');
    const leader = xpath(file, "string(//*[local-name()='leader'])");
    assert.equal(leader, '     nab a22     7a 4500');
    const f008 = xpath(file, "string(//*[local-name()='controlfield'][@tag='008'])");
    assert.equal(f008.length, 40);
    assert.equal(f008.slice(0, 15), '211227s2021    ');
    assert.equal(f008.slice(35, 38), 'eng');
  });

  test('a full article carries DOI, authors, keywords, pages, licence, ISSNs and every link', () => {
    const { file } = assertValid('full.marc.xml');
    assert.equal(xpath(file, subfield('024', 'a')), '10.1234/sm.2021.1');
    assert.equal(xpath(file, subfield('024', '2')), 'doi');
    assert.equal(xpath(file, subfield('245', 'a')), 'Polityka Rosji wobec Kaukazu Południowego');
    assert.equal(xpath(file, subfield('245', 'b')), 'studium przypadku');
    assert.equal(xpath(file, subfield('246', 'a')), 'Russia’s policy towards the South Caucasus');
    assert.equal(xpath(file, subfield('100', 'a')), 'Kowalska, Anna');
    assert.equal(xpath(file, subfield('100', 'u')), 'Uniwersytet Warszawski');
    assert.equal(xpath(file, subfield('100', '1')), 'https://orcid.org/0000-0002-1825-0097');
    assert.equal(xpath(file, subfield('700', 'a')), 'Nowak, Jan');
    assert.equal(xpath(file, fieldCount('022')), '2');
    assert.equal(xpath(file, subfield('022', 'a', 1)), '2719-3942');
    assert.equal(xpath(file, subfield('022', 'a', 2)), '0038-853X');
    assert.equal(xpath(file, subfield('260', 'b')), 'Polski Instytut Spraw Międzynarodowych');
    assert.equal(xpath(file, subfield('260', 'c')), seed.datePublished);
    assert.equal(xpath(file, subfield('300', 'a')), '45-67');
    assert.equal(xpath(file, fieldCount('520')), '2');
    assert.equal(xpath(file, subfield('520', 'a', 1)), 'Pierwszy akapit streszczenia. Drugi akapit streszczenia.');
    assert.equal(xpath(file, subfield('540', 'u')), 'https://creativecommons.org/licenses/by/4.0/');
    assert.equal(xpath(file, subfield('540', 'a')), 'Creative Commons Attribution 4.0 International (CC BY 4.0)');
    assert.equal(xpath(file, fieldCount('653')), '5');
    assert.equal(xpath(file, subfield('653', 'a', 1)), 'Rosja', 'keywords in the article’s language come first');
    assert.equal(xpath(file, subfield('773', 'x')), '2719-3942');
    assert.equal(xpath(file, fieldCount('856')), '2');
    assert.equal(xpath(file, subfield('856', 'u', 1)), articleUrl(full));
    assert.equal(xpath(file, subfield('856', 'u', 2)), galleyUrl(full, 77));
    assert.equal(xpath(file, subfield('856', 'q', 2)), 'application/pdf');
    assert.equal(xpath(file, "string(//*[local-name()='controlfield'][@tag='008'])").slice(35, 38), 'pol');
  });

  test('hostile metadata is escaped, control characters are dropped, the record stays valid', () => {
    const { xml, file } = assertValid('hostile.marc.xml');
    assert.doesNotMatch(xml, /<script/);
    // The title is rich text (tags in it are markup, as OJS 3.4 writes titles): the script is gone, text kept.
    assert.doesNotMatch(xml, /alert\(1\)/);
    assert.ok(!xml.includes('\u0007') && !xml.includes('\u0000') && !xml.includes('\u0001'), 'control characters are removed');
    assert.equal(xpath(file, subfield('245', 'a')), '<b> " & \u202eRTL bell');
    assert.equal(xpath(file, subfield('024', 'a')), '10.1234/"><script>');
  });
});

describe('JATS article', () => {
  test('the demo article validates, with its 42 references verbatim and the affiliation kept', () => {
    const { xml, file } = assertValid('demo.jats.xml');
    assert.equal(xml.match(/<ref /g)?.length, 42);
    assert.equal(xpath(file, 'count(//ref-list/ref)'), '42');
    assert.equal(xpath(file, "string(//ref[@id='ref1']/mixed-citation)"), seed.references[0]);
    assert.equal(seed.references[0], 'Aliyev N., Russia’s arms sales: A foreign policy tool in relations with Azerbaijan and Armenia, “Eurasia Daily Monitor”, vol. 15, issue: 47, 28 III 2018 [accessed: 15 V 2021]: <>.');
    assert.equal(xpath(file, "string(//ref[@id='ref42']/mixed-citation)"), seed.references[41]);
    assert.equal(xpath(file, 'string(/article/@xml:lang)'), 'en');
    assert.equal(xpath(file, 'string(//article-meta/title-group/article-title)'), seed.title);
    // Its one contributor is only an affiliation: no contrib (no author), the institution kept as the article's aff.
    assert.equal(xpath(file, 'count(//contrib-group)'), '0', 'no author is invented for an affiliation-only contributor');
    assert.equal(xpath(file, 'string(//article-meta/aff/institution)'), DEMO_AFFILIATION);
    assert.equal(xpath(file, 'string(//article-categories/subj-group/subject)'), seed.section);
    assert.equal(xpath(file, "string(//pub-date[@date-type='pub']/@iso-8601-date)"), '2021-12-27');
    assert.equal(xpath(file, 'string(//article-meta/volume)'), '74');
    assert.equal(xpath(file, 'string(//article-meta/issue)'), '4');
    assert.equal(xpath(file, "string(//history/date[@date-type='received']/@iso-8601-date)"), seed.dateSubmitted);
    assert.equal(xpath(file, 'string(//self-uri/@*[local-name()="href"])'), articleUrl(demo));
    assert.equal(xpath(file, 'string(//abstract/p)'), seed.abstract);
    assert.equal(xpath(file, 'count(//journal-meta/issn)'), '1', 'the schema wants an issn even when the journal has none');
    assert.equal(xpath(file, 'string(//journal-meta/issn)'), '');
  });

  test('an organisation OJS credits is a collab; an ORCID iD proved by sign-in is authenticated; a nameless contributor only an aff', () => {
    const { file } = assertValid('organisation.jats.xml');
    assert.equal(xpath(file, 'count(//contrib-group/contrib)'), '2');
    assert.equal(xpath(file, 'string(//contrib[1]/collab)'), 'Research Group on Economic Statecraft');
    assert.equal(xpath(file, 'count(//contrib[1]/name)'), '0');
    assert.equal(xpath(file, "string(//contrib[2]/contrib-id[@contrib-id-type='orcid']/@authenticated)"), 'true');
    assert.equal(xpath(file, 'string(//article-meta/aff/institution)'), DEMO_AFFILIATION);
    const full = assertValid('full.jats.xml').file;
    assert.equal(xpath(full, 'count(//contrib-id/@authenticated)'), '0', 'an iD not proved says nothing (the default is false)');
  });

  test('a full article validates with identifiers, authors, pages, licence and translations', () => {
    const { file } = assertValid('full.jats.xml');
    assert.equal(xpath(file, "string(//article-id[@pub-id-type='doi'])"), '10.1234/sm.2021.1');
    assert.equal(xpath(file, "string(//article-id[@pub-id-type='publisher-id'])"), '1801');
    assert.equal(xpath(file, "string(//issn[@pub-type='epub'])"), '2719-3942');
    assert.equal(xpath(file, "string(//issn[@pub-type='ppub'])"), '0038-853X');
    assert.equal(xpath(file, 'string(//publisher/publisher-name)'), 'Polski Instytut Spraw Międzynarodowych');
    assert.equal(xpath(file, 'count(//contrib-group/contrib)'), '2');
    assert.equal(xpath(file, 'string(//contrib[1]/name/surname)'), 'Kowalska');
    assert.equal(xpath(file, 'string(//contrib[1]/name/given-names)'), 'Anna');
    assert.equal(xpath(file, "string(//contrib[1]/contrib-id[@contrib-id-type='orcid'])"), 'https://orcid.org/0000-0002-1825-0097');
    assert.equal(xpath(file, "string(//contrib[1]/aff//institution-id[@institution-id-type='ror'])"), 'https://ror.org/039bjqg32');
    assert.equal(xpath(file, 'string(//contrib[2]/name/surname)'), 'Nowak');
    assert.equal(xpath(file, "string(//title-group/trans-title-group[@xml:lang='en']/trans-title)"), 'Russia’s policy towards the South Caucasus');
    assert.equal(xpath(file, 'string(//article-meta/fpage)'), '45');
    assert.equal(xpath(file, 'string(//article-meta/lpage)'), '67');
    assert.equal(xpath(file, 'string(//permissions/copyright-year)'), '2021');
    assert.equal(xpath(file, 'string(//permissions/copyright-holder)'), 'Autorzy');
    assert.equal(xpath(file, 'string(//license/@*[local-name()="href"])'), 'https://creativecommons.org/licenses/by/4.0/');
    assert.equal(xpath(file, 'count(//abstract/p)'), '2');
    assert.equal(xpath(file, "count(//trans-abstract[@xml:lang='en']/p)"), '2');
    assert.equal(xpath(file, 'count(//kwd-group)'), '2');
    assert.equal(xpath(file, "count(//kwd-group[@xml:lang='en']/kwd)"), '3');
    assert.equal(xpath(file, "string(//self-uri[@content-type='application/pdf']/@*[local-name()='href'])"), galleyUrl(full, 77));
    assert.equal(xpath(file, "string(//ref[@id='ref1']/mixed-citation)"), fullArticle.references[0]!.text);
  });

  test('pages that are not a range become an elocation-id', () => {
    const { file } = assertValid('elocation.jats.xml');
    assert.equal(xpath(file, 'string(//elocation-id)'), 'e1234');
    assert.equal(xpath(file, 'count(//fpage)'), '0');
  });

  test('hostile metadata is escaped, control characters are dropped, the article stays valid', () => {
    const { xml, file } = assertValid('hostile.jats.xml');
    assert.doesNotMatch(xml, /<script/);
    // The title is rich text (tags in it are markup, as OJS 3.4 writes titles): the script is gone, text kept.
    assert.doesNotMatch(xml, /alert\(1\)/);
    assert.ok(!xml.includes('\u0007') && !xml.includes('\u0000') && !xml.includes('\u0001') && !xml.includes('\uD800'), 'control characters are removed');
    assert.equal(xpath(file, 'string(//article-meta/title-group/article-title)'), '<b> " & \u202eRTL bell');
    // "</p><p>" in an abstract is markup too: two paragraphs, nothing escaped into them.
    assert.equal(xpath(file, 'count(//abstract/p)'), '2');
    assert.equal(xpath(file, "string(//ref[@id='ref1']/mixed-citation)"), HOSTILE_REFERENCE);
    assert.equal(xpath(file, "string(//ref[@id='ref2']/mixed-citation)"), 'bell  in a reference');
    assert.equal(xpath(file, 'count(//ref-list/ref)'), '2', 'a reference cannot close its element or open another');
    assert.equal(xpath(file, 'string(//contrib/aff/institution)'), '<institution>Fake</institution>');
    assert.equal(xpath(file, 'string(//elocation-id)'), 'e12"3<');
  });

  test('parsed references carry element-citation beside the verbatim mixed-citation, and validate', () => {
    const { file } = assertValid('parsed-demo.jats.xml');
    assert.equal(xpath(file, 'count(//ref-list/ref/mixed-citation)'), '42');
    assert.equal(xpath(file, "string(//ref[@id='ref1']/mixed-citation)"), seed.references[0]);
    const ref1 = "//ref[@id='ref1']/element-citation";
    assert.equal(xpath(file, `string(${ref1}/@publication-type)`), 'journal');
    assert.equal(xpath(file, `string(${ref1}/person-group[@person-group-type='author']/name/surname)`), 'Aliyev');
    assert.equal(xpath(file, `string(${ref1}/person-group/name/given-names)`), 'N.');
    assert.equal(xpath(file, `string(${ref1}/article-title)`), 'Russia’s arms sales: A foreign policy tool in relations with Azerbaijan and Armenia');
    assert.equal(xpath(file, `string(${ref1}/source)`), 'Eurasia Daily Monitor');
    assert.deepEqual([xpath(file, `string(${ref1}/year)`), xpath(file, `string(${ref1}/month)`), xpath(file, `string(${ref1}/day)`)], ['2018', '03', '28']);
    assert.equal(xpath(file, `string(${ref1}/volume)`), '15');
    assert.equal(xpath(file, `string(${ref1}/issue)`), '47');
    assert.equal(xpath(file, `string(${ref1}/date-in-citation[@content-type='access-date']/@iso-8601-date)`), '2021-05-15');
    assert.equal(xpath(file, 'count(//element-citation/ext-link)'), '0', 'neither an empty <> nor a half-typed address (ref 10) is a link');
  });

  test('chapters, books, links and hostile parsed fields map to their JATS elements and stay valid', () => {
    const { xml, file } = assertValid('variety.jats.xml');
    const ref = (n: number) => `//ref[@id='ref${n}']/element-citation`;
    assert.equal(xpath(file, `string(${ref(1)}/@publication-type)`), 'book');
    assert.equal(xpath(file, `string(${ref(1)}/chapter-title)`), 'Rozdział');
    assert.equal(xpath(file, `string(${ref(1)}/source)`), 'Księga');
    assert.equal(xpath(file, `string(${ref(1)}/person-group[@person-group-type='editor']/name/surname)`), 'Wiśniewski');
    assert.equal(xpath(file, `string(${ref(1)}/person-group[@person-group-type='translator']/collab)`), 'J. Smith');
    assert.equal(xpath(file, `string(${ref(1)}/page-range)`), '12, 15–18');
    assert.equal(xpath(file, `string(${ref(1)}/publisher-loc)`), 'Warszawa');
    assert.equal(xpath(file, `string(${ref(2)}/source)`), 'Diplomacy');
    assert.equal(xpath(file, `count(${ref(2)}/article-title)`), '0');
    assert.equal(xpath(file, `string(${ref(2)}/isbn)`), '978-0-671-51099-1');
    assert.equal(xpath(file, `string(${ref(2)}/size[@units='pages'])`), '912');
    assert.equal(xpath(file, `string(${ref(2)}/edition)`), '2');
    assert.equal(xpath(file, `string(${ref(3)}/ext-link/@*[local-name()='href'])`), 'https://example.org/a?b=1&c=2&d=\'x');
    assert.equal(xpath(file, `string(${ref(3)}/pub-id[@pub-id-type='doi'])`), '10.1000/x<y>');
    assert.equal(xpath(file, `string(${ref(3)}/article-title)`), ']]> </article-title>');
    assert.equal(xpath(file, `string(${ref(3)}/person-group/name/given-names)`), 'Onlygiven');
    assert.equal(xpath(file, `string(${ref(3)}/month)`), '10');
    assert.equal(xpath(file, `count(${ref(3)}/day)`), '0');
    assert.equal(xpath(file, 'count(//ref-list/ref)'), '4', 'a parsed field cannot close its element or open another');
    assert.equal(xpath(file, `count(${ref(4)})`), '0', 'an empty parse gives no element-citation');
    assert.equal(xpath(file, "string(//ref[@id='ref4']/mixed-citation)"), 'Parsed to nothing.');
    assert.doesNotMatch(xml, /<source>”/);
  });
});
