import type { Static } from '../../../platform/http/index.ts';
import type { JournalSummary } from '../../../catalog/index.ts';
import type { Context } from './schema.ts';

export function presentContext(journal: JournalSummary, baseUrl: string): Static<typeof Context> {
  return {
    id: journal.id,
    urlPath: journal.path,
    name: journal.name,
    acronym: journal.acronym,
    description: journal.description,
    primaryLocale: journal.primaryLocale,
    supportedLocales: journal.supportedLocales,
    onlineIssn: journal.onlineIssn,
    printIssn: journal.printIssn,
    publisher: journal.publisher,
    licenseUrl: journal.licenseUrl,
    url: `${baseUrl}/${journal.path}`,
    _href: `${baseUrl}/api/v1/contexts/${journal.id}`,
  };
}
