/** Whitespace other than a single space: a run of two or more, or a tab, newline, no-break space, … */
const LOOSE_WHITESPACE = /\s{2,}|[^\S ]/g;

/**
 * Every run of whitespace as one space: the same as text.replace(/\s+/g, ' '), but text that has
 * only single spaces (nearly every field of a reference) comes back as it is, with no new string.
 */
export function singleSpaced(text: string): string {
  return text.replace(LOOSE_WHITESPACE, ' ');
}
