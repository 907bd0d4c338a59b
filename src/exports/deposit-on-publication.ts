import type { Kysely } from 'kysely';
import type { Database } from '../db/index.ts';
import type { Subscriptions } from '../platform/events/index.ts';
import type { CrossrefClient } from './crossref-client.ts';
import { journalDepositor } from './depositor.ts';
import { queueDeposits } from './deposits.ts';

/**
 * Publishing registers the DOIs: when an issue becomes public in a journal that deposits with
 * Crossref — it has a Crossref login and an address for Crossref's reports — the deposits of its
 * articles that have a DOI are queued, as OJS's Crossref plugin does with "automatic deposit" on.
 * Idempotent: an article already queued, submitted or registered with the same metadata is left
 * alone (queueDeposits compares what Crossref would be told).
 *
 * Not on ArticlePublished: today that is an article added already published (demo, tests, bulk
 * loads), whose deposits the journal starts itself; and an article published again after being
 * taken off has its DOI registered already. A publication the workflow makes public by itself (a
 * submission published now, at its moment or online first; a new version; a notice) is told by
 * PublicationPublished: its article's deposit is queued the same way (articleIds: [it]).
 */
export const DEPOSIT_ON_PUBLICATION = 'crossref.deposit-on-publication';

export async function depositsConfigured(db: Kysely<Database>, journalId: number): Promise<boolean> {
  const journal = await db.selectFrom('journals').select(['crossref_username', 'crossref_password']).where('id', '=', journalId).executeTakeFirst();
  if (!journal?.crossref_username || !journal.crossref_password) return false;
  return (await journalDepositor(db, journalId)).ok;
}

export function subscribeDepositOnPublication(subscriptions: Subscriptions, options: { client: CrossrefClient; baseUrl: string }): void {
  subscriptions.subscribe('IssuePublished', {
    name: DEPOSIT_ON_PUBLICATION,
    async handle(event, ctx) {
      if (!(await depositsConfigured(ctx.db, event.journalId))) return;
      const result = await queueDeposits({ db: ctx.db, client: options.client, clock: ctx.clock, baseUrl: options.baseUrl }, event.journalId, { issueId: event.issueId });
      if (result.queued.length > 0) ctx.log.info({ journalId: event.journalId, articleIds: result.queued, eventId: ctx.eventId }, 'Crossref deposits queued on publication');
    },
  });
  subscriptions.subscribe('PublicationPublished', {
    name: `${DEPOSIT_ON_PUBLICATION}.article`,
    // Every way a publication is made public by an editor: the workflow's, a new version (the DOI
    // record is updated), a notice (its own DOI, with Crossmark's update relation).
    async handle(event, ctx) {
      if (!(await depositsConfigured(ctx.db, event.journalId))) return;
      const result = await queueDeposits({ db: ctx.db, client: options.client, clock: ctx.clock, baseUrl: options.baseUrl }, event.journalId, { articleIds: [event.articleId] });
      if (result.queued.length > 0) ctx.log.info({ journalId: event.journalId, articleIds: result.queued, via: event.via, eventId: ctx.eventId }, 'Crossref deposit queued on publication');
    },
  });
}
