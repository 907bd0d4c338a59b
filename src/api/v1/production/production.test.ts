import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertAllExercised, assertProblem, startApiTestApp, type ApiTestApp } from '../../../../test/support/api.ts';
import { testDatabases } from '../../../../test/support/databases.ts';
import { contractChecker } from '../../../../test/support/openapi.ts';
import { CSS, HTML, inProduction, PDF, PNG } from '../../../../test/support/production-fixture.ts';
import { multipart, userOf } from '../../../../test/support/review-api.ts';
import type { Static } from '../../../platform/http/index.ts';
import type { Galley, GalleyAsset, Proof } from './schema.ts';

type Paged<T> = { itemsMax: number; items: T[] };
type G = Static<typeof Galley>;
type P = Static<typeof Proof>;

const GALLEYS = '/{journal}/api/v1/submissions/{submissionId}/publications/{publicationId}/galleys';
const GALLEY = `${GALLEYS}/{galleyId}`;
const UPLOAD = `${GALLEYS}/upload`;
const FILE = `${GALLEY}/file`;
const ASSETS = `${GALLEY}/assets`;
const ASSET = `${ASSETS}/{assetId}`;
const PROOFS = '/{journal}/api/v1/submissions/{submissionId}/proofs';
const PROOF = `${PROOFS}/{proofId}`;

/** Galleys and proofs through the API alone, every answer checked against the OpenAPI document. */
for (const database of await testDatabases()) {
  describe(`API galleys and proofs on ${database.name}`, () => {
    let t: ApiTestApp;
    let check: ReturnType<typeof contractChecker>;
    const tokens: Record<'editor' | 'layout' | 'otherLayout' | 'author' | 'reviewer', string> = {} as never;
    let params: { journal: string; submissionId: number; publicationId: number };
    let authorId: number;

    const path = (template: string, values: Record<string, string | number>) => template.replace(/\{([^}]+)\}/g, (_all, name: string) => String(values[name]));
    async function send(method: 'POST' | 'PUT', template: string, values: Record<string, string | number>, token: string, fields: Record<string, string>, file: { name: string; bytes: Buffer; type: string }) {
      const { payload, contentType } = multipart(fields, file);
      const response = await t.app.inject({ method, url: path(template, values), headers: { authorization: `Bearer ${token}`, 'content-type': contentType }, payload });
      check(method, template, response);
      return response;
    }

    before(async () => {
      t = await startApiTestApp(database);
      check = contractChecker(t.document);
      tokens.editor = await t.tokenFor('editor');
      tokens.layout = await t.tokenFor('layout-editor');
      tokens.otherLayout = await t.tokenFor('layout-editor');
      tokens.author = await t.tokenFor('author');
      tokens.reviewer = await t.tokenFor('reviewer');
      authorId = await userOf(t, tokens.author);
      const submissionId = await inProduction(t.database.db, t.files, { author: authorId, editor: await userOf(t, tokens.editor), layout: await userOf(t, tokens.layout) });
      const a = await t.database.db.selectFrom('articles').select('current_publication_id').where('id', '=', submissionId).executeTakeFirstOrThrow();
      params = { journal: 'sm', submissionId, publicationId: a.current_publication_id! };
    });
    after(() => t.close());

    it('the layout editor uploads PDF and HTML galleys, adds a remote one, stores the HTML’s assets, orders, replaces and removes', async () => {
      const empty = await t.call<Paged<G>>('GET', GALLEYS, params, { token: tokens.layout });
      assert.deepEqual(empty.data, { itemsMax: 0, items: [] });
      const pdf = await send('POST', UPLOAD, params, tokens.layout, { label: 'PDF', locale: 'en' }, { name: 'article.pdf', bytes: PDF, type: 'application/pdf' });
      assert.equal(pdf.statusCode, 201, pdf.body);
      const pdfGalley = JSON.parse(pdf.body) as G;
      assert.equal(pdfGalley.format, 'pdf');
      assert.equal(pdfGalley.file?.fileSize, PDF.length);
      assert.equal(pdfGalley.urlPreview, `http://localhost:3000/sm/workflow/index/${params.submissionId}/galleys/${pdfGalley.id}/preview`);
      const html = JSON.parse((await send('POST', UPLOAD, params, tokens.layout, { label: 'HTML', locale: 'en' }, { name: 'article.html', bytes: HTML, type: 'text/html' })).body) as G;
      assert.deepEqual(html.missingAssets, ['style.css', 'figure1.png', 'images/figure 2.png']);

      const script = await send('POST', UPLOAD, params, tokens.layout, { label: 'JS', locale: 'en' }, { name: 'x.js', bytes: Buffer.from('alert(1)'), type: 'text/javascript' });
      assert.equal(assertProblem(script, 415).code, 'galley-type-not-allowed');
      const js = await t.call('POST', GALLEYS, params, { token: tokens.layout, body: { label: 'Remote', locale: 'en', urlRemote: 'javascript:alert(1)' } });
      assert.equal(assertProblem(js, 422).code, 'url-invalid');
      const remote = await t.call<G>('POST', GALLEYS, params, { token: tokens.layout, body: { label: 'Repository', locale: 'en', urlRemote: 'https://repository.example.org/rivers' } });
      assert.equal(remote.statusCode, 201, remote.body);
      assert.equal(remote.data.format, 'remote');
      assert.equal(remote.headers.location, remote.data._href);

      const asset = await send('POST', ASSETS, { ...params, galleyId: html.id }, tokens.layout, { name: 'figure1.png' }, { name: 'f.png', bytes: PNG, type: 'image/png' });
      assert.equal(asset.statusCode, 201, asset.body);
      const stored = JSON.parse(asset.body) as Static<typeof GalleyAsset>;
      assert.equal(stored.mimetype, 'image/png');
      await send('POST', ASSETS, { ...params, galleyId: html.id }, tokens.layout, { name: 'style.css' }, { name: 'style.css', bytes: CSS, type: 'text/css' });
      const badAsset = await send('POST', ASSETS, { ...params, galleyId: html.id }, tokens.layout, { name: 'x.js' }, { name: 'x.js', bytes: Buffer.from('alert(1)'), type: 'text/javascript' });
      assert.equal(assertProblem(badAsset, 415).code, 'asset-type-not-allowed');
      const withAssets = await t.call<G>('GET', GALLEY, { ...params, galleyId: html.id }, { token: tokens.layout });
      assert.deepEqual(withAssets.data.missingAssets, ['images/figure 2.png', 'fonts/body.woff2']);
      const removedAsset = await t.call<G>('DELETE', ASSET, { ...params, galleyId: html.id, assetId: stored.id }, { token: tokens.layout });
      assert.ok(removedAsset.data.missingAssets.includes('figure1.png'));

      const moved = await t.call<G>('PUT', GALLEY, { ...params, galleyId: remote.data.id }, { token: tokens.layout, body: { seq: 1, label: 'Repository copy' } });
      assert.equal(moved.statusCode, 200, moved.body);
      const order = await t.call<Paged<G>>('GET', GALLEYS, params, { token: tokens.layout });
      assert.deepEqual(order.data.items.map((g) => [g.label, g.seq]), [['Repository copy', 1], ['PDF', 2], ['HTML', 3]]);
      const replaced = await send('PUT', FILE, { ...params, galleyId: pdfGalley.id }, tokens.layout, {}, { name: 'v2.pdf', bytes: Buffer.concat([PDF, Buffer.from('%v2\n')]), type: 'application/pdf' });
      assert.equal(replaced.statusCode, 200, replaced.body);
      assert.equal((JSON.parse(replaced.body) as G).file?.fileSize, PDF.length + 4);
      const removed = await t.call<G>('DELETE', GALLEY, { ...params, galleyId: remote.data.id }, { token: tokens.layout });
      assert.equal(removed.data.label, 'Repository copy');
      assert.equal((await t.call<Paged<G>>('GET', GALLEYS, params, { token: tokens.editor })).data.itemsMax, 2);
    });

    it('who may: the author reads but does not change; another layout editor and a reviewer learn nothing; no token: 401', async () => {
      assert.equal((await t.call('GET', GALLEYS, params, { token: tokens.author })).statusCode, 200);
      assertProblem(await t.call('POST', GALLEYS, params, { token: tokens.author, body: { label: 'X', locale: 'en', urlRemote: 'https://example.org/' } }), 403);
      assertProblem(await send('POST', UPLOAD, params, tokens.author, { label: 'X', locale: 'en' }, { name: 'a.pdf', bytes: PDF, type: 'application/pdf' }), 403);
      for (const who of ['otherLayout', 'reviewer'] as const) {
        assertProblem(await t.call('GET', GALLEYS, params, { token: tokens[who] }), 404);
        assertProblem(await t.call('POST', PROOFS, params, { token: tokens[who], body: { authorUserIds: [authorId] } }), 404);
      }
      assertProblem(await t.call('GET', GALLEYS, params), 401);
      // Another publication's id is not this submission's current one.
      assertProblem(await t.call('GET', GALLEYS, { ...params, publicationId: params.publicationId + 1000 }, { token: tokens.layout }), 404);
    });

    it('proofs: sent to the author, answered once by the author, cancelled by the team', async () => {
      const sent = await t.call<Paged<P>>('POST', PROOFS, params, { token: tokens.layout, body: { authorUserIds: [authorId], message: 'Please check.' } });
      assert.equal(sent.statusCode, 201, sent.body);
      const proof = sent.data.items[0]!;
      assert.equal(proof.status, 'sent');
      assert.equal(proof.urlProofPage, `http://localhost:3000/sm/workflow/index/${params.submissionId}/proofs/${proof.id}`);
      assertProblem(await t.call('POST', PROOFS, params, { token: tokens.layout, body: { authorUserIds: [await userOf(t, tokens.reviewer)] } }), 422);
      assert.equal((await t.call<Paged<P>>('GET', PROOFS, params, { token: tokens.author })).data.itemsMax, 1);
      assert.equal((await t.call<P>('GET', PROOF, { ...params, proofId: proof.id }, { token: tokens.author })).data.message, 'Please check.');
      assertProblem(await t.call('PUT', PROOF, { ...params, proofId: proof.id }, { token: tokens.layout, body: { answer: 'approve' } }), 403);
      assert.equal(assertProblem(await t.call('PUT', PROOF, { ...params, proofId: proof.id }, { token: tokens.author, body: { answer: 'corrections' } }), 422).code, 'response-missing');
      const answered = await t.call<P>('PUT', PROOF, { ...params, proofId: proof.id }, { token: tokens.author, body: { answer: 'corrections', response: 'Figure 2 is upside down.' } });
      assert.equal(answered.data.status, 'corrections');
      assert.equal(answered.data.response, 'Figure 2 is upside down.');
      assert.equal(assertProblem(await t.call('PUT', PROOF, { ...params, proofId: proof.id }, { token: tokens.author, body: { answer: 'approve' } }), 409).code, 'proof-answered');
      const second = (await t.call<Paged<P>>('POST', PROOFS, params, { token: tokens.editor, body: { authorUserIds: [authorId] } })).data.items[0]!;
      assertProblem(await t.call('DELETE', PROOF, { ...params, proofId: second.id }, { token: tokens.author }), 403);
      const cancelled = await t.call<P>('DELETE', PROOF, { ...params, proofId: second.id }, { token: tokens.layout });
      assert.equal(cancelled.data.status, 'cancelled');
      assert.equal(assertProblem(await t.call('DELETE', PROOF, { ...params, proofId: second.id }, { token: tokens.layout }), 409).code, 'proof-answered');
      // Uploads were checked by this file's own checker.
      for (const entry of check.checked) t.checked.add(entry);
      assertAllExercised(t, 'galleys');
      assertAllExercised(t, 'proofs');
    });
  });
}
