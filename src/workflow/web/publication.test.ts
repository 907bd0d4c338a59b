import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { Kysely } from 'kysely';
import { addGalley, createIssue } from '../../catalog/index.ts';
import type { Database } from '../../db/index.ts';
import { startTestApp, visibleText, type TestApp } from '../../../test/support/app.ts';
import { axeViolations, launchChromium } from '../../../test/support/browser.ts';
import { testDatabases } from '../../../test/support/databases.ts';
import { signedInAs, type Session } from '../../../test/support/session.ts';
import { assignParticipant } from '../commands/participants.ts';
import { addSubmissionFile, changeSubmissionContributors, createDraft, saveSubmissionDetails, submitSubmission } from '../commands/submissions.ts';
import { recordDecision } from '../review/commands/decisions.ts';

/** The Publication section of the submission page: readiness, the schedule form, publish and unschedule, and who may use them. */

async function acceptedSubmission(db: Kysely<Database>, ids: { journalId: number; sectionId: number; author: number; editor: number; sectionEditor: number }, title: string, galley = true): Promise<number> {
  const now = new Date();
  const id = await createDraft(db, { journalId: ids.journalId, userId: ids.author, sectionId: ids.sectionId, locale: 'en', commentsForEditor: '', checklistConfirmed: true, agreementsAccepted: true, now });
  await addSubmissionFile(db, { journalId: ids.journalId, submissionId: id, userId: ids.author, kind: 'article', upload: { storageKey: `ab/${crypto.randomUUID()}`, sizeBytes: 10, sha256: 'd'.repeat(64), mimeType: 'application/pdf', originalName: 'a.pdf' }, now });
  await saveSubmissionDetails(db, ids.journalId, id, ids.author, { prefix: {}, title: { en: title }, subtitle: {}, abstract: { en: 'About rivers and their banks.' }, keywords: {} }, now);
  await changeSubmissionContributors(db, ids.journalId, id, ids.author, { op: 'add', fields: { givenName: { en: 'Anna' }, familyName: { en: 'Nowak' }, email: 'author@example.org', orcid: null, affiliations: [], isPrimaryContact: true, includeInBrowse: true } }, now);
  await submitSubmission(db, ids.journalId, id, ids.author, now);
  await assignParticipant(db, { journalId: ids.journalId, submissionId: id, userId: ids.editor, role: 'editor', recommendOnly: false, assignedBy: ids.editor, now });
  await assignParticipant(db, { journalId: ids.journalId, submissionId: id, userId: ids.sectionEditor, role: 'section-editor', recommendOnly: true, assignedBy: ids.editor, now });
  await recordDecision(db, { journalId: ids.journalId, submissionId: id, decision: 'accept', editorId: ids.editor, recommendOnly: false, now });
  if (galley) await addGalley(db, id, { label: 'PDF', locale: 'en', remoteUrl: 'https://example.org/a.pdf' }, null);
  return id;
}

async function setUp(t: TestApp) {
  const db = t.database.db;
  const journalId = (await db.selectFrom('journals').select('id').where('path', '=', 'sm').executeTakeFirstOrThrow()).id;
  const sectionId = (await db.selectFrom('sections').select('id').where('journal_id', '=', journalId).orderBy('id').executeTakeFirstOrThrow()).id;
  const editor = await signedInAs(t.app, db, { email: 'editor@example.org', role: 'editor', journalId });
  const sectionEditor = await signedInAs(t.app, db, { email: 'sected@example.org', role: 'section-editor', journalId });
  const author = await signedInAs(t.app, db, { email: 'author@example.org', role: 'author', journalId });
  const id = async (email: string) => (await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
  await db.insertInto('section_editor_sections').values({ user_id: await id('sected@example.org'), section_id: sectionId }).execute();
  const ids = { journalId, sectionId, author: await id('author@example.org'), editor: await id('editor@example.org'), sectionEditor: await id('sected@example.org') };
  return { db, ids, editor, sectionEditor, author };
}

for (const database of await testDatabases()) {
  describe(`the Publication section on ${database.name}`, () => {
    let t: TestApp;
    let s: Awaited<ReturnType<typeof setUp>>;
    let future: number;

    before(async () => {
      t = await startTestApp(database);
      s = await setUp(t);
      future = await createIssue(s.db, { journalId: s.ids.journalId, volume: 80, number: '1', year: 2030 });
    });
    after(() => t.close());

    const status = async (id: number) => (await s.db.selectFrom('submissions').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;

    it('lists what blocks (linking to where to fix it) and offers no publishing until it is fixed', async () => {
      const id = await acceptedSubmission(s.db, s.ids, 'No galley yet', false);
      const page = await s.editor.get(`/sm/workflow/index/${id}`);
      assert.equal(page.statusCode, 200);
      const text = visibleText(page.body);
      assert.match(text, /Missing, so it cannot be published yet: At least one galley/);
      assert.match(text, /Missing, which indexers would like to have .*Pages or an article number/);
      assert.match(page.body, new RegExp(`href="/sm/management/articles/${id}"`));
      assert.doesNotMatch(page.body, /publication\/publish"/, 'no publish button');
      const refused = await s.editor.post(`/sm/workflow/index/${id}/publication/publish`, { confirmWarnings: 'on' });
      assert.equal(refused.statusCode, 303);
      assert.match(String(refused.headers.location), /publicationError=not-ready/, 'the command checks again');
      assert.match(visibleText((await s.editor.get(String(refused.headers.location))).body), /Something readers need is missing/);
      assert.equal(await status(id), 'active');
    });

    it('schedules into a future issue, unschedules, and publishes now once the warnings are confirmed', async () => {
      const id = await acceptedSubmission(s.db, s.ids, 'Ready rivers');
      const url = `/sm/workflow/index/${id}`;
      await s.editor.get(url);
      const unconfirmed = await s.editor.post(`${url}/publication/schedule`, { when: 'issue', issueId: String(future) });
      assert.match(String(unconfirmed.headers.location), /publicationError=confirm/);
      const scheduled = await s.editor.post(`${url}/publication/schedule`, { when: 'issue', issueId: String(future), confirmWarnings: 'on' });
      assert.match(String(scheduled.headers.location), /publicationNotice=scheduled/);
      assert.equal(await status(id), 'scheduled');
      assert.match(visibleText((await s.editor.get(url)).body), /Scheduled: published with Vol\. 80 No\. 1 \(2030\)/);
      const back = await s.editor.post(`${url}/publication/unschedule`, {});
      assert.match(String(back.headers.location), /publicationNotice=unscheduled/);
      assert.equal(await status(id), 'active');
      await s.editor.get(url);
      const at = await s.editor.post(`${url}/publication/schedule`, { when: 'at', at: '2020-01-01T10:00', confirmWarnings: 'on' });
      assert.match(String(at.headers.location), /publicationError=date-invalid/, 'a moment in the past is refused');
      const published = await s.editor.post(`${url}/publication/publish`, { confirmWarnings: 'on' });
      assert.match(String(published.headers.location), /publicationNotice=published/);
      assert.equal(await status(id), 'published');
      assert.match(visibleText((await s.editor.get(url)).body), /Published on \d{4}-\d{2}-\d{2}/);
      assert.equal((await t.app.inject({ method: 'GET', url: `/sm/article/view/${id}` })).statusCode, 200);
    });

    it('refuses a section editor limited to recommending, the author and a stranger; answers an anonymous visitor 401', async () => {
      const id = await acceptedSubmission(s.db, s.ids, 'Guarded rivers');
      const url = `/sm/workflow/index/${id}`;
      for (const [who, session] of [['section editor', s.sectionEditor], ['author', s.author]] as const) {
        const page = await session.get(url);
        assert.equal(page.statusCode, 200);
        assert.doesNotMatch(page.body, /id="publication"/, `${who}: no Publication section`);
        const refused = await session.post(`${url}/publication/publish`, { confirmWarnings: 'on' });
        assert.equal(refused.statusCode, 403, who);
      }
      const anonymous = await t.app.inject({ method: 'POST', url: `${url}/publication/publish`, payload: 'confirmWarnings=on', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      assert.equal(anonymous.statusCode, 401, 'anonymous');
      assert.equal(await status(id), 'active');
    });
  });
}

const [pglite] = await testDatabases();
describe('the Publication section passes axe', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let id: number;

  before(async () => {
    t = await startTestApp(pglite!);
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const s = await setUp(t);
    await createIssue(s.db, { journalId: s.ids.journalId, volume: 80, number: '1', year: 2030 });
    id = await acceptedSubmission(s.db, s.ids, 'Accessible rivers');
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  it('the submission page with the readiness list and the schedule form, and with a refusal', async () => {
    const context = await browser.newContext({ locale: 'en', viewport: { width: 1280, height: 900 }, bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${base}/sm/login`);
    await page.locator('input[name=email]').fill('editor@example.org');
    await page.locator('input[name=password]').fill('a long enough password');
    await page.locator('form.form button[type=submit]').click();
    await page.waitForURL((url) => !url.pathname.includes('/login'));
    await page.goto(`${base}/sm/workflow/index/${id}`);
    assert.equal(await page.locator('#publication h2').textContent(), 'Publication');
    assert.deepEqual(await axeViolations(page), [], 'axe: the section');
    // Without JavaScript the form posts and the page comes back with the refusal.
    await page.locator('#publication form[action$="/publication/schedule"] button[type=submit]').click();
    await page.waitForLoadState();
    assert.match(page.url(), /publicationError=confirm/);
    assert.deepEqual(await axeViolations(page), [], 'axe: the refusal');
    await context.close();
  });
});
