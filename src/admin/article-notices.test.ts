import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { testDatabases } from '../../test/support/databases.ts';
import { Session, signedInAs } from '../../test/support/session.ts';
import { addPublishedArticle, createJournal, createSection, findJournal, loadPublishedArticles } from '../catalog/index.ts';
import { crossrefDeposit } from '../exports/crossref.ts';
import { listEvents } from '../platform/events/index.ts';
import { createMailer, type Mailer } from '../mail/index.ts';
import { runJobsUntilIdle } from '../platform/jobs/index.ts';
import { buildSubscriptions } from '../subscribers.ts';
import { createCrossrefClient } from '../exports/index.ts';
import { startSmtpListener } from '../../test/support/smtp.ts';

const SCHEMAS = path.resolve('../shared/schemas');

/** xmllint with a schema (`--schema` or `--relaxng`); fails with what xmllint said. */
function assertValid(xml: string, flag: '--schema' | '--relaxng', schema: string): void {
  const file = path.join(os.tmpdir(), `revista-notice-${process.pid}-${Math.random().toString(16).slice(2)}.xml`);
  fs.writeFileSync(file, xml);
  try {
    execFileSync('xmllint', ['--noout', '--nonet', flag, schema, file], { stdio: 'pipe' });
  } catch (error) {
    assert.fail(`xmllint rejected it:\n${String((error as { stderr?: Buffer }).stderr ?? error)}\n${xml.slice(0, 3000)}`);
  } finally {
    fs.rmSync(file, { force: true });
  }
}

/** A small real PDF (a page with a line of text). */
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj 3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 300 144]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

/**
 * Corrections and retractions (COPE) from the management page of a published article: the notice is
 * its own published article with a DOI; the article shows a banner (every version of it); OAI,
 * the Atom feed and the page's meta tags carry the relation; the notice's Crossref record carries
 * Crossmark's update, valid against the 5.3.1 schema once the journal has a Crossmark policy DOI.
 */
for (const database of await testDatabases()) {
  describe(`corrections and retractions (${database.name})`, () => {
    let t: TestApp;
    let editor: Session;
    let journalId: number;
    let articleId: number;
    let noticeId: number;
    let noticesSection: number;
    let smtp: Awaited<ReturnType<typeof startSmtpListener>>;
    let mailer: Mailer;
    /** The worker: events' subscribers (the authors' mail among them), then the mail queue. */
    const work = async () => {
      const handlers = [...buildSubscriptions({ crossref: createCrossrefClient({ baseUrl: 'http://127.0.0.1:9' }), baseUrl: 'http://localhost:3000' }).jobHandlers(), ...mailer.jobs];
      const run = await runJobsUntilIdle(t.database.db, handlers);
      assert.equal(run.failed, 0);
      return smtp.received.splice(0);
    };
    const reader = () => new Session(t.app, { 'accept-language': 'en' });
    const manage = (id: number, rest = '') => `/cope/management/articles/${id}${rest}`;

    before(async () => {
      smtp = await startSmtpListener();
      t = await startTestApp(database, { demo: false, mailer: (h) => (mailer = createMailer(h.db, { smtpUrl: smtp.url, from: 'Revista <noreply@localhost>' })) });
      journalId = await createJournal(t.database.db, { path: 'cope', name: { en: 'Journal of Ethics' }, primaryLocale: 'en', supportedLocales: ['en', 'pl'], contactEmail: 'editor@example.org' });
      await t.database.db.updateTable('journals').set({ doi_prefix: '10.99997', publisher: 'Ethics Press', online_issn: '2049-3630' }).where('id', '=', journalId).execute();
      const sectionId = await createSection(t.database.db, { journalId, title: { en: 'Articles' } });
      noticesSection = await createSection(t.database.db, { journalId, title: { en: 'Corrections and Retractions' } });
      const added = await addPublishedArticle(t.database.db, {
        journalId,
        sectionId,
        issueId: null,
        locale: 'en',
        title: { en: 'Cold Fusion in a Jar', pl: 'Zimna fuzja w słoiku' },
        abstract: { en: 'We report fusion.' },
        doi: '10.99997/cope.1',
        datePublished: '2026-01-10',
        contributors: [{ givenName: { en: 'Jan' }, familyName: { en: 'Kowalski' }, email: 'jan@example.org' }],
      });
      articleId = added.articleId;
      editor = await signedInAs(t.app, t.database.db, { email: 'editor@example.org', role: 'editor', journalId });
    });
    after(async () => {
      await t.close();
      await smtp.close();
    });

    it('shows the notice form with the notices section chosen, and says Crossref needs a Crossmark policy DOI', async () => {
      const form = await editor.get(manage(articleId, '/notice'));
      assert.equal(form.statusCode, 200);
      assert.match(form.body, new RegExp(`<option value="${noticesSection}" selected`));
      assert.match(form.body, /Crossref will register the notice, but not its update relation/);
      const refused = await editor.postMultipart(manage(articleId, '/notice'), { kind: '', 'text.en': '' });
      assert.equal(refused.statusCode, 400);
      assert.match(refused.body, /Choose the kind of notice/);
      assert.match(refused.body, /Write the text of the notice/);
    });

    it('lets no author or anonymous visitor publish a notice', async () => {
      const author = await signedInAs(t.app, t.database.db, { email: 'author@example.org', role: 'author', journalId });
      assert.equal((await author.get(manage(articleId, '/notice'))).statusCode, 403);
      await author.get('/cope');
      assert.equal((await author.postMultipart(manage(articleId, '/notice'), { kind: 'retraction', 'text.en': 'x', sectionId: String(noticesSection) })).statusCode, 403);
      const anonymous = reader();
      const page = await anonymous.get(manage(articleId, '/notice'));
      assert.ok([302, 303, 401].includes(page.statusCode), `anonymous: ${page.statusCode}`);
      assert.equal(await t.database.db.selectFrom('article_notices').select('id').executeTakeFirst(), undefined);
    });

    it('publishes a retraction as its own article with a DOI, and the article shows it', async () => {
      // The article gets a second version first: the banner shows on the older version too.
      await editor.get(manage(articleId));
      await editor.post(manage(articleId, '/versions'));
      const draft = await t.database.db.selectFrom('publications').select('id').where('article_id', '=', articleId).where('status', '=', 'queued').executeTakeFirstOrThrow();
      await editor.get(manage(articleId));
      await editor.post(manage(articleId, `/versions/${draft.id}/publish`));
      const firstVersion = await t.database.db.selectFrom('publications').select('id').where('article_id', '=', articleId).where('version', '=', 1).executeTakeFirstOrThrow();

      await editor.get(manage(articleId, '/notice'));
      const published = await editor.postMultipart(
        manage(articleId, '/notice'),
        { kind: 'retraction', 'text.en': 'The data were <em>fabricated</em>.<script>alert(1)</script>', sectionId: String(noticesSection) },
        { file: { name: 'retraction.pdf', type: 'application/pdf', content: PDF } },
      );
      assert.equal(published.statusCode, 303);
      const link = await t.database.db.selectFrom('article_notices').selectAll().executeTakeFirstOrThrow();
      assert.equal(link.article_id, articleId);
      assert.equal(link.kind, 'retraction');
      noticeId = link.notice_article_id;
      assert.equal(published.headers.location, manage(noticeId, '?notice=published'));
      const notice = await t.database.db.selectFrom('articles as a').innerJoin('publications as p', 'p.id', 'a.current_publication_id').selectAll('p').where('a.id', '=', noticeId).executeTakeFirstOrThrow();
      assert.deepEqual(notice.title, { en: 'Retraction: Cold Fusion in a Jar', pl: 'Wycofanie: Zimna fuzja w słoiku' });
      assert.equal(notice.status, 'published');
      assert.equal(notice.section_id, noticesSection);
      assert.match(notice.doi ?? '', /^10\.99997\//);
      assert.doesNotMatch(notice.abstract.en ?? '', /script/, 'the text is stored as rich text, without script');
      const events = (await listEvents(t.database.db, { type: 'PublicationPublished' })).map((e) => e.event);
      assert.deepEqual(events.at(-1), { type: 'PublicationPublished', journalId, articleId: noticeId, publicationId: notice.id, via: 'notice' });

      const today = new Date().toISOString().slice(0, 10);
      const longToday = new Intl.DateTimeFormat('en', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${today}T00:00:00Z`));
      const article = await reader().get(`/cope/article/view/${articleId}`);
      assert.match(article.body, /<strong>Retracted<\/strong>/);
      assert.match(article.body, new RegExp(`This article was retracted on ${longToday}`));
      assert.match(article.body, new RegExp(`href="/cope/article/view/${noticeId}"`));
      assert.match(article.body, /<h1>Cold Fusion in a Jar<\/h1>/, 'the article keeps its title');
      assert.match(article.body, /<meta name="citation_title" content="Cold Fusion in a Jar">/);
      assert.match(article.body, new RegExp(`<meta name="DC.Relation" content="https://doi.org/${notice.doi!.replace(/[./]/g, '\\$&')}" scheme="URI">`));
      assert.match(article.body, /"correction":\["http:\/\/localhost:3000\/cope\/article\/view\/\d+"\]/);
      const older = await reader().get(`/cope/article/view/${articleId}/version/${firstVersion.id}`);
      assert.equal(older.statusCode, 200);
      assert.match(older.body, /<strong>Retracted<\/strong>/, 'the banner is on earlier versions too');

      const noticePage = await reader().get(`/cope/article/view/${noticeId}`);
      assert.match(noticePage.body, /This notice retracts:/);
      assert.match(noticePage.body, new RegExp(`<a href="/cope/article/view/${articleId}">`));
      assert.match(noticePage.body, /citation_pdf_url/, 'the PDF is the notice’s galley');
      assert.match(noticePage.body, /<meta name="DC.Relation" content="https:\/\/doi.org\/10.99997\/cope.1" scheme="URI">/);

      // The author is told, at the address the article gives for its contact.
      const mails = await work();
      assert.deepEqual(mails.map((m) => [m.envelopeTo, m.subject]), [[['jan@example.org'], '[Journal of Ethics] Retraction: Cold Fusion in a Jar']]);
      assert.match(mails[0]!.text, /Dear Jan Kowalski/);
      assert.match(mails[0]!.text, new RegExp(`http://localhost:3000/cope/article/view/${noticeId}`));
      assert.match(mails[0]!.text, new RegExp(`http://localhost:3000/cope/article/view/${articleId}`));
    });

    it('carries the relation in OAI-PMH (both records) and in the Atom feed, each valid', async () => {
      const notice = await t.database.db.selectFrom('articles as a').innerJoin('publications as p', 'p.id', 'a.current_publication_id').select('p.doi').where('a.id', '=', noticeId).executeTakeFirstOrThrow();
      const list = await t.app.inject({ url: '/oai?verb=ListRecords&metadataPrefix=oai_dc' });
      assertValid(list.body, '--schema', path.join(SCHEMAS, 'oai-pmh/oai-pmh-with-formats.xsd'));
      assert.match(list.body, new RegExp(`oai:localhost:article/${noticeId}<`), 'the notice is its own record');
      const ofArticle = await t.app.inject({ url: `/oai?verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:localhost:article/${articleId}` });
      assert.match(ofArticle.body, new RegExp(`<dc:relation>https://doi.org/${notice.doi}</dc:relation>`));
      const ofNotice = await t.app.inject({ url: `/oai?verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:localhost:article/${noticeId}` });
      assert.match(ofNotice.body, /<dc:relation>https:\/\/doi.org\/10.99997\/cope.1<\/dc:relation>/);
      assertValid(ofNotice.body, '--schema', path.join(SCHEMAS, 'oai-pmh/oai-pmh-with-formats.xsd'));

      const atom = (await t.app.inject({ url: '/cope/feed/atom' })).body;
      assertValid(atom, '--relaxng', path.join(SCHEMAS, 'atom/atom.rng'));
      const entry = new RegExp(`<entry[^>]*>\\s*<id>http://localhost:3000/cope/article/view/${noticeId}</id>[\\s\\S]*?</entry>`).exec(atom)?.[0];
      assert.ok(entry, 'the notice is an entry of the feed');
      assert.match(entry, new RegExp(`<link rel="related" type="text/html" href="http://localhost:3000/cope/article/view/${articleId}"/>`));
    });

    it('sends Crossref the update relation once the journal has a Crossmark policy DOI, valid against 5.3.1', async () => {
      const deposit = async () => {
        const journal = (await findJournal(t.database.db, 'cope'))!;
        const article = (await loadPublishedArticles(t.database.db, [noticeId]))!.get(noticeId)!;
        return crossrefDeposit([{ article, journal, baseUrl: 'http://localhost:3000' }], { depositor: { name: 'Ethics Press', email: 'office@example.org', registrant: 'Ethics Press' }, batchId: 'notice-1', timestamp: 1 });
      };
      const schema = path.join(SCHEMAS, 'crossref/crossref5.3.1.xsd');
      const without = await deposit();
      assertValid(without, '--schema', schema);
      assert.doesNotMatch(without, /<crossmark>/, 'no policy DOI: no Crossmark (the schema requires the policy with the updates)');

      const manager = await signedInAs(t.app, t.database.db, { email: 'manager@example.org', role: 'manager', journalId });
      await manager.get('/cope/management/doi');
      const wrong = await manager.post('/cope/management/doi', { prefix: '10.99997', pattern: '', crossmarkPolicy: 'not a doi' });
      assert.equal(wrong.statusCode, 400);
      await manager.get('/cope/management/doi');
      assert.equal((await manager.post('/cope/management/doi', { prefix: '10.99997', pattern: '', crossmarkPolicy: 'https://doi.org/10.99997/policy' })).statusCode, 303);
      assert.equal((await t.database.db.selectFrom('journals').select('crossmark_policy_doi').where('id', '=', journalId).executeTakeFirstOrThrow()).crossmark_policy_doi, '10.99997/policy');
      assert.match((await manager.get('/cope/management/doi')).body, /value="10.99997\/policy"/);

      const withPolicy = await deposit();
      assertValid(withPolicy, '--schema', schema);
      const today = new Date().toISOString().slice(0, 10);
      assert.match(withPolicy, new RegExp(`<crossmark>\\s*<crossmark_policy>10.99997/policy</crossmark_policy>\\s*<updates>\\s*<update type="retraction" date="${today}">10.99997/cope.1</update>\\s*</updates>\\s*<custom_metadata>\\s*<ai:program`));
      // The form no longer warns.
      assert.doesNotMatch((await editor.get(manage(articleId, '/notice'))).body, /not its update relation/);
    });

    it('refuses a notice about a notice', async () => {
      assert.equal((await editor.get(manage(noticeId, '/notice'))).statusCode, 409);
    });
  });
}
