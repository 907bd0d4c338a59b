import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ArticleDetail, JournalSummary } from '../catalog/index.ts';
import { DEMO_AFFILIATION, demoArticle as sharedArticle, demoJournal as sharedJournal, person, seed } from '../../test/support/records.ts';
import { articleUrl, type RecordInput } from '../discovery/index.ts';
import { doajArticles } from './doaj.ts';

const SCHEMA = path.resolve('../shared/schemas/doaj/doajArticles.xsd');
const BASE_URL = 'https://journals.example.org';

const dir = mkdtempSync(path.join(tmpdir(), 'revista-doaj-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Every export is written to a file; xmllint validates them all in one run. */
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

function xpath(file: string, expression: string): string {
  return execFileSync('xmllint', ['--nonet', '--xpath', expression, file], { encoding: 'utf8' }).replace(/\n$/, '');
}

// The demo article, given an ISSN (without one DOAJ cannot file it) and, as in the seed, no DOI.
const demoJournal: JournalSummary = { ...sharedJournal, onlineIssn: '2049-3630' };
const demoArticle: ArticleDetail = { ...sharedArticle, doi: null };
const demo: RecordInput = { article: demoArticle, journal: demoJournal, baseUrl: BASE_URL };

function variant(id: number, changes: Partial<ArticleDetail>, journal: JournalSummary = demoJournal): RecordInput {
  return { article: { ...demoArticle, id, ...changes }, journal, baseUrl: BASE_URL };
}

const fullJournal: JournalSummary = {
  ...demoJournal,
  onlineIssn: '2719-3942',
  printIssn: '0038-853x',
  publisher: 'Polski Instytut Spraw Międzynarodowych',
};

const full = variant(
  1801,
  {
    locale: 'pl',
    doi: '10.5555/sm.1801',
    title: { pl: 'Polityka Rosji wobec Kaukazu Południowego', en: 'Russia’s policy towards the South Caucasus' },
    subtitle: { pl: 'studium przypadku' },
    abstract: { pl: 'Pierwszy akapit.\n\nDrugi akapit.', en: 'First paragraph.' },
    keywords: { pl: ['Rosja', 'Kaukaz Południowy'], en: ['Russia', 'South Caucasus', 'security'], xx: ['unknown language'] },
    pages: '45–67',
    contributors: [
      person(11, 'Anna', 'Kowalska', { affiliation: { en: 'University of Warsaw' }, orcid: 'https://orcid.org/0000-0002-1825-0097' }),
      person(12, 'Jan', 'Nowak', { affiliation: { en: 'University of Warsaw' }, orcid: '0000-0001-5109-3700' }),
      person(13, 'Ewa', 'Lis', { affiliation: { en: 'Polish Institute of International Affairs' } }),
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
const hostile = variant(
  1804,
  {
    title: { en: HOSTILE_TITLE },
    abstract: { en: 'Abstract </abstract><record>injected\u0001 & ]]> \uD800' },
    keywords: { en: ['<keyword>', 'a & b'] },
    pages: 'e12"3<',
    doi: '10.1234/"><script>',
    contributors: [person(301, '<given>', 'O\'Brien & "Sons"', { affiliation: { en: '</affiliationName>Fake' }, orcid: '"><x' })],
    references: [{ seq: 1, text: 'Evil ]]> reference </record>' }],
  },
  { ...fullJournal, publisher: '</publisher>&', name: { pl: '<journalTitle>' } },
);

const noReferences = variant(1806, { references: [] });
const manyReferences = variant(1807, { references: Array.from({ length: 500 }, (_, i) => ({ seq: i + 1, text: `Reference ${i + 1}.` })) });

before(() => {
  output('demo', doajArticles([demo]));
  output('full', doajArticles([full]));
  output('sixty-authors', doajArticles([sixtyAuthors]));
  output('non-latin', doajArticles([nonLatin]));
  output('hostile', doajArticles([hostile]));
  output('no-references', doajArticles([noReferences]));
  output('many-references', doajArticles([manyReferences]));
  output('two-articles', doajArticles([demo, full]));
  const files = [...outputs.values()].map((o) => o.file);
  const run = spawnSync('xmllint', ['--noout', '--nonet', '--schema', SCHEMA, ...files], { encoding: 'utf8' });
  if (run.error) throw run.error;
  report = run.stderr;
  if (run.status !== 0) assert.fail(`xmllint exited with ${run.status}:\n${report}`);
});

describe('DOAJ article XML', () => {
  test('the demo article validates, with its journal, dates, issue and address', () => {
    const { xml, file } = assertValid('demo');
    assert.match(xml, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<records>/);
    assert.equal(xpath(file, 'count(/records/record)'), '1');
    assert.equal(xpath(file, 'string(//record/language)'), 'eng');
    assert.equal(xpath(file, 'count(//record/publisher)'), '0');
    assert.equal(xpath(file, 'string(//record/journalTitle)'), 'Sprawy Międzynarodowe');
    assert.equal(xpath(file, 'string(//record/eissn)'), '2049-3630');
    assert.equal(xpath(file, 'count(//record/issn)'), '0');
    assert.equal(xpath(file, 'string(//record/publicationDate)'), seed.datePublished);
    assert.equal(xpath(file, 'string(//record/volume)'), '74');
    assert.equal(xpath(file, 'string(//record/issue)'), '4');
    assert.equal(xpath(file, 'count(//record/startPage)'), '0', 'the demo article has no pages');
    assert.equal(xpath(file, 'count(//record/doi)'), '0');
    assert.equal(xpath(file, 'string(//record/publisherRecordId)'), '1786');
    assert.equal(xpath(file, 'string(//record/documentType)'), 'article');
    assert.equal(xpath(file, "string(//record/title[@language='eng'])"), seed.title);
    assert.equal(xpath(file, 'count(//authors)'), '0', 'no name is invented for an affiliation-only contributor');
    assert.equal(xpath(file, 'string(//affiliationsList/affiliationName)'), DEMO_AFFILIATION);
    assert.equal(xpath(file, "string(//record/abstract[@language='eng'])"), seed.abstract);
    assert.equal(xpath(file, "string(//record/fullTextUrl[@format='html'])"), articleUrl(demo));
  });

  test('a full article carries ISSNs, DOI, pages, authors with affiliations and ORCID iDs, translations and keywords', () => {
    const { file } = assertValid('full');
    assert.equal(xpath(file, 'string(//record/language)'), 'pol');
    assert.equal(xpath(file, 'string(//record/publisher)'), 'Polski Instytut Spraw Międzynarodowych');
    assert.equal(xpath(file, 'string(//record/issn)'), '0038-853X');
    assert.equal(xpath(file, 'string(//record/eissn)'), '2719-3942');
    assert.equal(xpath(file, 'string(//record/startPage)'), '45');
    assert.equal(xpath(file, 'string(//record/endPage)'), '67');
    assert.equal(xpath(file, 'string(//record/doi)'), '10.5555/sm.1801');
    assert.equal(xpath(file, 'count(//record/title)'), '2');
    assert.equal(xpath(file, "string(//record/title[1][@language='pol'])"), 'Polityka Rosji wobec Kaukazu Południowego: studium przypadku');
    assert.equal(xpath(file, "string(//record/title[@language='eng'])"), 'Russia’s policy towards the South Caucasus');
    assert.equal(xpath(file, 'count(//authors/author)'), '3');
    assert.equal(xpath(file, 'string(//author[1]/name)'), 'Anna Kowalska');
    assert.equal(xpath(file, 'string(//author[1]/orcid_id)'), 'https://orcid.org/0000-0002-1825-0097');
    assert.equal(xpath(file, 'string(//author[2]/orcid_id)'), 'https://orcid.org/0000-0001-5109-3700', 'a bare ORCID iD becomes its URL');
    assert.equal(xpath(file, 'count(//affiliationsList/affiliationName)'), '2', 'a shared affiliation is listed once');
    assert.equal(xpath(file, 'string(//author[2]/affiliationId)'), xpath(file, 'string(//author[1]/affiliationId)'));
    assert.equal(xpath(file, "string(//affiliationName[@affiliationId=//author[3]/affiliationId])"), 'Polish Institute of International Affairs');
    assert.equal(xpath(file, "string(//record/abstract[@language='pol'])"), 'Pierwszy akapit.\n\nDrugi akapit.');
    assert.equal(xpath(file, 'count(//record/keywords)'), '3');
    assert.equal(xpath(file, "count(//keywords[@language='eng']/keyword)"), '3');
    assert.equal(xpath(file, "string(//keywords[1][@language='pol']/keyword[1])"), 'Rosja', 'keywords in the article’s language come first');
    assert.equal(xpath(file, 'count(//keywords[not(@language)]/keyword)'), '1', 'a locale without an ISO 639-2/B code gets no language attribute');
  });

  test('sixty authors keep their order', () => {
    const { file } = assertValid('sixty-authors');
    assert.equal(xpath(file, 'count(//authors/author)'), '60');
    assert.equal(xpath(file, 'string(//author[60]/name)'), `${LATIN_GIVEN[59 % 10]} Kowalsk${letters(59)}`);
  });

  test('Cyrillic and Greek names are kept as written', () => {
    const { file } = assertValid('non-latin');
    assert.equal(xpath(file, 'string(//author[1]/name)'), 'Иван Петров');
    assert.equal(xpath(file, 'string(//affiliationName)'), 'Московский государственный университет');
    assert.equal(xpath(file, 'string(//author[2]/name)'), 'Γιώργος Παπαδόπουλος');
  });

  test('hostile metadata is escaped, control characters are dropped, the file stays valid', () => {
    const { xml, file } = assertValid('hostile');
    assert.doesNotMatch(xml, /<script/);
    // The title is rich text (tags in it are markup, as OJS 3.4 writes titles): the script is gone, text kept.
    assert.doesNotMatch(xml, /alert\(1\)/);
    assert.ok(!xml.includes('\u0007') && !xml.includes('\u0001') && !xml.includes('\uD800'), 'control characters are removed');
    assert.equal(xpath(file, 'count(/records/record)'), '1', 'no value can close its element or open a record');
    assert.equal(xpath(file, 'string(//record/title)'), '" & \u202e');
    assert.equal(xpath(file, 'string(//record/journalTitle)'), '<journalTitle>');
    assert.equal(xpath(file, 'string(//record/publisher)'), '</publisher>&');
    assert.equal(xpath(file, 'string(//record/doi)'), '10.1234/"><script>');
    assert.equal(xpath(file, 'string(//record/startPage)'), 'e12"3<');
    assert.equal(xpath(file, 'string(//record/abstract)'), 'Abstract injected & ]]>');
    assert.equal(xpath(file, 'string(//author/name)'), '<given> O\'Brien & "Sons"');
    assert.equal(xpath(file, 'count(//author/orcid_id)'), '0', 'a malformed ORCID iD is left out');
    assert.equal(xpath(file, 'string(//affiliationName)'), '</affiliationName>Fake');
    assert.equal(xpath(file, 'string(//keywords/keyword[1])'), '<keyword>');
  });

  test('references do not go to DOAJ: none or 500 give the same valid record', () => {
    assertValid('no-references');
    const { xml } = assertValid('many-references');
    assert.doesNotMatch(xml, /Reference 1\./);
  });

  test('several articles give one record each', () => {
    const { file } = assertValid('two-articles');
    assert.equal(xpath(file, 'count(/records/record)'), '2');
    assert.equal(xpath(file, 'string(/records/record[2]/publisherRecordId)'), '1801');
  });

  test('an article whose journal has no ISSN is refused, naming it', () => {
    const noIssn = variant(1790, {}, { ...demoJournal, onlineIssn: null, printIssn: null });
    const badIssn = variant(1791, {}, { ...demoJournal, onlineIssn: '<issn>', printIssn: '' });
    assert.throws(() => doajArticles([demo, noIssn, badIssn]), (error: Error) => {
      assert.match(error.message, /article 1790: its journal "sm" has no ISSN/);
      assert.match(error.message, /article 1791: its journal "sm" has no ISSN/);
      assert.doesNotMatch(error.message, /article 1786/);
      return true;
    });
  });

  test('what DOAJ would refuse is not written', () => {
    assert.throws(() => doajArticles([]), /no articles/);
    assert.throws(() => doajArticles([variant(1792, { datePublished: null, issue: null })]), /article 1792 has no publication date/);
    assert.throws(() => doajArticles([{ ...demo, baseUrl: 'http://localhost:3000' }]), /DOAJ does not accept the address http:\/\/localhost:3000/);
  });
});
