import { PermanentJobError, type JobContext, type JobHandler, type Schedule } from '../platform/jobs/index.ts';
import type { CrossrefClient } from './crossref-client.ts';
import { CHECK_JOB, checkArticleDeposit, depositArticle, DEPOSIT_JOB, requeueChanged, retryDelayMs, type DepositContext, type DepositOutcome } from './deposits.ts';

/**
 * Crossref deposits as jobs: one job per article (keyed by it, so however many worker processes run,
 * each article is sent once), a job reading its submission log a minute later, and a schedule that
 * re-queues registered articles whose metadata changed.
 */
export const REQUEUE_CHANGED_JOB = 'crossref.requeue-changed';

export interface DepositJobOptions {
  client: CrossrefClient;
  baseUrl: string;
  /** Sees how each deposit ended (logging; tests). */
  onOutcome?(outcome: DepositOutcome): void;
}

type ArticlePayload = { articleId: number };

function articleIdOf(payload: ArticlePayload): number {
  if (!Number.isInteger(payload?.articleId)) throw new PermanentJobError(`the job names no article: ${JSON.stringify(payload)}`);
  return payload.articleId;
}

function contextOf(options: DepositJobOptions, job: JobContext): DepositContext {
  return { db: job.db, client: options.client, clock: job.clock, baseUrl: options.baseUrl };
}

export function depositJobs(options: DepositJobOptions): JobHandler[] {
  const deposit: JobHandler<ArticlePayload> = {
    kind: DEPOSIT_JOB,
    // Crossref's own pace: 1 min, 5 min, 25 min, 2 h (the job's tries are the deposit's attempts).
    retryDelayMs,
    async run(payload, job) {
      const outcome = await depositArticle(contextOf(options, job), articleIdOf(payload), job.attempt >= job.maxAttempts);
      if (!outcome) return;
      options.onOutcome?.(outcome);
      job.log.info({ articleId: outcome.articleId, status: outcome.status }, 'Crossref deposit');
      if (outcome.status === 'failed') throw new PermanentJobError(`article ${outcome.articleId}: ${outcome.message ?? 'deposit failed'}`);
      if (outcome.retryable) throw new Error(`article ${outcome.articleId}: ${outcome.message ?? 'Crossref did not take the deposit'}`);
    },
  };
  const check: JobHandler<ArticlePayload> = {
    kind: CHECK_JOB,
    // Crossref processes a deposit in minutes to hours: look again every few minutes, for about a day.
    retryDelayMs: (attempt) => Math.min(60_000 * attempt, 3600_000),
    async run(payload, job) {
      const outcome = await checkArticleDeposit(contextOf(options, job), articleIdOf(payload));
      if (!outcome) throw new Error(`article ${articleIdOf(payload)}: Crossref has not processed the deposit yet`);
      options.onOutcome?.(outcome);
      if (outcome.status !== 'submitted') job.log.info({ articleId: outcome.articleId, status: outcome.status }, 'Crossref submission log read');
    },
  };
  const requeue: JobHandler = {
    kind: REQUEUE_CHANGED_JOB,
    async run(_payload, job) {
      await requeueChanged(contextOf(options, job));
    },
  };
  return [deposit, check, requeue];
}

/** Registered articles whose metadata changed are looked for every five minutes. */
export const depositSchedules: Schedule[] = [{ name: REQUEUE_CHANGED_JOB, kind: REQUEUE_CHANGED_JOB, everyMs: 5 * 60_000, maxAttempts: 1 }];
