import { zipSync, strToU8, unzipSync } from 'fflate';
import { PDFDocument, PDFName, PDFRawStream, PDFString, StandardFonts, decodePDFRawStream } from 'pdf-lib';
import assert from 'node:assert/strict';

/**
 * Documents written by an author who left their name, email and affiliation in every place office
 * programs put them: what anonymisation for double-anonymous review must take out.
 */
export const AUTHOR = { name: 'Anna Nowakowska', email: 'anna.nowakowska@uw.edu.pl', affiliation: 'Uniwersytet Warszawski' } as const;
/** The article's text: it names nobody, as an anonymised manuscript should. */
export const ARTICLE_TEXT = 'Borders and trade in the Baltic region, 1990-2020.';
export const ARTICLE_TITLE = 'Borders and trade';

const xmp = (who: string) => `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
<dc:creator><rdf:Seq><rdf:li>${who}</rdf:li></rdf:Seq></dc:creator><pdf:Producer>${AUTHOR.affiliation}</pdf:Producer>
<dc:rights>${AUTHOR.email}</dc:rights></rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>`;

/**
 * A PDF with Author, Creator and Producer, an XMP packet on the catalog and on the page, an annotation
 * by the author, saved with compressed object streams; then an incremental update that replaces the
 * information dictionary (author "Anonymous") and leaves the old one, with the name, in the file.
 */
export async function authoredPdf(): Promise<Uint8Array> {
  const document = await PDFDocument.create({ updateMetadata: false });
  const font = await document.embedFont(StandardFonts.Helvetica);
  const page = document.addPage([400, 200]);
  page.drawText(ARTICLE_TEXT, { x: 20, y: 100, size: 10, font });
  document.setTitle(ARTICLE_TITLE);
  document.setAuthor(AUTHOR.name);
  document.setCreator(`Microsoft Word - ${AUTHOR.name}.docx`);
  document.setProducer(AUTHOR.affiliation);
  document.setSubject('Economic history');
  document.setKeywords(['borders', 'trade']);
  const context = document.context;
  const packet = (who: string) => context.register(context.flateStream(xmp(who), { Type: 'Metadata', Subtype: 'XML' }));
  document.catalog.set(PDFName.of('Metadata'), packet(AUTHOR.name));
  page.node.set(PDFName.of('Metadata'), packet(AUTHOR.email));
  const note = context.register(context.obj({ Type: 'Annot', Subtype: 'Text', Rect: [10, 10, 30, 30], Contents: PDFString.of('See table 2.'), T: PDFString.of(AUTHOR.name) }));
  page.node.set(PDFName.of('Annots'), context.obj([note]));
  const base = await document.save({ useObjectStreams: true, addDefaultPage: false });

  // The incremental update, written as a program appends one: a new Info object, an xref section for it, a trailer pointing back.
  const tail = Buffer.from(base.subarray(Math.max(0, base.length - 64))).toString('latin1');
  const previous = Number(/startxref\s+(\d+)/.exec(tail)![1]);
  const reparsed = await PDFDocument.load(base, { updateMetadata: false });
  // The next free number is the base's /Size (its object and xref streams are numbered too).
  const size = Number([...Buffer.from(base).toString('latin1').matchAll(/\/Size (\d+)/g)].at(-1)![1]);
  const root = reparsed.context.trailerInfo.Root!.toString();
  const start = base.length + 1;
  const object = `${size} 0 obj\n<< /Title (${ARTICLE_TITLE}) /Author (Anonymous) >>\nendobj\n`;
  const xrefAt = start + object.length;
  const update = `\n${object}xref\n0 1\n0000000000 65535 f \n${size} 1\n${String(start).padStart(10, '0')} 00000 n \ntrailer\n<< /Size ${size + 1} /Root ${root} /Info ${size} 0 R /Prev ${previous} >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return Buffer.concat([base, Buffer.from(update, 'latin1')]);
}

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';

/** A DOCX with core and app properties, custom properties, a comment, a tracked change and a people part, all by the author. */
export function authoredDocx(): Uint8Array {
  const files: Record<string, Uint8Array> = {
    '[Content_Types].xml': strToU8(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/comments.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"/><Override PartName="/word/people.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.people+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/><Override PartName="/docProps/custom.xml" ContentType="application/vnd.openxmlformats-officedocument.custom-properties+xml"/></Types>`),
    '_rels/.rels': strToU8(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/><Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties" Target="docProps/custom.xml"/></Relationships>`),
    'docProps/core.xml': strToU8(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>${ARTICLE_TITLE}</dc:title><dc:creator>${AUTHOR.name}</dc:creator><cp:lastModifiedBy>${AUTHOR.email}</cp:lastModifiedBy><cp:revision>3</cp:revision><dcterms:created xsi:type="dcterms:W3CDTF">2026-11-02T10:00:00Z</dcterms:created></cp:coreProperties>`),
    'docProps/app.xml': strToU8(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Template>C:\\Users\\${AUTHOR.name}\\Normal.dotm</Template><Application>Microsoft Office Word</Application><Company>${AUTHOR.affiliation}</Company><Manager>${AUTHOR.name}</Manager><Pages>1</Pages></Properties>`),
    'docProps/custom.xml': strToU8(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="Affiliation"><vt:lpwstr>${AUTHOR.affiliation}</vt:lpwstr></property></Properties>`),
    'word/_rels/document.xml.rels': strToU8(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments" Target="comments.xml"/><Relationship Id="rId2" Type="http://schemas.microsoft.com/office/2011/relationships/people" Target="people.xml"/></Relationships>`),
    'word/document.xml': strToU8(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="${W}"><w:body><w:p><w:commentRangeStart w:id="0"/><w:r><w:t xml:space="preserve">${ARTICLE_TEXT} </w:t></w:r><w:ins w:id="1" w:author="${AUTHOR.name}" w:date="2026-11-02T10:00:00Z"><w:r><w:t>Tables &amp; figures follow.</w:t></w:r></w:ins><w:commentRangeEnd w:id="0"/><w:r><w:commentReference w:id="0"/></w:r></w:p></w:body></w:document>`),
    'word/comments.xml': strToU8(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:comments xmlns:w="${W}"><w:comment w:id="0" w:author="${AUTHOR.name}" w:initials="AN" w:date="2026-11-02T10:00:00Z"><w:p><w:r><w:t>Check the 1995 figures.</w:t></w:r></w:p></w:comment></w:comments>`),
    'word/people.xml': strToU8(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w15:people xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml"><w15:person w15:author="${AUTHOR.name}"><w15:presenceInfo w15:providerId="AD" w15:userId="${AUTHOR.email}"/></w15:person></w15:people>`),
  };
  return zipSync(files);
}

const ODF_NS = 'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" xmlns:xlink="http://www.w3.org/1999/xlink"';

/** An ODT with the author in meta.xml (creator, initial creator, a user-defined field, the template), an annotation and a tracked change. */
export function authoredOdt(): Uint8Array {
  return zipSync({
    mimetype: [strToU8('application/vnd.oasis.opendocument.text'), { level: 0 }],
    'META-INF/manifest.xml': strToU8(`<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/><manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/></manifest:manifest>`),
    'meta.xml': strToU8(`<?xml version="1.0" encoding="UTF-8"?>
<office:document-meta ${ODF_NS} office:version="1.3"><office:meta><dc:title>${ARTICLE_TITLE}</dc:title><meta:initial-creator>${AUTHOR.name}</meta:initial-creator><dc:creator>${AUTHOR.email}</dc:creator><meta:template xlink:type="simple" xlink:href="/home/${AUTHOR.name}/article.ott" xlink:title="${AUTHOR.name}"/><meta:user-defined meta:name="Affiliation">${AUTHOR.affiliation}</meta:user-defined><meta:editing-cycles>4</meta:editing-cycles></office:meta></office:document-meta>`),
    'content.xml': strToU8(`<?xml version="1.0" encoding="UTF-8"?>
<office:document-content ${ODF_NS} office:version="1.3"><office:body><office:text><text:tracked-changes><text:changed-region text:id="ct1"><text:insertion><office:change-info><dc:creator>${AUTHOR.name}</dc:creator><dc:date>2026-11-02T10:00:00</dc:date></office:change-info></text:insertion></text:changed-region></text:tracked-changes><text:p>${ARTICLE_TEXT}<office:annotation><dc:creator>${AUTHOR.name}</dc:creator><meta:creator-initials>AN</meta:creator-initials><text:p>Check the 1995 figures.</text:p></office:annotation> <text:change-start text:change-id="ct1"/>Tables &amp; figures follow.<text:change-end text:change-id="ct1"/></text:p></office:text></office:body></office:document-content>`),
  });
}

/** Every way a name may sit in a file's bytes: as is, in UTF-16, in a PDF hex string. */
function traces(text: string): Buffer[] {
  const utf16 = Buffer.from(text, 'utf16le').swap16();
  return [Buffer.from(text, 'utf8'), utf16, Buffer.from(Buffer.from(text).toString('hex').toUpperCase()), Buffer.from(Buffer.from(text).toString('hex')), Buffer.from(utf16.toString('hex').toUpperCase()), Buffer.from(utf16.toString('hex'))];
}

/** Asserts none of the author's name, email or affiliation (nor their surname alone) is in any of the byte strings. */
export function assertNoAuthor(parts: ReadonlyArray<{ where: string; bytes: Uint8Array }>): void {
  assertNoTraces(parts, [AUTHOR.name, 'Nowakowska', AUTHOR.email, AUTHOR.affiliation]);
}

/** Asserts none of these texts is in any of the byte strings, in any of the ways a file may hold them. */
export function assertNoTraces(parts: ReadonlyArray<{ where: string; bytes: Uint8Array }>, texts: readonly string[]): void {
  const needles = texts.flatMap(traces);
  for (const { where, bytes } of parts) {
    const haystack = Buffer.from(bytes);
    for (const needle of needles) assert.equal(haystack.indexOf(needle), -1, `${where} still holds ${JSON.stringify(needle.toString('latin1').slice(0, 40))}`);
  }
}

/**
 * A PDF's bytes as they are, every object written out (those read from compressed object streams
 * too), and every stream decompressed.
 */
export async function pdfParts(bytes: Uint8Array): Promise<Array<{ where: string; bytes: Uint8Array }>> {
  const parts = [{ where: 'the file', bytes }];
  const document = await PDFDocument.load(bytes, { updateMetadata: false });
  parts.push({ where: 'the trailer', bytes: Buffer.from(Object.values(document.context.trailerInfo).map(String).join(' ')) });
  for (const [ref, object] of document.context.enumerateIndirectObjects()) {
    if (object instanceof PDFRawStream) parts.push({ where: `stream ${ref.toString()}`, bytes: decodePDFRawStream(object).decode() }, { where: `object ${ref.toString()}`, bytes: Buffer.from(object.dict.toString(), 'latin1') });
    else parts.push({ where: `object ${ref.toString()}`, bytes: Buffer.from(object.toString(), 'latin1') });
  }
  return parts;
}

/** A ZIP's bytes as they are and every entry unpacked. */
export function zipParts(bytes: Uint8Array): Array<{ where: string; bytes: Uint8Array }> {
  return [{ where: 'the archive', bytes }, ...Object.entries(unzipSync(bytes)).map(([name, data]) => ({ where: name, bytes: data }))];
}
