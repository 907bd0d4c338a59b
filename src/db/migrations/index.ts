import type { Migration, MigrationProvider } from 'kysely';
import * as catalog from './0001_catalog.ts';
import * as accounts from './0002_accounts.ts';
import * as discovery from './0003_discovery.ts';
import * as exportsMigration from './0004_exports.ts';
import * as stats from './0005_stats.ts';
import * as sushiKeys from './0006_sushi_keys.ts';
import * as usageRollup from './0007_usage_rollup.ts';
import * as ojsInterop from './0009_ojs_interop.ts';
import * as search from './0008_search.ts';
import * as referenceParses from './0010_reference_parses.ts';
import * as searchPostings from './0011_search_postings.ts';
import * as contentChannel from './0012_content_channel.ts';
import * as articleCurrentPublication from './0013_article_current_publication.ts';
import * as throttle from './0014_throttle.ts';
import * as fileTypes from './0015_file_types.ts';
import * as issueGalleys from './0016_issue_galleys.ts';
import * as richTextAbstracts from './0017_rich_text_abstracts.ts';
import * as orcidAuthenticated from './0018_orcid_authenticated.ts';
import * as userSearch from './0019_user_search.ts';
import * as invitations from './0020_invitations.ts';
import * as articleUnpublications from './0022_article_unpublications.ts';
import * as jobs from './0023_jobs.ts';
import * as domainEvents from './0024_domain_events.ts';
import * as apiTokens from './0025_api_tokens.ts';
import * as submissions from './0026_submissions.ts';
import * as editorialIndexes from './0027_editorial_indexes.ts';
import * as review from './0028_review.ts';
import * as contributorIdentityIndexes from './0029_contributor_identity_indexes.ts';
import * as production from './0030_production.ts';
import * as searchProminentTerms from './0031_search_prominent_terms.ts';
import * as bigJournalIndexes from './0032_big_journal_indexes.ts';

/** Every migration, in order. A new capability adds its file here; names sort by their number. */
const migrations: Record<string, Migration> = {
  '0001_catalog': catalog,
  '0002_accounts': accounts,
  '0003_discovery': discovery,
  '0004_exports': exportsMigration,
  '0005_stats': stats,
  '0006_sushi_keys': sushiKeys,
  '0007_usage_rollup': usageRollup,
  '0009_ojs_interop': ojsInterop,
  '0008_search': search,
  '0010_reference_parses': referenceParses,
  '0011_search_postings': searchPostings,
  '0012_content_channel': contentChannel,
  '0013_article_current_publication': articleCurrentPublication,
  '0014_throttle': throttle,
  '0015_file_types': fileTypes,
  '0016_issue_galleys': issueGalleys,
  '0017_rich_text_abstracts': richTextAbstracts,
  '0018_orcid_authenticated': orcidAuthenticated,
  '0019_user_search': userSearch,
  '0020_invitations': invitations,
  '0022_article_unpublications': articleUnpublications,
  '0023_jobs': jobs,
  '0024_domain_events': domainEvents,
  '0025_api_tokens': apiTokens,
  '0026_submissions': submissions,
  '0027_editorial_indexes': editorialIndexes,
  '0028_review': review,
  '0029_contributor_identity_indexes': contributorIdentityIndexes,
  '0030_production': production,
  '0031_search_prominent_terms': searchProminentTerms,
  '0032_big_journal_indexes': bigJournalIndexes,
};

export const migrationProvider: MigrationProvider = {
  async getMigrations() {
    return migrations;
  },
};
