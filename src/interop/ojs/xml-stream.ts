import { createHash } from 'node:crypto';
import { PassThrough, type Readable } from 'node:stream';
import { SaxesParser, type SaxesTagNS } from 'saxes';
import type { FileStore, StoredContent } from '../../storage/index.ts';

/**
 * Reads a Native XML document as a stream of subtrees: each unit (an `<issue>`, or an `<article>`
 * of an `<articles>` document) is handed over whole once it closes, as a small tree of elements,
 * and the document is never held in memory. The text of every `<embed>` (a base64 file) bypasses the
 * tree: it is decoded as it arrives and streamed into a file sink, so a galley of any size costs a
 * few kilobytes of memory.
 */

export const PKP_NAMESPACE = 'http://pkp.sfu.ca';

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
  line: number;
  column: number;
  /** An `<embed>` whose bytes went to a file sink; resolved when the sink has them all. */
  embedded?: Promise<EmbeddedFile>;
}

export interface EmbeddedFile extends StoredContent {
  /** False when the sink only measured the bytes (validation, dry run): nothing was stored. */
  stored: boolean;
}

/** Where embedded files go: into storage, or only through a hash (validating, dry run). */
export type FileSink = (input: Readable) => Promise<EmbeddedFile>;

/**
 * Stores each embedded file as it is read. Not yet durable: the importer makes a unit's files
 * durable together, before the transaction that refers to them commits.
 */
export function storageSink(files: FileStore): FileSink {
  return async (input) => ({ ...(await files.put(input, { durable: false })), stored: true });
}

export const measuringSink: FileSink = async (input) => {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of input) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { key: '', sizeBytes: size, sha256: hash.digest('hex'), stored: false };
};

/** A problem in the document, with where it is. */
export class NativeXmlError extends Error {
  constructor(
    message: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(line !== undefined ? `line ${line}, column ${column ?? 0}: ${message}` : message);
  }
}

export interface DocumentStart {
  /** Local name of the root element: issues, issue, articles or article. */
  root: string;
  line: number;
}

export interface StreamOptions {
  sink: FileSink;
  /** Called once the root element is seen; throw to refuse the document. */
  onRoot(root: DocumentStart, attrs: Record<string, string>): void;
}

/** Units are `<issue>` children of `<issues>`, `<article>` children of `<articles>`, or the root itself. */
const UNIT_PARENTS: Record<string, string> = { issues: 'issue', articles: 'article' };

/** Decodes base64 that arrives in arbitrary pieces, whitespace and all. */
function base64Decoder() {
  let carry = '';
  return {
    push(text: string): Buffer | undefined {
      const clean = carry + text.replace(/[\s]+/g, '');
      const usable = clean.length - (clean.length % 4);
      carry = clean.slice(usable);
      return usable > 0 ? Buffer.from(clean.slice(0, usable), 'base64') : undefined;
    },
    end(): Buffer | undefined {
      const rest = carry;
      carry = '';
      return rest ? Buffer.from(rest, 'base64') : undefined;
    },
  };
}

const CHUNK_CHARS = 64 * 1024;

/**
 * Yields each unit of the document as it closes. Malformed XML stops the stream with a
 * NativeXmlError naming the line and column; the caller decides what a unit means.
 */
export async function* readUnits(input: Readable, options: StreamOptions): AsyncGenerator<XmlElement> {
  const parser = new SaxesParser({ xmlns: true, position: true });
  const stack: XmlElement[] = [];
  const ready: XmlElement[] = [];
  let root: string | undefined;
  let failure: NativeXmlError | undefined;
  let embed: { element: XmlElement; stream: PassThrough; decoder: ReturnType<typeof base64Decoder> } | undefined;

  const fail = (message: string, line = parser.line, column = parser.column) => {
    failure ??= new NativeXmlError(message, line, column);
  };

  parser.on('error', (error) => {
    // saxes puts "line:column: " in front of its messages; we say where ourselves.
    let message = error.message.replace(/^(?:[^:]*:)?\d+:\d+: /, '').replace(/\.$/, '');
    if (/unexpected close tag/.test(message)) message += ': an element opened before it is not closed, or closed twice';
    fail(message);
  });
  parser.on('opentag', (tag: SaxesTagNS) => {
    if (failure) return;
    const attrs: Record<string, string> = {};
    for (const attribute of Object.values(tag.attributes)) if (!attribute.prefix || attribute.prefix !== 'xmlns') attrs[attribute.local] = attribute.value;
    const element: XmlElement = { name: tag.local, attrs, children: [], text: '', line: parser.line, column: parser.column };
    if (root === undefined) {
      root = tag.local;
      if (tag.uri !== PKP_NAMESPACE) {
        fail(`the root element <${tag.name}> is not in the OJS Native XML namespace ${PKP_NAMESPACE} (is this an OJS 3 export?)`);
        return;
      }
      try {
        options.onRoot({ root: tag.local, line: parser.line }, attrs);
      } catch (error) {
        fail((error as Error).message);
        return;
      }
    }
    const parent = stack.at(-1);
    if (parent && !(stack.length === 1 && UNIT_PARENTS[stack[0]!.name] === tag.local)) parent.children.push(element);
    stack.push(element);
    if (tag.local === 'embed' && !tag.isSelfClosing) {
      const stream = new PassThrough();
      element.embedded = options.sink(stream);
      // A sink that fails early (disk full) must not leave an unhandled rejection behind.
      element.embedded.catch(() => undefined);
      embed = { element, stream, decoder: base64Decoder() };
    } else if (tag.local === 'embed') {
      element.embedded = options.sink(new PassThrough().end());
    }
  });
  const onText = (text: string) => {
    if (failure || stack.length === 0) return;
    if (embed) {
      const bytes = embed.decoder.push(text);
      if (bytes) embed.stream.write(bytes);
      return;
    }
    stack.at(-1)!.text += text;
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', () => {
    if (failure) return;
    const element = stack.pop()!;
    if (embed && element === embed.element) {
      const rest = embed.decoder.end();
      if (rest) embed.stream.write(rest);
      embed.stream.end();
      embed = undefined;
    }
    const isUnit = stack.length === 0 ? UNIT_PARENTS[element.name] === undefined : stack.length === 1 && UNIT_PARENTS[stack[0]!.name] === element.name;
    if (isUnit) ready.push(element);
  });

  // saxes gathers the text of an element until the element ends. Inside an <embed> that would be a
  // whole file as one string, so after each piece its gathered text is taken away and decoded.
  const internals = parser as unknown as { text: string };
  let pieces = 0;
  for await (const chunk of input.setEncoding('utf8') as AsyncIterable<string>) {
    for (let offset = 0; offset < chunk.length; offset += CHUNK_CHARS) {
      parser.write(chunk.slice(offset, offset + CHUNK_CHARS));
      if (embed && internals.text.length > 0) {
        onText(internals.text);
        internals.text = '';
      }
      if (failure) throw failure;
      if (embed && embed.stream.writableNeedDrain) await new Promise((resolve) => embed!.stream.once('drain', resolve));
      while (ready.length > 0) yield ready.shift()!;
      pieces++;
    }
  }
  if (pieces === 0) throw new NativeXmlError('the file is empty');
  parser.close();
  if (failure) throw failure;
  if (root === undefined) throw new NativeXmlError('no root element: the file holds no XML document');
  while (ready.length > 0) yield ready.shift()!;
}

/** The child elements called `name`. */
export function childrenNamed(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((c) => c.name === name);
}

export function childNamed(element: XmlElement, name: string): XmlElement | undefined {
  return element.children.find((c) => c.name === name);
}
