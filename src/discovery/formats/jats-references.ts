import type { create } from 'xmlbuilder2';
import type { ReferenceView } from '../../catalog/index.ts';
import type { CslDate, CslItem, CslName } from '../../references/index.ts';
import { xmlLine as line, xmlSafe } from '../record.ts';

/**
 * JATS `<ref-list>`: each reference as `<element-citation>` built from its parse (when it has one)
 * followed by `<mixed-citation>` with the text exactly as the author gave it. element-citation's
 * content is an unordered choice; the order written here follows JATS4R's examples (names, titles,
 * date, numbers, pages, publisher, identifiers, links).
 */

type Node = ReturnType<typeof create>;

const XLINK_NS = 'http://www.w3.org/1999/xlink';

/** CSL type → JATS publication-type, with the values JATS4R recommends. */
const PUBLICATION_TYPE: Partial<Record<CslItem['type'], string>> = {
  'article-journal': 'journal',
  'article-magazine': 'journal',
  'article-newspaper': 'newspaper',
  book: 'book',
  chapter: 'book',
  'paper-conference': 'confproc',
  report: 'report',
  thesis: 'thesis',
  webpage: 'webpage',
  dataset: 'data',
};

const WHOLE_WORKS = new Set<CslItem['type']>(['book', 'report', 'thesis']);

/** `idPrefix` keeps ids unique where several articles share one document (an OAI-PMH list). */
export function referenceList(back: Node, references: readonly ReferenceView[], idPrefix = ''): void {
  const kept = references.filter((r) => xmlSafe(r.text).trim() !== '');
  if (kept.length === 0) return;
  const list = back.ele('ref-list');
  kept.forEach((reference, index) => {
    const ref = list.ele('ref', { id: `${idPrefix}ref${index + 1}` });
    if (reference.csl) elementCitation(ref, reference.csl);
    // The text as the author gave it: only characters XML cannot carry are dropped.
    ref.ele('mixed-citation').txt(xmlSafe(reference.text));
  });
}

function elementCitation(ref: Node, csl: CslItem): void {
  const citation = ref.ele('element-citation', { 'publication-type': PUBLICATION_TYPE[csl.type] ?? 'other' });
  people(citation, 'author', csl.author);
  people(citation, 'editor', csl.editor);
  people(citation, 'translator', csl.translator);
  people(citation, 'director', csl.director);
  const text = (name: string, value: string | undefined) => {
    const v = line(value);
    if (v !== '') citation.ele(name).txt(v);
  };
  if (WHOLE_WORKS.has(csl.type)) {
    text('source', csl.title);
  } else if (csl.type === 'chapter') {
    text('chapter-title', csl.title);
    text('source', csl['container-title']);
  } else {
    text('article-title', csl.title);
    text('source', csl['container-title']);
  }
  text('series', csl['collection-title']);
  text('edition', csl.edition);
  const issued = dateParts(csl.issued);
  if (issued) {
    citation.ele('year').txt(String(issued[0]));
    if (issued[1] !== undefined) citation.ele('month').txt(pad(issued[1]));
    if (issued[1] !== undefined && issued[2] !== undefined) citation.ele('day').txt(pad(issued[2]));
  }
  text('volume', csl.volume);
  text('issue', csl.issue ?? csl.number);
  pages(citation, csl.page);
  if (line(csl['number-of-pages']) !== '') citation.ele('size', { units: 'pages' }).txt(line(csl['number-of-pages']));
  text('publisher-loc', csl['publisher-place']);
  text('publisher-name', csl.publisher);
  const accessed = dateParts(csl.accessed);
  if (accessed) {
    const iso = [String(accessed[0]), ...accessed.slice(1, 3).map(pad)].join('-');
    citation.ele('date-in-citation', { 'content-type': 'access-date', 'iso-8601-date': iso }).txt(iso);
  }
  if (line(csl.DOI) !== '') citation.ele('pub-id', { 'pub-id-type': 'doi' }).txt(line(csl.DOI));
  if (line(csl.ISBN) !== '') citation.ele('isbn').txt(line(csl.ISBN));
  // Only a whole web address is a link: the parser also keeps what an author left half-typed.
  const url = line(csl.URL);
  if (/^https?:\/\/[^\s<>"]+\.[^\s<>"]+$/i.test(url)) citation.ele('ext-link', { 'ext-link-type': 'uri' }).att(XLINK_NS, 'xlink:href', url).txt(url);
  // An element-citation with nothing in it says nothing; the mixed-citation beside it says all.
  if (citation.node.childNodes.length === 0) citation.remove();
}

/** A person-group of one role: family/given names as name, organisations and unsplit names as collab/string-name. */
function people(citation: Node, role: string, names: CslName[] | undefined): void {
  const list = (names ?? []).filter((n) => line(n.family ?? n.literal ?? n.given) !== '');
  if (list.length === 0) return;
  const group = citation.ele('person-group', { 'person-group-type': role });
  for (const person of list) {
    const family = line(person.family);
    if (family !== '') {
      const name = group.ele('name');
      name.ele('surname').txt(family);
      if (line(person.given) !== '') name.ele('given-names').txt(line(person.given));
    } else if (line(person.literal) !== '') {
      group.ele('collab').txt(line(person.literal));
    } else {
      group.ele('name').ele('given-names').txt(line(person.given));
    }
  }
}

/** fpage/lpage for a plain range, page-range for anything else ("12, 15–18"). */
function pages(citation: Node, page: string | undefined): void {
  const value = line(page);
  if (value === '') return;
  const match = /^([\p{L}\p{N}]+)(?:\s*[-–—]\s*([\p{L}\p{N}]+))?$/u.exec(value);
  if (!match) {
    citation.ele('page-range').txt(value);
    return;
  }
  citation.ele('fpage').txt(match[1]!);
  if (match[2]) citation.ele('lpage').txt(match[2]);
}

function dateParts(date: CslDate | undefined): number[] | undefined {
  const parts = date?.['date-parts']?.[0];
  if (!parts || parts.length === 0 || !parts.every((p) => Number.isInteger(p))) return undefined;
  return parts;
}

const pad = (n: number | undefined) => String(n ?? '').padStart(2, '0');
