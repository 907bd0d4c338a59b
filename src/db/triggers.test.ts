import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { testDatabases } from '../../test/support/databases.ts';

/**
 * The triggers the migrations leave, each with the reason it is a trigger and not a domain-event
 * subscriber (issue 18): it keeps data consistent whoever writes — the app, an import, SQL by hand.
 * A new trigger must be added here with its reason (and say it beside its CREATE TRIGGER); a
 * reaction to what happened (mail, deposits, notifications) is a subscriber (src/platform/events).
 */
type Reason =
  | 'cache invalidation: NOTIFY on the content channel'
  | 'modification date every writer must move'
  | 'OAI-PMH records and datestamps'
  | 'search index: marks stale articles'
  | 'search postings: index of search_documents'
  | 'editorial search: folded titles and names of each submission'
  | 'guard on the row'
  | 'derived columns of the row'
  | 'background work every writer must start (a job queued in the change\'s transaction)';

const CACHE = 'cache invalidation: NOTIFY on the content channel';
const DATE = 'modification date every writer must move';
const OAI = 'OAI-PMH records and datestamps';
const SEARCH = 'search index: marks stale articles';

const AUDITED: Record<string, Reason> = {
  ...Object.fromEntries(
    ['site', 'journals', 'sections', 'issues', 'articles', 'publications', 'contributors', 'citations', 'files', 'galleys', 'issue_section_order', 'journal_pages', 'navigation_items', 'announcements', 'issue_galleys'].map((t) => [`${t}.${t}_content_change`, CACHE]),
  ),
  ...Object.fromEntries(['site', 'journals', 'issues', 'articles', 'publications', 'users', 'journal_pages', 'announcements'].map((t) => [`${t}.${t}_touch_updated_at`, DATE])),
  ...Object.fromEntries(['articles', 'publications', 'contributors', 'citations', 'galleys', 'issues', 'journals'].map((t) => [`${t}.${t}_oai`, OAI])),
  ...Object.fromEntries(
    ['articles', 'publications', 'contributors', 'citations', 'galleys'].flatMap((t) => ['insert', 'update', 'delete'].map((e) => [`${t}.${t}_search_${e}`, SEARCH])),
  ),
  'issues.issues_search_update': SEARCH,
  'journals.journals_search_update': SEARCH,
  ...Object.fromEntries(['insert', 'update', 'delete'].map((e) => [`search_documents.search_documents_postings_${e}`, 'search postings: index of search_documents'])),
  ...Object.fromEntries(
    [...['insert', 'update'].map((e) => `submissions.submissions_search_${e}`), ...['publications', 'contributors'].flatMap((t) => ['insert', 'update', 'delete'].map((e) => `${t}.${t}_submission_search_${e}`))].map((name) => [
      name,
      'editorial search: folded titles and names of each submission',
    ]),
  ),
  'citations.citations_parse_guard': 'guard on the row',
  'contributors.contributors_orcid_authenticated': 'guard on the row',
  'users.users_search_fields': 'derived columns of the row',
  'search_documents.search_documents_prominent': 'derived columns of the row',
  'search_queue.search_queue_job': 'background work every writer must start (a job queued in the change\'s transaction)',
  'citations.citations_parse_job': 'background work every writer must start (a job queued in the change\'s transaction)',
};

for (const database of await testDatabases()) {
  describe(`database triggers (${database.name})`, () => {
    it('are the audited ones, each keeping data consistent for every writer', async () => {
      const handle = await database.open();
      try {
        const { rows } = await sql<{ name: string }>`
          SELECT c.relname || '.' || t.tgname AS name
            FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE NOT t.tgisinternal AND n.nspname = current_schema()
           ORDER BY 1`.execute(handle.db);
        const found = rows.map((r) => r.name);
        assert.deepEqual(found.filter((n) => !(n in AUDITED)), [], 'a trigger nobody audited: say why it must be a trigger, or make it a subscriber');
        assert.deepEqual(Object.keys(AUDITED).filter((n) => !found.includes(n)).sort(), [], 'an audited trigger is gone: take it off the list');
      } finally {
        await handle.close();
      }
    });
  });
}
