import type { Subscriptions } from '../platform/events/index.ts';
import type { CrossrefClient } from './crossref-client.ts';
import { depositsConfigured } from './deposit-on-publication.ts';
import { queueDeposits } from './deposits.ts';

/**
 * "The DOI record is updated": a new version of a published article, or a notice (correction,
 * retraction, expression of concern) published with its own DOI, queues that article's Crossref
 * deposit in a journal that deposits, as an issue's publication does (deposit-on-publication.ts).
 * Idempotent: queueDeposits leaves an article whose registered metadata is the same alone.
 * The workflow's own publications (via 'workflow') are subscribed by deposit-on-publication.
 */
export const DEPOSIT_ON_VERSION = 'crossref.deposit-on-version';

export function subscribeDepositOnVersion(subscriptions: Subscriptions, options: { client: CrossrefClient; baseUrl: string }): void {
  subscriptions.subscribe('PublicationPublished', {
    name: DEPOSIT_ON_VERSION,
    async handle(event, ctx) {
      if (event.via !== 'version' && event.via !== 'notice') return;
      if (!(await depositsConfigured(ctx.db, event.journalId))) return;
      const result = await queueDeposits({ db: ctx.db, client: options.client, clock: ctx.clock, baseUrl: options.baseUrl }, event.journalId, { articleIds: [event.articleId] });
      if (result.queued.length > 0) ctx.log.info({ journalId: event.journalId, articleIds: result.queued, via: event.via, eventId: ctx.eventId }, 'Crossref deposit queued for a new version or notice');
    },
  });
}
