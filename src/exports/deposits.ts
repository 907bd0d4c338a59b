import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { findJournal, loadPublishedArticles } from '../catalog/index.ts';
import type { Clock } from '../clock.ts';
import type { Database, DepositStatus } from '../db/index.ts';
import type { RecordInput } from '../discovery/index.ts';
import type { CrossrefClient, CrossrefCredentials } from './crossref-client.ts';
import { journalDepositor } from './depositor.ts';
import { crossrefDeposit } from './crossref.ts';

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

/** Queues the journal's published articles that have a DOI and are not registered with their current metadata. */
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
    const values = { status: 'queued' as DepositStatus, doi: row.doi, metadata_hash: hash, message: null, attempts: 0, next_attempt_at: ctx.clock.now(), batch_id: null };
    if (existing) await ctx.db.updateTable('crossref_deposits').set({ ...values, updated_at: ctx.clock.now() }).where('article_id', '=', row.id).execute();
    else await ctx.db.insertInto('crossref_deposits').values({ article_id: row.id, ...values }).execute();
    result.queued.push(row.id);
  }
  return result;
}

/** Sends every queued deposit that is due. Returns how each ended. */
export async function sendQueuedDeposits(ctx: DepositContext): Promise<Array<{ articleId: number; status: DepositStatus; message: string | null }>> {
  const due = await ctx.db
    .selectFrom('crossref_deposits as d')
    .innerJoin('articles as a', 'a.id', 'd.article_id')
    .select(['d.article_id', 'd.attempts', 'a.journal_id'])
    .where('d.status', '=', 'queued')
    .where((eb) => eb.or([eb('d.next_attempt_at', 'is', null), eb('d.next_attempt_at', '<=', ctx.clock.now())]))
    .orderBy('d.article_id')
    .execute();
  const outcomes: Array<{ articleId: number; status: DepositStatus; message: string | null }> = [];
  for (const row of due) {
    const now = ctx.clock.now();
    const credentials = await credentialsOf(ctx.db, row.journal_id);
    const from = await journalDepositor(ctx.db, row.journal_id);
    const input = await recordInput(ctx, row.article_id);
    const fail = async (message: string) => {
      await ctx.db.updateTable('crossref_deposits').set({ status: 'failed', message, updated_at: now }).where('article_id', '=', row.article_id).execute();
      outcomes.push({ articleId: row.article_id, status: 'failed', message });
    };
    if (!credentials) {
      await fail('the journal has no Crossref username and password');
      continue;
    }
    if (!input) {
      await fail('the article is no longer published');
      continue;
    }
    if (!from.ok) {
      await fail(from.problem);
      continue;
    }
    const { depositor } = from;
    const batchId = `revista-${row.article_id}-${now.getTime()}`;
    let xml: string;
    try {
      // Crossref keeps the deposit with the greatest timestamp: milliseconds since 1970 only grow.
      xml = crossrefDeposit([input], { depositor, batchId, timestamp: now.getTime() });
    } catch (error) {
      await fail((error as Error).message);
      continue;
    }
    const answer = await ctx.client.deposit(xml, batchId, credentials);
    const attempts = row.attempts + 1;
    if (answer.ok) {
      await ctx.db.updateTable('crossref_deposits').set({ status: 'submitted', batch_id: batchId, attempts, submitted_at: now, message: answer.message, next_attempt_at: new Date(now.getTime() + 60_000), updated_at: now }).where('article_id', '=', row.article_id).execute();
      outcomes.push({ articleId: row.article_id, status: 'submitted', message: answer.message });
    } else if (answer.retryable && attempts < MAX_ATTEMPTS) {
      await ctx.db.updateTable('crossref_deposits').set({ attempts, message: answer.message, next_attempt_at: new Date(now.getTime() + retryDelayMs(attempts)), updated_at: now }).where('article_id', '=', row.article_id).execute();
      outcomes.push({ articleId: row.article_id, status: 'queued', message: answer.message });
    } else {
      await ctx.db.updateTable('crossref_deposits').set({ attempts }).where('article_id', '=', row.article_id).execute();
      await fail(answer.message);
    }
  }
  return outcomes;
}

/** Reads Crossref's submission logs of submitted deposits: registered only when Crossref says Success. */
export async function checkSubmittedDeposits(ctx: DepositContext): Promise<Array<{ articleId: number; status: DepositStatus; message: string | null }>> {
  const submitted = await ctx.db
    .selectFrom('crossref_deposits as d')
    .innerJoin('articles as a', 'a.id', 'd.article_id')
    .select(['d.article_id', 'd.batch_id', 'd.doi', 'a.journal_id'])
    .where('d.status', '=', 'submitted')
    .orderBy('d.article_id')
    .execute();
  const outcomes: Array<{ articleId: number; status: DepositStatus; message: string | null }> = [];
  for (const row of submitted) {
    const now = ctx.clock.now();
    const credentials = await credentialsOf(ctx.db, row.journal_id);
    if (!credentials || !row.batch_id) continue;
    const answer = await ctx.client.result(row.batch_id, credentials);
    if (answer.state !== 'done') {
      outcomes.push({ articleId: row.article_id, status: 'submitted', message: answer.message });
      continue;
    }
    const record = answer.records.find((r) => r.doi.toLowerCase() === row.doi.toLowerCase());
    const ok = record && (record.status === 'Success' || record.status === 'Warning');
    const status: DepositStatus = ok ? 'registered' : 'failed';
    const message = record?.message ?? 'Crossref\u2019s submission log does not mention this DOI';
    await ctx.db
      .updateTable('crossref_deposits')
      .set({ status, message, ...(ok ? { registered_at: now } : {}), updated_at: now })
      .where('article_id', '=', row.article_id)
      .execute();
    outcomes.push({ articleId: row.article_id, status, message });
  }
  return outcomes;
}

/**
 * Runs queued deposits and reads Crossref's logs every minute in the server process (only journals
 * with a Crossref account have anything queued). Errors are logged and tried again next round.
 */
export function startDepositWorker(ctx: DepositContext, log: { info(obj: object, msg: string): void; error(obj: object, msg: string): void }, intervalMs = 60_000): () => Promise<void> {
  let running: Promise<void> | undefined;
  const round = async () => {
    try {
      await requeueChanged(ctx);
      const sent = await sendQueuedDeposits(ctx);
      const checked = await checkSubmittedDeposits(ctx);
      for (const o of [...sent, ...checked]) if (o.status !== 'submitted' || sent.includes(o)) log.info({ articleId: o.articleId, status: o.status }, 'Crossref deposit');
    } catch (error) {
      log.error({ err: error }, 'Crossref deposit round failed');
    }
  };
  const timer = setInterval(() => {
    running ??= round().finally(() => (running = undefined));
  }, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
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
