import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createJournal, createSection } from '../../catalog/index.ts';
import { startTestApp, visibleText, type TestApp } from '../../../test/support/app.ts';
import { testDatabases } from '../../../test/support/databases.ts';
import { Session, signedInAs } from '../../../test/support/session.ts';
import { checkSubmissionSettings } from './commands.ts';
import { DEFAULT_FILE_KINDS, sectionRules, submissionSettings } from './read.ts';

/**
 * The journal manager's submission settings (issue 19, item 1): what a manager saves is what the
 * wizard reads and what the public "Submissions" page shows; refused input is answered beside its
 * field and leaves the settings as they were; only managers (and administrators) get in.
 */

const BASE = '/sm/management/settings/submissions';
const HOSTILE = '<script>alert(1)</script><img src=x onerror=alert(2)>';

/** The journal-wide form as a browser sends it, with the fields a test changes. */
function settingsForm(changes: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  return {
    'authorGuidelines.en': '<p>Send <strong>original</strong> work only.</p>',
    'authorGuidelines.pl': '<p>Tylko oryginalne prace.</p>',
    'checklist.0.en': 'The text is anonymised.',
    'checklist.0.position': '2',
    'checklist.1.en': 'The submission has not been published before.',
    'checklist.1.position': '1',
    'checklist.2.en': '',
    'checklist.2.position': '3',
    'copyrightNotice.en': 'Authors keep their copyright.',
    'privacyStatement.en': 'Names and addresses are used for this journal only.',
    daysToFirstAction: '21',
    'kinds.0.key': 'article',
    'kinds.0.name.en': 'Article text',
    'kinds.0.types': ['application/pdf', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    'kinds.0.maxMb': '30',
    'kinds.0.required': 'on',
    'kinds.1.key': 'figure',
    'kinds.1.name.en': 'Figure',
    'kinds.1.types': ['image/png'],
    'kinds.1.maxMb': '10',
    'kinds.2.key': '',
    'kinds.2.maxMb': '',
    ...changes,
  };
}

describe('the built-in kinds of file', () => {
  it('pass the checks a manager’s kinds must pass, so the form saves unchanged', () => {
    const kinds = DEFAULT_FILE_KINDS.map((k) => ({ key: k.key, name: k.name, types: [...k.types], maxMb: k.maxBytes / (1024 * 1024), required: k.required }));
    const { errors, fileKinds } = checkSubmissionSettings({ authorGuidelines: {}, checklist: [], copyrightNotice: {}, privacyStatement: {}, daysToFirstAction: 14, fileKinds: kinds });
    assert.deepEqual(errors, []);
    // The same types, in the order the form lists them.
    assert.deepEqual(
      fileKinds.map((k) => ({ ...k, types: [...k.types].sort() })),
      DEFAULT_FILE_KINDS.map((k) => ({ ...k, types: [...k.types].sort() })),
    );
  });
});

for (const database of await testDatabases()) {
  describe(`submission settings, on ${database.name}`, () => {
    let t: TestApp;
    let manager: Session;
    let sectionId: number;
    const journalId = 1;

    before(async () => {
      t = await startTestApp(database);
      manager = await signedInAs(t.app, t.database.db, { email: 'manager@example.org', role: 'manager', journalId });
      sectionId = (await t.database.db.selectFrom('sections').select('id').where('journal_id', '=', journalId).orderBy('seq').executeTakeFirstOrThrow()).id;
    });
    after(() => t.close());

    it('a manager saves the journal-wide settings and sees them again; the wizard reads them', async () => {
      const page = await manager.get(BASE);
      assert.equal(page.statusCode, 200);
      assert.ok(page.body.includes('name="kinds.0.key"'), 'the built-in kinds are shown to start with');
      const saved = await manager.post(BASE, settingsForm());
      assert.equal(saved.statusCode, 303);
      assert.equal(saved.headers.location, `${BASE}?notice=saved`);

      const settings = await submissionSettings(t.database.db, journalId);
      assert.deepEqual(settings.authorGuidelines, { en: '<p>Send <strong>original</strong> work only.</p>', pl: '<p>Tylko oryginalne prace.</p>' });
      // Reordered by their positions; the empty new row added nothing.
      assert.deepEqual(settings.checklist, [{ en: 'The submission has not been published before.' }, { en: 'The text is anonymised.' }]);
      assert.equal(settings.daysToFirstAction, 21);
      assert.deepEqual(
        settings.fileKinds.map((k) => [k.key, k.name.en, k.types, k.maxBytes, k.required]),
        [
          ['article', 'Article text', ['application/pdf', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'], 30 * 1024 * 1024, true],
          ['figure', 'Figure', ['image/png'], 10 * 1024 * 1024, false],
        ],
      );

      const again = await manager.get(`${BASE}?notice=saved`);
      const text = visibleText(again.body);
      assert.ok(text.includes('The submission settings are saved.'));
      assert.match(again.body, /name="checklist\.0\.en"[^>]*value="The submission has not been published before\."/, 'the first item, as reordered');
      assert.ok(again.body.includes('name="kinds.1.maxMb"') && again.body.includes('value="10"'));

      // A row removed: the figure kind goes, the rest stays.
      await manager.post(BASE, settingsForm({ 'kinds.1.remove': 'on', 'checklist.0.remove': 'on' }));
      const after = await submissionSettings(t.database.db, journalId);
      assert.deepEqual(after.fileKinds.map((k) => k.key), ['article']);
      assert.deepEqual(after.checklist, [{ en: 'The submission has not been published before.' }]);
      await manager.post(BASE, settingsForm());
    });

    it('a section closed to submissions: its rules say closed, and the table shows it', async () => {
      const form = await manager.get(`${BASE}/sections/${sectionId}`);
      assert.equal(form.statusCode, 200);
      const saved = await manager.post(`${BASE}/sections/${sectionId}`, { abstractRequired: 'on', abstractWordLimit: '250', keywordsRequired: 'on', locales: ['en'] });
      assert.equal(saved.statusCode, 303);
      const rules = await sectionRules(t.database.db, journalId, sectionId);
      assert.deepEqual(rules, { sectionId, isOpen: false, abstractRequired: true, abstractWordLimit: 250, keywordsRequired: true, referencesRequired: false, locales: ['en'] });
      const table = visibleText((await manager.get(BASE)).body);
      assert.match(table, /No Yes 250 Yes No English Edit rules/);

      const reopened = await manager.post(`${BASE}/sections/${sectionId}`, { isOpen: 'on', abstractWordLimit: '' });
      assert.equal(reopened.statusCode, 303);
      const open = await sectionRules(t.database.db, journalId, sectionId);
      assert.equal(open?.isOpen, true);
      assert.equal(open?.abstractWordLimit, null);
    });

    it('a section of another journal, or none, is a 404', async () => {
      const other = await createJournal(t.database.db, { path: 'elsewhere', name: { en: 'Elsewhere' }, primaryLocale: 'en', supportedLocales: ['en'] });
      const foreign = { id: await createSection(t.database.db, { journalId: other, title: { en: 'Theirs' } }) };
      assert.equal((await manager.get(`${BASE}/sections/${foreign.id}`)).statusCode, 404);
      assert.equal((await manager.get(`${BASE}/sections/999999`)).statusCode, 404);
      await manager.get(BASE);
      assert.equal((await manager.post(`${BASE}/sections/${foreign.id}`, { isOpen: 'on' })).statusCode, 404);
    });

    it('readers, authors and editors are refused; a visitor is sent to sign in', async () => {
      for (const role of ['reader', 'author', 'editor'] as const) {
        const person = await signedInAs(t.app, t.database.db, { email: `${role}@example.org`, role, journalId });
        assert.equal((await person.get(BASE)).statusCode, 403, role);
        assert.equal((await person.get(`${BASE}/sections/${sectionId}`)).statusCode, 403, role);
        await person.get('/sm/about/submissions');
        assert.equal((await person.post(BASE, settingsForm({ daysToFirstAction: '2' }))).statusCode, 403, role);
      }
      const visitor = await t.app.inject({ url: BASE });
      assert.equal(visitor.statusCode, 303);
      assert.match(String(visitor.headers.location), /^\/sm\/login/);
      assert.equal((await submissionSettings(t.database.db, journalId)).daysToFirstAction, 21, 'nothing was changed');
    });

    it('refuses invalid input with the message beside its field, and saves nothing', async () => {
      const before = await t.database.db.selectFrom('submission_settings').selectAll().where('journal_id', '=', journalId).executeTakeFirstOrThrow();
      const cases: Array<[string, Record<string, string | string[]>, string, string]> = [
        ['a duplicate key', { 'kinds.1.key': 'article' }, 'kinds-1-key', 'Another kind of file has the key “article”.'],
        ['a size over the cap', { 'kinds.0.maxMb': '201' }, 'kinds-0-maxMb', 'No file may be larger than 200 MB.'],
        ['an unknown type', { 'kinds.1.types': ['image/png', 'text/javascript'] }, 'kinds-1-types', 'Unknown file type: text/javascript.'],
        ['over-long guidelines', { 'authorGuidelines.en': 'x'.repeat(20_001) }, 'authorGuidelines', 'The text is too long: at most 20000 characters.'],
        ['an over-long checklist item', { 'checklist.1.en': 'y'.repeat(2_001) }, 'checklist-0', 'The text is too long: at most 2000 characters.'],
        ['a bad key', { 'kinds.2.key': 'New Kind!', 'kinds.2.name.en': 'New', 'kinds.2.maxMb': '5' }, 'kinds-2-key', 'Use lower-case letters, digits and hyphens only, at most 50.'],
        ['no kind left', { 'kinds.0.remove': 'on', 'kinds.1.remove': 'on' }, 'kinds', 'Keep at least one kind of file.'],
        ['days out of range', { daysToFirstAction: '0' }, 'daysToFirstAction', 'Enter a whole number from 1 to 365.'],
        ['too many checklist items', Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`checklist.${i}.en`, `Item ${i}`])), 'checklist', 'There are too many: at most 50.'],
      ];
      for (const [what, changes, field, message] of cases) {
        await manager.get(BASE);
        const refused = await manager.post(BASE, settingsForm({ ...changes, daysToFirstAction: changes.daysToFirstAction ?? '30' }));
        assert.equal(refused.statusCode, 400, what);
        const beside = new RegExp(`id="field-${field}(-error)?"[^>]*>\\s*${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);
        assert.match(refused.body, beside, what);
        assert.ok(refused.body.includes(`href="#field-${field}"`), `${what}: the summary links to the field`);
      }
      const unchanged = await t.database.db.selectFrom('submission_settings').selectAll().where('journal_id', '=', journalId).executeTakeFirstOrThrow();
      assert.deepEqual(unchanged, before);

      await manager.get(`${BASE}/sections/${sectionId}`);
      const rulesBefore = await sectionRules(t.database.db, journalId, sectionId);
      const sectionCases: Array<[string, Record<string, string | string[]>, string, string]> = [
        ['a word limit of 0', { isOpen: 'on', abstractWordLimit: '0' }, 'abstractWordLimit', 'Enter a whole number from 1 to 10000.'],
        ['a language the journal lacks', { isOpen: 'on', locales: ['de'] }, 'locales', 'The journal does not publish in this language: de.'],
      ];
      for (const [what, fields, field, message] of sectionCases) {
        const refused = await manager.post(`${BASE}/sections/${sectionId}`, fields);
        assert.equal(refused.statusCode, 400, what);
        assert.match(refused.body, new RegExp(`id="field-${field}-error">\\s*${message.replace(/[.]/g, '\\.')}`), what);
      }
      assert.deepEqual(await sectionRules(t.database.db, journalId, sectionId), rulesBefore);
    });

    it('the public Submissions page shows the guidelines and the checklist, escaped, with the way in', async () => {
      await manager.get(BASE);
      await manager.post(BASE, settingsForm({ 'checklist.0.en': `Tick me ${HOSTILE}`, 'authorGuidelines.en': `<p>Send <strong>original</strong> work.</p>${HOSTILE}` }));
      const page = await t.app.inject({ url: '/sm/about/submissions', headers: { 'accept-language': 'en' } });
      assert.equal(page.statusCode, 200);
      const text = visibleText(page.body);
      assert.ok(text.includes('Send original work.'), text);
      assert.ok(page.body.includes('<strong>original</strong>'), 'the guidelines keep their markup');
      assert.ok(page.body.includes('Tick me &lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;'), 'the checklist item is text');
      assert.ok(!page.body.includes('<script>alert') && !page.body.includes('<img src=x'), 'nothing hostile reaches the page');
      assert.ok(text.includes('Authors keep their copyright.'));
      assert.ok(text.includes('Names and addresses are used for this journal only.'));
      assert.ok(page.body.includes('href="/sm/submission"'), 'the way in to the wizard');

      // Closing every section closes the page's way in, at once (no cached copy).
      const sections = await t.database.db.selectFrom('sections').select('id').where('journal_id', '=', journalId).execute();
      for (const s of sections) await manager.post(`${BASE}/sections/${s.id}`, { abstractRequired: 'on' });
      const closed = await t.app.inject({ url: '/sm/about/submissions', headers: { 'accept-language': 'en' } });
      assert.ok(visibleText(closed.body).includes('The journal does not take submissions at present.'));
      assert.ok(!closed.body.includes('href="/sm/submission"'));
    });
  });
}
