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

/**
 * How many of a file's first bytes are read to tell its type: enough for a PDF's or an image's
 * signature, an EPUB's `mimetype` entry and the root element of an HTML or XML document after its
 * prolog, and small enough to keep for every file of an imported issue at once.
 */
export const SNIFF_BYTES = 1024;

/** Types that mean "unknown": a document declaring one of them declares nothing. */
const UNKNOWN_TYPES = new Set(['application/octet-stream', 'binary/octet-stream', 'application/binary', 'application/unknown', 'application/x-download', 'application/force-download']);

/** The types a file's name says, by its extension (OJS 3.3+ writes `extension="pdf"` and no type). */
const EXTENSION_TYPES: Record<string, string> = {
  pdf: 'application/pdf',
  htm: 'text/html',
  html: 'text/html',
  xhtml: 'application/xhtml+xml',
  xml: 'application/xml',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  epub: 'application/epub+zip',
  zip: 'application/zip',
  txt: 'text/plain',
  csv: 'text/csv',
  md: 'text/markdown',
  tex: 'application/x-tex',
  bib: 'application/x-bibtex',
  ris: 'application/x-research-info-systems',
  json: 'application/json',
  rtf: 'application/rtf',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ppt: 'application/vnd.ms-powerpoint',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  odt: 'application/vnd.oasis.opendocument.text',
  ods: 'application/vnd.oasis.opendocument.spreadsheet',
  odp: 'application/vnd.oasis.opendocument.presentation',
  mp3: 'audio/mpeg',
  mp4: 'video/mp4',
  webm: 'video/webm',
  // Named so that such files are refused, not taken for unknown ones.
  js: 'text/javascript',
  mjs: 'text/javascript',
  cjs: 'text/javascript',
  css: 'text/css',
  svg: 'image/svg+xml',
  svgz: 'image/svg+xml',
};

/** The usual extension of a type (`application/pdf` → `pdf`), for names Revista gives files; undefined for a type it has no name for. */
export function extensionOfType(mimeType: string): string | undefined {
  const type = mimeEssence(mimeType);
  const preferred: Record<string, string> = { 'text/html': 'html', 'image/jpeg': 'jpg', 'image/tiff': 'tif', 'text/javascript': 'js', 'image/svg+xml': 'svg' };
  if (type && Object.hasOwn(preferred, type)) return preferred[type];
  return Object.entries(EXTENSION_TYPES).find(([, t]) => t === type)?.[0];
}

/** The type a file name's extension stands for (`article.PDF` → application/pdf); a bare extension (`pdf`) is read too. */
export function typeOfFileName(name: string | undefined): string | undefined {
  if (!name) return undefined;
  const extension = name.slice(name.lastIndexOf('.') + 1).trim().toLowerCase();
  return Object.hasOwn(EXTENSION_TYPES, extension) ? EXTENSION_TYPES[extension] : undefined;
}

/**
 * What the first bytes alone say a file is. A type when they say it for certain; `zip`, `xml` or
 * `text` when they say only the family (a DOCX is a ZIP, a JATS article XML, a CSV text), and the
 * declared type may then say which member; `binary` when they say nothing; `empty` for no bytes.
 */
export type Sniffed = { type: string } | { family: 'zip' | 'xml' | 'text' | 'binary' | 'empty' };

const PDF_SIGNATURE = Buffer.from('%PDF-', 'latin1');
const ZIP_SIGNATURE = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
// WHATWG MIME Sniffing's "tag-terminated" HTML openings (§7.1), matched case-insensitively.
const HTML_OPENINGS = /^<(?:!doctype html|html|head|script|iframe|h1|div|font|table|a|style|title|b|body|br|p|!--)[ >]/i;

export function sniffBytes(head: Buffer): Sniffed {
  if (head.length === 0) return { family: 'empty' };
  const image = detectImageType(head);
  if (image) return { type: image };
  if (head.subarray(0, PDF_SIGNATURE.length).equals(PDF_SIGNATURE)) return { type: 'application/pdf' };
  if (head.subarray(0, 4).equals(ZIP_SIGNATURE)) return zipType(head);
  const text = decodedText(head);
  if (text === undefined) return { family: 'binary' };
  const start = text.replace(/^[\t\n\f\r ]+/, '');
  if (/^<\?xml[\s?]/.test(start)) return xmlType(start);
  if (HTML_OPENINGS.test(start)) return { type: 'text/html' };
  if (/^<svg[\s>]/i.test(start)) return { type: 'image/svg+xml' };
  if (start.startsWith('{\\rtf')) return { type: 'application/rtf' };
  return { family: 'text' };
}

/**
 * A ZIP whose first entry is an uncompressed `mimetype` says its own type (EPUB, OpenDocument:
 * the container formats require it so that the type can be read this way); any other is a ZIP.
 */
function zipType(head: Buffer): Sniffed {
  if (head.length < 30) return { family: 'zip' };
  const method = head.readUInt16LE(8);
  const size = head.readUInt32LE(18);
  const nameLength = head.readUInt16LE(26);
  const extraLength = head.readUInt16LE(28);
  const dataStart = 30 + nameLength + extraLength;
  if (method !== 0 || head.toString('latin1', 30, 30 + nameLength) !== 'mimetype' || size > 200 || dataStart + size > head.length) return { family: 'zip' };
  const declared = mimeEssence(head.toString('latin1', dataStart, dataStart + size));
  // Believed only as far as naming a ZIP-based format: a ZIP saying it is HTML is still a ZIP.
  return declared && isZipType(declared) ? { type: declared } : { family: 'zip' };
}

/** The root element's name after an XML prolog (declaration, comments, processing instructions, doctype). */
function xmlType(start: string): Sniffed {
  let rest = start;
  for (;;) {
    rest = rest.replace(/^[\t\n\r ]+/, '');
    const skip = /^(?:<\?[\s\S]*?\?>|<!--[\s\S]*?-->)/.exec(rest);
    if (skip) {
      rest = rest.slice(skip[0].length);
      continue;
    }
    const doctype = /^<!DOCTYPE[\t\n\r ]+(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)/.exec(rest);
    if (doctype) return rootType(doctype[1]!);
    const root = /^<(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)/.exec(rest);
    return root ? rootType(root[1]!) : { family: 'xml' };
  }
}

function rootType(name: string): Sniffed {
  const root = name.toLowerCase();
  if (root === 'svg') return { type: 'image/svg+xml' };
  if (root === 'html') return { type: 'application/xhtml+xml' };
  return { family: 'xml' };
}

/**
 * The first bytes as text, or undefined when they hold a byte no text has (WHATWG's "binary data
 * bytes": controls other than tab, line feeds, form feed, carriage return and escape). UTF-16 is
 * recognised by its byte order mark; anything else is read as UTF-8 (a character cut at the end of
 * the sample does not matter).
 */
function decodedText(head: Buffer): string | undefined {
  if (head.length >= 2 && ((head[0] === 0xfe && head[1] === 0xff) || (head[0] === 0xff && head[1] === 0xfe))) {
    const littleEndian = head[0] === 0xff;
    const units = head.subarray(2, 2 + ((head.length - 2) & ~1));
    const text = new TextDecoder(littleEndian ? 'utf-16le' : 'utf-16be').decode(units);
    return /[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f]/.test(text) ? undefined : text;
  }
  for (const byte of head) if (byte <= 0x08 || byte === 0x0b || (byte >= 0x0e && byte <= 0x1a) || (byte >= 0x1c && byte <= 0x1f)) return undefined;
  const body = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? head.subarray(3) : head;
  return body.toString('utf8');
}

const isXmlType = (type: string) => type === 'application/xml' || type === 'text/xml' || type.endsWith('+xml');
const isZipType = (type: string) =>
  type === 'application/zip' || type === 'application/x-zip-compressed' || type.endsWith('+zip') || type.startsWith('application/vnd.openxmlformats-officedocument.') || type.startsWith('application/vnd.oasis.opendocument.');
/** Types whose files are text: the bytes of a CSV or a BibTeX file say only "text", and the declared type says which. */
const isTextType = (type: string) =>
  type.startsWith('text/') || isXmlType(type) || type === 'application/json' || type.endsWith('+json') || ['application/x-tex', 'application/x-latex', 'application/x-bibtex', 'application/x-research-info-systems'].includes(type);
/** Types the bytes would have shown had they been right: such a claim on bytes that do not show it is wrong. */
const isRecognisedType = (type: string) => type === 'application/pdf' || type === 'application/rtf' || detectableImage(type) || isZipType(type) || isTextType(type);
const detectableImage = (type: string) => ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/x-icon', 'image/vnd.microsoft.icon'].includes(type);

export interface FileTypeInput {
  /** The file's first bytes (SNIFF_BYTES of them, or all of a shorter file). */
  head: Buffer;
  /** The type a document, a browser or an earlier version of Revista gave it, if any. */
  declared?: string | null;
  /** The file's name or bare extension (`pdf`), if known. */
  name?: string | null;
}

/**
 * The type a file is stored and served with. The bytes decide whenever they can: a file declared
 * `application/pdf` that is HTML is HTML, and a file with no declared type (OJS 3.3+ writes only an
 * extension) still gets its own. The declared type, else the name's extension, is kept where the
 * bytes say only a family it belongs to (a ZIP that is a DOCX, text that is CSV), or say nothing at
 * all (an MP4) and it is not a type the bytes would have shown. A script, style sheet or SVG claim is
 * never traded for a harmless type on textual bytes, so such files stay refused
 * (isActiveContentType); bytes with a binary signature (a PNG named .js) are what they are.
 */
export function fileType(input: FileTypeInput): string {
  const declared = mimeEssence(input.declared ?? '');
  const claim = (declared && !UNKNOWN_TYPES.has(declared) ? declared : undefined) ?? typeOfFileName(input.name ?? undefined);
  const head = input.head.subarray(0, SNIFF_BYTES);
  const sniffed = sniffBytes(head);
  const active = claim !== undefined && isActiveContentType(claim);
  // Acrobat opens a PDF whose signature comes after some junk in the first kilobyte; so does Revista, when it is called a PDF.
  const latePdf = claim === 'application/pdf' && head.includes(PDF_SIGNATURE);
  if ('type' in sniffed) {
    const binarySignature = sniffed.type === 'application/pdf' || detectableImage(sniffed.type) || input.head.subarray(0, 4).equals(ZIP_SIGNATURE);
    return active && !binarySignature ? claim : sniffed.type;
  }
  switch (sniffed.family) {
    case 'empty':
      return claim ?? 'application/octet-stream';
    case 'zip':
      return claim && isZipType(claim) ? claim : 'application/zip';
    case 'xml':
      return claim && (isXmlType(claim) || active) ? claim : 'application/xml';
    case 'text':
      return claim && (isTextType(claim) || active || latePdf) ? claim : 'text/plain';
    case 'binary':
      return claim && (active || latePdf || !isRecognisedType(claim)) ? claim : 'application/octet-stream';
  }
}
