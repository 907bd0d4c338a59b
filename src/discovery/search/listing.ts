import { sql, type Kysely } from 'kysely';
import { visibleCurrentPublications, type IssueIdentity } from '../../catalog/index.ts';
import type { Database, LocalizedText } from '../../db/index.ts';

/** What a list of articles (results, browse lists, similar articles) shows of each. */
export interface ListedArticleData {
  id: number;
  locale: string;
  title: LocalizedText;
  datePublished: string | null;
  section: { title: LocalizedText };
  issue: IssueIdentity | null;
  contributors: Array<{ givenName: LocalizedText; familyName: LocalizedText }>;
  journal: { id: number; path: string; name: LocalizedText; primaryLocale: string };
}

/**
 * The listed articles by id, in one query, through the catalog's visibility rule: an id whose
 * article is not (or no longer) visible is simply absent, whatever the search index still says.
 */
export async function loadListedArticles(db: Kysely<Database>, articleIds: number[]): Promise<Map<number, ListedArticleData>> {
  const found = new Map<number, ListedArticleData>();
  if (articleIds.length === 0) return found;
  const rows = await visibleCurrentPublications(db)
    .select([
      'a.id',
      'a.locale',
      'p.title',
      'p.date_published',
      's.title as section_title',
      'i.id as issue_id',
      'i.volume',
      'i.number',
      'i.year',
      'i.title as issue_title',
      'i.show_volume',
      'i.show_number',
      'i.show_year',
      'i.show_title',
      'i.date_published as issue_date',
      'j.id as journal_id',
      'j.path as journal_path',
      'j.name as journal_name',
      'j.primary_locale',
      sql<Array<{ g: LocalizedText; f: LocalizedText }>>`coalesce((SELECT jsonb_agg(jsonb_build_object('g', c.given_name, 'f', c.family_name) ORDER BY c.seq) FROM contributors c WHERE c.publication_id = p.id), '[]'::jsonb)`.as('contributors'),
    ])
    .where('a.id', 'in', articleIds)
    .execute();
  for (const row of rows) {
    found.set(row.id, {
      id: row.id,
      locale: row.locale,
      title: row.title,
      datePublished: row.date_published,
      section: { title: row.section_title },
      issue:
        row.issue_id === null
          ? null
          : {
              id: row.issue_id,
              volume: row.volume,
              number: row.number,
              year: row.year,
              title: row.issue_title ?? {},
              showVolume: row.show_volume ?? true,
              showNumber: row.show_number ?? true,
              showYear: row.show_year ?? true,
              showTitle: row.show_title ?? true,
              datePublished: row.issue_date,
            },
      contributors: row.contributors.map((c) => ({ givenName: c.g, familyName: c.f })),
      journal: { id: row.journal_id, path: row.journal_path, name: row.journal_name, primaryLocale: row.primary_locale },
    });
  }
  return found;
}
