import type { Kysely } from 'kysely';
import type { ContentChanges } from '../catalog/index.ts';
import type { Database } from '../db/index.ts';

/** What the discovery routes need, passed in once at buildApp. */
export interface DiscoveryDeps {
  db: Kysely<Database>;
  changes: ContentChanges;
  /** Public address of the site, without a trailing slash. */
  baseUrl: string;
  /** Key for signing OAI-PMH resumption tokens. */
  secret: string;
  /** Records per OAI-PMH list page. */
  oaiPageSize: number;
}
