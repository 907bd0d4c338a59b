import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IssueIdentity, ReferenceView } from '../../catalog/index.ts';
import { translator } from '../../i18n/index.ts';
import { contributorName, formatFileSize, issueLabel, issueNumbering, linkifyReference, referenceLinks } from './format.ts';

const issue: IssueIdentity = {
  id: 1,
  volume: 74,
  number: '4',
  year: 2021,
  title: { pl: 'Kaukaz Południowy na rozdrożu' },
  showVolume: true,
  showNumber: true,
  showYear: true,
  showTitle: true,
  datePublished: null,
};

describe('issue identification', () => {
  it('reads as OJS writes it, in each language', () => {
    assert.equal(issueLabel(issue, translator('pl'), 'pl', 'pl').text, 'Tom 74 Nr 4 (2021): Kaukaz Południowy na rozdrożu');
    assert.equal(issueLabel(issue, translator('en'), 'en', 'pl').text, 'Vol. 74 No. 4 (2021): Kaukaz Południowy na rozdrożu');
    assert.equal(issueLabel(issue, translator('en'), 'en', 'pl').title?.locale, 'pl');
  });

  it('leaves out what the issue does not show or does not have', () => {
    assert.equal(issueNumbering({ ...issue, showNumber: false }, translator('en')), 'Vol. 74 (2021)');
    assert.equal(issueNumbering({ ...issue, volume: null, number: '' }, translator('pl')), '(2021)');
    assert.equal(issueLabel({ ...issue, showTitle: false }, translator('pl'), 'pl', 'pl').text, 'Tom 74 Nr 4 (2021)');
    assert.equal(issueLabel({ ...issue, showVolume: false, showNumber: false, showYear: false }, translator('pl'), 'pl', 'pl').text, 'Kaukaz Południowy na rozdrożu');
  });
});

describe('contributor names', () => {
  it('are given name then family name in one locale', () => {
    assert.deepEqual(contributorName({ givenName: { pl: 'Anna', en: 'Anna' }, familyName: { pl: 'Nowak' } }, 'en', 'pl'), { text: 'Anna Nowak', locale: 'en' });
    assert.deepEqual(contributorName({ givenName: {}, familyName: { en: 'UNESCO' } }, 'pl', 'en'), { text: 'UNESCO', locale: 'en' });
  });

  it('are absent for a contributor known only by affiliation, as on the seed page', () => {
    assert.equal(contributorName({ givenName: {}, familyName: {} }, 'pl', 'en'), undefined);
    assert.equal(contributorName({ givenName: { pl: ' ' }, familyName: {} }, 'pl', 'en'), undefined);
  });
});

describe('links from parsed references', () => {
  // The catalog's references as the reader's pages pass them.
  const linksOf = (reference: Pick<ReferenceView, 'text' | 'csl'>) => referenceLinks(reference);

  it('adds the DOI and address the parser read when the text does not link them', () => {
    // The DOI broken by a line-end hyphen in the text; the parse carries it whole.
    const text = 'Smith J., Title, “Journal” 2019, vol. 3, DOI 10.1234/ab- c.2019, online www.example.org/page.';
    const links = linksOf({ text, csl: { type: 'article-journal', DOI: '10.1234/abc.2019', URL: 'http://www.example.org/page' } });
    assert.deepEqual(links.more, [
      { text: 'https://doi.org/10.1234/abc.2019', href: 'https://doi.org/10.1234/abc.2019' },
      { text: 'http://www.example.org/page', href: 'http://www.example.org/page' },
    ]);
    assert.deepEqual(links.parts, linkifyReference(text));
  });

  it('adds nothing the text already links, nor an empty or half-typed address', () => {
    const text = 'Smith J., Title, doi:10.1000/xyz123, <https://example.org/a>.';
    assert.deepEqual(linksOf({ text, csl: { type: 'article-journal', DOI: '10.1000/XYZ123', URL: 'https://example.org/a' } }).more, []);
    assert.deepEqual(linksOf({ text: 'X: <шесть-уроков/>.', csl: { type: 'webpage', URL: 'шесть-уроков/' } }).more, []);
    assert.deepEqual(linksOf({ text: 'X: <>.', csl: { type: 'webpage', URL: '' } }).more, []);
    assert.deepEqual(linksOf({ text: 'No parse.' }), { parts: [{ text: 'No parse.' }], more: [] });
  });
});

describe('links in references', () => {
  it('makes web addresses links, without trailing punctuation', () => {
    assert.deepEqual(linkifyReference('See https://example.org/a_(b). Next'), [{ text: 'See ' }, { text: 'https://example.org/a_(b)', href: 'https://example.org/a_(b)' }, { text: '. Next' }]);
    assert.deepEqual(linkifyReference('online: <http://x.pl/page>.'), [{ text: 'online: <' }, { text: 'http://x.pl/page', href: 'http://x.pl/page' }, { text: '>.' }]);
  });

  it('links DOIs to doi.org, with or without the doi: prefix', () => {
    assert.deepEqual(linkifyReference('Smith J., Title, doi:10.1000/xyz123.'), [{ text: 'Smith J., Title, ' }, { text: 'doi:10.1000/xyz123', href: 'https://doi.org/10.1000/xyz123' }, { text: '.' }]);
    assert.deepEqual(linkifyReference('10.5555/abc-1, p. 3'), [{ text: '10.5555/abc-1', href: 'https://doi.org/10.5555/abc-1' }, { text: ', p. 3' }]);
  });

  it('leaves text without addresses as it is, like the seed’s emptied <> links', () => {
    const seed10 = 'Kortunov A., Shest\' urokov konflikta v Karabakhe, “Global Brief” [online], 4 X 2020 [accessed: 15 V 2021]: <шесть-уроков-конфликта-в-карабахе/>.';
    assert.deepEqual(linkifyReference(seed10), [{ text: seed10 }]);
    assert.deepEqual(linkifyReference('Baku TV [online], 10 XI 2020: <>.'), [{ text: 'Baku TV [online], 10 XI 2020: <>.' }]);
  });
});

describe('file sizes', () => {
  it('are written with the locale’s decimal separator', () => {
    assert.equal(formatFileSize(512, 'pl'), '512 B');
    assert.equal(formatFileSize(1_250_000, 'pl'), '1,3 MB');
    assert.equal(formatFileSize(1_250_000, 'en'), '1.3 MB');
  });
});
