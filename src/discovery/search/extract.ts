/**
 * Text of galley files for the full-text index: PDF through pdfjs-dist, HTML with its tags taken out,
 * plain text as it is. Runs in the background indexer only, never while a request waits.
 */

/** Larger files are not read for text (their metadata is still indexed). */
export const MAX_EXTRACT_BYTES = 64 * 1024 * 1024;
/** Text kept per file: more than any article, less than the index could hold. */
export const MAX_TEXT_CHARS = 400_000;
const MAX_PDF_PAGES = 400;

export type Extracted = { text: string; problem: null } | { text: ''; problem: string };

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** Visible text of an HTML document: no scripts, styles or tags; entities decoded. */
export function htmlToText(html: string): string {
  return html
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<(script|style|head|template)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
      if (name[0] === '#') {
        const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
        return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : ' ';
      }
      return ENTITIES[name.toLowerCase()] ?? whole;
    })
    .replace(/\s+/g, ' ')
    .trim();
}

function tidy(text: string): string {
  // Control characters cannot be stored in text columns (NUL) and mean nothing to the index.
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, ' ').replace(/\s+/g, ' ').trim().slice(0, MAX_TEXT_CHARS);
}

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
let pdfjs: Promise<PdfJs> | undefined;

/** The words of a PDF, page by page; pages after MAX_PDF_PAGES are left out. */
export async function pdfToText(bytes: Uint8Array): Promise<string> {
  pdfjs ??= import('pdfjs-dist/legacy/build/pdf.mjs');
  const { getDocument } = await pdfjs;
  const task = getDocument({ data: new Uint8Array(bytes), verbosity: 0, isEvalSupported: false, disableFontFace: true, useSystemFonts: false, stopAtErrors: false });
  const document = await task.promise;
  try {
    const parts: string[] = [];
    let length = 0;
    for (let n = 1; n <= Math.min(document.numPages, MAX_PDF_PAGES) && length < MAX_TEXT_CHARS; n++) {
      const page = await document.getPage(n);
      const content = await page.getTextContent();
      for (const item of content.items) {
        if ('str' in item) {
          parts.push(item.str, item.hasEOL ? '\n' : ' ');
          length += item.str.length + 1;
        }
      }
      parts.push('\n');
      page.cleanup();
      // Let requests through between pages: extraction shares the process with the server.
      await new Promise((resolve) => setImmediate(resolve));
    }
    return parts.join('');
  } finally {
    await document.destroy();
  }
}

export async function extractText(bytes: Buffer, mimeType: string): Promise<Extracted> {
  const type = mimeType.toLowerCase().split(';')[0]!.trim();
  if (bytes.length > MAX_EXTRACT_BYTES) return { text: '', problem: `file larger than ${MAX_EXTRACT_BYTES / 1024 / 1024} MB` };
  try {
    if (type === 'application/pdf') return { text: tidy(await pdfToText(bytes)), problem: null };
    if (type === 'text/html' || type === 'application/xhtml+xml') return { text: tidy(htmlToText(bytes.toString('utf8'))), problem: null };
    if (type === 'text/plain') return { text: tidy(bytes.toString('utf8')), problem: null };
    return { text: '', problem: `no text is read from ${type || 'this kind of file'}` };
  } catch (error) {
    return { text: '', problem: `unreadable ${type}: ${(error as Error).message}`.slice(0, 500) };
  }
}
