import { toRichTextPerLocale } from '../../ui/rich-text-convert.ts';
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

export interface IssueArticleInput {
  journalId: number;
  issueId: number;
  sectionId: number;
  locale: string;
  title: string;
  abstract: string;
  author: { givenName: string; familyName: string } | null;
}

/**
 * An article added straight to an issue, outside the workflow (OJS: an editorial, back content): a
 * version in the issue, unpublished, with its title, abstract and first author; its galleys and other
 * authors are added on the article's own pages. It has no submission, so publishing the issue
 * publishes it (publishIssue); in an issue already published the article page's "publish" does.
 */
export async function addArticleToIssue(db: Db, input: IssueArticleInput): Promise<number> {
  return inTransaction(db, async (trx) => {
    const article = await trx.insertInto('articles').values({ journal_id: input.journalId, locale: input.locale, status: 'queued', date_submitted: null }).returning('id').executeTakeFirstOrThrow();
    const last = await trx.selectFrom('publications').select((eb) => eb.fn.max('seq').as('seq')).where('issue_id', '=', input.issueId).executeTakeFirst();
    const publication = await trx
      .insertInto('publications')
      .values({
        article_id: article.id,
        version: 1,
        status: 'queued',
        locale: input.locale,
        prefix: '{}',
        title: JSON.stringify({ [input.locale]: input.title }),
        subtitle: '{}',
        abstract: JSON.stringify(toRichTextPerLocale(input.abstract.trim() ? { [input.locale]: input.abstract } : {})),
        keywords: '{}',
        subjects: '{}',
        section_id: input.sectionId,
        issue_id: input.issueId,
        seq: Number(last?.seq ?? 0) + 1,
        pages: null,
        doi: null,
        url_path: null,
        license_url: null,
        copyright_holder: '{}',
        copyright_year: null,
        date_published: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx.updateTable('articles').set({ current_publication_id: publication.id }).where('id', '=', article.id).execute();
    if (input.author) {
      await trx
        .insertInto('contributors')
        .values({ publication_id: publication.id, given_name: JSON.stringify({ [input.locale]: input.author.givenName }), family_name: JSON.stringify({ [input.locale]: input.author.familyName }), affiliation: '{}', ror_id: null, email: null, orcid: null, country: null, is_primary_contact: true, seq: 0 })
        .execute();
    }
    return article.id;
  });
}
