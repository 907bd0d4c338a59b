import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { assignRole, insertUser } from '../../accounts/index.ts';
import { createJournal, createSection, FILE_REFERENCES } from '../../catalog/index.ts';
import type { Database, DatabaseHandle } from '../../db/index.ts';
import { listEvents } from '../../platform/events/index.ts';
import { testDatabases } from '../../../test/support/databases.ts';
import type { WorkflowError } from '../errors.ts';
import { submissionProblems } from '../problems.ts';
import { findSubmission, submissionActivity, submissionFileRevisions, submissionFiles } from '../queries.ts';
import { refused } from '../../../test/support/refused.ts';
import { openDemoJournal } from '../../../test/support/demo-journal.ts';
import {
  addSubmissionFile,
  changeSubmissionContributors,
  checkUpload,
  createDraft,
  discardDraft,
  removeDraftFile,
  reviseSubmissionFile,
  saveSubmissionDetails,
  saveSubmissionReferences,
  submitSubmission,
  type StoredUpload,
} from './submissions.ts';

const now = new Date('2026-03-02T09:00:00Z');
const PDF = 'application/pdf';

function upload(name = 'manuscript.pdf', mimeType = PDF, sizeBytes = 1234): StoredUpload {
  const key = randomUUID();
  return { storageKey: `${key.slice(0, 2)}/${key}`, sizeBytes, sha256: 'a'.repeat(64), mimeType, originalName: name };
}

async function counts(db: Kysely<Database>) {
  const n = async (table: 'articles' | 'submissions' | 'contributors' | 'role_assignments' | 'files' | 'submission_files' | 'submission_activity' | 'publications') =>
    Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
  return { articles: await n('articles'), submissions: await n('submissions'), contributors: await n('contributors'), roles: await n('role_assignments'), files: await n('files'), submissionFiles: await n('submission_files'), activity: await n('submission_activity'), publications: await n('publications') };
}

for (const database of await testDatabases()) {
  describe(`submission commands on ${database.name}`, () => {
    let handle: DatabaseHandle;
    let db: Kysely<Database>;
    let journalId: number;
    let openSection: number;
    let closedSection: number;
    let strictSection: number;
    let otherJournalSection: number;
    let authorId: number;

    const draft = (overrides: Partial<Parameters<typeof createDraft>[1]> = {}) =>
      createDraft(db, { journalId, userId: authorId, sectionId: openSection, locale: 'en', commentsForEditor: '', checklistConfirmed: true, agreementsAccepted: true, now, ...overrides });

    /** A draft with everything the open section asks for. */
    async function completeDraft(): Promise<number> {
      const id = await draft();
      await addSubmissionFile(db, { journalId, submissionId: id, userId: authorId, kind: 'article', upload: upload(), now });
      await saveSubmissionDetails(db, journalId, id, authorId, { prefix: {}, title: { en: 'Borders of the Baltic' }, subtitle: {}, abstract: { en: 'Short abstract.' }, keywords: { en: ['borders'] } }, now);
      return id;
    }

    before(async () => {
      ({ handle, db, journalId, sectionId: openSection } = await openDemoJournal(database));
      closedSection = await createSection(db, { journalId, title: { en: 'Editorials' } });
      strictSection = await createSection(db, { journalId, title: { en: 'Research' } });
      // Workflow settings rows, written here as the settings pages will.
      await db.insertInto('section_submission_settings').values([
        { section_id: closedSection, is_open: false },
        { section_id: strictSection, abstract_required: true, abstract_word_limit: 5, keywords_required: true, references_required: true, locales: ['en'] },
      ]).execute();
      const other = { id: await createJournal(db, { path: 'other', name: { en: 'Other' }, primaryLocale: 'en', supportedLocales: ['en'] }) };
      otherJournalSection = await createSection(db, { journalId: other.id, title: { en: 'Elsewhere' } });
      const author = await insertUser(db, { email: 'anna@example.org', givenName: { en: 'Anna' }, familyName: { en: 'Nowak' }, affiliation: { en: 'University of Warsaw' }, orcid: null, country: 'PL', preferredLocale: 'pl', privacyConsentAt: now }, null);
      authorId = author!.id;
    });
    after(() => handle.close());

    it('starts a draft: the submitter becomes its author (role, participant, first contributor), nothing public', async () => {
      const before = await counts(db);
      const id = await draft({ commentsForEditor: 'Please consider it.' });
      const submission = await findSubmission(db, journalId, id);
      assert.ok(submission);
      assert.equal(submission.status, 'draft');
      assert.equal(submission.progress, 'files');
      assert.equal(submission.sectionId, openSection);
      assert.equal(submission.commentsForEditor, 'Please consider it.');
      assert.deepEqual(submission.participants.map((p) => [p.userId, p.role]), [[authorId, 'author']]);
      const roles = await db.selectFrom('role_assignments').select('role').where('user_id', '=', authorId).where('journal_id', '=', journalId).execute();
      assert.deepEqual(roles.map((r) => r.role), ['author']);
      const contributors = await db.selectFrom('contributors').selectAll().where('publication_id', '=', submission.publicationId).execute();
      assert.equal(contributors.length, 1);
      assert.deepEqual(contributors[0]!.given_name, { en: 'Anna' });
      assert.equal(contributors[0]!.email, 'anna@example.org');
      assert.equal(contributors[0]!.is_primary_contact, true);
      assert.deepEqual(contributors[0]!.affiliation, { en: 'University of Warsaw' });
      const article = await db.selectFrom('articles').select(['status', 'date_submitted']).where('id', '=', id).executeTakeFirstOrThrow();
      assert.deepEqual(article, { status: 'queued', date_submitted: null });
      assert.deepEqual((await submissionActivity(db, id)).map((a) => [a.action, a.userName]), [['draft.created', 'Anna Nowak']]);
      const after = await counts(db);
      assert.equal(after.articles, before.articles + 1);
      // A second draft does not give the role twice.
      await draft();
      assert.equal((await db.selectFrom('role_assignments').select('role').where('user_id', '=', authorId).execute()).length, 1);
    });

    it('refuses a closed section, an unknown or another journal’s section, a language the section does not take, an unconfirmed checklist: nothing written', async () => {
      const before = await counts(db);
      await refused(draft({ sectionId: closedSection }), 'section-closed');
      await refused(draft({ sectionId: 999_999 }), 'section-unknown');
      await refused(draft({ sectionId: otherJournalSection }), 'section-unknown');
      await refused(draft({ sectionId: strictSection, locale: 'pl' }), 'locale-not-allowed');
      await refused(draft({ locale: 'de' }), 'locale-not-allowed');
      await refused(draft({ commentsForEditor: 'x'.repeat(10_001) }), 'too-long');
      await db.insertInto('submission_settings').values({ journal_id: journalId, checklist: JSON.stringify([{ en: 'The text is anonymised.' }]), copyright_notice: JSON.stringify({ en: 'Authors keep the copyright.' }) }).execute();
      try {
        await refused(draft({ checklistConfirmed: false }), 'checklist-unconfirmed');
        await refused(draft({ agreementsAccepted: false }), 'agreements-unaccepted');
        // A newcomer refused is not made an author either.
        const newcomer = await insertUser(db, { email: 'newcomer@example.org', givenName: { en: 'New' }, familyName: {}, affiliation: {}, orcid: null, country: null, preferredLocale: null, privacyConsentAt: null }, null);
        await refused(draft({ userId: newcomer!.id, checklistConfirmed: false }), 'checklist-unconfirmed');
        assert.deepEqual(await db.selectFrom('role_assignments').select('role').where('user_id', '=', newcomer!.id).execute(), []);
      } finally {
        await db.deleteFrom('submission_settings').where('journal_id', '=', journalId).execute();
      }
      assert.deepEqual(await counts(db), before);
    });

    it('checks uploads by type and size; keeps every revision; removes a draft’s file with its stored files, not a submitted one’s', async () => {
      assert.throws(() => checkUpload({ types: [PDF], maxBytes: 100 }, { sizeBytes: 0, mimeType: PDF }), (e: WorkflowError) => e.code === 'file-empty');
      assert.throws(() => checkUpload({ types: [PDF], maxBytes: 100 }, { sizeBytes: 101, mimeType: PDF }), (e: WorkflowError) => e.code === 'file-too-large' && e.status === 413 && e.params.max === 100);
      assert.throws(() => checkUpload({ types: [PDF], maxBytes: 100 }, { sizeBytes: 10, mimeType: 'image/png' }), (e: WorkflowError) => e.code === 'file-type-not-allowed' && e.status === 415);
      // A kind that takes any type still refuses what a browser would run.
      assert.throws(() => checkUpload({ types: [], maxBytes: 100 }, { sizeBytes: 10, mimeType: 'image/svg+xml' }), (e: WorkflowError) => e.code === 'file-type-not-allowed');
      assert.doesNotThrow(() => checkUpload({ types: [], maxBytes: 100 }, { sizeBytes: 10, mimeType: 'image/png' }));

      const id = await draft();
      const before = await counts(db);
      await refused(addSubmissionFile(db, { journalId, submissionId: id, userId: authorId, kind: 'article', upload: upload('figure.png', 'image/png'), now }), 'file-type-not-allowed');
      await refused(addSubmissionFile(db, { journalId, submissionId: id, userId: authorId, kind: 'article', upload: upload('huge.pdf', PDF, 51 * 1024 * 1024), now }), 'file-too-large');
      await refused(addSubmissionFile(db, { journalId, submissionId: id, userId: authorId, kind: 'poster', upload: upload(), now }), 'file-kind-unknown');
      await refused(addSubmissionFile(db, { journalId: journalId + 1000, submissionId: id, userId: authorId, kind: 'article', upload: upload(), now }), 'participant-unknown');
      assert.deepEqual(await counts(db), before, 'a refused upload leaves no row');

      const fileId = await addSubmissionFile(db, { journalId, submissionId: id, userId: authorId, kind: 'article', upload: upload('../../etc/Tekst\u0000 artykułu.pdf'), now });
      await reviseSubmissionFile(db, { journalId, submissionId: id, userId: authorId, submissionFileId: fileId, upload: upload('second.pdf'), now });
      await refused(reviseSubmissionFile(db, { journalId, submissionId: id, userId: authorId, submissionFileId: fileId, upload: upload('second.png', 'image/png'), now }), 'file-type-not-allowed');
      const [file] = await submissionFiles(db, id);
      assert.equal(file!.name, 'second.pdf');
      assert.equal(file!.revisions, 1);
      const revisions = await submissionFileRevisions(db, fileId);
      assert.deepEqual(revisions.map((r) => r.originalName), ['second.pdf', 'Tekst artykułu.pdf'], 'names cleaned of paths and control characters (a NUL byte would fail the insert)');
      assert.equal(revisions[0]!.fileId, file!.fileId);
      assert.deepEqual((await submissionActivity(db, id)).map((a) => a.action), ['draft.created', 'file.uploaded', 'file.revised']);
      assert.equal((await submissionActivity(db, id))[1]!.details.name, 'Tekst artykułu.pdf', 'the name is cleaned of its path and control characters');

      await refused(removeDraftFile(db, journalId, id, 999_999, authorId, now), 'file-unknown');
      const storedIds = revisions.map((r) => r.fileId);
      await removeDraftFile(db, journalId, id, fileId, authorId, now);
      assert.deepEqual(await submissionFiles(db, id), []);
      assert.deepEqual(await db.selectFrom('files').select('id').where('id', 'in', storedIds).execute(), [], 'both revisions’ files rows are gone (the store sweep removes their bytes)');
      assert.equal((await submissionActivity(db, id)).at(-1)!.action, 'file.removed');

      // Submitted: its files are kept; the editors revise them instead.
      const submitted = await completeDraft();
      await submitSubmission(db, journalId, submitted, authorId, now);
      const [kept] = await submissionFiles(db, submitted);
      await refused(removeDraftFile(db, journalId, submitted, kept!.id, authorId, now), 'not-a-draft');
      await reviseSubmissionFile(db, { journalId, submissionId: submitted, userId: authorId, submissionFileId: kept!.id, upload: upload('revised.pdf'), now });
      assert.equal((await submissionFiles(db, submitted))[0]!.revisions, 1);
    });

    it('discards a draft with its files rows; a submitted manuscript is not discarded', async () => {
      const before = await counts(db);
      const id = await draft();
      // Two uploads at once: both kept.
      await Promise.all([
        addSubmissionFile(db, { journalId, submissionId: id, userId: authorId, kind: 'article', upload: upload(), now }),
        addSubmissionFile(db, { journalId, submissionId: id, userId: authorId, kind: 'figure', upload: upload('map.png', 'image/png'), now }),
      ]);
      assert.deepEqual((await submissionFiles(db, id)).map((f) => f.kind).sort(), ['article', 'figure']);
      // An upload that arrives while the draft is thrown away finds it gone (404), not a failed insert.
      const [discarded, late] = await Promise.allSettled([discardDraft(db, journalId, id), addSubmissionFile(db, { journalId, submissionId: id, userId: authorId, kind: 'data', upload: upload('data.csv', 'text/csv'), now })]);
      assert.equal(discarded.status, 'fulfilled');
      // (Had the upload come first, the discard waited for it and took its file too.)
      if (late.status === 'rejected') assert.equal((late.reason as WorkflowError).code, 'participant-unknown');
      assert.equal(await findSubmission(db, journalId, id), undefined);
      const after = await counts(db);
      assert.deepEqual({ ...after, roles: before.roles }, before, 'article, version, contributor, files and their rows all gone');
      await refused(discardDraft(db, journalId, id), 'participant-unknown');
      const submitted = await completeDraft();
      await submitSubmission(db, journalId, submitted, authorId, now);
      await refused(discardDraft(db, journalId, submitted), 'not-a-draft');
      assert.ok(await findSubmission(db, journalId, submitted));
    });

    it('every table naming a stored file is one forgetUnreferencedFiles looks at', async () => {
      const { rows } = await sql<{ table: string; column: string }>`
        SELECT c.conrelid::regclass::text AS table, a.attname AS column
          FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
         WHERE c.contype = 'f' AND c.confrelid = 'files'::regclass AND c.confdeltype <> 'c'`.execute(db);
      const bare = (name: string) => name.replace(/^.*\./, '').replace(/"/g, '');
      assert.deepEqual(rows.map((r) => `${bare(r.table)}.${r.column}`).sort(), FILE_REFERENCES.map(([t, c]) => `${t}.${c}`).sort());
    });

    it('saves details and references (an unchanged list is not rewritten, its parses kept)', async () => {
      const id = await draft();
      const submission = (await findSubmission(db, journalId, id))!;
      await saveSubmissionDetails(db, journalId, id, authorId, { prefix: {}, title: { en: 'Borders' }, subtitle: { en: 'A study' }, abstract: { en: 'Growth < 5% & more' }, keywords: { en: ['borders', 'Baltic'] } }, now);
      const publication = await db.selectFrom('publications').select(['title', 'subtitle', 'abstract', 'keywords', 'status']).where('id', '=', submission.publicationId).executeTakeFirstOrThrow();
      assert.deepEqual(publication.title, { en: 'Borders' });
      assert.deepEqual(publication.keywords, { en: ['borders', 'Baltic'] });
      assert.equal(publication.status, 'queued');
      assert.match(publication.abstract.en!, /Growth &lt; 5% &amp; more/, 'a plain abstract is kept as escaped rich text');

      const texts = ['Nowak, A. (2020). Borders. Warsaw: PWN.', 'Smith, J. (2019). The Baltic. Journal of Baltic Studies, 50(2), 1–20. https://doi.org/10.1080/01629778.2019.1234567'];
      await saveSubmissionReferences(db, journalId, id, authorId, texts, now);
      const first = await db.selectFrom('citations').select(['id', 'raw_text', 'parsed']).where('publication_id', '=', submission.publicationId).orderBy('seq').execute();
      assert.deepEqual(first.map((c) => c.raw_text), texts);
      assert.ok(first.every((c) => c.parsed !== null), 'parsed when saved');
      await saveSubmissionReferences(db, journalId, id, authorId, [` ${texts[0]}`, '', '  ', texts[1]!], now);
      const again = await db.selectFrom('citations').select(['id', 'parsed']).where('publication_id', '=', submission.publicationId).orderBy('seq').execute();
      assert.deepEqual(again, first.map((c) => ({ id: c.id, parsed: c.parsed })), 'the same rows, parses untouched');
      await saveSubmissionReferences(db, journalId, id, authorId, [texts[1]!], now);
      const changed = await db.selectFrom('citations').select(['raw_text', 'parsed']).where('publication_id', '=', submission.publicationId).orderBy('seq').execute();
      assert.deepEqual(changed.map((c) => c.raw_text), [texts[1]]);
      assert.ok(changed[0]!.parsed !== null, 'the changed list is parsed again');
      assert.deepEqual((await submissionActivity(db, id)).map((a) => a.action), ['draft.created', 'metadata.updated', 'references.updated', 'references.updated', 'references.updated']);
    });

    it('adds, moves and removes contributors; one primary contact', async () => {
      const id = await draft();
      const submission = (await findSubmission(db, journalId, id))!;
      const names = async () => (await db.selectFrom('contributors').select(['family_name', 'is_primary_contact']).where('publication_id', '=', submission.publicationId).orderBy('seq').execute()).map((c) => `${c.family_name.en}${c.is_primary_contact ? '*' : ''}`);
      const fields = (family: string, primary = false) => ({ givenName: { en: 'X' }, familyName: { en: family }, email: `${family.toLowerCase()}@example.org`, orcid: null, affiliations: [], isPrimaryContact: primary, includeInBrowse: true, userGroup: 'Author' });
      const kowalski = (await changeSubmissionContributors(db, journalId, id, authorId, { op: 'add', fields: fields('Kowalski') }, now))!;
      const lis = (await changeSubmissionContributors(db, journalId, id, authorId, { op: 'add', fields: fields('Lis', true) }, now))!;
      assert.deepEqual(await names(), ['Nowak', 'Kowalski', 'Lis*'], 'the new primary contact replaces the first');
      await changeSubmissionContributors(db, journalId, id, authorId, { op: 'move', contributorId: lis, direction: 'up' }, now);
      assert.deepEqual(await names(), ['Nowak', 'Lis*', 'Kowalski']);
      await changeSubmissionContributors(db, journalId, id, authorId, { op: 'save', contributorId: kowalski, fields: fields('Kowalska', true) }, now);
      assert.deepEqual(await names(), ['Nowak', 'Lis', 'Kowalska*']);
      await changeSubmissionContributors(db, journalId, id, authorId, { op: 'remove', contributorId: lis }, now);
      assert.deepEqual(await names(), ['Nowak', 'Kowalska*']);
      const activity = (await submissionActivity(db, id)).length;
      await refused(changeSubmissionContributors(db, journalId, id, authorId, { op: 'remove', contributorId: lis }, now), 'participant-unknown');
      const demoContributor = await db.selectFrom('contributors').select('id').where('publication_id', '!=', submission.publicationId).executeTakeFirstOrThrow();
      await refused(changeSubmissionContributors(db, journalId, id, authorId, { op: 'save', contributorId: demoContributor.id, fields: fields('Hijack') }, now), 'participant-unknown');
      assert.equal((await submissionActivity(db, id)).length, activity, 'a refused change logs nothing');
      assert.deepEqual((await submissionActivity(db, id)).at(-1)!.details, { op: 'remove' });
    });

    it('lists what is missing per step by the section’s rules', async () => {
      const id = await draft({ sectionId: strictSection });
      const problems = async () => (await submissionProblems(db, (await findSubmission(db, journalId, id))!)).map((p) => `${p.step}:${p.code}${p.field ? `:${p.field}` : ''}`);
      assert.deepEqual(await problems(), ['files:file-missing:article', 'details:title-missing:title.en', 'details:abstract-missing:abstract.en', 'details:keywords-missing:keywords.en', 'references:references-missing']);
      await addSubmissionFile(db, { journalId, submissionId: id, userId: authorId, kind: 'article', upload: upload(), now });
      await saveSubmissionDetails(db, journalId, id, authorId, { prefix: {}, title: { en: 'Borders' }, subtitle: {}, abstract: { en: '<p>One two three <em>four</em> five six</p>' }, keywords: { en: ['borders'] } }, now);
      const tooLong = await submissionProblems(db, (await findSubmission(db, journalId, id))!);
      assert.deepEqual(tooLong.find((p) => p.code === 'abstract-too-long'), { step: 'details', code: 'abstract-too-long', field: 'abstract.en', params: { words: 6, max: 5 } });
      await saveSubmissionDetails(db, journalId, id, authorId, { prefix: {}, title: { en: 'Borders' }, subtitle: {}, abstract: { en: 'One two three four five' }, keywords: { en: ['borders'] } }, now);
      await saveSubmissionReferences(db, journalId, id, authorId, ['Nowak, A. (2020). Borders. Warsaw: PWN.'], now);
      assert.deepEqual(await problems(), []);
      const primary = (await findSubmission(db, journalId, id))!;
      const [nowak] = await db.selectFrom('contributors').select('id').where('publication_id', '=', primary.publicationId).execute();
      await changeSubmissionContributors(db, journalId, id, authorId, { op: 'save', contributorId: nowak!.id, fields: { givenName: { en: 'Anna' }, familyName: { en: 'Nowak' }, email: null, orcid: null, affiliations: [], isPrimaryContact: true, includeInBrowse: true } }, now);
      assert.deepEqual(await problems(), ['contributors:contributor-email-missing']);
      await changeSubmissionContributors(db, journalId, id, authorId, { op: 'remove', contributorId: nowak!.id }, now);
      assert.deepEqual(await problems(), ['contributors:contributors-missing']);
      // A section closed after the draft was started: fixed at the first step.
      await db.updateTable('section_submission_settings').set({ is_open: false }).where('section_id', '=', strictSection).execute();
      try {
        assert.ok((await problems()).includes('start:section-closed:sectionId'));
      } finally {
        await db.updateTable('section_submission_settings').set({ is_open: true }).where('section_id', '=', strictSection).execute();
      }
    });

    it('submits only a complete draft (refused with the problem list); two submits at once make one submission and one event', async () => {
      const incomplete = await draft();
      const before = (await listEvents(db, { type: 'SubmissionSubmitted', limit: 1000 })).length;
      const error = await refused(submitSubmission(db, journalId, incomplete, authorId, now), 'incomplete');
      assert.equal(error.status, 422);
      assert.deepEqual(error.problems.map((p) => p.code), ['file-missing', 'title-missing', 'abstract-missing']);
      assert.equal((await findSubmission(db, journalId, incomplete))!.status, 'draft');

      const id = await completeDraft();
      const at = new Date('2026-03-03T12:00:00Z');
      const results = await Promise.allSettled([submitSubmission(db, journalId, id, authorId, at), submitSubmission(db, journalId, id, authorId, at)]);
      assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
      const rejection = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      assert.equal((rejection.reason as WorkflowError).code, 'not-a-draft');
      const submission = (await findSubmission(db, journalId, id))!;
      assert.equal(submission.status, 'active');
      assert.deepEqual(submission.submittedAt, at);
      assert.deepEqual((await db.selectFrom('articles').select(['status', 'date_submitted']).where('id', '=', id).executeTakeFirstOrThrow()), { status: 'queued', date_submitted: at });
      const events = (await listEvents(db, { type: 'SubmissionSubmitted', limit: 1000 })).slice(before);
      assert.deepEqual(events.map((e) => e.event), [{ type: 'SubmissionSubmitted', journalId, submissionId: id, userId: authorId }]);
      assert.equal((await submissionActivity(db, id)).filter((a) => a.action === 'submission.submitted').length, 1);
      // Submitted: the draft commands are refused.
      await refused(createDraftStep(id), 'not-a-draft');
    });

    /** A draft-only step on a submitted manuscript. */
    const createDraftStep = (id: number) => removeDraftFile(db, journalId, id, 1, authorId, now);
  });
}
