import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Kysely } from 'kysely';
import { assignRole, insertUser } from '../../accounts/index.ts';
import { addGalley, createIssue, moveArticle, publishIssue } from '../../catalog/index.ts';
import type { Database } from '../../db/index.ts';
import { DEMO_JOURNAL_PATH } from '../../demo/index.ts';
import { createCrossrefClient, depositJobs } from '../../exports/index.ts';
import { createMailer, type Mailer } from '../../mail/index.ts';
import { runJobsUntilIdle } from '../../platform/jobs/index.ts';
import { buildSubscriptions } from '../../subscribers.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { startCrossref } from '../../../test/support/crossref.ts';
import { testDatabases } from '../../../test/support/databases.ts';
import { startSmtpListener, type ReceivedMail } from '../../../test/support/smtp.ts';
import { assignParticipant } from '../commands/participants.ts';
import { addSubmissionFile, changeSubmissionContributors, createDraft, saveSubmissionDetails, submitSubmission } from '../commands/submissions.ts';
import { recordDecision } from '../review/commands/decisions.ts';
import { PublishingError } from './errors.ts';
import { publishSubmission } from './publishing.ts';
import { readiness, type ReadinessFacts } from './readiness.ts';
import { publishAtJobs, schedulePublication, unschedulePublication } from './scheduling.ts';

const HOUR = 3600_000;
// Jobs queued by the commands run at the real time: the controlled clock starts after it and only moves on.
const T = new Date(Math.ceil(Date.now() / HOUR) * HOUR + HOUR);
const J = DEMO_JOURNAL_PATH;

describe('readiness (pure)', () => {
  const complete: ReadinessFacts = {
    locale: 'en',
    title: { en: 'Rivers' },
    abstract: { en: '<p>About rivers.</p>' },
    licenseUrl: 'https://creativecommons.org/licenses/by/4.0/',
    doi: null,
    pages: null,
    articleNumber: 'e12',
    contributors: [{ givenName: { en: 'Anna' }, familyName: { en: 'Nowak' } }],
    galleys: 1,
    journal: { doiPrefix: '10.5555', onlineIssn: null, printIssn: '1234-5679' },
    placed: true,
  };
  it('is ready with everything indexers need (a DOI prefix stands for the DOI, an article number for pages)', () => {
    assert.deepEqual(readiness(complete), { blocking: [], warnings: [], ready: true });
  });
  it('blocks on a missing title, an author without a name in the submission’s language, or no galley', () => {
    const result = readiness({ ...complete, title: { pl: 'Rzeki' }, contributors: [complete.contributors[0]!, { givenName: { pl: 'Jan' }, familyName: {} }], galleys: 0 });
    assert.deepEqual(result, { blocking: ['title', 'author-names', 'galley'], warnings: [], ready: false });
    assert.deepEqual(readiness({ ...complete, contributors: [] }).blocking, ['authors']);
  });
  it('warns (without blocking) of a missing abstract, licence, DOI, pages, ISSN and issue', () => {
    const result = readiness({ ...complete, abstract: { en: '<p> </p>' }, licenseUrl: null, journal: { doiPrefix: null, onlineIssn: null, printIssn: null }, articleNumber: null, placed: false });
    assert.deepEqual(result, { blocking: [], warnings: ['abstract', 'license', 'doi', 'pages', 'issn', 'issue'], ready: true });
  });
});

for (const database of await testDatabases()) {
  describe(`scheduling and publishing on ${database.name}`, () => {
    let t: TestApp;
    let db: Kysely<Database>;
    let smtp: Awaited<ReturnType<typeof startSmtpListener>>;
    let crossref: Awaited<ReturnType<typeof startCrossref>>;
    let mailer: Mailer;
    let journalId: number;
    let sectionId: number;
    let future: number;
    const people: Record<string, number> = {};

    /** The worker at `at`: events' subscribers, publications due, Crossref deposits (to the fake Crossref), mail. */
    async function work(at: Date): Promise<ReceivedMail[]> {
      const client = createCrossrefClient({ baseUrl: crossref.url, timeoutMs: 5000 });
      const handlers = [...buildSubscriptions({ crossref: client, baseUrl: 'http://localhost:3000' }).jobHandlers(), ...mailer.jobs, ...publishAtJobs(), ...depositJobs({ client, baseUrl: 'http://localhost:3000' })];
      const run = await runJobsUntilIdle(db, handlers, { clock: { now: () => at } });
      assert.equal(run.failed, 0);
      return smtp.received.splice(0);
    }

    async function person(name: string, role: 'editor' | null): Promise<number> {
      const user = await insertUser(db, { email: `${name}@example.org`, givenName: { en: name }, familyName: { en: 'Tester' }, affiliation: {}, orcid: null, country: null, preferredLocale: 'en', privacyConsentAt: T }, null);
      if (role) await assignRole(db, user!.id, journalId, role);
      people[name] = user!.id;
      return user!.id;
    }

    /** An accepted submission by `author`, with an author's name and (unless `galley: false`) a galley. */
    async function accepted(title: string, options: { galley?: boolean } = {}): Promise<number> {
      const id = await createDraft(db, { journalId, userId: people.author!, sectionId, locale: 'en', commentsForEditor: '', checklistConfirmed: true, agreementsAccepted: true, now: T });
      await addSubmissionFile(db, { journalId, submissionId: id, userId: people.author!, kind: 'article', upload: { storageKey: `ab/${crypto.randomUUID()}`, sizeBytes: 10, sha256: 'd'.repeat(64), mimeType: 'application/pdf', originalName: 'a.pdf' }, now: T });
      await saveSubmissionDetails(db, journalId, id, people.author!, { prefix: {}, title: { en: title }, subtitle: {}, abstract: { en: `About ${title}.` }, keywords: {} }, T);
      await changeSubmissionContributors(db, journalId, id, people.author!, { op: 'add', fields: { givenName: { en: 'Anna' }, familyName: { en: 'Nowakowska' }, email: 'author@example.org', orcid: null, affiliations: [], isPrimaryContact: true, includeInBrowse: true } }, T);
      await submitSubmission(db, journalId, id, people.author!, T);
      await assignParticipant(db, { journalId, submissionId: id, userId: people.editor!, role: 'editor', recommendOnly: false, assignedBy: people.editor!, now: T });
      await recordDecision(db, { journalId, submissionId: id, decision: 'accept', editorId: people.editor!, recommendOnly: false, now: T });
      if (options.galley !== false) await addGalley(db, id, { label: 'PDF', locale: 'en', remoteUrl: 'https://example.org/rivers.pdf' }, null);
      return id;
    }

    const state = async (id: number) => {
      const row = await db
        .selectFrom('submissions as s')
        .innerJoin('articles as a', 'a.id', 's.id')
        .innerJoin('publications as p', 'p.id', 'a.current_publication_id')
        .leftJoin('publication_schedules as ps', 'ps.publication_id', 'p.id')
        .select(['s.status as submission', 'a.status as article', 'p.status as publication', 'p.issue_id', 'p.date_published', 'p.doi', 'ps.mode', 'ps.issue_id as collects'])
        .where('s.id', '=', id)
        .executeTakeFirstOrThrow();
      return { ...row, date_published: row.date_published === null ? null : String(row.date_published).slice(0, 10) };
    };
    const get = (url: string) => t.app.inject({ method: 'GET', url });

    before(async () => {
      smtp = await startSmtpListener();
      crossref = await startCrossref();
      t = await startTestApp(database, { mailer: (h) => (mailer = createMailer(h.db, { smtpUrl: smtp.url, from: 'Revista <noreply@localhost>' })) });
      db = t.database.db;
      const journal = await db.selectFrom('journals').select('id').where('path', '=', J).executeTakeFirstOrThrow();
      journalId = journal.id;
      sectionId = (await db.selectFrom('sections').select('id').where('journal_id', '=', journalId).orderBy('id').executeTakeFirstOrThrow()).id;
      await db.updateTable('journals').set({ doi_prefix: '10.5555', crossref_username: 'sm-user', crossref_password: 'sm-secret', crossref_depositor_email: 'office@example.org', publisher: 'PISM' }).where('id', '=', journalId).execute();
      future = await createIssue(db, { journalId, volume: 75, number: '1', year: 2027 });
      await person('author', null);
      await person('editor', 'editor');
    });
    after(async () => {
      await t.close();
      await smtp.close();
      await crossref.close();
    });

    it('refuses to publish what blocks (no galley), and a submission not yet accepted', async () => {
      const id = await accepted('Without a galley', { galley: false });
      await assert.rejects(publishSubmission(db, { journalId, submissionId: id, userId: people.editor!, now: T }), (e: unknown) => e instanceof PublishingError && e.code === 'not-ready' && e.details.join() === 'galley');
      assert.equal((await state(id)).publication, 'queued');
    });

    it('continuous publication: published online now with its own date, outside issues, and collected by its issue later (date kept)', async () => {
      const id = await accepted('Online first rivers');
      const result = await schedulePublication(db, { journalId, submissionId: id, userId: people.editor!, now: T, choice: { mode: 'online-first', issueId: future } });
      assert.equal(result.status, 'published');
      const today = T.toISOString().slice(0, 10);
      const { doi, ...published } = await state(id);
      assert.deepEqual(published, { submission: 'published', article: 'published', publication: 'published', issue_id: null, date_published: today, mode: 'online-first', collects: future });
      assert.match(doi ?? '', /^10\.5555\/sm\./, 'the DOI is given on publishing');
      const page = await get(`/${J}/article/view/${id}`);
      assert.equal(page.statusCode, 200, 'readers see it although its issue is not published');
      assert.match(page.body, /Online first rivers/);
      const mails = await work(T);
      const toAuthor = mails.filter((m) => m.envelopeTo.includes('author@example.org') && m.subject.includes('Published'));
      assert.equal(toAuthor.length, 1, 'the author is told, once');
      assert.match(toAuthor[0]!.subject, /Published: Online first rivers/);
      assert.match(toAuthor[0]!.text, new RegExp(`http://localhost:3000/${J}/article/view/${id}`));
      assert.match(toAuthor[0]!.text, /https:\/\/doi\.org\/10\.5555\//);
      // The Crossref deposit was queued by PublicationPublished and sent by the worker: valid against 5.3.1.
      const deposit = await db.selectFrom('crossref_deposits').select(['status', 'doi']).where('article_id', '=', id).executeTakeFirstOrThrow();
      assert.equal(deposit.status, 'submitted');
      const xml = crossref.state.deposits.find((d) => d.xml.includes(deposit.doi))?.xml;
      assert.ok(xml, 'the deposit reached Crossref');
      assert.match(xml, /Online first rivers/);
      const file = path.join(os.tmpdir(), `publishing-crossref-${process.pid}.xml`);
      fs.writeFileSync(file, xml);
      try {
        execFileSync('xmllint', ['--noout', '--nonet', '--schema', path.resolve(import.meta.dirname, '../../../../shared/schemas/crossref/crossref5.3.1.xsd'), file], { stdio: 'pipe' });
      } finally {
        fs.rmSync(file);
      }

      await publishIssue(db, { journalId, issueId: future, date: '2027-03-01', makeCurrent: false });
      const collected = await state(id);
      assert.equal(collected.issue_id, future, 'the issue collects it');
      assert.equal(collected.date_published, today, 'with its own date kept');
      await work(T);
      assert.equal((await state(id)).mode, null, 'the fulfilled schedule is forgotten');
      await db.updateTable('issues').set({ is_published: false }).where('id', '=', future).execute();
    });

    it('into a future issue: scheduled, and published with the issue; a manuscript in progress placed in the issue is not', async () => {
      const issue = await createIssue(db, { journalId, volume: 75, number: '2', year: 2027 });
      const id = await accepted('Scheduled rivers');
      const inProgress = await accepted('Unfinished rivers');
      await moveArticle(db, inProgress, { issueId: issue, sectionId });
      assert.deepEqual((await schedulePublication(db, { journalId, submissionId: id, userId: people.editor!, now: T, choice: { mode: 'issue', issueId: issue } })).status, 'scheduled');
      const waiting = await state(id);
      assert.deepEqual([waiting.submission, waiting.article, waiting.publication, waiting.issue_id, waiting.mode], ['scheduled', 'scheduled', 'scheduled', issue, 'issue']);
      assert.equal((await get(`/${J}/article/view/${id}`)).statusCode, 404, 'not on the reader site before its issue');
      await publishIssue(db, { journalId, issueId: issue, date: '2027-06-01', makeCurrent: false });
      const published = await state(id);
      assert.deepEqual([published.publication, published.article, published.date_published], ['published', 'published', '2027-06-01']);
      const unfinished = await state(inProgress);
      assert.deepEqual([unfinished.publication, unfinished.article, unfinished.submission], ['queued', 'queued', 'active'], 'a manuscript in progress stays unpublished');
      assert.equal((await get(`/${J}/article/view/${inProgress}`)).statusCode, 404);
      const mails = await work(T);
      assert.equal((await state(id)).submission, 'published', 'the workflow follows its issue');
      assert.equal((await state(id)).mode, null);
      assert.ok(mails.some((m) => m.envelopeTo.includes('author@example.org') && /Published: Scheduled rivers/.test(m.subject)), 'and its author is told');
    });

    it('into the current (published) issue: published now, in it', async () => {
      const current = (await db.selectFrom('issues').select('id').where('journal_id', '=', journalId).where('is_current', '=', true).executeTakeFirstOrThrow()).id;
      const id = await accepted('Current rivers');
      const result = await schedulePublication(db, { journalId, submissionId: id, userId: people.editor!, now: T, choice: { mode: 'issue', issueId: current } });
      assert.equal(result.status, 'published');
      const row = await state(id);
      assert.deepEqual([row.submission, row.publication, row.issue_id, row.mode], ['published', 'published', current, null]);
      assert.equal((await get(`/${J}/article/view/${id}`)).statusCode, 200);
      await work(T);
    });

    it('at a chosen moment: a job publishes it then, and a schedule changed meanwhile needs no clean-up', async () => {
      const id = await accepted('Timed rivers');
      const first = new Date(T.getTime() + 2 * HOUR);
      const second = new Date(T.getTime() + 5 * HOUR);
      await schedulePublication(db, { journalId, submissionId: id, userId: people.editor!, now: T, choice: { mode: 'at', at: first, issueId: null } });
      await assert.rejects(schedulePublication(db, { journalId, submissionId: id, userId: people.editor!, now: T, choice: { mode: 'at', at: new Date(T.getTime() - HOUR), issueId: null } }), (e: unknown) => e instanceof PublishingError && e.code === 'date-invalid');
      await schedulePublication(db, { journalId, submissionId: id, userId: people.editor!, now: T, choice: { mode: 'at', at: second, issueId: null } });
      assert.deepEqual([(await state(id)).submission, (await state(id)).mode], ['scheduled', 'at']);
      await work(new Date(first.getTime() + 1000));
      assert.equal((await state(id)).publication, 'scheduled', 'the job for the old moment does nothing');
      await work(new Date(second.getTime() + 1000));
      const row = await state(id);
      assert.deepEqual([row.submission, row.publication, row.issue_id, row.date_published], ['published', 'published', null, second.toISOString().slice(0, 10)]);
      assert.equal((await get(`/${J}/article/view/${id}`)).statusCode, 200);

      const cancelled = await accepted('Cancelled rivers');
      const at = new Date(T.getTime() + 7 * HOUR);
      await schedulePublication(db, { journalId, submissionId: cancelled, userId: people.editor!, now: T, choice: { mode: 'at', at, issueId: null } });
      await unschedulePublication(db, { journalId, submissionId: cancelled, now: T });
      await work(new Date(at.getTime() + 1000));
      const back = await state(cancelled);
      assert.deepEqual([back.submission, back.publication, back.mode], ['active', 'queued', null], 'unscheduled: back in production, and its job did nothing');
    });

    it('a published submission is on the article page, in OAI ListRecords, the sitemap, the Atom feed and search', async () => {
      const id = await accepted('Glaciers of Svalbard');
      await publishSubmission(db, { journalId, submissionId: id, userId: people.editor!, now: T, issueId: null });
      await t.changes.sync();
      assert.match((await get(`/${J}/article/view/${id}`)).body, /Glaciers of Svalbard/);
      assert.match((await get(`/${J}/oai?verb=ListRecords&metadataPrefix=oai_dc`)).body, /Glaciers of Svalbard/);
      assert.match((await get(`/${J}/sitemap.xml`)).body, new RegExp(`/${J}/article/view/${id}<`));
      assert.match((await get(`/${J}/feed/atom`)).body, /Glaciers of Svalbard/);
      // Search follows through its index job (queued by the catalog's triggers; the app's worker runs it).
      let found = false;
      for (let i = 0; i < 80 && !found; i++) {
        found = (await get(`/${J}/search/search?query=Svalbard`)).body.includes(`/${J}/article/view/${id}`);
        if (!found) await new Promise((r) => setTimeout(r, 250));
      }
      assert.ok(found, 'search finds it within seconds');
      await work(T);
    });
  });
}
