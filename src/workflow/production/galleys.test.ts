import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { testDatabases } from '../../../test/support/databases.ts';
import { CSS, EPUB, HTML, inProduction, JATS, PDF, PNG, uploaded, WOFF2 } from '../../../test/support/production-fixture.ts';
import { createUserWithRole } from '../../accounts/index.ts';
import { addGalleyAsset, createGalley, deleteGalley, deleteGalleyAsset, editGalley, ProductionError, productionGalleys, reorderGalley, retypedAsset } from '../index.ts';
import { findSubmission } from '../queries.ts';

/** Awaits a production command that must refuse with `code`. */
async function refusedWith(promise: Promise<unknown>, code: string): Promise<ProductionError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ProductionError, `a ProductionError, not ${String(error)}`);
    assert.equal(error.code, code);
    return error;
  }
  assert.fail(`expected a refusal (${code})`);
}

for (const database of await testDatabases()) {
  describe(`galleys of a submission in production (${database.name})`, () => {
    let t: TestApp;
    let people: { author: number; editor: number; layout: number };
    let submissionId: number;
    const now = new Date();

    before(async () => {
      t = await startTestApp(database);
      const db = t.database.db;
      const user = async (email: string, role: 'author' | 'editor' | 'layout-editor') => (await createUserWithRole(db, { email, password: 'a long enough password', role, journalId: 1, now })).userId;
      people = { author: await user('author@example.org', 'author'), editor: await user('editor@example.org', 'editor'), layout: await user('layout@example.org', 'layout-editor') };
      submissionId = await inProduction(db, t.files, people);
    });
    after(() => t.close());

    const galleys = async () => {
      const s = await findSubmission(t.database.db, 1, submissionId);
      return productionGalleys(t.database.db, t.files, s!.publicationId);
    };
    const base = () => ({ journalId: 1, submissionId, userId: people.layout });

    it('adds PDF, HTML, JATS XML and EPUB galleys, each of its type, in order', async () => {
      const db = t.database.db;
      await createGalley(db, { ...base(), label: 'PDF', locale: 'en', source: { kind: 'upload', upload: await uploaded(t.files, PDF, 'article.pdf', 'application/pdf') } });
      await createGalley(db, { ...base(), label: 'HTML', locale: 'en', source: { kind: 'upload', upload: await uploaded(t.files, HTML, 'article.html', 'text/html') } });
      await createGalley(db, { ...base(), label: 'JATS XML', locale: 'en', source: { kind: 'upload', upload: await uploaded(t.files, JATS, 'article.xml', 'application/xml') } });
      await createGalley(db, { ...base(), label: 'EPUB', locale: 'en', source: { kind: 'upload', upload: await uploaded(t.files, EPUB, 'article.epub', 'application/epub+zip') } });
      const list = await galleys();
      assert.deepEqual(list.map((g) => [g.label, g.format, g.seq]), [['PDF', 'pdf', 1], ['HTML', 'html', 2], ['JATS XML', 'jats', 3], ['EPUB', 'epub', 4]]);
      assert.equal(list[0]!.file?.sizeBytes, PDF.length);
    });

    it('takes a remote galley at an http(s) address only', async () => {
      const db = t.database.db;
      for (const url of ['javascript:alert(1)', 'file:///etc/passwd', 'ftp://example.org/a.pdf', 'not a url', 'https://user:pw@example.org/a.pdf']) {
        await refusedWith(createGalley(db, { ...base(), label: 'Remote', locale: 'en', source: { kind: 'remote', url } }), 'url-invalid');
      }
      await createGalley(db, { ...base(), label: 'Remote', locale: 'en', source: { kind: 'remote', url: 'https://repository.example.org/rivers.pdf' } });
      const remote = (await galleys()).find((g) => g.label === 'Remote')!;
      assert.equal(remote.format, 'remote');
      assert.equal(remote.remoteUrl, 'https://repository.example.org/rivers.pdf');
    });

    it('refuses a file of another type (a script, an SVG, a Word file), an empty one, no label, a language the journal has not', async () => {
      const db = t.database.db;
      for (const [name, type] of [['x.js', 'text/javascript'], ['x.svg', 'image/svg+xml'], ['x.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'], ['x.png', 'image/png']] as const) {
        const error = await refusedWith(createGalley(db, { ...base(), label: 'X', locale: 'en', source: { kind: 'upload', upload: await uploaded(t.files, Buffer.from('some bytes'), name, type) } }), 'galley-type-not-allowed');
        assert.equal(error.status, 415);
      }
      await refusedWith(createGalley(db, { ...base(), label: 'X', locale: 'en', source: { kind: 'upload', upload: { ...(await uploaded(t.files, PDF, 'a.pdf', 'application/pdf')), sizeBytes: 0 } } }), 'file-empty');
      await refusedWith(createGalley(db, { ...base(), label: '  ', locale: 'en', source: { kind: 'remote', url: 'https://example.org/' } }), 'label-missing');
      await refusedWith(createGalley(db, { ...base(), label: 'PDF', locale: 'xx', source: { kind: 'remote', url: 'https://example.org/' } }), 'locale-not-allowed');
      assert.equal((await galleys()).length, 5, 'nothing was added');
    });

    it('moves galleys up and down, edits label and language, replaces a file, removes one', async () => {
      const db = t.database.db;
      const [pdf, html] = await galleys();
      await reorderGalley(db, { ...base(), galleyId: html!.id, direction: 'up' });
      assert.deepEqual((await galleys()).slice(0, 2).map((g) => g.label), ['HTML', 'PDF']);
      await reorderGalley(db, { ...base(), galleyId: html!.id, direction: 'down' });
      assert.deepEqual((await galleys()).slice(0, 2).map((g) => g.label), ['PDF', 'HTML']);
      const locales = (await db.selectFrom('journals').select('supported_locales').where('id', '=', 1).executeTakeFirstOrThrow()).supported_locales;
      const other = locales.find((l) => l !== 'en') ?? 'en';
      const replacement = Buffer.concat([PDF, Buffer.from('% corrected\n')]);
      await editGalley(db, { ...base(), galleyId: pdf!.id, label: 'PDF (corrected)', locale: other, replace: { kind: 'upload', upload: await uploaded(t.files, replacement, 'corrected.pdf', 'application/pdf') } });
      const edited = (await galleys()).find((g) => g.id === pdf!.id)!;
      assert.equal(edited.label, 'PDF (corrected)');
      assert.equal(edited.locale, other);
      assert.equal(edited.file?.sizeBytes, replacement.length);
      await refusedWith(editGalley(db, { ...base(), galleyId: pdf!.id, label: 'PDF', locale: 'en', replace: { kind: 'upload', upload: await uploaded(t.files, Buffer.from('x'), 'x.txt', 'text/plain') } }), 'galley-type-not-allowed');
      const epub = (await galleys()).find((g) => g.label === 'EPUB')!;
      await deleteGalley(db, { ...base(), galleyId: epub.id });
      assert.equal((await galleys()).some((g) => g.label === 'EPUB'), false);
    });

    it('stores an HTML galley’s image, style sheet and font under the names its HTML uses, and lists what is still missing', async () => {
      const db = t.database.db;
      const html = (await galleys()).find((g) => g.format === 'html')!;
      assert.deepEqual(html.missing, ['style.css', 'figure1.png', 'images/figure 2.png']);
      const add = async (name: string, content: Buffer) => addGalleyAsset(db, { ...base(), galleyId: html.id, name, upload: await retypedAsset(t.files, await uploaded(t.files, content, name.split('/').at(-1)!, 'application/octet-stream'), name) });
      await add('figure1.png', PNG);
      await add('style.css', CSS);
      let now = (await galleys()).find((g) => g.id === html.id)!;
      assert.deepEqual(now.assets.map((a) => [a.name, a.file.mimeType]), [['figure1.png', 'image/png'], ['style.css', 'text/css']]);
      // The style sheet's font is now referred to, relative to it.
      assert.deepEqual(now.missing, ['images/figure 2.png', 'fonts/body.woff2']);
      await add('images/figure 2.png', PNG);
      await add('fonts/body.woff2', WOFF2);
      now = (await galleys()).find((g) => g.id === html.id)!;
      assert.deepEqual(now.missing, []);
      // A second upload under a name replaces the first.
      await add('figure1.png', Buffer.concat([PNG, Buffer.alloc(10)]));
      now = (await galleys()).find((g) => g.id === html.id)!;
      assert.equal(now.assets.filter((a) => a.name === 'figure1.png').length, 1);
      assert.equal(now.assets.find((a) => a.name === 'figure1.png')!.file.sizeBytes, PNG.length + 10);
      // Scripts, HTML named .css, names with a way up: refused.
      await refusedWith(add('app.js', Buffer.from('alert(document.cookie)')), 'asset-type-not-allowed');
      await refusedWith(add('evil.css', Buffer.from('<html><script>alert(1)</script></html>')), 'asset-type-not-allowed');
      await refusedWith(add('../escape.png', PNG), 'asset-name-invalid');
      const huge = { ...(await retypedAsset(t.files, await uploaded(t.files, CSS, 'big.css', 'text/css'), 'big.css')), sizeBytes: 3 * 1024 * 1024 };
      await refusedWith(addGalleyAsset(db, { ...base(), galleyId: html.id, name: 'big.css', upload: huge }), 'file-too-large');
      // Only an HTML galley has assets.
      const pdf = (await galleys()).find((g) => g.format === 'pdf')!;
      await refusedWith(add.call(null, 'figure1.png', PNG).then(() => addGalleyAsset(db, { ...base(), galleyId: pdf.id, name: 'x.png', upload: { storageKey: now.assets[0]!.file.storageKey, sizeBytes: PNG.length, sha256: '', mimeType: 'image/png', originalName: 'x.png' } })), 'not-html');
      const style = now.assets.find((a) => a.name === 'style.css')!;
      await deleteGalleyAsset(db, { ...base(), galleyId: html.id, assetId: style.id });
      now = (await galleys()).find((g) => g.id === html.id)!;
      assert.ok(now.missing.includes('style.css'));
      assert.equal(now.missing.includes('fonts/body.woff2'), false, 'the font is no longer referred to once its style sheet is gone');
    });

    it('makes a galley from a production-ready file of the submission, and from no other', async () => {
      const db = t.database.db;
      const stored = await t.files.put(PDF);
      const file = await db.insertInto('files').values({ storage_key: stored.key, mime_type: 'application/pdf', size_bytes: stored.sizeBytes, sha256: stored.sha256, original_name: 'typeset.pdf' }).returning('id').executeTakeFirstOrThrow();
      const ready = await db.insertInto('submission_files').values({ submission_id: submissionId, stage: 'production', kind: 'article', file_id: file.id, name: 'typeset.pdf', uploaded_by: people.layout }).returning('id').executeTakeFirstOrThrow();
      const manuscript = await db.selectFrom('submission_files').select('id').where('submission_id', '=', submissionId).where('stage', '=', 'submission').executeTakeFirstOrThrow();
      await refusedWith(createGalley(db, { ...base(), label: 'PDF', locale: 'en', source: { kind: 'submission-file', submissionFileId: manuscript.id } }), 'file-unknown');
      await createGalley(db, { ...base(), label: 'Typeset', locale: 'en', source: { kind: 'submission-file', submissionFileId: ready.id } });
      const made = (await galleys()).find((g) => g.label === 'Typeset')!;
      assert.equal(made.format, 'pdf');
      assert.equal(made.file?.name, 'typeset.pdf');
    });

    it('changes galleys only in production or scheduled and unpublished', async () => {
      const db = t.database.db;
      const [first] = await galleys();
      await db.updateTable('submissions').set({ stage: 'copyediting' }).where('id', '=', submissionId).execute();
      await refusedWith(createGalley(db, { ...base(), label: 'PDF', locale: 'en', source: { kind: 'remote', url: 'https://example.org/a.pdf' } }), 'not-in-production');
      await refusedWith(reorderGalley(db, { ...base(), galleyId: first!.id, direction: 'down' }), 'not-in-production');
      await db.updateTable('submissions').set({ status: 'scheduled', stage: 'production' }).where('id', '=', submissionId).execute();
      await reorderGalley(db, { ...base(), galleyId: first!.id, direction: 'down' });
      const s = await findSubmission(db, 1, submissionId);
      await db.updateTable('publications').set({ status: 'published' }).where('id', '=', s!.publicationId).execute();
      await refusedWith(deleteGalley(db, { ...base(), galleyId: first!.id }), 'not-in-production');
      await db.updateTable('publications').set({ status: 'queued' }).where('id', '=', s!.publicationId).execute();
      await db.updateTable('submissions').set({ status: 'active' }).where('id', '=', submissionId).execute();
    });
  });
}
