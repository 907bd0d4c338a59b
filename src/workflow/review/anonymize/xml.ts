import { SaxesParser, type SaxesAttributeNS, type SaxesTagNS } from 'saxes';
import { AnonymizeError } from './errors.ts';

/** An element or attribute by its namespace and local name (prefixes vary from writer to writer). */
export interface XmlName {
  uri: string;
  local: string;
}

/** What to take out of one XML part; each rule answers for one element or attribute. */
export interface XmlRules {
  /** Leave the element out, with everything in it. */
  drop?(element: XmlName, attributes: readonly XmlAttribute[]): boolean;
  /** Keep the element, empty. */
  blank?(element: XmlName): boolean;
  /** A new value for the attribute (null: leave it out; undefined: keep it). */
  attribute?(element: XmlName, attribute: XmlAttribute): string | null | undefined;
  /** Told of every element read (a check that looks for one). */
  seen?(element: XmlName): void;
}

export type XmlAttribute = XmlName & { value: string };

/** Deeper than this, an office document's XML is not one a person wrote (and a parser's stack is at risk). */
export const MAX_XML_DEPTH = 256;

const textEscapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#13;' };
const attributeEscapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;' };
const escapeText = (text: string) => text.replace(/[&<>\r]/g, (c) => textEscapes[c]!);
const escapeAttribute = (text: string) => text.replace(/[&<>"\t\n\r]/g, (c) => attributeEscapes[c]!);

function decode(bytes: Uint8Array, part: string): string {
  try {
    if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be', { fatal: true }).decode(bytes);
    if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le', { fatal: true }).decode(bytes);
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new AnonymizeError('unreadable', `${part} is not text in UTF-8 or UTF-16`);
  }
}

/**
 * Rewrites an XML part by parsing it (saxes, with namespaces) and writing it out again with what the
 * rules take out; every other element, attribute, text, comment and instruction stays as it was read.
 * Returns undefined when nothing was taken out (the part's bytes are kept exactly), otherwise the
 * new part (UTF-8) and what went, named `prefix:local` (never the values: they are what is hidden).
 * A document type declaration is refused: office formats never have one, and it is how entity tricks begin.
 */
export function rewriteXml(bytes: Uint8Array, part: string, rules: XmlRules): { bytes: Uint8Array; removed: string[] } | undefined {
  const parser = new SaxesParser({ xmlns: true, position: false });
  const out: string[] = [];
  const removed = new Set<string>();
  let depth = 0;
  // The element being dropped (nothing of it written) or blanked (its tags written, not its content).
  let skip: { depth: number; kind: 'drop' | 'blank'; name: string; hadContent: boolean } | undefined;
  let failure: Error | undefined;

  parser.on('xmldecl', (decl) => {
    out.push(`<?xml version="${decl.version ?? '1.0'}" encoding="UTF-8"${decl.standalone ? ` standalone="${decl.standalone}"` : ''}?>`);
  });
  parser.on('doctype', () => {
    failure ??= new AnonymizeError('unreadable', `${part} declares a document type`);
  });
  parser.on('processinginstruction', (pi) => {
    if (!skip) out.push(`<?${pi.target}${pi.body ? ` ${pi.body}` : ''}?>`);
  });
  parser.on('comment', (text) => {
    if (!skip) out.push(`<!--${text}-->`);
  });
  parser.on('text', (text) => {
    if (!skip) out.push(escapeText(text));
    else if (text.trim() !== '') skip.hadContent = true;
  });
  parser.on('cdata', (text) => {
    if (!skip) out.push(`<![CDATA[${text}]]>`);
    else if (text !== '') skip.hadContent = true;
  });
  parser.on('opentag', (tag: SaxesTagNS) => {
    depth++;
    if (depth > MAX_XML_DEPTH) failure ??= new AnonymizeError('unreadable', `${part} nests elements deeper than ${MAX_XML_DEPTH}`);
    if (skip) {
      skip.hadContent = true;
      rules.seen?.({ uri: tag.uri, local: tag.local });
      return;
    }
    const element = { uri: tag.uri, local: tag.local };
    rules.seen?.(element);
    const attributeList = Object.values(tag.attributes) as SaxesAttributeNS[];
    if (rules.drop?.(element, attributeList.map((a) => ({ uri: a.uri, local: a.local, value: a.value })))) {
      skip = { depth, kind: 'drop', name: tag.name, hadContent: true };
      return;
    }
    let attributes = '';
    for (const attribute of attributeList) {
      const value = rules.attribute?.(element, { uri: attribute.uri, local: attribute.local, value: attribute.value });
      if (value !== undefined && value !== attribute.value) removed.add(`${tag.name}/@${attribute.name}`);
      if (value !== null) attributes += ` ${attribute.name}="${escapeAttribute(value ?? attribute.value)}"`;
    }
    out.push(`<${tag.name}${attributes}${tag.isSelfClosing ? '/>' : '>'}`);
    if (!tag.isSelfClosing && rules.blank?.(element)) skip = { depth, kind: 'blank', name: tag.name, hadContent: false };
  });
  parser.on('closetag', (tag: SaxesTagNS) => {
    if (skip && depth === skip.depth) {
      if (skip.hadContent) removed.add(skip.name);
      if (skip.kind === 'blank') out.push(`</${tag.name}>`);
      skip = undefined;
    } else if (!skip && !tag.isSelfClosing) out.push(`</${tag.name}>`);
    depth--;
  });
  parser.on('error', (error) => {
    failure ??= new AnonymizeError('unreadable', `${part} is not well-formed XML: ${error.message}`);
  });
  try {
    parser.write(decode(bytes, part)).close();
  } catch (error) {
    failure ??= new AnonymizeError('unreadable', `${part} is not well-formed XML: ${(error as Error).message}`);
  }
  if (failure) throw failure;
  if (removed.size === 0) return undefined;
  return { bytes: new TextEncoder().encode(out.join('')), removed: [...removed].sort() };
}
