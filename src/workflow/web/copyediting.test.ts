import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.ts';
import { startTestApp, visibleText, type TestApp } from '../../../test/support/app.ts';
import { testDatabases } from '../../../test/support/databases.ts';
import { Session, signedInAs } from '../../../test/support/session.ts';
import { addSubmissionFile, createDraft, findSubmission, saveSubmissionDetails, submitSubmission } from '../index.ts';
import { copyeditedFiles, productionReadyFiles } from '../production/copyediting.ts';
import { recordDecision } from '../review/index.ts';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const DOCX = Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(60, 1)]);

const userId = async (db: Kysely<Database>, email: string) => (await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;

for (const database of await testDatabases()) {
  describe(`the Copyediting section on ${database.name}`, () => {
    let t: TestApp;
    let db: Kysely<Database>;
    let journalId: number;
    let submissionId: number;
    let base: string;
    const s: Record<string, Session> = {};
    const ids: Record<string, number> = {};

    before(async () => {
      t = await startTestApp(database);
      db = t.database.db;
      journalId = (await db.selectFrom('journals').select('id').where('path', '=', 'sm').executeTakeFirstOrThrow()).id;
      const sectionId = (await db.selectFrom('sections').select('id').where('journal_id', '=', journalId).orderBy('id').executeTakeFirstOrThrow()).id;
      for (const [name, role] of [['editor', 'editor'], ['copyeditor', 'copyeditor'], ['stranger', 'copyeditor'], ['author', 'author'], ['layout', 'layout-editor']] as const) {
        s[name] = await signedInAs(t.app, db, { email: `${name}@example.org`, role, journalId });
        ids[name] = await userId(db, `${name}@example.org`);
      }
      const now = new Date();
      submissionId = await createDraft(db, { journalId, userId: ids.author!, sectionId, locale: 'en', commentsForEditor: '', checklistConfirmed: true, agreementsAccepted: true, now });
      const stored = await t.files.put(PDF);
      await addSubmissionFile(db, { journalId, submissionId, userId: ids.author!, kind: 'article', upload: { storageKey: stored.key, sizeBytes: stored.sizeBytes, sha256: stored.sha256, mimeType: 'application/pdf', originalName: 'manuscript.pdf' }, now });
      await saveSubmissionDetails(db, journalId, submissionId, ids.author!, { prefix: {}, title: { en: 'Salt marshes' }, subtitle: {}, abstract: { en: 'An abstract.' }, keywords: {} }, now);
      await submitSubmission(db, journalId, submissionId, ids.author!, now);
      await recordDecision(db, { journalId, submissionId, decision: 'accept', editorId: ids.editor!, recommendOnly: false, notifyAuthor: false, now });
      base = `/sm/workflow/index/${submissionId}`;
    });
    after(() => t.close());

    it('lets the editor assign a copyeditor and a layout editor; a copyeditor then sees the section and the accepted files, a stranger nothing', async () => {
      const before = await s.copyeditor!.get(base);
      assert.equal(before.statusCode, 404, 'not assigned: not there');
      const page = await s.editor!.get(base);
      assert.match(visibleText(page.body), /Copyediting/);
      assert.match(page.body, /name="role" value="copyeditor"/);
      const refused = await s.editor!.post(`${base}/copyediting/participants`, { role: 'copyeditor', userId: String(ids.author) });
      assert.equal(refused.statusCode, 422, 'an author is no copyeditor');
      assert.match(refused.body, /aria-invalid="true"/);
      const assigned = await s.editor!.post(`${base}/copyediting/participants`, { role: 'copyeditor', userId: String(ids.copyeditor) });
      assert.equal(assigned.statusCode, 303);
      assert.equal(assigned.headers.location, `${base}?copyeditNotice=assigned#copyediting`);
      assert.equal((await s.editor!.post(`${base}/copyediting/participants`, { role: 'layout-editor', userId: String(ids.layout) })).statusCode, 303);
      assert.equal((await s.copyeditor!.post(`${base}/copyediting/participants`, { role: 'copyeditor', userId: String(ids.stranger) })).statusCode, 403, 'a copyeditor assigns nobody');
      const mine = await s.copyeditor!.get(base);
      assert.equal(mine.statusCode, 200);
      const text = visibleText(mine.body);
      assert.match(text, /Files to copyedit/);
      assert.match(mine.body, /href="[^"]*\/files\/\d+" download="manuscript\.pdf"/);
      assert.doesNotMatch(mine.body, /copyediting\/send-to-production/, 'a copyeditor does not decide');
      const file = /\/files\/(\d+)" download="manuscript\.pdf"/.exec(mine.body)![1];
      assert.equal((await s.copyeditor!.get(`${base}/files/${file}`)).statusCode, 200, 'the copyeditor downloads the accepted file');
      assert.equal((await s.stranger!.get(base)).statusCode, 404);
    });

    it('takes copyedited files from the copyeditor (a new version kept as a revision), not from the author or a copyeditor not assigned', async () => {
      const upload = await s.copyeditor!.postMultipart(`${base}/copyediting/files`, {}, { file: { name: 'salt-copyedited.docx', type: 'application/octet-stream', content: DOCX } });
      assert.equal(upload.statusCode, 303);
      assert.equal(upload.headers.location, `${base}?copyeditNotice=uploaded#copyediting`);
      const [first] = await copyeditedFiles(db, submissionId);
      const again = await s.copyeditor!.postMultipart(`${base}/copyediting/files`, { revises: String(first!.id) }, { file: { name: 'salt-copyedited-2.docx', type: 'application/octet-stream', content: DOCX } });
      assert.equal(again.statusCode, 303);
      assert.deepEqual((await copyeditedFiles(db, submissionId)).map((f) => [f.name, f.revisions]), [['salt-copyedited-2.docx', 1]]);
      const none = await s.copyeditor!.postMultipart(`${base}/copyediting/files`, {}, {});
      assert.equal(none.statusCode, 400);
      assert.match(none.body, /id="copyedit-file-error"/);
      assert.equal((await s.author!.postMultipart(`${base}/copyediting/files`, {}, { file: { name: 'a.docx', type: 'application/octet-stream', content: DOCX } })).statusCode, 403);
      assert.equal((await s.stranger!.postMultipart(`${base}/copyediting/files`, {}, { file: { name: 'a.docx', type: 'application/octet-stream', content: DOCX } })).statusCode, 404);
      assert.equal((await copyeditedFiles(db, submissionId)).length, 1);
      const page = visibleText((await s.editor!.get(base)).body);
      assert.match(page, /Copyedited files .*salt-copyedited-2\.docx 64 B copyeditor/);
    });

    it('asks the author to review the copyedits from a templated form; the author reads the discussion and its file', async () => {
      const form = await s.copyeditor!.get(`${base}/copyediting/author-review`);
      assert.equal(form.statusCode, 200);
      assert.match(form.body, /the copyediting of your submission “Salt marshes” is done/);
      const fileId = /name="fileIds" value="(\d+)" checked/.exec(form.body)![1]!;
      const authorBox = /name="authorIds" value="(\d+)" checked/.exec(form.body)![1]!;
      assert.equal(Number(authorBox), ids.author);
      const empty = await s.copyeditor!.post(`${base}/copyediting/author-review`, { authorIds: authorBox, subject: 'Copyedits', message: 'Please look.' });
      assert.equal(empty.statusCode, 422, 'no file chosen');
      assert.match(empty.body, /Please look\./, 'what was typed is kept');
      const sent = await s.copyeditor!.post(`${base}/copyediting/author-review`, { authorIds: authorBox, fileIds: fileId, subject: 'Please review the copyedits', message: 'The copyedits are attached.' });
      assert.equal(sent.statusCode, 303);
      const discussion = sent.headers.location as string;
      assert.match(discussion, new RegExp(`${base}/discussions/\\d+$`));
      const read = await s.author!.get(discussion);
      assert.equal(read.statusCode, 200);
      assert.match(visibleText(read.body), /The copyedits are attached\./);
      assert.match(read.body, /salt-copyedited-2\.docx/);
      assert.equal((await s.author!.get(`${base}/copyediting/author-review`)).statusCode, 403, 'the author asks nobody');
      const section = visibleText((await s.editor!.get(base)).body);
      assert.match(section, /Please review the copyedits \(1 messages\)/);
    });

    it('sends to production with the chosen files (deciding editors only), and back', async () => {
      assert.equal((await s.copyeditor!.get(`${base}/copyediting/send-to-production`)).statusCode, 403);
      const form = await s.editor!.get(`${base}/copyediting/send-to-production`);
      assert.equal(form.statusCode, 200);
      const fileId = /name="fileIds" value="(\d+)" checked/.exec(form.body)![1]!;
      assert.equal((await s.copyeditor!.post(`${base}/copyediting/send-to-production`, { fileIds: fileId })).statusCode, 403);
      const sent = await s.editor!.post(`${base}/copyediting/send-to-production`, { fileIds: fileId });
      assert.equal(sent.statusCode, 303);
      assert.equal((await findSubmission(db, journalId, submissionId))!.stage, 'production');
      assert.deepEqual((await productionReadyFiles(db, submissionId)).map((f) => f.name), ['salt-copyedited-2.docx']);
      const page = visibleText((await s.editor!.get(`${base}?copyeditNotice=sent`)).body);
      assert.match(page, /The submission was sent to production\./);
      assert.match(page, /Production-ready files .*salt-copyedited-2\.docx 64 B editor/);
      const layout = await s.layout!.get(base);
      assert.equal(layout.statusCode, 200, 'the layout editor reads the submission');
      assert.match(visibleText(layout.body), /Production-ready files/);
      const twice = await s.editor!.post(`${base}/copyediting/send-to-production`, { fileIds: fileId });
      assert.equal(twice.statusCode, 409, 'out of order');
      const back = await s.editor!.post(`${base}/copyediting/back-to-copyediting`, {});
      assert.equal(back.statusCode, 303);
      assert.equal((await findSubmission(db, journalId, submissionId))!.stage, 'copyediting');
    });
  });
}
