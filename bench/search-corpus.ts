/**
 * The search benchmark's generated journal (bench/search.ts): articles whose titles, abstracts,
 * keywords, references and full texts are drawn from a generated vocabulary with a Zipf-like
 * spread (some words in nearly every article, most in few), plus the journal's own common words —
 * real words ("security", "policy", "international"…) that are in most abstracts and full texts and
 * in some titles, as the words of an international-affairs journal are, often as set phrases
 * ("security policy"). The same corpus on every run and on both databases (seeded generators).
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../src/db/index.ts';
import { initialiseSite } from '../src/demo/index.ts';
import type { SearchSort } from '../src/discovery/search/index.ts';

export const VOCABULARY = 6000;

export interface CorpusSize {
  articles: number;
  /** Words of each article's full text (a galley's extracted text), 0 for none. */
  bodyWords: number;
}

/** Deterministic generated words: syllables, some Polish with diacritics. */
export function vocabulary(): string[] {
  const onsets = ['b', 'd', 'f', 'g', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'w', 'z', 'st', 'tr', 'kr', 'pl'];
  const vowels = ['a', 'e', 'i', 'o', 'u', 'y'];
  const polish = ['ą', 'ę', 'ó', 'ł', 'ś', 'ż'];
  const words = new Set<string>();
  let seed = 7;
  const random = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)]!;
  while (words.size < VOCABULARY) {
    const syllables = 2 + Math.floor(random() * 3);
    let word = '';
    for (let s = 0; s < syllables; s++) word += pick(onsets) + (random() < 0.08 ? pick(polish) : pick(vowels));
    words.add(word + pick(['', 'n', 'r', 'ks', 'm']));
  }
  return [...words];
}

/**
 * The journal's common words, English and Polish, with the share of titles and of abstracts that
 * have each (full texts have them all, several times). Shares chosen from the look of an
 * international-affairs journal: its subject words are in a tenth of the titles and most abstracts.
 */
const JOURNAL_WORDS: Array<{ en: string; pl: string; title: number; abstract: number }> = [
  { en: 'security', pl: 'bezpieczeństwa', title: 0.14, abstract: 0.85 },
  { en: 'policy', pl: 'polityki', title: 0.12, abstract: 0.8 },
  { en: 'international', pl: 'międzynarodowe', title: 0.1, abstract: 0.75 },
  { en: 'state', pl: 'państwa', title: 0.08, abstract: 0.9 },
  { en: 'european', pl: 'europejskiej', title: 0.1, abstract: 0.6 },
  { en: 'cooperation', pl: 'współpracy', title: 0.06, abstract: 0.55 },
  { en: 'power', pl: 'siły', title: 0.05, abstract: 0.6 },
  { en: 'relations', pl: 'stosunki', title: 0.07, abstract: 0.65 },
];

/** Set phrases of those words, with the share of abstracts that have each. */
const JOURNAL_PHRASES: Array<{ en: string; pl: string; abstract: number }> = [
  { en: 'security policy', pl: 'polityki bezpieczeństwa', abstract: 0.3 },
  { en: 'international cooperation', pl: 'współpracy międzynarodowej', abstract: 0.2 },
  { en: 'european union', pl: 'unii europejskiej', abstract: 0.25 },
];

const FAMILY_NAMES = ['Nowak', 'Kowalska', 'Wiśniewski', 'Wójcik', 'Kowalczyk', 'Kamińska', 'Lewandowski', 'Zielińska', 'Szymański', 'Woźniak', 'Dąbrowski', 'Kozłowska', 'Jankowski', 'Mazur', 'Kwiatkowska', 'Krawczyk', 'Piotrowski', 'Grabowska', 'Smith', 'Jones', 'Taylor', 'Brown', 'Müller', 'Dubois'];

/** A seeded generator (mulberry32): the same corpus on every run and on both databases. */
function seeded(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const CHUNK = 1000;

/** Writes the journal (triggers off, in chunks) and builds the search index in bulk; seconds of each. */
export async function generateCorpus(db: Kysely<Database>, words: string[], size: CorpusSize, progress: (line: string) => void): Promise<{ loadSeconds: number; indexSeconds: number }> {
  const started = Date.now();
  await initialiseSite(db, { demo: true });
  const journal = await db.selectFrom('journals').select('id').where('path', '=', 'sm').executeTakeFirstOrThrow();
  const section = await db.selectFrom('sections').select('id').where('journal_id', '=', journal.id).executeTakeFirstOrThrow();
  // A word of the vocabulary with a Zipf-like (log-uniform rank) spread: words[0] is in nearly every abstract.
  const zipf = (random: () => number) => () => words[Math.floor(Math.exp(random() * Math.log(VOCABULARY))) - 1]!;
  const word = zipf(seeded(11));
  const text = (count: number, next = word) => Array.from({ length: count }, next);
  // Generators of their own for the journal's words and the full texts, so that titles, abstracts
  // and keywords draw the same vocabulary words as before these were added.
  const common = seeded(23);
  const bodyWord = zipf(seeded(37));
  const insertAt = (list: string[], piece: string) => list.splice(Math.floor(common() * (list.length + 1)), 0, piece);
  const isPolish = (n: number) => n % 10 >= 7;
  const title = (n: number) => {
    const lang = isPolish(n) ? 'pl' : 'en';
    const out = text(8);
    for (const w of JOURNAL_WORDS) if (common() < w.title) insertAt(out, w[lang]);
    return out.join(' ');
  };
  const abstract = (n: number) => {
    const lang = isPolish(n) ? 'pl' : 'en';
    const out = text(60);
    for (const w of JOURNAL_WORDS) if (common() < w.abstract) for (let k = 1 + Math.floor(common() * 3); k > 0; k--) insertAt(out, w[lang]);
    for (const p of JOURNAL_PHRASES) if (common() < p.abstract) insertAt(out, p[lang]);
    return out.join(' ');
  };
  const body = (n: number) => {
    const lang = isPolish(n) ? 'pl' : 'en';
    const out = text(size.bodyWords, bodyWord);
    // About one word in a hundred is one of the journal's words; each set phrase in half the texts.
    for (let k = Math.floor(size.bodyWords / 100); k > 0; k--) insertAt(out, JOURNAL_WORDS[Math.floor(common() * JOURNAL_WORDS.length)]![lang]);
    for (const p of JOURNAL_PHRASES) if (common() < 0.5) for (let k = Math.max(1, Math.floor(size.bodyWords / 400)); k > 0; k--) insertAt(out, p[lang]);
    return out.join(' ');
  };
  // One connection throughout: triggers are switched off for it (the index is built below, in bulk).
  await db.connection().execute(async (conn) => {
    await sql`SET session_replication_role = replica`.execute(conn);
    await sql`
      INSERT INTO articles (id, journal_id, locale, status)
      SELECT 100000 + n, ${journal.id}, CASE WHEN n % 10 < 7 THEN 'en' ELSE 'pl' END, 'published' FROM generate_series(1, ${size.articles}) AS n
    `.execute(conn);
    for (let first = 1; first <= size.articles; first += CHUNK) {
      const ns = Array.from({ length: Math.min(CHUNK, size.articles - first + 1) }, (_, i) => first + i);
      const titles = ns.map(title);
      const abstracts = ns.map(abstract);
      const keywords = ns.map(() => JSON.stringify([word(), word(), `${word()} ${word()}`]));
      const references = ns.flatMap(() => Array.from({ length: 5 }, () => `Author, A. (2019). ${text(6).join(' ')}. Journal of ${text(2).join(' ')}, 12(3).`));
      await sql`
        INSERT INTO publications (article_id, version, status, locale, title, abstract, keywords, section_id, date_published)
        SELECT 100000 + g.n, 1, 'published', l.locale, jsonb_build_object(l.locale, g.title), jsonb_build_object(l.locale, g.abstract),
               jsonb_build_object(l.locale, g.keywords::jsonb), ${section.id}, date '2000-01-01' + (g.n % 9000)
          FROM unnest(${ns}::integer[], ${titles}::text[], ${abstracts}::text[], ${keywords}::text[]) AS g(n, title, abstract, keywords),
               LATERAL (SELECT CASE WHEN g.n % 10 < 7 THEN 'en' ELSE 'pl' END AS locale) l
      `.execute(conn);
      await sql`
        INSERT INTO citations (publication_id, seq, raw_text)
        SELECT p.id, r.seq, r.raw_text
          FROM unnest(${ns.flatMap((n) => [n, n, n, n, n])}::integer[], ${ns.flatMap(() => [1, 2, 3, 4, 5])}::integer[], ${references}::text[]) AS r(n, seq, raw_text)
          JOIN publications p ON p.article_id = 100000 + r.n
      `.execute(conn);
      if (size.bodyWords > 0) {
        // A PDF galley whose text the indexer has already extracted.
        const bodies = ns.map(body);
        await sql`
          WITH g AS (SELECT * FROM unnest(${ns}::integer[], ${bodies}::text[]) AS g(n, body)),
          f AS (
            INSERT INTO files (storage_key, mime_type, size_bytes, sha256, original_name)
            SELECT 'bench/' || g.n || '.pdf', 'application/pdf', length(g.body), repeat('0', 64), 'article.pdf' FROM g
            RETURNING id, storage_key
          ),
          t AS (INSERT INTO search_file_texts (file_id, content) SELECT f.id, g.body FROM f JOIN g ON f.storage_key = 'bench/' || g.n || '.pdf')
          INSERT INTO galleys (publication_id, label, locale, file_id)
          SELECT p.id, 'PDF', p.locale, f.id FROM f JOIN g ON f.storage_key = 'bench/' || g.n || '.pdf' JOIN publications p ON p.article_id = 100000 + g.n
        `.execute(conn);
      }
      if ((first - 1 + CHUNK) % 10_000 === 0) progress(`  written ${(first - 1 + CHUNK).toLocaleString('en')}`);
    }
    await sql`UPDATE articles a SET current_publication_id = p.id FROM publications p WHERE p.article_id = a.id AND a.id > 100000`.execute(conn);
    await sql`
      INSERT INTO contributors (publication_id, given_name, family_name, affiliation, seq)
      SELECT p.id, jsonb_build_object('en', (ARRAY['Anna', 'Jan', 'Ewa', 'Piotr', 'Helen', 'John'])[1 + (p.article_id + r) % 6]),
             jsonb_build_object('en', (${FAMILY_NAMES}::text[])[1 + ((p.article_id * 7 + r * 13) % ${FAMILY_NAMES.length})] || CASE WHEN p.article_id % 3 = 0 THEN '' ELSE '-' || (p.article_id % 500) END),
             '{"en": "University of Warsaw"}', r
        FROM publications p, generate_series(0, 1) AS r WHERE p.article_id > 100000 AND (r = 0 OR p.article_id % 2 = 0)
    `.execute(conn);
    await sql`SET session_replication_role = origin`.execute(conn);
  });
  await sql`DELETE FROM search_queue`.execute(db);
  const loadSeconds = (Date.now() - started) / 1000;
  const indexStart = Date.now();
  const ids = (await db.selectFrom('articles').select('id').orderBy('id').execute()).map((r) => r.id);
  for (let i = 0; i < ids.length; i += 2000) {
    await sql`SELECT revista_search_refresh(${ids.slice(i, i + 2000)}::integer[])`.execute(db);
    if ((i + 2000) % 10_000 === 0 || i + 2000 >= ids.length) progress(`  indexed ${Math.min(i + 2000, ids.length).toLocaleString('en')}`);
  }
  // What the indexer does after a large run (indexer.ts), here for the whole database.
  await sql`VACUUM ANALYZE`.execute(db);
  return { loadSeconds, indexSeconds: (Date.now() - indexStart) / 1000 };
}

export interface QueryCase {
  name: string;
  query: string;
  sort?: SearchSort;
}

/** The fixed mix, from words whose frequency the generator decides (rank 1 is in nearly every abstract). */
export function queryMix(words: string[]): QueryCase[] {
  const fold = (w: string) => w.normalize('NFD').replace(/\p{M}/gu, '').replace(/ł/g, 'l');
  const polish = words.slice(20, 400).find((w) => /[ąęółśż]/.test(w)) ?? words[30]!;
  return [
    { name: 'common word', query: words[0]! },
    { name: 'common word, newest first', query: words[1]!, sort: 'newest' },
    { name: 'medium word', query: words[60]! },
    { name: 'rare word', query: words[4000]! },
    { name: 'two medium words', query: `${words[40]} ${words[80]}` },
    { name: 'three words', query: `${words[2]} ${words[90]} ${words[700]}` },
    { name: 'phrase', query: `"${words[3]} ${words[5]}"` },
    { name: 'exclusion', query: `${words[70]} -${words[150]}` },
    { name: 'Polish word without diacritics', query: fold(polish) },
    { name: 'author', query: 'Kozłowska' },
    { name: 'no result', query: 'xylophonistically' },
  ];
}

/** What readers of the journal type: its common words, alone and together, and its set phrases. */
export function commonWordQueries(): QueryCase[] {
  return [
    { name: '1 word: security', query: 'security' },
    { name: '1 word: international', query: 'international' },
    { name: '1 word, Polish: bezpieczeństwa', query: 'bezpieczeństwa' },
    { name: '2 words: security policy', query: 'security policy' },
    { name: '2 words: european cooperation', query: 'european cooperation' },
    { name: '2 words, newest first', query: 'security policy', sort: 'newest' },
    { name: '3 words: international security policy', query: 'international security policy' },
    { name: '3 words: state power relations', query: 'state power relations' },
    { name: 'phrase: "security policy"', query: '"security policy"' },
    { name: 'phrase: "international cooperation"', query: '"international cooperation"' },
    { name: 'phrase and word: "european union" security', query: '"european union" security' },
    { name: '2 words, one excluded: security -cooperation', query: 'security -cooperation' },
  ];
}
