import assert from 'node:assert/strict';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Session } from './session.ts';
import type { DatabaseHandle } from '../../src/db/index.ts';

/**
 * Counting the queries a page sends, for the tests that assert a page loads with a fixed number of
 * queries whatever its number of rows (issue 22). The app is built on `countingDatabase(handle)`;
 * `queriesOf(work)` counts what `work` sends and nothing else: each count belongs to the async
 * context that started it, so the job runner polling, a background batch or another request's
 * leftovers land in no count.
 */

const scope = new AsyncLocalStorage<{ queries: number }>();

/** Usage events are written in background batches whose timing varies: the statistics' cost, not the page's. */
const USAGE_TABLE = /"usage_/;

/**
 * The handle with its queries counted whenever they run inside `queriesOf`. Counted as their results
 * come back: Kysely shows a plugin each subquery's builder apart from its query, so a count of the
 * queries shown would count a query with a subquery twice. (A query that fails is not counted.)
 */
export function countingDatabase(handle: DatabaseHandle): DatabaseHandle {
  const usage = new WeakSet<object>();
  const db = handle.db.withPlugin({
    transformQuery(args) {
      if (USAGE_TABLE.test(JSON.stringify(args.node))) usage.add(args.queryId);
      return args.node;
    },
    async transformResult(args) {
      const tally = scope.getStore();
      if (tally && !usage.has(args.queryId)) tally.queries++;
      return args.result;
    },
  });
  return { ...handle, db };
}

/** The number of queries `work` sends through a counting database. */
export async function queriesOf(work: () => Promise<unknown>): Promise<number> {
  const tally = { queries: 0 };
  await scope.run(tally, work);
  return tally.queries;
}

/**
 * The fewest queries of three runs of `work`, after one run that is not counted: that one fills what
 * the app keeps between requests (the site and journal memos, a page's download counts). The fewest,
 * because a change notification arriving late (PostgreSQL delivers them on another connection) makes
 * one request load a memo again, which is not the page's own cost.
 */
export async function fewestQueries(work: () => Promise<unknown>, runs = 3): Promise<number> {
  await work();
  let fewest = Infinity;
  for (let i = 0; i < runs; i++) fewest = Math.min(fewest, await queriesOf(work));
  return fewest;
}

/** The fewest queries of the page at `url` for `session` (see fewestQueries), and its last body; the page must answer 200. */
export async function pageQueries(session: Session, url: string): Promise<{ queries: number; body: string }> {
  let body = '';
  const queries = await fewestQueries(async () => {
    const response = await session.get(url);
    assert.equal(response.statusCode, 200, url);
    body = response.body;
  });
  return { queries, body };
}
