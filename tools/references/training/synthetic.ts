import type { LabelledReference } from '../dataset.ts';
import { ROMAN_MONTHS } from '../../../src/references/lexicon.ts';
import * as V from './vocabulary.ts';

/**
 * Labelled references in the styles the AnyStyle data hardly has but Polish journals are full of:
 * ISO 690 and Polish styles ("Kowalski J., Tytuł, „Czasopismo” 2019, nr 3, s. 12–15."), Roman-numeral
 * months ("28 III 2018"), "[online]", "[accessed: …]" / "[dostęp: …]", empty links "<>",
 * transliterated Russian, Cyrillic (GOST: "Иванов И.И. Название // Журнал. 2019. № 3. С. 12–15."),
 * reports in series, legislation. Generated from the pools in vocabulary.ts with a seeded
 * generator, so training is reproducible. Labels follow the AnyStyle data's conventions: the
 * punctuation after a field belongs to it, "[online]" is medium, an access date is a note, a link
 * with its "Available at:" is url.
 */

type Segments = Array<[string, string]>;

export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Field texts taken from the real training references, to vary the synthetic ones beyond the pools. */
export interface BorrowedFields {
  titles: readonly string[];
  periodicals: readonly string[];
}

class Generator {
  constructor(
    private readonly random: () => number,
    private readonly borrowed: BorrowedFields,
  ) {}

  chance(p: number): boolean {
    return this.random() < p;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.random() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)]!;
  }

  initials(): string {
    const letters = 'ABCDEFGHIJKLMNOPRSTVWZ';
    const first = this.pick([...letters]);
    if (this.chance(0.25)) return `${first}.${this.pick([...letters])}.`;
    if (this.chance(0.05)) return `${first}.-${this.pick([...letters])}.`;
    return `${first}.`;
  }

  familyName(): string {
    const group = this.pick(['polish', 'polish', 'russian', 'russian', 'caucasus', 'english', 'other'] as const);
    return this.pick(V.FAMILY_NAMES[group]);
  }

  /** One person in the given style. */
  person(style: 'family-initials' | 'initials-family' | 'family-comma-given' | 'given-family' | 'caps'): string {
    const family = this.familyName();
    switch (style) {
      case 'family-initials':
        return `${family} ${this.initials()}`;
      case 'initials-family':
        return `${this.initials()} ${family}`;
      case 'family-comma-given':
        return `${family}, ${this.pick(V.GIVEN_NAMES)}`;
      case 'given-family':
        return `${this.pick(V.GIVEN_NAMES)} ${family}`;
      case 'caps':
        return `${family.toUpperCase()} ${this.initials()}`;
    }
  }

  /** Authors in the Polish and ISO 690 manner, with the comma that ends the field. */
  authors(): string {
    const style = this.pick(['family-initials', 'family-initials', 'family-initials', 'initials-family', 'caps', 'given-family'] as const);
    const count = this.chance(0.7) ? 1 : this.chance(0.7) ? 2 : 3;
    const people = Array.from({ length: count }, () => this.person(style));
    let text = people.join(', ');
    if (count > 1 && this.chance(0.3)) text = `${people.slice(0, -1).join(', ')} ${this.pick(['i', 'and', '&'])} ${people.at(-1)}`;
    if (count === 3 && this.chance(0.2)) text = `${people[0]} et al.`;
    return `${text},`;
  }

  title(language?: 'english' | 'polish' | 'russian' | 'cyrillic'): string {
    if (language === undefined && this.borrowed.titles.length > 0 && this.chance(0.45)) return this.pick(this.borrowed.titles);
    const chosen = language ?? this.pick(['english', 'english', 'polish', 'russian', 'russian'] as const);
    const parts = V.TITLE_PARTS[chosen];
    const phrase = () => `${this.pick(parts.topics).toLowerCase()} ${this.pick(parts.links)} ${this.pick(parts.objects)}`;
    let title = `${this.pick(parts.topics)} ${this.pick(parts.links)} ${this.pick(parts.objects)}`;
    if (language === undefined && this.chance(0.4)) title = this.newsTitle(chosen, phrase);
    if (this.chance(0.25)) title += `${this.pick([': ', '. ', ' – '])}${phrase()}`;
    if (this.chance(0.1)) title += `, ${phrase()}`;
    // Enumerations: "A, B and C" puts commas inside a title.
    else if (this.chance(0.08)) title += `, ${phrase()} ${this.pick(chosen === 'english' ? ['and', '&'] : ['i', 'oraz', 'i'])} ${phrase()}`;
    if (this.chance(0.08)) title = `«${title}»`;
    // Abbreviations inside a title are no field's end: "pochti 2 tys. soldat", "ok. 300 osób".
    if (this.chance(0.08)) {
      const words = title.split(' ');
      const at = this.int(1, Math.max(1, words.length - 1));
      words.splice(at, 0, this.pick([`${this.int(2, 20)} tys.`, `ok. ${this.int(2, 900)}`, `${this.int(2, 90)} mln.`, `${this.int(1900, 2020)} r.`, 'ul.', 'im.', 'pr.']));
      title = words.join(' ');
    }
    return title;
  }

  /** Headlines and statements: who did what, with names and commas in them. */
  newsTitle(language: 'english' | 'polish' | 'russian' | 'cyrillic', phrase: () => string): string {
    const upper = (text: string) => text[0]!.toUpperCase() + text.slice(1);
    switch (language) {
      case 'english':
        return this.pick([
          () => `${this.pick(V.NATIONALITIES)}, ${this.pick(V.NATIONALITIES)} ${this.pick(V.OFFICIALS)} discuss ${phrase()}`,
          () => `${this.pick(V.STATEMENT_TITLES.english)} on ${phrase()}`,
          () => `The ${phrase()}`,
          () => `${this.familyName()} says ${phrase()}`,
        ])();
      case 'russian':
        return this.pick([
          () => `${this.pick(V.STATEMENT_TITLES.russian)} ${this.pick(['v svyazi s', 'otnositel\'no', 'po povodu'])} ${phrase()}`,
          // Who issued it, a list of offices: "Zayavleniye X, Y i Z".
          () => `${this.pick(V.STATEMENT_TITLES.russian)}, ${phrase()} i ${phrase()}`,
          () => `${this.familyName()} ${this.pick(V.TRANSLIT_VERBS)} ${this.familyName()}ym ${phrase()}`,
          () => `${upper(phrase())} ${this.int(2, 30)} ${this.pick(['tys.', 'mln', 'chelovek'])}`,
        ])();
      case 'polish':
        return `${this.pick(V.STATEMENT_TITLES.polish)} w sprawie ${phrase()}`;
      default:
        return upper(phrase());
    }
  }

  /**
   * A website or news service: from the list, a periodical name of the real training data, or an
   * invented name, so the labeller learns where a site stands rather than which sites exist.
   */
  site(): string {
    const roll = this.random();
    if (roll < 0.4) return this.pick(V.WEBSITES);
    if (roll < 0.6 && this.borrowed.periodicals.length > 0) return this.pick(this.borrowed.periodicals);
    const word = () => {
      const syllables = ['ka', 'ro', 'vi', 'ne', 'tu', 'ran', 'mir', 'zo', 'lek', 'an', 'sta', 'bo', 'de', 'li', 'gor', 'ma', 'ser', 'ty'];
      const made = Array.from({ length: this.int(2, 3) }, () => this.pick(syllables)).join('');
      return made[0]!.toUpperCase() + made.slice(1);
    };
    return this.pick([
      () => word(),
      () => `${word()} ${this.pick(['News', 'TV', 'Radio', 'Online', 'Daily', 'Times', 'Info', 'Press'])}`,
      () => `${this.pick(['Radio', 'TV', 'Agencja', 'Portal'])} ${word()}`,
      () => word().toUpperCase().slice(0, this.int(3, 5)),
      () => `${this.pick(['The', ''])} ${word()} ${this.pick(['Institute', 'Center', 'Centre', 'Foundation', 'Council', 'Ministry'])}`.trim(),
    ])();
  }

  periodical(): string {
    return this.borrowed.periodicals.length > 0 && this.chance(0.3) ? this.pick(this.borrowed.periodicals) : this.pick(V.PERIODICALS);
  }

  quoted(name: string): string {
    const [open, close] = this.pick([['„', '”'], ['„', '”'], ['“', '”'], ['"', '"'], ['«', '»']] as const);
    return `${open}${name}${close}`;
  }

  year(): number {
    return this.int(1995, 2024);
  }

  /** A day in one of the ways references write it; `malformed` splits a Roman month ("15 V I 2021"). */
  date(style: 'roman' | 'numeric' | 'iso' | 'polish' | 'english' | 'american' | 'russian', malformed = false): string {
    const year = this.year();
    const month = this.int(1, 12);
    const day = this.int(1, 28);
    const pad = (n: number) => String(n).padStart(2, '0');
    switch (style) {
      case 'roman': {
        const roman = ROMAN_MONTHS[month - 1]!;
        const shown = malformed && roman.length > 1 ? `${roman.slice(0, 1)} ${roman.slice(1)}` : roman;
        return `${day} ${shown} ${year}`;
      }
      case 'numeric':
        return `${pad(day)}.${pad(month)}.${year}`;
      case 'iso':
        return `${year}-${pad(month)}-${pad(day)}`;
      case 'polish':
        return `${day} ${['stycznia', 'lutego', 'marca', 'kwietnia', 'maja', 'czerwca', 'lipca', 'sierpnia', 'września', 'października', 'listopada', 'grudnia'][month - 1]} ${year}`;
      case 'english':
        return `${day} ${['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'][month - 1]} ${year}`;
      case 'american':
        return `${['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'][month - 1]} ${day}, ${year}`;
      case 'russian':
        return `${day} ${['yanvarya', 'fevralya', 'marta', 'aprelya', 'maya', 'iyunya', 'iyulya', 'avgusta', 'sentyabrya', 'oktyabrya', 'noyabrya', 'dekabrya'][month - 1]} ${year}`;
    }
  }

  dateStyle(): 'roman' | 'numeric' | 'iso' | 'polish' | 'english' | 'american' | 'russian' {
    return this.pick(['roman', 'roman', 'roman', 'numeric', 'iso', 'polish', 'english', 'american', 'russian'] as const);
  }

  accessed(): string {
    const malformed = this.chance(0.06);
    const when = this.date(this.pick(['roman', 'roman', 'numeric', 'iso', 'polish', 'english'] as const), malformed);
    return this.pick([
      `[accessed: ${when}]`,
      `[accessed ${when}]`,
      `[dostęp: ${when}]`,
      `[dostęp ${when}]`,
      `[dostęp dnia ${when}]`,
      `[data dostępu: ${when}]`,
      `(accessed ${when})`,
      `(dostęp: ${when})`,
      `[viewed ${when}]`,
      `[retrieved ${when}]`,
      `accessed ${when}`,
    ]);
  }

  url(): string {
    if (this.chance(0.12)) return '<>';
    const host = this.pick(['www.osw.waw.pl', 'www.pism.pl', 'oc-media.org', 'jam-news.net', 'www.reuters.com', 'www.bbc.com', 'meduza.io',
      'www.dw.com', 'www.rferl.org', 'civil.ge', 'news.am', 'www.gov.pl', 'www.nato.int', 'www.osce.org', 'www.crisisgroup.org',
      'valdaiclub.com', 'russiancouncil.ru', 'lenta.ru', 'www.gazeta.ru', 'www.rbc.ru', 'www.interfax.ru', 'www.chathamhouse.org',
      'ecfr.eu', 'www.mfa.gov.ge', 'mid.ru', 'president.az', 'www.primeminister.am', 'ukrinform.net', 'www.aa.com.tr']);
    const slug = this.title('english').toLowerCase().replace(/[^a-z ]/g, '').trim().split(/\s+/).slice(0, this.int(2, 7)).join('-');
    const path = this.pick([`/${this.year()}/${String(this.int(1, 12)).padStart(2, '0')}/${slug}`, `/en/news/${slug}-${this.int(1000, 99999)}`,
      `/pl/publikacje/${slug}`, `/article/${this.int(10000, 999999)}`, `/${slug}/`, `/news/${this.int(100000, 9999999)}.html`]);
    const url = `${this.chance(0.9) ? 'https' : 'http'}://${host}${path}`;
    return this.chance(0.6) ? `<${url}>` : url;
  }

  /** "date [accessed: …]: <url>." and its variants: the online tail of a reference. */
  onlineTail(date: string | undefined): Segments {
    const segments: Segments = [];
    const url = this.url();
    const accessed = this.accessed();
    const order = this.int(0, 3);
    if (date !== undefined) segments.push(['date', `${date}${order === 0 ? '' : ','}`]);
    if (order === 0) {
      segments.push(['note', `${accessed}:`], ['url', `${url}.`]);
    } else if (order === 1) {
      segments.push(['url', `${this.pick(['', 'Available at: ', 'available at: ', 'Dostępny w Internecie: ', 'dostępny w: ', 'URL: '])}${url}`], ['note', `${accessed}.`]);
    } else if (order === 2) {
      segments.push(['note', `${accessed},`], ['url', `${url}.`]);
    } else {
      segments.push(['url', `${url},`], ['note', `${accessed}.`]);
    }
    return segments;
  }

  volume(): string {
    return this.pick([
      `nr ${this.int(1, 12)},`,
      `t. ${this.int(1, 80)}, nr ${this.int(1, 6)},`,
      `vol. ${this.int(1, 80)}, no. ${this.int(1, 12)},`,
      `vol. ${this.int(1, 80)}, issue: ${this.int(1, 200)},`,
      `Vol. ${this.int(1, 80)}, No. ${this.int(1, 12)},`,
      `vol. ${this.int(1, 80)},`,
      `no. ${this.int(1, 52)},`,
      `z. ${this.int(1, 4)},`,
    ]);
  }

  pages(): string {
    const first = this.int(1, 400);
    return this.pick([`s. ${first}–${first + this.int(5, 30)}`, `s. ${first}-${first + this.int(5, 30)}`, `pp. ${first}–${first + this.int(5, 30)}`,
      `p. ${first}`, `s. ${first}`, `ss. ${first}–${first + this.int(5, 30)}`]);
  }

  doi(): string {
    const doi = `10.${this.int(1000, 99999)}/${this.pick(['ps', 'sp', 'ejis', 'rbm', 'pw'])}.${this.year()}.${this.int(1, 999)}`;
    return this.pick([`DOI: ${doi}`, `doi: ${doi}`, `https://doi.org/${doi}`, `DOI ${doi}`]);
  }
}

/** An article in a periodical, printed or online: „Czasopismo” 2019, nr 3, s. 12–15. */
function periodicalArticle(g: Generator): Segments {
  const segments: Segments = [];
  if (g.chance(0.9)) segments.push(['author', g.authors()]);
  segments.push(['title', `${g.title()},`]);
  const journal = g.quoted(g.periodical());
  if (g.chance(0.45)) {
    // Online: „…” [online], 12 III 2020 [accessed: …]: <…>.
    segments.push(['journal', g.chance(0.8) ? journal : `${journal},`]);
    if (g.chance(0.8)) segments.push(['medium', '[online],']);
    if (g.chance(0.3)) segments.push(['volume', g.volume()]);
    segments.push(...g.onlineTail(g.date(g.dateStyle())));
    return segments;
  }
  segments.push(['journal', journal]);
  segments.push(['date', `${g.year()},`]);
  segments.push(['volume', g.volume()]);
  const doi = g.chance(0.25);
  segments.push(['pages', `${g.pages()}${doi ? ',' : '.'}`]);
  if (doi) segments.push(['doi', `${g.doi()}.`]);
  return segments;
}

function book(g: Generator): Segments {
  const segments: Segments = [['author', g.authors()], ['title', `${g.title()},`]];
  if (g.chance(0.15)) segments.push(['edition', g.pick(['wyd. 2,', 'wyd. 3 popr.,', '2nd ed.,', 'izd. 2-e,'])]);
  const place = g.pick(V.PLACES);
  const publisher = g.pick(V.PUBLISHERS);
  const year = g.year();
  const isbn = g.chance(0.15);
  const end = isbn ? ',' : '.';
  switch (g.int(0, 3)) {
    case 0:
      segments.push(['publisher', `${publisher},`], ['location', place], ['date', `${year}${end}`]);
      break;
    case 1:
      segments.push(['location', `${place}:`], ['publisher', `${publisher},`], ['date', `${year}${end}`]);
      break;
    case 2:
      segments.push(['location', place], ['date', `${year}${end}`]);
      break;
    default:
      segments.push(['location', `${place}:`], ['publisher', publisher], ['date', `${year}${end}`]);
  }
  if (isbn) segments.push(['isbn', `ISBN 978-83-${g.int(10, 99)}-${g.int(1000, 9999)}-${g.int(0, 9)}.`]);
  return segments;
}

function chapter(g: Generator): Segments {
  const segments: Segments = [['author', g.authors()], ['title', `${g.title()},`]];
  const editors = Array.from({ length: g.chance(0.7) ? 1 : 2 }, () => g.person('initials-family')).join(', ');
  const polish = g.chance(0.6);
  const intro = polish ? g.pick(['[w:]', 'w:', 'W:', '[in:]']) : g.pick(['in:', 'In:', 'in']);
  const role = polish ? '(red.),' : editors.includes(',') ? '(eds.),' : '(ed.),';
  segments.push(['editor', `${intro} ${editors} ${role}`], ['container-title', `${g.title()},`]);
  segments.push(['publisher', `${g.pick(V.PUBLISHERS)},`], ['location', g.pick(V.PLACES)], ['date', `${g.year()},`], ['pages', `${g.pages()}.`]);
  return segments;
}

/** A page on a website or news service: Title, Site [online], 2 IV 2021 [accessed: …]: <>. */
function webPage(g: Generator): Segments {
  const segments: Segments = [];
  const institution = g.chance(0.25) ? g.pick(V.INSTITUTIONS) : undefined;
  const article = institution && g.chance(0.3) ? 'The ' : '';
  if (institution) segments.push(['author', `${article}${institution},`]);
  else if (g.chance(0.45)) segments.push(['author', g.authors()]);
  if (g.chance(institution ? 0.4 : 0.05)) segments.push(['volume', `${g.pick(['No:', 'No.', 'Nr', 'nr'])} ${g.int(1, 400)}/${g.int(10, 24)},`]);
  const empty = g.chance(0.08);
  segments.push(['title', `${g.title()},${empty ? ',' : ''}`]);
  if (!empty) {
    const agency = g.chance(0.15);
    const site = institution && g.chance(0.6)
      ? `${article}${institution}`
      : agency ? `${g.quoted(g.chance(0.5) ? g.pick(V.NAMED_AGENCIES) : g.site())} ${g.pick(V.AGENCY_KINDS)}` : g.site();
    const online = g.chance(0.5);
    segments.push(['container-title', online ? site : `${site},`]);
    if (online) segments.push(['medium', '[online],']);
  }
  segments.push(...g.onlineTail(g.date(g.dateStyle())));
  return segments;
}

/** A report in a series: Title, PISM 2020, (Policy Paper, March 2021): <> [accessed: …]. */
function report(g: Generator): Segments {
  const segments: Segments = [['author', g.authors()], ['title', `${g.title('english')},`]];
  const publisher = g.pick(['OSW', 'PISM', 'ECFR', 'RAND', 'IISS', 'CSIS', 'Chatham House', 'Carnegie Europe', 'ICG']);
  segments.push(['publisher', publisher], ['date', `${g.year()},`]);
  const month = g.pick(['January', 'March', 'June', 'October', 'December', 'marzec', 'czerwiec']);
  segments.push(['collection-title', `(${g.pick(V.SERIES)},`], ['date', `${month} ${g.year()}):`]);
  segments.push(['url', g.url()], ['note', `${g.accessed()}.`]);
  return segments;
}

/** GOST style, in Cyrillic: Иванов И.И. Название // Журнал. 2019. № 3. С. 12–15. */
function cyrillic(g: Generator): Segments {
  const author = `${g.pick(V.CYRILLIC_NAMES)} ${g.pick(['И.', 'А.', 'С.', 'Д.', 'В.'])}${g.pick(['И.', 'А.', 'С.', 'Н.', ''])}`;
  const title = g.title('cyrillic');
  switch (g.int(0, 2)) {
    case 0:
      return [['author', author], ['title', title], ['journal', `// ${g.pick(V.CYRILLIC_PERIODICALS)}.`], ['date', `${g.year()}.`],
        ['volume', `№ ${g.int(1, 12)}.`], ['pages', `С. ${g.int(1, 200)}–${g.int(201, 240)}.`]];
    case 1:
      return [['author', author], ['title', `${title}.`], ['location', `${g.pick(V.CYRILLIC_PLACES)}:`], ['publisher', `${g.pick(V.CYRILLIC_PUBLISHERS)},`],
        ['date', `${g.year()}.`], ['pages', `${g.int(100, 600)} с.`]];
    default:
      return [['title', title], ['medium', '[Электронный ресурс]'], ['container-title', `// ${g.pick(V.WEBSITES)}.`],
        ['date', `${g.date('numeric')}.`], ['url', `URL: ${g.url().replace(/^<|>$/g, '')}`], ['note', `(дата обращения: ${g.date('numeric')}).`]];
  }
}

function legislation(g: Generator): Segments {
  const act = g.pick(V.LEGISLATION);
  if (act.startsWith('Ustawa') || act.startsWith('Rozporządzenie')) {
    return [['title', `${act},`], ['container-title', g.pick(['Dz.U.', 'Dz. U.'])], ['date', `${g.year()},`],
      ['volume', g.chance(0.5) ? `poz. ${g.int(1, 2500)}.` : `nr ${g.int(1, 250)}, poz. ${g.int(1, 2500)}.`]];
  }
  return [['title', `${act},`], ['container-title', g.pick(['OJ L', 'Official Journal of the EU', "Sobraniye zakonodatel'stva RF"])],
    ['volume', `${g.int(1, 400)},`], ['date', `${g.date('numeric')},`], ['pages', `p. ${g.int(1, 60)}.`]];
}

const KINDS: Array<[weight: number, make: (g: Generator) => Segments]> = [
  [6, periodicalArticle],
  [3, book],
  [2, chapter],
  [7, webPage],
  [1, report],
  [1, cyrillic],
  [1, legislation],
];

export function syntheticReferences(count: number, seed: number, borrowed: BorrowedFields = { titles: [], periodicals: [] }): LabelledReference[] {
  const g = new Generator(createRandom(seed), borrowed);
  const total = KINDS.reduce((sum, [weight]) => sum + weight, 0);
  const references: LabelledReference[] = [];
  for (let i = 0; i < count; i++) {
    let roll = g.int(1, total);
    const make = KINDS.find(([weight]) => (roll -= weight) <= 0)![1];
    references.push({ segments: make(g) });
  }
  return references;
}
