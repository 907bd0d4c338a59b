import { core } from './features.ts';
import { JOURNAL_WORDS, NATIONALITIES, ORGANISATION_WORDS, PLACES } from './lexicon.ts';
import type { ReferenceLabel } from './types.ts';

/**
 * Corrections to the labeller's output that a rule can make more surely than the CRF, which sees
 * only two tokens either side and per-field summaries. Each works on the tokens and their labels,
 * before they become segments, so the CSL-JSON and the checks read the same corrected fields.
 *
 *   - a link or DOI is never part of another field ("10 p. https://doi.org/…" is not all pages);
 *   - a lone nationality adjective opening the reference starts the title, it is not an author
 *     ("Russian, Azerbaijani defense ministers discuss …");
 *   - in an online ISO 690 reference ("Title, Site [online], date [accessed: …]") the site is the
 *     last comma field before the medium or date: the fields before it belong to the title.
 */
export function correctLabels(tokens: readonly string[], labels: readonly ReferenceLabel[]): ReferenceLabel[] {
  const out = [...labels];
  linksOnTheirOwn(tokens, out);
  nationalityStartsTitle(tokens, out);
  siteIsLastField(tokens, out);
  return out;
}

/**
 * A token that is an address or a DOI: "https://…", "<http://…>", "doi:10.…", "10.1016/j.x". Not
 * "www.…" without a scheme: AnyStyle's data has "Retrieved from www.scopus.com" as a note.
 */
const LINK = /^[<([]?(?:(?:https?|ftp):\/\/\S|doi:\s*\S|10\.\d{4,9}\/\S)/i;
/** A word that announces the link after it: "DOI:", "URL:", "doi". */
const LINK_CUE = /^(?:doi|url)\s*:?$/i;

function linksOnTheirOwn(tokens: readonly string[], labels: ReferenceLabel[]): void {
  for (let i = 0; i < tokens.length; i++) {
    if (!LINK.test(tokens[i]!)) continue;
    // AnyStyle's data labels an address (doi.org ones too) url, and a bare or "doi:" DOI doi.
    if (labels[i] !== 'url' && labels[i] !== 'doi') labels[i] = /^[<([]?(?:https?|ftp):/i.test(tokens[i]!) ? 'url' : 'doi';
    if (i > 0 && LINK_CUE.test(tokens[i - 1]!)) labels[i - 1] = labels[i]!;
  }
}

/** The tokens of each run of one label, as [start, end) pairs: a reference's fields. */
export function runs(labels: readonly ReferenceLabel[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let start = 0;
  for (let i = 1; i <= labels.length; i++) {
    if (i < labels.length && labels[i] === labels[start]) continue;
    out.push([start, i]);
    start = i;
  }
  return out;
}

/** "Russian," "Polish-Russian," "Azerbaijani": a word no person or organisation is named by alone. */
function isNationality(token: string): boolean {
  const word = token.replace(/[,;:.]+$/, '').toLowerCase();
  return word.split('-').every((part) => NATIONALITIES.has(part));
}

function nationalityStartsTitle(tokens: readonly string[], labels: ReferenceLabel[]): void {
  const all = runs(labels);
  const [first, second] = all;
  if (!first || !second || labels[first[0]] !== 'author' || labels[second[0]] !== 'title') return;
  if (first[1] - first[0] !== 1 || !isNationality(tokens[first[0]]!)) return;
  labels[first[0]] = 'title';
}

/** Words that end an organisation's name after a comma: "Acme, Inc." is one name, not two fields. */
const NAME_SUFFIX = /^(?:inc|ltd|llc|plc|co|corp|gmbh|ag|sa|s\.a|sp\.?\s*z\s*o\.o|ltda|bv|nv)\.?,?$/i;
/** "N.p.,", "s.l.", "n.d.": abbreviations standing for a missing publisher, place or date, not a site. */
const ABBREVIATION = /^(?:\p{L}{1,3}\.){1,3}[,;:]?$/u;
/** "In:", "W:", "[w:]": a chapter's book, whose title may well have commas. */
const IN_CUE = /^\[?(?:in|w|dans|im|в):?\]?:?$/iu;
/** A sign the reference is to something online: "[online]", an access date, a link or empty brackets. */
const ONLINE_SIGN = /^\[?(?:online|on-line|internet)\]|^[<(\[]?(?:accessed|dostęp|dostep|retrieved|consulted|обращения)|^<.*>[.,;]?$/iu;

/** A token as the word lists hold it: lower case, without the punctuation around it. */
function word(token: string): string {
  return core(token).toLowerCase();
}

function siteIsLastField(tokens: readonly string[], labels: ReferenceLabel[]): void {
  const online = labels.some((label) => label === 'url') || tokens.some((token) => ONLINE_SIGN.test(token));
  if (!online || labels.includes('editor')) return;
  const all = runs(labels);
  const hasTitle = labels.includes('title');
  for (let r = 0; r < all.length; r++) {
    const [start, end] = all[r]!;
    if (labels[start] !== 'container-title' || IN_CUE.test(tokens[start]!)) continue;
    // The container must be the field just before the medium or the date, as ISO 690 puts a site.
    const next = all[r + 1];
    if (!next || (labels[next[0]] !== 'medium' && labels[next[0]] !== 'date')) continue;
    const previous = all[r - 1];
    if (hasTitle && (!previous || labels[previous[0]] !== 'title')) continue;
    // The last comma inside the container (not its own final one), outside quotes and brackets.
    let cut = -1;
    let depth = 0;
    for (let i = start; i < end - 1; i++) {
      const token = tokens[i]!;
      depth += (token.match(/[(\[„“«]/g)?.length ?? 0) - (token.match(/[)\]”»]/g)?.length ?? 0);
      if (depth <= 0 && token.endsWith(',')) cut = i;
    }
    if (cut < 0) continue;
    const site = tokens.slice(cut + 1, end);
    if (site.every((token) => NAME_SUFFIX.test(token) || ABBREVIATION.test(token)) || !/^[\p{Lu}\p{N}“„«"]/u.test(site[0]!)) continue;
    // A periodical's name may have commas ("Journal of Systemics, Cybernetics and Informatics",
    // "Gardens' Bulletin, Singapore"); a site is named briefly, as an organisation, or as the author.
    const siteWords = site.map(word);
    if (tokens.slice(start, cut + 1).some((token) => JOURNAL_WORDS.has(word(token))) || siteWords.every((w) => PLACES.has(w))) continue;
    const author = tokens.filter((_, i) => labels[i] === 'author').map(word).join(' ');
    const named = siteWords.length <= 3 || siteWords.some((w) => ORGANISATION_WORDS.has(w)) || siteWords.join(' ') === author;
    if (!named) continue;
    for (let i = start; i <= cut; i++) labels[i] = 'title';
    return;
  }
}
