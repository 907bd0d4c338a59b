import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Cite } from '@citation-js/core';
import '@citation-js/plugin-bibtex';
import '@citation-js/plugin-ris';
import type { ArticleDetail, JournalSummary } from '../catalog/index.ts';
import { DEMO_AFFILIATION, demoArticle as sharedArticle, demoJournal as sharedJournal, seed } from '../../test/support/records.ts';
import type { RecordInput } from '../discovery/index.ts';
import { CITATION_STYLES, formatCitation, toBibTeX, toCslJson, toCslJsonText, toEndNote, toRis, type CslItem, type CslName } from './citations.ts';

const BASE_URL = 'https://journals.example.org';
// The demo article from its seed page (test/support/records.ts), as the seed has it: without a DOI.
const demoJournal: JournalSummary = sharedJournal;
const demoArticle: ArticleDetail = { ...sharedArticle, doi: null };
const demo: RecordInput = { article: demoArticle, journal: demoJournal, baseUrl: BASE_URL };

// (b) A complete article: two named authors (one Polish name with diacritics), title and abstract in
// two languages (the article's own, English, is the one cited), pages typed with an en dash, DOI, ISSN.
const fullJournal: JournalSummary = {
  ...demoJournal,
  acronym: { pl: 'SM' },
  onlineIssn: '2049-3630',
  publisher: 'Polski Instytut Spraw Międzynarodowych',
};

const FULL_TITLE = 'Poland’s energy security after 2022: The Baltic Pipe and the end of Russian gas';

const fullArticle: ArticleDetail = {
  ...demoArticle,
  id: 1790,
  title: { en: FULL_TITLE, pl: 'Bezpieczeństwo energetyczne Polski po 2022 roku: Baltic Pipe i koniec rosyjskiego gazu' },
  abstract: { en: 'The paper traces how Poland replaced Russian gas.\n\nIt closes with the costs.', pl: 'Artykuł opisuje, jak Polska zastąpiła rosyjski gaz.' },
  keywords: { en: ['energy security', 'Baltic Pipe'], pl: ['bezpieczeństwo energetyczne'] },
  pages: '45–67',
  doi: '10.5555/sm.2021.45',
  contributors: [
    { id: 2, givenName: { en: 'Anna' }, familyName: { en: 'Nowak' }, affiliation: { en: 'University of Warsaw' }, rorId: null, orcid: null, isPrimaryContact: true },
    { id: 3, givenName: { pl: 'Łukasz' }, familyName: { pl: 'Żółć' }, affiliation: {}, rorId: null, orcid: null, isPrimaryContact: false },
  ],
  references: [],
};

const full: RecordInput = { article: fullArticle, journal: fullJournal, baseUrl: BASE_URL };

// (c) Hostile metadata: markup and every BibTeX special in the title, a name that is an HTML payload.
const HOSTILE_TITLE = '"<script>alert(1)</script> & {braces} %percent';
// Titles are rich text (OJS 3.4 writes inline HTML in them): the script is markup, gone; the rest is text.
const HOSTILE_TITLE_TEXT = '" & {braces} %percent';
const HOSTILE_FAMILY = 'Smith <img src=x onerror=alert(1)>';
const HOSTILE_GIVEN = 'Jo_hn \\ ~ ^ $ #';

const hostile: RecordInput = {
  ...full,
  article: {
    ...fullArticle,
    id: 1791,
    title: { en: HOSTILE_TITLE },
    abstract: { en: '50% of {x} & $y_z^2 \\ #1 ~' },
    keywords: {},
    contributors: [{ id: 4, givenName: { en: HOSTILE_GIVEN }, familyName: { en: HOSTILE_FAMILY }, affiliation: {}, rorId: null, orcid: null, isPrimaryContact: true }],
  },
};

/**
 * Expected APA 7 references, written by hand from the manual's rules for a journal article (§10.1):
 * Author, A. A., & Author, B. B. (Year). Title of article. *Journal*, *volume*(issue), pages. DOI as
 * https://doi.org/… — and, without a DOI, the article's URL. A group author (§9.11) stands in the
 * author position, followed by a period.
 *
 * Italics: the 'html' output marks them with <i> (journal name and volume); the 'text' output is plain
 * text with no markers at all, so the expected text is the reference without the asterisks.
 *
 * Capitals: APA titles are in sentence case, which citeproc cannot produce (it would have to know
 * which words are proper nouns), so the APA style prints the title as stored. The full article's title
 * is stored in APA sentence case ("…: The Baltic Pipe…"); the demo article's is stored with a
 * lowercase word after the colon, which APA would capitalise ("Evolution"), and stays so.
 */
const APA_FULL_TEXT =
  'Nowak, A., & Żółć, Ł. (2021). Poland’s energy security after 2022: The Baltic Pipe and the end of Russian gas. Sprawy Międzynarodowe, 74(4), 45–67. https://doi.org/10.5555/sm.2021.45';
const APA_FULL_HTML =
  'Nowak, A., &#38; Żółć, Ł. (2021). Poland’s energy security after 2022: The Baltic Pipe and the end of Russian gas. <i>Sprawy Międzynarodowe</i>, <i>74</i>(4), 45–67. https://doi.org/10.5555/sm.2021.45';
// APA 7 for a work with no author: the title moves to the author's place (never the affiliation).
const APA_DEMO_TEXT =
  'Russia’s approaches towards Armenia and Azerbaijan: evolution of the policy or interests come first? (2021). Sprawy Międzynarodowe, 74(4). https://journals.example.org/sm/article/view/1786';

/** Tags allowed in the HTML: citeproc's layout divs and its own formatting (never a value's markup). */
const ALLOWED_TAGS = new Set(['div', 'i', 'b', 'sup', 'sub', 'span']);

const decodeEntities = (html: string) =>
  html.replace(/<[^>]*>/g, '').replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code))).replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>');

describe('CSL-JSON', () => {
  test('the full article maps field by field, in its own language', () => {
    const expected: CslItem = {
      id: 'sm1790',
      type: 'article-journal',
      title: FULL_TITLE,
      author: [
        { family: 'Nowak', given: 'Anna' },
        { family: 'Żółć', given: 'Łukasz' },
      ],
      'container-title': 'Sprawy Międzynarodowe',
      'container-title-short': 'SM',
      ISSN: '2049-3630',
      volume: '74',
      issue: '4',
      page: '45-67',
      DOI: '10.5555/sm.2021.45',
      URL: 'https://journals.example.org/sm/article/view/1790',
      issued: { 'date-parts': [[2021, 12, 27]] },
      language: 'en',
      publisher: 'Polski Instytut Spraw Międzynarodowych',
      abstract: 'The paper traces how Poland replaced Russian gas.\n\nIt closes with the costs.',
      keyword: 'energy security, Baltic Pipe',
    };
    assert.deepEqual(toCslJson(full), expected);
  });

  test('the demo article has no author (its one contributor is only an affiliation) and invents nothing it lacks', () => {
    const item = toCslJson(demo);
    assert.equal(item.id, 'sm1786');
    assert.equal(item.title, 'Russia’s approaches towards Armenia and Azerbaijan: evolution of the policy or interests come first?');
    assert.ok(!('author' in item), `no author: ${JSON.stringify(item.author)}`);
    assert.ok(!JSON.stringify(item).includes(DEMO_AFFILIATION), 'the affiliation is nowhere in the item');
    assert.deepEqual(item.issued, { 'date-parts': [[2021, 12, 27]] });
    assert.equal(item.URL, 'https://journals.example.org/sm/article/view/1786');
    for (const absent of ['page', 'DOI', 'ISSN', 'publisher', 'container-title-short', 'keyword'] as const) {
      assert.ok(!(absent in item), `${absent} should be absent`);
    }
  });

  test('an organisation OJS credits is one literal name; a nameless contributor among people is left out', () => {
    const item = toCslJson({
      ...full,
      article: {
        ...fullArticle,
        contributors: [
          { ...fullArticle.contributors[0]!, id: 91, givenName: { en: 'Research Group on Economic Statecraft' }, familyName: {}, isOrganization: true },
          { ...fullArticle.contributors[0]!, id: 92, givenName: {}, familyName: {}, affiliation: { en: DEMO_AFFILIATION } },
          fullArticle.contributors[1]!,
        ],
      },
    });
    assert.deepEqual(item.author, [{ literal: 'Research Group on Economic Statecraft' }, { family: 'Żółć', given: 'Łukasz' }]);
  });

  test('the text form is a JSON array holding the one item', () => {
    assert.deepEqual(JSON.parse(toCslJsonText(full)), [toCslJson(full)]);
    assert.deepEqual(JSON.parse(toCslJsonText(hostile)), [toCslJson(hostile)]);
  });
});

describe('formatted citations', () => {
  test('APA for the full article is the hand-written reference, in text and in HTML', () => {
    assert.equal(formatCitation(full, 'apa', 'en', 'text'), APA_FULL_TEXT);
    assert.equal(formatCitation(full, 'apa', 'en', 'html'), APA_FULL_HTML);
  });

  test('APA for the demo article starts with the title, not the affiliation, and links the article page', () => {
    assert.equal(formatCitation(demo, 'apa', 'en', 'text'), APA_DEMO_TEXT);
    // APA's journal-article reference uses no locale terms ("&" is a symbol): Polish is the same.
    assert.equal(formatCitation(demo, 'apa', 'pl', 'text'), APA_DEMO_TEXT);
  });

  test('with no author every style starts with the title, except Cite Them Right, whose rule puts the journal first', () => {
    for (const style of CITATION_STYLES) {
      for (const locale of ['en', 'pl'] as const) {
        const text = formatCitation(demo, style.id, locale, 'text').replace(/^(\[1\]|1\.)\s*/, '').replace(/^[“"„]/, '');
        assert.ok(!text.includes('University of Economics'), `${style.id} ${locale}: ${text}`);
        const first = style.id === 'harvard-cite-them-right' ? 'Sprawy Międzynarodowe' : 'Russia’s';
        assert.ok(text.startsWith(first), `${style.id} ${locale}: ${text}`);
      }
    }
  });

  test('the seven styles, in order', () => {
    assert.deepEqual(
      CITATION_STYLES.map((s) => `${s.id}: ${s.name}`),
      [
        'apa: APA',
        'chicago-author-date: Chicago',
        'modern-language-association: MLA',
        'harvard-cite-them-right: Harvard',
        'ieee: IEEE',
        'nlm-citation-sequence: Vancouver',
        'iso690-author-date-en: ISO 690',
      ],
    );
  });

  for (const [name, input] of [
    ['demo', demo],
    ['full', full],
  ] as const) {
    for (const style of CITATION_STYLES) {
      test(`${style.name} renders the ${name} article in Polish and English, text and HTML`, () => {
        const title = toCslJson(input).title!.toLowerCase();
        for (const locale of ['pl', 'en'] as const) {
          const text = formatCitation(input, style.id, locale, 'text');
          const html = formatCitation(input, style.id, locale, 'html');
          // Chicago and MLA put English titles in title case: compare without case.
          assert.ok(text.toLowerCase().includes(title), `${style.id}/${locale} text lacks the title: ${text}`);
          assert.ok(decodeEntities(html).toLowerCase().includes(title), `${style.id}/${locale} html lacks the title: ${html}`);
          assert.ok(!/[<>]|&#/.test(text), `text output has markup: ${text}`);
          assert.ok(!html.includes('csl-entry') && !html.includes('csl-bib-body'), `the bibliography wrapper is left: ${html}`);
          assert.ok(text.includes('Sprawy Międzynarodowe'), `the journal is named in full, not by its acronym: ${text}`);
        }
      });
    }
  }

  test('Polish renderings use the Polish terms each style has', () => {
    const both = (styleId: string) => ({ pl: formatCitation(full, styleId, 'pl', 'text'), en: formatCitation(full, styleId, 'en', 'text') });
    const mla = both('modern-language-association');
    assert.match(mla.pl, /, t\. 74, nr 4, grudnia 2021, s\. 45–67,/);
    assert.match(mla.en, /, vol\. 74, no\. 4, Dec\. 2021, pp\. 45–67,/);
    const ieee = both('ieee');
    assert.match(ieee.pl, /A\. Nowak i Ł\. Żółć, „Poland’s energy security/);
    assert.match(ieee.pl, /t\. 74, nr 4, s\. 45–67, grud\. 2021/);
    assert.match(ieee.en, /vol\. 74, no\. 4, pp\. 45–67, Dec\. 2021/);
    const vancouver = both('nlm-citation-sequence');
    assert.match(vancouver.pl, /Sprawy Międzynarodowe\. 27 grudnia 2021;74\(4\):45–67\./);
    assert.match(vancouver.en, /Sprawy Międzynarodowe\. 2021 Dec 27;74\(4\):45–67\./);
    const harvard = both('harvard-cite-them-right');
    assert.match(harvard.pl, /, s\. 45–67\. Dostępne na: https:\/\/doi\.org\//);
    assert.match(harvard.en, /, pp\. 45–67\. Available at: https:\/\/doi\.org\//);
    // ISO 690's file defaults to en-US; the reader's language still wins.
    const iso = both('iso690-author-date-en');
    assert.match(iso.pl, /NOWAK, Anna i ŻÓŁĆ, Łukasz, 2021\./);
    assert.match(iso.pl, /27 grudnia 2021/);
    assert.match(iso.en, /NOWAK, Anna and ŻÓŁĆ, Łukasz, 2021\./);
    const chicago = both('chicago-author-date');
    assert.match(chicago.pl, /^Nowak, Anna, i Łukasz Żółć\. 2021\. „/);
    assert.match(chicago.en, /^Nowak, Anna, and Łukasz Żółć\. 2021\. “/);
  });

  test('a citation leaves out the abstract (ISO 690 would print it)', () => {
    const iso = formatCitation(full, 'iso690-author-date-en', 'en', 'text');
    assert.ok(!iso.includes('replaced Russian gas'), iso);
  });

  test('hostile metadata is escaped in every style: no markup gets through, the text keeps it verbatim', () => {
    for (const style of CITATION_STYLES) {
      for (const locale of ['pl', 'en'] as const) {
        const html = formatCitation(hostile, style.id, locale, 'html');
        assert.ok(!/<script|<img/i.test(html), `${style.id}: raw markup in ${html}`);
        for (const [, tag] of html.matchAll(/<\/?([a-zA-Z][\w-]*)/g)) assert.ok(ALLOWED_TAGS.has(tag!.toLowerCase()), `${style.id}: tag <${tag}> in ${html}`);
        assert.ok(decodeEntities(html).toLowerCase().includes(HOSTILE_TITLE_TEXT.toLowerCase()), `${style.id}: ${html}`);
        const text = formatCitation(hostile, style.id, locale, 'text');
        assert.ok(text.toLowerCase().includes(HOSTILE_TITLE_TEXT.toLowerCase()), `${style.id}: ${text}`);
      }
    }
  });

  test('an unknown style is refused with the known ones named', () => {
    assert.throws(() => formatCitation(full, 'nature', 'en', 'text'), /Unknown citation style "nature"; known styles: apa, chicago-author-date, modern-language-association, harvard-cite-them-right, ieee, nlm-citation-sequence, iso690-author-date-en/);
  });
});

/** A name as the formats can carry it: BibTeX has no "literal", a braced name comes back as a family. */
const nameParts = (name: CslName | Record<string, unknown>) => ({ family: name.literal ?? name.family, given: name.given });

/** Reads our output back with citation-js and compares the fields a reference manager needs. */
function assertRoundTrip(text: string, input: RecordInput): Record<string, unknown> {
  const cite = new Cite(text);
  assert.equal(cite.data.length, 1);
  const back = cite.data[0]!;
  const item = toCslJson(input);
  for (const field of ['title', 'volume', 'issue', 'page', 'DOI', 'container-title'] as const) {
    assert.equal(back[field], item[field], field);
  }
  assert.deepEqual(((back.author ?? []) as CslName[]).map(nameParts), (item.author ?? []).map(nameParts), 'author');
  assert.equal((back.issued as CslItem['issued'])!['date-parts'][0]![0], 2021, 'issued year');
  assert.equal(back.type, 'article-journal');
  return back;
}

describe('BibTeX', () => {
  test('the full article is one @article entry with a stable key that reads back field by field', () => {
    const bibtex = toBibTeX(full);
    assert.match(bibtex, /^@article\{sm1790,\n/);
    assert.match(bibtex, /\n {2}author = \{Nowak, Anna and Żółć, Łukasz\},\n/);
    assert.match(bibtex, /\n {2}pages = \{45--67\},\n/);
    assert.match(bibtex, /\n {2}doi = \{10\.5555\/sm\.2021\.45\},\n/);
    assert.match(bibtex, /\n {2}issn = \{2049-3630\},\n/);
    assert.match(bibtex, /\n {2}keywords = \{energy security, Baltic Pipe\}\n\}\n$/);
    const back = assertRoundTrip(bibtex, full);
    assert.equal(back.URL, 'https://journals.example.org/sm/article/view/1790');
    assert.equal(back.ISSN, '2049-3630');
  });

  test('the demo article: no author field (its contributor is only an affiliation), absent fields are left out', () => {
    const bibtex = toBibTeX(demo);
    assert.match(bibtex, /^@article\{sm1786,\n {2}title = /);
    assert.ok(!/author|pages|doi|issn/.test(bibtex), bibtex);
    assert.ok(!bibtex.includes(DEMO_AFFILIATION), bibtex);
    assertRoundTrip(bibtex, demo);
  });

  test('BibTeX specials are escaped and come back exactly', () => {
    const bibtex = toBibTeX(hostile);
    assert.ok(bibtex.includes('title = {{" \\& \\{braces\\} \\%percent}}'), bibtex);
    assert.ok(bibtex.includes('author = {{Smith <img src=x onerror=alert(1)>}, {Jo\\_hn \\textbackslash{} \\textasciitilde{} \\textasciicircum{} \\$ \\#}}'), bibtex);
    const back = assertRoundTrip(bibtex, hostile);
    assert.equal(back.title, HOSTILE_TITLE_TEXT);
    assert.deepEqual(back.author, [{ family: HOSTILE_FAMILY, given: HOSTILE_GIVEN }]);
    assert.equal(back.abstract, '50% of {x} & $y_z^2 \\ #1 ~');
  });
});

describe('RIS', () => {
  test('the full article: tagged lines with CRLF ends, read back field by field', () => {
    const ris = toRis(full);
    assert.equal(
      ris,
      [
        'TY  - JOUR',
        'AU  - Nowak, Anna',
        'AU  - Żółć, Łukasz',
        `TI  - ${FULL_TITLE}`,
        'T2  - Sprawy Międzynarodowe',
        'JO  - Sprawy Międzynarodowe',
        'J2  - SM',
        'PY  - 2021',
        'DA  - 2021/12/27/',
        'VL  - 74',
        'IS  - 4',
        'SP  - 45',
        'EP  - 67',
        'DO  - 10.5555/sm.2021.45',
        'UR  - https://journals.example.org/sm/article/view/1790',
        'SN  - 2049-3630',
        'PB  - Polski Instytut Spraw Międzynarodowych',
        'AB  - The paper traces how Poland replaced Russian gas. It closes with the costs.',
        'KW  - energy security',
        'KW  - Baltic Pipe',
        'LA  - en',
        'ER  - ',
        '',
      ].join('\r\n'),
    );
    const back = assertRoundTrip(ris, full);
    assert.deepEqual(back.issued, { 'date-parts': [[2021, 12, 27]] });
    assert.equal(back.ISSN, '2049-3630');
    assert.equal(back.URL, 'https://journals.example.org/sm/article/view/1790');
  });

  test('the demo article reads back without an author', () => {
    const ris = toRis(demo);
    assert.ok(!/\r\n(AU|A1|SP|EP|DO|SN)  - /.test(ris), ris);
    assert.ok(!ris.includes(DEMO_AFFILIATION), ris);
    assert.ok(!/[^\r]\n/.test(ris), 'every line ends in CRLF');
    assertRoundTrip(ris, demo);
  });

  test('hostile characters come back exactly', () => {
    const back = assertRoundTrip(toRis(hostile), hostile);
    assert.equal(back.title, HOSTILE_TITLE_TEXT);
    assert.deepEqual((back.author as CslName[]).map(nameParts), [{ family: HOSTILE_FAMILY, given: HOSTILE_GIVEN }]);
  });
});

describe('EndNote', () => {
  test('the full article as .enw tag lines', () => {
    assert.equal(
      toEndNote(full),
      [
        '%0 Journal Article',
        `%T ${FULL_TITLE}`,
        '%A Nowak, Anna',
        '%A Żółć, Łukasz',
        '%J Sprawy Międzynarodowe',
        '%D 2021',
        '%V 74',
        '%N 4',
        '%P 45-67',
        '%R 10.5555/sm.2021.45',
        '%U https://journals.example.org/sm/article/view/1790',
        '%@ 2049-3630',
        '%I Polski Instytut Spraw Międzynarodowych',
        '%G en',
        '%X The paper traces how Poland replaced Russian gas. It closes with the costs.',
        '%K energy security',
        '%K Baltic Pipe',
        '',
      ].join('\n'),
    );
  });

  test('the demo article: no author, absent fields left out', () => {
    const enw = toEndNote(demo);
    assert.ok(enw.startsWith('%0 Journal Article\n%T Russia’s approaches'), enw);
    assert.ok(!/^%[APR@K] /m.test(enw), enw);
    assert.ok(!enw.includes(DEMO_AFFILIATION), enw);
  });
});

describe('tagged formats', () => {
  test('a value with line breaks cannot start a tag of its own', () => {
    const injected: RecordInput = { ...full, article: { ...fullArticle, title: { en: 'Real title\r\nER  - \r\nTY  - BOOK\n%A Mallory' } } };
    const ris = toRis(injected);
    assert.equal(ris.match(/^TY {2}- /gm)?.length, 1, ris);
    assert.equal(ris.match(/^ER {2}- /gm)?.length, 1, ris);
    assert.ok(ris.includes('\r\nTI  - Real title ER - TY - BOOK %A Mallory\r\n'), ris);
    const enw = toEndNote(injected);
    assert.ok(!/^%A Mallory/m.test(enw), enw);
  });
});
