/**
 * Where a remote galley (OJS `<remote src>`) may send a reader: an absolute http(s) address, written
 * as a Location header can carry it. Rows already in the database may hold anything an older import
 * stored: a CR or LF (which Node refuses in a header, so the answer was a bare "500 Found"), other
 * control characters or spaces (which URL parsers drop, so `java\tscript:` is `javascript:`), or
 * another scheme. Those send no one anywhere: the galley is answered as missing.
 */
export function remoteGalleyTarget(stored: string): string | undefined {
  if (stored.length > 2000 || /[\u0000-\u0020\u007f-\u009f]/.test(stored)) return undefined;
  let url: URL;
  try {
    url = new URL(stored);
  } catch {
    return undefined;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') return undefined;
  // The parsed form: non-ASCII percent-encoded and the host in punycode, so the header is ASCII.
  return url.href;
}
