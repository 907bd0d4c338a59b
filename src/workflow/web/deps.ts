import type { Kysely } from 'kysely';
import type { Clock } from '../../clock.ts';
import type { Database } from '../../db/index.ts';
import type { FileStore } from '../../storage/index.ts';

/** What the workflow's pages need from the composition root. */
export interface WorkflowWebDeps {
  db: Kysely<Database>;
  files: FileStore;
  clock: Clock;
  baseUrl: string;
}
