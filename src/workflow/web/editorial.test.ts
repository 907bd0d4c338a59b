import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Kysely } from 'kysely';
import { createSection } from '../../catalog/index.ts';
import type { Database } from '../../db/index.ts';
import { jobHandlers } from '../../job-handlers.ts';
import { createMailer, type Mailer } from '../../mail/index.ts';
import { runJobsUntilIdle } from '../../platform/jobs/index.ts';
import type { FileStore } from '../../storage/index.ts';
import { startTestApp, visibleText, type TestApp } from '../../../test/support/app.ts';
import { testDatabases } from '../../../test/support/databases.ts';
import { Session, signedInAs } from '../../../test/support/session.ts';
import { startSmtpListener } from '../../../test/support/smtp.ts';
import { addSubmissionFile, createDraft, reviseSubmissionFile, saveSubmissionDetails, submitSubmission } from '../index.ts';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const PDF2 = Buffer.from('%PDF-1.4\n% second revision\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

async function stored(files: FileStore, bytes: Buffer, name: string) {
  const s = await files.put(bytes);
  return { storageKey: s.key, sizeBytes: s.sizeBytes, sha256: s.sha256, mimeType: 'application/pdf', originalName: name };
}

const userId = async (db: Kysely<Database>, email: string) => (await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;

/** A submission sent by `authorId` through the wizard's commands: one PDF, a title, an abstract. */
async function submitted(db: Kysely<Database>, files: FileStore, input: { journalId: number; authorId: number; sectionId: number; title: string; submittedAt?: Date; draft?: boolean }): Promise<{ id: number; fileId: number }> {
  const now = new Date();
  const id = await createDraft(db, { journalId: input.journalId, userId: input.authorId, sectionId: input.sectionId, locale: 'en', commentsForEditor: `Secret note for ${input.title}`, checklistConfirmed: true, agreementsAccepted: true, now });
  const fileId = await addSubmissionFile(db, { journalId: input.journalId, submissionId: id, userId: input.authorId, kind: 'article', upload: await stored(files, PDF, `${input.title}.pdf`), now });
  await saveSubmissionDetails(db, input.journalId, id, input.authorId, { prefix: {}, title: { en: input.title, pl: `Polski ${input.title}` }, subtitle: {}, abstract: { en: 'An abstract.' }, keywords: {} }, now);
  if (input.draft) return { id, fileId };
  await submitSubmission(db, input.journalId, id, input.authorId, now);
  if (input.submittedAt) await db.updateTable('submissions').set({ submitted_at: input.submittedAt }).where('id', '=', id).execute();
  return { id, fileId };
}

/** The submission ids in the dashboard table, in order. */
const idsOn = (html: string) => [...html.matchAll(/href="\/sm\/workflow\/index\/(\d+)"/g)].map((m) => Number(m[1]));
const countOf = (html: string, label: string) => Number(new RegExp(`${label} <span class="badge badge--neutral">(\\d+)</span>`).exec(html)?.[1] ?? NaN);

for (const database of await testDatabases()) {
  describe(`editorial dashboard and submission page on ${database.name}`, () => {
    let t: TestApp;
    let db: Kysely<Database>;
    let mailer: Mailer;
    let smtp: Awaited<ReturnType<typeof startSmtpListener>>;
    let journalId: number;
    let sectionA: number;
    let sectionB: number;
    const s: Record<string, Session> = {};
    const ids: Record<string, number> = {};
    const sub: Record<string, { id: number; fileId: number }> = {};

    before(async () => {
      smtp = await startSmtpListener();
      t = await startTestApp(database, { mailer: (h) => (mailer = createMailer(h.db, { smtpUrl: smtp.url, from: 'Revista <noreply@localhost>' })) });
      db = t.database.db;
      journalId = (await db.selectFrom('journals').select('id').where('path', '=', 'sm').executeTakeFirstOrThrow()).id;
      sectionA = (await db.selectFrom('sections').select('id').where('journal_id', '=', journalId).orderBy('id').executeTakeFirstOrThrow()).id;
      sectionB = await createSection(db, { journalId, title: { en: 'Essays', pl: 'Eseje' } });
      for (const [name, role] of [['manager', 'manager'], ['editor', 'editor'], ['sectionEditor', 'section-editor'], ['author', 'author'], ['otherAuthor', 'author'], ['reader', 'reader']] as const) {
        s[name] = await signedInAs(t.app, db, { email: `${name}@example.org`, role, journalId });
        ids[name] = await userId(db, `${name}@example.org`);
      }
      await db.updateTable('users').set({ given_name: JSON.stringify({ en: 'Zofia' }), family_name: JSON.stringify({ en: 'Wiśniewska' }) }).where('id', '=', ids.author!).execute();
      await db.insertInto('section_editor_sections').values({ user_id: ids.sectionEditor!, section_id: sectionA }).execute();
      const day = 86_400_000;
      const now = Date.now();
      sub.old = await submitted(db, t.files, { journalId, authorId: ids.author!, sectionId: sectionA, title: 'Glacial lakes of the Tatra', submittedAt: new Date(now - 30 * day) });
      sub.recent = await submitted(db, t.files, { journalId, authorId: ids.otherAuthor!, sectionId: sectionA, title: 'Urban heat islands', submittedAt: new Date(now - 2 * day) });
      sub.essay = await submitted(db, t.files, { journalId, authorId: ids.otherAuthor!, sectionId: sectionB, title: 'On reading slowly', submittedAt: new Date(now - 1 * day) });
      sub.assignedEssay = await submitted(db, t.files, { journalId, authorId: ids.otherAuthor!, sectionId: sectionB, title: 'Letters from Łódź', submittedAt: new Date(now - 5 * day) });
      sub.archived = await submitted(db, t.files, { journalId, authorId: ids.author!, sectionId: sectionA, title: 'Declined manuscript', submittedAt: new Date(now - 60 * day) });
      sub.draft = await submitted(db, t.files, { journalId, authorId: ids.author!, sectionId: sectionA, title: 'Unfinished draft', draft: true });
      await db.updateTable('submissions').set({ status: 'declined' }).where('id', '=', sub.archived.id).execute();
      await db.insertInto('submission_participants').values({ submission_id: sub.assignedEssay.id, user_id: ids.sectionEditor!, role: 'section-editor', created_at: new Date() }).execute();
      await reviseSubmissionFile(db, { journalId, submissionId: sub.old.id, submissionFileId: sub.old.fileId, userId: ids.author!, upload: await stored(t.files, PDF2, 'lakes-v2.pdf'), now: new Date() });
      // The mail of the submissions above (acknowledgements, "received") goes first, out of the way.
      await runJobs();
      smtp.received.length = 0;
    });
    const runJobs = async () => {
      const handlers = jobHandlers({ crossrefUrl: 'http://127.0.0.1:9/', baseUrl: 'http://localhost:3000', referenceParsing: false }, { mailer, files: t.files }).handlers;
      for (let i = 0; i < 4; i++) await runJobsUntilIdle(db, handlers);
    };
    after(async () => {
      await t.close();
      await smtp.close();
    });

    it('lists the queues with their counts, newest submitted first, and never a draft', async () => {
      const page = await s.manager!.get('/sm/dashboard/editorial');
      assert.equal(page.statusCode, 200);
      assert.deepEqual(idsOn(page.body), [sub.essay!.id, sub.recent!.id, sub.assignedEssay!.id, sub.old!.id]);
      assert.equal(countOf(page.body, 'All active'), 4);
      assert.equal(countOf(page.body, 'Unassigned'), 3);
      assert.equal(countOf(page.body, 'Archived'), 1);
      assert.equal(countOf(page.body, 'My assigned'), 0);
      assert.deepEqual(idsOn((await s.manager!.get('/sm/dashboard/editorial?queue=unassigned')).body), [sub.essay!.id, sub.recent!.id, sub.old!.id]);
      assert.deepEqual(idsOn((await s.manager!.get('/sm/dashboard/editorial?queue=archived')).body), [sub.archived!.id]);
      assert.deepEqual(idsOn((await s.sectionEditor!.get('/sm/dashboard/editorial?queue=mine')).body), [sub.assignedEssay!.id]);
      assert.ok(!page.body.includes('Unfinished draft'));
      assert.match(visibleText(page.body), /Zofia Wiśniewska/);
    });

    it('searches titles in any language, authors’ names without diacritics and ids; filters by section, stage, status, dates and overdue', async () => {
      const ids = async (query: string) => idsOn((await s.manager!.get(`/sm/dashboard/editorial?${query}`)).body);
      assert.deepEqual(await ids('search=glacial'), [sub.old!.id]);
      assert.deepEqual(await ids('search=POLSKI+urban'), [sub.recent!.id]);
      assert.deepEqual(await ids('search=lodz'), [sub.assignedEssay!.id]);
      assert.deepEqual(await ids('search=wisniewska'), [sub.old!.id]);
      assert.deepEqual(await ids(`search=${sub.essay!.id}`), [sub.essay!.id]);
      assert.deepEqual(await ids('search=%25'), []);
      assert.deepEqual(await ids('search=la'), [], 'a word too short to search for finds nothing, not everything');
      assert.deepEqual(await ids(`section=${sectionB}`), [sub.essay!.id, sub.assignedEssay!.id]);
      assert.deepEqual(await ids('stage=review'), []);
      assert.deepEqual(await ids('queue=archived&status=declined'), [sub.archived!.id]);
      const threeDaysAgo = new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10);
      assert.deepEqual(await ids(`from=${threeDaysAgo}`), [sub.essay!.id, sub.recent!.id]);
      assert.deepEqual(await ids(`to=${threeDaysAgo}`), [sub.assignedEssay!.id, sub.old!.id]);
      const overdue = await s.manager!.get('/sm/dashboard/editorial?overdue=1');
      assert.deepEqual(idsOn(overdue.body), [sub.old!.id], 'only the one waiting over 14 days with no editor');
      assert.match(overdue.body, /badge--danger">Overdue/);
      const bad = await s.manager!.get('/sm/dashboard/editorial?from=2024-13-45');
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /aria-describedby="editorial-from-error"/);
      assert.equal((await s.manager!.get(`/sm/dashboard/editorial?search=${'x'.repeat(2000)}`)).statusCode, 400);
    });

    it('finds a submission by the titles and names it has now, however they were changed', async () => {
      const found = async (query: string) => idsOn((await s.manager!.get(`/sm/dashboard/editorial?${query}`)).body);
      const renamed = await submitted(db, t.files, { journalId, authorId: ids.otherAuthor!, sectionId: sectionB, title: 'Tidal flats of the Wadden Sea' });
      try {
        assert.deepEqual(await found('search=wadden'), [renamed.id]);
        // Changed by SQL, as an import or a hand fix would: the search follows whoever writes.
        await db.updateTable('publications').set({ title: JSON.stringify({ en: 'Salt marshes of Żuławy' }) }).where('article_id', '=', renamed.id).execute();
        assert.deepEqual(await found('search=wadden'), []);
        assert.deepEqual(await found('search=zulawy+marshes'), [renamed.id]);
        const publicationId = (await db.selectFrom('publications').select('id').where('article_id', '=', renamed.id).executeTakeFirstOrThrow()).id;
        await db.insertInto('contributors').values({ publication_id: publicationId, given_name: JSON.stringify({ en: 'Ignacy' }), family_name: JSON.stringify({ en: 'Domeyko' }), affiliation: '{}', ror_id: null, email: null, orcid: null, country: null, seq: 9 }).execute();
        assert.deepEqual(await found('search=domeyko+zulawy'), [renamed.id]);
        await db.deleteFrom('contributors').where('publication_id', '=', publicationId).where('seq', '=', 9).execute();
        assert.deepEqual(await found('search=domeyko'), []);
      } finally {
        await db.deleteFrom('articles').where('id', '=', renamed.id).execute();
      }
      assert.deepEqual(await found('search=zulawy'), []);
    });

    it('shows a section editor only their section’s submissions and those they are assigned to', async () => {
      const page = await s.sectionEditor!.get('/sm/dashboard/editorial');
      assert.deepEqual(idsOn(page.body), [sub.recent!.id, sub.assignedEssay!.id, sub.old!.id]);
      assert.equal((await s.sectionEditor!.get(`/sm/workflow/index/${sub.essay!.id}`)).statusCode, 404);
      assert.equal((await s.sectionEditor!.get(`/sm/workflow/index/${sub.assignedEssay!.id}`)).statusCode, 200);
      assert.equal((await s.sectionEditor!.get(`/sm/workflow/index/${sub.essay!.id}/files/${sub.essay!.fileId}`)).statusCode, 404);
    });

    it('shows the submission page: metadata, files with revisions, participants, activity; comments only to editors', async () => {
      const editorView = await s.editor!.get(`/sm/workflow/index/${sub.old!.id}`);
      assert.equal(editorView.statusCode, 200);
      const text = visibleText(editorView.body);
      for (const expected of ['Glacial lakes of the Tatra', 'Polski Glacial lakes of the Tatra', 'An abstract.', 'Zofia Wiśniewska', 'lakes-v2.pdf', 'Secret note for Glacial', 'Zofia Wiśniewska submitted the manuscript.', 'uploaded a new revision: lakes-v2.pdf']) {
        assert.ok(text.includes(expected), `the editor's page shows ${expected}`);
      }
      assert.match(editorView.body, /Assign a section editor/);
      assert.match(editorView.body, new RegExp(`href="/sm/workflow/index/${sub.old!.id}/discussions"`));
      const authorView = await s.author!.get(`/sm/workflow/index/${sub.old!.id}`);
      assert.equal(authorView.statusCode, 200);
      assert.ok(!authorView.body.includes('Secret note'), 'no comments for the editor on the author’s page');
      assert.ok(!authorView.body.includes('Assign a'), 'no assignment form for the author');
      assert.ok(visibleText(authorView.body).includes('lakes-v2.pdf'));
    });

    it('serves files and earlier revisions as attachments to those who may read them', async () => {
      const base = `/sm/workflow/index/${sub.old!.id}/files/${sub.old!.fileId}`;
      const current = await s.author!.get(base);
      assert.equal(current.statusCode, 200);
      assert.equal(current.rawPayload.toString(), PDF2.toString());
      assert.equal(current.headers['content-type'], 'application/pdf');
      assert.equal(current.headers['x-content-type-options'], 'nosniff');
      assert.equal(current.headers['cache-control'], 'private, no-store');
      assert.equal(current.headers['content-disposition'], `attachment; filename="lakes-v2.pdf"; filename*=UTF-8''lakes-v2.pdf`);
      const revisions = await db.selectFrom('submission_file_revisions').select('id').where('submission_file_id', '=', sub.old!.fileId).orderBy('id').execute();
      const earlier = await s.editor!.get(`${base}/revisions/${revisions[0]!.id}`);
      assert.equal(earlier.statusCode, 200);
      assert.equal(earlier.rawPayload.toString(), PDF.toString());
      assert.match(String(earlier.headers['content-disposition']), /^attachment; filename="Glacial lakes of the Tatra.pdf"; filename\*=UTF-8''Glacial%20lakes%20of%20the%20Tatra.pdf$/);
    });

    it('lets nobody else learn that a submission or its files exist, ids guessed in addresses included', async () => {
      const visitor = new Session(t.app, { 'accept-language': 'en' });
      const otherRevision = (await db.selectFrom('submission_file_revisions').select('id').where('submission_file_id', '=', sub.recent!.fileId).executeTakeFirstOrThrow()).id;
      const own = sub.old!;
      const addresses = [
        `/sm/workflow/index/${sub.recent!.id}`,
        `/sm/workflow/index/${sub.recent!.id}/files/${sub.recent!.fileId}`,
        `/sm/workflow/index/${sub.recent!.id}/files/${sub.recent!.fileId}/revisions/${otherRevision}`,
        `/sm/workflow/access/${sub.recent!.id}`,
      ];
      for (const url of addresses) {
        assert.equal((await s.author!.get(url)).statusCode, 404, `another author's ${url}`);
        assert.equal((await s.reader!.get(url)).statusCode, 404, `reader ${url}`);
        const v = await visitor.get(url);
        assert.equal(v.statusCode, 303, `visitor ${url}`);
        assert.match(String(v.headers.location), /^\/sm\/login\?source=/);
        assert.equal((await s.editor!.get(url)).statusCode, url.includes('/access/') ? 303 : 200, `editor ${url}`);
      }
      // Another submission's file under the author's own submission, another file's revision under the author's own file.
      assert.equal((await s.author!.get(`/sm/workflow/index/${own.id}/files/${sub.recent!.fileId}`)).statusCode, 404);
      assert.equal((await s.editor!.get(`/sm/workflow/index/${own.id}/files/${sub.recent!.fileId}`)).statusCode, 404);
      assert.equal((await s.editor!.get(`/sm/workflow/index/${own.id}/files/${own.fileId}/revisions/${otherRevision}`)).statusCode, 404);
      // Through another journal's address.
      assert.equal((await s.editor!.get(`/other-journal/workflow/index/${own.id}`)).statusCode, 404);
      // A draft: its author is sent to the wizard, editors do not see it.
      const access = await s.author!.get(`/sm/workflow/access/${sub.draft!.id}`);
      assert.equal(access.statusCode, 303);
      assert.equal(access.headers.location, `/sm/submission/${sub.draft!.id}/files`);
      assert.equal((await s.editor!.get(`/sm/workflow/access/${sub.draft!.id}`)).statusCode, 404);
      assert.equal((await s.editor!.get(`/sm/workflow/index/${sub.draft!.id}/files/${sub.draft!.fileId}`)).statusCode, 404);
      assert.equal((await s.author!.get(`/sm/workflow/access/${own.id}`)).headers.location, `/sm/workflow/index/${own.id}`);
      // The dashboard: readers and authors are refused, visitors sent to sign in.
      assert.equal((await s.reader!.get('/sm/dashboard/editorial')).statusCode, 403);
      assert.equal((await s.author!.get('/sm/dashboard/editorial')).statusCode, 403);
      assert.equal((await visitor.get('/sm/dashboard/editorial')).statusCode, 303);
      // An author may not assign, even on their own submission.
      await s.author!.get(`/sm/workflow/index/${own.id}`);
      assert.equal((await s.author!.post(`/sm/workflow/index/${own.id}/participants`, { role: 'editor', userId: String(ids.editor) })).statusCode, 403);
    });

    it('assigns a section editor, who is emailed, and removes them again', async () => {
      const page = await s.manager!.get(`/sm/workflow/index/${sub.recent!.id}`);
      // The section's own section editors come first in the list.
      assert.match(page.body, /<select id="assign-section-editor"[^>]*>\s*<option value="">Choose a person<\/option>\s*<option value="\d+">[^<]*\(this section\)/);
      const assigned = await s.manager!.post(`/sm/workflow/index/${sub.recent!.id}/participants`, { role: 'section-editor', userId: String(ids.sectionEditor), recommendOnly: 'on' });
      assert.equal(assigned.statusCode, 303);
      const after = await s.manager!.get(String(assigned.headers.location));
      assert.match(visibleText(after.body), /manager assigned sectionEditor as Section editor\./);
      assert.match(visibleText(after.body), /may only recommend/);
      const row = await db.selectFrom('submission_participants').select(['id', 'recommend_only']).where('submission_id', '=', sub.recent!.id).where('user_id', '=', ids.sectionEditor!).executeTakeFirstOrThrow();
      assert.equal(row.recommend_only, true);

      await runJobs();
      assert.equal(smtp.received.length, 1, 'one mail: to the assigned person');
      const received = smtp.received[0]!;
      assert.deepEqual(received.envelopeTo, ['sectionEditor@example.org']);
      assert.match(received.text, new RegExp(`/sm/workflow/(index|access)/${sub.recent!.id}`));

      const mine = await s.sectionEditor!.get('/sm/dashboard/editorial?queue=mine');
      assert.deepEqual(idsOn(mine.body), [sub.recent!.id, sub.assignedEssay!.id]);

      const again = await s.manager!.post(`/sm/workflow/index/${sub.recent!.id}/participants`, { role: 'section-editor', userId: String(ids.sectionEditor) });
      assert.equal(again.statusCode, 409);
      assert.match(again.body, /This person is assigned already/);
      const reader = await s.manager!.post(`/sm/workflow/index/${sub.recent!.id}/participants`, { role: 'editor', userId: String(ids.reader) });
      assert.equal(reader.statusCode, 422);

      await s.manager!.get(`/sm/workflow/index/${sub.recent!.id}`);
      // The page asks first, naming the person; only its button removes them.
      const asked = await s.manager!.get(`/sm/workflow/index/${sub.recent!.id}/participants/${row.id}/remove`);
      assert.equal(asked.statusCode, 200);
      assert.match(asked.body, /<form[^>]+method="post"/);
      assert.equal((await t.database.db.selectFrom('submission_participants').select('id').where('id', '=', row.id).execute()).length, 1, 'asking removes nobody');
      const removed = await s.manager!.post(`/sm/workflow/index/${sub.recent!.id}/participants/${row.id}/remove`);
      assert.equal(removed.statusCode, 303);
      assert.equal((await s.manager!.post(`/sm/workflow/index/${sub.recent!.id}/participants/${row.id}/remove`)).statusCode, 404);
      assert.deepEqual(idsOn((await s.sectionEditor!.get('/sm/dashboard/editorial?queue=mine')).body), [sub.assignedEssay!.id]);
    });

    it('lets an editor upload a new revision, keeping the earlier ones', async () => {
      const base = `/sm/workflow/index/${sub.essay!.id}`;
      await s.editor!.get(base);
      const response = await s.editor!.postMultipart(`${base}/files/${sub.essay!.fileId}/revise`, {}, { file: { name: 'essay-edited.pdf', type: 'application/pdf', content: PDF2 } });
      assert.equal(response.statusCode, 303, response.body);
      const page = await s.editor!.get(base);
      assert.match(visibleText(page.body), /essay-edited\.pdf/);
      assert.match(page.body, /Show earlier revisions/);
      const download = await s.otherAuthor!.get(`${base}/files/${sub.essay!.fileId}`);
      assert.equal(download.rawPayload.toString(), PDF2.toString());
      // An author may not revise through the editors' form.
      await s.otherAuthor!.get(base);
      const refused = await s.otherAuthor!.postMultipart(`${base}/files/${sub.essay!.fileId}/revise`, {}, { file: { name: 'x.pdf', type: 'application/pdf', content: PDF } });
      assert.equal(refused.statusCode, 403);
    });
  });
}
