/**
 * Addresses that come from data (an import, an SQL edit, an older version) rather than from a form
 * that checked them: only an absolute http(s) URL is ever given to a reader as a link, so a stored
 * `javascript:` address is never clickable, redirected to or handed to a harvester.
 */

/** Browsers drop these inside URLs ("java\tscript:" is "javascript:"), and CR/LF would split a header. */
const WHITESPACE_OR_CONTROL = /[\u0000-\u0020\u007f-\u009f]/;

/** An absolute http or https URL with a host, with no whitespace or control characters anywhere. */
export function isHttpUrl(value: string | null | undefined): value is string {
  if (!value || WHITESPACE_OR_CONTROL.test(value)) return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** The address when it may be a link (see isHttpUrl), else undefined: for `href={…}` and the like. */
export function httpLink(value: string | null | undefined): string | undefined {
  return isHttpUrl(value) ? value : undefined;
}
