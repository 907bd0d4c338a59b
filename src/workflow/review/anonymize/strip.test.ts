import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { PDFDocument, PDFDict, PDFName, PDFString } from 'pdf-lib';
import { ARTICLE_TEXT, ARTICLE_TITLE, AUTHOR, assertNoAuthor, authoredDocx, authoredOdt, authoredPdf, pdfParts, zipParts } from '../../../../test/support/authored-documents.ts';
import { AnonymizeError } from './errors.ts';
import { stripMetadata } from './strip.ts';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const ODT = 'application/vnd.oasis.opendocument.text';

async function pdfText(bytes: Uint8Array): Promise<{ text: string; info: Record<string, unknown>; xmp: unknown; pages: number }> {
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const document = await getDocument({ data: new Uint8Array(bytes), verbosity: 0, isEvalSupported: false, disableFontFace: true, useSystemFonts: false, stopAtErrors: true }).promise;
  try {
    const page = await document.getPage(1);
    const content = await page.getTextContent();
    const { info, metadata } = await document.getMetadata();
    return { text: content.items.map((item) => ('str' in item ? item.str : '')).join(''), info: info as Record<string, unknown>, xmp: metadata, pages: document.numPages };
  } finally {
    await document.destroy();
  }
}

const refusal = async (promise: Promise<unknown>, reason: AnonymizeError['reason']) => {
  await assert.rejects(promise, (error: unknown) => error instanceof AnonymizeError && error.reason === reason);
};

const text = (data: Uint8Array | undefined) => new TextDecoder().decode(data);
/** The words of a document part: its text nodes, in order. */
const words = (xml: string, element: string) => [...xml.matchAll(new RegExp(`<${element}[^>]*>([^<]*)</${element}>`, 'g'))].map((m) => m[1]).join('');

describe('stripMetadata', () => {
  it('takes the author out of a PDF: information, XMP on catalog and page, annotation author, the earlier revision', async () => {
    const original = await authoredPdf();
    assert.ok(!Buffer.from(original).includes(AUTHOR.name), 'in the original the name is compressed…');
    const originalParts = await pdfParts(original);
    assert.throws(() => assertNoAuthor(originalParts), '…and found once decompressed');
    const before = await pdfText(original);
    assert.equal(before.info.Author, 'Anonymous', 'the update replaced the author; the old one is still in the file');

    const result = (await stripMetadata(original, 'application/pdf'))!;
    assertNoAuthor(await pdfParts(result.bytes));
    assert.ok(!Buffer.from(result.bytes).includes('/ObjStm'), 'written without object streams');
    assert.ok(!Buffer.from(result.bytes).includes('/Prev'), 'written whole, without the earlier revision');
    assert.deepEqual(result.removed, ['Info Author', 'XMP metadata', 'annotation author (T)', 'unreachable objects (earlier revisions, orphans)'].sort());

    const after = await pdfText(result.bytes);
    assert.equal(after.pages, 1);
    assert.equal(after.text, before.text);
    assert.ok(after.text.includes(ARTICLE_TEXT));
    assert.equal(after.info.Title, ARTICLE_TITLE, 'the article title stays');
    assert.equal(after.info.Author, undefined);
    assert.equal(after.info.Creator, undefined);
    assert.equal(after.info.Producer, undefined);
    assert.equal(after.xmp, null);
    const reread = await PDFDocument.load(result.bytes, { updateMetadata: false });
    const annotation = reread.getPage(0).node.Annots()!.lookup(0, PDFDict);
    assert.equal(annotation.get(PDFName.of('T')), undefined);
    assert.equal(annotation.lookup(PDFName.of('Contents'))?.toString(), '(See table 2.)', 'the note itself stays');
  });

  it('keeps only Title, Subject and Keywords of a PDF’s information (not a title made from a file name), and form fields’ names', async () => {
    const document = await PDFDocument.create({ updateMetadata: false });
    document.addPage([200, 200]);
    document.setTitle(`Microsoft Word - ${AUTHOR.name}.docx`);
    document.setAuthor(AUTHOR.name);
    document.setCreator('Writer');
    document.setProducer('LibreOffice 7.6');
    document.setSubject('Economic history');
    document.setKeywords(['borders']);
    document.context.lookup(document.context.trailerInfo.Info, PDFDict).set(PDFName.of('Company'), PDFString.of(AUTHOR.affiliation));
    document.getForm().createTextField('reviewer.notes').addToPage(document.getPage(0), { x: 10, y: 10, width: 100, height: 20 });
    const result = (await stripMetadata(await document.save(), 'application/pdf'))!;
    assertNoAuthor(await pdfParts(result.bytes));
    assert.deepEqual(result.removed.filter((r) => r.startsWith('Info ')), ['Info Author', 'Info Company', 'Info Creator', 'Info Producer', 'Info Title']);
    const reread = await PDFDocument.load(result.bytes, { updateMetadata: false });
    assert.equal(reread.getTitle(), undefined);
    assert.equal(reread.getSubject(), 'Economic history');
    assert.equal(reread.getKeywords(), 'borders');
    assert.deepEqual(reread.getForm().getFields().map((f) => f.getName()), ['reviewer.notes'], 'a form field keeps its name (/T)');
  });

  it('leaves out files attached to a PDF (often its source document)', async () => {
    const document = await PDFDocument.load(await authoredPdf(), { updateMetadata: false });
    await document.attach(authoredDocx(), 'source.docx', { mimeType: DOCX, description: AUTHOR.name });
    const result = (await stripMetadata(await document.save(), 'application/pdf'))!;
    assert.ok(result.removed.includes('embedded files'));
    assertNoAuthor(await pdfParts(result.bytes));
    const reread = await PDFDocument.load(result.bytes, { updateMetadata: false });
    assert.equal(reread.catalog.lookup(PDFName.of('Names'), PDFDict).get(PDFName.of('EmbeddedFiles')), undefined);
  });

  it('refuses an encrypted PDF and a damaged one, and a file over its size', async () => {
    const original = await authoredPdf();
    const document = await PDFDocument.load(original, { updateMetadata: false });
    document.context.trailerInfo.Encrypt = document.context.register(document.context.obj({ Filter: 'Standard', V: 2, R: 3, O: PDFName.of('x'), U: PDFName.of('y'), P: -4 }));
    await refusal(stripMetadata(await document.save(), 'application/pdf'), 'encrypted');
    await refusal(stripMetadata(strToU8('%PDF-1.7\nnot really'), 'application/pdf'), 'unreadable');
    await refusal(stripMetadata(original.subarray(0, 200), 'application/pdf'), 'unreadable');
    await refusal(stripMetadata(original, 'application/pdf', 1000), 'too-large');
  });

  it('takes the author out of a DOCX: properties, custom properties, comment and tracked change authors, people', async () => {
    const original = authoredDocx();
    assert.throws(() => assertNoAuthor(zipParts(original)));
    const result = (await stripMetadata(original, DOCX))!;
    assertNoAuthor(zipParts(result.bytes));
    const entries = unzipSync(result.bytes);
    assert.deepEqual(Object.keys(entries).sort(), ['[Content_Types].xml', '_rels/.rels', 'docProps/app.xml', 'docProps/core.xml', 'word/_rels/document.xml.rels', 'word/comments.xml', 'word/document.xml']);
    const before = unzipSync(original);
    assert.equal(words(text(entries['word/document.xml']), 'w:t'), words(text(before['word/document.xml']), 'w:t'), 'the text is the same');
    assert.equal(words(text(entries['word/comments.xml']), 'w:t'), 'Check the 1995 figures.', 'the comment stays, without its author');
    assert.match(text(entries['word/document.xml']), /<w:ins w:id="1" w:author="Author" w:date="2026-11-02T10:00:00Z">/);
    assert.match(text(entries['docProps/core.xml']), /<dc:title>Borders and trade<\/dc:title><dc:creator><\/dc:creator><cp:lastModifiedBy><\/cp:lastModifiedBy>/);
    assert.doesNotMatch(text(entries['[Content_Types].xml']), /custom\.xml|people\.xml/, 'no content type names a part taken out');
    assert.doesNotMatch(text(entries['_rels/.rels']), /custom\.xml/);
    assert.doesNotMatch(text(entries['word/_rels/document.xml.rels']), /people\.xml/);
    assert.match(text(entries['word/_rels/document.xml.rels']), /Target="comments.xml"/);
    assert.ok(result.removed.includes('docProps/custom.xml') && result.removed.includes('word/people.xml') && result.removed.includes('docProps/core.xml: dc:creator'), result.removed.join(', '));
    // A document embedded in another (an Excel chart's workbook, a pasted document) loses its author too.
    const host = unzipSync(original);
    host['word/embeddings/Microsoft_Word_Document.docx'] = new Uint8Array(original);
    const nested = (await stripMetadata(zipSync(host), DOCX))!;
    assertNoAuthor([...zipParts(nested.bytes), ...zipParts(unzipSync(nested.bytes)['word/embeddings/Microsoft_Word_Document.docx']!)]);
    assert.ok(nested.removed.includes('word/embeddings/Microsoft_Word_Document.docx › docProps/core.xml: dc:creator'), nested.removed.join(', '));
    // Nothing to take out: the same again, nothing more removed.
    assert.deepEqual((await stripMetadata(result.bytes, DOCX))!.removed, []);
  });

  it('takes the author out of an ODT, keeping mimetype first and stored', async () => {
    const original = authoredOdt();
    assert.throws(() => assertNoAuthor(zipParts(original)));
    const result = (await stripMetadata(original, ODT))!;
    assertNoAuthor(zipParts(result.bytes));
    const bytes = Buffer.from(result.bytes);
    // The first local header: stored (method 0), named mimetype, its content right after.
    assert.equal(bytes.readUInt32LE(0), 0x04034b50);
    assert.equal(bytes.readUInt16LE(8), 0, 'stored');
    assert.equal(bytes.toString('latin1', 30, 38), 'mimetype');
    assert.equal(bytes.toString('latin1', 30 + 8 + bytes.readUInt16LE(28), 30 + 8 + bytes.readUInt16LE(28) + 39), ODT);
    const entries = unzipSync(result.bytes);
    const content = text(entries['content.xml']);
    assert.equal(words(content, 'text:p').replace(/<[^>]+>/g, ''), words(text(unzipSync(original)['content.xml']), 'text:p').replace(/<[^>]+>/g, ''));
    assert.ok(content.includes(ARTICLE_TEXT) && content.includes('Tables &amp; figures follow.') && content.includes('Check the 1995 figures.'));
    assert.match(content, /<office:change-info><dc:creator><\/dc:creator><dc:date>2026-11-02T10:00:00<\/dc:date><\/office:change-info>/);
    const meta = text(entries['meta.xml']);
    assert.match(meta, /<dc:title>Borders and trade<\/dc:title><meta:initial-creator><\/meta:initial-creator><dc:creator><\/dc:creator><meta:editing-cycles>4<\/meta:editing-cycles>/);
    assert.deepEqual(entries['META-INF/manifest.xml'], unzipSync(original)['META-INF/manifest.xml'], 'the manifest is as it was');
  });

  it('takes comment authors out of XLSX and PPTX as well', async () => {
    const types = strToU8('<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/xl/persons/person.xml" ContentType="application/vnd.ms-excel.person+xml"/></Types>');
    const core = strToU8(`<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>${AUTHOR.name}</dc:creator></cp:coreProperties>`);
    const xlsx = zipSync({
      '[Content_Types].xml': types,
      'docProps/core.xml': core,
      'xl/comments1.xml': strToU8(`<comments xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><authors><author>${AUTHOR.name}</author></authors><commentList><comment ref="A1" authorId="0"><text><t>Source: GUS</t></text></comment></commentList></comments>`),
      'xl/persons/person.xml': strToU8(`<personList xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments"><person displayName="${AUTHOR.name}" id="{1}" userId="${AUTHOR.email}" providerId="AD"/></personList>`),
    });
    const sheet = (await stripMetadata(xlsx, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'))!;
    assertNoAuthor(zipParts(sheet.bytes));
    assert.deepEqual(Object.keys(unzipSync(sheet.bytes)).sort(), ['[Content_Types].xml', 'docProps/core.xml', 'xl/comments1.xml']);
    assert.match(text(unzipSync(sheet.bytes)['xl/comments1.xml']), /<author><\/author>.*Source: GUS/);

    const pptx = zipSync({
      '[Content_Types].xml': types,
      'docProps/core.xml': core,
      'ppt/commentAuthors.xml': strToU8(`<p:cmAuthorLst xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"><p:cmAuthor id="1" name="${AUTHOR.name}" initials="AN" lastIdx="1" clrIdx="0"/></p:cmAuthorLst>`),
    });
    const slides = (await stripMetadata(pptx, 'application/vnd.openxmlformats-officedocument.presentationml.presentation'))!;
    assertNoAuthor(zipParts(slides.bytes));
    assert.match(text(unzipSync(slides.bytes)['ppt/commentAuthors.xml']), /<p:cmAuthor id="1" name="Author" initials="A" lastIdx="1" clrIdx="0"\/>/);
  });

  it('refuses encrypted, damaged and bomb-like archives', async () => {
    const odt = unzipSync(authoredOdt());
    const encrypted = zipSync({
      mimetype: [odt.mimetype!, { level: 0 }],
      'META-INF/manifest.xml': strToU8('<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="content.xml"><manifest:encryption-data manifest:checksum="x"/></manifest:file-entry></manifest:manifest>'),
      'content.xml': strToU8('garbage'),
    });
    await refusal(stripMetadata(encrypted, ODT), 'encrypted');
    await refusal(stripMetadata(Buffer.from('d0cf11e0a1b11ae1000000000000', 'hex'), DOCX), 'encrypted');
    await refusal(stripMetadata(strToU8('PK not a zip'), DOCX), 'unreadable');
    // Declared small, unpacking large: stopped at the declared size.
    const bomb = Buffer.from(zipSync({ '[Content_Types].xml': new Uint8Array(4 * 1024 * 1024) }));
    const central = bomb.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    bomb.writeUInt32LE(1000, central + 24);
    bomb.writeUInt32LE(1000, 22);
    await refusal(stripMetadata(bomb, DOCX), 'unreadable');
    const many = Object.fromEntries(Array.from({ length: 5001 }, (_, i) => [`f${i}.txt`, new Uint8Array(0)]));
    await refusal(stripMetadata(zipSync(many), DOCX), 'too-large');
    const deep = zipSync({ '[Content_Types].xml': strToU8(`${'<a>'.repeat(300)}${'</a>'.repeat(300)}`) });
    await refusal(stripMetadata(deep, DOCX), 'unreadable');
    const doctype = zipSync({ '[Content_Types].xml': strToU8('<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>') });
    await refusal(stripMetadata(doctype, DOCX), 'unreadable');
  });

  it('leaves other types to be served as they are', async () => {
    assert.equal(await stripMetadata(strToU8('a,b\n1,2'), 'text/csv'), undefined);
    assert.equal(await stripMetadata(new Uint8Array(8), 'image/png'), undefined);
    assert.equal(AUTHOR.name.length > 0, true);
  });
});
