import type { LocalizedText, NoticeKind } from '../../db/schema.ts';
import { inTransaction, type Db } from '../db.ts';
import { emit } from '../../platform/events/index.ts';
import { addPublishedArticle, type GalleyInput } from './articles.ts';
import { assignMissingDois } from './dois.ts';

/**
 * Corrections, retractions and expressions of concern as COPE asks for them: a notice is its own
 * published article (its own page, DOI, OAI record and Crossref deposit) that names the article it
 * updates; the updated article keeps its title and metadata and shows the notice (reader pages).
 */

export const NOTICE_KINDS: readonly NoticeKind[] = ['correction', 'retraction', 'partial_retraction', 'expression_of_concern', 'addendum'];

export class NoticeError extends Error {
  constructor(readonly reason: 'article-not-published' | 'article-is-notice') {
    super(reason);
  }
}

export interface NoticeInput {
  journalId: number;
  /** The article the notice updates (published, in the journal). */
  articleId: number;
  kind: NoticeKind;
  sectionId: number;
  issueId: number | null;
  locale: string;
  title: LocalizedText;
  /** The notice's text, stored as the abstract is (rich text). */
  text: LocalizedText;
  galley?: GalleyInput;
  /** The notice's publication date (today). */
  datePublished: string;
  userId: number | null;
}

/**
 * Publishes a notice now, in one transaction: the notice article, the link to the updated article,
 * a DOI from the journal's pattern when it has a prefix; announced as PublicationPublished (via 'notice').
 */
export async function publishNotice(db: Db, input: NoticeInput): Promise<{ noticeArticleId: number; publicationId: number; doi: string | null }> {
  return inTransaction(db, async (trx) => {
    const updated = await trx
      .selectFrom('articles as a')
      .innerJoin('publications as p', 'p.id', 'a.current_publication_id')
      .select(['a.id', 'p.status'])
      .where('a.id', '=', input.articleId)
      .where('a.journal_id', '=', input.journalId)
      .where('a.status', '=', 'published')
      .forUpdate()
      .executeTakeFirst();
    if (!updated || updated.status !== 'published') throw new NoticeError('article-not-published');
    // A notice about a notice is not a thing COPE knows; the original article is the one to update.
    const isNotice = await trx.selectFrom('article_notices').select('id').where('notice_article_id', '=', input.articleId).executeTakeFirst();
    if (isNotice) throw new NoticeError('article-is-notice');
    const { articleId: noticeArticleId, publicationId } = await addPublishedArticle(trx, {
      journalId: input.journalId,
      sectionId: input.sectionId,
      issueId: input.issueId,
      locale: input.locale,
      title: input.title,
      abstract: input.text,
      datePublished: input.datePublished,
      galleys: input.galley ? [input.galley] : [],
    });
    await trx.insertInto('article_notices').values({ journal_id: input.journalId, notice_article_id: noticeArticleId, article_id: input.articleId, kind: input.kind, created_by: input.userId }).execute();
    const journal = await trx.selectFrom('journals').select('doi_prefix').where('id', '=', input.journalId).executeTakeFirstOrThrow();
    let doi: string | null = null;
    if (journal.doi_prefix) doi = (await assignMissingDois(trx, input.journalId, { articleIds: [noticeArticleId] })).assigned[0]?.doi ?? null;
    await emit(trx, { type: 'PublicationPublished', journalId: input.journalId, articleId: noticeArticleId, publicationId, via: 'notice' });
    return { noticeArticleId, publicationId, doi };
  });
}
