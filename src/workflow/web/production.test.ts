import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, visibleText, type TestApp } from '../../../test/support/app.ts';
import { testDatabases } from '../../../test/support/databases.ts';
import { HTML, inProduction, PDF, PNG } from '../../../test/support/production-fixture.ts';
import { Session, signedInAs } from '../../../test/support/session.ts';
import { startSmtpListener } from '../../../test/support/smtp.ts';
import { createCrossrefClient } from '../../exports/index.ts';
import { createMailer, type Mailer } from '../../mail/index.ts';
import { runJobsUntilIdle } from '../../platform/jobs/index.ts';
import { buildSubscriptions } from '../../subscribers.ts';

for (const database of await testDatabases()) {
  describe(`production on the submission page (${database.name})`, () => {
    let t: TestApp;
    let smtp: Awaited<ReturnType<typeof startSmtpListener>>;
    let mailer: Mailer;
    const s: Record<'editor' | 'layout' | 'otherLayout' | 'author' | 'reviewer' | 'reader', Session> = {} as never;
    let visitor: Session;
    let submissionId: number;
    let page: string;
    const subscriptions = buildSubscriptions({ crossref: createCrossrefClient({ baseUrl: 'http://127.0.0.1:9' }), baseUrl: 'http://localhost:3000' });
    const runJobs = () => runJobsUntilIdle(t.database.db, [...subscriptions.jobHandlers(), ...mailer.jobs]);
    const userId = async (email: string) => (await t.database.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
    const mailTo = (email: string) => smtp.received.filter((m) => m.envelopeTo.includes(email));
    const galleyIds = async () => {
      const a = await t.database.db.selectFrom('articles').select('current_publication_id').where('id', '=', submissionId).executeTakeFirstOrThrow();
      return (await t.database.db.selectFrom('galleys').select(['id', 'label']).where('publication_id', '=', a.current_publication_id!).orderBy('seq').execute());
    };

    before(async () => {
      smtp = await startSmtpListener();
      t = await startTestApp(database, { mailer: (db) => (mailer = createMailer(db.db, { smtpUrl: smtp.url, from: 'Revista <noreply@example.org>' })) });
      const db = t.database.db;
      s.editor = await signedInAs(t.app, db, { email: 'editor@example.org', role: 'editor', journalId: 1 });
      s.layout = await signedInAs(t.app, db, { email: 'layout@example.org', role: 'layout-editor', journalId: 1 });
      s.otherLayout = await signedInAs(t.app, db, { email: 'other-layout@example.org', role: 'layout-editor', journalId: 1 });
      s.author = await signedInAs(t.app, db, { email: 'author@example.org', role: 'author', journalId: 1 });
      s.reviewer = await signedInAs(t.app, db, { email: 'reviewer@example.org', role: 'reviewer', journalId: 1 });
      s.reader = await signedInAs(t.app, db, { email: 'reader@example.org', role: 'reader', journalId: 1 });
      visitor = new Session(t.app, { 'accept-language': 'en' });
      submissionId = await inProduction(db, t.files, { author: await userId('author@example.org'), editor: await userId('editor@example.org'), layout: await userId('layout@example.org') });
      page = `/sm/workflow/index/${submissionId}`;
      await runJobs();
      smtp.received.length = 0;
    });
    after(async () => {
      await t.close();
      await smtp.close();
    });

    it('the layout editor uploads a PDF and an HTML galley, sees them listed with previews, and the HTML’s missing files', async () => {
      const before = await s.layout.get(page);
      assert.equal(before.statusCode, 200, before.body);
      assert.match(visibleText(before.body), /Production Galleys No galleys yet\./);
      const pdf = await s.layout.postMultipart(`${page}/galleys`, { label: 'PDF', locale: 'en' }, { file: { name: 'article.pdf', type: 'application/pdf', content: PDF } });
      assert.equal(pdf.statusCode, 303, pdf.body);
      assert.equal(pdf.headers.location, `${page}?productionNotice=galley-added#production`);
      const html = await s.layout.postMultipart(`${page}/galleys`, { label: 'HTML', locale: 'en' }, { file: { name: 'article.html', type: 'text/html', content: HTML } });
      assert.equal(html.statusCode, 303);
      const [pdfGalley, htmlGalley] = await galleyIds();
      const shown = await s.layout.get(`${page}?productionNotice=galley-added`);
      const text = visibleText(shown.body);
      assert.match(text, /The galley was added\./);
      assert.match(text, /PDF en PDF \d+ B Preview/);
      assert.ok(shown.body.includes(`href="${page}/galleys/${pdfGalley!.id}/preview"`));
      assert.ok(shown.body.includes(`href="${page}/galleys/${htmlGalley!.id}/preview"`));
      assert.match(text, /The HTML refers to these files, which are not here yet: style\.css figure1\.png images\/figure 2\.png/);

      const asset = await s.layout.postMultipart(`${page}/galleys/${htmlGalley!.id}/assets`, { [`assetName-${htmlGalley!.id}`]: 'figure1.png' }, { file: { name: 'fig.png', type: 'image/png', content: PNG } });
      assert.equal(asset.statusCode, 303, asset.body);
      const after = visibleText((await s.layout.get(page)).body);
      assert.match(after, /figure1\.png \(image\/png/);
      assert.match(after, /not here yet: style\.css images\/figure 2\.png/);

      // Removing it is asked first, on a page of its own; then the HTML misses it again.
      const assetId = (await t.database.db.selectFrom('galley_assets').select('id').where('galley_id', '=', htmlGalley!.id).where('name', '=', 'figure1.png').executeTakeFirstOrThrow()).id;
      const confirm = await s.layout.get(`${page}/galleys/${htmlGalley!.id}/assets/${assetId}/remove`);
      assert.equal(confirm.statusCode, 200);
      assert.match(visibleText(confirm.body), /Remove figure1\.png from the galley HTML\?/);
      const removed = await s.layout.post(`${page}/galleys/${htmlGalley!.id}/assets/${assetId}/remove`);
      assert.equal(removed.statusCode, 303, removed.body);
      assert.match(visibleText((await s.layout.get(page)).body), /not here yet: style\.css figure1\.png images\/figure 2\.png/);
    });

    it('refuses a script as a galley or an asset, and a javascript: address, saying why; nothing is stored', async () => {
      const count = (await galleyIds()).length;
      const script = await s.layout.postMultipart(`${page}/galleys`, { label: 'JS', locale: 'en' }, { file: { name: 'evil.js', type: 'text/javascript', content: Buffer.from('alert(document.cookie)') } });
      assert.equal(script.statusCode, 303);
      assert.equal(script.headers.location, `${page}?productionError=galley-type-not-allowed&type=text%2Fjavascript#production`);
      assert.match(visibleText((await s.layout.get(String(script.headers.location))).body), /A galley is a PDF, HTML, JATS XML or EPUB file; this file is text\/javascript\./);
      const remote = await s.layout.postMultipart(`${page}/galleys`, { label: 'Remote', locale: 'en', remoteUrl: 'javascript:alert(1)' });
      assert.equal(remote.headers.location, `${page}?productionError=url-invalid#production`);
      assert.equal((await galleyIds()).length, count);
      const [, html] = await galleyIds();
      const asset = await s.layout.postMultipart(`${page}/galleys/${html!.id}/assets`, { [`assetName-${html!.id}`]: 'app.js' }, { file: { name: 'app.js', type: 'text/javascript', content: Buffer.from('alert(1)') } });
      assert.equal(asset.headers.location, `${page}?productionError=asset-type-not-allowed&type=application%2Foctet-stream#production`);
      // An image over its limit: the reading stops, the limit is said in words.
      const big = await s.layout.postMultipart(`${page}/galleys/${html!.id}/assets`, { [`assetName-${html!.id}`]: 'huge.png' }, { file: { name: 'huge.png', type: 'image/png', content: Buffer.concat([PNG, Buffer.alloc(21 * 1024 * 1024)]) } });
      assert.equal(big.headers.location, `${page}?productionError=file-too-large&max=${20 * 1024 * 1024}#production`);
      assert.match(visibleText((await s.layout.get(String(big.headers.location))).body), /The file is larger than \d+ MB\./);
    });

    it('moves, edits and removes a galley (removing is confirmed on a page of its own)', async () => {
      const [pdf, html] = await galleyIds();
      await s.layout.get(page);
      assert.equal((await s.layout.post(`${page}/galleys/${html!.id}/move`, { direction: 'up' })).statusCode, 303);
      assert.deepEqual((await galleyIds()).map((g) => g.label), ['HTML', 'PDF']);
      const edit = await s.layout.get(`${page}/galleys/${pdf!.id}/edit`);
      assert.equal(edit.statusCode, 200);
      assert.match(edit.body, /enctype="multipart\/form-data"/);
      const saved = await s.layout.postMultipart(`${page}/galleys/${pdf!.id}/edit`, { label: 'PDF (print)', locale: 'en' });
      assert.equal(saved.statusCode, 303, saved.body);
      const bad = await s.layout.postMultipart(`${page}/galleys/${pdf!.id}/edit`, { label: '', locale: 'en' });
      assert.equal(bad.statusCode, 422);
      assert.match(visibleText(bad.body), /Give the galley a label/);
      const confirm = await s.layout.get(`${page}/galleys/${pdf!.id}/remove`);
      assert.equal(confirm.statusCode, 200);
      assert.match(visibleText(confirm.body), /Remove the galley PDF \(print\)\?/);
      assert.equal((await s.layout.post(`${page}/galleys/${pdf!.id}/remove`)).statusCode, 303);
      assert.deepEqual((await galleyIds()).map((g) => g.label), ['HTML']);
      // Put a PDF back for the proofs.
      await s.layout.postMultipart(`${page}/galleys`, { label: 'PDF', locale: 'en' }, { file: { name: 'article.pdf', type: 'application/pdf', content: PDF } });
    });

    it('proofs: sent to the author by mail; the author asks for corrections on the proof page; the layout editor and editor are emailed the answer', async () => {
      const authorId = await userId('author@example.org');
      await s.layout.get(page);
      const sent = await s.layout.post(`${page}/proofs`, { authorIds: String(authorId), message: 'Please check the figures.' });
      assert.equal(sent.headers.location, `${page}?productionNotice=proofs-sent#production`);
      await runJobs();
      const toAuthor = mailTo('author@example.org');
      assert.equal(toAuthor.length, 1);
      // The demo journal writes in Polish (its primary language; the people chose none).
      assert.match(toAuthor[0]!.subject, /Korekta do sprawdzenia: Rivers of the north/);
      assert.match(toAuthor[0]!.text, /Please check the figures\./);
      const link = /http:\/\/localhost:3000(\/sm\/workflow\/index\/\d+\/proofs\/\d+)/.exec(toAuthor[0]!.text)![1]!;

      // The author's submission page leads there too.
      assert.ok((await s.author.get(page)).body.includes(`href="${link}"`));
      const proofPage = await s.author.get(link);
      assert.equal(proofPage.statusCode, 200);
      const galleys = await galleyIds();
      for (const g of galleys) assert.ok(proofPage.body.includes(`href="${page}/galleys/${g.id}/preview"`), `preview of ${g.label}`);
      assert.match(visibleText(proofPage.body), /Please check the figures\./);
      const empty = await s.author.post(link, { answer: 'corrections', response: '' });
      assert.equal(empty.statusCode, 422);
      assert.match(visibleText(empty.body), /Say what should be corrected/);
      const answered = await s.author.post(link, { answer: 'corrections', response: 'Figure 2 is upside down.' });
      assert.equal(answered.statusCode, 303, answered.body);
      assert.match(visibleText((await s.author.get(String(answered.headers.location))).body), /Thank you: your answer was sent.*You answered on .*: Corrections requested\. Figure 2 is upside down\./);
      // Answered once: no second answer.
      assert.equal((await s.author.post(link, { answer: 'approve' })).statusCode, 403);

      await runJobs();
      for (const email of ['layout@example.org', 'editor@example.org']) {
        const mails = mailTo(email);
        assert.equal(mails.length, 1, email);
        assert.match(mails[0]!.subject, /Korekta: prośba o poprawki – Rivers of the north/);
        assert.match(mails[0]!.text, /Figure 2 is upside down\./);
      }
      assert.equal(mailTo('author@example.org').length, 1, 'the author is not mailed their own answer');
      assert.match(visibleText((await s.layout.get(page)).body), /Corrections requested .* Figure 2 is upside down\./);
    });

    it('a request is cancelled: the author’s page says so and takes no answer', async () => {
      const authorId = await userId('author@example.org');
      await s.editor.get(page);
      await s.editor.post(`${page}/proofs`, { authorIds: String(authorId), message: '' });
      const proof = await t.database.db.selectFrom('proof_requests').select('id').where('submission_id', '=', submissionId).orderBy('id', 'desc').executeTakeFirstOrThrow();
      await s.editor.get(page);
      assert.equal((await s.editor.post(`${page}/proofs/${proof.id}/cancel`)).headers.location, `${page}?productionNotice=proof-cancelled#production`);
      const view = await s.author.get(`${page}/proofs/${proof.id}`);
      assert.match(visibleText(view.body), /The journal cancelled this request/);
      assert.doesNotMatch(view.body, /Approve the proofs/);
      assert.equal((await s.author.post(`${page}/proofs/${proof.id}`, { answer: 'approve' })).statusCode, 403);
      // Not to someone who is not an author of the submission.
      await s.editor.get(page);
      const refused = await s.editor.post(`${page}/proofs`, { authorIds: String(await userId('reader@example.org')) });
      assert.equal(refused.headers.location, `${page}?productionError=not-an-author#production`);
    });

    it('who may do what: assigned layout editor and editor work; another layout editor, reviewer, reader learn nothing; the author reads only', async () => {
      const [galley] = await galleyIds();
      const proof = await t.database.db.selectFrom('proof_requests').select('id').where('submission_id', '=', submissionId).orderBy('id').executeTakeFirstOrThrow();
      const pages = [page, `${page}/galleys/${galley!.id}/edit`, `${page}/galleys/${galley!.id}/remove`, `${page}/proofs/${proof.id}`];
      for (const url of pages) {
        for (const who of ['otherLayout', 'reviewer', 'reader'] as const) assert.equal((await s[who].get(url)).statusCode, 404, `${who} ${url}`);
        const v = await visitor.get(url);
        assert.equal(v.statusCode, 303, `visitor ${url}`);
        assert.match(String(v.headers.location), /^\/sm\/login\?source=/);
        assert.equal((await s.editor.get(url)).statusCode, 200, `editor ${url}`);
        assert.equal((await s.layout.get(url)).statusCode, 200, `layout editor ${url}`);
      }
      const authorPage = await s.author.get(page);
      assert.equal(authorPage.statusCode, 200);
      assert.doesNotMatch(authorPage.body, /Add a galley/);
      assert.equal((await s.author.get(`${page}/galleys/${galley!.id}/edit`)).statusCode, 403);
      await s.author.get(page);
      for (const [url, fields] of [[`${page}/galleys/${galley!.id}/move`, { direction: 'down' }], [`${page}/galleys/${galley!.id}/remove`, {}], [`${page}/proofs`, { authorIds: '1' }]] as const) {
        assert.equal((await s.author.post(url, fields)).statusCode, 403, `author ${url}`);
        await s.otherLayout.get('/sm/dashboard/mySubmissions');
        assert.equal((await s.otherLayout.post(url, fields)).statusCode, 404, `other layout editor ${url}`);
      }
      const upload = await s.author.postMultipart(`${page}/galleys`, { label: 'PDF', locale: 'en' }, { file: { name: 'a.pdf', type: 'application/pdf', content: PDF } });
      assert.equal(upload.statusCode, 403);
      // The layout editor sees a proof but does not answer it for the author.
      assert.doesNotMatch((await s.layout.get(`${page}/proofs/${proof.id}`)).body, /Approve the proofs/);
      // A form without its token is refused.
      assert.equal((await s.layout.post(`${page}/galleys/${galley!.id}/move`, { direction: 'down', _csrf: 'wrong' })).statusCode, 403);
    });
  });
}
