import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { findJournal, loadPublishedArticles } from '../catalog/index.ts';
import type { Clock } from '../clock.ts';
import type { Database, DepositStatus } from '../db/index.ts';
import type { RecordInput } from '../discovery/index.ts';
import type { CrossrefClient, CrossrefCredentials } from './crossref-client.ts';
import { journalDepositor } from './depositor.ts';
import { crossrefDeposit } from './crossref.ts';
import { enqueue } from '../platform/jobs/index.ts';

/**
 * Registering DOIs with Crossref, one article per deposit, with its state kept per article:
 * queued → submitted (Crossref accepted the upload) → registered (its submission log says Success)
 * or failed (with Crossref's message). Network trouble is retried with growing waits; a login or
 * XML problem is not. A registered article whose metadata changed is queued again.
 */
export const MAX_ATTEMPTS = 5;

/** 1 min, 5 min, 25 min, 2 h, capped at 6 h. */
export function retryDelayMs(attempts: number): number {
  return Math.min(60_000 * 5 ** Math.max(0, attempts - 1), 6 * 3600_000);
}

export interface DepositContext {
  db: Kysely<Database>;
  client: CrossrefClient;
  clock: Clock;
  baseUrl: string;
}

async function recordInput(ctx: DepositContext, articleId: number): Promise<RecordInput | undefined> {
  const article = (await loadPublishedArticles(ctx.db, [articleId])).get(articleId);
  if (!article) return undefined;
  const path = await ctx.db.selectFrom('journals').select('path').where('id', '=', article.journalId).executeTakeFirstOrThrow();
  const journal = await findJournal(ctx.db, path.path);
  return journal && { article, journal, baseUrl: ctx.baseUrl };
}

/**
 * What Crossref would be told about the article: the body of a deposit, whose head (batch id,
 * timestamp, depositor) is fixed here, since a new depositor address is no new metadata. Equal
 * hashes, nothing to re-deposit.
 */
function metadataHash(input: RecordInput): string {
  const xml = crossrefDeposit([input], { depositor: { name: 'hash', email: 'hash@example.org', registrant: 'hash' }, batchId: 'hash-only', timestamp: 1 });
  return createHash('sha256').update(xml).digest('hex');
}

async function credentialsOf(db: Kysely<Database>, journalId: number): Promise<CrossrefCredentials | undefined> {
  const j = await db.selectFrom('journals').select(['crossref_username', 'crossref_password']).where('id', '=', journalId).executeTakeFirstOrThrow();
  return j.crossref_username && j.crossref_password ? { username: j.crossref_username, password: j.crossref_password } : undefined;
}

/** The job that sends one article's deposit; its key makes N processes send it once. */
export const DEPOSIT_JOB = 'crossref.deposit';
/** The job that reads Crossref's submission log of one sent deposit. */
export const CHECK_JOB = 'crossref.check';

export function depositKey(articleId: number): string {
  return `${DEPOSIT_JOB}:article:${articleId}`;
}

/**
 * Queues the journal's published articles that have a DOI and are not registered with their current
 * metadata: each one's row is set to queued and its deposit job queued in the same transaction, so
 * the job exists exactly when the row says queued.
 */
export async function queueDeposits(ctx: DepositContext, journalId: number, options: { issueId?: number; articleIds?: number[] } = {}): Promise<{ queued: number[]; unchanged: number[]; withoutDoi: number[] }> {
  let query = ctx.db
    .selectFrom('articles as a')
    .innerJoin('publications as p', 'p.id', 'a.current_publication_id')
    .select(['a.id', 'p.doi'])
    .where('a.journal_id', '=', journalId)
    .where('p.status', '=', 'published');
  if (options.issueId !== undefined) query = query.where('p.issue_id', '=', options.issueId);
  if (options.articleIds) query = query.where('a.id', 'in', options.articleIds.length ? options.articleIds : [-1]);
  const rows = await query.orderBy('a.id').execute();
  const result = { queued: [] as number[], unchanged: [] as number[], withoutDoi: [] as number[] };
  for (const row of rows) {
    if (!row.doi) {
      result.withoutDoi.push(row.id);
      continue;
    }
    const input = await recordInput(ctx, row.id);
    if (!input) continue;
    const hash = metadataHash(input);
    const existing = await ctx.db.selectFrom('crossref_deposits').selectAll().where('article_id', '=', row.id).executeTakeFirst();
    if (existing && existing.metadata_hash === hash && (existing.status === 'registered' || existing.status === 'submitted' || existing.status === 'queued')) {
      result.unchanged.push(row.id);
      continue;
    }
    const now = ctx.clock.now();
    const values = { status: 'queued' as DepositStatus, doi: row.doi, metadata_hash: hash, message: null, attempts: 0, next_attempt_at: now, batch_id: null };
    await ctx.db.transaction().execute(async (trx) => {
      if (existing) await trx.updateTable('crossref_deposits').set({ ...values, updated_at: now }).where('article_id', '=', row.id).execute();
      else await trx.insertInto('crossref_deposits').values({ article_id: row.id, ...values }).execute();
      await enqueue(trx, { kind: DEPOSIT_JOB, payload: { articleId: row.id }, runAt: now, key: depositKey(row.id), maxAttempts: MAX_ATTEMPTS });
    });
    result.queued.push(row.id);
  }
  return result;
}

export interface DepositOutcome {
  articleId: number;
  status: DepositStatus;
  message: string | null;
  /** Worth another try later (network trouble, Crossref unavailable). */
  retryable?: boolean;
}

/**
 * Sends one article's deposit, when its row is queued (or failed, on an admin's retry); a row already
 * submitted or registered means this deposit was made, and nothing is sent again. `lastTry` says a
 * failure now is final.
 */
export async function depositArticle(ctx: DepositContext, articleId: number, lastTry: boolean): Promise<DepositOutcome | undefined> {
  const row = await ctx.db
    .selectFrom('crossref_deposits as d')
    .innerJoin('articles as a', 'a.id', 'd.article_id')
    .select(['d.article_id', 'd.status', 'd.attempts', 'a.journal_id'])
    .where('d.article_id', '=', articleId)
    .executeTakeFirst();
  if (!row || (row.status !== 'queued' && row.status !== 'failed')) return undefined;
  const now = ctx.clock.now();
  const credentials = await credentialsOf(ctx.db, row.journal_id);
  const from = await journalDepositor(ctx.db, row.journal_id);
  const input = await recordInput(ctx, articleId);
  const fail = async (message: string, attempts?: number): Promise<DepositOutcome> => {
    await ctx.db.updateTable('crossref_deposits').set({ status: 'failed', message, ...(attempts ? { attempts } : {}), updated_at: now }).where('article_id', '=', articleId).execute();
    return { articleId, status: 'failed', message };
  };
  if (!credentials) return fail('the journal has no Crossref username and password');
  if (!input) return fail('the article is no longer published');
  if (!from.ok) return fail(from.problem);
  const batchId = `revista-${articleId}-${now.getTime()}`;
  let xml: string;
  try {
    // Crossref keeps the deposit with the greatest timestamp: milliseconds since 1970 only grow.
    xml = crossrefDeposit([input], { depositor: from.depositor, batchId, timestamp: now.getTime() });
  } catch (error) {
    return fail((error as Error).message);
  }
  const answer = await ctx.client.deposit(xml, batchId, credentials);
  const attempts = (row.status === 'failed' ? 0 : row.attempts) + 1;
  if (answer.ok) {
    await ctx.db.transaction().execute(async (trx) => {
      await trx.updateTable('crossref_deposits').set({ status: 'submitted', batch_id: batchId, attempts, submitted_at: now, metadata_hash: metadataHash(input), message: answer.message, next_attempt_at: new Date(now.getTime() + 60_000), updated_at: now }).where('article_id', '=', articleId).execute();
      await enqueue(trx, { kind: CHECK_JOB, payload: { articleId }, runAt: new Date(now.getTime() + 60_000), key: `${CHECK_JOB}:article:${articleId}`, maxAttempts: 30 });
    });
    return { articleId, status: 'submitted', message: answer.message };
  }
  if (answer.retryable && !lastTry) {
    await ctx.db.updateTable('crossref_deposits').set({ status: 'queued', attempts, message: answer.message, next_attempt_at: new Date(now.getTime() + retryDelayMs(attempts)), updated_at: now }).where('article_id', '=', articleId).execute();
    return { articleId, status: 'queued', message: answer.message, retryable: true };
  }
  return fail(answer.message, attempts);
}

/** Reads Crossref's submission log of one submitted deposit: registered only when Crossref says Success; undefined when the log is not ready. */
export async function checkArticleDeposit(ctx: DepositContext, articleId: number): Promise<DepositOutcome | undefined> {
  const row = await ctx.db
    .selectFrom('crossref_deposits as d')
    .innerJoin('articles as a', 'a.id', 'd.article_id')
    .select(['d.article_id', 'd.batch_id', 'd.doi', 'd.status', 'a.journal_id'])
    .where('d.article_id', '=', articleId)
    .executeTakeFirst();
  if (!row || row.status !== 'submitted') return { articleId, status: row?.status ?? 'failed', message: null };
  const now = ctx.clock.now();
  const credentials = await credentialsOf(ctx.db, row.journal_id);
  if (!credentials || !row.batch_id) return { articleId, status: 'submitted', message: 'the journal has no Crossref username and password' };
  const answer = await ctx.client.result(row.batch_id, credentials);
  if (answer.state !== 'done') return undefined;
  const record = answer.records.find((r) => r.doi.toLowerCase() === row.doi.toLowerCase());
  const ok = record && (record.status === 'Success' || record.status === 'Warning');
  const status: DepositStatus = ok ? 'registered' : 'failed';
  const message = record?.message ?? 'Crossref\u2019s submission log does not mention this DOI';
  await ctx.db
    .updateTable('crossref_deposits')
    .set({ status, message, ...(ok ? { registered_at: now } : {}), updated_at: now })
    .where('article_id', '=', articleId)
    .where('status', '=', 'submitted')
    .execute();
  return { articleId, status, message };
}

/** The management page's "read the logs now": every submitted deposit of the journal. */
export async function checkSubmittedDeposits(ctx: DepositContext, journalId?: number): Promise<DepositOutcome[]> {
  let query = ctx.db.selectFrom('crossref_deposits as d').innerJoin('articles as a', 'a.id', 'd.article_id').select('d.article_id').where('d.status', '=', 'submitted');
  if (journalId !== undefined) query = query.where('a.journal_id', '=', journalId);
  const submitted = await query.orderBy('d.article_id').execute();
  const outcomes: DepositOutcome[] = [];
  for (const { article_id } of submitted) outcomes.push((await checkArticleDeposit(ctx, article_id)) ?? { articleId: article_id, status: 'submitted', message: null });
  return outcomes;
}

/**
 * Re-deposit on metadata change: registered articles whose record changed since (the OAI datestamp
 * moves with every change to the article, its contributors, references or issue) are queued again
 * when what Crossref would receive differs.
 */
export async function requeueChanged(ctx: DepositContext): Promise<number[]> {
  const changed = await ctx.db
    .selectFrom('crossref_deposits as d')
    .innerJoin('oai_records as o', 'o.article_id', 'd.article_id')
    .innerJoin('articles as a', 'a.id', 'd.article_id')
    .select(['d.article_id', 'a.journal_id'])
    .where('d.status', '=', 'registered')
    .whereRef('o.datestamp', '>', 'd.updated_at')
    .execute();
  const queued: number[] = [];
  for (const journalId of new Set(changed.map((c) => c.journal_id))) {
    const ids = changed.filter((c) => c.journal_id === journalId).map((c) => c.article_id);
    queued.push(...(await queueDeposits(ctx, journalId, { articleIds: ids })).queued);
  }
  return queued;
}
