import { sql } from 'kysely';
import type { LocalizedText } from '../../db/schema.ts';
import { inTransaction, type Db } from '../db.ts';
import { listIssueArticles, reorder } from '../editing.ts';
import { markCurrent } from './current-issue.ts';
import { emit } from '../../platform/events/index.ts';
import { assignMissingDois, type AssignResult } from './dois.ts';

/**
 * Issues: made, edited, published (with their DOIs), made current, unpublished, and the order of
 * their table of contents. Deleting one is in ../lifecycle.ts.
 */

export interface IssueInput {
  journalId: number;
  volume?: number | null;
  number?: string | null;
  year?: number | null;
  title?: LocalizedText;
  datePublished?: string | null;
  published?: boolean;
  current?: boolean;
}

export async function createIssue(db: Db, input: IssueInput): Promise<number> {
  return inTransaction(db, async (tx) => {
    const row = await tx
      .insertInto('issues')
      .values({
        journal_id: input.journalId,
        volume: input.volume ?? null,
        number: input.number ?? null,
        year: input.year ?? null,
        title: JSON.stringify(input.title ?? {}),
        description: '{}',
        is_published: input.published ?? false,
        is_current: false,
        date_published: input.datePublished ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (input.current) await markCurrent(tx, input.journalId, row.id);
    return row.id;
  });
}


export interface IssueFields {
  volume: number | null;
  number: string | null;
  year: number | null;
  title: LocalizedText;
  description: LocalizedText;
  showVolume: boolean;
  showNumber: boolean;
  showYear: boolean;
  showTitle: boolean;
  urlPath: string | null;
}

export async function saveIssue(db: Db, journalId: number, id: number | null, fields: IssueFields): Promise<number> {
  const values = {
    volume: fields.volume,
    number: fields.number,
    year: fields.year,
    title: JSON.stringify(fields.title),
    description: JSON.stringify(fields.description),
    show_volume: fields.showVolume,
    show_number: fields.showNumber,
    show_year: fields.showYear,
    show_title: fields.showTitle,
    url_path: fields.urlPath,
  };
  if (id !== null) {
    await db.updateTable('issues').set(values).where('id', '=', id).where('journal_id', '=', journalId).execute();
    return id;
  }
  const row = await db.insertInto('issues').values({ journal_id: journalId, ...values }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function setIssueCover(db: Db, issueId: number, fileId: number | null): Promise<void> {
  await db.updateTable('issues').set({ cover_file_id: fileId }).where('id', '=', issueId).execute();
}

export interface IssuePublication {
  journalId: number;
  issueId: number;
  /** `YYYY-MM-DD`: the date of the issue and of its articles that have none yet. */
  date: string;
  makeCurrent: boolean;
}

/**
 * Publishes an issue (OJS: "Publish issue"): the issue and the current versions of its articles
 * become public (those added outside the workflow and the workflow's submissions scheduled into it;
 * the ones published online first for it join it), dated `date` unless they already have a date; optionally it becomes current. When
 * the journal has a DOI prefix its newly published articles get their DOIs in the same transaction
 * (OJS: "assign on publication"), so the management page, `revista issue publish` and the API give
 * the same DOIs. `dois` is undefined when the journal has no prefix.
 */
export async function publishIssue(db: Db, publication: IssuePublication): Promise<{ dois: AssignResult | undefined }> {
  const { journalId, issueId, date, makeCurrent } = publication;
  return inTransaction(db, async (trx) => {
    await trx
      .updateTable('issues')
      .set({ is_published: true, date_published: sql`coalesce(date_published, ${date}::date)` })
      .where('id', '=', issueId)
      .where('journal_id', '=', journalId)
      .execute();
    if (makeCurrent) await markCurrent(trx, journalId, issueId);
    // Only what is meant to go public with the issue: articles placed in it outside the workflow
    // (editorials, back content: no submission, or one already published before), and the workflow's
    // submissions scheduled into it. A manuscript still in progress that someone placed in the issue
    // stays unpublished.
    const current = trx
      .selectFrom('articles as a')
      .select('a.current_publication_id')
      .where('a.journal_id', '=', journalId)
      .where((eb) =>
        eb.or([
          eb.not(eb.exists(eb.selectFrom('submissions as s').select('s.id').whereRef('s.id', '=', 'a.id').where('s.status', '<>', 'published'))),
          eb.exists(eb.selectFrom('publication_schedules as ps').select('ps.publication_id').whereRef('ps.publication_id', '=', 'a.current_publication_id').where('ps.mode', '=', 'issue').where('ps.issue_id', '=', issueId)),
        ]),
      );
    await trx
      .updateTable('publications')
      .set({ status: 'published', date_published: sql`coalesce(date_published, ${date}::date)` })
      .where('issue_id', '=', issueId)
      .where('id', 'in', current as never)
      .execute();
    // Continuous publication: the articles published online first for this issue join it, keeping their dates.
    await trx
      .updateTable('publications')
      .set({ issue_id: issueId })
      .where('status', '=', 'published')
      .where('issue_id', 'is', null)
      .where('id', 'in', trx.selectFrom('publication_schedules').select('publication_id').where('mode', '=', 'online-first').where('issue_id', '=', issueId).where('journal_id', '=', journalId))
      .execute();
    await trx
      .updateTable('articles')
      .set({ status: 'published' })
      .where('journal_id', '=', journalId)
      .where('current_publication_id', 'in', trx.selectFrom('publications').select('id').where('issue_id', '=', issueId).where('status', '=', 'published'))
      .execute();
    const journal = await trx.selectFrom('journals').select('doi_prefix').where('id', '=', journalId).executeTakeFirstOrThrow();
    const dois = journal.doi_prefix ? await assignMissingDois(trx, journalId, { issueId }) : undefined;
    // Last, so subscribers (Crossref deposits) find the articles published and with their DOIs.
    await emit(trx, { type: 'IssuePublished', journalId, issueId });
    return { dois };
  });
}

/** Takes an issue off the reader site (OJS: "Unpublish"); its articles stay with it, unpublished. */
export async function unpublishIssue(db: Db, journalId: number, issueId: number): Promise<void> {
  await inTransaction(db, async (trx) => {
    const taken = await trx.updateTable('issues').set({ is_published: false, is_current: false }).where('id', '=', issueId).where('journal_id', '=', journalId).where('is_published', '=', true).executeTakeFirst();
    if (taken.numUpdatedRows > 0n) await emit(trx, { type: 'IssueUnpublished', journalId, issueId });
  });
}

/** Makes a published issue the current one; false (nothing changed) when it is not published. */
export async function setCurrentIssue(db: Db, journalId: number, issueId: number): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    const issue = await trx.selectFrom('issues').select('is_published').where('id', '=', issueId).where('journal_id', '=', journalId).executeTakeFirst();
    if (!issue?.is_published) return false;
    await markCurrent(trx, journalId, issueId);
    return true;
  });
}

/** Moves an article up or down within its section in the issue. */
export async function moveArticleInIssue(db: Db, journalId: number, issueId: number, articleId: number, direction: 'up' | 'down'): Promise<void> {
  await inTransaction(db, async (trx) => {
    const all = await listIssueArticles(trx, journalId, issueId);
    const moving = all.find((a) => a.articleId === articleId);
    if (!moving) return;
    const inSection = all.filter((a) => a.sectionId === moving.sectionId).map((a) => ({ ...a, id: a.articleId }));
    for (const { id, seq } of reorder(inSection, articleId, direction)) {
      const publicationId = inSection.find((a) => a.id === id)!.publicationId;
      await trx.updateTable('publications').set({ seq }).where('id', '=', publicationId).execute();
    }
  });
}

/** Moves a section up or down in this issue's table of contents only. */
export async function moveSectionInIssue(db: Db, journalId: number, issueId: number, sectionId: number, direction: 'up' | 'down'): Promise<void> {
  await inTransaction(db, async (trx) => {
    const sectionIds = [...new Set((await listIssueArticles(trx, journalId, issueId)).map((a) => a.sectionId))];
    const order = reorder(sectionIds.map((id) => ({ id })), sectionId, direction);
    await trx.deleteFrom('issue_section_order').where('issue_id', '=', issueId).execute();
    if (order.length > 0) await trx.insertInto('issue_section_order').values(order.map(({ id, seq }) => ({ issue_id: issueId, section_id: id, seq }))).execute();
  });
}
