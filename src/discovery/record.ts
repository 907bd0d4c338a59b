import type { ArticleDetail, JournalSummary } from '../catalog/index.ts';
import { localize } from '../i18n/index.ts';
import type { LocalizedText } from '../db/index.ts';

/**
 * What every description of a published article starts from — the page head, OAI-PMH records
 * (oai_dc, MARCXML, JATS), feeds: the article as the catalog loads it, its journal, and the site's
 * public address for absolute links.
 */
export interface RecordInput {
  article: ArticleDetail;
  journal: JournalSummary;
  /** e.g. `https://journals.example.org`, without a trailing slash. */
  baseUrl: string;
}

export function articleUrl(input: RecordInput): string {
  return `${input.baseUrl}/${input.journal.path}/article/view/${input.article.id}`;
}

/**
 * The articles a notice links this one with (the notices about it, or the article a notice updates),
 * each as its reader page and its DOI address when it has one.
 */
export function noticeRelations(input: RecordInput): Array<{ pageUrl: string; doiUrl: string | undefined }> {
  const links = [...(input.article.notices ?? []), ...(input.article.updates ? [input.article.updates] : [])];
  return links.map((link) => ({ pageUrl: `${input.baseUrl}/${input.journal.path}/article/view/${link.articleId}`, doiUrl: link.doi ? `https://doi.org/${link.doi}` : undefined }));
}

export function galleyUrl(input: RecordInput, galleyId: number): string {
  return `${input.baseUrl}/${input.journal.path}/article/download/${input.article.id}/${galleyId}`;
}

export function issueUrl(input: RecordInput): string | undefined {
  return input.article.issue ? `${input.baseUrl}/${input.journal.path}/issue/view/${input.article.issue.id}` : undefined;
}

/** The text in the article's own language, else the journal's, else any. */
export function inArticleLanguage(input: RecordInput, text: LocalizedText | undefined): string | undefined {
  return localize(text, input.article.locale, input.journal.primaryLocale)?.text;
}

/** Every locale that has a value, the article's own language first. */
export function localesOf(input: RecordInput, text: LocalizedText): string[] {
  const locales = Object.keys(text).filter((l) => (text[l] ?? '').trim() !== '');
  return locales.sort((a, b) => (a === input.article.locale ? -1 : b === input.article.locale ? 1 : a.localeCompare(b)));
}

/** ISO 639-1 → ISO 639-2/B, for formats that want three letters (MARC 041/008, DOAJ). */
export const ISO_639_2B: Record<string, string> = { pl: 'pol', en: 'eng', de: 'ger', fr: 'fre', es: 'spa', it: 'ita', ru: 'rus', uk: 'ukr', cs: 'cze', sk: 'slo', pt: 'por', nl: 'dut' };

/**
 * Removes characters XML 1.0 cannot carry (C0 controls but tab/newline/return, U+FFFE/U+FFFF, lone
 * surrogates), so hostile or damaged metadata still gives well-formed XML.
 */
export function xmlSafe(text: string): string {
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '');
}

/** Contributor's name as "Family, Given" (or the one part given); undefined when there is none. */
export function invertedName(input: RecordInput, c: ArticleDetail['contributors'][number]): string | undefined {
  const family = inArticleLanguage(input, c.familyName);
  const given = inArticleLanguage(input, c.givenName);
  if (family && given) return `${family}, ${given}`;
  return family ?? given;
}

/** "45-67", "45–67", "45" and Roman "xi-xx"; anything else is not a page range. */
export function pageRange(pages: string | null): { first: string; last?: string } | undefined {
  const match = /^\s*(\d+|[ivxlcdm]+)\s*(?:[-‐‑–—]\s*(\d+|[ivxlcdm]+))?\s*$/i.exec(xmlSafe(pages ?? ''));
  if (!match || match[1]!.length > 32 || (match[2]?.length ?? 0) > 32) return undefined;
  return match[2] ? { first: match[1]!, last: match[2] } : { first: match[1]! };
}

/** "1234-567x", "1234567X" → "1234-567X"; anything else is no ISSN. */
export function issn(value: string | null): string | undefined {
  const match = /^\s*(\d{4})-?(\d{3}[\dXx])\s*$/.exec(value ?? '');
  return match ? `${match[1]}-${match[2]!.toUpperCase()}` : undefined;
}

/** An ORCID iD, bare or as a URL, in the URL form registries want: https://orcid.org/0000-0002-1825-0097. */
export function orcidUrl(value: string | null): string | undefined {
  const match = /^\s*(?:https?:\/\/(?:www\.)?orcid\.org\/)?(\d{4}-\d{4}-\d{4}-\d{3}[\dX])\s*$/i.exec(value ?? '');
  return match ? `https://orcid.org/${match[1]!.toUpperCase()}` : undefined;
}

/** A ROR id, bare or as a URL, in the URL form: https://ror.org/039bjqg32. */
export function rorUrl(value: string | null): string | undefined {
  const match = /^\s*(?:https?:\/\/(?:www\.)?ror\.org\/)?(0[a-z0-9]{8})\s*$/i.exec(value ?? '');
  return match ? `https://ror.org/${match[1]!.toLowerCase()}` : undefined;
}

/** A text value for XML: invalid characters dropped, trimmed. */
export function xmlText(value: string | null | undefined): string {
  return xmlSafe(value ?? '').trim();
}

/** One-line values (titles, names, identifiers): as xmlText, with whitespace runs folded to a space. */
export function xmlLine(value: string | null | undefined): string {
  return xmlSafe(value ?? '')
    .replace(/\s+/g, ' ')
    .trim();
}
