import { AnonymizeError } from './errors.ts';
import { rewriteXml, type XmlAttribute, type XmlRules } from './xml.ts';
import { readZip, writeZip, ZIP_LIMITS, type ZipEntry } from './zip.ts';

/**
 * Office documents (OOXML: DOCX, XLSX, PPTX; ODF: ODT, ODS, ODP) without who wrote them: the
 * document's properties (creator, last modified by, company, manager, template, custom properties),
 * the people behind comments and tracked changes, and the parts that list people, all go; the text
 * stays as it is. Each XML part is parsed and written again (xml.ts); a part with nothing to take
 * out keeps its exact bytes.
 */

const DC = 'http://purl.org/dc/elements/1.1/';
const CORE = ['http://schemas.openxmlformats.org/package/2006/metadata/core-properties', 'http://purl.oclc.org/ooxml/officeDocument/metadata/core-properties'];
const APP = ['http://schemas.openxmlformats.org/officeDocument/2006/extended-properties', 'http://purl.oclc.org/ooxml/officeDocument/extendedProperties'];
const RELS = 'http://schemas.openxmlformats.org/package/2006/relationships';
const CONTENT_TYPES = 'http://schemas.openxmlformats.org/package/2006/content-types';
const META = 'urn:oasis:names:tc:opendocument:xmlns:meta:1.0';
const TEXT = 'urn:oasis:names:tc:opendocument:xmlns:text:1.0';
const MANIFEST = 'urn:oasis:names:tc:opendocument:xmlns:manifest:1.0';
/** Word's main namespaces (transitional and strict): `author` and `initials` of tracked changes and comments. */
const isWord = (uri: string) => uri.endsWith('/wordprocessingml/2006/main') || uri === 'http://purl.oclc.org/ooxml/wordprocessingml/main';
const isSheet = (uri: string) => uri.endsWith('/spreadsheetml/2006/main') || uri === 'http://purl.oclc.org/ooxml/spreadsheetml/main';
const isPresentation = (uri: string) => uri.includes('/presentationml/') || uri.includes('/office/powerpoint/');

/** What a person's name becomes where a document needs one (a tracked change's author). */
const NEUTRAL_AUTHOR = 'Author';
const NEUTRAL_INITIALS = 'A';

/** OOXML parts that are only about people: they go, with the relationships and content types naming them. */
const OOXML_PEOPLE_PARTS = [/^docProps\/custom\.xml$/, /^word\/people\.xml$/, /^xl\/persons\/[^/]+\.xml$/];

const ooxmlRules: XmlRules = {
  blank: ({ uri, local }) =>
    (uri === DC && (local === 'creator' || local === 'contributor')) ||
    (CORE.includes(uri) && local === 'lastModifiedBy') ||
    (APP.includes(uri) && ['Company', 'Manager', 'Template', 'HyperlinkBase'].includes(local)) ||
    // A spreadsheet's comment authors (xl/comments*.xml).
    (isSheet(uri) && local === 'author'),
  // Word's template, linked by a path on the author's computer.
  drop: ({ uri, local }) => isWord(uri) && local === 'attachedTemplate',
  attribute: (element, attribute) => {
    if (isWord(attribute.uri) && attribute.local === 'author') return NEUTRAL_AUTHOR;
    if (isWord(attribute.uri) && attribute.local === 'initials') return NEUTRAL_INITIALS;
    // PowerPoint's comment authors (ppt/commentAuthors.xml, ppt/authors.xml): attributes without a namespace.
    if (isPresentation(element.uri) && (element.local === 'cmAuthor' || element.local === 'author') && attribute.uri === '') {
      if (attribute.local === 'name') return NEUTRAL_AUTHOR;
      if (attribute.local === 'initials') return NEUTRAL_INITIALS;
      if (attribute.local === 'userId' || attribute.local === 'providerId') return '';
    }
    return undefined;
  },
};

const odfRules: XmlRules = {
  // dc:creator is the document's last author (meta.xml), a tracked change's and an annotation's author (content.xml).
  blank: ({ uri, local }) =>
    (uri === DC && (local === 'creator' || local === 'contributor')) ||
    (uri === META && (local === 'initial-creator' || local === 'printed-by' || local === 'creator-initials')) ||
    // Fields showing the author's or sender's name (text:author-name, text:sender-email…).
    (uri === TEXT && (local === 'author-name' || local === 'author-initials' || local.startsWith('sender-'))) ||
    (uri.includes('libreoffice.org') && local === 'sender-initials'),
  drop: ({ uri, local }) => uri === META && (local === 'user-defined' || local === 'template'),
};

/** A part's path from a relationship's target (relative to the part the .rels file describes). */
function relationshipTarget(relsPath: string, target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  const source = relsPath.replace(/_rels\/([^/]*)\.rels$/, '$1');
  const segments = source.split('/').slice(0, -1);
  for (const segment of target.split('/')) {
    if (segment === '..') segments.pop();
    else if (segment !== '.' && segment !== '') segments.push(segment);
  }
  return segments.join('/');
}

const isXmlPart = (name: string) => /\.(xml|rels)$/i.test(name);

/** Office documents embedded in one (a chart's workbook, a pasted document) are taken apart this deep. */
const MAX_EMBEDDING_DEPTH = 2;
const EMBEDDED_OOXML = /\/embeddings\/[^/]+\.(docx|xlsx|pptx)$/i;

export function stripOoxml(bytes: Uint8Array, depth = 0, budget = { bytesLeft: ZIP_LIMITS.totalBytes }): { bytes: Uint8Array; removed: string[] } {
  const entries = readZip(bytes, ZIP_LIMITS, budget);
  if (!entries.some((e) => e.name === '[Content_Types].xml')) throw new AnonymizeError('unreadable', 'an Office document without [Content_Types].xml');
  const gone = new Set(entries.filter((e) => OOXML_PEOPLE_PARTS.some((p) => p.test(e.name))).map((e) => e.name));
  const removed: string[] = [...gone].sort();
  const kept: ZipEntry[] = [];
  for (const entry of entries) {
    if (gone.has(entry.name)) continue;
    if (EMBEDDED_OOXML.test(entry.name)) {
      // An embedded document has its own properties and comments; one nested deeper than this is refused.
      if (depth >= MAX_EMBEDDING_DEPTH) throw new AnonymizeError('unreadable', `${entry.name} nests documents too deeply`);
      const inner = stripOoxml(entry.data, depth + 1, budget);
      for (const what of inner.removed) removed.push(`${entry.name} › ${what}`);
      kept.push(inner.removed.length > 0 ? { ...entry, data: inner.bytes } : entry);
      continue;
    }
    if (!isXmlPart(entry.name)) {
      kept.push(entry);
      continue;
    }
    // Relationships and content types that name a part taken out go with it.
    const rules: XmlRules = entry.name.endsWith('.rels')
      ? { drop: relationshipsGone(entry.name, gone) }
      : entry.name === '[Content_Types].xml'
        ? { drop: (element, attributes) => element.uri === CONTENT_TYPES && element.local === 'Override' && gone.has(valueOf(attributes, 'PartName').replace(/^\//, '')) }
        : ooxmlRules;
    kept.push(rewritten(entry, rules, removed));
  }
  return { bytes: writeZip(kept), removed };
}

export function stripOdf(bytes: Uint8Array): { bytes: Uint8Array; removed: string[] } {
  const entries = readZip(bytes);
  if (entries[0]?.name !== 'mimetype') throw new AnonymizeError('unreadable', 'an OpenDocument file whose first entry is not its mimetype');
  const manifest = entries.find((e) => e.name === 'META-INF/manifest.xml');
  if (manifest) {
    let encrypted = false;
    rewriteXml(manifest.data, manifest.name, { seen: ({ uri, local }) => void (encrypted ||= uri === MANIFEST && local === 'encryption-data') });
    if (encrypted) throw new AnonymizeError('encrypted', 'the OpenDocument file is password-protected');
  }
  const removed: string[] = [];
  // The mimetype entry stays first and stored, as ODF requires.
  const kept = entries.map((entry, i) => (i === 0 ? { ...entry, stored: true } : isXmlPart(entry.name) && entry.name !== 'META-INF/manifest.xml' ? rewritten(entry, odfRules, removed) : entry));
  return { bytes: writeZip(kept), removed };
}

const valueOf = (attributes: readonly XmlAttribute[], local: string) => attributes.find((a) => a.uri === '' && a.local === local)?.value ?? '';

/** A relationship to a part taken out, or to the template on the author's computer (Word's attachedTemplate). */
function relationshipsGone(relsPath: string, gone: ReadonlySet<string>): XmlRules['drop'] {
  return (element, attributes) => {
    if (element.uri !== RELS || element.local !== 'Relationship') return false;
    if (valueOf(attributes, 'Type').endsWith('/attachedTemplate')) return true;
    return valueOf(attributes, 'TargetMode') !== 'External' && gone.has(relationshipTarget(relsPath, valueOf(attributes, 'Target')));
  };
}

function rewritten(entry: ZipEntry, rules: XmlRules, removed: string[]): ZipEntry {
  const result = rewriteXml(entry.data, entry.name, rules);
  if (!result) return entry;
  for (const what of result.removed) removed.push(`${entry.name}: ${what}`);
  return { ...entry, data: result.bytes };
}
