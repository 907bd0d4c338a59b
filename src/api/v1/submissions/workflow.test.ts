import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { findTokenCaller } from '../../../api/index.ts';
import { createSection } from '../../../catalog/index.ts';
import { createCrossrefClient } from '../../../exports/index.ts';
import type { Static } from '../../../platform/http/index.ts';
import { runJobsUntilIdle } from '../../../platform/jobs/index.ts';
import { buildSubscriptions } from '../../../subscribers.ts';
import { assertAllExercised, assertProblem, startApiTestApp, type ApiTestApp } from '../../../../test/support/api.ts';
import { testDatabases } from '../../../../test/support/databases.ts';
import { contractChecker } from '../../../../test/support/openapi.ts';
import { rawRequest } from '../../../../test/support/raw-http.ts';
import type { Publication, Submission } from './schema.ts';
import type { Participant, SubmissionContributor, SubmissionFile } from './workflow-schema.ts';

type SubmissionData = Static<typeof Submission>;
type SubmissionList = { itemsMax: number; items: SubmissionData[] };

const SUBMISSIONS = '/{journal}/api/v1/submissions';
const SUBMISSION = '/{journal}/api/v1/submissions/{submissionId}';
const PUBLICATION = '/{journal}/api/v1/submissions/{submissionId}/publications/{publicationId}';
const CONTRIBUTORS = '/{journal}/api/v1/submissions/{submissionId}/publications/{publicationId}/contributors';
const CONTRIBUTOR = `${CONTRIBUTORS}/{contributorId}`;
const FILES = '/{journal}/api/v1/submissions/{submissionId}/files';
const FILE = '/{journal}/api/v1/submissions/{submissionId}/files/{fileId}';
const SUBMIT = '/{journal}/api/v1/submissions/{submissionId}/submit';
const PARTICIPANTS = '/{journal}/api/v1/submissions/{submissionId}/participants';
const PARTICIPANT = '/{journal}/api/v1/submissions/{submissionId}/participants/{participantId}';

const sm = { journal: 'sm' };
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1');
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);
/** The article kind's limit in this test's journal: small, so an oversize file is cheap to send. */
const ARTICLE_MAX = 64 * 1024;
const REFERENCES = [
  'Lovelace, A. (1843). Notes on the analytical engine. Scientific Memoirs, 3, 666–731.',
  'Turing, A. M. (1950). Computing machinery and intelligence. Mind, 59(236), 433–460. https://doi.org/10.1093/mind/LIX.236.433',
  'Shannon, C. E. (1948). A mathematical theory of communication. Bell System Technical Journal, 27(3), 379–423.',
];

/** Files in the store (its key directories), to see that a refused upload left nothing. */
function storedFiles(root: string): string[] {
  if (!fs.existsSync(root)) return [];
  return fs.readdirSync(root).filter((d) => /^[0-9a-f]{2}$/.test(d)).flatMap((d) => fs.readdirSync(path.join(root, d)).map((f) => `${d}/${f}`));
}

/** The whole submission flow through the API with tokens (issue 19, item 8), every answer checked against the OpenAPI document. */
for (const database of await testDatabases()) {
  describe(`API submission workflow on ${database.name}`, () => {
    let t: ApiTestApp;
    let check: ReturnType<typeof contractChecker>;
    let author: string;
    let editor: string;
    let submissionId: number;
    let publicationId: number;

    /** A multipart upload (`kind`, then `file`), checked against the document like every other answer. */
    async function upload(submission: number, token: string, kind: string, name: string, bytes: Buffer, declared = 'application/pdf') {
      const boundary = `----revista${Math.random().toString(16).slice(2)}`;
      const payload = Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\n${kind}\r\n`),
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${declared}\r\n\r\n`),
        bytes,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      const response = await t.app.inject({ method: 'POST', url: `/sm/api/v1/submissions/${submission}/files`, headers: { authorization: `Bearer ${token}`, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload });
      check('POST', FILES, response);
      return Object.assign(response, { data: JSON.parse(response.body) as Static<typeof SubmissionFile> });
    }

    const userOf = async (token: string) => (await findTokenCaller(t.database.db, token, new Date()))!.principal.userId;

    before(async () => {
      t = await startApiTestApp(database);
      check = contractChecker(t.document);
      const db = t.database.db;
      await db
        .insertInto('submission_settings')
        .values({ journal_id: 1, file_kinds: JSON.stringify([{ key: 'article', name: { en: 'Article text' }, types: ['application/pdf'], maxBytes: ARTICLE_MAX, required: true }]) as never })
        .execute();
      author = await t.tokenFor('author');
      editor = await t.tokenFor('editor');
    });
    after(async () => {
      for (const entry of check.checked) t.checked.add(entry);
      await t.close();
    });

    it('takes a submission from an author’s token: draft, PDF, metadata, contributor, references, submit', async () => {
      const created = await t.call<SubmissionData>('POST', SUBMISSIONS, sm, { token: author, body: { sectionId: 1, locale: 'en', commentsForEditor: 'Sent by a script.', checklistConfirmed: true, agreementsAccepted: true } });
      assert.equal(created.statusCode, 201, created.body);
      submissionId = created.data.id;
      publicationId = created.data.currentPublicationId;
      assert.equal(created.headers.location, `http://localhost:3000/sm/api/v1/submissions/${submissionId}`);
      assert.equal(created.data.workflow?.status, 'draft');
      assert.deepEqual(created.data.workflow?.problems?.map((p) => p.code).sort(), ['abstract-missing', 'file-missing', 'title-missing'].sort());

      // Submitting now is refused with what is missing, each by its step, and nothing changes.
      const early = assertProblem(await t.call('PUT', SUBMIT, { ...sm, submissionId }, { token: author }), 422);
      assert.equal(early.code, 'incomplete');
      const problems = early.problems as Array<{ step: string; code: string; field?: string; detail: string }>;
      assert.deepEqual(problems.find((p) => p.code === 'title-missing'), { step: 'details', code: 'title-missing', field: 'title.en', detail: 'the title (title.en) is missing' });
      assert.match(String(early.detail), /not complete: .*title/);

      const file = await upload(submissionId, author, 'article', 'paper.pdf', PDF);
      assert.equal(file.statusCode, 201, file.body);
      assert.equal(file.data.mimetype, 'application/pdf');
      assert.equal(file.data.fileSize, PDF.length);
      assert.equal(file.headers.location, file.data._href);

      const metadata = await t.call<Static<typeof Publication>>('PUT', PUBLICATION, { ...sm, submissionId, publicationId }, { token: author, body: { title: { en: 'Engines of reason' }, abstract: { en: 'What machines compute.' }, keywords: { en: ['computation'] }, references: REFERENCES } });
      assert.equal(metadata.statusCode, 200, metadata.body);
      assert.equal(metadata.data.id, publicationId, 'a draft changes in place, not as a new version');
      assert.equal(metadata.data.title.en, 'Engines of reason');

      const bad = assertProblem(await t.call('POST', CONTRIBUTORS, { ...sm, submissionId, publicationId }, { token: author, body: { givenName: { en: 'Grace' }, orcid: '0000-0002-1825-0098', affiliations: [{ name: { en: 'Nowhere' }, ror: 'not-a-ror' }] } }), 400);
      assert.deepEqual((bad.errors as Array<{ pointer: string }>).map((e) => e.pointer).sort(), ['/affiliations/0/ror', '/orcid']);
      const added = await t.call<Static<typeof SubmissionContributor>>('POST', CONTRIBUTORS, { ...sm, submissionId, publicationId }, { token: author, body: { givenName: { en: 'Grace' }, familyName: { en: 'Hopper' }, orcid: '0000-0002-1825-0097', affiliations: [{ name: { en: 'Yale University' }, ror: '03v76x132' }] } });
      assert.equal(added.statusCode, 201, added.body);
      assert.equal(added.data.orcid, 'https://orcid.org/0000-0002-1825-0097');
      assert.equal(added.data.affiliations[0]!.ror, 'https://ror.org/03v76x132');
      const changed = await t.call<Static<typeof SubmissionContributor>>('PUT', CONTRIBUTOR, { ...sm, submissionId, publicationId, contributorId: added.data.id }, { token: author, body: { givenName: { en: 'Grace Brewster' } } });
      assert.equal(changed.data.givenName.en, 'Grace Brewster');
      assert.equal(changed.data.familyName.en, 'Hopper', 'fields left out keep their values');
      const extra = await t.call<Static<typeof SubmissionContributor>>('POST', CONTRIBUTORS, { ...sm, submissionId, publicationId }, { token: author, body: { givenName: { en: 'Someone' } } });
      const removed = await t.call<Static<typeof SubmissionContributor>>('DELETE', CONTRIBUTOR, { ...sm, submissionId, publicationId, contributorId: extra.data.id }, { token: author });
      assert.equal(removed.statusCode, 200);

      const draft = await t.call<SubmissionData>('GET', SUBMISSION, { ...sm, submissionId }, { token: author });
      assert.deepEqual(draft.data.workflow?.problems, []);
      assert.deepEqual(draft.data.workflow?.references, REFERENCES);
      assert.deepEqual(draft.data.publications[0]!.authors.map((a) => a.familyName.en), [draft.data.publications[0]!.authors[0]!.familyName.en, 'Hopper']);
      assert.equal(draft.data.workflow?.files?.length, 1);

      const submitted = await t.call<SubmissionData>('PUT', SUBMIT, { ...sm, submissionId }, { token: author });
      assert.equal(submitted.statusCode, 200, submitted.body);
      assert.equal(submitted.data.workflow?.status, 'active');
      assert.ok(submitted.data.workflow?.dateSubmitted);
      assertProblem(await t.call('PUT', SUBMIT, { ...sm, submissionId }, { token: author }), 409);
    });

    it('shows the editor the submission, who assigns a section editor; the assigned person is emailed', async () => {
      const listed = await t.call<SubmissionList>('GET', SUBMISSIONS, sm, { token: editor, query: 'status=active' });
      assert.deepEqual(listed.data.items.map((s) => [s.id, s.workflow?.status]), [[submissionId, 'active']]);
      const files = await t.call<{ itemsMax: number; items: Static<typeof SubmissionFile>[] }>('GET', FILES, { ...sm, submissionId }, { token: editor });
      assert.equal(files.data.itemsMax, 1);
      const one = await t.call<Static<typeof SubmissionFile>>('GET', FILE, { ...sm, submissionId, fileId: files.data.items[0]!.id }, { token: editor });
      assert.equal(one.data.url, `http://localhost:3000/sm/workflow/index/${submissionId}/files/${one.data.id}`);
      assertProblem(await t.call('GET', FILE, { ...sm, submissionId, fileId: 999999 }, { token: editor }), 404);

      // A section editor of the submission's section sees it without being assigned.
      const ofSection = await t.tokenFor('section-editor');
      await t.database.db.insertInto('section_editor_sections').values({ user_id: await userOf(ofSection), section_id: 1 }).execute();
      const bySection = await t.call<SubmissionList>('GET', SUBMISSIONS, sm, { token: ofSection, query: 'status=active' });
      assert.deepEqual(bySection.data.items.map((s) => s.id), [submissionId]);

      const sectionEditor = await t.tokenFor('section-editor');
      const sectionEditorId = await userOf(sectionEditor);
      // Not theirs yet: a section editor without the section sees nothing of it.
      assertProblem(await t.call('GET', SUBMISSION, { ...sm, submissionId }, { token: sectionEditor }), 404);
      const assigned = await t.call<Static<typeof Participant>>('POST', PARTICIPANTS, { ...sm, submissionId }, { token: editor, body: { userId: sectionEditorId, role: 'section-editor', recommendOnly: true } });
      assert.equal(assigned.statusCode, 201, assigned.body);
      assert.equal(assigned.data.recommendOnly, true);
      assertProblem(await t.call('POST', PARTICIPANTS, { ...sm, submissionId }, { token: editor, body: { userId: sectionEditorId, role: 'section-editor' } }), 409);
      const reader = await t.tokenFor('reader');
      const notEligible = assertProblem(await t.call('POST', PARTICIPANTS, { ...sm, submissionId }, { token: editor, body: { userId: await userOf(reader), role: 'editor' } }), 422);
      assert.equal(notEligible.code, 'not-eligible');

      const mine = await t.call<SubmissionList>('GET', SUBMISSIONS, sm, { token: sectionEditor, query: 'status=active&status=draft' });
      assert.deepEqual(mine.data.items.map((s) => s.id), [submissionId]);
      const people = await t.call<{ itemsMax: number; items: Static<typeof Participant>[] }>('GET', PARTICIPANTS, { ...sm, submissionId }, { token: sectionEditor });
      assert.deepEqual(people.data.items.map((p) => p.role), ['author', 'section-editor']);

      const subscriptions = buildSubscriptions({ crossref: createCrossrefClient({ baseUrl: 'http://127.0.0.1:9' }), baseUrl: 'http://localhost:3000' });
      await runJobsUntilIdle(t.database.db, subscriptions.jobHandlers());
      const mail = await t.database.db.selectFrom('mail_outbox').select(['to_address', 'template', 'text_body']).execute();
      const sectionEditorEmail = (await t.database.db.selectFrom('users').select('email').where('id', '=', sectionEditorId).executeTakeFirstOrThrow()).email;
      const toSectionEditor = mail.filter((m) => m.to_address === sectionEditorEmail);
      assert.deepEqual(toSectionEditor.map((m) => m.template), ['submission-assigned']);
      assert.match(toSectionEditor[0]!.text_body, new RegExp(`/sm/workflow/access/${submissionId}`));
      const authorEmail = (await t.database.db.selectFrom('users').select('email').where('id', '=', await userOf(author)).executeTakeFirstOrThrow()).email;
      assert.ok(mail.some((m) => m.to_address === authorEmail && m.template === 'submission-acknowledgement'), JSON.stringify(mail.map((m) => [m.to_address, m.template])));

      const gone = await t.call<Static<typeof Participant>>('DELETE', PARTICIPANT, { ...sm, submissionId, participantId: assigned.data.id }, { token: editor });
      assert.equal(gone.statusCode, 200);
      assertProblem(await t.call('GET', SUBMISSION, { ...sm, submissionId }, { token: sectionEditor }), 404);
      const authorParticipant = people.data.items.find((p) => p.role === 'author')!;
      assertProblem(await t.call('DELETE', PARTICIPANT, { ...sm, submissionId, participantId: authorParticipant.id }, { token: editor }), 404);
    });

    it('refuses a file by its bytes (415) or its size (413) and keeps nothing of it', async () => {
      const draft = await t.call<SubmissionData>('POST', SUBMISSIONS, sm, { token: author, body: { sectionId: 1, locale: 'en', agreementsAccepted: true } });
      const before = storedFiles(t.files.root);
      const png = await upload(draft.data.id, author, 'article', 'paper.pdf', PNG);
      const wrongType = assertProblem(png, 415);
      assert.equal(wrongType.code, 'file-type-not-allowed');
      assert.match(String(wrongType.detail), /image\/png \(read from its bytes\)/);
      const big = Buffer.concat([PDF, Buffer.alloc(ARTICLE_MAX, 0x20)]);
      const tooLarge = assertProblem(await upload(draft.data.id, author, 'article', 'paper.pdf', big), 413);
      assert.match(String(tooLarge.detail), /larger than the 0\.1 MB/);
      assertProblem(await upload(draft.data.id, author, 'poster', 'paper.pdf', PDF), 422);
      assert.deepEqual(storedFiles(t.files.root), before);
      const files = await t.call<{ itemsMax: number }>('GET', FILES, { ...sm, submissionId: draft.data.id }, { token: author });
      assert.equal(files.data.itemsMax, 0);
      // Someone else's draft takes no upload, and its body is not read: 404 at once.
      assertProblem(await upload(draft.data.id, editor, 'article', 'paper.pdf', PDF), 404);
      assert.deepEqual(storedFiles(t.files.root), before);
    });

    it('answers an upload it refuses before the rest of its body is sent, and closes the connection', async () => {
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      const port = (t.app.server.address() as AddressInfo).port;
      const draft = await t.call<SubmissionData>('POST', SUBMISSIONS, sm, { token: author, body: { sectionId: 1, locale: 'en', agreementsAccepted: true } });
      const before = storedFiles(t.files.root);
      const boundary = 'revista-api-upload';
      const start = (bytes: Buffer) => Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\narticle\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="paper.pdf"\r\nContent-Type: application/pdf\r\n\r\n`), bytes]);
      // 100 MB announced, a few kilobytes sent: each answer must come without the rest.
      const send = (token: string, bytes: Buffer) =>
        rawRequest(port, { method: 'POST', path: `/sm/api/v1/submissions/${draft.data.id}/files`, headers: { authorization: `Bearer ${token}`, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(100 * 1024 * 1024) }, start: start(bytes) });
      const stranger = await send(editor, PDF);
      assert.equal(stranger.status, 404, 'someone else’s draft: refused before a byte of the body is read');
      const png = await send(author, Buffer.concat([PNG, Buffer.alloc(4096, 1)]));
      assert.equal(png.status, 415);
      assert.match(png.body, /image\/png/);
      const large = await send(author, Buffer.concat([PDF, Buffer.alloc(ARTICLE_MAX + 1024, 0x20)]));
      assert.equal(large.status, 413);
      for (const answer of [stranger, png, large]) {
        assert.ok(answer.closed, 'the connection is closed, so the rest is never read');
        assert.match(answer.headers['content-type'] ?? '', /^application\/problem\+json/);
      }
      assert.deepEqual(storedFiles(t.files.root), before, 'nothing stored, nothing half-written left');
    });

    it('refuses a submission to a closed section, with the field', async () => {
      const closed = await createSection(t.database.db, { journalId: 1, title: { en: 'Invited papers' } });
      await t.database.db.insertInto('section_submission_settings').values({ section_id: closed, is_open: false }).execute();
      const refused = assertProblem(await t.call('POST', SUBMISSIONS, sm, { token: author, body: { sectionId: closed, locale: 'en', agreementsAccepted: true } }), 422);
      assert.equal(refused.code, 'section-closed');
      assert.deepEqual(refused.errors, [{ in: 'body', pointer: '/sectionId', detail: 'the section does not take submissions now' }]);
    });

    it('keeps drafts to their authors and submissions from strangers', async () => {
      const other = await t.tokenFor('author');
      const draft = await t.call<SubmissionData>('POST', SUBMISSIONS, sm, { token: other, body: { sectionId: 1, locale: 'en', agreementsAccepted: true } });
      const draftId = draft.data.id;
      const draftPublication = draft.data.currentPublicationId;
      // Another author, the editor and a reader see nothing of a draft: 404, as for an id that does not exist.
      for (const token of [author, editor, await t.tokenFor('reader')]) {
        assertProblem(await t.call('GET', SUBMISSION, { ...sm, submissionId: draftId }, { token }), 404);
        assertProblem(await t.call('PUT', PUBLICATION, { ...sm, submissionId: draftId, publicationId: draftPublication }, { token, body: { title: { en: 'Mine now' } } }), 404);
      }
      assertProblem(await t.call('GET', SUBMISSION, { ...sm, submissionId: draftId }), 404);
      const editorList = await t.call<SubmissionList>('GET', SUBMISSIONS, sm, { token: editor });
      assert.ok(!editorList.data.items.some((s) => s.id === draftId), 'an editor’s list of articles has no one’s drafts');
      const editorDrafts = await t.call<SubmissionList>('GET', SUBMISSIONS, sm, { token: editor, query: 'status=draft' });
      assert.equal(editorDrafts.data.itemsMax, 0);
      const ownList = await t.call<SubmissionList>('GET', SUBMISSIONS, sm, { token: other, query: 'status=draft&status=active' });
      assert.deepEqual(ownList.data.items.map((s) => s.id), [draftId]);
      const readers = await t.call<SubmissionList>('GET', SUBMISSIONS, sm);
      assert.ok(!readers.data.items.some((s) => s.id === draftId || s.id === submissionId));
      assertProblem(await t.call('GET', SUBMISSIONS, sm, { query: 'status=draft' }), 401);

      // Another author, a reader: nothing of the submitted one either; and another journal's address names nothing.
      const reader = await t.tokenFor('reader');
      for (const token of [other, reader]) {
        assertProblem(await t.call('GET', SUBMISSION, { ...sm, submissionId }, { token }), 404);
        assertProblem(await t.call('GET', FILES, { ...sm, submissionId }, { token }), 404);
        assertProblem(await t.call('POST', PARTICIPANTS, { ...sm, submissionId }, { token, body: { userId: 1, role: 'editor' } }), 404);
      }
      assertProblem(await t.call('GET', SUBMISSION, { journal: 'nosuchjournal', submissionId }, { token: editor }), 404);
      assertProblem(await t.call('POST', SUBMISSIONS, sm, { body: { sectionId: 1, locale: 'en' } }), 401);
    });

    it('refuses what the token’s roles do not allow (403), though its person may', async () => {
      // The author is made an editor of the journal too; their token still carries the author role only.
      await t.database.db.insertInto('role_assignments').values({ user_id: await userOf(author), journal_id: 1, role: 'editor' }).execute();
      const people = await t.call<{ items: Static<typeof Participant>[] }>('GET', PARTICIPANTS, { ...sm, submissionId }, { token: author });
      assert.ok(people.data.items.length > 0);
      const refused = assertProblem(await t.call('POST', PARTICIPANTS, { ...sm, submissionId }, { token: author, body: { userId: await userOf(editor), role: 'editor' } }), 403);
      assert.match(String(refused.detail), /token's roles/);
      // The author cannot change a submitted manuscript's metadata: that is its editors' now.
      assertProblem(await t.call('PUT', PUBLICATION, { ...sm, submissionId, publicationId }, { token: author, body: { title: { en: 'Changed after' } } }), 403);
      const edited = await t.call<Static<typeof Publication>>('PUT', PUBLICATION, { ...sm, submissionId, publicationId }, { token: editor, body: { subtitle: { en: 'A subtitle from the editor' } } });
      assert.equal(edited.statusCode, 200, edited.body);
      assert.equal(edited.data.id, publicationId);
    });

    it('has called every workflow operation of the document', () => {
      for (const entry of check.checked) t.checked.add(entry);
      assertAllExercised(t, 'workflow');
    });
  });
}
