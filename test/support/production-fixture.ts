import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/index.ts';
import type { FileStore } from '../../src/storage/index.ts';
import { addSubmissionFile, assignParticipant, createDraft, saveSubmissionDetails, submitSubmission } from '../../src/workflow/index.ts';
import { PDF } from './review-fixture.ts';

export { PDF };

/** A small HTML galley that refers to an image, a style sheet (whose font is its own reference), a link elsewhere and a script. */
export const HTML = Buffer.from(`<!DOCTYPE html>
<html lang="en"><head><title>Rivers</title><link rel="stylesheet" href="style.css"><script src="https://cdn.example.org/x.js"></script></head>
<body><h1>Rivers of the north</h1><p><img src="figure1.png" alt="Figure 1"> <img src='images/figure%202.png' alt="Figure 2"></p>
<p><a href="https://example.org/">elsewhere</a> <a href="#s2">section 2</a> <img src="../../etc/passwd"> <img src="data:image/png;base64,AAAA"></p></body></html>
`);
export const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);
export const CSS = Buffer.from('@font-face { font-family: Body; src: url("fonts/body.woff2") format("woff2"); }\nbody { font-family: Body, serif; }\n');
export const WOFF2 = Buffer.concat([Buffer.from('wOF2', 'latin1'), Buffer.alloc(60, 2)]);
export const EPUB = (() => {
  // A ZIP whose first entry is the uncompressed `mimetype`, as EPUB requires.
  const name = Buffer.from('mimetype');
  const data = Buffer.from('application/epub+zip');
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(10, 4);
  header.writeUInt16LE(0, 8);
  header.writeUInt32LE(data.length, 18);
  header.writeUInt32LE(data.length, 22);
  header.writeUInt16LE(name.length, 26);
  return Buffer.concat([header, name, data, Buffer.alloc(40)]);
})();
export const JATS = Buffer.from('<?xml version="1.0" encoding="UTF-8"?>\n<article xmlns:xlink="http://www.w3.org/1999/xlink" article-type="research-article"><front/></article>\n');

export interface ProductionPeople {
  author: number;
  editor: number;
  layout: number;
}

/**
 * A submission of the demo journal ("sm", journal 1) in production, made through the workflow's
 * commands: submitted by `author`, with `editor` and `layout` (a layout editor) assigned. The
 * stage is set directly, as the copyediting helper's "send to production" decision will.
 */
export async function inProduction(db: Kysely<Database>, files: FileStore, people: ProductionPeople, title = 'Rivers of the north'): Promise<number> {
  const now = new Date();
  const section = await db.selectFrom('sections').select('id').where('journal_id', '=', 1).orderBy('id').executeTakeFirstOrThrow();
  const submissionId = await createDraft(db, { journalId: 1, userId: people.author, sectionId: section.id, locale: 'en', commentsForEditor: '', checklistConfirmed: true, agreementsAccepted: true, now });
  const stored = await files.put(PDF);
  await addSubmissionFile(db, { journalId: 1, submissionId, userId: people.author, kind: 'article', upload: { storageKey: stored.key, sizeBytes: stored.sizeBytes, sha256: stored.sha256, mimeType: 'application/pdf', originalName: 'manuscript.pdf' }, now });
  await saveSubmissionDetails(db, 1, submissionId, people.author, { prefix: {}, title: { en: title }, subtitle: {}, abstract: { en: 'About rivers.' }, keywords: {} }, now);
  await submitSubmission(db, 1, submissionId, people.author, now);
  await assignParticipant(db, { journalId: 1, submissionId, userId: people.editor, role: 'editor', recommendOnly: false, assignedBy: people.editor, now });
  await assignParticipant(db, { journalId: 1, submissionId, userId: people.layout, role: 'layout-editor', assignedBy: people.editor, now });
  await db.updateTable('submissions').set({ stage: 'production' }).where('id', '=', submissionId).execute();
  return submissionId;
}

/** Puts bytes in the store as an upload the commands take (type as the upload reading would give it). */
export async function uploaded(files: FileStore, content: Buffer, name: string, mimeType: string) {
  const stored = await files.put(content);
  return { storageKey: stored.key, sizeBytes: stored.sizeBytes, sha256: stored.sha256, mimeType, originalName: name };
}
