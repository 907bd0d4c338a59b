import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseSeedArticlePage, SEED_PAGE_FILE } from '../demo/index.ts';
import { parseReferences, type CslItem, type CslType, type IssueCode } from './index.ts';

/**
 * The demo article's 42 references (Sprawy Międzynarodowe 74/4, article 1786), read by hand: what
 * an editor should be told about each, and the CSL-JSON a librarian would write for it.
 */
const references = parseSeedArticlePage(readFileSync(SEED_PAGE_FILE, 'utf8')).references;
const now = new Date('2026-01-01T00:00:00Z');
const parsed = parseReferences(references, { now });

/** Every problem visible in the printed list, by reference number. */
const EXPECTED_PROBLEMS: Record<number, IssueCode[]> = {
  1: ['url-empty'],
  2: ['url-empty'],
  3: ['url-empty'],
  4: ['url-empty'],
  5: ['url-empty'],
  6: ['url-empty'],
  7: ['url-empty'],
  8: ['url-empty'],
  9: ['url-empty'],
  // "<шесть-уроков-конфликта-в-карабахе/>": only the end of the address survived, no scheme or host.
  10: ['url-scheme'],
  11: ['url-empty'],
  // "Eurasianet,14 V 2021"
  12: ['url-empty', 'missing-space'],
  13: ['url-empty'],
  // "[accessed: 15 V I 2021]"
  14: ['url-empty', 'date-malformed'],
  15: ['url-empty'],
  16: ['url-empty'],
  17: ['url-empty'],
  // No website or periodical between the title and the date.
  18: ['url-empty', 'source-missing'],
  19: ['url-empty'],
  20: ['url-empty'],
  21: ['url-empty'],
  // Published 4 VI 2021, accessed 15 V 2021.
  22: ['url-empty', 'accessed-before-issued'],
  23: ['url-empty'],
  // "Karabakhe,, 17 X 2020": the source field is empty.
  24: ['url-empty', 'empty-field'],
  25: ['url-empty'],
  26: ['url-empty'],
  27: ['url-empty'],
  28: ['url-empty'],
  29: ['url-empty'],
  30: ['url-empty'],
  31: ['url-empty'],
  32: [],
  33: ['url-empty'],
  // An access date, and no link at all: the reference ends after "[accessed: 31 V 2021]:".
  34: ['url-missing'],
  35: ['url-empty'],
  36: ['url-empty', 'date-malformed'],
  37: ['url-empty'],
  // "SIRPI" for SIPRI.
  38: ['url-empty', 'publisher-misspelled'],
  39: ['url-empty', 'publisher-misspelled'],
  40: ['url-empty', 'empty-field'],
  // "konflikta,," and the initials glued to the names: "N.V.Pashinyana", "V.V.Putinu".
  41: ['url-empty', 'empty-field', 'missing-space'],
  42: ['url-empty'],
};

interface Expected {
  type: CslType;
  /** "Family G." for people, the whole name for organisations. */
  authors: string[];
  title: string;
  /** The website, periodical or publisher the reference names, as printed. */
  source?: string;
  issued?: number[];
  accessed?: number[];
}

const w = (authors: string[], title: string, source: string | undefined, issued: number[], accessed: number[] | undefined): Expected => ({ type: 'webpage', authors, title, source, issued, accessed });
const news = (authors: string[], title: string, source: string, issued: number[], accessed: number[]): Expected => ({ type: 'article-newspaper', authors, title, source, issued, accessed });

const MFA_AZ_INFO = 'Information of the Press Service Department of the Ministry of Foreign Affairs of the Republic of Azerbaijan';

/** What a librarian would write for each reference. */
const EXPECTED: Expected[] = [
  { type: 'article-journal', authors: ['Aliyev N.'], title: 'Russia’s arms sales: A foreign policy tool in relations with Azerbaijan and Armenia', source: 'Eurasia Daily Monitor', issued: [2018, 3, 28], accessed: [2021, 5, 15] },
  news(['Aliyev N.'], 'War in Nagorno-Karabakh requires a Russian Balancing Act', 'The Central Asia-Caucasus Analyst', [2020, 10, 10], [2021, 5, 25]),
  w([], 'Baku podtverzhdayet: Po Shushe strelyali raketoy «Iskander M»', '“Turan” Information Agency', [2021, 4, 2], [2021, 5, 15]),
  w(['Baumov A.'], 'Why Russia is biding its time on Nagorno-Karabakh', 'The Carnegie Moscow Center', [2020, 10, 9], [2021, 5, 31]),
  w(['Blinken A.J.'], 'United States welcomes actions by Armenia and Azerbaijan', 'US Department of State', [2021, 6, 12], [2021, 6, 13]),
  w(['Bratskiy Y.'], 'Putin dopustil izmeneniye formata Minskoy gruppy OBSE po Karabakhu', 'Tv Zvezda', [2020, 10, 22], [2021, 5, 31]),
  news(['Frolov V.'], "Pust' polykhayet. Kak izmenilas' politika Rossii na postsovetskom prostranstve", 'Republic', [2020, 10, 29], [2021, 5, 15]),
  w([], 'The EU Commissioner’s official account status', 'Twitter', [2021, 6, 4], [2021, 6, 5]),
  news(['Karaganov S.'], 'Mirovoy shtorm i russkiy kurazh', 'Rossiya v Globalnoi Politike', [2020, 10, 28], [2021, 5, 15]),
  news(['Kortunov A.'], "Shest' urokov konflikta v Karabakhe", 'Global Brief', [2020, 10, 4], [2021, 5, 15]),
  news(['Krivosheyev K.', 'Khalatyan A.'], 'Armeniya i Azerbaydzhan ochertili granitsy otnosheniy', 'Kommersant', [2021, 1, 13], [2021, 6, 5]),
  w(['Kucera J.'], 'Armenia and Azerbaijan in new border crisis', 'Eurasianet', [2021, 5, 14], [2021, 6, 5]),
  w(['Kucera J.'], 'Armenia and Azerbaijan suspend “corridor” talks', 'Eurasianet', [2021, 6, 4], [2021, 6, 5]),
  // The access date "15 V I 2021" cannot be read: none is given.
  w([], 'Lavrov obsudil s glavoy MID Azerbaydzhana obostreniye na granitse respubliki s Armeniyey', 'TASS', [2021, 5, 13], undefined),
  w([], "Levon Ter-Petrosyan prokommentiroval otvet MID RF na pis'mo Pashinyana Putinu", 'Radio Azatutyun', [2020, 10, 31], [2021, 5, 25]),
  news(['Libaridian J.'], 'Why negotiations failed', 'The Armenian Mirror-Spectator', [2020, 11, 2], [2021, 5, 25]),
  news(['Lukyanov F.'], 'Pochemu vokrug granits Rossii voznikla duga besporyadka', 'Rossiya v Globalnoi Politike', [2020, 10, 23], [2021, 5, 15]),
  w(['Mejlumyan A.'], 'Armenia proposing restoration of rail route through Azerbaijan to Russia', undefined, [2021, 5, 4], [2021, 6, 5]),
  w(['Mejlumyan A.'], 'Small outpost is Russia’s first visible aid to Armenia', 'Eurasianet', [2020, 10, 28], [2021, 5, 15]),
  w(['The Ministry of Foreign Affairs of Armenia'], "Prem'yer-ministr RA Nikol Pashinyan napravil pis'mo prezidentu RF Vladimiru Putinu", 'The Ministry of Foreign Affairs of Armenia', [2020, 10, 31], [2021, 5, 25]),
  w(['The Ministry of Foreign Affairs of Azerbaijan'], MFA_AZ_INFO, 'The Ministry of Foreign Affairs of Azerbaijan', [2021, 6, 12], [2021, 6, 13]),
  w(['The Ministry of Foreign Affairs of the Republic of Azerbaijan'], `${MFA_AZ_INFO} on the death of civilians as a result of a mine explosion in Kalbajar`, 'The Ministry of Foreign Affairs of the Republic of Azerbaijan', [2021, 6, 4], [2021, 5, 15]),
  w([], 'Nazvan glavnyy postavshchik oruzhiya Azerbaydzhanu', 'RIA Novosti', [2020, 10, 24], [2021, 5, 15]),
  w([], 'Otvety na voprosy SMI po situatsii v Nagornom Karabakhe', undefined, [2020, 10, 17], [2021, 5, 15]),
  w([], 'Prezidentin xalqa müraciəti – Canlı', 'Baku TV', [2020, 11, 10], [2021, 5, 15]),
  w([], "Putin nazval ochen' chuvstvitel'noy dlya Rossii situatsiyu na granitse Armenii i Azerbaydzhana", 'TASS', [2020, 7, 24], [2021, 3, 31]),
  w([], 'Putin nazval usloviye uregulirovaniya situatsii v Karabakhe', 'RIA Novosti', [2020, 10, 29], [2021, 5, 25]),
  news([], 'Putin obsudil s Erdoganom armyano-azerbaydzhanskiy konflikt', 'Kommersant', [2020, 7, 27], [2021, 3, 31]),
  w([], 'Putin ukazal na osobyye svyazi Rossii s Armeniyey i Azerbaydzhanom', 'RIA Novosti', [2020, 10, 22], [2021, 5, 25]),
  w([], 'Rossiya napravila v Nagornyy Karabakh pochti 2 tys. Mirotvortsev', 'TASS', [2020, 11, 10], [2021, 5, 15]),
  w([], 'Russian, Azerbaijani defense ministers discuss situation in South Caucasus', 'TASS', [2020, 7, 18], [2021, 3, 31]),
  { type: 'article-journal', authors: ['Sukhova S.'], title: "Amerikantsy umeyut delat' to, chto my ne umeyem,— vospityvat' soyuznikov", source: 'Ogonok', issued: [2020] },
  w([], "Telefonnyye razgovory s Nikolom Pashinyanom i Il'khamom Aliyevym", 'Kremlin', [2020, 11, 2], [2021, 5, 15]),
  w(['Trenin D.'], 'Tri krizisa na granitse Rossii. Chto oni oznachayut dlya otnosheniy Moskvy s soyuznikami', 'Moscow Carnegie Center', [2020, 10, 28], [2021, 5, 31]),
  w(['The Turkish Defense Ministry'], 'Millî Savunma Bakanı Hulusi Akar: Ortak Merkezin Oluşturulmasına Yönelik Çalışmalar Tamamlandı', 'The Turkish Defense Ministry', [2021, 1, 29], [2021, 5, 15]),
  w([], "V Moskve proshli konsul'tatsii predstaviteley Rossii, Azerbaydzhana i Armenii", 'TASS', [2021, 6, 2], undefined),
  w([], 'V Yerevane soobshchili o priostanovke raboty trekhstoronney komissii s Rossiyey i Azerbaydzhanom', 'TASS', [2021, 6, 1], [2021, 6, 5]),
  // A SIPRI fact sheet of March 2021 on the year 2020; the publisher as printed.
  { type: 'report', authors: ['Wezeman P.D.', 'Kuimova A.', 'Wezeman S.T.'], title: 'Trends in international arms transfers', source: 'SIRPI', issued: [2021, 3], accessed: [2021, 5, 15] },
  { type: 'report', authors: ['Wezeman P.D.', 'Fleurant A.'], title: 'Trends in international arms transfers', source: 'SIRPI', issued: [2018, 3], accessed: [2021, 5, 15] },
  w([], "Zayavleniye MID Rossii otnositel'no obostreniya situatsii v zone nagorno-karabakhskogo konflikta", undefined, [2020, 9, 27], [2021, 3, 31]),
  w([], "Zayavleniye MID Rossii v svyazi s obrashcheniyem Prem'yer-ministra Respubliki Armeniya N.V.Pashinyana k Prezidentu Rossiyskoy Federatsii V.V.Putinu", undefined, [2020, 10, 31], [2021, 5, 25]),
  w([], "Zayavleniye Prezidenta Azerbaydzhanskoy Respubliki, Prem'yer-ministra Respubliki Armeniya i Prezidenta Rossiyskoy Federatsii", 'Kremlin', [2020, 11, 10], [2021, 5, 15]),
];

const defined = (value: Expected) => Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));

/**
 * Where the labeller still gets a reference wrong, said plainly: reported as TODO by the test runner
 * (they run and show their difference), not hidden and not matched by changing the expectation.
 */
const STILL_WRONG: Record<number, string> = {};

function nameText(name: NonNullable<CslItem['author']>[number]): string {
  return name.literal ?? [name.family, name.given].filter(Boolean).join(' ');
}

describe('the demo article’s references', () => {
  it('has the 42 references this test describes', () => {
    assert.equal(references.length, 42);
    assert.equal(EXPECTED.length, 42);
    assert.equal(Object.keys(EXPECTED_PROBLEMS).length, 42);
  });

  it('finds every problem visible in the printed list, and no others', () => {
    const found = parsed.map((reference, index) => `${index + 1}: ${reference.issues.map((issue) => issue.code).sort().join(' ')}`);
    const expected = references.map((_, index) => `${index + 1}: ${[...EXPECTED_PROBLEMS[index + 1]!].sort().join(' ')}`);
    assert.deepEqual(found, expected);
  });

  it('says which date was malformed and what it probably meant', () => {
    const malformed = parsed[13]!.issues.find((issue) => issue.code === 'date-malformed');
    assert.deepEqual(malformed?.params, { text: '15 V I 2021', suggestion: '15 VI 2021' });
    const before = parsed[21]!.issues.find((issue) => issue.code === 'accessed-before-issued');
    assert.deepEqual(before?.params, { accessed: '15 V 2021', issued: '4 VI 2021' });
    assert.deepEqual(parsed[37]!.issues.find((issue) => issue.code === 'publisher-misspelled')?.params, { found: 'SIRPI', known: 'SIPRI' });
  });

  for (const [index, expected] of EXPECTED.entries()) {
    it(`reference ${index + 1} as CSL-JSON: ${expected.title.slice(0, 50)}`, { todo: STILL_WRONG[index + 1] }, () => {
      const csl = parsed[index]!.csl;
      const actual: Expected = {
        type: csl.type,
        authors: (csl.author ?? []).map(nameText),
        title: csl.title ?? '',
        // A website or periodical is the container; a report's issuer its publisher.
        source: csl['container-title'] ?? csl.publisher,
        issued: csl.issued?.['date-parts'][0],
        accessed: csl.accessed?.['date-parts'][0],
      };
      assert.deepEqual(defined(actual), defined(expected), references[index]);
      assert.equal(csl.id, `ref-${index + 1}`);
    });
  }

  it('gives people family and given names, and organisations one literal name', () => {
    assert.deepEqual(parsed[10]!.csl.author, [{ family: 'Krivosheyev', given: 'K.' }, { family: 'Khalatyan', given: 'A.' }]);
    assert.deepEqual(parsed[19]!.csl.author, [{ literal: 'The Ministry of Foreign Affairs of Armenia' }]);
    assert.equal(parsed[20]!.csl.number, '217/21');
    assert.deepEqual([parsed[0]!.csl.volume, parsed[0]!.csl.issue], ['15', '47']);
    assert.deepEqual([parsed[31]!.csl.volume, parsed[31]!.csl.page], ['37', '8']);
    assert.equal(parsed[37]!.csl['collection-title'], 'Fact Sheets');
  });
});
