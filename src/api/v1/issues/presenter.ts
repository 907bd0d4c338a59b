import type { Issue as IssueRow } from '../../../db/index.ts';
import type { Static } from '../../../platform/http/index.ts';
import { isoDate } from '../common.ts';
import type { Issue } from './schema.ts';

export function presentIssue(row: IssueRow, journalPath: string, baseUrl: string): Static<typeof Issue> {
  return {
    id: row.id,
    journalId: row.journal_id,
    volume: row.volume,
    number: row.number,
    year: row.year,
    title: row.title,
    description: row.description,
    showVolume: row.show_volume,
    showNumber: row.show_number,
    showYear: row.show_year,
    showTitle: row.show_title,
    published: row.is_published,
    isCurrent: row.is_current,
    datePublished: isoDate(row.date_published),
    lastModified: row.updated_at.toISOString(),
    publishedUrl: `${baseUrl}/${journalPath}/issue/view/${row.id}`,
    _href: `${baseUrl}/${journalPath}/api/v1/issues/${row.id}`,
  };
}
