import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { testDatabases } from '../../test/support/databases.ts';
import { startCrossref } from '../../test/support/crossref.ts';
import { manualClock } from '../../test/support/session.ts';
import { createCrossrefClient } from './crossref-client.ts';
import { checkSubmittedDeposits, DEPOSIT_JOB, MAX_ATTEMPTS, queueDeposits, requeueChanged, type DepositContext, type DepositOutcome } from './deposits.ts';
import { depositJobs } from './deposit-jobs.ts';
import { runJobsUntilIdle } from '../platform/jobs/index.ts';
import { assignMissingDois } from './doi.ts';
import { publishNewVersion } from '../catalog/index.ts';

/** What a worker does with the deposit jobs due by the test's clock; how each deposit ended. */
async function sendQueuedDeposits(ctx: DepositContext): Promise<DepositOutcome[]> {
  const outcomes: DepositOutcome[] = [];
  const handlers = depositJobs({ client: ctx.client, baseUrl: ctx.baseUrl, onOutcome: (o) => outcomes.push(o) }).filter((h) => h.kind === DEPOSIT_JOB);
  await runJobsUntilIdle(ctx.db, handlers, { clock: ctx.clock });
  return outcomes;
}

for (const database of await testDatabases()) {
  describe(`Crossref deposits on ${database.name}`, () => {
    let t: TestApp;
    let crossref: Awaited<ReturnType<typeof startCrossref>>;
    let ctx: DepositContext;
    const clock = manualClock(new Date('2026-03-01T10:00:00Z'));
    const status = async () => t.database.db.selectFrom('crossref_deposits').selectAll().where('article_id', '=', 1786).executeTakeFirstOrThrow();

    before(async () => {
      t = await startTestApp(database);
      crossref = await startCrossref();
      await t.database.db.updateTable('journals').set({ doi_prefix: '10.5555', crossref_username: 'sm-user', crossref_password: 'sm-secret', crossref_depositor_email: 'office@example.org', publisher: 'PISM' }).where('path', '=', 'sm').execute();
      const assigned = await assignMissingDois(t.database.db, 1);
      assert.deepEqual(assigned.assigned, [{ articleId: 1786, doi: '10.5555/sm.v74i4.1786' }]);
      // Long enough for a loaded machine to answer a deposit; the test of a server that never answers waits this once.
      ctx = { db: t.database.db, client: createCrossrefClient({ baseUrl: crossref.url, timeoutMs: 2000 }), clock, baseUrl: 'http://localhost:3000' };
    });
    after(async () => {
      await crossref.close();
      await t.close();
    });

    it('deposits the demo article, and registers it only when the submission log says Success', async () => {
      assert.deepEqual((await queueDeposits(ctx, 1)).queued, [1786]);
      assert.equal((await status()).status, 'queued');
      const sent = await sendQueuedDeposits(ctx);
      assert.deepEqual(sent.map((s) => s.status), ['submitted']);
      const arrived = crossref.state.deposits[0]!;
      assert.equal(arrived.operation, 'doMDUpload');
      assert.equal((arrived.xml.match(/<citation /g) ?? []).length, 42, 'the reference list goes to Crossref');
      const file = path.join(os.tmpdir(), `crossref-${process.pid}.xml`);
      fs.writeFileSync(file, arrived.xml);
      execFileSync('xmllint', ['--noout', '--nonet', '--schema', path.resolve('../shared/schemas/crossref/crossref5.3.1.xsd'), file], { stdio: 'pipe' });
      fs.rmSync(file);
      crossref.state.log = 'queued';
      await checkSubmittedDeposits(ctx);
      assert.equal((await status()).status, 'submitted', 'still being processed: not registered yet');
      crossref.state.log = 'Success';
      await checkSubmittedDeposits(ctx);
      const done = await status();
      assert.equal(done.status, 'registered');
      assert.equal(done.message, 'Successfully added');
      assert.deepEqual((await queueDeposits(ctx, 1)).unchanged, [1786], 'unchanged metadata is not sent again');
    });

    it('sends again after a metadata change, and keeps Crossref’s failure message', async () => {
      // The registration was stamped with the manual clock (2026); the change is stamped now, later.
      await t.database.db.updateTable('crossref_deposits').set({ updated_at: new Date('2020-01-01') }).where('article_id', '=', 1786).execute();
      assert.deepEqual(await requeueChanged(ctx), [], 'nothing changed: nothing queued again');
      await t.database.db.updateTable('publications').set({ pages: '101-120' }).where('article_id', '=', 1786).execute();
      assert.deepEqual(await requeueChanged(ctx), [1786], 'the change is noticed without anyone asking');
      await sendQueuedDeposits(ctx);
      crossref.state.log = 'Failure';
      await checkSubmittedDeposits(ctx);
      const failed = await status();
      assert.equal(failed.status, 'failed');
      assert.match(failed.message!, /previously submitted version/);
      crossref.state.log = 'Success';
    });

    it('marks a refused login as failed at once, without retrying', async () => {
      crossref.state.mode = 'unauthorized';
      await t.database.db.updateTable('publications').set({ pages: '1-20' }).where('article_id', '=', 1786).execute();
      await queueDeposits(ctx, 1);
      const [outcome] = await sendQueuedDeposits(ctx);
      assert.equal(outcome!.status, 'failed');
      assert.match(outcome!.message!, /refused the login \(401\)/);
      assert.doesNotMatch(outcome!.message!, /sm-secret/);
      crossref.state.mode = 'ok';
    });

    it('retries network failures with growing waits, then gives up; nothing is registered meanwhile', async () => {
      await t.database.db.updateTable('publications').set({ pages: '2-21' }).where('article_id', '=', 1786).execute();
      await queueDeposits(ctx, 1);
      crossref.state.mode = 'timeout';
      const first = await sendQueuedDeposits(ctx);
      assert.equal(first[0]!.status, 'queued');
      assert.match(first[0]!.message!, /did not answer within 2 s/);
      const waiting = await status();
      assert.equal(waiting.attempts, 1);
      assert.equal(waiting.next_attempt_at!.getTime() - clock.now().getTime(), 60_000);
      assert.deepEqual(await sendQueuedDeposits(ctx), [], 'not due yet');
      crossref.state.mode = 'server-error';
      for (let attempt = 2; attempt <= MAX_ATTEMPTS; attempt++) {
        clock.advance(7 * 3600_000);
        const [outcome] = await sendQueuedDeposits(ctx);
        assert.equal(outcome!.status, attempt < MAX_ATTEMPTS ? 'queued' : 'failed', `attempt ${attempt}`);
      }
      const gaveUp = await status();
      assert.equal(gaveUp.status, 'failed');
      assert.match(gaveUp.message!, /Crossref answered 503/);
      crossref.state.mode = 'ok';
      await queueDeposits(ctx, 1);
      clock.advance(1000);
      assert.deepEqual((await sendQueuedDeposits(ctx)).map((o) => o.status), ['submitted'], 'a new attempt after fixing things goes through');
    });

    it('refuses an upload Crossref does not accept', async () => {
      crossref.state.mode = 'rejected';
      await t.database.db.updateTable('publications').set({ pages: '3-22' }).where('article_id', '=', 1786).execute();
      await queueDeposits(ctx, 1);
      const [outcome] = await sendQueuedDeposits(ctx);
      assert.equal(outcome!.status, 'failed');
      assert.match(outcome!.message!, /FAILURE The file is not well-formed/);
      crossref.state.mode = 'ok';
    });

    it('tells Crossref the full texts, that the article is free to read, and an ORCID iD as authenticated only when it was proved', async () => {
      const db = t.database.db;
      const publication = await db.selectFrom('publications').select('id').where('article_id', '=', 1786).executeTakeFirstOrThrow();
      const file = await db.insertInto('files').values({ storage_key: 'ab/cd/1786-en.pdf', mime_type: 'application/pdf', size_bytes: 1000, sha256: 'a'.repeat(64), original_name: '1786-en.pdf' }).returning('id').executeTakeFirstOrThrow();
      const pdf = await db.insertInto('galleys').values({ publication_id: publication.id, label: 'PDF', locale: 'en', file_id: file.id, remote_url: null, url_path: null }).returning('id').executeTakeFirstOrThrow();
      const remote = await db.insertInto('galleys').values({ publication_id: publication.id, label: 'Repository', locale: 'en', file_id: null, remote_url: 'https://repository.example.org/1786.pdf', url_path: null }).returning('id').executeTakeFirstOrThrow();
      await db.updateTable('contributors').set({ given_name: JSON.stringify({ en: 'Anna' }), family_name: JSON.stringify({ en: 'Kowalska' }), orcid: 'https://orcid.org/0000-0002-1825-0097', orcid_authenticated: true }).where('publication_id', '=', publication.id).execute();
      await db.updateTable('crossref_deposits').set({ status: 'failed' }).where('article_id', '=', 1786).execute();
      await queueDeposits(ctx, 1);
      clock.advance(1000);
      assert.deepEqual((await sendQueuedDeposits(ctx)).map((o) => o.status), ['submitted']);
      const xml = crossref.state.deposits.at(-1)!.xml;
      const saved = path.join(os.tmpdir(), `crossref-full-${process.pid}.xml`);
      fs.writeFileSync(saved, xml);
      execFileSync('xmllint', ['--noout', '--nonet', '--schema', path.resolve('../shared/schemas/crossref/crossref5.3.1.xsd'), saved], { stdio: 'pipe' });
      fs.rmSync(saved);
      assert.match(xml, /<ORCID authenticated="true">https:\/\/orcid.org\/0000-0002-1825-0097<\/ORCID>/);
      const download = (id: number) => `http://localhost:3000/sm/article/download/1786/${id}`;
      assert.ok(new RegExp(`<collection property="crawler-based">\\s*<item crawler="iParadigms">\\s*<resource>${download(pdf.id)}</resource>`).test(xml), xml);
      assert.ok(xml.includes(`<resource mime_type="application/pdf">${download(pdf.id)}</resource>`), xml);
      assert.ok(xml.includes(`<resource>${download(remote.id)}</resource>`), 'the remote galley is listed for text mining, without a type');
      assert.match(xml, /<ai:program name="AccessIndicators">\s*<ai:free_to_read\/>/);

      // The database keeps the claim honest: a changed or removed iD is no longer authenticated.
      const flag = async () => (await db.selectFrom('contributors').select(['orcid', 'orcid_authenticated']).where('publication_id', '=', publication.id).executeTakeFirstOrThrow()).orcid_authenticated;
      await db.updateTable('contributors').set({ affiliation: JSON.stringify({ en: 'University of Warsaw' }) }).where('publication_id', '=', publication.id).execute();
      assert.equal(await flag(), true, 'another edit keeps it');
      await db.updateTable('contributors').set({ orcid: 'https://orcid.org/0000-0001-5109-3700' }).where('publication_id', '=', publication.id).execute();
      assert.equal(await flag(), false, 'a typed new iD is not authenticated');
      await db.updateTable('contributors').set({ orcid: null, orcid_authenticated: true }).where('publication_id', '=', publication.id).execute();
      assert.equal(await flag(), false, 'no iD, nothing authenticated');
      await db.updateTable('contributors').set({ orcid: 'https://orcid.org/0000-0001-5109-3700' }).where('publication_id', '=', publication.id).execute();
      const requeued = await queueDeposits(ctx, 1);
      clock.advance(1000);
      const sent = await sendQueuedDeposits(ctx);
      assert.deepEqual([requeued.queued, sent.map((o) => o.status)], [[1786], ['submitted']], JSON.stringify(sent));
      assert.match(crossref.state.deposits.at(-1)!.xml, /<ORCID authenticated="false">https:\/\/orcid.org\/0000-0001-5109-3700<\/ORCID>/);
    });

    it('a new version of the article keeps an authenticated iD and an organisation credited as one', async () => {
      const db = t.database.db;
      const old = await db.selectFrom('publications').selectAll().where('article_id', '=', 1786).orderBy('version', 'desc').executeTakeFirstOrThrow();
      await db.updateTable('contributors').set({ orcid_authenticated: true }).where('publication_id', '=', old.id).execute();
      await db.insertInto('contributors').values({ publication_id: old.id, given_name: JSON.stringify({ en: 'Research Group on Economic Statecraft' }), family_name: '{}', affiliation: '{}', ror_id: null, email: null, orcid: null, country: null, seq: 1, contributor_type: 'ORGANIZATION' }).execute();
      const metadata = { title: old.title, subtitle: old.subtitle, abstract: old.abstract, keywords: old.keywords, pages: '6-25', sectionId: old.section_id, licenseUrl: old.license_url, doi: old.doi };
      const created = await publishNewVersion(db, 1786, metadata);
      const copied = await db.selectFrom('contributors').select(['orcid_authenticated', 'contributor_type']).where('publication_id', '=', created).orderBy('seq').execute();
      assert.deepEqual(copied, [{ orcid_authenticated: true, contributor_type: null }, { orcid_authenticated: false, contributor_type: 'ORGANIZATION' }]);
      await queueDeposits(ctx, 1);
      clock.advance(1000);
      assert.deepEqual((await sendQueuedDeposits(ctx)).map((o) => o.status), ['submitted']);
      const xml = crossref.state.deposits.at(-1)!.xml;
      assert.match(xml, /<ORCID authenticated="true">/);
      assert.match(xml, /<organization sequence="additional" contributor_role="author">Research Group on Economic Statecraft<\/organization>/);
    });

    it('deposits from the journal contact, and with no address of the journal refuses, saying what to set', async () => {
      const db = t.database.db;
      await db.updateTable('journals').set({ crossref_depositor_email: null, crossref_depositor_name: null, contact_name: 'Anna Redaktor', contact_email: 'redakcja@example.org' }).where('path', '=', 'sm').execute();
      await db.updateTable('publications').set({ pages: '4-23' }).where('article_id', '=', 1786).execute();
      await queueDeposits(ctx, 1);
      clock.advance(1000);
      assert.deepEqual((await sendQueuedDeposits(ctx)).map((o) => o.status), ['submitted']);
      assert.match(crossref.state.deposits.at(-1)!.xml, /<depositor>\s*<depositor_name>Anna Redaktor<\/depositor_name>\s*<email_address>redakcja@example.org<\/email_address>/);

      const before = crossref.state.deposits.length;
      await db.updateTable('journals').set({ contact_email: null }).where('path', '=', 'sm').execute();
      await db.updateTable('publications').set({ pages: '5-24' }).where('article_id', '=', 1786).execute();
      await queueDeposits(ctx, 1);
      clock.advance(1000);
      const [outcome] = await sendQueuedDeposits(ctx);
      assert.equal(outcome!.status, 'failed');
      assert.match(outcome!.message!, /the journal sm has no e-mail address for Crossref's reports: set its contact/);
      assert.equal(crossref.state.deposits.length, before, 'nothing was sent');
    });
  });
}
