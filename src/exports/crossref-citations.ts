import type { create } from 'xmlbuilder2';
import type { ReferenceView } from '../catalog/index.ts';
import type { CslItem } from '../references/index.ts';
import { xmlLine as line, xmlSafe } from '../discovery/index.ts';

/**
 * Crossref's citation_list: one `<citation>` per reference, its text verbatim in
 * unstructured_citation and, where the reference was parsed, the structured elements of
 * common5.3.1.xsd's citation_t that Crossref matches on (journal_title, first author, volume,
 * issue, first_page, cYear, doi, isbn, titles). citation_t is an xsd:all; the schema's listing
 * order is kept anyway. A value the schema would refuse (too long, not a year) is left out rather
 * than cut, and the text always goes along, so a wrong parse costs Crossref nothing it had before.
 */

type Node = ReturnType<typeof create>;

const PERIODICALS = new Set<CslItem['type']>(['article-journal', 'article-magazine', 'article-newspaper']);
const BOOKS = new Set<CslItem['type']>(['book', 'report', 'thesis']);

/** The structured part of one citation, element name → text, in the schema's order. */
export function citationElements(csl: CslItem | undefined, text: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const add = (name: string, value: string | undefined, max = 2000) => {
    const v = line(value);
    if (v !== '' && v.length <= max) out.push([name, v]);
  };
  if (csl) {
    if (PERIODICALS.has(csl.type)) add('journal_title', csl['container-title']);
    const first = csl.author?.[0];
    add('author', first?.family ?? first?.literal);
    add('volume', csl.volume, 32);
    add('issue', csl.issue, 32);
    add('first_page', firstPage(csl.page), 32);
    const year = csl.issued?.['date-parts']?.[0]?.[0];
    if (year !== undefined && Number.isInteger(year) && year >= 1000 && year <= 9999) out.push(['cYear', String(year)]);
  }
  const doi = csl?.DOI && isDoi(csl.DOI) ? csl.DOI : doiInText(text);
  if (doi) out.push(['doi', doi]);
  if (csl) {
    const isbn = line(csl.ISBN);
    if (isbn.length >= 10 && isbn.length <= 17 && /^(97(8|9)-)?\d[\d -]+[\dX]$/.test(isbn)) out.push(['isbn', isbn]);
    add('series_title', csl['collection-title']);
    if (BOOKS.has(csl.type)) add('volume_title', csl.title);
    else if (csl.type === 'chapter') add('volume_title', csl['container-title']);
    if (/^(\d{1,4}|[ivxlcdm]{1,8})$/i.test(line(csl.edition))) add('edition_number', csl.edition, 15);
    if (!BOOKS.has(csl.type)) add('article_title', csl.title);
  }
  return out;
}

/** The first page of "45–67", "45-67", "e123"; undefined for a range that is not one. */
function firstPage(page: string | undefined): string | undefined {
  const first = line(page).split(/\s*[-–—,]\s*/)[0];
  return first && /^[\p{L}\p{N}]+$/u.test(first) ? first : undefined;
}

export function citationList(article: Node, references: readonly ReferenceView[]): void {
  const kept = references.filter((r) => xmlSafe(r.text).trim() !== '');
  if (kept.length === 0) return;
  const list = article.ele('citation_list');
  kept.forEach((reference, index) => {
    const text = xmlSafe(reference.text);
    const citation = list.ele('citation', { key: `ref${index + 1}` });
    for (const [name, value] of citationElements(reference.csl, text)) citation.ele(name).txt(value);
    citation.ele('unstructured_citation').txt(text);
  });
}

/** The first DOI in a reference's text, without the punctuation that ends the sentence around it. */
export function doiInText(text: string): string | undefined {
  const match = /10\.\d{4,9}\/\S+/.exec(text);
  if (!match) return undefined;
  let doi = match[0];
  while (doi.length > 0 && endsWithPunctuation(doi)) doi = doi.slice(0, -1);
  return isDoi(doi) ? doi : undefined;
}

const OPENING: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

/** Sentence punctuation, quotes and angle brackets, and a closing bracket with no opening one in the DOI. */
function endsWithPunctuation(doi: string): boolean {
  const last = doi.at(-1)!;
  if (/[.,;:!?'"”’»>]/.test(last)) return true;
  const open = OPENING[last];
  return open !== undefined && doi.split(last).length > doi.split(open).length;
}

/** Crossref's doi_t: 10.prefix/suffix, the suffix at most 200 characters. */
export function isDoi(value: string): boolean {
  return /^10\.[0-9]{4,9}\/.{1,200}$/u.test(value) && value.length >= 6;
}
