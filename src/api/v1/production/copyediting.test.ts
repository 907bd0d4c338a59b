import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Static } from '../../../platform/http/index.ts';
import { assertProblem, startApiTestApp, type ApiTestApp } from '../../../../test/support/api.ts';
import { testDatabases } from '../../../../test/support/databases.ts';
import { contractChecker } from '../../../../test/support/openapi.ts';
import { acceptArticles, submittedThroughApi, upload, userOf } from '../../../../test/support/review-api.ts';
import type { Participant, SubmissionFile } from '../submissions/workflow-schema.ts';

type Paged<T> = { itemsMax: number; items: T[] };
type File = Static<typeof SubmissionFile>;

const PARTICIPANTS = '/{journal}/api/v1/submissions/{submissionId}/participants';
const DECISIONS = '/{journal}/api/v1/submissions/{submissionId}/decisions';
const FILES = '/{journal}/api/v1/submissions/{submissionId}/copyediting/files';
const FILE = `${FILES}/{fileId}`;
const AUTHOR_REVIEWS = '/{journal}/api/v1/submissions/{submissionId}/copyediting/authorReviews';
const DOCX = Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(60, 2)]);

/**
 * Copyediting through the API alone (issue 21, items 1 and 8): accept → assign a copyeditor → upload
 * copyedits (and a new version) → ask the author to review them → send to production with the
 * production-ready files. Every answer is checked against the OpenAPI document.
 */
for (const database of await testDatabases()) {
  describe(`API copyediting on ${database.name}`, () => {
    let t: ApiTestApp;
    let check: ReturnType<typeof contractChecker>;
    let author: string;
    let editor: string;
    let copyeditor: string;
    let stranger: string;
    let submissionId: number;
    const sm = { journal: 'sm' };

    async function send(url: string, token: string, fields: Record<string, string>, name = 'copyedited.docx') {
      const response = await upload(t, url, token, fields, { name, bytes: DOCX, type: 'application/octet-stream' });
      check('POST', FILES, response);
      return response;
    }

    before(async () => {
      t = await startApiTestApp(database);
      check = contractChecker(t.document);
      await acceptArticles(t);
      author = await t.tokenFor('author');
      editor = await t.tokenFor('editor');
      copyeditor = await t.tokenFor('copyeditor');
      stranger = await t.tokenFor('copyeditor');
      ({ submissionId } = await submittedThroughApi(t, author, 'On copyediting engines'));
    });
    after(() => t.close());

    it('refuses production before acceptance (409), then accepts and assigns a copyeditor and a layout editor by role', async () => {
      const tooSoon = await t.call('POST', DECISIONS, { ...sm, submissionId }, { token: editor, body: { decision: 'send-to-production' } });
      assert.equal((assertProblem(tooSoon, 409) as { code?: string }).code, 'decision-not-allowed');
      const accepted = await t.call('POST', DECISIONS, { ...sm, submissionId }, { token: editor, body: { decision: 'accept', notifyAuthor: false } });
      assert.equal(accepted.statusCode, 201, accepted.body);
      const copyeditorId = await userOf(t, copyeditor);
      const assigned = await t.call<Static<typeof Participant>>('POST', PARTICIPANTS, { ...sm, submissionId }, { token: editor, body: { userId: copyeditorId, role: 'copyeditor' } });
      assert.equal(assigned.statusCode, 201, assigned.body);
      assert.equal(assigned.data.role, 'copyeditor');
      const layout = await t.tokenFor('layout-editor');
      const layoutAssigned = await t.call<Static<typeof Participant>>('POST', PARTICIPANTS, { ...sm, submissionId }, { token: editor, body: { userId: await userOf(t, layout), role: 'layout-editor' } });
      assert.equal(layoutAssigned.statusCode, 201, layoutAssigned.body);
      const notEligible = await t.call('POST', PARTICIPANTS, { ...sm, submissionId }, { token: editor, body: { userId: await userOf(t, author), role: 'copyeditor' } });
      assertProblem(notEligible, 422);
    });

    it('takes copyedited files from the assigned copyeditor (a new version as a revision), not from the author or another copyeditor', async () => {
      assertProblem(await send(`/sm/api/v1/submissions/${submissionId}/copyediting/files`, stranger, {}), 404);
      assertProblem(await send(`/sm/api/v1/submissions/${submissionId}/copyediting/files`, author, {}), 403);
      const first = await send(`/sm/api/v1/submissions/${submissionId}/copyediting/files`, copyeditor, {});
      assert.equal(first.statusCode, 201, first.body);
      const file = JSON.parse(first.body) as File;
      assert.deepEqual([file.stage, file.kind, file.name, file.revisions], ['copyediting', 'copyedited', 'copyedited.docx', 0]);
      const second = await send(`/sm/api/v1/submissions/${submissionId}/copyediting/files`, copyeditor, { revises: String(file.id) }, 'copyedited-2.docx');
      assert.equal(second.statusCode, 201, second.body);
      const list = await t.call<Paged<File>>('GET', FILES, { ...sm, submissionId }, { token: copyeditor });
      assert.deepEqual(list.data.items.map((f) => [f.id, f.name, f.revisions]), [[file.id, 'copyedited-2.docx', 1]]);
      const one = await t.call<File>('GET', FILE, { ...sm, submissionId, fileId: file.id }, { token: author });
      assert.equal(one.statusCode, 200, 'the author reads the copyedits');
      assertProblem(await t.call('GET', FILE, { ...sm, submissionId, fileId: file.id }, { token: stranger }), 404);
    });

    it('asks the author to review the copyedits; the author answers in the discussion', async () => {
      const [file] = (await t.call<Paged<File>>('GET', FILES, { ...sm, submissionId }, { token: copyeditor })).data.items;
      assertProblem(await t.call('POST', AUTHOR_REVIEWS, { ...sm, submissionId }, { token: author, body: { fileIds: [file!.id], subject: 'Copyedits', message: 'Look.' } }), 403);
      const asked = await t.call<{ discussionId: number; url: string }>('POST', AUTHOR_REVIEWS, { ...sm, submissionId }, { token: copyeditor, body: { fileIds: [file!.id], subject: 'Please review the copyedits', message: 'Attached.' } });
      assert.equal(asked.statusCode, 201, asked.body);
      const thread = await t.call<{ messages?: Array<{ attachments: Array<{ name: string }> }> }>('GET', '/{journal}/api/v1/submissions/{submissionId}/discussions/{discussionId}', { ...sm, submissionId, discussionId: asked.data.discussionId }, { token: author });
      assert.equal(thread.statusCode, 200, thread.body);
      assert.match(thread.body, /copyedited-2\.docx/);
      const answer = await t.call('POST', '/{journal}/api/v1/submissions/{submissionId}/discussions/{discussionId}/messages', { ...sm, submissionId, discussionId: asked.data.discussionId }, { token: author, body: { body: 'All fine.' } });
      assert.ok(answer.statusCode === 201 || answer.statusCode === 200, answer.body);
    });

    it('sends to production through the decisions resource with the production-ready files; a copyeditor may not', async () => {
      const [file] = (await t.call<Paged<File>>('GET', FILES, { ...sm, submissionId }, { token: copyeditor })).data.items;
      assertProblem(await t.call('POST', DECISIONS, { ...sm, submissionId }, { token: copyeditor, body: { decision: 'send-to-production', fileIds: [file!.id] } }), 403);
      const sent = await t.call('POST', DECISIONS, { ...sm, submissionId }, { token: editor, body: { decision: 'send-to-production', fileIds: [file!.id] } });
      assert.equal(sent.statusCode, 201, sent.body);
      const db = t.database.db;
      assert.equal((await db.selectFrom('submissions').select('stage').where('id', '=', submissionId).executeTakeFirstOrThrow()).stage, 'production');
      const ready = await db.selectFrom('submission_files').select(['name', 'kind']).where('submission_id', '=', submissionId).where('stage', '=', 'production').execute();
      assert.deepEqual(ready, [{ name: 'copyedited-2.docx', kind: 'production-ready' }]);
      const late = await send(`/sm/api/v1/submissions/${submissionId}/copyediting/files`, copyeditor, {});
      assert.equal((assertProblem(late, 409) as { code?: string }).code, 'not-in-copyediting');
    });
  });
}
