import { sql, type Kysely } from 'kysely';
import { addPublishedArticle, createIssue, createJournal, createSection, publishNewVersion, type PublishedArticleInput } from '../../src/catalog/index.ts';
import type { Database } from '../../src/db/index.ts';

/**
 * A small catalog written for the search tests: two journals of international relations, articles
 * in Polish and English whose words were chosen so that the expected order of results can be worked
 * out by hand (title > keywords > abstract > references), plus articles readers must never find
 * (unpublished issue, queued version, disabled journal, a superseded version's words).
 */

type Entry = Omit<PublishedArticleInput, 'journalId' | 'sectionId' | 'issueId'> & { section?: 'articles' | 'reviews'; issue?: 'y2023' | 'y2024' | 'unpublished' | null };

const person = (given: string, family: string, affiliation: string, locale = 'en') => ({ givenName: { [locale]: given }, familyName: { [locale]: family }, affiliation: { [locale]: affiliation } });
const kowalska = person('Anna', 'Kowalska', 'Jagiellonian University');
const nowak = person('Jan', 'Nowak', 'University of Warsaw');
const wisniewska = person('Małgorzata', 'Wiśniewska', 'Uniwersytet Łódzki', 'pl');
const zielinski = person('Piotr', 'Zieliński', 'Uniwersytet Gdański', 'pl');
const smith = person('Helen', 'Smith', 'University of Leeds');

/** The articles of journal "kw", by the names the tests use. */
export const CORPUS: Record<string, Entry> = {
  // One rare word, "hydropolitics", in a different field of each: the order of results is the order of the weights.
  hydroTitle: { locale: 'en', title: { en: 'Hydropolitics of the Nile basin' }, abstract: { en: 'Egypt, Sudan and Ethiopia dispute the waters of the river after the new dam.' }, keywords: { en: ['Nile', 'Ethiopia'] }, datePublished: '2023-03-15', contributors: [smith], issue: 'y2023' },
  hydroKeyword: { locale: 'en', title: { en: 'Water and power in Central Asia' }, abstract: { en: 'Upstream and downstream states bargain over irrigation and electricity.' }, keywords: { en: ['hydropolitics', 'Central Asia'] }, datePublished: '2023-03-15', contributors: [smith], issue: 'y2023' },
  hydroAbstract: { locale: 'en', title: { en: 'Rivers as borders' }, abstract: { en: 'The article reads the hydropolitics of boundary rivers in Europe and Africa.' }, keywords: { en: ['borders', 'rivers'] }, datePublished: '2023-03-15', contributors: [nowak], issue: 'y2023' },
  hydroReference: { locale: 'en', title: { en: 'Dams and diplomacy' }, abstract: { en: 'Large dams change relations between neighbouring states.' }, keywords: { en: ['dams', 'diplomacy'] }, datePublished: '2023-03-15', contributors: [nowak], references: ['Allan, J. A. (2002). Hydropolitics and the Middle East. London: I. B. Tauris.'], issue: 'y2023' },

  energyBaltic: {
    locale: 'en',
    title: { en: 'Energy security of the Baltic states after 2022' },
    abstract: { en: 'Lithuania, Latvia and Estonia left the Russian electricity grid and built terminals for liquefied natural gas. The article assesses their energy security.' },
    keywords: { en: ['energy security', 'LNG', 'Baltic states'] },
    datePublished: '2023-03-01',
    contributors: [kowalska],
    issue: 'y2023',
  },
  energyLng: {
    locale: 'en',
    title: { en: 'LNG terminals and the security of energy supply in Central Europe' },
    abstract: { en: 'Poland and Croatia import liquefied gas by sea. Terminals diversify supply and weaken the bargaining power of pipeline exporters.' },
    keywords: { en: ['LNG', 'natural gas', 'Poland'] },
    datePublished: '2023-06-01',
    contributors: [nowak],
    issue: 'y2023',
  },
  energyPolish: {
    locale: 'pl',
    title: { pl: 'Bezpieczeństwo energetyczne Polski w dobie transformacji' },
    abstract: { pl: 'Artykuł omawia odejście od węgla, rozwój odnawialnych źródeł energii oraz budowę elektrowni jądrowej w kontekście bezpieczeństwa energetycznego państwa.' },
    keywords: { pl: ['bezpieczeństwo energetyczne', 'węgiel', 'odnawialne źródła energii'] },
    datePublished: '2023-09-01',
    contributors: [wisniewska],
    issue: 'y2023',
  },
  energyClimate: {
    locale: 'en',
    title: { en: 'Renewable energy and climate policy of the European Union' },
    abstract: { en: 'The Green Deal ties climate targets to energy security and to the competitiveness of industry.' },
    keywords: { en: ['climate policy', 'renewable energy', 'European Union'] },
    datePublished: '2024-02-01',
    contributors: [smith],
    issue: 'y2024',
  },
  caucasusPolish: {
    locale: 'pl',
    title: { pl: 'Kaukaz Południowy po drugiej wojnie karabaskiej' },
    abstract: { pl: 'Zmiana układu sił między Armenią a Azerbejdżanem i rola Rosji oraz Turcji w regionie.' },
    keywords: { pl: ['Kaukaz Południowy', 'Armenia', 'Azerbejdżan'] },
    datePublished: '2024-03-10',
    contributors: [zielinski],
    issue: 'y2024',
  },
  georgia: {
    locale: 'en',
    title: { en: 'Georgia between the European Union and Russia' },
    abstract: { en: 'Tbilisi applied for membership of the European Union while its breakaway regions remain under Russian control.' },
    keywords: { en: ['Georgia', 'European Union', 'Russia'] },
    datePublished: '2024-05-01',
    contributors: [kowalska],
    section: 'reviews',
    issue: 'y2024',
  },
  lodz: {
    locale: 'pl',
    title: { pl: 'Łódź jako ośrodek dyplomacji miejskiej' },
    abstract: { pl: 'Miasta prowadzą własną politykę zagraniczną: partnerstwa, sieci i promocja.' },
    keywords: { pl: ['dyplomacja miejska', 'Łódź'] },
    datePublished: '2024-04-01',
    contributors: [wisniewska],
    issue: 'y2024',
  },
  bilingual: {
    locale: 'pl',
    title: { pl: 'Polityka wschodnia Unii Europejskiej', en: 'The Eastern policy of the European Union' },
    abstract: { pl: 'Partnerstwo Wschodnie po agresji Rosji na Ukrainę.', en: 'The Eastern Partnership after the Russian aggression against Ukraine.' },
    keywords: { pl: ['Partnerstwo Wschodnie', 'Ukraina'], en: ['Eastern Partnership', 'Ukraine'] },
    datePublished: '2024-06-01',
    contributors: [zielinski],
    issue: 'y2024',
  },
  arctic: { locale: 'en', title: { en: 'The Arctic Council after the freeze' }, abstract: { en: 'Cooperation on science continues while political dialogue has stopped.' }, keywords: { en: ['Arctic', 'Arctic Council'] }, datePublished: '2024-01-10', contributors: [smith], issue: 'y2024' },
  china: { locale: 'en', title: { en: 'The Belt and Road Initiative in the Western Balkans' }, abstract: { en: 'Chinese loans finance motorways in Serbia and Montenegro.' }, keywords: { en: ['China', 'Western Balkans', 'infrastructure'] }, datePublished: '2023-11-20', contributors: [nowak], issue: 'y2023' },
  nato: { locale: 'en', title: { en: 'NATO enlargement to the Nordic countries' }, abstract: { en: 'Finland and Sweden joined the alliance and changed the defence of the Baltic Sea region.' }, keywords: { en: ['NATO', 'Finland', 'Sweden'] }, datePublished: '2024-07-01', contributors: [kowalska], issue: 'y2024' },
  migration: { locale: 'pl', title: { pl: 'Migracje z Ukrainy do Polski po 2022 roku' }, abstract: { pl: 'Skala, struktura i integracja uchodźców na rynku pracy.' }, keywords: { pl: ['migracje', 'uchodźcy', 'Ukraina'] }, datePublished: '2023-10-01', contributors: [zielinski], issue: 'y2023' },
  sanctions: { locale: 'en', title: { en: 'Do sanctions work? Evidence from Iran and Russia' }, abstract: { en: 'Financial sanctions cut trade but rarely change the policy of the targeted state.' }, keywords: { en: ['sanctions', 'Iran', 'Russia'] }, datePublished: '2023-12-01', contributors: [nowak], issue: 'y2023' },
  visegrad: { locale: 'pl', title: { pl: 'Grupa Wyszehradzka wobec kryzysów Unii Europejskiej' }, abstract: { pl: 'Współpraca państw regionu osłabła po sporach o praworządność.' }, keywords: { pl: ['Grupa Wyszehradzka', 'Unia Europejska'] }, datePublished: '2024-02-20', contributors: [wisniewska], issue: 'y2024' },
  africa: { locale: 'en', title: { en: 'Private military companies in the Sahel' }, abstract: { en: 'Mali and Burkina Faso replaced French troops with Russian contractors.' }, keywords: { en: ['Sahel', 'security sector'] }, datePublished: '2024-08-01', contributors: [smith], issue: 'y2024' },
  cyber: { locale: 'en', title: { en: 'Cyber attacks on critical infrastructure' }, abstract: { en: 'Power grids and pipelines are targets of state-sponsored hackers.' }, keywords: { en: ['cyber security', 'critical infrastructure'] }, datePublished: '2024-09-01', contributors: [nowak], issue: 'y2024' },
  outsideIssue: { locale: 'en', title: { en: 'Online first: the geopolitics of semiconductors' }, abstract: { en: 'Taiwan makes most advanced chips; export controls shape the rivalry of great powers.' }, keywords: { en: ['semiconductors', 'Taiwan'] }, datePublished: '2024-10-01', contributors: [smith], issue: null },
  fisheries: { locale: 'en', title: { en: 'Baltic fisheries' }, abstract: { en: 'Cod stocks collapsed; the herringword quota was cut.' }, keywords: { en: ['fisheries', 'Baltic Sea'] }, datePublished: '2023-05-01', contributors: [nowak], issue: 'y2023' },

  // Never to be found.
  inUnpublishedIssue: { locale: 'en', title: { en: 'Quokkanomics of the next issue' }, abstract: { en: 'Not yet published.' }, datePublished: '2025-01-01', issue: 'unpublished' },
  queued: { locale: 'en', title: { en: 'Wombatology, withdrawn' }, abstract: { en: 'Its only version went back to the editors.' }, datePublished: '2024-01-01', issue: 'y2024' },
};

export interface Corpus {
  journalId: number;
  otherJournalId: number;
  disabledJournalId: number;
  sections: { articles: number; reviews: number };
  /** Article ids by the names in CORPUS, plus "eastAsia" (journal "ap") and "narwhal" (disabled journal). */
  ids: Record<string, number>;
}

export async function loadCorpus(db: Kysely<Database>): Promise<Corpus> {
  const journalId = await createJournal(db, { path: 'kw', name: { pl: 'Kwartalnik Wschodni', en: 'Eastern Quarterly' }, primaryLocale: 'pl', supportedLocales: ['pl', 'en'] });
  const sections = {
    articles: await createSection(db, { journalId, title: { pl: 'Artykuły', en: 'Articles' }, seq: 1 }),
    reviews: await createSection(db, { journalId, title: { pl: 'Przeglądy', en: 'Reviews' }, seq: 2 }),
  };
  const issues = {
    y2023: await createIssue(db, { journalId, volume: 1, number: '1', year: 2023, published: true, datePublished: '2023-03-01' }),
    y2024: await createIssue(db, { journalId, volume: 2, number: '1', year: 2024, published: true, current: true, datePublished: '2024-01-10' }),
    unpublished: await createIssue(db, { journalId, volume: 3, number: '1', year: 2025, published: false }),
  };
  const ids: Record<string, number> = {};
  for (const [name, entry] of Object.entries(CORPUS)) {
    const { section, issue, ...input } = entry;
    const { articleId } = await addPublishedArticle(db, { ...input, journalId, sectionId: sections[section ?? 'articles'], issueId: issue ? issues[issue] : null });
    ids[name] = articleId;
  }
  await db.updateTable('publications').set({ status: 'queued' }).where('article_id', '=', ids.queued!).execute();
  // A new version replaces the old one's words; a draft version after it is not shown.
  await publishNewVersion(db, ids.fisheries!, { title: { en: 'Baltic fisheries and sanctions' }, subtitle: {}, abstract: { en: 'Cod stocks collapsed and quotas were cut.' }, keywords: { en: ['fisheries', 'Baltic Sea'] }, pages: null, sectionId: sections.articles, licenseUrl: null, doi: null });
  await sql`
    INSERT INTO publications (article_id, version, status, locale, title, section_id, date_published)
    VALUES (${ids.fisheries}, 9, 'queued', 'en', '{"en": "Draftonlytoken fisheries"}', ${sections.articles}, NULL)
  `.execute(db);

  const otherJournalId = await createJournal(db, { path: 'ap', name: { en: 'Asia and the Pacific' }, primaryLocale: 'en', supportedLocales: ['en'] });
  const otherSection = await createSection(db, { journalId: otherJournalId, title: { en: 'Articles' } });
  ids.eastAsia = (
    await addPublishedArticle(db, {
      journalId: otherJournalId,
      sectionId: otherSection,
      issueId: null,
      locale: 'en',
      title: { en: 'Energy security in East Asia' },
      abstract: { en: 'Japan and Korea import LNG; China builds pipelines and nuclear plants.' },
      keywords: { en: ['energy security', 'LNG', 'Japan'] },
      datePublished: '2024-03-01',
      contributors: [smith],
    })
  ).articleId;

  const disabledJournalId = await createJournal(db, { path: 'off', name: { en: 'Closed journal' }, primaryLocale: 'en', supportedLocales: ['en'] });
  const disabledSection = await createSection(db, { journalId: disabledJournalId, title: { en: 'Articles' } });
  ids.narwhal = (await addPublishedArticle(db, { journalId: disabledJournalId, sectionId: disabledSection, issueId: null, locale: 'en', title: { en: 'Narwhalistics' }, datePublished: '2024-01-01' })).articleId;
  await db.updateTable('journals').set({ enabled: false }).where('id', '=', disabledJournalId).execute();
  return { journalId, otherJournalId, disabledJournalId, sections, ids };
}
