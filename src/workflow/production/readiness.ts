import type { Db } from '../../catalog/index.ts';
import type { LocalizedText } from '../../db/schema.ts';

/**
 * "Ready to publish?" (issue 21, item 3): what indexers (Crossref, DOAJ, Google Scholar, OAI-PMH
 * harvesters) need of an article and this one lacks, before the publish button works.
 *
 * The rule, as OJS has it (it blocks on a few and warns on the rest):
 * - BLOCKING: a title; authors, every one with a name (given or family) in the submission's
 *   language; at least one galley. Without them the article page, its citation and every
 *   harvested record are broken, so publishing refuses (checked again in the command, not only
 *   on the page).
 * - WARNINGS, which the editor confirms: an abstract, a licence URL, a DOI (or the journal's prefix,
 *   which gives one on publishing), pages or an article number, an ISSN (DOAJ takes no journal
 *   without one), an issue or the online-first choice. An editorial or back content may lack them.
 */

export type ReadinessItem = 'title' | 'authors' | 'author-names' | 'galley' | 'abstract' | 'license' | 'doi' | 'pages' | 'issn' | 'issue';

export const BLOCKING: readonly ReadinessItem[] = ['title', 'authors', 'author-names', 'galley'];

export interface ReadinessFacts {
  locale: string;
  title: LocalizedText;
  abstract: LocalizedText;
  licenseUrl: string | null;
  doi: string | null;
  pages: string | null;
  articleNumber: string | null;
  contributors: ReadonlyArray<{ givenName: LocalizedText; familyName: LocalizedText }>;
  galleys: number;
  journal: { doiPrefix: string | null; onlineIssn: string | null; printIssn: string | null };
  /** An issue is chosen (scheduled into one, or the publication is in one) or online first is. */
  placed: boolean;
}

export interface Readiness {
  blocking: ReadinessItem[];
  warnings: ReadinessItem[];
  /** Nothing blocks: the publish and schedule buttons work. */
  ready: boolean;
}

const filled = (text: LocalizedText, locale: string) => (text[locale] ?? '').replace(/<[^>]*>/g, '').trim() !== '';

/** Pure: the missing items, blocking first, each list in the order of ReadinessItem. */
export function readiness(facts: ReadinessFacts): Readiness {
  const missing: ReadinessItem[] = [];
  if (!filled(facts.title, facts.locale)) missing.push('title');
  if (facts.contributors.length === 0) missing.push('authors');
  else if (facts.contributors.some((c) => !filled(c.givenName, facts.locale) && !filled(c.familyName, facts.locale))) missing.push('author-names');
  if (facts.galleys === 0) missing.push('galley');
  if (!filled(facts.abstract, facts.locale)) missing.push('abstract');
  if (!facts.licenseUrl?.trim()) missing.push('license');
  if (!facts.doi?.trim() && !facts.journal.doiPrefix?.trim()) missing.push('doi');
  if (!facts.pages?.trim() && !facts.articleNumber?.trim()) missing.push('pages');
  if (!facts.journal.onlineIssn?.trim() && !facts.journal.printIssn?.trim()) missing.push('issn');
  if (!facts.placed) missing.push('issue');
  const blocking = missing.filter((m) => BLOCKING.includes(m));
  return { blocking, warnings: missing.filter((m) => !BLOCKING.includes(m)), ready: blocking.length === 0 };
}

/** The facts of a submission's current publication, read from the database. `placed` overrides the stored choice (a form's). */
export async function readinessFacts(db: Db, journalId: number, submissionId: number, options: { placed?: boolean } = {}): Promise<ReadinessFacts | undefined> {
  const row = await db
    .selectFrom('articles as a')
    .innerJoin('publications as p', 'p.id', 'a.current_publication_id')
    .innerJoin('journals as j', 'j.id', 'a.journal_id')
    .leftJoin('publication_schedules as ps', 'ps.publication_id', 'p.id')
    .select(['p.id', 'p.locale', 'p.title', 'p.abstract', 'p.license_url', 'p.doi', 'p.pages', 'p.article_number', 'p.issue_id', 'ps.mode', 'ps.issue_id as schedule_issue', 'j.doi_prefix', 'j.online_issn', 'j.print_issn'])
    .where('a.id', '=', submissionId)
    .where('a.journal_id', '=', journalId)
    .executeTakeFirst();
  if (!row) return undefined;
  const contributors = await db.selectFrom('contributors').select(['given_name', 'family_name']).where('publication_id', '=', row.id).execute();
  const galleys = await db.selectFrom('galleys').select((eb) => eb.fn.countAll<string>().as('n')).where('publication_id', '=', row.id).executeTakeFirstOrThrow();
  return {
    locale: row.locale,
    title: row.title,
    abstract: row.abstract,
    licenseUrl: row.license_url,
    doi: row.doi,
    pages: row.pages,
    articleNumber: row.article_number,
    contributors: contributors.map((c) => ({ givenName: c.given_name, familyName: c.family_name })),
    galleys: Number(galleys.n),
    journal: { doiPrefix: row.doi_prefix, onlineIssn: row.online_issn, printIssn: row.print_issn },
    placed: options.placed ?? (row.issue_id !== null || row.schedule_issue !== null || row.mode === 'online-first'),
  };
}

/** Where each item is fixed: the article's management pages, the journal's settings, the schedule form. */
export function fixUrl(item: ReadinessItem, journalPath: string, submissionId: number): string {
  const journal = `/${encodeURIComponent(journalPath)}`;
  const article = `${journal}/management/articles/${submissionId}`;
  switch (item) {
    case 'title':
    case 'abstract':
    case 'license':
    case 'pages':
    case 'authors':
    case 'author-names':
    case 'galley':
      return article;
    case 'doi':
      return `${journal}/management/doi`;
    case 'issn':
      return `${journal}/management/settings`;
    case 'issue':
      return `${journal}/workflow/index/${submissionId}#publication-schedule`;
  }
}
