import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { localizeText, translate } from '../i18n/index.ts';
import type { Subscriptions } from '../platform/events/index.ts';
import { richToPlainLine } from '../ui/index.ts';
import { journalOf, recipients } from './mail.ts';
import { tell, uiLocale, type Addressee } from './review/mail.ts';

/**
 * When a correction, retraction or expression of concern is published (PublicationPublished, via
 * 'notice'), the authors of the article it updates are told: the submission's authors (their
 * accounts, through notify), or, for an article that came without a workflow submission, its
 * primary contacts with an address.
 */
export const NOTICE_MAIL = 'workflow.notice-mail';

type Trx = Transaction<Database>;

const articleAddress = (baseUrl: string, journalPath: string, articleId: number) => `${baseUrl}/${encodeURIComponent(journalPath)}/article/view/${articleId}`;

async function authorsOf(trx: Trx, articleId: number, publicationId: number, fallbackLocale: string): Promise<Addressee[]> {
  const participants = await trx.selectFrom('submission_participants').select('user_id').where('submission_id', '=', articleId).where('role', '=', 'author').execute();
  if (participants.length > 0) return (await recipients(trx, participants.map((p) => p.user_id))).map((r) => ({ userId: r.id, email: r.email, given_name: r.given_name, family_name: r.family_name, locale: r.preferred_locale ?? fallbackLocale }));
  const contacts = await trx.selectFrom('contributors').select(['email', 'given_name', 'family_name']).where('publication_id', '=', publicationId).where('is_primary_contact', '=', true).where('email', 'is not', null).execute();
  return contacts.map((c) => ({ userId: null, email: c.email!, given_name: c.given_name, family_name: c.family_name, locale: fallbackLocale }));
}

async function tellAuthors(trx: Trx, baseUrl: string, journalId: number, noticeArticleId: number, at: Date): Promise<void> {
  const link = await trx.selectFrom('article_notices').select(['article_id', 'kind']).where('notice_article_id', '=', noticeArticleId).executeTakeFirst();
  if (!link) return;
  const current = (articleId: number) =>
    trx.selectFrom('articles as a').innerJoin('publications as p', 'p.id', 'a.current_publication_id').select(['p.id', 'p.title', 'p.locale', 'p.status']).where('a.id', '=', articleId).executeTakeFirstOrThrow();
  const [article, notice, journal] = await Promise.all([current(link.article_id), current(noticeArticleId), journalOf(trx, journalId)]);
  // Taken off again before the mail went: nothing to tell.
  if (notice.status !== 'published') return;
  for (const author of await authorsOf(trx, link.article_id, article.id, journal.primary_locale)) {
    await tell(trx, {
      to: author,
      kind: 'notice-published',
      key: 'notice-published',
      journal,
      submissionId: link.article_id,
      params: { kind: link.kind },
      at,
      variables: (locale) => ({
        journalName: localizeText(journal.name, locale, journal.primary_locale),
        title: richToPlainLine(localizeText(article.title, locale, article.locale)),
        articleUrl: articleAddress(baseUrl, journal.path, link.article_id),
        noticeKind: translate(uiLocale(locale), `notices.kind.${link.kind}`),
        noticeTitle: richToPlainLine(localizeText(notice.title, locale, notice.locale)),
        noticeUrl: articleAddress(baseUrl, journal.path, noticeArticleId),
      }),
    });
  }
}

export function subscribeNoticeMail(subscriptions: Subscriptions, options: { baseUrl: string }): void {
  subscriptions.subscribe('PublicationPublished', {
    name: NOTICE_MAIL,
    async handle(event, ctx) {
      if (event.via !== 'notice') return;
      await ctx.db.transaction().execute((trx) => tellAuthors(trx, options.baseUrl, event.journalId, event.articleId, ctx.occurredAt));
    },
  });
}
