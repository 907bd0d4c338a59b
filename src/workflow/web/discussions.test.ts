import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Kysely } from 'kysely';
import { startTestApp, visibleText, type TestApp } from '../../../test/support/app.ts';
import { testDatabases } from '../../../test/support/databases.ts';
import { signedInAs, type Session } from '../../../test/support/session.ts';
import { startSmtpListener } from '../../../test/support/smtp.ts';
import type { Database } from '../../db/index.ts';
import { createCrossrefClient } from '../../exports/index.ts';
import { createMailer, type Mailer } from '../../mail/index.ts';
import { runJobsUntilIdle } from '../../platform/jobs/index.ts';
import type { FileStore } from '../../storage/index.ts';
import { buildSubscriptions } from '../../subscribers.ts';
import { addSubmissionFile, createDraft, saveSubmissionDetails, submitSubmission } from '../index.ts';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

/** A submitted manuscript of `authorId` in the demo journal, made through the workflow's own commands. */
export async function submittedManuscript(db: Kysely<Database>, files: FileStore, authorId: number, title: string): Promise<number> {
  const now = new Date();
  const section = await db.selectFrom('sections').select('id').where('journal_id', '=', 1).orderBy('id').executeTakeFirstOrThrow();
  const journal = await db.selectFrom('journals').select('primary_locale').where('id', '=', 1).executeTakeFirstOrThrow();
  const locale = journal.primary_locale;
  const id = await createDraft(db, { journalId: 1, userId: authorId, sectionId: section.id, locale, commentsForEditor: '', checklistConfirmed: true, agreementsAccepted: true, now });
  const stored = await files.put(PDF);
  await addSubmissionFile(db, { journalId: 1, submissionId: id, userId: authorId, kind: 'article', upload: { storageKey: stored.key, sizeBytes: stored.sizeBytes, sha256: stored.sha256, mimeType: 'application/pdf', originalName: 'manuscript.pdf' }, now });
  await saveSubmissionDetails(db, 1, id, authorId, { prefix: {}, title: { [locale]: title }, subtitle: {}, abstract: { [locale]: 'What the manuscript is about.' }, keywords: {} }, now);
  await submitSubmission(db, 1, id, authorId, now);
  return id;
}

/** A multipart form with repeated file fields, as a browser sends `<input type=file multiple>`. */
async function postFiles(session: Session, url: string, fields: Record<string, string | string[]>, files: Array<{ name: string; type: string; content: Buffer }>) {
  const boundary = `----revista${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  const all: Record<string, string | string[]> = { _csrf: session.csrf, ...fields };
  for (const [name, value] of Object.entries(all)) for (const v of Array.isArray(value) ? value : [value]) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${v}\r\n`));
  for (const file of files) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="attachments"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`), file.content, Buffer.from('\r\n'));
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  const cookie = [...session.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  return session.app.inject({ method: 'POST', url, headers: { ...session.headers, cookie, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload: Buffer.concat(parts) });
}

/** Every file in the store (upload spools left aside). */
function storedFiles(root: string): string[] {
  if (!fs.existsSync(root)) return [];
  return fs.readdirSync(root, { withFileTypes: true, recursive: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

for (const database of await testDatabases()) {
  describe(`discussions of a submission (${database.name})`, () => {
    let t: TestApp;
    let smtp: Awaited<ReturnType<typeof startSmtpListener>>;
    let mailer: Mailer;
    let editor: Session;
    let author: Session;
    let otherAuthor: Session;
    let reviewer: Session;
    let reader: Session;
    let editorId: number;
    let authorId: number;
    let secondEditorId: number;
    let submissionId: number;
    let base: string;
    let discussionUrl: string;
    let attachmentUrl: string;
    const subscriptions = buildSubscriptions({ crossref: createCrossrefClient({ baseUrl: 'http://127.0.0.1:9' }), baseUrl: 'http://localhost:3000' });
    const runJobs = () => runJobsUntilIdle(t.database.db, [...subscriptions.jobHandlers(), ...mailer.jobs]);
    const userId = async (email: string) => (await t.database.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
    const mailTo = (email: string) => smtp.received.filter((m) => m.envelopeTo.includes(email));

    before(async () => {
      smtp = await startSmtpListener();
      t = await startTestApp(database, { mailer: (db) => (mailer = createMailer(db.db, { smtpUrl: smtp.url, from: 'Revista <noreply@example.org>' })) });
      const db = t.database.db;
      editor = await signedInAs(t.app, db, { email: 'editor@example.org', role: 'editor', journalId: 1 });
      author = await signedInAs(t.app, db, { email: 'author@example.org', role: 'author', journalId: 1 });
      otherAuthor = await signedInAs(t.app, db, { email: 'other-author@example.org', role: 'author', journalId: 1 });
      reviewer = await signedInAs(t.app, db, { email: 'reviewer@example.org', role: 'reviewer', journalId: 1 });
      reader = await signedInAs(t.app, db, { email: 'reader@example.org', role: 'reader', journalId: 1 });
      await signedInAs(t.app, db, { email: 'second-editor@example.org', role: 'editor', journalId: 1 });
      [editorId, authorId, secondEditorId] = [await userId('editor@example.org'), await userId('author@example.org'), await userId('second-editor@example.org')];
      submissionId = await submittedManuscript(db, t.files, authorId, 'Rivers of the north');
      await submittedManuscript(db, t.files, await userId('other-author@example.org'), 'Another manuscript');
      base = `/sm/workflow/index/${submissionId}/discussions`;
      await runJobs();
      smtp.received.length = 0;
    });
    after(async () => {
      await t.close();
      await smtp.close();
    });

    it('an editor starts a discussion with the author, with an attachment; the author is emailed and answers; the editor is emailed', async () => {
      const list = await editor.get(base);
      assert.equal(list.statusCode, 200, list.body);
      assert.match(list.body, /enctype="multipart\/form-data"/);
      assert.match(visibleText(list.body), /author@example\.org|author \(Author\)/);
      const started = await postFiles(editor, base, { stage: 'submission', subject: 'Figures in section 2', participantIds: String(authorId), body: 'Could you send the figures\nin higher resolution?' }, [{ name: 'notes on figures.pdf', type: 'application/pdf', content: PDF }]);
      assert.equal(started.statusCode, 303, started.body);
      discussionUrl = String(started.headers.location).replace(/\?.*$/, '');
      assert.match(discussionUrl, new RegExp(`^${base}/\\d+$`));

      const thread = await editor.get(String(started.headers.location));
      assert.equal(thread.statusCode, 200);
      const text = visibleText(thread.body);
      assert.match(text, /Could you send the figures in higher resolution\?/);
      assert.match(text, /notes on figures\.pdf/);
      assert.match(thread.body, /<time datetime="\d{4}-\d{2}-\d{2}T/);
      attachmentUrl = /href="([^"]+\/files\/\d+)"/.exec(thread.body)![1]!;

      await runJobs();
      const toAuthor = mailTo('author@example.org');
      assert.equal(toAuthor.length, 1, 'the author is told');
      assert.match(toAuthor[0]!.subject, /Figures in section 2/);
      assert.ok(toAuthor[0]!.text.includes(`http://localhost:3000${discussionUrl}`));
      assert.match(toAuthor[0]!.text, /notes on figures\.pdf/);
      assert.equal(mailTo('editor@example.org').length, 0, 'the sender is not mailed');

      // The author sees it listed, opens it, downloads the attachment and answers.
      const authorList = await author.get(base);
      assert.equal(authorList.statusCode, 200);
      assert.match(visibleText(authorList.body), /Figures in section 2/);
      const file = await author.get(attachmentUrl);
      assert.equal(file.statusCode, 200);
      assert.deepEqual(file.rawPayload, PDF);
      assert.match(String(file.headers['content-disposition']), /^attachment;/);
      assert.equal(file.headers['x-content-type-options'], 'nosniff');
      assert.equal(file.headers['content-type'], 'application/pdf');

      await author.get(discussionUrl);
      const answer = await author.post(discussionUrl, { body: 'Here they are: 600 dpi from now on.' });
      assert.equal(answer.statusCode, 303, answer.body);
      await runJobs();
      const toEditor = mailTo('editor@example.org');
      assert.equal(toEditor.length, 1, 'the editor is told of the answer');
      assert.match(toEditor[0]!.text, /600 dpi/);
      assert.equal(mailTo('author@example.org').length, 1, 'the author is not mailed their own answer');

      const actions = await t.database.db.selectFrom('submission_activity').select('action').where('submission_id', '=', submissionId).where('action', 'like', 'discussion.%').orderBy('id').execute();
      assert.deepEqual(actions.map((a) => a.action), ['discussion.started', 'discussion.message']);
    });

    it('shows strangers to the submission nothing: another submission’s author, a reviewer and a reader get 404', async () => {
      for (const [who, session] of [
        ['another author', otherAuthor],
        ['a reviewer', reviewer],
        ['a reader', reader],
      ] as const) {
        for (const url of [base, discussionUrl, attachmentUrl]) assert.equal((await session.get(url)).statusCode, 404, `${who}: ${url}`);
        await session.get('/sm/user/profile');
        assert.equal((await session.post(discussionUrl, { body: 'Let me in' })).statusCode, 404, `${who} posts`);
        const upload = await postFiles(session, discussionUrl, { body: 'Let me in' }, [{ name: 'a.pdf', type: 'application/pdf', content: PDF }]);
        assert.equal(upload.statusCode, 404, `${who} uploads`);
        assert.equal(upload.headers.connection, 'close', `${who}: answered before the upload was read`);
      }
      const visitor = await t.app.inject({ url: discussionUrl });
      assert.ok([302, 303].includes(visitor.statusCode), 'a visitor is sent to sign in');
      assert.match(String(visitor.headers.location), /\/sm\/login\?source=/);
      // Ids that do not exist, or name another submission's discussion, are the same 404.
      assert.equal((await editor.get(`${base}/999999`)).statusCode, 404);
      assert.equal((await editor.get(`/sm/workflow/index/999999/discussions`)).statusCode, 404);
    });

    it('an author not invited to a discussion does not see it, nor its files through it', async () => {
      await editor.get(base);
      const started = await editor.post(base, { stage: 'review', subject: 'Choosing reviewers', participantIds: String(secondEditorId), body: 'Between us: who should review this?' });
      assert.equal(started.statusCode, 303, started.body);
      const privateUrl = String(started.headers.location).replace(/\?.*$/, '');
      const list = visibleText((await author.get(base)).body);
      assert.match(list, /Figures in section 2/);
      assert.doesNotMatch(list, /Choosing reviewers/);
      assert.equal((await author.get(privateUrl)).statusCode, 404);
      // The attachment of the first discussion through the second one's address: not there.
      const fileId = /\/files\/(\d+)$/.exec(attachmentUrl)![1];
      assert.equal((await editor.get(`${privateUrl}/files/${fileId}`)).statusCode, 404);
      // The editor sees both, under their stages.
      const editorList = visibleText((await editor.get(base)).body);
      assert.match(editorList, /Submission .*Figures in section 2.*Review .*Choosing reviewers/);
    });

    it('lets an author ask in only the submission’s editors', async () => {
      await author.get(base);
      const refused = await author.post(base, { stage: 'submission', subject: 'Hello', participantIds: String(await userId('reviewer@example.org')), body: 'Hi' });
      assert.equal(refused.statusCode, 422);
      assert.match(visibleText(refused.body), /authors may ask only its editors/);
      const form = await author.get(base);
      assert.doesNotMatch(visibleText(form.body), /other-author@example\.org|reviewer@example\.org/);
      const ok = await author.post(base, { stage: 'submission', subject: 'A question for the editor', participantIds: String(editorId), body: 'When will I hear back?' });
      assert.equal(ok.statusCode, 303, ok.body);
    });

    it('escapes hostile HTML in a message', async () => {
      await author.get(discussionUrl);
      const hostile = '<script>alert(1)</script><img src=x onerror=alert(2)> & "quotes"';
      assert.equal((await author.post(discussionUrl, { body: hostile })).statusCode, 303);
      const page = await editor.get(discussionUrl);
      assert.doesNotMatch(page.body, /<script>alert\(1\)/);
      assert.doesNotMatch(page.body, /<img src=x/);
      assert.match(page.body, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    });

    it('refuses an over-long message, too many attachments, and HTML or SVG files, saying why and saving nothing', async () => {
      const db = t.database.db;
      const count = async () => ({
        messages: Number((await db.selectFrom('discussion_messages').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n),
        files: Number((await db.selectFrom('files').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n),
      });
      const before = await count();
      const storedBefore = storedFiles(t.files.root).length;
      await author.get(discussionUrl);

      const long = await postFiles(author, discussionUrl, { body: 'x'.repeat(20001) }, []);
      assert.equal(long.statusCode, 422);
      assert.match(visibleText(long.body), /too long: at most 20000 characters/);
      assert.match(long.body, /aria-describedby="[^"]*field-body-error/);

      const six = Array.from({ length: 6 }, (_, i) => ({ name: `part-${i}.pdf`, type: 'application/pdf', content: PDF }));
      const many = await postFiles(author, discussionUrl, { body: 'Six files' }, six);
      assert.equal(many.statusCode, 422);
      assert.match(visibleText(many.body), /at most 5 attachments/);

      const html = await postFiles(author, discussionUrl, { body: 'A page' }, [{ name: 'notes.txt', type: 'text/plain', content: Buffer.from('<!DOCTYPE html><html><body><script>alert(1)</script></body></html>') }]);
      assert.equal(html.statusCode, 415, 'a web page is told by its bytes, whatever its name');
      assert.match(visibleText(html.body), /“notes\.txt” cannot be attached: files of its type \(text\/html\)/);

      const svg = await postFiles(author, discussionUrl, { body: 'A drawing' }, [{ name: 'figure.png', type: 'image/png', content: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>') }]);
      assert.equal(svg.statusCode, 415);
      assert.match(visibleText(svg.body), /cannot be attached/);

      // The same refusals start no discussion either.
      await editor.get(base);
      const startHtml = await postFiles(editor, base, { stage: 'submission', subject: 'With a page', participantIds: String(authorId), body: 'See the page' }, [{ name: 'page.svg', type: 'image/svg+xml', content: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>') }]);
      assert.equal(startHtml.statusCode, 415);

      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.deepEqual(await count(), before, 'no message and no file recorded');
      assert.equal(storedFiles(t.files.root).length, storedBefore, 'no file left in the store');
      assert.doesNotMatch(visibleText((await editor.get(base)).body), /With a page/);
    });

    it('lets the editor close a discussion (no more answers) and open it again', async () => {
      await editor.get(discussionUrl);
      assert.equal((await editor.post(`${discussionUrl}/close`)).statusCode, 303);
      const page = await author.get(discussionUrl);
      assert.match(visibleText(page.body), /This discussion is closed/);
      assert.doesNotMatch(page.body, /name="body"/);
      assert.equal((await author.post(discussionUrl, { body: 'One more thing' })).statusCode, 409);
      assert.equal((await author.post(`${discussionUrl}/reopen`)).statusCode, 403, 'an author cannot reopen it');
      assert.equal((await editor.post(`${discussionUrl}/reopen`)).statusCode, 303);
      await author.get(discussionUrl);
      assert.equal((await author.post(discussionUrl, { body: 'One more thing' })).statusCode, 303);
    });
  });
}
