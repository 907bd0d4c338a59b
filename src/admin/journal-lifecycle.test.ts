import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { createUserWithRole } from '../accounts/index.ts';
import { addPublishedArticle, createIssue, createJournal, createSection } from '../catalog/index.ts';
import { createSushiKey } from '../stats/index.ts';
import { saveTemplate } from '../mail/index.ts';
import { startTestApp, visibleText, type TestApp } from '../../test/support/app.ts';
import { testDatabases } from '../../test/support/databases.ts';
import { Session } from '../../test/support/session.ts';

/** Issue publication and deletion, journal deletion and disabling, the menu, and the confirmation pages. */
for (const database of await testDatabases()) {
  describe(`issue and journal lifecycle on ${database.name}`, () => {
    let t: TestApp;
    let admin: Session;
    let manager: Session;
    const sm = 1;

    before(async () => {
      t = await startTestApp(database);
      const now = new Date();
      await createUserWithRole(t.database.db, { email: 'admin@example.org', password: 'administrator password', role: 'admin', now });
      await createUserWithRole(t.database.db, { email: 'manager@example.org', password: 'manager password', role: 'manager', journalId: sm, now });
      admin = new Session(t.app, { 'accept-language': 'en' });
      await admin.signIn('admin@example.org', 'administrator password');
      manager = new Session(t.app, { 'accept-language': 'en' });
      await manager.signIn('manager@example.org', 'manager password');
    });
    after(() => t.close());

    const db = () => t.database.db;
    const read = async (url: string) => {
      await t.changes.sync();
      return t.app.inject({ url, headers: { 'accept-language': 'en' } });
    };
    const issueRow = (id: number) => db().selectFrom('issues').selectAll().where('id', '=', id).executeTakeFirst();
    const storeFile = async (name: string) => {
      const stored = await t.files.put(Buffer.from(`bytes of ${name}`));
      const row = await db().insertInto('files').values({ storage_key: stored.key, mime_type: 'application/pdf', size_bytes: stored.sizeBytes, sha256: stored.sha256, original_name: name }).returning('id').executeTakeFirstOrThrow();
      return { id: row.id, key: stored.key, path: t.files.pathOf(stored.key) };
    };

    it('publishes an issue without articles only after the explicit confirmation, and shows a future issue without a date', async () => {
      const id = await createIssue(db(), { journalId: sm, volume: 77, number: '3', datePublished: '2031-05-04' });
      const list = visibleText((await manager.get('/sm/management/issues')).body);
      assert.match(list, /Vol\. 77 No\. 3/);
      assert.doesNotMatch(list, /2031/, 'a future issue shows no publication date');
      assert.match(list, /Not published/);
      assert.doesNotMatch(visibleText((await manager.get(`/sm/management/issues/${id}`)).body), /2031/);

      const refused = await manager.post(`/sm/management/issues/${id}/publish`, { datePublished: '2031-05-04', current: 'on' });
      assert.equal(refused.statusCode, 400);
      assert.match(visibleText(refused.body), /This issue has no articles\. To publish it anyway, confirm with “Publish empty issue”/);
      assert.equal((await issueRow(id))!.is_published, false);

      const confirmation = await manager.get(`/sm/management/issues/${id}/publish?datePublished=2031-05-04&current=on`);
      assert.equal(confirmation.statusCode, 200);
      assert.match(visibleText(confirmation.body), /Publish Vol\. 77 No\. 3 without any articles\?/);
      assert.match(confirmation.body, /name="publishEmpty" value="yes"/);
      assert.equal((await issueRow(id))!.is_published, false, 'the confirmation page changes nothing');

      const published = await manager.post(`/sm/management/issues/${id}/publish`, { datePublished: '2031-05-04', current: 'on', publishEmpty: 'yes' });
      assert.equal(published.statusCode, 303);
      const row = (await issueRow(id))!;
      assert.equal(row.is_published, true);
      assert.equal(row.is_current, true);
    });

    it('deletes a never-published empty issue with its files, and refuses a published one or one with articles', async () => {
      const published = await db().selectFrom('issues').select('id').where('journal_id', '=', sm).where('is_published', '=', true).executeTakeFirstOrThrow();
      const refusedPage = await manager.get(`/sm/management/issues/${published.id}/delete`);
      assert.equal(refusedPage.statusCode, 409);
      assert.match(visibleText(refusedPage.body), /A published issue cannot be deleted/);
      assert.equal((await manager.post(`/sm/management/issues/${published.id}/delete`)).statusCode, 409);
      assert.ok(await issueRow(published.id));

      const section = await db().selectFrom('sections').select('id').where('journal_id', '=', sm).executeTakeFirstOrThrow();
      const holding = await createIssue(db(), { journalId: sm, volume: 78 });
      await addPublishedArticle(db(), { journalId: sm, sectionId: section.id, issueId: holding, locale: 'en', title: { en: 'Waiting for its issue' }, datePublished: '2031-01-01' });
      const holdingPage = await manager.get(`/sm/management/issues/${holding}/delete`);
      assert.equal(holdingPage.statusCode, 409);
      assert.match(visibleText(holdingPage.body), /Move or remove its 1 articles first/);
      assert.equal((await manager.post(`/sm/management/issues/${holding}/delete`)).statusCode, 409);
      assert.ok(await issueRow(holding));

      const id = await createIssue(db(), { journalId: sm, volume: 79 });
      const cover = await storeFile('cover.png');
      await db().updateTable('issues').set({ cover_file_id: cover.id }).where('id', '=', id).execute();
      const confirmation = await manager.get(`/sm/management/issues/${id}/delete`);
      assert.equal(confirmation.statusCode, 200);
      assert.match(visibleText(confirmation.body), /Delete Vol\. 79\?/);
      assert.ok(await issueRow(id), 'the confirmation page changes nothing');
      const deleted = await manager.post(`/sm/management/issues/${id}/delete`);
      assert.equal(deleted.statusCode, 303);
      assert.equal(await issueRow(id), undefined);
      assert.equal(await db().selectFrom('files').select('id').where('id', '=', cover.id).executeTakeFirst(), undefined);
      assert.equal(fs.existsSync(cover.path), false, 'the cover is removed from the file store');
    });

    it('says what unpublishing does before doing it', async () => {
      const current = await db().selectFrom('issues').select('id').where('journal_id', '=', sm).where('is_current', '=', true).executeTakeFirstOrThrow();
      const page = await manager.get(`/sm/management/issues/${current.id}/unpublish`);
      assert.equal(page.statusCode, 200);
      assert.match(visibleText(page.body), /disappear from the journal’s site/);
      assert.equal((await issueRow(current.id))!.is_published, true, 'the confirmation page changes nothing');
      await manager.post(`/sm/management/issues/${current.id}/unpublish`);
      assert.equal((await issueRow(current.id))!.is_published, false);
    });

    it('keeps the default menu items when one is added, and removes an item only after confirmation', async () => {
      const defaults = /Current.*Archives.*About.*Announcements/;
      assert.match(visibleText((await read('/sm')).body), defaults);
      await manager.get('/sm/management/settings');
      const added = await manager.post('/sm/management/navigation', { 'label.en': 'Our blog', 'label.pl': 'Nasz blog', target: 'url', url: 'https://blog.example.org/' });
      assert.equal(added.statusCode, 303);
      const home = visibleText((await read('/sm')).body);
      assert.match(home, /Current.*Archives.*About.*Announcements.*Our blog/, 'adding an item keeps what readers saw');
      const editor = visibleText((await manager.get('/sm/management/navigation')).body);
      assert.match(editor, /Current.*Archives.*About.*Announcements.*Our blog/);

      const about = await db().selectFrom('navigation_items').select('id').where('journal_id', '=', sm).where('target', '=', 'about').executeTakeFirstOrThrow();
      const confirmation = await manager.get(`/sm/management/navigation/${about.id}/delete`);
      assert.match(visibleText(confirmation.body), /Remove “About” from the menu\?/);
      assert.match(visibleText((await read('/sm')).body), /Current.*Archives.*About.*Announcements.*Our blog/, 'the confirmation page changes nothing');
      await manager.post(`/sm/management/navigation/${about.id}/delete`);
      const menu = /<nav id="main-navigation"[\s\S]*?<\/nav>/.exec((await read('/sm')).body)![0];
      assert.match(visibleText(menu), /Current Archives Announcements Our blog/);
      assert.equal(await db().selectFrom('navigation_items').select('id').where('id', '=', about.id).executeTakeFirst(), undefined);
    });

    it('shows a confirmation page, changing nothing, for every other destructive action of the journal team', async () => {
      const section = await createSection(db(), { journalId: sm, title: { en: 'Short-lived' } });
      await db().insertInto('journal_pages').values({ journal_id: sm, path: 'old-news', title: JSON.stringify({ en: 'Old news' }), content: '{}' }).execute();
      const announcement = await db().insertInto('announcements').values({ journal_id: sm, title: JSON.stringify({ en: 'Call for papers' }), summary: '{}', body: '{}' }).returning('id').executeTakeFirstOrThrow();
      await createSushiKey(db(), sm, 'Harvester');
      const key = await db().selectFrom('sushi_keys').select('id').where('journal_id', '=', sm).executeTakeFirstOrThrow();
      await saveTemplate(db(), { journalId: sm, key: 'verify-email', locale: 'en' }, { subject: 'Confirm, please', body: 'Open {{link}}' });
      const snapshot = async () =>
        JSON.stringify([
          await db().selectFrom('sections').select('id').where('id', '=', section).execute(),
          await db().selectFrom('journal_pages').select('id').where('path', '=', 'old-news').execute(),
          await db().selectFrom('announcements').select('id').where('id', '=', announcement.id).execute(),
          await db().selectFrom('sushi_keys').select('revoked_at').where('id', '=', key.id).execute(),
          await db().selectFrom('mail_templates').select('id').where('journal_id', '=', sm).execute(),
        ]);
      const before = await snapshot();
      const pages: Array<[string, RegExp]> = [
        [`/sm/management/sections/${section}/delete`, /Delete the section “Short-lived”\?/],
        ['/sm/management/pages/old-news/delete', /Delete the page “Old news”\?/],
        [`/sm/management/announcements/${announcement.id}/delete`, /Delete the announcement “Call for papers”\?/],
        [`/sm/management/stats/sushi/keys/${key.id}/revoke`, /Revoke the SUSHI key of Harvester/],
        ['/sm/management/mail-templates/verify-email/en/reset', /Reset the template “Email confirmation” \(English\)\?/],
      ];
      for (const [url, question] of pages) {
        const page = await manager.get(url);
        assert.equal(page.statusCode, 200, url);
        assert.match(visibleText(page.body), question, url);
        assert.match(page.body, new RegExp(`<form action="${url}" method="post"`), url);
      }
      assert.equal(await snapshot(), before, 'no confirmation page changed anything');
      for (const [url] of pages) assert.equal((await manager.post(url)).statusCode, 303, url);
      assert.notEqual(await snapshot(), before);
      assert.equal(await db().selectFrom('sections').select('id').where('id', '=', section).executeTakeFirst(), undefined);
    });

    it('disables a journal after confirmation, naming it, and deletes one only with its exact path typed', async () => {
      const doomed = await createJournal(db(), { path: 'doomed', name: { en: 'Doomed Quarterly' }, primaryLocale: 'en', supportedLocales: ['en'] });
      const keeper = await createJournal(db(), { path: 'keeper', name: { en: 'Keeper Review' }, primaryLocale: 'en', supportedLocales: ['en'] });
      const fill = async (journalId: number, title: string) => {
        const sectionId = await createSection(db(), { journalId, title: { en: 'Articles' } });
        const issueId = await createIssue(db(), { journalId, volume: 1, published: true, current: true, datePublished: '2024-01-01' });
        const pdf = await t.files.put(Buffer.from(`%PDF-1.4 ${title}`));
        const { articleId } = await addPublishedArticle(db(), {
          journalId,
          sectionId,
          issueId,
          locale: 'en',
          title: { en: title },
          datePublished: '2024-01-01',
          galleys: [{ label: 'PDF', locale: 'en', file: { storageKey: pdf.key, mimeType: 'application/pdf', sizeBytes: pdf.sizeBytes, sha256: pdf.sha256, originalName: 'a.pdf' } }],
        });
        await db().insertInto('usage_events').values({ at: new Date(), journal_id: journalId, issue_id: issueId, article_id: articleId, galley_id: null, kind: 'investigation', session_key: 's', country: null, yop: 2024, filter_reason: null }).execute();
        return { articleId, pdfPath: t.files.pathOf(pdf.key) };
      };
      const lost = await fill(doomed, 'Gone with the journal');
      const kept = await fill(keeper, 'Still here');
      const { userId } = await createUserWithRole(db(), { email: 'doomed-editor@example.org', password: 'a long enough password', role: 'editor', journalId: doomed, now: new Date() });

      // Disabling: a confirmation saying what readers lose, then a notice naming the journal.
      const edit = visibleText((await admin.get(`/admin/journals/${doomed}`)).body);
      assert.match(edit, /Management of Doomed Quarterly/);
      assert.match(edit, /Public site of Doomed Quarterly/);
      assert.match(visibleText((await admin.get(`/admin/journals/${doomed}/disable`)).body), /Disable Doomed Quarterly\?/);
      // (About, not the home page: a home page view is counted a moment later, and could land after the deletion.)
      assert.equal((await read('/doomed/about')).statusCode, 200, 'the confirmation page changes nothing');
      const disabled = await admin.post(`/admin/journals/${doomed}/disable`);
      assert.match(visibleText((await admin.get(disabled.headers.location as string)).body), /Doomed Quarterly is disabled\./);
      assert.equal((await read('/doomed')).statusCode, 404);
      assert.equal((await read(`/doomed/article/view/${lost.articleId}`)).statusCode, 404);

      const page = visibleText((await admin.get(`/admin/journals/${doomed}/delete`)).body);
      assert.match(page, /Delete Doomed Quarterly and everything in it\?/);
      assert.match(page, /1 issues and 1 articles/);
      assert.match(page, /1 stored files/);
      assert.match(page, /1 roles of 1 people/);
      const events = (await db().selectFrom('usage_events').select('id').where('journal_id', '=', doomed).execute()).length;
      assert.ok(events > 0);
      assert.match(page, new RegExp(`Usage statistics: ${events} recorded events`));
      for (const typed of ['', 'Doomed', 'keeper', 'doomed2']) {
        const wrong = await admin.post(`/admin/journals/${doomed}/delete`, { confirmPath: typed });
        assert.equal(wrong.statusCode, 400, JSON.stringify(typed));
        assert.match(visibleText(wrong.body), /Type exactly doomed to delete this journal/);
      }
      assert.ok(await db().selectFrom('journals').select('id').where('id', '=', doomed).executeTakeFirst());

      const done = await admin.post(`/admin/journals/${doomed}/delete`, { confirmPath: 'doomed' });
      assert.equal(done.statusCode, 200);
      assert.match(visibleText(done.body), /Doomed Quarterly was deleted\./);
      assert.equal(await db().selectFrom('journals').select('id').where('id', '=', doomed).executeTakeFirst(), undefined);
      assert.equal(await db().selectFrom('articles').select('id').where('id', '=', lost.articleId).executeTakeFirst(), undefined);
      assert.equal((await db().selectFrom('usage_events').select('id').where('journal_id', '=', doomed).execute()).length, 0);
      assert.equal((await db().selectFrom('role_assignments').select('id').where('journal_id', '=', doomed).execute()).length, 0);
      assert.ok(await db().selectFrom('users').select('id').where('id', '=', userId).executeTakeFirst(), 'people keep their accounts');
      assert.equal(fs.existsSync(lost.pdfPath), false, 'its files leave the file store');
      const indexed = await db().selectFrom('search_documents').select('article_id').where('article_id', '=', lost.articleId).executeTakeFirst();
      const queued = await db().selectFrom('search_queue').select('article_id').where('article_id', '=', lost.articleId).executeTakeFirst();
      assert.ok(!indexed || queued, 'its search entries are gone or queued for the indexer to remove');

      assert.equal(fs.existsSync(kept.pdfPath), true, 'another journal keeps its files');
      assert.equal((await read(`/keeper/article/view/${kept.articleId}`)).statusCode, 200, 'another journal is untouched');
      assert.ok((await db().selectFrom('usage_events').select('id').where('journal_id', '=', keeper).execute()).length >= 1);
    });
  });
}
