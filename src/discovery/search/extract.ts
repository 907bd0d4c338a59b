import fs from 'node:fs/promises';
import { Tokenizer } from 'htmlparser2';

/**
 * Text of galley files for the full-text index: PDF through pdfjs-dist, HTML through htmlparser2's
 * tokenizer, plain text as it is. Everything here is pure work on bytes that can take seconds on a
 * large file, so it runs in a worker thread (extract-thread.ts), never on the thread that answers
 * requests.
 */

/** Larger files are not read for text (their metadata is still indexed). */
export const MAX_EXTRACT_BYTES = 64 * 1024 * 1024;
/** Text kept per file: more than any article, less than the index could hold. */
export const MAX_TEXT_CHARS = 400_000;
const MAX_PDF_PAGES = 400;

export type Extracted = { text: string; problem: null } | { text: ''; problem: string };

/** Elements whose content is not text a reader sees; the tokenizer reads the first three's content as text. */
const RAW_TEXT = new Set(['script', 'style', 'title']);
const HIDDEN = new Set([...RAW_TEXT, 'template', 'noscript']);
/**
 * Elements inside a word (CO<sub>2</sub>, a <wbr> break opportunity): no space where they start or end.
 * Every other tag separates words, as before: <sup> is mostly a footnote marker (energy<sup>3</sup>),
 * and converted galleys use empty <span>s where the spaces were.
 */
const INLINE = new Set(['sub', 'wbr']);
/** Longer tag names are none of the above: not worth copying. */
const TAG_NAME_LENGTH = 16;

/**
 * Visible text of an HTML document: no scripts, styles, templates, title or comments; entities decoded;
 * at most MAX_EXTRACT_BYTES read, and reading stops once about MAX_TEXT_CHARS are kept. Linear in the
 * input whatever its shape: the tokenizer is a single pass, and no element stack is kept (htmlparser2's
 * Parser keeps one with unshift and indexOf, quadratic for a million unclosed tags), only a count of
 * open hidden elements.
 */
export function htmlToText(html: string | Uint8Array): string {
  const source = typeof html === 'string' ? html.slice(0, MAX_EXTRACT_BYTES) : new TextDecoder('utf-8').decode(html.subarray(0, MAX_EXTRACT_BYTES));
  const parts: string[] = [];
  let kept = 0;
  let hidden = 0;
  let rawText: string | undefined; // inside <script>, <style> or <title>: the tokenizer reads their content as text
  let openTag = '';
  // Runs of white space are kept as one space as they come, so `kept` counts what the index will hold.
  let endsWithSpace = true;
  const keep = (text: string) => {
    if (hidden > 0 || rawText) return;
    let collapsed = text.replace(/\s+/g, ' ');
    if (endsWithSpace && collapsed.startsWith(' ')) collapsed = collapsed.slice(1);
    collapsed = collapsed.slice(0, MAX_TEXT_CHARS - kept);
    if (collapsed === '') return;
    parts.push(collapsed);
    kept += collapsed.length;
    endsWithSpace = collapsed.endsWith(' ');
    if (kept >= MAX_TEXT_CHARS) tokenizer.pause();
  };
  const tagName = (start: number, end: number) => (end - start <= TAG_NAME_LENGTH ? source.slice(start, end).toLowerCase() : '');
  const space = (name: string) => {
    if (!INLINE.has(name)) keep(' ');
  };
  const ignore = () => {};
  const tokenizer: Tokenizer = new Tokenizer(
    { decodeEntities: true },
    {
      ontext: (start, end) => keep(source.slice(start, end)),
      ontextentity: (codepoint) => keep(String.fromCodePoint(codepoint)),
      onopentagname: (start, end) => {
        openTag = tagName(start, end);
        space(openTag);
        if (RAW_TEXT.has(openTag)) rawText = openTag;
        else if (HIDDEN.has(openTag)) hidden++;
      },
      onselfclosingtag: () => {
        if (rawText === openTag) rawText = undefined;
        else if (HIDDEN.has(openTag) && hidden > 0) hidden--;
      },
      onclosetag: (start, end) => {
        const name = tagName(start, end);
        space(name);
        if (rawText === name) rawText = undefined;
        else if (HIDDEN.has(name) && hidden > 0) hidden--;
      },
      onopentagend: ignore,
      onattribdata: ignore,
      onattribentity: ignore,
      onattribend: ignore,
      onattribname: ignore,
      oncdata: ignore,
      oncomment: ignore,
      ondeclaration: ignore,
      onprocessinginstruction: ignore,
      onend: ignore,
    },
  );
  tokenizer.write(source);
  tokenizer.end();
  return parts.join('').trim();
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
    }
    return parts.join('');
  } finally {
    await document.destroy();
  }
}

type TextKind = 'pdf' | 'html' | 'plain';

function kindOf(mimeType: string): { type: string; kind: TextKind | undefined } {
  const type = mimeType.toLowerCase().split(';')[0]!.trim();
  const kind = type === 'application/pdf' ? 'pdf' : type === 'text/html' || type === 'application/xhtml+xml' ? 'html' : type === 'text/plain' ? 'plain' : undefined;
  return { type, kind };
}

const tooLarge = (): Extracted => ({ text: '', problem: `file larger than ${MAX_EXTRACT_BYTES / 1024 / 1024} MB` });
const noText = (type: string): Extracted => ({ text: '', problem: `no text is read from ${type || 'this kind of file'}` });

export async function extractText(bytes: Buffer, mimeType: string): Promise<Extracted> {
  const { type, kind } = kindOf(mimeType);
  if (!kind) return noText(type);
  if (bytes.length > MAX_EXTRACT_BYTES) return tooLarge();
  try {
    if (kind === 'pdf') return { text: tidy(await pdfToText(bytes)), problem: null };
    if (kind === 'html') return { text: tidy(htmlToText(bytes)), problem: null };
    return { text: tidy(bytes.toString('utf8')), problem: null };
  } catch (error) {
    return { text: '', problem: `unreadable ${type}: ${(error as Error).message}`.slice(0, 500) };
  }
}

/** What extractFile says when the stored file itself cannot be read: its error code, for the log. */
export type ExtractedFile = Extracted & { fileError?: string };

/** The text of a stored file, read here: a file too large or of a kind without text is not read at all. */
export async function extractFile(file: string, mimeType: string): Promise<ExtractedFile> {
  const { type, kind } = kindOf(mimeType);
  if (!kind) return noText(type);
  try {
    if ((await fs.stat(file)).size > MAX_EXTRACT_BYTES) return tooLarge();
    return await extractText(await fs.readFile(file), mimeType);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    return { text: '', problem: code === 'ENOENT' ? 'the stored file is missing' : `the stored file cannot be read (${code})`, fileError: code };
  }
}
