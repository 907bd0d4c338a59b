import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createCrossrefClient, depositJobs, queueDeposits } from '../exports/index.ts';
import { assignMissingDois } from '../exports/doi.ts';
import { runJobsUntilIdle } from '../platform/jobs/index.ts';
import { startTestApp, visibleText, type TestApp } from '../../test/support/app.ts';
import { startCrossref } from '../../test/support/crossref.ts';
import { testDatabases } from '../../test/support/databases.ts';
import { Session, signedInAs } from '../../test/support/session.ts';

/** Starts at the real time (the retry queues the job for "now"), moved by the test. */
function movableClock() {
  let offset = 0;
  return { now: () => new Date(Date.now() + offset), advance: (ms: number) => void (offset += ms) };
}

for (const database of await testDatabases()) {
  describe(`failed jobs in site administration on ${database.name}`, () => {
    let t: TestApp;
    let crossref: Awaited<ReturnType<typeof startCrossref>>;
    let admin: Session;

    before(async () => {
      t = await startTestApp(database);
      crossref = await startCrossref();
      await t.database.db.updateTable('journals').set({ doi_prefix: '10.5555', crossref_username: 'sm-user', crossref_password: 'sm-secret', crossref_depositor_email: 'office@example.org' }).where('path', '=', 'sm').execute();
      await assignMissingDois(t.database.db, 1);
      admin = await signedInAs(t.app, t.database.db, { email: 'admin@example.org', role: 'admin' });
    });
    after(async () => {
      await crossref.close();
      await t.close();
    });

    it('lists a job that failed three times with its error, and runs it again on retry', async () => {
      const db = t.database.db;
      const clock = movableClock();
      const handlers = depositJobs({ client: createCrossrefClient({ baseUrl: crossref.url, timeoutMs: 2000 }), baseUrl: 'http://localhost:3000' });
      await queueDeposits({ db, client: createCrossrefClient({ baseUrl: crossref.url }), clock, baseUrl: 'http://localhost:3000' }, 1);
      // This deposit may try three times (deposits get five by default).
      await db.updateTable('jobs').set({ max_attempts: 3 }).where('kind', '=', 'crossref.deposit').execute();
      crossref.state.mode = 'server-error';
      for (let attempt = 1; attempt <= 3; attempt++) {
        const page = visibleText((await admin.get('/admin/jobs')).body);
        assert.match(page, /No job has failed/, `not failed while tries are left (before try ${attempt})`);
        await runJobsUntilIdle(db, handlers, { clock });
        clock.advance(3 * 3600_000);
      }
      assert.equal(crossref.state.deposits.length, 0);

      const listed = await admin.get('/admin/jobs');
      assert.equal(listed.statusCode, 200);
      const text = visibleText(listed.body);
      assert.match(text, /crossref\.deposit/);
      assert.match(text, /article 1786: Crossref answered 503/);
      assert.match(listed.body, /<td>3<\/td>/, 'three tries');
      assert.ok(listed.body.includes('href="/admin/jobs"'), 'the site admin menu links the page');
      const id = /action="\/admin\/jobs\/(\d+)\/retry"/.exec(listed.body)?.[1];
      assert.ok(id, 'a retry button');

      assert.equal((await admin.post(`/admin/jobs/${id}/retry`, { _csrf: 'forged' })).statusCode, 403, 'a retry needs the form’s token');
      const anonymous = await new Session(t.app).get('/admin/jobs');
      assert.notEqual(anonymous.statusCode, 200, 'only the site administrator sees failed jobs');

      crossref.state.mode = 'ok';
      await admin.get('/admin/jobs');
      const retried = await admin.post(`/admin/jobs/${id}/retry`);
      assert.equal(retried.statusCode, 303);
      assert.equal(retried.headers.location, '/admin/jobs?notice=queued');
      const after = visibleText((await admin.get('/admin/jobs?notice=queued')).body);
      assert.match(after, /The job is queued again/);
      assert.match(after, /No job has failed/);
      assert.deepEqual(await runJobsUntilIdle(db, handlers, { clock }), { done: 1, failed: 0, retried: 0 });
      assert.equal(crossref.state.deposits.length, 1, 'deposited once, on the retry');
      const deposit = await db.selectFrom('crossref_deposits').select('status').where('article_id', '=', 1786).executeTakeFirstOrThrow();
      assert.equal(deposit.status, 'submitted');
      await admin.get('/admin/jobs');
      assert.equal((await admin.post(`/admin/jobs/${id}/retry`)).headers.location, '/admin/jobs?notice=not-failed', 'a second retry of a job that ran says so');
    });
  });
}
