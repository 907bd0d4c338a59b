import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createUserWithRole } from '../accounts/index.ts';
import { startTestApp, visibleText, type TestApp } from '../../test/support/app.ts';
import { testDatabases } from '../../test/support/databases.ts';
import { Session } from '../../test/support/session.ts';

/** What the stored parses say of the demo article's current references. */
async function storedProblems(t: TestApp): Promise<{ total: number; withProblems: number; texts: string[] }> {
  const article = await t.database.db.selectFrom('articles').select('current_publication_id').where('id', '=', 1786).executeTakeFirstOrThrow();
  const rows = await t.database.db.selectFrom('citations').select(['raw_text', 'parsed']).where('publication_id', '=', article.current_publication_id!).orderBy('seq').execute();
  const withProblems = rows.filter((r) => ((r.parsed as { issues?: unknown[] } | null)?.issues?.length ?? 0) > 0).length;
  return { total: rows.length, withProblems, texts: rows.map((r) => r.raw_text) };
}

for (const database of await testDatabases()) {
  describe(`the editors' reference check on ${database.name}`, () => {
    let t: TestApp;
    let en: Session;
    let pl: Session;

    before(async () => {
      t = await startTestApp(database);
      await createUserWithRole(t.database.db, { email: 'editor@example.org', password: 'editor password', role: 'editor', journalId: 1, now: new Date() });
      en = new Session(t.app, { 'accept-language': 'en' });
      await en.signIn('editor@example.org', 'editor password');
      pl = new Session(t.app, { 'accept-language': 'pl' });
      await pl.signIn('editor@example.org', 'editor password');
    });
    after(() => t.close());

    it('shows each reference of the demo article with its problems, in English and in Polish', async () => {
      const stored = await storedProblems(t);
      const english = await en.get('/sm/management/articles/1786');
      assert.equal(english.statusCode, 200);
      const textEn = visibleText(english.body);
      assert.match(textEn, /Reference check/);
      assert.ok(textEn.includes(`References with problems: ${stored.withProblems} of ${stored.total}.`), textEn.slice(textEn.indexOf('Reference check'), textEn.indexOf('Reference check') + 200));
      const first = english.body.slice(english.body.indexOf('id="reference-problem-1"'), english.body.indexOf('id="reference-problem-2"'));
      assert.ok(first.length > 0, 'reference 1 is listed with its problems');
      assert.ok(visibleText(first).includes('Error: The link is empty: “<>” has no address in it. Add the address or remove the brackets.'), visibleText(first));
      assert.match(first, /data-code="url-empty"/);

      const polish = await pl.get('/sm/management/articles/1786');
      const textPl = visibleText(polish.body);
      assert.match(textPl, /Kontrola bibliografii/);
      assert.ok(textPl.includes(`Pozycje bibliografii z problemami: ${stored.withProblems} z ${stored.total}.`));
      const firstPl = visibleText(polish.body.slice(polish.body.indexOf('id="reference-problem-1"'), polish.body.indexOf('id="reference-problem-2"')));
      assert.ok(firstPl.includes('Błąd: Link jest pusty: w „<>” nie ma adresu. Dodaj adres albo usuń nawiasy.'), firstPl);
    });

    it('counts the references with problems per article and for the whole issue', async () => {
      const stored = await storedProblems(t);
      const issue = await t.database.db.selectFrom('issues').select('id').executeTakeFirstOrThrow();
      const page = visibleText((await en.get(`/sm/management/issues/${issue.id}`)).body);
      assert.ok(page.includes(`References with problems in this issue: ${stored.withProblems} of ${stored.total}.`), page);
      assert.ok(page.includes(`${stored.withProblems} of ${stored.total}`));
    });

    it('re-checks a corrected reference when it is saved, and leaves the others as they were', async () => {
      const before = await storedProblems(t);
      const editing = await en.get('/sm/management/articles/1786');
      assert.ok(editing.body.includes('name="references"'), 'the references are editable');
      const texts = [...before.texts];
      texts[0] = texts[0]!.replace('<>', '<https://jamestown.org/program/russias-arms-sales/>');
      const saved = await en.post('/sm/management/articles/1786', { 'title.en': 'Russia’s approaches towards Armenia and Azerbaijan', sectionId: '1', references: texts.join('\n') });
      assert.equal(saved.statusCode, 303);

      const after = await storedProblems(t);
      assert.deepEqual(after.texts, texts, 'the texts are stored as submitted, in order');
      const page = await en.get('/sm/management/articles/1786');
      assert.equal(page.body.indexOf('id="reference-problem-1"'), -1, 'reference 1 has no problem any more');
      assert.ok(page.body.includes('id="reference-problem-2"'), 'reference 2 still has its empty link');
      assert.ok(visibleText(page.body).includes(`References with problems: ${after.withProblems} of 42.`));
      assert.equal(after.withProblems, before.withProblems - 1);

      await t.changes.sync();
      const article = await t.app.inject({ url: '/sm/article/view/1786' });
      assert.match(article.body, /<li id="reference-1">[\s\S]*?<a href="https:\/\/jamestown.org\/program\/russias-arms-sales\/">/);
    });

    it('refuses a reference list that is too long, losing nothing', async () => {
      const before = await storedProblems(t);
      const response = await en.post('/sm/management/articles/1786', { 'title.en': 'X', sectionId: '1', references: Array.from({ length: 2001 }, (_, i) => `Ref ${i}.`).join('\n') });
      assert.equal(response.statusCode, 400);
      assert.match(visibleText(response.body), /At most 2000 references can be saved\./);
      assert.deepEqual((await storedProblems(t)).texts, before.texts);
    });
  });
}
