import { readFileSync } from 'node:fs';
import type { ArticleDetail, JournalSummary } from '../../src/catalog/index.ts';
import { parseSeedArticlePage, SEED_PAGE_FILE } from '../../src/demo/index.ts';
import type { RecordInput } from '../../src/discovery/index.ts';

/**
 * The demo article as the formats see it (RecordInput), built from its seed page without a
 * database: one contributor known only by affiliation, 42 references, no pages. Tests of Crossref,
 * DOAJ, JATS, MARC and citation output start from here and vary it.
 */
export const seed = parseSeedArticlePage(readFileSync(SEED_PAGE_FILE, 'utf8'));
export const DEMO_AFFILIATION = 'University of Economics and Human Sciences in Warsaw';

export const theme: JournalSummary['theme'] = { version: '1', logoFileId: null, faviconFileId: null, homepageImageFileId: null, colour: null, customCss: false };

export const demoJournal: JournalSummary = {
  id: 1,
  path: 'sm',
  name: { pl: 'Sprawy Międzynarodowe' },
  acronym: {},
  description: {},
  primaryLocale: 'pl',
  supportedLocales: ['pl', 'en'],
  onlineIssn: null,
  printIssn: null,
  publisher: null,
  licenseUrl: null,
  theme,
  navigation: [],
};

/** With a test DOI (10.5555 is Crossref's test prefix), so that it can be deposited. */
export const demoArticle: ArticleDetail = {
  id: 1786,
  journalId: 1,
  publicationId: 1,
  version: 1,
  locale: 'en',
  title: { en: seed.title },
  subtitle: {},
  prefix: {},
  abstract: { en: seed.abstract },
  keywords: {},
  pages: null,
  doi: '10.5555/sm.v74i4.1786',
  licenseUrl: null,
  copyrightHolder: {},
  copyrightYear: null,
  datePublished: seed.datePublished,
  dateSubmitted: new Date(`${seed.dateSubmitted}T00:00:00Z`),
  lastModified: new Date('2021-12-27T10:00:00Z'),
  section: { id: 1, title: { pl: seed.section }, abbreviation: {}, seq: 1 },
  contributors: [{ id: 1, givenName: {}, familyName: {}, affiliation: { en: DEMO_AFFILIATION }, rorId: null, orcid: null, isPrimaryContact: true }],
  galleys: [],
  issue: {
    id: 1,
    volume: seed.issue.volume,
    number: seed.issue.number,
    year: seed.issue.year,
    title: { pl: seed.issue.title },
    showVolume: true,
    showNumber: true,
    showYear: true,
    showTitle: true,
    datePublished: seed.datePublished,
  },
  references: seed.references.map((text, index) => ({ seq: index + 1, text })),
};

export function demoRecord(baseUrl: string): RecordInput {
  return { article: demoArticle, journal: demoJournal, baseUrl };
}

/** A variant of the demo article: another id and DOI, the rest overridden as given. */
export function variantOf(baseUrl: string, id: number, changes: Partial<ArticleDetail>, journal: JournalSummary = demoJournal): RecordInput {
  return { article: { ...demoArticle, id, doi: `10.5555/sm.${id}`, ...changes }, journal, baseUrl };
}

export const person = (id: number, given: string, family: string, extra: Partial<ArticleDetail['contributors'][number]> = {}): ArticleDetail['contributors'][number] => ({
  id,
  givenName: { en: given },
  familyName: { en: family },
  affiliation: {},
  rorId: null,
  orcid: null,
  isPrimaryContact: false,
  ...extra,
});
