import { createHash } from 'node:crypto';
import { PassThrough, Transform, type Readable } from 'node:stream';
import { SaxesParser, type SaxesTagNS } from 'saxes';
import { SNIFF_BYTES } from '../../storage/index.ts';
import type { FileStore, StoredContent } from '../../storage/index.ts';

/**
 * Reads a Native XML document as a stream of subtrees: each unit (an `<issue>`, or an `<article>`
 * of an `<articles>` document) is handed over whole once it closes, as a small tree of elements,
 * and the document is never held in memory. The text of every `<embed>` (a base64 file) bypasses the
 * tree: it is decoded as it arrives and streamed into a file sink, so a galley of any size costs a
 * few kilobytes of memory.
 *
 * Every other cost is bounded before it is paid: nesting depth, the length of any text, name or
 * attribute, the number of attributes, and the elements and text one unit may hold. A document past
 * a bound is refused at once, with the line and column where it went past.
 */

export const PKP_NAMESPACE = 'http://pkp.sfu.ca';

/**
 * OJS documents nest a few dozen levels at most. saxes looks namespaces up through every open
 * element, so a document's cost grows with the square of its depth: past this depth it is refused.
 */
export const MAX_DEPTH = 100;
/**
 * The longest text one element (or name, comment, attribute…) may hold: far above any abstract,
 * biography or reference. An `<embed>`'s base64 is not held, so files of any size are unaffected.
 */
export const MAX_FIELD_CHARS = 1_000_000;
/** Attributes of one element (OJS writes at most a dozen), and the length of each. */
export const MAX_ATTRIBUTES = 64;
export const MAX_ATTRIBUTE_CHARS = 64 * 1024;
/** What one unit (an issue with all its articles) may hold: about ten times a large real issue. */
export const MAX_UNIT_ELEMENTS = 250_000;
export const MAX_UNIT_TEXT_CHARS = 20_000_000;

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
  /** The file's first bytes, to tell what it is (its type is read from them, not believed). */
  firstBytes: Buffer;
}

/** Where embedded files go: into storage, or only through a hash (validating, dry run). */
export type FileSink = (input: Readable) => Promise<EmbeddedFile>;

const FIRST_BYTES = SNIFF_BYTES;

/** Passes bytes through, keeping the first few. */
function firstBytesTap(): { tap: Transform; firstBytes: () => Buffer } {
  let head = Buffer.alloc(0);
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      if (head.length < FIRST_BYTES) head = Buffer.concat([head, chunk.subarray(0, FIRST_BYTES - head.length)]);
      done(null, chunk);
    },
  });
  return { tap, firstBytes: () => head };
}

/**
 * Stores each embedded file as it is read. Not yet durable: the importer makes a unit's files
 * durable together, before the transaction that refers to them commits. `onStored` hears of each
 * file as soon as it is on disk, so an import that stops can take back every file it stored.
 */
export function storageSink(files: FileStore, onStored: (key: string) => void = () => undefined): FileSink {
  return async (input) => {
    const { tap, firstBytes } = firstBytesTap();
    input.on('error', (error) => tap.destroy(error));
    const stored = await files.put(input.pipe(tap), { durable: false });
    onStored(stored.key);
    return { ...stored, stored: true, firstBytes: firstBytes() };
  };
}

export const measuringSink: FileSink = async (input) => {
  const hash = createHash('sha256');
  let size = 0;
  let firstBytes = Buffer.alloc(0);
  for await (const chunk of input) {
    const bytes = chunk as Buffer;
    if (firstBytes.length < FIRST_BYTES) firstBytes = Buffer.concat([firstBytes, bytes.subarray(0, FIRST_BYTES - firstBytes.length)]);
    hash.update(bytes);
    size += bytes.length;
  }
  return { key: '', sizeBytes: size, sha256: hash.digest('hex'), stored: false, firstBytes };
};

/** A problem in the document, with where it is. */
export class NativeXmlError extends Error {
  constructor(
    /** What is wrong, without where. */
    readonly reason: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(line !== undefined ? `line ${line}, column ${column ?? 0}: ${reason}` : reason);
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

/** Resolves when the sink has taken what was written, or has stopped (failed) taking anything. */
function drained(stream: PassThrough): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('close', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
  });
}
const count = (n: number) => n.toLocaleString('en-US');

/** saxes' buffers for what it has read but not yet reported (a text, a name, an attribute's value…). */
interface SaxesInternals {
  text: string;
  name: string;
  piTarget: string;
  entity: string;
  /** The attributes of the tag being read, before its opentag event. */
  attribList: { name: string; value: string }[];
}

/**
 * Yields each unit of the document as it closes. Malformed XML, or a document past one of the
 * bounds above, stops the stream with a NativeXmlError naming the line and column; the caller
 * decides what a unit means.
 */
export async function* readUnits(input: Readable, options: StreamOptions): AsyncGenerator<XmlElement> {
  const parser = new SaxesParser({ xmlns: true, position: true });
  const internals = parser as unknown as SaxesInternals;
  const stack: XmlElement[] = [];
  const ready: XmlElement[] = [];
  let root: string | undefined;
  let embed: { element: XmlElement; stream: PassThrough; decoder: ReturnType<typeof base64Decoder> } | undefined;
  // The unit being read, and what it holds so far.
  let unit: XmlElement | undefined;
  let unitElements = 0;
  let unitChars = 0;

  // Thrown from inside saxes' handlers, so that parsing stops at once (saxes would carry on).
  const fail = (message: string, line = parser.line, column = parser.column): never => {
    throw new NativeXmlError(message, line, column);
  };
  const where = () => (stack.length > 0 ? ` in <${stack.at(-1)!.name}>` : '');

  parser.on('error', (error) => {
    // saxes puts "line:column: " in front of its messages; we say where ourselves.
    let message = error.message.replace(/^(?:[^:]*:)?\d+:\d+: /, '').replace(/\.$/, '');
    if (/unexpected close tag/.test(message)) message += ': an element opened before it is not closed, or closed twice';
    fail(message);
  });
  // Attributes are checked as saxes gathers them (after each piece, below) and once a tag is whole.
  // Not with saxes' opentagstart and attribute events: with those set, saxes runs several times slower.
  const checkAttributes = (attributes: { name: string; value: string }[]) => {
    if (attributes.length > MAX_ATTRIBUTES) fail(`an element has more than ${MAX_ATTRIBUTES} attributes`);
    for (const attribute of attributes) if (attribute.value.length > MAX_ATTRIBUTE_CHARS) fail(`the attribute ${attribute.name} is longer than ${count(MAX_ATTRIBUTE_CHARS)} characters`);
  };
  parser.on('opentag', (tag: SaxesTagNS) => {
    // saxes looked this tag's namespaces up through at most MAX_DEPTH open elements.
    if (stack.length >= MAX_DEPTH) fail(`elements are nested more than ${MAX_DEPTH} levels deep (OJS documents need a few dozen): refused`);
    if (embed) fail('an <embed> holds base64 data only, not elements');
    checkAttributes(Object.values(tag.attributes));
    const attrs: Record<string, string> = {};
    for (const attribute of Object.values(tag.attributes)) if (!attribute.prefix || attribute.prefix !== 'xmlns') attrs[attribute.local] = attribute.value;
    const element: XmlElement = { name: tag.local, attrs, children: [], text: '', line: parser.line, column: parser.column };
    if (root === undefined) {
      root = tag.local;
      if (tag.uri !== PKP_NAMESPACE) fail(`the root element <${tag.name}> is not in the OJS Native XML namespace ${PKP_NAMESPACE} (is this an OJS 3 export?)`);
      try {
        options.onRoot({ root: tag.local, line: parser.line }, attrs);
      } catch (error) {
        fail((error as Error).message);
      }
    }
    const isUnit = stack.length === 0 ? UNIT_PARENTS[tag.local] === undefined : stack.length === 1 && UNIT_PARENTS[stack[0]!.name] === tag.local;
    if (isUnit) {
      unit = element;
      unitElements = 0;
      unitChars = 0;
    } else if (unit) {
      // Only a unit's elements are kept: anything else beside the units is read and forgotten.
      if (++unitElements > MAX_UNIT_ELEMENTS) fail(`the <${unit.name}> starting at line ${unit.line} holds more than ${count(MAX_UNIT_ELEMENTS)} elements`);
      stack.at(-1)!.children.push(element);
    }
    stack.push(element);
    if (tag.local === 'embed' && unit) {
      const stream = new PassThrough();
      element.embedded = options.sink(stream);
      // A sink that fails (disk full) takes no more: the stream is closed, so the reader neither
      // waits for it to drain nor feeds it; the failure is met when the unit awaits the file.
      element.embedded.catch(() => stream.destroy());
      if (tag.isSelfClosing) stream.end();
      else embed = { element, stream, decoder: base64Decoder() };
    }
  });
  const onText = (text: string) => {
    if (embed) {
      // A sink that failed has said so through its promise; the rest of its data goes nowhere.
      const bytes = embed.decoder.push(text);
      if (bytes && !embed.stream.destroyed) embed.stream.write(bytes);
      return;
    }
    if (!unit || stack.length === 0) return;
    const element = stack.at(-1)!;
    if (element.text.length + text.length > MAX_FIELD_CHARS) fail(`the text of <${element.name}> is longer than ${count(MAX_FIELD_CHARS)} characters`);
    unitChars += text.length;
    if (unitChars > MAX_UNIT_TEXT_CHARS) fail(`the <${unit.name}> starting at line ${unit.line} holds more than ${count(MAX_UNIT_TEXT_CHARS)} characters of text`);
    element.text += text;
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', () => {
    const element = stack.pop()!;
    if (embed && element === embed.element) {
      const rest = embed.decoder.end();
      if (rest && !embed.stream.destroyed) embed.stream.write(rest);
      embed.stream.end();
      embed = undefined;
    }
    if (element === unit) {
      ready.push(element);
      unit = undefined;
    }
  });

  // saxes gathers a text (a name, an attribute…) until it ends. Inside an <embed> that would be a
  // whole file as one string, so after each piece its gathered text is taken away and decoded;
  // anywhere else, what it has gathered is measured after each piece.
  const pending = () => internals.text.length + internals.name.length + internals.piTarget.length + internals.entity.length;
  let pieces = 0;
  try {
    for await (const chunk of input.setEncoding('utf8') as AsyncIterable<string>) {
      for (let offset = 0; offset < chunk.length; offset += CHUNK_CHARS) {
        parser.write(chunk.slice(offset, offset + CHUNK_CHARS));
        if (embed && internals.text.length > 0) {
          onText(internals.text);
          internals.text = '';
        }
        if (pending() > MAX_FIELD_CHARS) fail(`a text, name or comment${where()} is longer than ${count(MAX_FIELD_CHARS)} characters`);
        checkAttributes(internals.attribList);
        if (embed && embed.stream.writableNeedDrain && !embed.stream.destroyed) await drained(embed.stream);
        while (ready.length > 0) yield ready.shift()!;
        pieces++;
      }
    }
    if (pieces === 0) throw new NativeXmlError('the file is empty');
    parser.close();
    if (root === undefined) throw new NativeXmlError('no root element: the file holds no XML document');
    while (ready.length > 0) yield ready.shift()!;
  } finally {
    // A document that stops inside an <embed> leaves its sink waiting: it fails, and takes back what it wrote.
    embed?.stream.destroy(new Error('the document ended inside an <embed>'));
  }
}

/** The child elements called `name`. */
export function childrenNamed(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((c) => c.name === name);
}

export function childNamed(element: XmlElement, name: string): XmlElement | undefined {
  return element.children.find((c) => c.name === name);
}
