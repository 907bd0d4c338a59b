import { ORGANISATION_WORDS, PARTICLES } from './lexicon.ts';
import { singleSpaced } from './spaces.ts';
import type { CslName } from './types.ts';

/**
 * Names from an author, editor or translator field: "Kowalski J.", "J. Kowalski", "Kowalski, Jan",
 * "Wezeman P.D., Kuimova A., Wezeman S.T.", "Romero, C., Paunesku, D., & Dweck, C.", and
 * organisations ("The Ministry of Foreign Affairs of Armenia") kept whole as literal names.
 */

const INITIALS = /^(?:\p{Lu}\.?(?:-\p{Lu}\.?)?\s*){1,3}$/u;
const ROLE = /\s*(?:\((?:eds?|red|hrsg|hg|dir|coord|comp|trans|tłum|ред)\.?\)|\b(?:eds?|red|hrsg|tłum|trans|transl|ред)\.(?=\s*$|,\s*$))/giu;
const LEAD = /^(?:\[?(?:in|w|dans|im|в)\s*:?\]?:?\s+|edited by\s+|ed\.\s+by\s+|(?:pod\s+)?red(?:akcją|\.)\s+|translated by\s+|trans(?:l)?\.\s+(?:by\s+)?|tłum\.\s+|przeł\.\s+)+/iu;
const ET_AL = /,?\s*(?:et\s+al\.?|i\s+in\.?|и\s+др\.?|u\.\s*a\.|and others)\s*$/iu;
const SEPARATOR = /\s*;\s*|\s+(?:and|&|i|und|et|y|и)\s+|\s*,\s*(?:and|&)\s+/u;

/** Spaces, commas, semicolons and colons: what tidy takes off both ends. */
const isLoose = (code: number) => code === 32 || code === 44 || code === 59 || code === 58;

/** Whitespace runs as one space, and no spaces, commas, semicolons or colons at either end. */
function tidy(text: string): string {
  const spaced = singleSpaced(text);
  let start = 0;
  let end = spaced.length;
  while (start < end && isLoose(spaced.charCodeAt(start))) start++;
  while (end > start && isLoose(spaced.charCodeAt(end - 1))) end--;
  return start === 0 && end === spaced.length ? spaced : spaced.slice(start, end);
}

/** "JJ" → "J.J.", "J" → "J.", "A.J." and "J. R." as written. */
function initials(text: string): string {
  const t = text.trim();
  if (/^\p{Lu}{1,3}$/u.test(t)) return [...t].map((c) => `${c}.`).join('');
  return t;
}

/** All-capital surnames ("KOWALSKI") in ordinary case; particles stay lower-case. */
function nameCase(text: string): string {
  if (text !== text.toUpperCase() || !/\p{Lu}{3}/u.test(text)) return text;
  return text.toLowerCase().replace(/(^|[\s'’-])(\p{Ll})/gu, (whole, before: string, letter: string, offset: number) => {
    const word = text.slice(offset + before.length).split(/[\s-]/)[0]!.toLowerCase();
    return before + (offset > 0 && PARTICLES.has(word) ? letter : letter.toUpperCase());
  });
}

export function isOrganisation(text: string): boolean {
  const words = text.toLowerCase().match(/\p{L}+/gu) ?? [];
  if (words.some((w) => ORGANISATION_WORDS.has(w))) return true;
  if (/^the\s/i.test(text)) return true;
  // An acronym alone (NATO, GUS) or a long run of words with neither commas nor initials is no person.
  if (/^\p{Lu}{2,}$/u.test(text.trim())) return true;
  return words.length > 4 && !/[,;&]|\p{Lu}\.|\s\p{Lu}{1,3}(?:\s|$)/u.test(text);
}

type Piece = { text: string; kind: 'family-initials' | 'initials-family' | 'initials' | 'word' | 'words' };

function classify(text: string): Piece {
  const t = text.trim();
  if (INITIALS.test(t)) return { text: t, kind: 'initials' };
  // (Pieces come tidied: their only whitespace is single spaces.)
  if (t.includes(' ') && /^[\p{L}'’.-]+(?:\s+[\p{L}'’.-]+){0,3}\s+(?:\p{Lu}\.?(?:-?\p{Lu}\.?){0,2})$/u.test(t) && /\s\p{Lu}[\p{Lu}.-]*$/u.test(t) && !/\s\p{Lu}\p{Ll}/u.test(t.split(/\s+/).at(-1)!)) {
    const last = t.split(/\s+/).at(-1)!;
    if (/^\p{Lu}\.?(?:-?\p{Lu}\.?){0,2}$/u.test(last) && t.split(/\s+/).length >= 2 && !INITIALS.test(t.split(/\s+/)[0]!)) return { text: t, kind: 'family-initials' };
  }
  if (/^(?:\p{Lu}\.\s*-?){1,3}\s*[\p{L}'’-]{2,}(?:\s+[\p{L}'’-]+)*$/u.test(t)) return { text: t, kind: 'initials-family' };
  return { text: t, kind: /\s/.test(t) ? 'words' : 'word' };
}

function familyInitials(text: string): CslName {
  const words = text.split(/\s+/);
  const given = words.pop()!;
  return { family: nameCase(words.join(' ')), given: initials(given) };
}

function initialsFamily(text: string): CslName {
  const m = /^((?:\p{Lu}\.\s*-?){1,3})\s*(.+)$/u.exec(text)!;
  return { family: nameCase(m[2]!.trim()), given: m[1]!.replace(/\s+$/, '') };
}

/** "Jan Maria Kowalski", "James P. Pfiffner", "Ludwig van Beethoven": the family name is last, with its particles. */
function givenFamily(text: string): CslName {
  const words = text.split(/\s+/);
  let cut = words.length - 1;
  while (cut > 1 && PARTICLES.has(words[cut - 1]!)) cut--;
  return { family: nameCase(words.slice(cut).join(' ')), given: words.slice(0, cut).join(' ') };
}

function isGivenLike(piece: Piece): boolean {
  if (piece.kind === 'initials') return true;
  // "Jan", "Nicholson B.", "Hélène", "Jan Maria": capitalised words and initials, at most three.
  return /^\p{Lu}[\p{Ll}'’-]*\.?(?:\s+\p{Lu}[\p{Ll}'’-]*\.?){0,2}$/u.test(piece.text);
}

function isFamilyLike(piece: Piece): boolean {
  return (piece.kind === 'word' || piece.kind === 'words') && piece.text.split(/\s+/).length <= 4 && /\p{Lu}/u.test(piece.text) && !/\d/.test(piece.text);
}

/** The names in one author, editor or translator field. */
export function parseNames(field: string): CslName[] {
  let text = tidy(field.replace(LEAD, '').replace(ROLE, ''));
  text = tidy(text.replace(ET_AL, ''));
  // A final full stop goes, unless it ends an initial ("Kowalski J.").
  if (text.endsWith('.') && !/(?:^|[\s.])\p{Lu}\.$/u.test(text)) text = text.slice(0, -1);
  if (text === '' || !/\p{L}/u.test(text)) return [];
  if (isOrganisation(text)) return [{ literal: text }];
  const names: CslName[] = [];
  for (const group of text.split(SEPARATOR)) {
    const pieces = group.split(/\s*,\s*/).map(tidy).filter(Boolean).map(classify);
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i]!;
      const next = pieces[i + 1];
      if (piece.kind === 'family-initials') names.push(familyInitials(piece.text));
      else if (piece.kind === 'initials-family') names.push(initialsFamily(piece.text));
      else if (next && isFamilyLike(piece) && (piece.kind === 'word' ? next.kind !== 'initials-family' : isGivenLike(next) && next.kind !== 'family-initials' && next.kind !== 'initials-family')) {
        names.push({ family: nameCase(piece.text), given: next.kind === 'initials' ? initials(next.text) : next.text });
        i++;
      } else if (piece.kind === 'words' && isGivenLike(piece) && piece.text.split(/\s+/).length <= 3) names.push(givenFamily(piece.text));
      else if (piece.kind === 'words' && /^\p{Lu}/u.test(piece.text) && piece.text.split(/\s+/).length <= 3) names.push(givenFamily(piece.text));
      else names.push({ literal: piece.text });
    }
  }
  return names;
}
