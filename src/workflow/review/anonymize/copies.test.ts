import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Kysely } from 'kysely';
import { forgetUnreferencedFiles, recordFile } from '../../../catalog/index.ts';
import type { Database, DatabaseHandle } from '../../../db/index.ts';
import { createFileStore, sweepFileStore, type FileStore } from '../../../storage/index.ts';
import { assertNoAuthor, authoredDocx, authoredPdf, pdfParts, zipParts } from '../../../../test/support/authored-documents.ts';
import { testDatabases } from '../../../../test/support/databases.ts';
import { AnonymizeError } from './errors.ts';
import { anonymizedCopy, reviewerFileName } from './copies.ts';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

for (const database of await testDatabases()) {
  describe(`anonymised copies on ${database.name}`, () => {
    let handle: DatabaseHandle;
    let db: Kysely<Database>;
    let files: FileStore;

    before(async () => {
      handle = await database.open();
      db = handle.db;
      files = createFileStore(fs.mkdtempSync(path.join(os.tmpdir(), 'revista-anonymize-')));
    });
    after(async () => {
      await handle.close();
      fs.rmSync(files.root, { recursive: true, force: true });
    });

    async function store(bytes: Uint8Array, mimeType: string, originalName: string): Promise<number> {
      const stored = await files.put(Buffer.from(bytes));
      return recordFile(db, { storageKey: stored.key, mimeType, sizeBytes: stored.sizeBytes, sha256: stored.sha256, originalName });
    }
    const storedKeys = () => fs.readdirSync(files.root).filter((d) => /^[0-9a-f]{2}$/.test(d)).flatMap((d) => fs.readdirSync(path.join(files.root, d)).map((n) => `${d}/${n}`));
    const bytesOf = async (fileId: number) => fs.readFileSync(files.pathOf((await db.selectFrom('files').select('storage_key').where('id', '=', fileId).executeTakeFirstOrThrow()).storage_key));
    const count = async (table: 'files' | 'anonymized_files') => Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);

    it('makes the copy once, stores it like any file, and serves the same one after', async () => {
      const original = await store(await authoredPdf(), 'application/pdf', 'Anna Nowakowska - article.pdf');
      const first = await anonymizedCopy(db, files, original);
      assert.notEqual(first.fileId, original);
      assert.ok(first.removed.includes('Info Author'));
      assertNoAuthor(await pdfParts(await bytesOf(first.fileId)));
      const row = await db.selectFrom('files').select(['original_name', 'mime_type']).where('id', '=', first.fileId).executeTakeFirstOrThrow();
      assert.deepEqual(row, { original_name: 'anonymized.pdf', mime_type: 'application/pdf' });
      assert.deepEqual(await anonymizedCopy(db, files, original), first);
      assert.deepEqual(await db.selectFrom('anonymized_files').select(['file_id', 'copy_file_id']).where('file_id', '=', original).execute(), [{ file_id: original, copy_file_id: first.fileId }]);
    });

    it('two reviewers at once make one copy, in this process and across processes', async () => {
      const before = { files: await count('files'), keys: storedKeys().length };
      const original = await store(authoredDocx(), DOCX, 'nowakowska.docx');
      const [a, b] = await Promise.all([anonymizedCopy(db, files, original), anonymizedCopy(db, files, original)]);
      assert.deepEqual(a, b);
      // Another process: the same store under another name, so this process's wait does not join them.
      const other = await store(authoredDocx(), DOCX, 'nowakowska-2.docx');
      const elsewhere: FileStore = { ...files, root: `${files.root}${path.sep}.` };
      const [c, d] = await Promise.all([anonymizedCopy(db, files, other), anonymizedCopy(db, elsewhere, other)]);
      assert.deepEqual(c, d);
      assertNoAuthor(zipParts(await bytesOf(c.fileId)));
      assert.equal(await count('files'), before.files + 4, 'two originals, one copy of each');
      assert.equal(storedKeys().length, before.keys + 4, 'the losing copy’s bytes are gone');
    });

    it('gives the original of a type without metadata, and refuses what cannot be made anonymous, leaving nothing', async () => {
      const csv = await store(Buffer.from('year,trade\n1990,1\n'), 'text/csv', 'data.csv');
      assert.deepEqual(await anonymizedCopy(db, files, csv), { fileId: csv, removed: [] });
      const before = { files: await count('files'), copies: await count('anonymized_files'), keys: storedKeys().length };
      const broken = await store(Buffer.from('%PDF-1.7\nnothing here'), 'application/pdf', 'broken.pdf');
      await assert.rejects(anonymizedCopy(db, files, broken), (e: unknown) => e instanceof AnonymizeError && e.reason === 'unreadable');
      const large = await store(authoredDocx(), DOCX, 'large.docx');
      await assert.rejects(anonymizedCopy(db, files, large, { maxBytes: 100 }), (e: unknown) => e instanceof AnonymizeError && e.reason === 'too-large');
      assert.equal(await count('files'), before.files + 2, 'no copy row');
      assert.equal(await count('anonymized_files'), before.copies);
      assert.equal(storedKeys().length, before.keys + 2, 'no copy bytes');
    });

    it('keeps a copy through the store’s sweep while its original is there, and forgets it with the original', async () => {
      const original = await store(authoredDocx(), DOCX, 'sweep.docx');
      const copy = await anonymizedCopy(db, files, original);
      const copyKey = (await db.selectFrom('files').select('storage_key').where('id', '=', copy.fileId).executeTakeFirstOrThrow()).storage_key;
      // Rows only for files still named by a table: everything stored so far is kept by a row of `files`.
      assert.equal((await sweepFileStore(db, files, { exclusive: true })).orphans, 0);
      assert.ok(fs.existsSync(files.pathOf(copyKey)));
      // Nothing else names the copy's row but `anonymized_files`: forgetting it alone keeps it.
      assert.equal(await forgetUnreferencedFiles(db, [copy.fileId]), 0);
      assert.equal(await forgetUnreferencedFiles(db, [original]), 2, 'the original and its copy');
      assert.equal(await db.selectFrom('files').select('id').where('id', 'in', [original, copy.fileId]).executeTakeFirst(), undefined);
      assert.equal(await db.selectFrom('anonymized_files').select('file_id').where('file_id', '=', original).executeTakeFirst(), undefined);
      assert.equal((await sweepFileStore(db, files, { exclusive: true })).orphans, 2, 'both files’ bytes go with the sweep');
      assert.ok(!fs.existsSync(files.pathOf(copyKey)));
    });
  });
}

describe('reviewerFileName', () => {
  it('names the submission, round, kind and detected type, never the upload', () => {
    assert.equal(reviewerFileName({ submissionId: 1786, round: 1, kind: 'Article text', mimeType: 'application/pdf' }), 'submission-1786-round-1-article-text.pdf');
    assert.equal(reviewerFileName({ submissionId: 7, round: 2, kind: 'Data set', mimeType: DOCX, number: 2 }), 'submission-7-round-2-data-set-2.docx');
    assert.equal(reviewerFileName({ submissionId: 7, round: 1, kind: '../Ünïcode ✓', mimeType: 'application/x-unknown' }), 'submission-7-round-1-unicode.bin');
    assert.equal(reviewerFileName({ submissionId: 7, round: 1, kind: '', mimeType: 'image/jpeg' }), 'submission-7-round-1-file.jpg');
  });
});
