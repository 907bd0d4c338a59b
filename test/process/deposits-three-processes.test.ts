import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addPublishedArticle } from '../../src/catalog/index.ts';
import { systemClock } from '../../src/clock.ts';
import { migrateToLatest, openDatabase } from '../../src/db/index.ts';
import { initialiseSite } from '../../src/demo/index.ts';
import { assignMissingDois, createCrossrefClient, queueDeposits } from '../../src/exports/index.ts';
import { startCrossref } from '../support/crossref.ts';
import { createScratchDatabase, postgresReachable } from '../support/databases.ts';
import { freePort } from '../support/ports.ts';
import { startServer, tempDir, waitForHealth } from '../support/processes.ts';

/**
 * Issue 18's acceptance: three server processes share one PostgreSQL database and a queue of 50
 * Crossref deposits; each article reaches Crossref exactly once, and the work is shared.
 */
describe('Crossref deposits from three server processes', { skip: !(await postgresReachable()) && 'PostgreSQL is not reachable' }, () => {
  it('deposits each of 50 queued articles exactly once', async () => {
    const scratch = await createScratchDatabase('revista_deposits');
    const crossref = await startCrossref();
    crossref.state.delayMs = 50;
    const servers: Array<ReturnType<typeof startServer>> = [];
    const database = await openDatabase({ kind: 'postgres', url: scratch.url });
    try {
      await migrateToLatest(database.db);
      await initialiseSite(database.db, { demo: true });
      const journal = await database.db.selectFrom('journals').select('id').where('path', '=', 'sm').executeTakeFirstOrThrow();
      const section = await database.db.selectFrom('sections').select('id').where('journal_id', '=', journal.id).executeTakeFirstOrThrow();
      await database.db.updateTable('journals').set({ doi_prefix: '10.5555', crossref_username: 'sm-user', crossref_password: 'sm-secret', crossref_depositor_email: 'office@example.org', publisher: 'PISM' }).where('id', '=', journal.id).execute();
      const articleIds: number[] = [];
      for (let n = 1; n <= 49; n++) {
        const { articleId } = await addPublishedArticle(database.db, { journalId: journal.id, sectionId: section.id, issueId: null, locale: 'en', title: { en: `Deposit ${n}` }, datePublished: '2024-05-01' });
        articleIds.push(articleId);
      }
      await assignMissingDois(database.db, journal.id);

      for (let i = 0; i < 3; i++) {
        const port = await freePort();
        const server = startServer({ DATABASE_URL: scratch.url, DATA_DIR: tempDir(), PORT: String(port), CROSSREF_URL: crossref.url, REFERENCE_PARSING: 'off' });
        servers.push(server);
        await waitForHealth(port, server.done);
      }
      // Queued while all three run, in one go: every worker hears of them at once.
      const ctx = { db: database.db, client: createCrossrefClient({ baseUrl: crossref.url }), clock: systemClock, baseUrl: 'http://localhost:3000' };
      const queued = await queueDeposits(ctx, journal.id);
      assert.equal(queued.queued.length, 50, `demo article and 49 more: ${JSON.stringify(queued)}`);

      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline) {
        const open = await database.db.selectFrom('crossref_deposits').select('article_id').where('status', '=', 'queued').execute();
        if (open.length === 0) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      // A little longer: a second deposit of any article would have arrived by now.
      await new Promise((r) => setTimeout(r, 1500));
      const statuses = await database.db.selectFrom('crossref_deposits').select(['article_id', 'status']).execute();
      assert.deepEqual(statuses.filter((s) => s.status !== 'submitted'), [], 'every deposit was accepted');
      const dois = crossref.state.deposits.map((d) => /<doi>([^<]+)<\/doi>\s*<resource>/.exec(d.xml)?.[1]);
      assert.equal(dois.length, 50, `Crossref received ${dois.length} deposits for 50 articles`);
      assert.equal(new Set(dois).size, 50, 'no article was deposited twice');
      const byProcess = servers.map((s) => (s.stdout().match(/"msg":"Crossref deposit"/g) ?? []).length);
      assert.equal(byProcess.reduce((a, b) => a + b, 0), 50, `deposits logged per process: ${byProcess}`);
      assert.ok(byProcess.filter((n) => n > 0).length >= 2, `the processes shared the work: ${byProcess}`);
    } finally {
      for (const server of servers) server.child.kill('SIGTERM');
      const runs = await Promise.all(servers.map((s) => s.done));
      await database.close();
      await crossref.close();
      await scratch.drop();
      for (const run of runs) assert.equal(run.code, 0, `a server did not stop cleanly: ${run.stderr}`);
    }
  });
});
