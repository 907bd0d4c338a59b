import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRef, PDFStream, PDFString, PDFHexString, type PDFObject } from 'pdf-lib';
import { AnonymizeError } from './errors.ts';

/**
 * A PDF without who wrote it. What goes:
 * - the document information dictionary, all of it but Title, Subject and Keywords (the article's
 *   own, which reviewers see anyway): Author, Creator and Producer (a program's name carries the
 *   source file's: "Microsoft Word - nowak-draft.docx"), dates, and any custom entry (Company, SourceModified…);
 *   a Title that is a file name ("Microsoft Word - nowak.docx", "draft_nowak.tex") goes too;
 * - every XMP metadata stream: the catalog's, pages', images', fonts' (/Metadata), and any stream typed /Metadata;
 * - application data (/PieceInfo) wherever it is;
 * - the author (/T) of every annotation but form fields (a widget's /T is its field's name);
 * - attached files (the EmbeddedFiles name tree, associated files /AF, file attachment annotations'
 *   files): often the source document, with all its properties;
 * - everything no longer reachable from the document: objects an incremental update replaced (the old
 *   Info with the old author, the old XMP), dropped by rewriting the file whole, without object
 *   streams and without the earlier revisions.
 * An encrypted or damaged PDF is refused (AnonymizeError), never passed through.
 */
export async function stripPdf(bytes: Uint8Array): Promise<{ bytes: Uint8Array; removed: string[] }> {
  let document: PDFDocument;
  try {
    // Loaded even when encrypted, so that encryption is told apart from damage.
    document = await PDFDocument.load(bytes, { updateMetadata: false, throwOnInvalidObject: true, ignoreEncryption: true });
  } catch (error) {
    throw new AnonymizeError('unreadable', `the PDF could not be read: ${(error as Error).message}`);
  }
  if (document.isEncrypted) throw new AnonymizeError('encrypted', 'the PDF is encrypted');
  const context = document.context;
  // A catalog without a page tree makes pdf-lib throw plain errors: damage too.
  const pages = (() => {
    try {
      return context.lookup(context.trailerInfo.Root) instanceof PDFDict ? document.getPageCount() : 0;
    } catch {
      return 0;
    }
  })();
  if (pages === 0) throw new AnonymizeError('unreadable', 'the PDF has no pages');
  const removed = new Set<string>();

  // The information dictionary, rebuilt with only what is the article's.
  const oldInfo = context.trailerInfo.Info ? context.lookup(context.trailerInfo.Info) : undefined;
  const info = context.obj({});
  if (oldInfo instanceof PDFDict) {
    for (const [key, value] of oldInfo.entries()) {
      const name = key.decodeText();
      const keep = ['Title', 'Subject', 'Keywords'].includes(name) && !(name === 'Title' && looksLikeFileName(value));
      if (keep) info.set(key, value);
      else removed.add(`Info ${name}`);
    }
  }
  // The old dictionary goes as such, not counted among what the document no longer reaches.
  if (context.trailerInfo.Info instanceof PDFRef) context.delete(context.trailerInfo.Info);
  context.trailerInfo.Info = context.register(info);

  // Every object, reached or not: metadata streams and keys, application data, annotation authors.
  const NAME = { Metadata: PDFName.of('Metadata'), Type: PDFName.of('Type'), PieceInfo: PDFName.of('PieceInfo'), Annot: PDFName.of('Annot'), Subtype: PDFName.of('Subtype'), Widget: PDFName.of('Widget'), T: PDFName.of('T'), Annots: PDFName.of('Annots'), AF: PDFName.of('AF'), FS: PDFName.of('FS'), FileAttachment: PDFName.of('FileAttachment'), Names: PDFName.of('Names'), EmbeddedFiles: PDFName.of('EmbeddedFiles') };
  const stripDict = (dict: PDFDict) => {
    if (dict.has(NAME.Metadata)) {
      dict.delete(NAME.Metadata);
      removed.add('XMP metadata');
    }
    if (dict.has(NAME.PieceInfo)) {
      dict.delete(NAME.PieceInfo);
      removed.add('PieceInfo');
    }
    // Files attached to the document (often its source, with every property this takes out of Office files).
    if (dict.has(NAME.AF) || (dict.get(NAME.Subtype) === NAME.FileAttachment && dict.has(NAME.FS))) {
      dict.delete(NAME.AF);
      if (dict.get(NAME.Subtype) === NAME.FileAttachment) dict.delete(NAME.FS);
      removed.add('embedded files');
    }
  };
  const annotationAuthor = (value: PDFObject | undefined) => {
    const annotation = value instanceof PDFRef ? context.lookup(value) : value;
    if (!(annotation instanceof PDFDict) || annotation.get(NAME.Subtype) === NAME.Widget || !annotation.has(NAME.T)) return;
    annotation.delete(NAME.T);
    removed.add('annotation author (T)');
  };
  for (const [ref, object] of context.enumerateIndirectObjects()) {
    const dict = object instanceof PDFStream ? object.dict : object instanceof PDFDict ? object : undefined;
    if (!dict) continue;
    if (dict.get(NAME.Type) === NAME.Metadata) {
      context.delete(ref);
      removed.add('XMP metadata');
      continue;
    }
    stripDict(dict);
    if (dict.get(NAME.Type) === NAME.Annot || (dict.has(NAME.Subtype) && dict.has(NAME.T) && !dict.has(PDFName.of('FT')) && dict.has(PDFName.of('Rect')))) annotationAuthor(dict);
    const annots = dict.lookup(NAME.Annots);
    if (annots instanceof PDFArray) for (let i = 0; i < annots.size(); i++) annotationAuthor(annots.get(i));
  }
  stripDict(document.catalog);
  const names = document.catalog.lookup(NAME.Names);
  if (names instanceof PDFDict && names.has(NAME.EmbeddedFiles)) {
    names.delete(NAME.EmbeddedFiles);
    removed.add('embedded files');
  }

  // What the trailer no longer reaches is not written (replaced revisions, the old Info, the XMP).
  const reached = new Set<PDFRef>();
  const walk = (start: PDFObject | undefined) => {
    const stack: PDFObject[] = start ? [start] : [];
    while (stack.length > 0) {
      const object = stack.pop()!;
      if (object instanceof PDFRef) {
        if (reached.has(object)) continue;
        reached.add(object);
        const target = context.lookup(object);
        if (target) stack.push(target);
      } else if (object instanceof PDFDict) for (const [, value] of object.entries()) stack.push(value);
      else if (object instanceof PDFArray) for (let i = 0; i < object.size(); i++) stack.push(object.get(i));
      else if (object instanceof PDFStream) stack.push(object.dict);
    }
  };
  walk(context.trailerInfo.Root);
  walk(context.trailerInfo.Info);
  let unreachable = 0;
  for (const [ref] of context.enumerateIndirectObjects()) {
    if (!reached.has(ref)) {
      context.delete(ref);
      unreachable++;
    }
  }
  if (unreachable > 0) removed.add('unreachable objects (earlier revisions, orphans)');
  delete context.trailerInfo.Encrypt;

  const saved = await document.save({ useObjectStreams: false, addDefaultPage: false, updateFieldAppearances: false });
  return { bytes: saved, removed: [...removed].sort() };
}

/** A title a program made from the source file's name (which often carries the author's). */
function looksLikeFileName(value: PDFObject): boolean {
  const text = value instanceof PDFString || value instanceof PDFHexString ? value.decodeText() : '';
  return /^Microsoft (Word|PowerPoint|Excel) - /i.test(text) || /\.(docx?|odt|rtf|tex|pdf|pages|txt|pptx?|xlsx?)\s*$/i.test(text);
}
