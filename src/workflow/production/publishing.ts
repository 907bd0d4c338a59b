import type { Transaction } from 'kysely';
import { inTransaction, publishArticleVersion, unpublishArticle, type Db } from '../../catalog/index.ts';
import type { Database } from '../../db/schema.ts';
import { emit } from '../../platform/events/index.ts';
import { PublishingError } from './errors.ts';
import { readiness, readinessFacts } from './readiness.ts';

/**
 * Publishing a submission (issue 21, item 5), in one transaction: its current publication becomes
 * public with its date (today by the clock, or the date given), in its issue or in none; the article
 * with it; the DOI given when the journal has a prefix (the catalog's publish command does it); the
 * submission `published`; PublicationPublished (via 'workflow') emitted, which queues the Crossref
 * deposit (exports/deposit-on-publication.ts) and tells the author (publication-mail.ts).
 *
 * Where it goes: into `issueId` when that issue is published; when it is not yet, the article is
 * published online first and the issue collects it when it is published (the schedule row keeps
 * which issue); with no issue, it stays outside issues (continuous publication).
 *
 * The reader site, OAI-PMH, sitemaps and the Atom feed follow at once: they read the catalog, and
 * their caches are dropped by the catalog's change notifications (catalog/changes.ts); search follows
 * within seconds, as the catalog's triggers queue the search.index job.
 */

type Trx = Transaction<Database>;

export interface Publishing {
  journalId: number;
  submissionId: number;
  userId: number | null;
  now: Date;
  /** `YYYY-MM-DD`; default: the clock's day (UTC). */
  date?: string;
  /** Where it goes; undefined: where it is scheduled (or the issue its publication is in, or none). */
  issueId?: number | null;
}

export interface Published {
  publicationId: number;
  /** The issue it is in now (null: online, outside issues). */
  issueId: number | null;
  /** The issue that collects it later (online first). */
  collectedBy: number | null;
  doi: string | null;
}

/** The submission locked, with what publishing needs; refuses one not accepted. */
export async function lockForPublishing(trx: Trx, journalId: number, submissionId: number) {
  const row = await trx
    .selectFrom('submissions as s')
    .innerJoin('articles as a', 'a.id', 's.id')
    .innerJoin('publications as p', 'p.id', 'a.current_publication_id')
    .leftJoin('publication_schedules as ps', 'ps.publication_id', 'p.id')
    .select(['s.id', 's.status', 's.stage', 'p.id as publication_id', 'p.status as publication_status', 'p.issue_id', 'ps.mode', 'ps.issue_id as schedule_issue', 'ps.publish_at'])
    .where('s.id', '=', submissionId)
    .where('s.journal_id', '=', journalId)
    .forUpdate('s')
    .executeTakeFirst();
  if (!row) throw new PublishingError('not-accepted');
  if (row.status === 'published') throw new PublishingError('already-published');
  const accepted = (row.status === 'active' && (row.stage === 'copyediting' || row.stage === 'production')) || row.status === 'scheduled';
  if (!accepted) throw new PublishingError('not-accepted');
  return row;
}

/** An issue of the journal: whether it is published; refuses another journal's or an unknown one. */
export async function issueOf(db: Db, journalId: number, issueId: number): Promise<{ id: number; published: boolean }> {
  const issue = await db.selectFrom('issues').select(['id', 'is_published']).where('id', '=', issueId).where('journal_id', '=', journalId).executeTakeFirst();
  if (!issue) throw new PublishingError('issue-unknown');
  return { id: issue.id, published: issue.is_published };
}

/** Refuses when something blocks (readiness.ts); the warnings are the page's to confirm. */
export async function assertReady(db: Db, journalId: number, submissionId: number): Promise<void> {
  const facts = await readinessFacts(db, journalId, submissionId, { placed: true });
  const result = facts && readiness(facts);
  if (!result?.ready) throw new PublishingError('not-ready', result?.blocking ?? []);
}

export async function publishSubmission(db: Db, input: Publishing): Promise<Published> {
  return inTransaction(db, async (trx) => {
    const row = await lockForPublishing(trx, input.journalId, input.submissionId);
    await assertReady(trx, input.journalId, input.submissionId);
    const target = input.issueId !== undefined ? input.issueId : (row.schedule_issue ?? row.issue_id);
    return publishLocked(trx, input, row.publication_id, target);
  });
}

/** Publishes a locked, ready submission into `target` (see publishSubmission). */
export async function publishLocked(trx: Trx, input: Publishing, publicationId: number, target: number | null): Promise<Published> {
  const issue = target === null ? undefined : await issueOf(trx, input.journalId, target);
  const inIssue = issue?.published ? issue.id : null;
  const collectedBy = issue && !issue.published ? issue.id : null;
  const date = input.date ?? input.now.toISOString().slice(0, 10);
  const { dois } = await publishArticleVersion(trx, { journalId: input.journalId, articleId: input.submissionId, issueId: inIssue, date });
  await trx.deleteFrom('publication_schedules').where('publication_id', '=', publicationId).execute();
  if (collectedBy !== null) {
    await trx.insertInto('publication_schedules').values({ publication_id: publicationId, journal_id: input.journalId, mode: 'online-first', issue_id: collectedBy, publish_at: null, scheduled_by: input.userId }).execute();
  }
  await trx.updateTable('submissions').set({ status: 'published', last_activity_at: input.now }).where('id', '=', input.submissionId).execute();
  await emit(trx, { type: 'PublicationPublished', journalId: input.journalId, articleId: input.submissionId, publicationId, via: 'workflow' });
  const doi = dois?.assigned[0]?.doi ?? (await trx.selectFrom('publications').select('doi').where('id', '=', publicationId).executeTakeFirstOrThrow()).doi;
  return { publicationId, issueId: inIssue, collectedBy, doi };
}

/**
 * Takes a published submission off the reader site (OJS: "Unpublish"): the catalog's unpublishArticle
 * (its current version stops being public, the reason kept), and the submission back in production,
 * to be corrected and published again.
 */
export async function unpublishSubmission(db: Db, input: { journalId: number; submissionId: number; userId: number | null; reason: string; now: Date }): Promise<void> {
  await inTransaction(db, async (trx) => {
    const row = await trx.selectFrom('submissions').select('status').where('id', '=', input.submissionId).where('journal_id', '=', input.journalId).forUpdate().executeTakeFirst();
    if (!row || row.status !== 'published') throw new PublishingError('not-published');
    await unpublishArticle(trx, input.submissionId, input.reason, input.userId);
    await trx.deleteFrom('publication_schedules').where('publication_id', 'in', trx.selectFrom('publications').select('id').where('article_id', '=', input.submissionId)).execute();
    await trx.updateTable('submissions').set({ status: 'active', stage: 'production', last_activity_at: input.now }).where('id', '=', input.submissionId).execute();
  });
}
