import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { assignRole, insertUser, setDisabled } from '../../accounts/index.ts';
import { createJournal, createSection } from '../../catalog/index.ts';
import type { Database, DatabaseHandle, LocalizedText, ReviewStatus } from '../../db/index.ts';
import { testDatabases } from '../../../test/support/databases.ts';
import { createDraft } from '../commands/submissions.ts';
import { searchReviewers, type ReviewerCandidate } from './reviewer-search.ts';
import { openDemoJournal } from '../../../test/support/demo-journal.ts';

const now = new Date('2026-03-02T09:00:00Z');
const ORCID = '0000-0002-1825-0097';

for (const database of await testDatabases()) {
  describe(`reviewer search on ${database.name}`, () => {
    let handle: DatabaseHandle;
    let db: Kysely<Database>;
    let journalId: number;
    let otherJournalId: number;
    let sectionId: number;
    let submissionId: number;
    const people: Record<string, number> = {};

    async function person(key: string, given: string, family: string, options: { email?: string; affiliation?: string; orcid?: string; reviewerOf?: number[]; interests?: string[] } = {}): Promise<number> {
      const user = await insertUser(
        db,
        { email: options.email ?? `${key}@example.org`, givenName: { en: given }, familyName: { en: family }, affiliation: options.affiliation ? { en: options.affiliation } : {}, orcid: options.orcid ?? null, country: null, preferredLocale: null, privacyConsentAt: now },
        null,
      );
      for (const journal of options.reviewerOf ?? [journalId]) await assignRole(db, user!.id, journal, 'reviewer');
      for (const interest of options.interests ?? []) await db.insertInto('reviewer_interests').values({ user_id: user!.id, interest }).execute();
      people[key] = user!.id;
      return user!.id;
    }

    /** A (published) article with these contributors, in a journal. */
    async function article(journal: number, section: number, title: string, contributors: Array<{ given: string; family: string; email?: string; orcid?: string; affiliation?: LocalizedText }>): Promise<number> {
      const a = await db.insertInto('articles').values({ journal_id: journal, locale: 'en', status: 'published' }).returning('id').executeTakeFirstOrThrow();
      const p = await db.insertInto('publications').values({ article_id: a.id, version: 1, status: 'published', locale: 'en', title: { en: title }, prefix: {}, subtitle: {}, abstract: {}, keywords: {}, subjects: {}, copyright_holder: {}, section_id: section }).returning('id').executeTakeFirstOrThrow();
      await db.updateTable('articles').set({ current_publication_id: p.id }).where('id', '=', a.id).execute();
      await addContributors(p.id, contributors, 1);
      return a.id;
    }

    async function addContributors(publicationId: number, contributors: Array<{ given: string; family: string; email?: string; orcid?: string; affiliation?: LocalizedText }>, seq: number): Promise<void> {
      for (const [i, c] of contributors.entries()) {
        await db
          .insertInto('contributors')
          .values({ publication_id: publicationId, given_name: { en: c.given }, family_name: { en: c.family }, email: c.email ?? null, orcid: c.orcid ?? null, affiliation: c.affiliation ?? {}, seq: seq + i })
          .execute();
      }
    }

    async function draft(): Promise<number> {
      return createDraft(db, { journalId, userId: people.author!, sectionId, locale: 'en', commentsForEditor: '', checklistConfirmed: true, agreementsAccepted: true, now });
    }

    async function round(submission: number, n: number): Promise<number> {
      return (await db.insertInto('review_rounds').values({ submission_id: submission, round: n }).returning('id').executeTakeFirstOrThrow()).id;
    }

    async function review(submission: number, roundId: number, reviewer: number, status: ReviewStatus, dates: { requested: string; submitted?: string; rating?: number }): Promise<void> {
      await db
        .insertInto('review_assignments')
        .values({
          submission_id: submission,
          review_round_id: roundId,
          reviewer_id: reviewer,
          anonymity: 'double-anonymous',
          status,
          requested_at: new Date(dates.requested),
          response_due: new Date('2026-12-01'),
          review_due: new Date('2026-12-31'),
          submitted_at: dates.submitted ? new Date(dates.submitted) : null,
          rating: dates.rating ?? null,
          link_nonce: crypto.randomUUID(),
        })
        .execute();
    }

    const search = (options: Partial<Parameters<typeof searchReviewers>[1]> = {}) => searchReviewers(db, { journalId, page: 1, limit: 25, ...options });
    const names = (rows: ReviewerCandidate[]) => rows.map((r) => r.familyName.en);
    const row = (rows: ReviewerCandidate[], key: string) => rows.find((r) => r.userId === people[key])!;

    before(async () => {
      ({ handle, db, journalId, sectionId } = await openDemoJournal(database));
      otherJournalId = await createJournal(db, { path: 'other', name: { en: 'Other' }, primaryLocale: 'en', supportedLocales: ['en'] });
      const otherSection = await createSection(db, { journalId: otherJournalId, title: { en: 'Articles' } });

      // The submission: its submitter (first contributor, from her profile) and a co-author.
      await person('author', 'Anna', 'Nowak', { affiliation: 'Uniwersytet Łódzki', reviewerOf: [] });
      submissionId = await draft();
      const publicationId = (await db.selectFrom('articles').select('current_publication_id').where('id', '=', submissionId).executeTakeFirstOrThrow()).current_publication_id!;
      await addContributors(publicationId, [{ given: 'Piotr', family: 'Zieliński', email: 'piotr@uni.example', orcid: ORCID, affiliation: { en: 'Politechnika Gdańska' } }], 2);

      await person('kaminska', 'Ewa', 'Kamińska', { affiliation: 'UNIWERSYTET LODZKI', interests: ['Migration studies', 'Memory'] });
      await person('wojcik', 'Jan', 'Wójcik', { affiliation: 'Charles University', interests: ['Climate'] });
      await person('zielinski', 'Piotr', 'Zieliński', { email: 'pz@home.example', orcid: `https://orcid.org/${ORCID}`, affiliation: 'Gdańsk University of Technology' });
      await person('lis', 'Zofia', 'Lis', { email: 'zofia@charles.example', affiliation: 'Masaryk University', interests: ['Energy'] });
      await person('gone', 'Ewa', 'Gone', { interests: ['Memory'] });
      await setDisabled(db, people.gone!, true, 'left', now);
      await person('elsewhere', 'Ewa', 'Elsewhere', { reviewerOf: [otherJournalId], interests: ['Memory'] });
      await person('reader', 'Ewa', 'Reader', { reviewerOf: [] });
      await assignRole(db, people.reader!, journalId, 'reader');

      // Jan Wójcik wrote an article of this journal with Piotr Zieliński (written without diacritics there, no address).
      await article(journalId, sectionId, 'Rivers and borders', [{ given: 'Jan', family: 'Wójcik', email: 'WOJCIK@example.org' }, { given: 'Piotr', family: 'Zielinski' }]);
      // Zofia Lis wrote with Piotr Zieliński in another journal, and with someone else in this one.
      await article(otherJournalId, otherSection, 'Elsewhere', [{ given: 'Zofia', family: 'Lis', email: 'zofia@charles.example' }, { given: 'Piotr', family: 'Zieliński', email: 'piotr@uni.example' }]);
      await article(journalId, sectionId, 'Energy in Silesia', [{ given: 'Zofia', family: 'Lis', email: 'zofia@charles.example' }, { given: 'Mary', family: 'Smith', email: 'mary@example.org' }]);

      // Ewa Kamińska's reviews for the journal: two completed (10 and 20 days, rated 4 and 5), one
      // accepted, one waiting for an answer, one declined, one cancelled; and one for another journal.
      const others = [await draft(), await draft(), await draft(), await draft(), await draft(), await draft()];
      await review(others[0]!, await round(others[0]!, 1), people.kaminska!, 'submitted', { requested: '2026-01-01T10:00:00Z', submitted: '2026-01-11T10:00:00Z', rating: 4 });
      await review(others[1]!, await round(others[1]!, 1), people.kaminska!, 'submitted', { requested: '2026-02-01T10:00:00Z', submitted: '2026-02-21T10:00:00Z', rating: 5 });
      await review(others[2]!, await round(others[2]!, 1), people.kaminska!, 'accepted', { requested: '2026-02-20T10:00:00Z' });
      await review(others[3]!, await round(others[3]!, 1), people.kaminska!, 'requested', { requested: '2026-02-25T10:00:00Z' });
      await review(others[4]!, await round(others[4]!, 1), people.kaminska!, 'declined', { requested: '2026-02-26T10:00:00Z' });
      await review(others[5]!, await round(others[5]!, 1), people.kaminska!, 'cancelled', { requested: '2026-02-27T10:00:00Z' });
      const foreign = await db.insertInto('articles').values({ journal_id: otherJournalId, locale: 'en', status: 'queued' }).returning('id').executeTakeFirstOrThrow();
      await db.insertInto('submissions').values({ id: foreign.id, journal_id: otherJournalId, submitter_id: people.author!, status: 'active', last_activity_at: now }).execute();
      await review(foreign.id, await round(foreign.id, 1), people.kaminska!, 'submitted', { requested: '2025-01-01T10:00:00Z', submitted: '2026-02-28T10:00:00Z', rating: 1 });

      // The submission is in its second round: Kamińska reviewed the first; Wójcik is asked in the second; Lis was, and cancelled.
      const first = await round(submissionId, 1);
      const second = await round(submissionId, 2);
      await review(submissionId, first, people.kaminska!, 'submitted', { requested: '2026-01-01T10:00:00Z', submitted: '2026-01-11T10:00:00Z' });
      await review(submissionId, second, people.wojcik!, 'requested', { requested: '2026-03-01T10:00:00Z' });
      await review(submissionId, second, people.lis!, 'cancelled', { requested: '2026-03-01T10:00:00Z' });
    });
    after(() => handle.close());

    it('lists only the journal’s reviewers who can sign in, sorted by name', async () => {
      const { rows, total } = await search();
      assert.deepEqual(names(rows), ['Kamińska', 'Lis', 'Wójcik', 'Zieliński']);
      assert.equal(total, 4);
    });

    it('finds reviewers by name, typed without diacritics, and by the start of a short word', async () => {
      assert.deepEqual(names((await search({ query: 'kaminska' })).rows), ['Kamińska']);
      assert.deepEqual(names((await search({ query: 'WOJC' })).rows), ['Wójcik']);
      assert.deepEqual(names((await search({ query: 'ew kam' })).rows), ['Kamińska']);
      assert.deepEqual(names((await search({ query: 'nobody' })).rows), []);
    });

    it('finds reviewers by interest, every word in one of their interests', async () => {
      assert.deepEqual(names((await search({ interest: 'migra' })).rows), ['Kamińska']);
      assert.deepEqual(names((await search({ interest: 'memory studies' })).rows), ['Kamińska']);
      assert.deepEqual(names((await search({ interest: 'CLIMATE' })).rows), ['Wójcik']);
      assert.deepEqual(names((await search({ interest: 'memory', query: 'wojcik' })).rows), []);
    });

    it('finds reviewers by affiliation, not by a word of their address', async () => {
      assert.deepEqual(names((await search({ affiliation: 'łódzki' })).rows), ['Kamińska']);
      assert.deepEqual(names((await search({ affiliation: 'charles' })).rows), ['Wójcik']);
      assert.deepEqual(names((await search({ affiliation: 'university' })).rows), ['Lis', 'Wójcik', 'Zieliński']);
    });

    it('counts each reviewer’s reviews for this journal only', async () => {
      const ewa = row((await search({ query: 'kaminska' })).rows, 'kaminska');
      assert.equal(ewa.active, 2);
      assert.equal(ewa.completed, 3);
      assert.equal(ewa.declined, 1);
      // 10, 20 and 10 days (the submission's first round).
      assert.ok(Math.abs(ewa.averageDaysToComplete! - 40 / 3) < 1e-9, String(ewa.averageDaysToComplete));
      assert.equal(ewa.lastCompletedAt?.toISOString(), '2026-02-21T10:00:00.000Z');
      assert.equal(ewa.averageRating, 4.5);
      assert.equal(ewa.ratings, 2);
      assert.deepEqual(ewa.interests, ['Memory', 'Migration studies']);
      const zofia = row((await search({ query: 'lis' })).rows, 'lis');
      assert.deepEqual({ active: zofia.active, completed: zofia.completed, days: zofia.averageDaysToComplete, last: zofia.lastCompletedAt, rating: zofia.averageRating, ratings: zofia.ratings }, { active: 0, completed: 0, days: null, last: null, rating: null, ratings: 0 });
    });

    it('sorts by fewest active reviews, then by name', async () => {
      assert.deepEqual(names((await search({ sort: 'fewest-active' })).rows), ['Lis', 'Zieliński', 'Wójcik', 'Kamińska']);
    });

    it('names each conflict with the submission’s authors, and none where there is none', async () => {
      const { rows } = await search({ submissionId });
      assert.deepEqual(row(rows, 'kaminska').conflicts, [{ kind: 'same-affiliation', detail: 'Uniwersytet Łódzki (Anna Nowak)' }]);
      assert.deepEqual(row(rows, 'wojcik').conflicts, [{ kind: 'co-author', detail: 'Piotr Zielinski: Rivers and borders' }]);
      assert.deepEqual(row(rows, 'zielinski').conflicts, [{ kind: 'author', detail: 'Piotr Zieliński' }]);
      assert.deepEqual(row(rows, 'lis').conflicts, []);
      // Without a submission, nothing to conflict with.
      assert.ok((await search()).rows.every((r) => r.conflicts.length === 0 && !r.alreadyRequested));
    });

    it('finds the submitter as an author when she reviews for the journal', async () => {
      await assignRole(db, people.author!, journalId, 'reviewer');
      try {
        const anna = row((await search({ submissionId, query: 'nowak' })).rows, 'author');
        assert.deepEqual(anna.conflicts, [{ kind: 'author', detail: 'Anna Nowak' }]);
      } finally {
        await db.deleteFrom('role_assignments').where('user_id', '=', people.author!).where('role', '=', 'reviewer').execute();
      }
    });

    it('says who is already asked in the current round (not a cancelled request, not an earlier round)', async () => {
      const { rows } = await search({ submissionId });
      assert.deepEqual(
        rows.filter((r) => r.alreadyRequested).map((r) => r.familyName.en),
        ['Wójcik'],
      );
      // A submission of another journal is not looked at.
      const elsewhere = await search({ submissionId, journalId: otherJournalId });
      assert.ok(elsewhere.rows.every((r) => r.conflicts.length === 0 && !r.alreadyRequested));
    });

    it('pages through the results and still counts them past the end', async () => {
      const first = await search({ limit: 2, page: 1 });
      const second = await search({ limit: 2, page: 2 });
      const past = await search({ limit: 2, page: 3 });
      assert.deepEqual([names(first.rows), names(second.rows), names(past.rows)], [['Kamińska', 'Lis'], ['Wójcik', 'Zieliński'], []]);
      assert.deepEqual([first.total, second.total, past.total], [4, 4, 4]);
    });

    it('takes any text safely: very long, wildcards, odd pages; at most 50 a page', async () => {
      assert.deepEqual((await search({ query: 'x'.repeat(100_000), interest: 'y'.repeat(10_000), affiliation: 'z'.repeat(10_000) })).rows, []);
      assert.deepEqual(names((await search({ query: '%' })).rows), []);
      assert.deepEqual(names((await search({ query: '_a%' })).rows), []);
      assert.deepEqual(names((await search({ page: -3, limit: 0 })).rows), ['Kamińska']);
      await sql`
        WITH made AS (
          INSERT INTO users (email, given_name, family_name) SELECT 'many' || i || '@example.org', '{"en": "Many"}', jsonb_build_object('en', 'Reviewer ' || lpad(i::text, 3, '0')) FROM generate_series(1, 60) AS i RETURNING id
        ) INSERT INTO role_assignments (user_id, journal_id, role) SELECT id, ${journalId}::int, 'reviewer' FROM made`.execute(db);
      const many = await search({ limit: 1000 });
      assert.equal(many.rows.length, 50);
      assert.equal(many.total, 64);
    });
  });
}
