import { AnonymizeError, MAX_ANONYMIZED_BYTES } from './errors.ts';
import { stripOdf, stripOoxml } from './office.ts';
import { stripPdf } from './pdf.ts';

const PDF = 'application/pdf';
const OOXML = new Set([
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
]);
const ODF = new Set(['application/vnd.oasis.opendocument.text', 'application/vnd.oasis.opendocument.spreadsheet', 'application/vnd.oasis.opendocument.presentation']);

/** Whether files of this type carry authoring metadata Revista knows how to take out (the others are served as they are). */
export function hasKnownMetadata(mimeType: string): boolean {
  const type = mimeType.toLowerCase();
  return type === PDF || OOXML.has(type) || ODF.has(type);
}

/**
 * The file without its authors' names, emails and affiliations in its metadata (PDF information and
 * XMP, Office and OpenDocument properties, comment and tracked-change authors), and the names of
 * what was taken out; undefined for a type without metadata Revista knows of (served as it is).
 * Refuses (AnonymizeError) an encrypted, damaged or too large file: in double-anonymous review such a
 * file is never given to a reviewer as it is.
 */
export async function stripMetadata(bytes: Uint8Array, mimeType: string, maxBytes: number = MAX_ANONYMIZED_BYTES): Promise<{ bytes: Uint8Array; removed: string[] } | undefined> {
  const type = mimeType.toLowerCase();
  if (!hasKnownMetadata(type)) return undefined;
  const limit = Math.min(maxBytes, MAX_ANONYMIZED_BYTES);
  if (bytes.byteLength > limit) throw new AnonymizeError('too-large', `the file has ${bytes.byteLength} bytes (at most ${limit})`);
  if (type === PDF) return stripPdf(bytes);
  // An encrypted Office document is not a ZIP but an OLE compound file holding the encrypted package.
  if (bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0) throw new AnonymizeError('encrypted', 'the Office document is password-protected');
  return OOXML.has(type) ? stripOoxml(bytes) : stripOdf(bytes);
}
