import type { JobHandler, Schedule } from '../platform/jobs/index.ts';
import { PARSER_VERSION, parseStaleReferences } from './store.ts';

/**
 * Parsing references as a job: a trigger on `citations` queues it whenever reference texts are
 * written (migration 0023) — by a page, an OJS import or SQL — and a worker parses every list
 * without a current parse, resting as long as it worked so pages stay quick in the same process.
 * A new parser version is caught up by the job the worker queues when it starts.
 */
export const REFERENCES_PARSE_JOB = 'references.parse';

export function referenceJobs(): JobHandler[] {
  return [
    {
      kind: REFERENCES_PARSE_JOB,
      leaseMs: 15 * 60_000,
      async run(_payload, job) {
        const done = await parseStaleReferences(job.db, { restRatio: 1, stopped: () => job.signal.aborted });
        if (done.references > 0) job.log.info({ ...done, parserVersion: PARSER_VERSION }, 'references parsed');
      },
    },
  ];
}

/** For texts written in the instant a run was finishing: looked at every five minutes. */
export const referenceSchedules: Schedule[] = [{ name: REFERENCES_PARSE_JOB, kind: REFERENCES_PARSE_JOB, everyMs: 5 * 60_000, maxAttempts: 1 }];
