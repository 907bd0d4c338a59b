import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createApiToken } from '../../index.ts';
import { createUserWithRole } from '../../../accounts/index.ts';
import type { Static } from '../../../platform/http/index.ts';
import { assertAllExercised, assertProblem, startApiTestApp, type ApiTestApp } from '../../../../test/support/api.ts';
import { testDatabases } from '../../../../test/support/databases.ts';
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/index.ts';
import type { FileStore } from '../../../storage/index.ts';
import { addSubmissionFile, createDraft, saveSubmissionDetails, submitSubmission } from '../../../workflow/index.ts';
import type { Discussion, DiscussionMessage, DiscussionThread } from './schema.ts';

type Thread = Static<typeof DiscussionThread>;
type List = { itemsMax: number; items: Static<typeof Discussion>[] };

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

/** A submitted manuscript of `authorId` in the demo journal, made through the workflow's own commands. */
async function submittedManuscript(db: Kysely<Database>, files: FileStore, authorId: number, title: string): Promise<number> {
  const now = new Date();
  const section = await db.selectFrom('sections').select('id').where('journal_id', '=', 1).orderBy('id').executeTakeFirstOrThrow();
  const { primary_locale: locale } = await db.selectFrom('journals').select('primary_locale').where('id', '=', 1).executeTakeFirstOrThrow();
  const id = await createDraft(db, { journalId: 1, userId: authorId, sectionId: section.id, locale, commentsForEditor: '', checklistConfirmed: true, agreementsAccepted: true, now });
  const stored = await files.put(PDF);
  await addSubmissionFile(db, { journalId: 1, submissionId: id, userId: authorId, kind: 'article', upload: { storageKey: stored.key, sizeBytes: stored.sizeBytes, sha256: stored.sha256, mimeType: 'application/pdf', originalName: 'manuscript.pdf' }, now });
  await saveSubmissionDetails(db, 1, id, authorId, { prefix: {}, title: { [locale]: title }, subtitle: {}, abstract: { [locale]: 'What it is about.' }, keywords: {} }, now);
  await submitSubmission(db, 1, id, authorId, now);
  return id;
}

const LIST = '/{journal}/api/v1/submissions/{submissionId}/discussions';
const ONE = '/{journal}/api/v1/submissions/{submissionId}/discussions/{discussionId}';
const MESSAGES = '/{journal}/api/v1/submissions/{submissionId}/discussions/{discussionId}/messages';

/** Discussions through the API with tokens, every answer checked against the OpenAPI document. */
for (const database of await testDatabases()) {
  describe(`API discussions on ${database.name}`, () => {
    let t: ApiTestApp;
    let editor: string;
    let author: string;
    let stranger: string;
    let editorId: number;
    let secondEditorId: number;
    let authorId: number;
    let submissionId: number;
    let discussionId: number;

    /** A person with a role and a token of theirs. */
    async function person(email: string, role: 'editor' | 'author' | 'reviewer'): Promise<{ id: number; token: string }> {
      const { userId } = await createUserWithRole(t.database.db, { email, password: 'a long enough password', role, journalId: 1, now: new Date() });
      const { token } = await createApiToken(t.database.db, { userId, name: 'script', roles: [role], journalId: null }, new Date());
      return { id: userId, token };
    }

    before(async () => {
      t = await startApiTestApp(database);
      ({ id: editorId, token: editor } = await person('api-editor@example.org', 'editor'));
      ({ id: authorId, token: author } = await person('api-author@example.org', 'author'));
      ({ token: stranger } = await person('api-reviewer@example.org', 'reviewer'));
      ({ id: secondEditorId } = await person('api-editor-2@example.org', 'editor'));
      submissionId = await submittedManuscript(t.database.db, t.files, authorId, 'Glaciers and their rivers');
    });
    after(() => t.close());

    it('an editor starts a discussion with the author, who reads it and answers', async () => {
      const at = { journal: 'sm', submissionId };
      const started = await t.call<Thread>('POST', LIST, at, { token: editor, body: { stage: 'submission', subject: 'Your figures', participantIds: [authorId], body: 'Please send <b>sharper</b> figures.' } });
      assert.equal(started.statusCode, 201, started.body);
      discussionId = started.data.id;
      assert.deepEqual(started.data.participantIds, [editorId, authorId].sort((a, b) => a - b));
      assert.equal(started.data.messages[0]!.body, 'Please send <b>sharper</b> figures.');
      assert.equal(started.data.urlWorkflow, `http://localhost:3000/sm/workflow/index/${submissionId}/discussions/${discussionId}`);

      const list = await t.call<List>('GET', LIST, at, { token: author });
      assert.deepEqual(list.data.items.map((d) => d.subject), ['Your figures']);
      const answer = await t.call<Static<typeof DiscussionMessage>>('POST', MESSAGES, { ...at, discussionId }, { token: author, body: { body: 'Sent, at 600 dpi.' } });
      assert.equal(answer.statusCode, 201, answer.body);
      assert.equal(answer.data.authorId, authorId);
      const thread = await t.call<Thread>('GET', ONE, { ...at, discussionId }, { token: editor });
      assert.deepEqual(thread.data.messages.map((m) => m.body), ['Please send <b>sharper</b> figures.', 'Sent, at 600 dpi.']);
      assert.equal(thread.data.messageCount, 2);
      // The event the mail subscriber reads, once per message.
      const events = await t.database.db.selectFrom('domain_events').select('type').where('type', '=', 'DiscussionMessagePosted').execute();
      assert.equal(events.length, 2);
    });

    it('refuses strangers (404), missing tokens (401) and bad input (400), saving nothing', async () => {
      const at = { journal: 'sm', submissionId };
      assertProblem(await t.call('GET', LIST, at, { token: stranger }), 404);
      assertProblem(await t.call('GET', ONE, { ...at, discussionId }, { token: stranger }), 404);
      assertProblem(await t.call('POST', MESSAGES, { ...at, discussionId }, { token: stranger, body: { body: 'Hi' } }), 404);
      assertProblem(await t.call('GET', LIST, at), 401);
      assertProblem(await t.call('GET', ONE, { ...at, discussionId: 999999 }, { token: editor }), 404);
      // An editor's discussion the author was not asked into: not listed for the author, and 404.
      const between = await t.call<Thread>('POST', LIST, at, { token: editor, body: { stage: 'review', subject: 'Reviewers', participantIds: [secondEditorId], body: 'Who should review it?' } });
      assert.equal(between.statusCode, 201);
      assert.deepEqual((await t.call<List>('GET', LIST, at, { token: author })).data.items.map((d) => d.id), [discussionId]);
      assert.equal((await t.call<List>('GET', LIST, at, { token: editor })).data.itemsMax, 2);
      assertProblem(await t.call('GET', ONE, { ...at, discussionId: between.data.id }, { token: author }), 404);
      assertProblem(await t.call('POST', MESSAGES, { ...at, discussionId: between.data.id }, { token: author, body: { body: 'Me too' } }), 404);
      // Someone who is not a person of the submission cannot be asked in.
      const hidden = await t.call<Thread>('POST', LIST, at, { token: editor, body: { stage: 'review', subject: 'Reviewers', participantIds: [authorId + 1000], body: 'Who?' } });
      const refused = assertProblem(hidden, 400);
      assert.deepEqual((refused.errors as Array<{ pointer: string }>).map((e) => e.pointer), ['/participantIds']);
      const tooLong = assertProblem(await t.call('POST', MESSAGES, { ...at, discussionId }, { token: author, body: { body: 'x'.repeat(20001) } }), 400);
      assert.equal((tooLong.errors as Array<{ pointer: string }>)[0]!.pointer, '/body');
      const count = await t.database.db.selectFrom('discussion_messages').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
      assert.equal(Number(count.n), 3);
    });

    it('has called every discussion operation of the document', () => {
      assertAllExercised(t, 'discussions');
    });
  });
}
