import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Kysely } from 'kysely';
import { PDFDocument, PDFName } from 'pdf-lib';
import type { Database } from '../../db/index.ts';
import type { Anonymity, ReviewStatus } from '../../db/schema.ts';
import { startTestApp, visibleText, type TestApp } from '../../../test/support/app.ts';
import { AUTHOR, assertNoAuthor, authoredDocx, authoredPdf, pdfParts, zipParts } from '../../../test/support/authored-documents.ts';
import { testDatabases } from '../../../test/support/databases.ts';
import { Session, signedInAs } from '../../../test/support/session.ts';
import { addSubmissionFile, createDraft, saveSubmissionDetails, submitSubmission } from '../index.ts';

const PDF = 'application/pdf';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

for (const database of await testDatabases()) {
  describe(`reviewers' file downloads on ${database.name}`, () => {
    let t: TestApp;
    let db: Kysely<Database>;
    let journalId: number;
    let submissionId: number;
    let manuscriptId: number;
    const s: Record<string, Session> = {};
    const ids: Record<string, number> = {};
    const rounds: Record<number, number> = {};
    const files: Record<string, number> = {};
    const reviews: Record<string, number> = {};
    let pdfBytes: Uint8Array;

    async function stored(bytes: Uint8Array, mimeType: string, name: string) {
      const put = await t.files.put(Buffer.from(bytes));
      return { storageKey: put.key, sizeBytes: put.sizeBytes, sha256: put.sha256, mimeType, originalName: name };
    }
    /** A file the editor sent to a round (rows as the lead's commands write them). */
    async function reviewFile(round: number, kind: string, bytes: Uint8Array, mimeType: string, name: string): Promise<number> {
      const upload = await stored(bytes, mimeType, name);
      const file = await db.insertInto('files').values({ storage_key: upload.storageKey, mime_type: mimeType, size_bytes: upload.sizeBytes, sha256: upload.sha256, original_name: name }).returning('id').executeTakeFirstOrThrow();
      const row = await db
        .insertInto('submission_files')
        .values({ submission_id: submissionId, stage: 'review', kind, file_id: file.id, name, uploaded_by: ids.editor!, review_round_id: rounds[round]!, review_purpose: 'review-file' })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    }
    async function request(reviewer: string, round: number, status: ReviewStatus, anonymity: Anonymity = 'double-anonymous'): Promise<number> {
      const due = new Date(Date.now() + 7 * 86_400_000);
      const row = await db
        .insertInto('review_assignments')
        .values({ submission_id: submissionId, review_round_id: rounds[round]!, reviewer_id: ids[reviewer]!, anonymity, status, requested_by: ids.editor!, response_due: due, review_due: due, link_nonce: randomBytes(16).toString('hex') })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    }

    before(async () => {
      t = await startTestApp(database);
      db = t.database.db;
      journalId = (await db.selectFrom('journals').select('id').where('path', '=', 'sm').executeTakeFirstOrThrow()).id;
      const sectionId = (await db.selectFrom('sections').select('id').where('journal_id', '=', journalId).orderBy('id').executeTakeFirstOrThrow()).id;
      for (const [name, role] of [['editor', 'editor'], ['author', 'author'], ['reviewer', 'reviewer'], ['openReviewer', 'reviewer'], ['nextRoundReviewer', 'reviewer'], ['undecided', 'reviewer'], ['declined', 'reviewer'], ['stranger', 'reader']] as const) {
        s[name] = await signedInAs(t.app, db, { email: `${name}@example.org`, role, journalId });
        ids[name] = (await db.selectFrom('users').select('id').where('email', '=', `${name}@example.org`).executeTakeFirstOrThrow()).id;
      }
      const now = new Date();
      pdfBytes = await authoredPdf();
      submissionId = await createDraft(db, { journalId, userId: ids.author!, sectionId, locale: 'en', commentsForEditor: '', checklistConfirmed: true, agreementsAccepted: true, now });
      manuscriptId = await addSubmissionFile(db, { journalId, submissionId, userId: ids.author!, kind: 'article', upload: await stored(pdfBytes, PDF, `${AUTHOR.name}.pdf`), now });
      await saveSubmissionDetails(db, journalId, submissionId, ids.author!, { prefix: {}, title: { en: 'Borders and trade' }, subtitle: {}, abstract: { en: 'An abstract.' }, keywords: {} }, now);
      await submitSubmission(db, journalId, submissionId, ids.author!, now);
      await db.updateTable('submissions').set({ stage: 'review' }).where('id', '=', submissionId).execute();
      for (const round of [1, 2]) rounds[round] = (await db.insertInto('review_rounds').values({ submission_id: submissionId, round, created_by: ids.editor! }).returning('id').executeTakeFirstOrThrow()).id;
      files.pdf = await reviewFile(1, 'article', pdfBytes, PDF, `${AUTHOR.name} - manuscript.pdf`);
      files.docx = await reviewFile(1, 'article', authoredDocx(), DOCX, `${AUTHOR.name}.docx`);
      const encrypted = await PDFDocument.load(pdfBytes, { updateMetadata: false });
      encrypted.context.trailerInfo.Encrypt = encrypted.context.register(encrypted.context.obj({ Filter: 'Standard', V: 2, R: 3, O: PDFName.of('x'), U: PDFName.of('y'), P: -4 }));
      files.encrypted = await reviewFile(1, 'data', await encrypted.save(), PDF, 'protected.pdf');
      files.nextRound = await reviewFile(2, 'article', pdfBytes, PDF, 'round-2.pdf');
      reviews.reviewer = await request('reviewer', 1, 'accepted');
      reviews.openReviewer = await request('openReviewer', 1, 'submitted', 'open');
      reviews.nextRoundReviewer = await request('nextRoundReviewer', 2, 'accepted');
      reviews.undecided = await request('undecided', 1, 'requested');
      reviews.declined = await request('declined', 1, 'declined');
    });
    after(async () => {
      await t.close();
    });

    const url = (review: string, file: string) => `/sm/reviewer/review/${reviews[review]!}/files/${files[file]!}`;

    it('gives the reviewer of the round the copy without authoring metadata, under a name that says nothing of the authors', async () => {
      const response = await s.reviewer!.get(url('reviewer', 'pdf'));
      assert.equal(response.statusCode, 200);
      assert.equal(response.headers['content-type'], PDF);
      assert.equal(response.headers['content-disposition'], `attachment; filename="submission-${submissionId}-round-1-article-text.pdf"; filename*=UTF-8''submission-${submissionId}-round-1-article-text.pdf`);
      assert.equal(response.headers['x-content-type-options'], 'nosniff');
      assert.equal(response.headers['cache-control'], 'private, no-store');
      assert.ok(!response.rawPayload.equals(Buffer.from(pdfBytes)));
      assertNoAuthor(await pdfParts(response.rawPayload));
      assert.equal((await PDFDocument.load(response.rawPayload)).getPageCount(), 1);

      const docx = await s.reviewer!.get(url('reviewer', 'docx'));
      assert.equal(docx.statusCode, 200);
      assert.match(String(docx.headers['content-disposition']), new RegExp(`^attachment; filename="submission-${submissionId}-round-1-article-text-2\\.docx"`));
      assertNoAuthor(zipParts(docx.rawPayload));
      // The second download is the same copy, made once.
      assert.deepEqual((await s.reviewer!.get(url('reviewer', 'pdf'))).rawPayload, response.rawPayload);
      assert.equal(Number((await db.selectFrom('anonymized_files').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n), 2);
    });

    it('gives a reviewer in open review the file as it is, still under the anonymous name', async () => {
      const response = await s.openReviewer!.get(url('openReviewer', 'pdf'));
      assert.equal(response.statusCode, 200);
      assert.ok(response.rawPayload.equals(Buffer.from(pdfBytes)), 'the file as uploaded');
      assert.match(String(response.headers['content-disposition']), new RegExp(`^attachment; filename="submission-${submissionId}-round-1-article-text\\.pdf"`));
    });

    it('refuses a file that cannot be made anonymous with a page saying why, never the original', async () => {
      const response = await s.reviewer!.get(url('reviewer', 'encrypted'));
      assert.equal(response.statusCode, 409);
      assert.match(String(response.headers['content-type']), /^text\/html/);
      const text = visibleText(response.body);
      assert.match(text, /This file cannot be downloaded yet/);
      assert.match(text, /password-protected/);
      assert.ok(!response.body.includes('protected.pdf'));
    });

    it('gives nothing to anyone else: another round’s reviewer, an unanswered or declined request, the author, a stranger, the editor through the reviewer’s address', async () => {
      assert.equal((await s.nextRoundReviewer!.get(url('nextRoundReviewer', 'pdf'))).statusCode, 404, 'a file of another round under their own request');
      assert.equal((await s.nextRoundReviewer!.get(url('reviewer', 'pdf'))).statusCode, 404, 'someone else’s request');
      assert.equal((await s.nextRoundReviewer!.get(url('nextRoundReviewer', 'nextRound'))).statusCode, 200, 'their own round’s file');
      assert.equal((await s.undecided!.get(url('undecided', 'pdf'))).statusCode, 403);
      assert.equal((await s.declined!.get(url('declined', 'pdf'))).statusCode, 403);
      for (const who of ['author', 'stranger', 'editor']) {
        assert.equal((await s[who]!.get(url('reviewer', 'pdf'))).statusCode, 404, who);
      }
      // The manuscript itself is no review file, even of this submission.
      assert.equal((await s.reviewer!.get(`/sm/reviewer/review/${reviews.reviewer!}/files/${manuscriptId}`)).statusCode, 404);
      assert.equal((await s.reviewer!.get(`/sm/reviewer/review/${reviews.reviewer!}/files/99999999999`)).statusCode, 404);
      const visitor = await new Session(t.app, { 'accept-language': 'en' }).get(url('reviewer', 'pdf'));
      assert.equal(visitor.statusCode, 303);
      // Reviewers never get the submission's own page or its files there.
      assert.equal((await s.reviewer!.get(`/sm/workflow/index/${submissionId}/files/${files.pdf!}`)).statusCode, 404);
    });

    it('gives editors the original from the submission page', async () => {
      const response = await s.editor!.get(`/sm/workflow/index/${submissionId}/files/${files.pdf!}`);
      assert.equal(response.statusCode, 200);
      assert.ok(response.rawPayload.equals(Buffer.from(pdfBytes)), 'the file as uploaded');
    });
  });
}
