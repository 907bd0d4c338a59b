import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { sql } from 'kysely';
import { TEST_DATABASE_URL, testDatabases } from '../../../test/support/databases.ts';
import { DOCUMENT_END, DOCUMENT_START, issuesXml, pdf, closeImportSite, openImportSite, type ImportSite } from '../../../test/support/ojs-native.ts';
import { filesUnder, rowCounts } from '../../../test/support/tables.ts';
import type { DatabaseHandle } from '../../db/index.ts';
import type { FileStore } from '../../storage/index.ts';
import { importNativeXml, ImportError } from './import.ts';
import { MAX_ATTRIBUTES, MAX_DEPTH, MAX_FIELD_CHARS, MAX_UNIT_ELEMENTS, NativeXmlError } from './xml-stream.ts';

/**
 * What one import may cost: a hostile document is refused at once and in bounded memory, a large
 * valid one is read in a worker thread while the server's own thread keeps turning, and an import
 * stopped part-way (time limit, cancelled) leaves whole units only and no stray file.
 */

const databases = await testDatabases();

for (const database of databases) {
  describe(`OJS import limits on ${database.name}`, () => {
    let handle: DatabaseHandle;
    let files: FileStore;
    let dir: string;
    let write: ImportSite['write'];
    /** Stored files that no `files` row refers to (partly written ones included). */
    const strayFiles = async () => {
      const known = new Set((await handle.db.selectFrom('files').select('storage_key').execute()).map((f) => f.storage_key));
      return filesUnder(files.root).filter((f) => !known.has(f));
    };

    before(async () => ({ handle, files, dir, write } = await openImportSite(database, 'limits')));
    after(() => closeImportSite({ handle, dir }));

    it(`refuses a document nested deeper than ${MAX_DEPTH} levels at once, naming where`, { timeout: 120_000 }, async () => {
      // 100,000 levels: the parser's cost grows with the square of the depth, so unbounded this takes minutes.
      const levels = 100_000;
      const file = write('deep.xml', `${DOCUMENT_START}${'<issue>'.repeat(levels)}${'</issue>'.repeat(levels)}${DOCUMENT_END}`);
      const before = await rowCounts(handle.db);
      const started = Date.now();
      await assert.rejects(importNativeXml(handle.db, files, file, { journalPath: 'sm' }), (error: Error) => {
        assert.ok(error instanceof NativeXmlError, String(error));
        assert.match(error.message, new RegExp(`^line 3, column \\d+: elements are nested more than ${MAX_DEPTH} levels deep`));
        return true;
      });
      assert.ok(Date.now() - started < 20_000, `refused in ${Date.now() - started} ms`);
      assert.deepEqual(await rowCounts(handle.db), before);
    });

    it('refuses an over-long text as it grows, without reading the rest of the document', { timeout: 120_000 }, async () => {
      // A 256 MB title: held whole, it would take gigabytes; it is refused after about a megabyte.
      let produced = 0;
      const source = () =>
        Readable.from(
          (function* () {
            yield `${DOCUMENT_START}<issue published="1"><issue_identification><title locale="en">`;
            const piece = 'Kaukaz '.repeat(9362);
            for (let i = 0; i < 4096; i++) {
              produced += piece.length;
              yield piece;
            }
            yield `</title></issue_identification></issue>${DOCUMENT_END}`;
          })(),
        );
      await assert.rejects(importNativeXml(handle.db, files, source, { journalPath: 'sm' }), (error: Error) => {
        assert.ok(error instanceof NativeXmlError, String(error));
        assert.match(error.message, /^line 3, column \d+: a text, name or comment in <title> is longer than 1,000,000 characters$/);
        return true;
      });
      assert.ok(produced < 16 * MAX_FIELD_CHARS, `${produced} characters of the title were read`);
    });

    it('refuses an element with too many attributes, or an over-long one', async () => {
      const many = Array.from({ length: MAX_ATTRIBUTES + 1 }, (_, i) => `a${i}="1"`).join(' ');
      await assert.rejects(importNativeXml(handle.db, files, write('attributes.xml', `${DOCUMENT_START}<issue ${many}/>${DOCUMENT_END}`), { journalPath: 'sm' }), new RegExp(`line 3, column \\d+: an element has more than ${MAX_ATTRIBUTES} attributes$`));
      await assert.rejects(importNativeXml(handle.db, files, write('attribute.xml', `${DOCUMENT_START}<issue url_path="${'a'.repeat(70_000)}"/>${DOCUMENT_END}`), { journalPath: 'sm' }), /the attribute url_path is longer than 65,536 characters/);
    });

    it(`refuses an issue of more than ${MAX_UNIT_ELEMENTS.toLocaleString('en-US')} elements, however small each is`, async () => {
      const file = write('wide.xml', `${DOCUMENT_START}<issue><issue_identification><year>2040</year></issue_identification>${'<x/>'.repeat(MAX_UNIT_ELEMENTS + 1)}</issue>${DOCUMENT_END}`);
      await assert.rejects(importNativeXml(handle.db, files, file, { journalPath: 'sm' }), /line 3, column \d+: the <issue> starting at line 3 holds more than 250,000 elements/);
    });

    it('reads a large document in its own thread: this thread keeps turning meanwhile', { timeout: 300_000 }, async () => {
      // 30 issues of 10 articles, each with a 200 KB galley: 60 MB of base64 to decode and hash, twice.
      const issues = Array.from({ length: 30 }, (_, i) => ({
        id: 2000 + i,
        volume: 90,
        number: String(i + 1),
        year: 2030,
        articles: Array.from({ length: 10 }, (_, a) => ({ id: 30_000 + i * 100 + a, title: `Article ${i}.${a}`, galleyId: 40_000 + i * 100 + a, fileId: 50_000 + i * 100 + a, file: Buffer.concat([pdf(`${i}.${a}`), Buffer.alloc(200_000, i * 10 + a)]) })),
      }));
      const file = write('large.xml', issuesXml(issues));
      let ticks = 0;
      let longest = 0;
      let last = performance.now();
      const beat = setInterval(() => {
        const now = performance.now();
        longest = Math.max(longest, now - last);
        last = now;
        ticks++;
      }, 5);
      let checking = { ticks: 0, longest: 0 };
      try {
        const summary = await importNativeXml(handle.db, files, file, {
          journalPath: 'sm',
          dryRun: true,
          onProgress(progress) {
            // The first pass only reads (no database work here): what this thread did meanwhile is the thread's.
            if (progress.pass === 'check') checking = { ticks, longest };
          },
        });
        assert.equal(summary.articles.new, 300);
      } finally {
        clearInterval(beat);
      }
      assert.ok(checking.ticks >= 20, `the timer ticked ${checking.ticks} times while the document was checked`);
      assert.ok(checking.longest < 1000, `the longest pause while checking was ${Math.round(checking.longest)} ms`);
    });

    it('stops at its time limit: nothing half-written, no file left', async () => {
      const file = write('two.xml', issuesXml([{ id: 701, volume: 91, number: '1', year: 2031, articles: [{ id: 7101, title: 'Timed out', galleyId: 7102, fileId: 7103, file: pdf('timed') }] }]));
      const before = await rowCounts(handle.db);
      const stored = filesUnder(files.root);
      await assert.rejects(importNativeXml(handle.db, files, file, { journalPath: 'sm', timeLimitMs: 1 }), (error: Error) => {
        assert.ok(error instanceof ImportError, String(error));
        assert.equal(error.committed, 0);
        assert.match(error.message, /its time limit of 1 ms ran out/);
        return true;
      });
      assert.deepEqual(await rowCounts(handle.db), before);
      assert.deepEqual(filesUnder(files.root), stored);
    });

    it('an import stopped after its first issue keeps that issue whole and takes back the files of the next', { timeout: 120_000 }, async () => {
      const doc = issuesXml([
        { id: 711, volume: 92, number: '1', year: 2032, articles: [{ id: 7111, title: 'Kept', galleyId: 7112, fileId: 7113, file: pdf('kept') }] },
        { id: 712, volume: 92, number: '2', year: 2032, articles: [{ id: 7121, title: 'Dropped', galleyId: 7122, fileId: 7123, file: Buffer.concat([pdf('dropped'), Buffer.alloc(500_000, 1)]) }] },
      ]);
      const file = write('stopped.xml', doc);
      const before = await rowCounts(handle.db);
      const stop = new AbortController();
      await assert.rejects(
        importNativeXml(handle.db, files, file, {
          journalPath: 'sm',
          signal: stop.signal,
          onProgress: (progress) => {
            if (progress.pass === 'import' && progress.issues === 1) stop.abort();
          },
        }),
        (error: Error) => {
          assert.ok(error instanceof ImportError, String(error));
          assert.equal(error.committed, 1);
          assert.match(error.message, /it was cancelled/);
          assert.match(error.message, /the 1 issue\(s\) before were imported/);
          return true;
        },
      );
      const after = await rowCounts(handle.db);
      assert.deepEqual([after.issues! - before.issues!, after.articles! - before.articles!, after.galleys! - before.galleys!, after.files! - before.files!], [1, 1, 1, 1]);
      assert.ok(await handle.db.selectFrom('issues').select('id').where('id', '=', 711).executeTakeFirst());
      assert.equal(await handle.db.selectFrom('issues').select('id').where('id', '=', 712).executeTakeFirst(), undefined);
      assert.deepEqual(await strayFiles(), [], 'the second issue’s stored galley was taken back');
    });

    if (database.name === 'postgres') {
      it('an issue whose transaction is running when the import is stopped is rolled back, its files removed', { timeout: 120_000 }, async () => {
        const issue = (title: string) => ({ id: 722, volume: 93, number: '2', year: 2033, articles: [{ id: 7221, title, galleyId: 7222, fileId: 7223, file: pdf(title) }] });
        await importNativeXml(handle.db, files, write('first.xml', issuesXml([issue('Before')])), { journalPath: 'sm' });
        const doc = issuesXml([{ id: 721, volume: 93, number: '1', year: 2033, articles: [{ id: 7211, title: 'Committed', galleyId: 7212, fileId: 7213, file: pdf('committed') }] }, issue('After')]);
        // Another session holds the second issue's row: its update waits until the import has been stopped.
        const schema = (await sql<{ s: string }>`SELECT current_schema() AS s`.execute(handle.db)).rows[0]!.s;
        const holder = new pg.Client({ connectionString: TEST_DATABASE_URL });
        await holder.connect();
        try {
          await holder.query(`SET search_path TO ${schema}`);
          await holder.query('BEGIN');
          await holder.query('SELECT id FROM issues WHERE id = 722 FOR UPDATE');
          const holderPid = (await holder.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
          const stop = new AbortController();
          const importing = importNativeXml(handle.db, files, write('second.xml', doc), { journalPath: 'sm', signal: stop.signal });
          importing.catch(() => undefined);
          const waiting = async () => Number((await holder.query<{ n: string }>('SELECT count(*) AS n FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))', [holderPid])).rows[0]!.n);
          for (let i = 0; i < 600 && (await waiting()) === 0; i++) await new Promise((resolve) => setTimeout(resolve, 100));
          assert.equal(await waiting(), 1, 'the import waits inside the second issue’s transaction');
          stop.abort();
          await holder.query('ROLLBACK');
          await assert.rejects(importing, (error: Error) => {
            assert.ok(error instanceof ImportError, String(error));
            assert.equal(error.committed, 1);
            assert.match(error.message, /^the issue Vol\. 93 No\. 2 \(2033\) could not be stored \(it was cancelled\); it was not imported, the 1 issue\(s\) before it were$/);
            return true;
          });
        } finally {
          await holder.end();
        }
        const title = await handle.db.selectFrom('publications').select('title').where('article_id', '=', 7221).executeTakeFirstOrThrow();
        assert.equal(title.title.en, 'Before', 'the second issue is as it was');
        assert.equal((await handle.db.selectFrom('publications').select('title').where('article_id', '=', 7211).executeTakeFirstOrThrow()).title.en, 'Committed');
        assert.deepEqual(await strayFiles(), []);
      });
    }
  });
}
