import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ArticleDetail, JournalSummary, ReferenceView } from '../catalog/index.ts';
import { parseReferences } from '../references/index.ts';
import { DEMO_AFFILIATION, demoArticle, demoJournal, demoRecord, person, seed, variantOf } from '../../test/support/records.ts';
import { articleUrl, xmlSafe, type RecordInput } from '../discovery/index.ts';
import { crossrefDeposit, doiInText, type CrossrefDepositOptions } from './crossref.ts';
import { CROSSREF_MIME_TYPES } from './crossref-mime-types.ts';

const SCHEMA = path.resolve('../shared/schemas/crossref/crossref5.3.1.xsd');
const BASE_URL = 'https://journals.example.org';
const OPTIONS: CrossrefDepositOptions = {
  depositor: { name: 'Revista test depositor', email: 'crossref@example.org', registrant: 'Polski Instytut Spraw Międzynarodowych' },
  batchId: 'revista-test-batch-1',
  timestamp: 20211227103000,
};

const dir = mkdtempSync(path.join(tmpdir(), 'revista-crossref-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Every deposit is written to a file; xmllint validates them all in one run (the schema loads JATS and MathML). */
const outputs = new Map<string, { xml: string; file: string }>();
let report = '';

function output(name: string, xml: string): void {
  const file = path.join(dir, `${name}.xml`);
  writeFileSync(file, xml);
  outputs.set(name, { xml, file });
}

function assertValid(name: string): { xml: string; file: string } {
  const result = outputs.get(name);
  assert.ok(result, `no output named ${name}`);
  const mine = report.split('\n').filter((l) => l.startsWith(result.file));
  assert.ok(mine.includes(`${result.file} validates`), `${name} is not valid:\n${mine.join('\n') || report}`);
  return result;
}

/** XPath over a file by local names: "//citation[@key='ref1']/unstructured_citation" needs no namespace bindings. */
function xpath(file: string, expression: string): string {
  const local = expression.replace(/(\/\/?)([A-Za-z_][\w-]*)(?![\w-]*\()/g, "$1*[local-name()='$2']");
  return execFileSync('xmllint', ['--nonet', '--xpath', local, file], { encoding: 'utf8' }).replace(/\n$/, '');
}

const demo = demoRecord(BASE_URL);
const variant = (id: number, changes: Partial<ArticleDetail>, journal: JournalSummary = demoJournal) => variantOf(BASE_URL, id, changes, journal);

const fullJournal: JournalSummary = {
  ...demoJournal,
  acronym: { pl: 'SM' },
  onlineIssn: '2719-3942',
  printIssn: '0038-853x',
  publisher: 'Polski Instytut Spraw Międzynarodowych',
  licenseUrl: 'https://creativecommons.org/licenses/by/4.0/',
};

const full = variant(
  1801,
  {
    locale: 'pl',
    title: { pl: 'Polityka Rosji wobec Kaukazu Południowego', en: 'Russia’s policy towards the South Caucasus' },
    subtitle: { pl: 'studium przypadku', en: 'a case study' },
    abstract: { pl: 'Pierwszy akapit.\n\nDrugi akapit.', en: 'First paragraph.\n\nSecond paragraph.' },
    pages: '45–67',
    contributors: [
      person(11, 'Anna', 'Kowalska', { affiliation: { en: 'University of Warsaw' }, rorId: 'https://ror.org/039bjqg32', orcid: 'https://orcid.org/0000-0002-1825-0097', isPrimaryContact: true }),
      person(12, 'Jan', 'Nowak', { orcid: '0000-0001-5109-3700' }),
      person(13, '', 'Plato'),
    ],
  },
  fullJournal,
);

const LATIN_GIVEN = ['Anna', 'Jan', 'Maria', 'Piotr', 'Ewa', 'Tomasz', 'Zofia', 'Adam', 'Olga', 'Marek'];
const letters = (n: number) => String.fromCharCode(97 + (n % 26)) + String.fromCharCode(97 + Math.floor(n / 26));
const sixtyAuthors = variant(1802, { contributors: Array.from({ length: 60 }, (_, i) => person(100 + i, LATIN_GIVEN[i % 10]!, `Kowalsk${letters(i)}`)) });

const nonLatin = variant(1803, {
  contributors: [person(201, 'Иван', 'Петров', { affiliation: { en: 'Московский государственный университет' } }), person(202, 'Γιώργος', 'Παπαδόπουλος')],
});

const HOSTILE_TITLE = '"<script>alert(1)</script> & \u202e \u0007';
const HOSTILE_REFERENCES = ['Evil ]]> reference </unstructured_citation><citation key="x"> & \'q\' "d"', 'bell \u0007 </citation_list> <doi>10.1/x</doi>'];
const hostile = variant(1804, {
  title: { en: HOSTILE_TITLE },
  abstract: { en: 'Abstract </jats:p><p>injected\u0001 & \uD800' },
  pages: 'e12"3<',
  contributors: [person(301, '<given>', 'O\'Brien & "Sons"', { affiliation: { en: '<institution>Fake</institution>' }, orcid: '"><x' })],
  references: HOSTILE_REFERENCES.map((text, i) => ({ seq: i + 1, text })),
});

const DOI_REFERENCE = 'Smith J., Things, Journal of X 3 (2020), pp. 1–10, https://doi.org/10.1016/j.x.2020.01.002.';
const doiReference = variant(1805, { references: [{ seq: 1, text: 'No identifier here.' }, { seq: 2, text: DOI_REFERENCE }] });

const noReferences = variant(1806, { references: [] });
const manyReferences = variant(1807, { references: Array.from({ length: 500 }, (_, i) => ({ seq: i + 1, text: `Author ${letters(i)}, Reference number ${i + 1}, Warszawa 2020.` })) });

const galley = (id: number, label: string, locale: string, mimeType: string | null, remoteUrl: string | null = null): ArticleDetail['galleys'][number] => ({ id, label, locale, remoteUrl, mimeType, sizeBytes: remoteUrl ? null : 1000 });
// Galleys as the catalog gives them: the stored file's type, or a remote address with none.
const withGalleys = variant(1810, {
  locale: 'en',
  galleys: [
    galley(71, 'PDF (polski)', 'pl', 'application/pdf'),
    galley(72, 'HTML', 'en', 'text/html; charset=utf-8'),
    galley(73, 'PDF', 'en', 'Application/PDF'),
    galley(74, 'Data', 'en', 'application/x-made-up'),
    galley(75, 'Repository copy', 'en', null, 'https://repository.example.org/1810.pdf'),
  ],
  licenseUrl: 'https://creativecommons.org/licenses/by-nc/4.0/',
});
const htmlOnly = variant(1811, { galleys: [galley(81, 'HTML', 'en', 'text/html'), galley(82, 'Remote PDF', 'en', null, 'https://repository.example.org/1811.pdf')] });
const remoteOnly = variant(1812, { galleys: [galley(91, 'Remote PDF', 'en', null, 'https://repository.example.org/1812.pdf')] });
// A licence that is no http(s) address is not deposited (the schema would take ftp:, readers could not follow javascript:).
const badLicence = variant(1813, { licenseUrl: 'javascript:alert(1)//creativecommons' });
const ftpLicence = variant(1814, { licenseUrl: 'ftp://example.org/licence.txt' });
// An organisation credited by OJS (contributor_type ORGANIZATION, the name as given name), a person
// with an ORCID iD proved through ORCID sign-in, one whose iD was typed, and a nameless affiliation.
const organisationAndOrcids = variant(1815, {
  contributors: [
    person(401, 'Research Group on Economic Statecraft', '', { isOrganization: true, affiliation: { en: 'Ignored Institute' } }),
    person(402, 'Emily', 'Carter', { orcid: 'https://orcid.org/0000-0002-1825-0097', orcidAuthenticated: true }),
    person(403, 'Jan', 'Nowak', { orcid: 'https://orcid.org/0000-0001-5109-3700', orcidAuthenticated: false }),
    { ...person(404, '', ''), affiliation: { en: DEMO_AFFILIATION } },
  ],
});
const namelessFirst = variant(1816, { contributors: [{ ...person(501, '', ''), affiliation: { en: DEMO_AFFILIATION } }, person(502, 'Anna', 'Kowalska')] });

const otherIssue = variant(1808, { issue: { ...demoArticle.issue!, id: 2, number: '1', volume: 75, datePublished: '2022-03-31' }, datePublished: '2022-03-31' });

// References as the catalog hands them out once parsed: the demo's 42 through the real parser, and
// hand-made CSL items for the other shapes (book, chapter, values the schema refuses, hostile text).
const withParses = (texts: string[]): ReferenceView[] => parseReferences(texts).map((p, i) => ({ seq: i + 1, text: texts[i]!, csl: p.csl, issues: p.issues }));
const parsedDemo = variant(1786, { references: withParses(seed.references) });
const VARIETY: ReferenceView[] = [
  {
    seq: 1,
    text: 'Kissinger H., Diplomacy, 2nd ed., Simon & Schuster, New York 1994, ISBN 978-0-671-51099-1.',
    csl: { type: 'book', author: [{ family: 'Kissinger', given: 'H.' }], title: 'Diplomacy', edition: '2', publisher: 'Simon & Schuster', ISBN: '978-0-671-51099-1', 'collection-title': 'Touchstone', issued: { 'date-parts': [[1994]] } },
  },
  {
    seq: 2,
    text: 'Nowak A., Rozdział, [in:] Księga, Warszawa 2019, pp. 45–67.',
    csl: { type: 'chapter', author: [{ literal: 'Polski Instytut Spraw Międzynarodowych' }], title: 'Rozdział', 'container-title': 'Księga', page: '45–67', issued: { 'date-parts': [[2019]] } },
  },
  {
    seq: 3,
    text: 'Evil </citation> reference, doi:10.1016/j.x.2020.01.002.',
    csl: { type: 'article-journal', title: '</article_title><doi>10.1/x</doi>', 'container-title': 'J & <X>', volume: 'v'.repeat(40), issue: '2', page: 'not a page', DOI: '10.1/x', ISBN: '12', issued: { 'date-parts': [[99999]] } },
  },
];
const variety = variant(1809, { references: VARIETY });

before(() => {
  output('demo', crossrefDeposit([demo], OPTIONS));
  output('parsed-demo', crossrefDeposit([parsedDemo], OPTIONS));
  output('variety', crossrefDeposit([variety], OPTIONS));
  output('full', crossrefDeposit([full], OPTIONS));
  output('sixty-authors', crossrefDeposit([sixtyAuthors], OPTIONS));
  output('non-latin', crossrefDeposit([nonLatin], OPTIONS));
  output('hostile', crossrefDeposit([hostile], OPTIONS));
  output('doi-reference', crossrefDeposit([doiReference], OPTIONS));
  output('no-references', crossrefDeposit([noReferences], OPTIONS));
  output('many-references', crossrefDeposit([manyReferences], OPTIONS));
  output('one-issue', crossrefDeposit([demo, full], OPTIONS));
  output('two-issues', crossrefDeposit([demo, otherIssue, full], OPTIONS));
  output('galleys', crossrefDeposit([withGalleys], OPTIONS));
  output('html-only', crossrefDeposit([htmlOnly], OPTIONS));
  output('remote-only', crossrefDeposit([remoteOnly], OPTIONS));
  output('bad-licence', crossrefDeposit([badLicence], OPTIONS));
  output('ftp-licence', crossrefDeposit([ftpLicence], OPTIONS));
  output('organisation-and-orcids', crossrefDeposit([organisationAndOrcids], OPTIONS));
  output('nameless-first', crossrefDeposit([namelessFirst], OPTIONS));
  const files = [...outputs.values()].map((o) => o.file);
  // spawnSync: xmllint's verdicts are on stderr, wanted whether it passes or not.
  const run = spawnSync('xmllint', ['--noout', '--nonet', '--schema', SCHEMA, ...files], { encoding: 'utf8' });
  if (run.error) throw run.error;
  report = run.stderr;
  if (run.status !== 0) assert.fail(`xmllint exited with ${run.status}:\n${report}`);
});

describe('Crossref deposit', () => {
  test('the demo article validates, with its 42 references verbatim', () => {
    const { xml, file } = assertValid('demo');
    assert.match(xml, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<doi_batch /);
    assert.match(xml, /<doi_batch xmlns="http:\/\/www.crossref.org\/schema\/5.3.1"[^>]* version="5.3.1"/);
    assert.equal(xml.match(/<citation /g)?.length, 42);
    assert.equal(xpath(file, "string(//citation[@key='ref1']/unstructured_citation)"), seed.references[0]);
    assert.equal(xpath(file, "string(//citation[@key='ref42']/unstructured_citation)"), seed.references[41]);
    assert.equal(xpath(file, 'string(//head/doi_batch_id)'), OPTIONS.batchId);
    assert.equal(xpath(file, 'string(//head/timestamp)'), '20211227103000');
    assert.equal(xpath(file, 'string(//depositor/email_address)'), 'crossref@example.org');
    assert.equal(xpath(file, 'string(//journal_metadata/full_title)'), 'Sprawy Międzynarodowe');
    assert.equal(xpath(file, 'count(//journal_metadata/issn)'), '0');
    assert.equal(xpath(file, 'string(//journal_issue/publication_date/year)'), '2021');
    assert.equal(xpath(file, 'string(//journal_issue/journal_volume/volume)'), '74');
    assert.equal(xpath(file, 'string(//journal_issue/issue)'), '4');
    assert.equal(xpath(file, 'string(//journal_article/@publication_type)'), 'full_text');
    assert.equal(xpath(file, 'string(//journal_article/titles/title)'), seed.title);
    assert.equal(xpath(file, 'string(//journal_article/abstract/p)'), seed.abstract);
    assert.equal(xpath(file, "concat(//journal_article/publication_date[@media_type='online']/year, '-', //journal_article/publication_date/month, '-', //journal_article/publication_date/day)"), seed.datePublished);
    assert.equal(xpath(file, 'count(//pages)'), '0', 'the demo article has no pages');
    // Its only contributor is an affiliation: not an author, neither anonymous nor an organization.
    assert.equal(xpath(file, 'count(//contributors)'), '0', 'no author is invented for an affiliation-only contributor');
    assert.ok(!xml.includes(DEMO_AFFILIATION), 'the affiliation is not presented as a contributor');
    assert.equal(xpath(file, "count(//program[@name='AccessIndicators']/free_to_read)"), '1', 'free to read: Revista has no paywall');
    assert.equal(xpath(file, "count(//program[@name='AccessIndicators']/license_ref)"), '0', 'no licence is named');
    assert.equal(xpath(file, 'count(//doi_data/collection)'), '0', 'no galleys, no full-text links');
    assert.equal(xpath(file, 'string(//doi_data/doi)'), '10.5555/sm.v74i4.1786');
    assert.equal(xpath(file, 'string(//doi_data/resource)'), articleUrl(demo));
  });

  test('a full article carries ISSNs, ORCID and ROR iDs, pages, licence, translations and abstracts', () => {
    const { file } = assertValid('full');
    assert.equal(xpath(file, "string(//journal_metadata/issn[@media_type='electronic'])"), '2719-3942');
    assert.equal(xpath(file, "string(//journal_metadata/issn[@media_type='print'])"), '0038-853X');
    assert.equal(xpath(file, 'string(//journal_metadata/abbrev_title)'), 'SM');
    assert.equal(xpath(file, 'string(//journal_article/@language)'), 'pl');
    assert.equal(xpath(file, 'string(//titles/title)'), 'Polityka Rosji wobec Kaukazu Południowego');
    assert.equal(xpath(file, 'string(//titles/subtitle[1])'), 'studium przypadku');
    assert.equal(xpath(file, "string(//titles/original_language_title[@language='en'])"), 'Russia’s policy towards the South Caucasus');
    assert.equal(xpath(file, 'string(//titles/subtitle[2])'), 'a case study');
    assert.equal(xpath(file, 'count(//contributors/person_name)'), '3');
    assert.equal(xpath(file, "string(//person_name[@sequence='first']/surname)"), 'Kowalska');
    assert.equal(xpath(file, "string(//person_name[@sequence='first']/given_name)"), 'Anna');
    assert.equal(xpath(file, "string(//person_name[@sequence='first']/affiliations/institution/institution_id[@type='ror'])"), 'https://ror.org/039bjqg32');
    assert.equal(xpath(file, "string(//person_name[@sequence='first']/ORCID)"), 'https://orcid.org/0000-0002-1825-0097');
    assert.equal(xpath(file, "string(//person_name[2]/ORCID)"), 'https://orcid.org/0000-0001-5109-3700', 'a bare ORCID iD becomes its URL');
    assert.equal(xpath(file, "count(//person_name[3]/given_name)"), '0');
    assert.equal(xpath(file, 'string(//pages/first_page)'), '45');
    assert.equal(xpath(file, 'string(//pages/last_page)'), '67');
    assert.equal(xpath(file, "string(//program[@name='AccessIndicators']/license_ref)"), 'https://creativecommons.org/licenses/by/4.0/');
    assert.equal(xpath(file, 'count(//journal_article/abstract)'), '2');
    assert.equal(xpath(file, "count(//journal_article/abstract[@xml:lang='pl']/p)"), '2');
  });

  test('sixty authors keep their order: one first, the rest additional', () => {
    const { file } = assertValid('sixty-authors');
    assert.equal(xpath(file, 'count(//contributors/person_name)'), '60');
    assert.equal(xpath(file, "count(//person_name[@sequence='first'])"), '1');
    assert.equal(xpath(file, "count(//person_name[@sequence='additional'][@contributor_role='author'])"), '59');
    assert.equal(xpath(file, 'string(//person_name[60]/surname)'), `Kowalsk${letters(59)}`);
  });

  test('Cyrillic and Greek names are kept as written', () => {
    const { file } = assertValid('non-latin');
    assert.equal(xpath(file, 'string(//person_name[1]/given_name)'), 'Иван');
    assert.equal(xpath(file, 'string(//person_name[1]/surname)'), 'Петров');
    assert.equal(xpath(file, 'string(//person_name[1]/affiliations/institution/institution_name)'), 'Московский государственный университет');
    assert.equal(xpath(file, 'string(//person_name[2]/given_name)'), 'Γιώργος');
    assert.equal(xpath(file, 'string(//person_name[2]/surname)'), 'Παπαδόπουλος');
  });

  test('hostile metadata is escaped, control characters are dropped, the deposit stays valid', () => {
    const { xml, file } = assertValid('hostile');
    assert.doesNotMatch(xml, /<script/);
    // The title is rich text (tags in it are markup, as OJS 3.4 writes titles): the script is gone, text kept.
    assert.doesNotMatch(xml, /alert\(1\)/);
    assert.ok(!xml.includes('\u0007') && !xml.includes('\u0001') && !xml.includes('\uD800'), 'control characters are removed');
    assert.equal(xpath(file, 'string(//titles/title)'), '" & \u202e');
    assert.equal(xpath(file, 'count(//citation)'), '2', 'a reference cannot close its element or open another');
    assert.equal(xpath(file, "string(//citation[@key='ref1']/unstructured_citation)"), HOSTILE_REFERENCES[0]);
    assert.equal(xpath(file, "string(//citation[@key='ref2']/unstructured_citation)"), xmlSafe(HOSTILE_REFERENCES[1]!));
    assert.equal(xpath(file, 'count(//citation/doi)'), '0', '"10.1/x" is no DOI');
    assert.equal(xpath(file, 'count(//ORCID)'), '0', 'a malformed ORCID iD is left out');
    assert.equal(xpath(file, 'string(//person_name/surname)'), 'O\'Brien & "Sons"');
    assert.equal(xpath(file, "string(//publisher_item/item_number[@item_number_type='article_number'])"), 'e12"3<');
  });

  test('full texts: text-mining lists every galley with its stored type; Similarity Check crawls the PDF in the article\'s language', () => {
    const { file } = assertValid('galleys');
    const url = (id: number) => `${BASE_URL}/sm/article/download/1810/${id}`;
    // doi_data is a sequence: doi, resource, then the collections.
    assert.equal(xpath(file, 'name(//doi_data/*[3])'), 'collection');
    assert.equal(xpath(file, "count(//doi_data/collection[@property='crawler-based']/item)"), '1');
    assert.equal(xpath(file, "string(//collection[@property='crawler-based']/item[@crawler='iParadigms']/resource)"), url(73));
    assert.equal(xpath(file, "count(//collection[@property='text-mining']/item)"), '5');
    assert.deepEqual(
      [1, 2, 3, 4, 5].map((n) => [xpath(file, `string(//collection[@property='text-mining']/item[${n}]/resource)`), xpath(file, `string(//collection[@property='text-mining']/item[${n}]/resource/@mime_type)`)]),
      [
        [url(71), 'application/pdf'],
        [url(72), 'text/html'],
        [url(73), 'application/pdf'],
        // A type outside the schema's list, and a remote galley's unknown one, are not said.
        [url(74), ''],
        [url(75), ''],
      ],
    );
    assert.equal(xpath(file, "count(//collection//resource[@mime_type=''])"), '0');
    // Open access: free to read, and the licence of the version of record.
    assert.equal(xpath(file, "count(//program[@name='AccessIndicators']/*[1][local-name()='free_to_read'])"), '1');
    assert.equal(xpath(file, "string(//program[@name='AccessIndicators']/license_ref[@applies_to='vor'])"), 'https://creativecommons.org/licenses/by-nc/4.0/');
  });

  test('without a PDF Similarity Check gets the first stored galley; with remote galleys alone it gets none', () => {
    const html = assertValid('html-only').file;
    assert.equal(xpath(html, "string(//collection[@property='crawler-based']/item/resource)"), `${BASE_URL}/sm/article/download/1811/81`);
    assert.equal(xpath(html, "count(//collection[@property='text-mining']/item)"), '2');
    const remote = assertValid('remote-only').file;
    assert.equal(xpath(remote, "count(//collection[@property='crawler-based'])"), '0');
    assert.equal(xpath(remote, "string(//collection[@property='text-mining']/item/resource)"), `${BASE_URL}/sm/article/download/1812/91`);
  });

  test('a licence that is not an http(s) address is left out; the article is still free to read', () => {
    for (const name of ['bad-licence', 'ftp-licence']) {
      const { xml, file } = assertValid(name);
      assert.equal(xpath(file, 'count(//license_ref)'), '0', name);
      assert.equal(xpath(file, 'count(//free_to_read)'), '1', name);
      assert.ok(!xml.includes('javascript:'), name);
    }
  });

  test('an organisation OJS credits is an organization; ORCID is authenticated only when proved; a nameless contributor is no author', () => {
    const { xml, file } = assertValid('organisation-and-orcids');
    assert.equal(xpath(file, 'count(//contributors/*)'), '3');
    assert.equal(xpath(file, "string(//contributors/organization[@sequence='first'][@contributor_role='author'])"), 'Research Group on Economic Statecraft');
    assert.equal(xpath(file, "string(//person_name[1]/ORCID/@authenticated)"), 'true');
    assert.equal(xpath(file, "string(//person_name[2]/ORCID/@authenticated)"), 'false');
    assert.equal(xpath(file, "count(//person_name[@sequence='first'])"), '0');
    assert.equal(xpath(file, 'count(//anonymous)'), '0');
    assert.ok(!xml.includes(DEMO_AFFILIATION));
    // A nameless first contributor does not take the "first" place from the first author.
    const first = assertValid('nameless-first').file;
    assert.equal(xpath(first, "string(//person_name[@sequence='first']/surname)"), 'Kowalska');
    assert.equal(xpath(first, 'count(//contributors/*)'), '1');
  });

  test('the media types written are the schema\'s own list', () => {
    const xsd = readFileSync(path.resolve('../shared/schemas/crossref/common5.3.1.xsd'), 'utf8');
    const group = xsd.slice(xsd.indexOf('name="mime_type.atts"'), xsd.indexOf('</xsd:attributeGroup>', xsd.indexOf('name="mime_type.atts"')));
    const listed = new Set([...group.matchAll(/value="([^"]+)"/g)].map((m) => m[1]!));
    assert.deepEqual(new Set(CROSSREF_MIME_TYPES), listed);
  });

  test('a DOI in a reference is given in doi, without the full stop after it', () => {
    const { file } = assertValid('doi-reference');
    assert.equal(xpath(file, "count(//citation[@key='ref1']/doi)"), '0');
    assert.equal(xpath(file, "string(//citation[@key='ref2']/doi)"), '10.1016/j.x.2020.01.002');
    assert.equal(xpath(file, "string(//citation[@key='ref2']/unstructured_citation)"), DOI_REFERENCE);
    assert.match(outputs.get('doi-reference')!.xml, /<doi>10\.1016\/j\.x\.2020\.01\.002<\/doi>\s*<unstructured_citation>/);
  });

  test('parsed references give Crossref their structure beside the verbatim text, in the schema order', () => {
    const { xml, file } = assertValid('parsed-demo');
    assert.equal(xpath(file, 'count(//citation_list/citation)'), '42');
    const ref1 = "//citation[@key='ref1']";
    assert.equal(xpath(file, `string(${ref1}/author)`), 'Aliyev');
    assert.equal(xpath(file, `string(${ref1}/cYear)`), '2018');
    assert.equal(xpath(file, `string(${ref1}/journal_title)`), 'Eurasia Daily Monitor');
    assert.equal(xpath(file, `string(${ref1}/volume)`), '15');
    assert.equal(xpath(file, `string(${ref1}/issue)`), '47');
    assert.equal(xpath(file, `string(${ref1}/article_title)`), 'Russia’s arms sales: A foreign policy tool in relations with Azerbaijan and Armenia');
    assert.equal(xpath(file, `string(${ref1}/unstructured_citation)`), seed.references[0]);
    const first = xml.slice(xml.indexOf('<citation key="ref1">'), xml.indexOf('</citation>'));
    const order = [...first.matchAll(/<([a-z_A-Z]+)>/g)].map((m) => m[1]);
    assert.deepEqual(order, ['journal_title', 'author', 'volume', 'issue', 'cYear', 'article_title', 'unstructured_citation']);
  });

  test('books, chapters and values the schema would refuse: structure where it fits, the text always', () => {
    const { file } = assertValid('variety');
    const ref = (n: number) => `//citation[@key='ref${n}']`;
    assert.equal(xpath(file, `string(${ref(1)}/volume_title)`), 'Diplomacy');
    assert.equal(xpath(file, `count(${ref(1)}/article_title)`), '0');
    assert.equal(xpath(file, `count(${ref(1)}/journal_title)`), '0', 'a book is in no journal');
    assert.equal(xpath(file, `string(${ref(1)}/isbn)`), '978-0-671-51099-1');
    assert.equal(xpath(file, `string(${ref(1)}/edition_number)`), '2');
    assert.equal(xpath(file, `string(${ref(1)}/series_title)`), 'Touchstone');
    assert.equal(xpath(file, `string(${ref(2)}/volume_title)`), 'Księga');
    assert.equal(xpath(file, `string(${ref(2)}/article_title)`), 'Rozdział');
    assert.equal(xpath(file, `string(${ref(2)}/author)`), 'Polski Instytut Spraw Międzynarodowych');
    assert.equal(xpath(file, `string(${ref(2)}/first_page)`), '45');
    assert.equal(xpath(file, `count(${ref(3)}/volume)`), '0', 'a volume longer than 32 characters is left out');
    assert.equal(xpath(file, `count(${ref(3)}/cYear)`), '0', 'no five-digit year');
    assert.equal(xpath(file, `count(${ref(3)}/isbn)`), '0');
    assert.equal(xpath(file, `count(${ref(3)}/first_page)`), '0');
    assert.equal(xpath(file, `string(${ref(3)}/doi)`), '10.1016/j.x.2020.01.002', 'an invalid parsed DOI gives way to the one in the text');
    assert.equal(xpath(file, `string(${ref(3)}/article_title)`), '</article_title><doi>10.1/x</doi>');
    assert.equal(xpath(file, `string(${ref(3)}/journal_title)`), 'J & <X>');
    assert.equal(xpath(file, 'count(//citation)'), '3');
  });

  test('DOIs are found in reference text and trimmed of what follows them', () => {
    assert.equal(doiInText('see <https://doi.org/10.1000/xyz123>.'), '10.1000/xyz123');
    assert.equal(doiInText('(doi:10.1002/(SICI)1097-4636(199812)43:4<1::AID-JBM1>3.0.CO;2-1).'), '10.1002/(SICI)1097-4636(199812)43:4<1::AID-JBM1>3.0.CO;2-1');
    assert.equal(doiInText('“10.5555/abc”,'), '10.5555/abc');
    assert.equal(doiInText('no doi 10.12/x'), undefined);
  });

  test('no references give no citation_list; 500 give 500 citations', () => {
    assert.equal(xpath(assertValid('no-references').file, 'count(//citation_list)'), '0');
    const { file } = assertValid('many-references');
    assert.equal(xpath(file, 'count(//citation_list/citation)'), '500');
    assert.equal(xpath(file, "string(//citation[@key='ref500']/unstructured_citation)"), `Author ${letters(499)}, Reference number 500, Warszawa 2020.`);
  });

  test('articles of one issue share one journal_issue; another issue gets its own journal', () => {
    const one = assertValid('one-issue').file;
    assert.equal(xpath(one, 'count(//body/journal)'), '1');
    assert.equal(xpath(one, 'count(//journal/journal_issue)'), '1');
    assert.equal(xpath(one, 'count(//journal/journal_article)'), '2');
    const two = assertValid('two-issues').file;
    assert.equal(xpath(two, 'count(//body/journal)'), '2');
    assert.equal(xpath(two, 'count(//body/journal[1]/journal_article)'), '2');
    assert.equal(xpath(two, 'string(//body/journal[2]/journal_issue/journal_volume/volume)'), '75');
    assert.equal(xpath(two, 'string(//body/journal[2]/journal_article/doi_data/doi)'), '10.5555/sm.1808');
  });

  test('articles without a DOI cannot be deposited: the error names each of them', () => {
    const noDoi = variant(1790, { doi: null });
    const blankDoi = variant(1791, { doi: '  ' });
    assert.throws(() => crossrefDeposit([demo, noDoi, blankDoi], OPTIONS), (error: Error) => {
      assert.match(error.message, /article 1790 has no DOI/);
      assert.match(error.message, /article 1791 has no DOI/);
      assert.doesNotMatch(error.message, /article 1786/);
      return true;
    });
    assert.throws(() => crossrefDeposit([variant(1792, { doi: 'doi:10.5555/x' })], OPTIONS), /article 1792 has a DOI Crossref does not accept/);
  });

  test('a batch that Crossref would refuse is not written', () => {
    assert.throws(() => crossrefDeposit([], OPTIONS), /no articles/);
    assert.throws(() => crossrefDeposit([demo], { ...OPTIONS, batchId: 'x' }), /batch id/);
    assert.throws(() => crossrefDeposit([demo], { ...OPTIONS, timestamp: 1.5 }), /timestamp/);
    assert.throws(() => crossrefDeposit([variant(1793, { datePublished: null, issue: null })], OPTIONS), /article 1793 has no publication date/);
    assert.throws(() => crossrefDeposit([variant(1794, { contributors: [person(1, 'Anna', 'x'.repeat(61))] })], OPTIONS), /article 1794: Crossref does not accept the name part/);
  });
});

describe('JATS of the same edge cases', () => {
  test('validates for the demo, many authors, non-Latin names, no pages, 0 and 500 references and hostile text', async () => {
    const { jatsArticle } = await import('../discovery/index.ts');
    const noPages = variant(1808, { pages: null });
    const cases: Array<[string, RecordInput, number]> = [
      ['demo', demo, 42],
      ['sixty-authors', sixtyAuthors, demo.article.references.length],
      ['non-latin', nonLatin, nonLatin.article.references.length],
      ['no-pages', noPages, noPages.article.references.length],
      ['no-references', noReferences, 0],
      ['500-references', manyReferences, 500],
      ['hostile', hostile, hostile.article.references.length],
    ];
    const files = cases.map(([name, input]) => {
      const file = path.join(dir, `${name}.jats.xml`);
      writeFileSync(file, `<?xml version="1.0" encoding="UTF-8"?>\n${jatsArticle(input)}\n`);
      return file;
    });
    const result = spawnSync('xmllint', ['--noout', '--nonet', '--schema', path.resolve('../shared/schemas/jats/JATS-journalpublishing1-3d2-mathml3.xsd'), ...files], { encoding: 'utf8' });
    for (const file of files) assert.ok(result.stderr.includes(`${file} validates`), `${path.basename(file)}:\n${result.stderr.split('\n').filter((l) => l.startsWith(file)).join('\n')}`);
    for (const [index, [, , refs]] of cases.entries()) {
      assert.equal((readFileSync(files[index]!, 'utf8').match(/<ref /g) ?? []).length, refs, cases[index]![0]);
    }
    assert.doesNotMatch(readFileSync(files[6]!, 'utf8'), /<script|\u0007/);
    assert.equal((readFileSync(files[1]!, 'utf8').match(/<contrib /g) ?? []).length, 60);
  });
});
