/**
 * What a stored file is, as far as serving it from the site's own origin is concerned. The site
 * sends every file with its recorded type, and its content security policy trusts the site's own
 * scripts and styles: a file recorded as a script or an SVG image would run with the site's
 * authority. So images are recognised by their bytes (never by what an uploader or a document
 * claims), and the script-like types are never taken in.
 */

export type ImageType = 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp' | 'image/x-icon';

/**
 * The type of an image, read from its first bytes rather than from what the browser or a document
 * claims; SVG is refused on purpose (it can carry script).
 */
export function detectImageType(bytes: Buffer): ImageType | null {
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.length >= 6 && /^GIF8[79]a$/.test(bytes.subarray(0, 6).toString('latin1'))) return 'image/gif';
  if (bytes.length >= 12 && bytes.subarray(0, 4).toString('latin1') === 'RIFF' && bytes.subarray(8, 12).toString('latin1') === 'WEBP') return 'image/webp';
  if (bytes.length >= 4 && bytes[0] === 0 && bytes[1] === 0 && bytes[2] === 1 && bytes[3] === 0) return 'image/x-icon';
  return null;
}

/** A declared MIME type reduced to what a Content-Type header may carry (`type/subtype`, lower case); undefined when it is not one. */
export function mimeEssence(value: string): string | undefined {
  const essence = value.split(';')[0]!.trim().toLowerCase();
  return /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/.test(essence) ? essence : undefined;
}

/**
 * Types a browser runs when a page of the site loads them (scripts, workers, style sheets) or that
 * run script when opened (SVG): the WHATWG JavaScript MIME types, CSS and SVG. Documents (PDF,
 * HTML, XML, EPUB…) are sent as downloads, so they stay allowed.
 */
const ACTIVE_TYPES = new Set([
  'application/ecmascript', 'application/javascript', 'application/x-ecmascript', 'application/x-javascript',
  'text/ecmascript', 'text/javascript', 'text/javascript1.0', 'text/javascript1.1', 'text/javascript1.2', 'text/javascript1.3',
  'text/javascript1.4', 'text/javascript1.5', 'text/jscript', 'text/livescript', 'text/x-ecmascript', 'text/x-javascript',
  'text/css', 'image/svg+xml',
]);

/** Whether a file of this type would run with the site's authority if the site served it. */
export function isActiveContentType(mimeType: string): boolean {
  const essence = mimeEssence(mimeType);
  return essence !== undefined && ACTIVE_TYPES.has(essence);
}
