import type { Kysely } from 'kysely';
import type { Clock } from '../../clock.ts';
import type { Database } from '../../db/index.ts';
import type { typed } from '../../platform/http/index.ts';
import type { FileStore } from '../../storage/index.ts';

/** What the API's resources are given once. */
export interface ApiDeps {
  db: Kysely<Database>;
  clock: Clock;
  /** The site's public address, for `url…` and `_href` fields. */
  baseUrl: string;
  /** Where uploaded submission files are stored. */
  files: FileStore;
}

/** The API's scope with typed requests: routes read `request.params` etc. as their schemas say. */
export type ApiRoutes = ReturnType<typeof typed>;
