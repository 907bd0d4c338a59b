import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { testDatabases } from '../../../test/support/databases.ts';
import { issuesXml, pdf } from '../../../test/support/ojs-native.ts';
import { filesUnder, rowCounts } from '../../../test/support/tables.ts';
import type { DatabaseHandle } from '../../db/index.ts';
import { initialiseSite } from '../../demo/index.ts';
import { createFileStore, type FileStore } from '../../storage/index.ts';
import { importNativeXml } from './import.ts';
import { NativeXmlError } from './xml-stream.ts';

/**
 * Files named by `<href src>` (the command line reads them from beside the XML document) come from
 * that directory only: no `..`, no absolute path, no symbolic link leading out of it.
 */

for (const database of await testDatabases()) {
  describe(`OJS import of <href> files on ${database.name}`, () => {
    let handle: DatabaseHandle;
    let files: FileStore;
    let dir: string;
    let documents: string;
    const beside = pdf('a file beside the document');

    const withHref = (src: string) =>
      issuesXml([{ id: 901, volume: 96, number: '1', year: 2036, articles: [{ id: 9901, title: 'By reference', galleyId: 9902, fileId: 9903, file: pdf('unused') }] }]).replace(
        /<embed encoding="base64">[^<]*<\/embed>/,
        `<href src="${src}" mime_type="application/pdf"/>`,
      );
    const importHref = (src: string) => {
      const file = path.join(documents, 'issue.xml');
      fs.writeFileSync(file, withHref(src));
      return importNativeXml(handle.db, files, file, { journalPath: 'sm', baseDir: documents });
    };

    before(async () => {
      handle = await database.open();
      await initialiseSite(handle.db, { demo: true });
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'revista-ojs-href-'));
      files = createFileStore(path.join(dir, 'files'));
      documents = path.join(dir, 'export');
      fs.mkdirSync(path.join(documents, 'sub'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'secret.pdf'), pdf('a secret beside the export directory'));
      fs.writeFileSync(path.join(documents, 'beside.pdf'), beside);
      // What an unpacked archive can carry: links leading out of it.
      fs.symlinkSync('/etc', path.join(documents, 'sub', 'etcdir'));
      fs.symlinkSync(path.join(dir, 'secret.pdf'), path.join(documents, 'sub', 'secret-link.pdf'));
    });
    after(async () => {
      await handle.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    for (const [src, why] of [
      ['../secret.pdf', /leads out of the directory of the XML document \(".."\)/],
      ['sub/../../secret.pdf', /leads out of the directory of the XML document \(".."\)/],
      ['/etc/passwd', /is an absolute path/],
      ['ABSOLUTE_BESIDE', /is an absolute path/],
      ['sub/etcdir/passwd', /leads out of the directory of the XML document \(through a symbolic link\)/],
      ['sub/secret-link.pdf', /leads out of the directory of the XML document \(through a symbolic link\)/],
      ['file:///etc/passwd', /is an address, not a file beside the document/],
      ['missing.pdf', /which cannot be read/],
    ] as const) {
      it(`refuses <href src="${src}">: nothing stored, nothing indexed`, async () => {
        const target = src === 'ABSOLUTE_BESIDE' ? path.join(documents, 'beside.pdf') : src;
        const before = await rowCounts(handle.db);
        const stored = filesUnder(files.root);
        await assert.rejects(importHref(target), (error: Error) => {
          assert.ok(error instanceof NativeXmlError, String(error));
          assert.match(error.message, new RegExp(`submission file 9903 points at ${JSON.stringify(target).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}, which`));
          assert.match(error.message, why);
          return true;
        });
        assert.deepEqual(await rowCounts(handle.db), before);
        assert.deepEqual(filesUnder(files.root), stored);
      });
    }

    it('imports a file beside the document', async () => {
      const summary = await importHref('beside.pdf');
      assert.equal(summary.galleys, 1);
      const galley = await handle.db.selectFrom('galleys').innerJoin('files', 'files.id', 'galleys.file_id').select(['files.storage_key', 'files.mime_type']).where('galleys.id', '=', 9902).executeTakeFirstOrThrow();
      assert.equal(galley.mime_type, 'application/pdf');
      assert.deepEqual(fs.readFileSync(files.pathOf(galley.storage_key)), beside);
    });
  });
}
