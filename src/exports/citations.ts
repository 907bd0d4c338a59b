import { readFileSync } from 'node:fs';
import path from 'node:path';
import CSL from 'citeproc';
import { localize } from '../i18n/index.ts';
import { articleUrl, inArticleLanguage, type RecordInput } from '../discovery/index.ts';
import { richToPlainLine, richToPlainText } from '../ui/index.ts';

/**
 * "Cite this article": the article as a CSL-JSON item, rendered in the usual styles by citeproc-js
 * with the official CSL files in ./csl, and the reference-manager formats (BibTeX, RIS, EndNote).
 * Pure: data in, text out; the CSL files are read once, on first use.
 */

export interface CslName {
  family?: string;
  given?: string;
  /** A name that is not split into parts: an organisation, or a person known by one name. */
  literal?: string;
}

export interface CslItem {
  id: string;
  type: 'article-journal';
  title?: string;
  author?: CslName[];
  'container-title'?: string;
  'container-title-short'?: string;
  ISSN?: string;
  volume?: string;
  issue?: string;
  page?: string;
  DOI?: string;
  URL?: string;
  issued?: { 'date-parts': number[][] };
  language?: string;
  publisher?: string;
  abstract?: string;
  keyword?: string;
}

/** Tabs, newlines and runs of spaces become one space: every value here is a single line somewhere. */
function oneLine(text: string | null | undefined): string | undefined {
  const value = (text ?? '').replace(/[\u0000-\u001F\u007F\u2028\u2029 ]+/g, ' ').trim();
  return value === '' ? undefined : value;
}

/** A DOI as its bare name, `10.…`, whether it was stored bare, as `doi:` or as a resolver link. */
function bareDoi(doi: string | null): string | undefined {
  return oneLine(doi?.trim().replace(/^(?:doi:\s*|https?:\/\/(?:dx\.)?doi\.org\/)/i, ''));
}

function pageRange(page: string | undefined): { first?: string; last?: string } {
  if (!page) return {};
  const [first, last] = page.split(/\s*[-–—]+\s*/);
  return { first: first || undefined, last: last || undefined };
}

/** `sm1786`: the journal path and article id, letters and digits only, so every format accepts it. */
function citationKey(input: RecordInput): string {
  return `${input.journal.path.replace(/[^A-Za-z0-9]/g, '')}${input.article.id}`;
}

function fullTitle(input: RecordInput): string | undefined {
  const { article } = input;
  const title = localize(article.title, article.locale, input.journal.primaryLocale);
  if (!title) return undefined;
  // Plain text: citeproc would read markup as its own, and BibTeX/RIS have no place for it.
  const main = oneLine([article.prefix[title.locale], richToPlainLine(title.text)].join(' '));
  const subtitle = oneLine(richToPlainLine(article.subtitle[title.locale]));
  return subtitle && main ? `${main}: ${subtitle}` : main;
}

/**
 * Authors in the article's order: contributors with a name. One with no name (no given and no
 * family name) is not an author, even with an affiliation: the demo article's only contributor is
 * "University of Economics and Human Sciences in Warsaw", the authors' institution, and crediting it
 * would tell readers the university wrote the article. With no author the styles do what they do for
 * an unsigned article: the title comes first. A person with a given name only, and an organisation
 * credited as one (OJS keeps its name as the given name), are a `literal`, so no style turns the one
 * name into an initial.
 */
function authors(input: RecordInput): CslName[] {
  const names: CslName[] = [];
  for (const contributor of input.article.contributors) {
    const family = oneLine(inArticleLanguage(input, contributor.familyName));
    const given = oneLine(inArticleLanguage(input, contributor.givenName));
    if (contributor.isOrganization && (given ?? family)) names.push({ literal: (given ?? family)! });
    else if (family) names.push(given ? { family, given } : { family });
    else if (given) names.push({ literal: given });
  }
  return names;
}

function issued(input: RecordInput): CslItem['issued'] {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(input.article.datePublished ?? '');
  if (match) return { 'date-parts': [[Number(match[1]), Number(match[2]), Number(match[3])]] };
  const year = input.article.issue?.year;
  return year ? { 'date-parts': [[year]] } : undefined;
}

function keywords(input: RecordInput): string[] {
  const { article, journal } = input;
  for (const locale of [article.locale, journal.primaryLocale, ...Object.keys(article.keywords)]) {
    const list = (article.keywords[locale] ?? []).map((k) => oneLine(k)).filter((k): k is string => k !== undefined);
    if (list.length > 0) return list;
  }
  return [];
}

/** Drops fields without a value, so every format can test presence with `in`/`??` alone. */
function defined<T extends object>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined && value !== '')) as T;
}

export function toCslJson(input: RecordInput): CslItem {
  const { article, journal } = input;
  const author = authors(input);
  const keyword = keywords(input);
  const abstract = richToPlainText(inArticleLanguage(input, article.abstract) ?? '');
  const { first, last } = pageRange(oneLine(article.pages));
  return defined<CslItem>({
    id: citationKey(input),
    type: 'article-journal',
    title: fullTitle(input),
    author: author.length > 0 ? author : undefined,
    // The journal's name in its own language, as it is registered (ISSN) and as indexes list it.
    'container-title': oneLine(localize(journal.name, journal.primaryLocale)?.text),
    'container-title-short': oneLine(localize(journal.acronym, journal.primaryLocale)?.text),
    ISSN: oneLine(journal.onlineIssn ?? journal.printIssn),
    volume: article.issue?.volume?.toString(),
    issue: oneLine(article.issue?.number),
    // Hyphen-separated, as CSL expects: each style turns it into its own range (45–67, 45–7, …).
    page: first ? (last ? `${first}-${last}` : first) : undefined,
    DOI: bareDoi(article.doi),
    URL: articleUrl(input),
    issued: issued(input),
    language: article.locale,
    publisher: oneLine(journal.publisher),
    abstract: abstract || undefined,
    keyword: keyword.length > 0 ? keyword.join(', ') : undefined,
  });
}

/** CSL-JSON as reference managers import it: an array of items. */
export function toCslJsonText(input: RecordInput): string {
  return JSON.stringify([toCslJson(input)], null, 2);
}

// --- Formatted citations (citeproc-js) ---------------------------------------------------------

export const CITATION_STYLES = [
  { id: 'apa', name: 'APA' },
  { id: 'chicago-author-date', name: 'Chicago' },
  { id: 'modern-language-association', name: 'MLA' },
  { id: 'harvard-cite-them-right', name: 'Harvard' },
  { id: 'ieee', name: 'IEEE' },
  { id: 'nlm-citation-sequence', name: 'Vancouver' },
  { id: 'iso690-author-date-en', name: 'ISO 690' },
] as const;

export type CitationStyleId = (typeof CITATION_STYLES)[number]['id'];

const CSL_DIR = path.join(import.meta.dirname, 'csl');
const cslFiles = new Map<string, string>();

function cslFile(relative: string): string {
  let text = cslFiles.get(relative);
  if (text === undefined) {
    text = readFileSync(path.join(CSL_DIR, relative), 'utf8');
    cslFiles.set(relative, text);
  }
  return text;
}

/** Locale tags citeproc asks for → the locale files we ship; anything else gets US English. */
function localeFile(lang: string): string {
  const tag = lang.toLowerCase();
  const file = tag === 'pl' || tag.startsWith('pl-') ? 'pl-PL' : tag === 'en-gb' ? 'en-GB' : 'en-US';
  return cslFile(`locales/locales-${file}.xml`);
}

/**
 * Building an engine parses the style, which takes seconds for APA and Chicago, so there is one per
 * style and language, reused. Reuse is safe: a render is synchronous from setting `current` to
 * reading the bibliography, and the engine's item registry is emptied after each render.
 */
interface CachedEngine {
  engine: InstanceType<typeof CSL.Engine>;
  current: { item: CslItem | undefined };
}
const engines = new Map<string, CachedEngine>();

function engineFor(styleId: string, lang: string): CachedEngine {
  const key = `${styleId} ${lang}`;
  let cached = engines.get(key);
  if (!cached) {
    const current: CachedEngine['current'] = { item: undefined };
    const sys = { retrieveLocale: localeFile, retrieveItem: () => current.item };
    // forceLang: the reader's language wins over a style's default-locale (ISO 690's is en-US), so a
    // Polish page gets Polish terms ("t.", "nr", "s.", "grudnia") in every style that has them.
    cached = { engine: new CSL.Engine(sys, cslFile(`styles/${styleId}.csl`), lang, true), current };
    engines.set(key, cached);
  }
  return cached;
}

/**
 * The article's entry in a style's bibliography. 'html' is the entry's inner HTML — italics as
 * `<i>`, and IEEE/Vancouver numbers and ISO 690 blocks in citeproc's `csl-*` divs — safe as element
 * content: citeproc escapes `&` and `<` in every value and lets through only its own formatting tags
 * (`<i> <b> <sup> <sub>` and small-caps spans). 'text' is citeproc's plain-text output: no markup at
 * all, so italics are simply not there (no `*…*`), for pasting anywhere.
 */
export function formatCitation(input: RecordInput, styleId: string, locale: 'pl' | 'en', output: 'html' | 'text'): string {
  if (!CITATION_STYLES.some((style) => style.id === styleId)) {
    throw new Error(`Unknown citation style "${styleId}"; known styles: ${CITATION_STYLES.map((s) => s.id).join(', ')}`);
  }
  // Left out: the abstract, which ISO 690's CSL file prints under the reference (no citation wants
  // it), and the journal's acronym, which IEEE and Vancouver would print instead of the journal's
  // name: they mean an ISO 4 abbreviation, and initials such as "SM" tell a reader nothing.
  const { abstract: _abstract, keyword: _keyword, 'container-title-short': _acronym, ...item } = toCslJson(input);
  const { engine, current } = engineFor(styleId, locale === 'pl' ? 'pl-PL' : 'en-US');
  current.item = item;
  try {
    engine.setOutputFormat(output);
    engine.updateItems([item.id]);
    const bibliography = engine.makeBibliography();
    const entry = bibliography ? (bibliography[1][0] ?? '') : '';
    if (output === 'text') return entry.replace(/\s*\n\s*/g, ' ').trim();
    return entry
      .trim()
      .replace(/^<div class="csl-entry">/, '')
      .replace(/<\/div>$/, '')
      .replace(/>\s*\n\s*</g, '><')
      .replace(/\s+<\/div>/g, '</div>')
      .trim();
  } finally {
    // citeproc keeps items it has seen by id and would not fetch a changed article again: the
    // registry is emptied after every render, so the next one starts from the article as it is now.
    engine.updateItems([]);
    current.item = undefined;
  }
}

// --- Reference-manager formats -------------------------------------------------------------------

const BIBTEX_SPECIALS: Record<string, string> = {
  '\\': '\\textbackslash{}',
  '{': '\\{',
  '}': '\\}',
  '%': '\\%',
  '&': '\\&',
  '#': '\\#',
  $: '\\$',
  _: '\\_',
  '~': '\\textasciitilde{}',
  '^': '\\textasciicircum{}',
};

/** Text for an ordinary BibTeX field; non-ASCII letters stay UTF-8, as biber and citation-js read them. */
function bibtexText(text: string): string {
  return text.replace(/[\\{}%&#$_~^]/g, (c) => BIBTEX_SPECIALS[c]!);
}

/** doi and url are verbatim fields (biblatex): nothing is escaped, only braces must not unbalance them. */
function bibtexVerbatim(text: string): string {
  return text.replaceAll('{', '%7B').replaceAll('}', '%7D');
}

/**
 * "Family, Given". A part with a comma, the word "and", or anything but letters, digits, spaces and
 * name punctuation is braced, so that it stays one part and name parsers (citation-js trips on `=`)
 * take it whole; ordinary names stay bare, so BibTeX still finds particles such as "van der".
 */
function bibtexName(name: CslName): string {
  const plain = (text: string) => !/,|\band\b/i.test(text) && !/[^\p{L}\p{M}\p{N} .'’-]/u.test(text);
  const part = (text: string) => (plain(text) ? bibtexText(text) : `{${bibtexText(text)}}`);
  if (name.literal !== undefined) return `{${bibtexText(name.literal)}}`;
  return name.given ? `${part(name.family ?? '')}, ${part(name.given)}` : part(name.family ?? '');
}

export function toBibTeX(input: RecordInput): string {
  const item = toCslJson(input);
  const { first, last } = pageRange(item.page);
  const fields: [string, string | undefined][] = [
    // Double braces keep the title's capitals as stored: BibTeX styles would otherwise lowercase them.
    ['title', item.title && `{${bibtexText(item.title)}}`],
    ['author', item.author?.map(bibtexName).join(' and ')],
    ['journal', item['container-title'] && bibtexText(item['container-title'])],
    ['year', item.issued?.['date-parts'][0]?.[0]?.toString()],
    ['volume', item.volume && bibtexText(item.volume)],
    ['number', item.issue && bibtexText(item.issue)],
    ['pages', first && (last ? `${bibtexText(first)}--${bibtexText(last)}` : bibtexText(first))],
    ['doi', item.DOI && bibtexVerbatim(item.DOI)],
    ['url', item.URL && bibtexVerbatim(item.URL)],
    ['issn', item.ISSN && bibtexText(item.ISSN)],
    ['abstract', item.abstract && bibtexText(oneLine(item.abstract)!)],
    ['keywords', item.keyword && bibtexText(item.keyword)],
  ];
  const body = fields.filter(([, value]) => value).map(([name, value]) => `  ${name} = {${value}}`);
  return `@article{${item.id},\n${body.join(',\n')}\n}\n`;
}

/** RIS's one-line-per-tag shape: values have no newlines (oneLine), lines end in CRLF as the format asks. */
function taggedLines(lines: [string, string | undefined][], format: (tag: string, value: string) => string, eol: string): string {
  return lines
    .map(([tag, value]) => [tag, oneLine(value)] as const)
    .filter((line): line is readonly [string, string] => line[1] !== undefined)
    .map(([tag, value]) => format(tag, value) + eol)
    .join('');
}

function personLine(name: CslName): string | undefined {
  return name.literal ?? (name.given ? `${name.family}, ${name.given}` : name.family);
}

function dateParts(item: CslItem): { year?: string; date?: string } {
  const [year, month, day] = item.issued?.['date-parts'][0] ?? [];
  if (!year) return {};
  const pad = (n: number | undefined) => (n ? String(n).padStart(2, '0') : '');
  return { year: String(year), date: `${year}/${pad(month)}/${pad(day)}/` };
}

export function toRis(input: RecordInput): string {
  const item = toCslJson(input);
  const { first, last } = pageRange(item.page);
  const { year, date } = dateParts(item);
  const lines: [string, string | undefined][] = [
    ['TY', 'JOUR'],
    ...(item.author ?? []).map((name): [string, string | undefined] => ['AU', personLine(name)]),
    ['TI', item.title],
    // T2 is where current importers look; JO where older ones (Reference Manager's tag set) do.
    ['T2', item['container-title']],
    ['JO', item['container-title']],
    ['J2', item['container-title-short']],
    ['PY', year],
    ['DA', date],
    ['VL', item.volume],
    ['IS', item.issue],
    ['SP', first],
    ['EP', last],
    ['DO', item.DOI],
    ['UR', item.URL],
    ['SN', item.ISSN],
    ['PB', item.publisher],
    ['AB', item.abstract],
    ...keywords(input).map((keyword): [string, string] => ['KW', keyword]),
    ['LA', item.language],
  ];
  return taggedLines(lines, (tag, value) => `${tag}  - ${value}`, '\r\n') + 'ER  - \r\n';
}

/** EndNote's tagged import format (.enw), one `%X value` line per field. */
export function toEndNote(input: RecordInput): string {
  const item = toCslJson(input);
  const lines: [string, string | undefined][] = [
    ['%0', 'Journal Article'],
    ['%T', item.title],
    ...(item.author ?? []).map((name): [string, string | undefined] => ['%A', personLine(name)]),
    ['%J', item['container-title']],
    ['%D', dateParts(item).year],
    ['%V', item.volume],
    ['%N', item.issue],
    ['%P', item.page],
    ['%R', item.DOI],
    ['%U', item.URL],
    ['%@', item.ISSN],
    ['%I', item.publisher],
    ['%G', item.language],
    ['%X', item.abstract],
    ...keywords(input).map((keyword): [string, string] => ['%K', keyword]),
  ];
  return taggedLines(lines, (tag, value) => `${tag} ${value}`, '\n');
}
