import { readFileSync } from 'node:fs';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { addPublishedArticle, createIssue, createJournal, createSection } from '../catalog/index.ts';
import { createSiteRecord } from '../admin/index.ts';
import { seedDefaultReviewForm } from '../workflow/index.ts';
import { parseSeedArticlePage } from './seed-page.ts';

export { parseSeedArticlePage } from './seed-page.ts';

export const DEMO_JOURNAL_PATH = 'sm';
export const DEMO_ARTICLE_ID = 1786;
export const SEED_PAGE_FILE = new URL('./article-page.txt', import.meta.url);

/** Stated in the foundation issue: the page's author line carries only this affiliation. */
const DEMO_AFFILIATION = 'University of Economics and Human Sciences in Warsaw';

export type SeedOutcome = 'seeded' | 'already-initialised';

/**
 * First start: creates the site record and, on a database that has no journals, the demo journal
 * from the seed page. Runs once per database: the site record marks it done, so restarts (and a
 * site whose admin deleted the demo) never get it again. Safe when two servers start at once.
 */
export async function initialiseSite(db: Kysely<Database>, options: { demo: boolean }): Promise<SeedOutcome> {
  return db.transaction().execute(async (tx) => {
    await sql`SELECT pg_advisory_xact_lock(hashtext('revista:initialise-site'))`.execute(tx);
    if (!(await createSiteRecord(tx, { title: { pl: 'Revista', en: 'Revista' }, primaryLocale: 'pl', supportedLocales: ['pl', 'en'] }))) return 'already-initialised';
    const journals = await tx.selectFrom('journals').select('id').limit(1).execute();
    if (!options.demo || journals.length > 0) return 'already-initialised';

    const page = parseSeedArticlePage(readFileSync(SEED_PAGE_FILE, 'utf8'));
    const journalId = await createJournal(tx, {
      path: DEMO_JOURNAL_PATH,
      name: { pl: 'Sprawy Międzynarodowe' },
      primaryLocale: 'pl',
      supportedLocales: ['pl', 'en'],
    });
    const sectionId = await createSection(tx, { journalId, title: { pl: page.section } });
    const issueId = await createIssue(tx, {
      journalId,
      volume: page.issue.volume,
      number: page.issue.number,
      year: page.issue.year,
      title: { pl: page.issue.title },
      published: true,
      current: true,
    });
    await addPublishedArticle(tx, {
      id: DEMO_ARTICLE_ID,
      journalId,
      sectionId,
      issueId,
      // Title and abstract are in English on the Polish page: the article's language is English.
      locale: 'en',
      title: { en: page.title },
      abstract: { en: page.abstract },
      dateSubmitted: page.dateSubmitted,
      datePublished: page.datePublished,
      contributors: [{ affiliation: { en: DEMO_AFFILIATION }, isPrimaryContact: true }],
      references: page.references,
    });
    await seedDefaultReviewForm(tx, journalId, new Date());
    return 'seeded';
  });
}
