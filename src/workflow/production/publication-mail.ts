import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { localizeText } from '../../i18n/index.ts';
import type { Subscriptions } from '../../platform/events/index.ts';
import { richToPlainLine } from '../../ui/index.ts';
import { journalOf, recipients, submissionOf } from '../mail.ts';
import { tell } from '../review/mail.ts';

/**
 * After publishing (issue 21, item 5): the authors are told, in their language, with the article's
 * address. A submission published by itself says so by PublicationPublished (via 'workflow'); one
 * scheduled into an issue is published with the issue (catalog: publishIssue), so on IssuePublished
 * the workflow marks its submissions scheduled into that issue published, forgets the schedules the
 * issue fulfilled (its scheduled articles and the online-first ones it collected) and tells their
 * authors.
 */

export const PUBLISHED_MAIL = 'workflow.published-mail';
export const ISSUE_PUBLISHED_SUBMISSIONS = 'workflow.issue-published';

type Trx = Transaction<Database>;

export function articleUrl(baseUrl: string, journalPath: string, articleId: number): string {
  return `${baseUrl}/${encodeURIComponent(journalPath)}/article/view/${articleId}`;
}

async function tellAuthors(trx: Trx, baseUrl: string, journalId: number, submissionId: number, at: Date): Promise<void> {
  const submission = await submissionOf(trx, submissionId);
  if (!submission) return;
  const journal = await journalOf(trx, journalId);
  const publication = await trx.selectFrom('publications').select(['doi', 'status']).where('id', '=', submission.publication_id).executeTakeFirstOrThrow();
  // Taken off again before the mail went: nothing to tell.
  if (publication.status !== 'published') return;
  const authorIds = (await trx.selectFrom('submission_participants').select('user_id').where('submission_id', '=', submissionId).where('role', '=', 'author').execute()).map((r) => r.user_id);
  const url = articleUrl(baseUrl, journal.path, submissionId);
  for (const author of await recipients(trx, authorIds)) {
    await tell(trx, {
      to: { userId: author.id, email: author.email, given_name: author.given_name, family_name: author.family_name, locale: author.preferred_locale ?? journal.primary_locale },
      kind: 'publication-published',
      key: 'publication-published',
      journal,
      submissionId,
      at,
      variables: (locale) => ({
        journalName: localizeText(journal.name, locale, journal.primary_locale),
        title: richToPlainLine(localizeText(submission.title, locale, submission.locale)),
        articleUrl: url,
        doi: publication.doi ? `https://doi.org/${publication.doi}\n` : '',
      }),
    });
  }
}

export function subscribePublicationMail(subscriptions: Subscriptions, options: { baseUrl: string }): void {
  subscriptions.subscribe('PublicationPublished', {
    name: PUBLISHED_MAIL,
    async handle(event, ctx) {
      if (event.via !== 'workflow') return;
      await ctx.db.transaction().execute((trx) => tellAuthors(trx, options.baseUrl, event.journalId, event.articleId, ctx.occurredAt));
    },
  });

  subscriptions.subscribe('IssuePublished', {
    name: ISSUE_PUBLISHED_SUBMISSIONS,
    async handle(event, ctx) {
      await ctx.db.transaction().execute(async (trx) => {
        const fulfilled = await trx
          .selectFrom('publication_schedules as ps')
          .innerJoin('publications as p', 'p.id', 'ps.publication_id')
          .select(['ps.publication_id', 'ps.mode', 'p.article_id'])
          .where('ps.journal_id', '=', event.journalId)
          .where('ps.issue_id', '=', event.issueId)
          .where('ps.mode', 'in', ['issue', 'online-first'])
          .where('p.status', '=', 'published')
          .where('p.issue_id', '=', event.issueId)
          .execute();
        for (const row of fulfilled) {
          await trx.deleteFrom('publication_schedules').where('publication_id', '=', row.publication_id).execute();
          if (row.mode !== 'issue') continue;
          const changed = await trx.updateTable('submissions').set({ status: 'published', last_activity_at: ctx.occurredAt }).where('id', '=', row.article_id).where('status', '=', 'scheduled').executeTakeFirst();
          if (changed.numUpdatedRows > 0n) await tellAuthors(trx, options.baseUrl, event.journalId, row.article_id, ctx.occurredAt);
        }
      });
    },
  });
}
