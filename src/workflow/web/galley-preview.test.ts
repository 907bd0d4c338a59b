import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { testDatabases } from '../../../test/support/databases.ts';
import { GALLEY_CSS, hostileHtml, submissionWithGalleys, VIEWER_PDF } from '../../../test/support/galley-fixture.ts';
import { manualClock, Session, signedInAs } from '../../../test/support/session.ts';

/**
 * The team's galley preview before publication (issue 21, item 2): the galley's page as readers will
 * see it, for those who produce the galleys and the submission's authors; 404 for anyone else. The
 * HTML galley's frame and assets answer a signed address (the sandboxed document's requests carry no
 * cookies), sandboxed as readers' are.
 */

for (const database of await testDatabases()) {
  describe(`galley preview on ${database.name}`, () => {
    let t: TestApp;
    const clock = manualClock(new Date());
    let layoutEditor: Session;
    let author: Session;
    let stranger: Session;
    let editor: Session;
    let submissionId: number;
    let pdf: number;
    let html: number;
    const base = (galley: number) => `/sm/workflow/index/${submissionId}/galleys/${galley}/preview`;
    const usageEvents = async () => Number((await t.database.db.selectFrom('usage_events').select((eb) => eb.fn.countAll<string>().as('n')).where('article_id', '=', submissionId).executeTakeFirstOrThrow()).n);
    const userId = async (email: string) => (await t.database.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;

    before(async () => {
      t = await startTestApp(database, { clock });
      const db = t.database.db;
      author = await signedInAs(t.app, db, { email: 'proof.author@example.org', role: 'author', journalId: 1 });
      layoutEditor = await signedInAs(t.app, db, { email: 'layout@example.org', role: 'layout-editor', journalId: 1 });
      stranger = await signedInAs(t.app, db, { email: 'other.author@example.org', role: 'author', journalId: 1 });
      editor = await signedInAs(t.app, db, { email: 'preview.editor@example.org', role: 'editor', journalId: 1 });
      ({ submissionId, pdf, html } = await submissionWithGalleys(db, t.files, { author: await userId('proof.author@example.org'), layoutEditor: await userId('layout@example.org'), editor: await userId('preview.editor@example.org') }));
    });
    after(() => t.close());

    it('shows the layout editor the PDF galley as readers will see it, marked as a preview', async () => {
      const page = await layoutEditor.get(base(pdf));
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Preview: this is how readers will see this galley/);
      assert.match(page.body, /<h1[^>]*>Proofs to check<\/h1>/);
      assert.match(page.body, new RegExp(`<iframe class="galley-frame galley-frame--pdf" src="${base(pdf)}/file\\?inline=1"`));
      assert.match(page.body, new RegExp(`<a href="/sm/workflow/index/${submissionId}">Back to the submission</a>`));
      assert.match(page.body, /<meta name="robots" content="noindex"/);
      assert.equal(page.headers['cache-control'], 'private, no-store');
      const inline = await layoutEditor.get(`${base(pdf)}/file?inline=1`);
      assert.equal(inline.statusCode, 200);
      assert.match(String(inline.headers['content-disposition']), /^inline;/);
      assert.equal(inline.headers['cache-control'], 'private, no-store');
      assert.deepEqual(inline.rawPayload, VIEWER_PDF);
      assert.match(String((await layoutEditor.get(`${base(pdf)}/file`)).headers['content-disposition']), /^attachment;/);
      assert.equal(await usageEvents(), 0, 'the team’s preview is no usage');
    });

    it('lets the submission’s author and its editor preview too', async () => {
      assert.equal((await author.get(base(pdf))).statusCode, 200);
      assert.equal((await author.get(`${base(pdf)}/file`)).statusCode, 200);
      assert.equal((await editor.get(base(html))).statusCode, 200);
    });

    it('tells anyone else nothing: 404 for another author, sign-in for a visitor; readers do not see it', async () => {
      for (const url of [base(pdf), `${base(pdf)}/file`, base(html), `/sm/workflow/index/${submissionId}/galleys/999999/preview`]) {
        assert.equal((await stranger.get(url)).statusCode, 404, url);
      }
      const visitor = new Session(t.app);
      for (const url of [base(pdf), `${base(pdf)}/file?inline=1`]) {
        const answer = await visitor.get(url);
        assert.ok([302, 303, 401].includes(answer.statusCode), `${url}: ${answer.statusCode}`);
        assert.doesNotMatch(answer.body, /Proofs to check|%PDF/);
      }
      assert.equal((await visitor.get(`/sm/article/view/${submissionId}/${pdf}`)).statusCode, 404, 'not published: no reader’s viewer');
      assert.equal((await visitor.get(`/sm/article/galley-html/${submissionId}/${html}/`)).statusCode, 404);
    });

    it('frames the HTML galley through a signed address, sandboxed, without cookies, for a while', async () => {
      const page = await author.get(base(html));
      const frame = /<iframe class="galley-frame galley-frame--html" sandbox="([^"]*)" src="([^"]+)"/.exec(page.body);
      assert.ok(frame);
      assert.doesNotMatch(frame[1]!, /allow-scripts|allow-same-origin/);
      const src = frame[2]!;
      assert.ok(src.startsWith(`${base(html)}/html/`) && src.endsWith('/'), src);
      // As the browser asks from the sandboxed frame: no cookies at all.
      const doc = await t.app.inject({ url: src });
      assert.equal(doc.statusCode, 200);
      assert.equal(doc.body, hostileHtml('sm'));
      assert.match(String(doc.headers['content-security-policy']), /^sandbox/);
      assert.equal(doc.headers['cache-control'], 'private, no-store');
      assert.equal(doc.headers['set-cookie'], undefined);
      const css = await t.app.inject({ url: `${src}galley.css` });
      assert.equal(css.statusCode, 200);
      assert.equal(css.body, GALLEY_CSS);
      assert.match(String(css.headers['content-security-policy']), /^sandbox/);
      assert.equal((await t.app.inject({ url: `${src}..%2Fgalley.css` })).statusCode, 404);
      const [expires, user, mac] = src.split('/html/')[1]!.replace(/\/$/, '').split('.') as [string, string, string];
      const forged = [
        `${Number(expires) + 3600}.${user}.${mac}`,
        `${expires}.${Number(user) + 1}.${mac}`,
        `${expires}.${user}.${mac.slice(0, -1)}${mac.endsWith('A') ? 'B' : 'A'}`,
      ];
      for (const token of forged) assert.equal((await t.app.inject({ url: `${base(html)}/html/${token}/` })).statusCode, 404, token);
      assert.equal((await t.app.inject({ url: `${base(pdf)}/html/${expires}.${user}.${mac}/` })).statusCode, 404, 'signed for another galley');
      assert.equal(await usageEvents(), 0);
      clock.advance(5 * 3600 * 1000);
      assert.equal((await t.app.inject({ url: src })).statusCode, 404, 'the signed address expires');
    });
  });
}
