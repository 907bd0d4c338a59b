import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createUserWithRole } from '../accounts/index.ts';
import { publishIssueFromCli } from '../cli/journal-commands.ts';
import type { DatabaseHandle } from '../db/index.ts';
import { initialiseSite } from '../demo/index.ts';
import { addPublishedArticle, createIssue, updateJournal, type Db } from './index.ts';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { testDatabases } from '../../test/support/databases.ts';
import { Session } from '../../test/support/session.ts';

/**
 * Publishing assigns DOIs in the publish command, not in the page: the management page and
 * `revista issue publish` give the same issue the same DOIs. Each is tried on a database of its own
 * holding the same journal, so the two results can be compared DOI for DOI.
 */

const SM = 1;

/** The demo journal with a DOI prefix and an unpublished issue of two articles without DOIs. */
async function issueAwaitingPublication(db: Db): Promise<number> {
  await updateJournal(db, SM, { doiPrefix: '10.5555', acronym: { pl: 'SM' } });
  const section = await db.selectFrom('sections').select('id').where('journal_id', '=', SM).executeTakeFirstOrThrow();
  const issueId = await createIssue(db, { journalId: SM, volume: 80, number: '2', year: 2030, published: false });
  for (const title of ['Energy security', 'Water treaties']) {
    await addPublishedArticle(db, { journalId: SM, sectionId: section.id, issueId, locale: 'en', title: { en: title }, datePublished: '2030-06-01' });
  }
  return issueId;
}

async function doisOf(db: Db, issueId: number): Promise<Array<{ article: number; doi: string | null }>> {
  const rows = await db
    .selectFrom('articles as a')
    .innerJoin('publications as p', 'p.id', 'a.current_publication_id')
    .select(['a.id as article', 'p.doi'])
    .where('p.issue_id', '=', issueId)
    .orderBy('a.id')
    .execute();
  return rows;
}

for (const database of await testDatabases()) {
  describe(`publishing an issue assigns its DOIs, from the page and the CLI alike, on ${database.name}`, () => {
    let t: TestApp;
    let cliDatabase: DatabaseHandle;

    before(async () => {
      t = await startTestApp(database);
      cliDatabase = await database.open();
      await initialiseSite(cliDatabase.db, { demo: true });
    });
    after(async () => {
      await cliDatabase.close();
      await t.close();
    });

    it('gives the same DOIs whether the management page or revista issue publish publishes the issue', async () => {
      const pageIssue = await issueAwaitingPublication(t.database.db);
      const cliIssue = await issueAwaitingPublication(cliDatabase.db);
      assert.equal(pageIssue, cliIssue, 'the two databases hold the same issue');

      await createUserWithRole(t.database.db, { email: 'manager@example.org', password: 'manager password', role: 'manager', journalId: SM, now: new Date() });
      const manager = new Session(t.app, { 'accept-language': 'en' });
      await manager.signIn('manager@example.org', 'manager password');
      // As a person does: the issue's page, then its "Publish" form.
      assert.equal((await manager.get(`/sm/management/issues/${pageIssue}`)).statusCode, 200);
      const published = await manager.post(`/sm/management/issues/${pageIssue}/publish`, { datePublished: '2030-06-15', current: 'on' });
      assert.equal(published.statusCode, 303);

      const out: string[] = [];
      const err: string[] = [];
      const code = await publishIssueFromCli(cliDatabase.db, ['sm', String(cliIssue), '--date', '2030-06-15'], { out: (l) => out.push(l), err: (l) => err.push(l), env: {} });
      assert.equal(code, 0, err.join('\n'));

      const fromPage = await doisOf(t.database.db, pageIssue);
      const fromCli = await doisOf(cliDatabase.db, cliIssue);
      assert.equal(fromPage.length, 2);
      for (const { article, doi } of fromPage) assert.equal(doi, `10.5555/sm.v80i2.${article}`, 'the journal’s default pattern');
      assert.deepEqual(fromCli, fromPage);
      assert.deepEqual(out.slice(1), fromCli.map(({ article, doi }) => `article ${article}: DOI ${doi}`), 'the CLI says which DOIs it gave');

      for (const db of [t.database.db, cliDatabase.db]) {
        const issue = await db.selectFrom('issues').select(['is_published', 'is_current', 'date_published']).where('id', '=', pageIssue).executeTakeFirstOrThrow();
        assert.deepEqual(issue, { is_published: true, is_current: true, date_published: '2030-06-15' });
        const current = await db.selectFrom('issues').select('id').where('journal_id', '=', SM).where('is_current', '=', true).execute();
        assert.deepEqual(current, [{ id: pageIssue }], 'one current issue: the one just published');
      }
    });

    it('refuses to publish an issue twice, an unknown issue, and a malformed date, from the CLI', async () => {
      const err: string[] = [];
      const io = { out: () => {}, err: (l: string) => err.push(l), env: {} };
      const issue = (await cliDatabase.db.selectFrom('issues').select('id').where('is_published', '=', true).orderBy('id', 'desc').executeTakeFirstOrThrow()).id;
      assert.equal(await publishIssueFromCli(cliDatabase.db, ['sm', String(issue)], io), 1);
      assert.match(err.at(-1)!, /is published already/);
      assert.equal(await publishIssueFromCli(cliDatabase.db, ['sm', '99999'], io), 1);
      assert.match(err.at(-1)!, /the journal sm has no issue 99999/);
      assert.equal(await publishIssueFromCli(cliDatabase.db, ['nope', '1'], io), 1);
      assert.match(err.at(-1)!, /no journal with the path nope/);
      await assert.rejects(publishIssueFromCli(cliDatabase.db, ['sm', String(issue), '--date', '2030-02-30'], io), /--date takes a day as YYYY-MM-DD/);
    });
  });
}
