import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { assignRole, insertUser, setSectionEditorSections } from '../../accounts/index.ts';
import { createSection } from '../../catalog/index.ts';
import type { Database, RoleName } from '../../db/index.ts';
import type { FileStore } from '../../storage/index.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { testDatabases } from '../../../test/support/databases.ts';
import { inProduction } from '../../../test/support/production-fixture.ts';
import { pageQueries } from '../../../test/support/query-count.ts';
import { PDF, revisionsRequested } from '../../../test/support/review-fixture.ts';
import { Session, signedInAs } from '../../../test/support/session.ts';
import { addSubmissionFile, createDraft, saveSubmissionDetails, submitSubmission } from '../index.ts';

/**
 * The editorial dashboard loads with a fixed number of queries whatever the number of submissions,
 * their authors and editors (issue 22): counted on the same pages with 3 submissions, made through
 * the workflow's commands, and again once 57 copies of them are in the queue.
 */

interface People {
  author: number;
  editor: number;
  anna: number;
  bob: number;
  layout: number;
}

/** A new submission of the demo journal, sent through the wizard's commands, with no editor yet. */
async function justSubmitted(db: Kysely<Database>, files: FileStore, people: People, sectionId: number, title: string): Promise<number> {
  const now = new Date();
  const id = await createDraft(db, { journalId: 1, userId: people.author, sectionId, locale: 'en', commentsForEditor: '', checklistConfirmed: true, agreementsAccepted: true, now });
  const stored = await files.put(PDF);
  await addSubmissionFile(db, { journalId: 1, submissionId: id, userId: people.author, kind: 'article', upload: { storageKey: stored.key, sizeBytes: stored.sizeBytes, sha256: stored.sha256, mimeType: 'application/pdf', originalName: 'manuscript.pdf' }, now });
  await saveSubmissionDetails(db, 1, id, people.author, { prefix: {}, title: { en: title }, subtitle: {}, abstract: { en: 'An abstract.' }, keywords: {} }, now);
  await submitSubmission(db, 1, id, people.author, now);
  return id;
}

/**
 * `times` copies of each submission of the demo journal, written in bulk: the article, its current
 * version with its authors, the submission and its participants (editors, authors, layout editors),
 * each copy submitted an hour earlier than the one before. What the dashboard reads, and no more:
 * the copies have no files, rounds or reviews.
 */
async function copySubmissions(db: Kysely<Database>, times: number): Promise<void> {
  // One transaction: the temporary table of new ids lives on its one connection.
  await db.transaction().execute(async (trx) => {
    await sql`CREATE TEMP TABLE copies ON COMMIT DROP AS
      SELECT s.id AS source, k, nextval(pg_get_serial_sequence('articles', 'id'))::int AS id
      FROM submissions s CROSS JOIN generate_series(1, ${times}::int) AS k WHERE s.journal_id = 1`.execute(trx);
    await sql`INSERT INTO articles (id, journal_id, locale, status, date_submitted)
      SELECT c.id, a.journal_id, a.locale, a.status, a.date_submitted FROM copies c JOIN articles a ON a.id = c.source`.execute(trx);
    await sql`INSERT INTO publications (article_id, version, status, locale, title, abstract, section_id)
      SELECT c.id, 1, p.status, p.locale, jsonb_build_object('en', (p.title->>'en') || ', copy ' || c.k), p.abstract, p.section_id
      FROM copies c JOIN articles a ON a.id = c.source JOIN publications p ON p.id = a.current_publication_id`.execute(trx);
    await sql`UPDATE articles a SET current_publication_id = p.id FROM copies c JOIN publications p ON p.article_id = c.id WHERE a.id = c.id`.execute(trx);
    await sql`INSERT INTO submissions (id, journal_id, submitter_id, status, stage, progress, submitted_at, last_activity_at)
      SELECT c.id, s.journal_id, s.submitter_id, s.status, s.stage, s.progress, s.submitted_at - c.k * interval '1 hour', s.last_activity_at
      FROM copies c JOIN submissions s ON s.id = c.source`.execute(trx);
    await sql`INSERT INTO contributors (publication_id, given_name, family_name, affiliation, email, seq, is_primary_contact)
      SELECT n.current_publication_id, ct.given_name, ct.family_name, ct.affiliation, ct.email, ct.seq, ct.is_primary_contact
      FROM copies c JOIN articles a ON a.id = c.source JOIN contributors ct ON ct.publication_id = a.current_publication_id JOIN articles n ON n.id = c.id`.execute(trx);
    await sql`INSERT INTO submission_participants (submission_id, user_id, role, recommend_only, assigned_by)
      SELECT c.id, sp.user_id, sp.role, sp.recommend_only, sp.assigned_by FROM copies c JOIN submission_participants sp ON sp.submission_id = c.source`.execute(trx);
  });
}

for (const database of await testDatabases()) {
  describe(`query count of the editorial dashboard on ${database.name}`, () => {
    let t: TestApp;
    let db: Kysely<Database>;
    let editor: Session;
    let sectionEditor: Session;
    let people: People;
    let essays: number;
    before(async () => {
      t = await startTestApp(database, { pageCache: false, countQueries: true });
      db = t.database.db;
      const now = new Date();
      editor = await signedInAs(t.app, db, { email: 'editor@example.org', role: 'editor', journalId: 1 });
      sectionEditor = await signedInAs(t.app, db, { email: 'section-editor@example.org', role: 'section-editor', journalId: 1 });
      const id = async (email: string) => (await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
      // People who never sign in need no password (hashing one takes a good part of a second).
      const person = async (email: string, role: RoleName) => {
        const user = (await insertUser(db, { email, givenName: { en: email.split('@')[0]! }, familyName: { en: 'Example' }, affiliation: {}, orcid: null, country: null, preferredLocale: null, privacyConsentAt: null, emailVerifiedAt: now }, null))!;
        await assignRole(db, user.id, 1, role);
        return user.id;
      };
      people = { editor: await id('editor@example.org'), author: await person('author@example.org', 'author'), anna: await person('anna@example.org', 'reviewer'), bob: await person('bob@example.org', 'reviewer'), layout: await person('layout@example.org', 'layout-editor') };
      const first = (await db.selectFrom('sections').select('id').where('journal_id', '=', 1).orderBy('id').executeTakeFirstOrThrow()).id;
      essays = await createSection(db, { journalId: 1, title: { en: 'Essays' } });
      await setSectionEditorSections(db, await id('section-editor@example.org'), [first, essays], [essays]);
    });
    after(() => t.close());

    const QUEUE = '/sm/dashboard/editorial';
    /** The pages counted: the default queue, the editor's own, the unassigned, a search, a filter; and the section editor's queue. */
    const counted = async () => ({
      active: await pageQueries(editor, QUEUE),
      mine: await pageQueries(editor, `${QUEUE}?queue=mine`),
      unassigned: await pageQueries(editor, `${QUEUE}?queue=unassigned`),
      search: await pageQueries(editor, `${QUEUE}?search=rivers+manuscript`),
      filter: await pageQueries(editor, `${QUEUE}?section=${essays}&stage=submission`),
      sectionEditor: await pageQueries(sectionEditor, QUEUE),
    });
    const rows = (html: string) => html.match(/href="\/sm\/workflow\/index\/\d+"/g)?.length ?? 0;

    it('is the same for 3 submissions as for 60 in three stages, with their authors and editors', async () => {
      // Just submitted in the section editor's section; in review (two reviewers, revisions asked); in production.
      await justSubmitted(db, t.files, people, essays, 'Manuscript on rivers');
      await revisionsRequested(db, t.files, people, 'Manuscript on rivers in review');
      await inProduction(db, t.files, people, 'Manuscript on rivers in production');
      const few = await counted();
      assert.equal(rows(few.active.body), 3);
      await copySubmissions(db, 19);
      const many = await counted();
      const later = await pageQueries(editor, `${QUEUE}?page=2`);
      assert.equal(rows(many.active.body), 50, 'a full page of the queue');
      assert.equal(rows(later.body), 10, 'the other ten on page 2');
      assert.equal(rows(many.mine.body), 40);
      assert.equal(rows(many.unassigned.body), 20);
      assert.equal(rows(many.search.body), 50);
      assert.equal(rows(many.sectionEditor.body), 20, 'the section editor’s section');
      for (const page of Object.keys(few) as Array<keyof typeof few>) {
        assert.equal(many[page].queries, few[page].queries, `${page}: ${few[page].queries} queries with 3 submissions, ${many[page].queries} with 60`);
      }
      assert.equal(later.queries, few.active.queries);
      // Seven for any signed-in page of a journal (the session, the person's roles and sections, the
      // journal named by the address, the site, the journal and its menu for the page frame) and six of
      // the dashboard's own (the journal's submission settings, its sections, the queues' counts, the
      // page of submissions, their authors, their editors).
      assert.ok(few.active.queries <= 13, `the dashboard ran ${few.active.queries} queries`);
      // A search adds two: the typed words folded as the index is, and the matching submissions.
      assert.ok(few.search.queries <= few.active.queries + 2, `a search ran ${few.search.queries} queries`);
    });
  });
}
