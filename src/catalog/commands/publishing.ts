import { inTransaction, type Db } from '../db.ts';
import { assignMissingDois, type AssignResult } from './dois.ts';

/**
 * The catalog's side of the workflow's scheduling and publishing (issue 21): the workflow decides
 * when an article goes public and keeps how it waits (publication_schedules); these commands change
 * the article and its current version, the rows the catalog owns. Each takes the caller's
 * transaction, so the workflow's step and the catalog's change commit together.
 */

/** The article waits to be published: its current version `scheduled`, in `issueId` (a future issue) or none yet. */
export async function markArticleScheduled(db: Db, articleId: number, issueId: number | null): Promise<void> {
  await inTransaction(db, async (trx) => {
    const article = await trx.selectFrom('articles').select('current_publication_id').where('id', '=', articleId).forUpdate().executeTakeFirstOrThrow();
    await trx.updateTable('publications').set({ status: 'scheduled', issue_id: issueId }).where('id', '=', article.current_publication_id!).execute();
    await trx.updateTable('articles').set({ status: 'scheduled' }).where('id', '=', articleId).execute();
  });
}

/** The schedule is withdrawn: the current version waits again, in no issue. */
export async function markArticleUnscheduled(db: Db, articleId: number): Promise<void> {
  await inTransaction(db, async (trx) => {
    const article = await trx.selectFrom('articles').select('current_publication_id').where('id', '=', articleId).forUpdate().executeTakeFirstOrThrow();
    await trx.updateTable('publications').set({ status: 'queued', issue_id: null }).where('id', '=', article.current_publication_id!).where('status', '<>', 'published').execute();
    await trx.updateTable('articles').set({ status: 'queued' }).where('id', '=', articleId).where('status', '<>', 'published').execute();
  });
}

export interface ArticlePublication {
  journalId: number;
  articleId: number;
  /** A published issue (the article is in it), or null (online first, or an article outside issues). */
  issueId: number | null;
  /** `YYYY-MM-DD`. */
  date: string;
}

/**
 * The current version becomes public with its date, in `issueId` or in none, and the article with
 * it; when the journal has a DOI prefix the article gets its DOI in the same transaction (as
 * publishIssue gives them). Returns the version's id and the DOIs given (undefined: no prefix).
 */
export async function publishArticleVersion(db: Db, input: ArticlePublication): Promise<{ publicationId: number; dois: AssignResult | undefined }> {
  return inTransaction(db, async (trx) => {
    const article = await trx.selectFrom('articles').select('current_publication_id').where('id', '=', input.articleId).where('journal_id', '=', input.journalId).forUpdate().executeTakeFirstOrThrow();
    const publicationId = article.current_publication_id!;
    await trx.updateTable('publications').set({ status: 'published', date_published: input.date, issue_id: input.issueId }).where('id', '=', publicationId).execute();
    await trx.updateTable('articles').set({ status: 'published' }).where('id', '=', input.articleId).execute();
    const journal = await trx.selectFrom('journals').select('doi_prefix').where('id', '=', input.journalId).executeTakeFirstOrThrow();
    const dois = journal.doi_prefix ? await assignMissingDois(trx, input.journalId, { articleIds: [input.articleId] }) : undefined;
    return { publicationId, dois };
  });
}
