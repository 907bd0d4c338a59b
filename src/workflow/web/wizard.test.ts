import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createUserWithRole } from '../../accounts/index.ts';
import { createSection } from '../../catalog/index.ts';
import { createMailer, type Mailer } from '../../mail/index.ts';
import { createSubscriptions } from '../../platform/events/index.ts';
import { runJobsUntilIdle } from '../../platform/jobs/index.ts';
import { subscribeWorkflowMail } from '../index.ts';
import { splitReferences } from './wizard-references-routes.ts';
import { startTestApp, visibleText, type TestApp } from '../../../test/support/app.ts';
import { testDatabases } from '../../../test/support/databases.ts';
import { Session } from '../../../test/support/session.ts';
import { startSmtpListener } from '../../../test/support/smtp.ts';

/**
 * The submission wizard and the author's dashboard through HTTP, as an author uses them: a draft
 * filled in step by step and submitted, resumed where it was left, refused where it must be.
 */

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(200, 7)]);

/** Stored files under the store's root (its key directories), leaving out upload spools. */
function storedFiles(root: string): string[] {
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && /^[0-9a-f]{2}$/.test(d.name))
    .flatMap((d) => fs.readdirSync(path.join(root, d.name)).map((name) => path.join(d.name, name)));
}

/** The text of the error shown next to a field (its id is `field-{name}-error`). */
function fieldError(html: string, id: string): string | undefined {
  const match = new RegExp(`id="${id}-error"[^>]*>([^<]*)<`).exec(html);
  return match?.[1];
}

describe('pasted references', () => {
  it('are one per line, or blocks separated by blank lines (a reference broken over lines stays one)', () => {
    assert.deepEqual(splitReferences('A (2001). One.\r\n\r\nB (2002).\nTwo, continued.\n\n\n  C (2003). Three.  \n'), ['A (2001). One.', 'B (2002). Two, continued.', 'C (2003). Three.']);
    // With a blank line anywhere, the blank lines separate: the lines of a block are one reference.
    assert.deepEqual(splitReferences('A (2001). One.\nB (2002). Two.\n   \nC'), ['A (2001). One. B (2002). Two.', 'C']);
    assert.deepEqual(splitReferences('A (2001). One.\nB (2002). Two.\n'), ['A (2001). One.', 'B (2002). Two.']);
    assert.deepEqual(splitReferences(' \n\n '), []);
  });
});

for (const database of await testDatabases()) {
  describe(`submission wizard on ${database.name}`, () => {
    let t: TestApp;
    let smtp: Awaited<ReturnType<typeof startSmtpListener>>;
    let mailer: Mailer;
    let author: Session;
    let closedSectionId: number;
    const count = async (table: 'submissions' | 'files' | 'submission_files') => Number((await t.database.db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);

    const person = async (email: string, givenName: string) => {
      await createUserWithRole(t.database.db, { email, password: 'a long enough password', role: 'reader', journalId: 1, givenName, now: new Date() });
      const session = new Session(t.app, { 'accept-language': 'en' });
      await session.signIn(email, 'a long enough password');
      return session;
    };

    /** Starts a draft in the demo section with the checklist and agreements confirmed; returns its id. */
    const startDraft = async (session: Session) => {
      await session.get('/sm/submission');
      const started = await session.post('/sm/submission', { sectionId: '1', locale: 'en', checklist: '0', agreements: 'on', commentsForEditor: '' });
      assert.equal(started.statusCode, 303, started.body);
      return Number(/\/sm\/submission\/(\d+)\/files$/.exec(started.headers.location as string)![1]);
    };

    before(async () => {
      smtp = await startSmtpListener();
      t = await startTestApp(database, { mailer: (db) => (mailer = createMailer(db.db, { smtpUrl: smtp.url, from: 'Revista <noreply@localhost>' })) });
      const db = t.database.db;
      // The journal asks for a confirmed checklist and accepted terms; figures may have 2 kB at most.
      await db
        .insertInto('submission_settings')
        .values({
          journal_id: 1,
          checklist: JSON.stringify([{ en: 'The manuscript has not been published before.', pl: 'Tekst nie był wcześniej publikowany.' }]),
          copyright_notice: JSON.stringify({ en: 'Authors keep the copyright and license the work under CC BY 4.0.' }),
          privacy_statement: JSON.stringify({ en: 'Names and addresses are used only for this journal.' }),
          author_guidelines: JSON.stringify({ en: 'Send a PDF.' }),
          file_kinds: JSON.stringify([
            { key: 'article', name: { en: 'Article text', pl: 'Tekst artykułu' }, types: ['application/pdf'], maxBytes: 1024 * 1024, required: true },
            { key: 'figure', name: { en: 'Figure', pl: 'Ilustracja' }, types: ['image/png'], maxBytes: 2000, required: false },
          ]),
        } as never)
        .execute();
      closedSectionId = await createSection(db, { journalId: 1, title: { en: 'Book reviews (invited)' } });
      await db.insertInto('section_submission_settings').values({ section_id: closedSectionId, is_open: false }).execute();
      author = await person('author@example.org', 'Anna');
    });
    after(async () => {
      await t.close();
      await smtp.close();
    });

    it('takes a manuscript from the first step to submission, refusing what is wrong next to the field', async () => {
      // Start: the checklist is required, and nothing is created until it is confirmed.
      const start = await author.get('/sm/submission');
      assert.equal(start.statusCode, 200);
      assert.match(start.body, /aria-current="step"[^>]*>Start</);
      assert.match(start.body, /href="\/sm\/about\/submissions"/);
      assert.match(visibleText(start.body), /The manuscript has not been published before\./);
      const unconfirmed = await author.post('/sm/submission', { sectionId: '1', locale: 'en', agreements: 'on', commentsForEditor: 'Please consider it.' });
      assert.equal(unconfirmed.statusCode, 422);
      assert.equal(fieldError(unconfirmed.body, 'field-checklist'), 'Please confirm every item of the checklist.');
      assert.equal(await count('submissions'), 0);
      const id = Number(
        /\/sm\/submission\/(\d+)\/files$/.exec((await author.post('/sm/submission', { sectionId: '1', locale: 'en', checklist: '0', agreements: 'on', commentsForEditor: 'Please consider it.' })).headers.location as string)![1],
      );

      // Files: the PDF is taken; a PNG called .pdf is refused by its bytes, an oversized figure by its size, and neither leaves a trace.
      await author.get(`/sm/submission/${id}/files`);
      const uploaded = await author.postMultipart(`/sm/submission/${id}/files`, { kind: 'article' }, { file: { name: 'manuscript.pdf', type: 'application/pdf', content: PDF } });
      assert.equal(uploaded.statusCode, 303, uploaded.body);
      const files = await author.get(uploaded.headers.location as string);
      const listed = visibleText(files.body);
      assert.match(listed, /The file “manuscript\.pdf” has been uploaded\./);
      assert.match(listed, /manuscript\.pdf PDF \(application\/pdf\) Article text/);
      const sha = (await t.database.db.selectFrom('files').select('sha256').executeTakeFirstOrThrow()).sha256;
      assert.ok(files.body.includes(`<code title="SHA-256 checksum: ${sha}">${sha.slice(0, 12)}</code>`));
      const before = { files: await count('files'), stored: storedFiles(t.files.root).length };
      assert.equal(before.stored, 1);

      const disguised = await author.postMultipart(`/sm/submission/${id}/files`, { kind: 'article' }, { file: { name: 'figure.pdf', type: 'application/pdf', content: PNG } });
      assert.equal(disguised.statusCode, 415);
      assert.match(fieldError(disguised.body, 'field-file') ?? '', /This file is PNG \(image\/png\), read from its contents \(whatever its name says\); Article text takes: PDF\./);
      const oversize = await author.postMultipart(`/sm/submission/${id}/files`, { kind: 'figure' }, { file: { name: 'big.png', type: 'image/png', content: Buffer.concat([PNG, Buffer.alloc(5000, 1)]) } });
      assert.equal(oversize.statusCode, 413);
      assert.match(fieldError(oversize.body, 'field-file') ?? '', /The file is too large: a file of this kind may have at most 2 kB\./);
      const empty = await author.postMultipart(`/sm/submission/${id}/files`, { kind: 'figure' }, { file: { name: 'empty.png', type: 'image/png', content: Buffer.alloc(0) } });
      assert.equal(empty.statusCode, 422);
      assert.equal(fieldError(empty.body, 'field-file'), 'The file is empty.');
      // Two files in one form: refused as a whole; the first one's bytes go too (once its writing ends).
      const two = await author.postMultipart(`/sm/submission/${id}/files`, { kind: 'article' }, { file: { name: 'a.pdf', type: 'application/pdf', content: PDF }, other: { name: 'b.pdf', type: 'application/pdf', content: PDF } });
      assert.equal(two.statusCode, 400);
      for (let i = 0; i < 50 && storedFiles(t.files.root).length > before.stored; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      assert.deepEqual({ files: await count('files'), stored: storedFiles(t.files.root).length }, before);
      assert.equal(await count('submission_files'), 1);
      assert.equal((await author.post(`/sm/submission/${id}/files`, { action: 'continue' })).headers.location, `/sm/submission/${id}/details`);

      // Details: the title in the manuscript's language is required; the message stands next to it.
      await author.get(`/sm/submission/${id}/details`);
      const untitled = await author.post(`/sm/submission/${id}/details`, { 'title.en': '', 'abstract.en': 'An abstract.' });
      assert.equal(untitled.statusCode, 400);
      assert.equal(fieldError(untitled.body, 'field-title-en'), 'Enter the title in English.');
      assert.match(untitled.body, /<textarea[^>]*name="abstract\.en"[^>]*>An abstract\.<\/textarea>/, 'what was typed is kept');
      const details = await author.post(`/sm/submission/${id}/details`, {
        'title.en': 'Power and interdependence revisited',
        'abstract.en': 'We read three classics again.\n\nAnd find them still right.',
        'keywords.en': 'realism, interdependence, realism',
        'title.pl': 'Potęga i współzależność raz jeszcze',
      });
      assert.equal(details.headers.location, `/sm/submission/${id}/contributors`);
      const publication = await t.database.db.selectFrom('publications').select(['title', 'keywords', 'abstract']).where('article_id', '=', id).executeTakeFirstOrThrow();
      assert.deepEqual(publication.title, { en: 'Power and interdependence revisited', pl: 'Potęga i współzależność raz jeszcze' });
      assert.deepEqual(publication.keywords, { en: ['realism', 'interdependence'] });

      // Contributors: the submitter is first; a co-author's ORCID is checked by its check digit.
      const contributors = await author.get(`/sm/submission/${id}/contributors`);
      assert.match(visibleText(contributors.body), /Anna .*Primary contact/);
      await author.get(`/sm/submission/${id}/contributors/new`);
      const coAuthor = { 'givenName.en': 'Jan', 'familyName.en': 'Kowalski', email: 'jan@example.org', role: 'Author', affiliation0: 'University of Warsaw', ror0: 'https://ror.org/039bjqg32' };
      const badOrcid = await author.post(`/sm/submission/${id}/contributors/new`, { ...coAuthor, orcid: '0000-0002-1825-0098' });
      assert.equal(badOrcid.statusCode, 400);
      assert.match(fieldError(badOrcid.body, 'field-orcid') ?? '', /not a valid ORCID iD/);
      assert.match(badOrcid.body, /name="givenName\.en"[^>]*value="Jan"/, 'the form keeps what was typed');
      assert.equal((await author.post(`/sm/submission/${id}/contributors/new`, { ...coAuthor, orcid: '0000-0002-1825-0097' })).statusCode, 303);
      const added = await t.database.db.selectFrom('contributors as c').innerJoin('publications as p', 'p.id', 'c.publication_id').select(['c.id', 'c.orcid', 'c.ror_id', 'c.user_group']).where('p.article_id', '=', id).orderBy('c.seq').execute();
      assert.equal(added.length, 2);
      assert.deepEqual({ orcid: added[1]!.orcid, ror: added[1]!.ror_id, role: added[1]!.user_group }, { orcid: 'https://orcid.org/0000-0002-1825-0097', ror: 'https://ror.org/039bjqg32', role: 'Author' });
      // Moved up: Jan is named first.
      await author.get(`/sm/submission/${id}/contributors`);
      await author.post(`/sm/submission/${id}/contributors/${added[1]!.id}/move`, { direction: 'up' });
      assert.match(visibleText((await author.get(`/sm/submission/${id}/contributors`)).body), /Jan Kowalski.*Anna/);
      assert.equal((await author.post(`/sm/submission/${id}/contributors`, { action: 'continue' })).headers.location, `/sm/submission/${id}/references`);

      // References: one of three has no year; the author sees it, fixes it and saves.
      await author.get(`/sm/submission/${id}/references`);
      const references = [
        'Keohane, R. O., & Nye, J. S. (1977). Power and Interdependence: World Politics in Transition. Boston: Little, Brown.',
        'Mearsheimer, J. J. The Tragedy of Great Power Politics. New York: W. W. Norton.',
        'Waltz, K. N. (1979). Theory of International Politics. Reading, MA: Addison-Wesley.',
      ];
      const checked = await author.post(`/sm/submission/${id}/references`, { references: references.join('\n'), action: 'check' });
      assert.equal(checked.statusCode, 200);
      const report = visibleText(checked.body);
      assert.match(report, /3 references; 1 with something to look at\./);
      assert.match(report, /Mearsheimer, J\. J\. The Tragedy of Great Power Politics\. New York: W\. W\. Norton\. Read as: .*Worth a look: The reference has no date of publication\./);
      assert.match(report, /These results are for the text above, which is not saved yet\./);
      assert.equal(await t.database.db.selectFrom('citations as c').innerJoin('publications as p', 'p.id', 'c.publication_id').select('c.id').where('p.article_id', '=', id).executeTakeFirst(), undefined);
      references[1] = 'Mearsheimer, J. J. (2001). The Tragedy of Great Power Politics. New York: W. W. Norton.';
      const saved = await author.post(`/sm/submission/${id}/references`, { references: references.join('\n\n'), action: 'save' });
      assert.equal(saved.headers.location, `/sm/submission/${id}/review`);
      const stored = await t.database.db.selectFrom('citations as c').innerJoin('publications as p', 'p.id', 'c.publication_id').select('c.raw_text').where('p.article_id', '=', id).orderBy('c.seq').execute();
      assert.deepEqual(
        stored.map((r) => r.raw_text),
        references,
      );

      // Review and submit.
      const review = await author.get(`/sm/submission/${id}/review`);
      const summary = visibleText(review.body);
      assert.match(summary, /Everything the journal needs is here\. You can submit\./);
      assert.match(summary, /Power and interdependence revisited/);
      assert.match(summary, /3 references, 0 with something to look at\./);
      assert.match(review.body, new RegExp(`href="/sm/submission/${id}/contributors">Edit Contributors<`));
      // A double click: two submits at once make one submission, and both land on the thank-you page.
      const [submitted, again] = await Promise.all([author.post(`/sm/submission/${id}/submit`), author.post(`/sm/submission/${id}/submit`)]);
      assert.equal(submitted.headers.location, `/sm/submission/${id}/complete`);
      assert.ok([`/sm/submission/${id}/complete`, `/sm/workflow/index/${id}`].includes(again.headers.location as string), String(again.headers.location));
      assert.equal(Number((await t.database.db.selectFrom('submission_activity').select((eb) => eb.fn.countAll<string>().as('n')).where('submission_id', '=', id).where('action', '=', 'submission.submitted').executeTakeFirstOrThrow()).n), 1);
      assert.match(visibleText((await author.get(`/sm/submission/${id}/complete`)).body), /Thank you Your manuscript “Power and interdependence revisited” has been submitted to Sprawy Międzynarodowe\./);
      const row = await t.database.db.selectFrom('submissions').select(['status', 'submitted_at']).where('id', '=', id).executeTakeFirstOrThrow();
      assert.equal(row.status, 'active');
      assert.ok(row.submitted_at);
      // Still nobody's to read: the reader site does not show it.
      assert.equal((await new Session(t.app).get(`/sm/article/view/${id}`)).statusCode, 404);
      assert.equal((await author.get(`/sm/article/view/${id}`)).statusCode, 404);
      // The wizard now sends the author to the submission's page.
      assert.equal((await author.get(`/sm/submission/${id}/details`)).headers.location, `/sm/workflow/index/${id}`);

      const dashboard = visibleText((await author.get('/sm/dashboard/mySubmissions')).body);
      assert.match(dashboard, /Submitted Manuscript Status Date What to do now Power and interdependence revisited Active, stage: Submission Submitted .* Waiting for the editors/);

      // A discussion the author takes part in, with a message they have not answered: the dashboard says so.
      const editor = await createUserWithRole(t.database.db, { email: 'editor@example.org', password: 'a long enough password', role: 'editor', journalId: 1, now: new Date() });
      const discussion = await t.database.db.insertInto('discussions').values({ submission_id: id, stage: 'submission', subject: 'Figures', created_by: editor.userId }).returning('id').executeTakeFirstOrThrow();
      const authorId = (await t.database.db.selectFrom('users').select('id').where('email', '=', 'author@example.org').executeTakeFirstOrThrow()).id;
      await t.database.db.insertInto('discussion_participants').values([{ discussion_id: discussion.id, user_id: editor.userId }, { discussion_id: discussion.id, user_id: authorId }]).execute();
      await t.database.db.insertInto('discussion_messages').values({ discussion_id: discussion.id, author_id: editor.userId, body: 'Could you send the figures?', created_at: new Date(Date.now() - 60_000) }).execute();
      const asked = await author.get('/sm/dashboard/mySubmissions');
      assert.match(asked.body, new RegExp(`<a href="/sm/workflow/index/${id}/discussions/${discussion.id}"><strong>Reply in the discussion “Figures”</strong></a>`));
      await t.database.db.insertInto('discussion_messages').values({ discussion_id: discussion.id, author_id: authorId, body: 'Attached.', created_at: new Date() }).execute();
      assert.match(visibleText((await author.get('/sm/dashboard/mySubmissions')).body), /Waiting for the editors/);

      // The acknowledgement reaches the author through the mail jobs.
      const subscriptions = createSubscriptions();
      subscribeWorkflowMail(subscriptions, { baseUrl: 'http://localhost:3000' });
      await runJobsUntilIdle(t.database.db, [...subscriptions.jobHandlers(), ...mailer.jobs]);
      const mails = [await smtp.next()];
      while (!mails.some((m) => m.envelopeTo.includes('author@example.org'))) mails.push(await smtp.next());
      const acknowledgement = mails.find((m) => m.envelopeTo.includes('author@example.org'))!;
      // In the author's language (the journal's, Polish, since they chose none), with the title in it when it has one.
      assert.match(acknowledgement.text, /Potęga i współzależność raz jeszcze/);
      assert.ok(acknowledgement.text.includes(`http://localhost:3000/sm/workflow/access/${id}`));
    });

    it('resumes a draft at the step it reached, from the dashboard', async () => {
      const id = await startDraft(author);
      assert.equal((await author.get(`/sm/submission/${id}`)).headers.location, `/sm/submission/${id}/files`);
      const dashboard = await author.get('/sm/dashboard/mySubmissions');
      // A notice named in the address is one of the page's own, or none.
      for (const page of ['/sm/dashboard/mySubmissions', `/sm/submission/${id}/files`, `/sm/submission/${id}/contributors`]) assert.equal((await author.get(`${page}?notice=constructor`)).statusCode, 200, page);
      assert.match(dashboard.body, new RegExp(`<a href="/sm/submission/${id}/files">Continue at “Files”</a>`));
      assert.match(visibleText(dashboard.body), /Untitled draft .*Finish and submit/);
      // The step list links the steps reached and marks the current one.
      const files = await author.get(`/sm/submission/${id}/files`);
      assert.match(files.body, new RegExp(`<a href="/sm/submission/${id}/files" aria-current="step">`));
      assert.match(files.body, /<li><span>Details<\/span><\/li>/);
      // A file is replaced by a new version (the earlier one kept), and removed.
      await author.get(`/sm/submission/${id}/files`);
      await author.postMultipart(`/sm/submission/${id}/files`, { kind: 'article' }, { file: { name: 'first.pdf', type: 'application/pdf', content: PDF } });
      const [file] = await t.database.db.selectFrom('submission_files').select('id').where('submission_id', '=', id).execute();
      const replaced = await author.postMultipart(`/sm/submission/${id}/files/${file!.id}/replace`, {}, { file: { name: 'second.pdf', type: 'application/pdf', content: Buffer.concat([PDF, Buffer.from('% revised\n')]) } });
      assert.equal(replaced.statusCode, 303, replaced.body);
      const afterReplace = visibleText((await author.get(replaced.headers.location as string)).body);
      assert.match(afterReplace, /A new version of “second\.pdf” has been uploaded; the earlier one is kept\./);
      assert.match(afterReplace, /second\.pdf PDF \(application\/pdf\) Earlier versions kept: 1 Article text/);
      assert.doesNotMatch(afterReplace, /first\.pdf/);
      const confirm = await author.get(`/sm/submission/${id}/files/${file!.id}/remove`);
      assert.match(visibleText(confirm.body), /Remove the file “second\.pdf”\? The file and its earlier versions are taken off this draft\. Remove second\.pdf ?Cancel/);
      const removed = await author.post(`/sm/submission/${id}/files/${file!.id}/remove`);
      assert.match(visibleText((await author.get(removed.headers.location as string)).body), /The file has been removed\. .*No files have been uploaded yet\./);

      // Moving on needs the manuscript's file; the message stands by the file field.
      const noFile = await author.post(`/sm/submission/${id}/files`, { action: 'continue' });
      assert.equal(noFile.statusCode, 400);
      assert.equal(fieldError(noFile.body, 'field-file'), 'A file of this kind is required: Article text.');
      assert.equal((await author.get(`/sm/submission/${id}`)).headers.location, `/sm/submission/${id}/files`);
      await author.get(`/sm/submission/${id}/details`);
      await author.post(`/sm/submission/${id}/details`, { 'title.en': 'A draft', 'abstract.en': 'Short.' });
      assert.equal((await author.get(`/sm/submission/${id}`)).headers.location, `/sm/submission/${id}/contributors`);
      // Submitting too early lists what is missing, each linked to its step.
      await author.get(`/sm/submission/${id}/review`);
      const refused = await author.post(`/sm/submission/${id}/submit`);
      assert.equal(refused.statusCode, 422);
      assert.match(refused.body, new RegExp(`A file of this kind is required: Article text\\. <a href="/sm/submission/${id}/files#field-file">`));
      assert.doesNotMatch(refused.body, /The title is missing/);
      assert.equal((await t.database.db.selectFrom('submissions').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status, 'draft');
      // Discarded after a confirmation page.
      const discard = await author.get(`/sm/submission/${id}/discard`);
      assert.match(visibleText(discard.body), /Discard the draft “A draft”\?/);
      assert.equal((await author.post(`/sm/submission/${id}/discard`)).headers.location, '/sm/dashboard/mySubmissions?notice=discarded');
      assert.equal(await t.database.db.selectFrom('submissions').select('id').where('id', '=', id).executeTakeFirst(), undefined);
    });

    it('shows nobody else a draft: another person gets 404 for pages, uploads and discarding, with nothing stored', async () => {
      const id = await startDraft(author);
      const stranger = await person('stranger@example.org', 'Piotr');
      await stranger.get('/sm/dashboard/mySubmissions');
      assert.doesNotMatch((await stranger.get('/sm/dashboard/mySubmissions')).body, new RegExp(`/sm/submission/${id}/`));
      for (const step of ['', '/start', '/files', '/details', '/contributors', '/references', '/review', '/discard']) {
        assert.equal((await stranger.get(`/sm/submission/${id}${step}`)).statusCode, 404, step);
      }
      const stored = storedFiles(t.files.root).length;
      assert.equal((await stranger.postMultipart(`/sm/submission/${id}/files`, { kind: 'article' }, { file: { name: 'x.pdf', type: 'application/pdf', content: PDF } })).statusCode, 404);
      assert.equal((await stranger.post(`/sm/submission/${id}/discard`)).statusCode, 404);
      assert.equal((await stranger.post(`/sm/submission/${id}/details`, { 'title.en': 'Mine now' })).statusCode, 404);
      assert.equal(storedFiles(t.files.root).length, stored);
      assert.equal((await author.get(`/sm/submission/${id}/details`)).statusCode, 200, 'the draft is still there for its author');
      assert.equal((await author.get('/sm/submission/999999/files')).statusCode, 404);
      // A control character pasted with the references is dropped, not a failure.
      await author.get(`/sm/submission/${id}/references`);
      const pasted = await author.post(`/sm/submission/${id}/references`, { references: 'Waltz, K. N. (1979). Theory of\u0000 International Politics. Reading, MA: Addison-Wesley.', action: 'save' });
      assert.ok(pasted.statusCode === 303 || pasted.statusCode === 200, String(pasted.statusCode));
      const kept = await t.database.db.selectFrom('citations as c').innerJoin('publications as p', 'p.id', 'c.publication_id').select('c.raw_text').where('p.article_id', '=', id).execute();
      assert.deepEqual(kept.map((r) => r.raw_text), ['Waltz, K. N. (1979). Theory of International Politics. Reading, MA: Addison-Wesley.']);
    });

    it('refuses a closed section with a clear message and creates nothing; a visitor is sent to sign in and back', async () => {
      const drafts = await count('submissions');
      const start = await author.get('/sm/submission');
      assert.doesNotMatch(start.body, /Book reviews/, 'a closed section is not offered');
      const closed = await author.post('/sm/submission', { sectionId: String(closedSectionId), locale: 'en', checklist: '0', agreements: 'on' });
      assert.equal(closed.statusCode, 422);
      assert.equal(fieldError(closed.body, 'field-sectionId'), 'This section does not take submissions.');
      assert.equal(await count('submissions'), drafts);

      const visitor = new Session(t.app, { 'accept-language': 'en' });
      const away = await visitor.get('/sm/submission');
      assert.equal(away.statusCode, 303);
      assert.equal(away.headers.location, '/sm/login?source=%2Fsm%2Fsubmission');
      await createUserWithRole(t.database.db, { email: 'newcomer@example.org', password: 'a long enough password', role: 'reader', journalId: 1, now: new Date() });
      await visitor.get(away.headers.location as string);
      const signedIn = await visitor.post('/sm/login/signIn', { email: 'newcomer@example.org', password: 'a long enough password', source: '/sm/submission' });
      assert.equal(signedIn.headers.location, '/sm/submission');
      assert.equal((await visitor.get('/sm/submission')).statusCode, 200);
    });
  });
}
