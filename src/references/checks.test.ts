import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseReference, parseReferences, type IssueCode, type ParsedReference } from './index.ts';

const now = new Date('2026-01-01T00:00:00Z');
const parse = (text: string, at = now) => parseReference(text, { now: at });
const codes = (reference: ParsedReference) => reference.issues.map((issue) => issue.code);
const has = (text: string, code: IssueCode, at = now) => codes(parse(text, at)).includes(code);

describe('reference checks', () => {
  it('DOIs must be 10., a registrant number of 4–9 digits, a slash and a suffix', () => {
    const good = parse('Nowak A., Polityka wschodnia, „Sprawy Międzynarodowe” 2019, nr 3, s. 12–15, DOI: 10.35757/SM.2019.72.3.01.');
    assert.ok(!codes(good).includes('doi-invalid'), JSON.stringify(good.issues));
    assert.equal(good.csl.DOI, '10.35757/SM.2019.72.3.01');
    const short = parse('Nowak A., Polityka wschodnia, „Sprawy Międzynarodowe” 2019, nr 3, s. 12–15, doi: 10.35/sm.2019.3.');
    assert.deepEqual(short.issues.find((issue) => issue.code === 'doi-invalid')?.params, { doi: '10.35/sm.2019.3' });
    assert.ok(has('Zhang L., Co-delivery of drugs, ChemMedChem 2008, 3, 1311–1315. doi: 0.1002/cmdc.200700121', 'doi-invalid'));
    const linked = parse('Duke J., Mixed income housing policy, Critical Social Policy 2009, 29(1), 100–120, https://doi.org/10.1177/0261018308098396.');
    assert.equal(linked.csl.DOI, '10.1177/0261018308098396');
    assert.ok(!codes(linked).includes('doi-invalid'));
  });

  it('a DOI split by a line break after its slash is read whole, and the space reported', () => {
    const broken = parse('Marchesi I. (2012). Control of Legionella contamination. Journal of Infection Control, 39(4), 279–284. doi:10.1016/ j.ajic.2011.03.008.');
    assert.equal(broken.csl.DOI, '10.1016/j.ajic.2011.03.008');
    assert.deepEqual(broken.issues.find((issue) => issue.code === 'doi-invalid')?.params, { doi: '10.1016/ j.ajic.2011.03.008' });
    const linked = parse('Smith J. (2004). Arsenic in water. Environmental Science and Technology, 38, 12–19. https://doi.org/10.1021/ es030360x');
    assert.equal(linked.csl.DOI, '10.1021/es030360x');
    // Words after a slash are not a DOI's suffix.
    assert.equal(parse('Nowak A., O prefiksach 10.1000/ i innych, Warszawa 2019.').csl.DOI, undefined);
  });

  it('links: empty brackets, spaces inside, no scheme or host', () => {
    assert.ok(has('Kowalski J., Raport o stanie państwa, PISM, 12 III 2020 [dostęp: 14 III 2020]: <>.', 'url-empty'));
    const spaced = parse('Kerber R., Cost of data breach soars, Boston Globe, 15 VIII 2007, http://www. boston.com/business/globe/2007/08/15/breach [accessed: 1 IX 2007].');
    assert.deepEqual(spaced.issues.find((issue) => issue.code === 'url-spaces')?.params, { url: 'http://www. boston.com/business/globe/2007/08/15/breach' });
    assert.ok(has('Kowalski J., Raport o stanie państwa, PISM, 12 III 2020 [dostęp: 14 III 2020]: <htp://www.pism.pl/raport>.', 'url-scheme'));
    assert.ok(has('Kowalski J., Raport o stanie państwa, PISM, 12 III 2020 [dostęp: 14 III 2020]: <raport-o-stanie/>.', 'url-scheme'));
    const fine = parse('Kowalski J., Raport o stanie państwa, PISM, 12 III 2020 [dostęp: 14 III 2020]: <https://www.pism.pl/publikacje/raport>.');
    assert.deepEqual(codes(fine), []);
    assert.equal(fine.csl.URL, 'https://www.pism.pl/publikacje/raport');
  });

  it('an access date without any link is reported', () => {
    assert.ok(has('Trenin D., Tri krizisa, Carnegie Endowment, 28 X 2020 [accessed: 31 V 2021].', 'url-missing'));
    assert.ok(!has('Trenin D., Tri krizisa, Carnegie Endowment, 28 X 2020 [accessed: 31 V 2021]: <https://carnegie.ru/x>.', 'url-missing'));
  });

  it('a year of publication after today is in the future — judged against the given clock', () => {
    const text = 'Kowalski J., Dyplomacja publiczna, Warszawa: Wydawnictwo Naukowe PWN, 2031.';
    assert.deepEqual(parse(text).issues.find((issue) => issue.code === 'year-future')?.params, { year: 2031 });
    assert.ok(!has(text, 'year-future', new Date('2032-06-01T00:00:00Z')));
  });

  it('an access date earlier than the publication date', () => {
    const found = parse('Kucera J., Armenia suspends talks, Eurasianet, 4 VI 2021 [accessed: 15 V 2021]: <https://eurasianet.org/x>.');
    assert.deepEqual(found.issues.find((issue) => issue.code === 'accessed-before-issued')?.params, { accessed: '15 V 2021', issued: '4 VI 2021' });
    assert.ok(!has('Kucera J., Armenia suspends talks, Eurasianet, 4 VI 2021 [accessed: 5 VI 2021]: <https://eurasianet.org/x>.', 'accessed-before-issued'));
  });

  it('duplicates: the same text (spacing and case aside), the same DOI, or the same author, title and year', () => {
    const list = parseReferences([
      'Nowak A., Polityka wschodnia Polski, „Sprawy Międzynarodowe” 2019, nr 3, s. 12–15.',
      'Kowalski J., Dyplomacja publiczna, Warszawa: PWN, 2019.',
      'Nowak  A.,  polityka wschodnia Polski, „Sprawy Międzynarodowe” 2019, nr 3, s. 12-15.',
      'Zieliński P., Inny tytuł, „Polityka” 2020, DOI: 10.1234/abcd.5.',
      'Zieliński P., Inny tytuł artykułu, „Polityka” 2020, s. 3, doi:10.1234/ABCD.5.',
    ], { now });
    assert.deepEqual(list.map((reference) => reference.issues.filter((issue) => issue.code === 'duplicate').map((issue) => issue.params.number)), [[], [], [1], [], [4]]);
  });

  it('quotes and brackets without a partner', () => {
    assert.deepEqual(parse('Kowalski J., „Dyplomacja publiczna, Warszawa: PWN, 2019.').issues.find((issue) => issue.code === 'unbalanced')?.params, { mark: '„' });
    assert.ok(has('Wezeman P.D., Trends in arms transfers, SIPRI 2020, (Fact Sheets, March 2021: <https://sipri.org/x>.', 'unbalanced'));
    assert.ok(!has('Wezeman P.D., Trends in arms transfers, SIPRI 2020, (Fact Sheets, March 2021): <https://sipri.org/x>.', 'unbalanced'));
    // German-style „…“ and Russian «…» close properly.
    assert.ok(!has('Müller K., „Die Ostpolitik“, Berlin: Suhrkamp, 2001.', 'unbalanced'));
    assert.ok(!has('Sukhova S., «Amerikantsy umeyut», "Ogonok" 2020, vol. 37, p. 8.', 'unbalanced'));
  });

  it('a missing space after punctuation, but not inside numbers or links', () => {
    assert.deepEqual(parse('Kucera J., Armenia and Azerbaijan in new border crisis, Eurasianet,14 V 2021 [accessed: 5 VI 2021]: <https://eurasianet.org/a,b>.').issues.find((issue) => issue.code === 'missing-space')?.params, { text: 'Eurasianet,14' });
    assert.ok(!has('Smith J., Growth of 1,5 per cent, Journal of Things 2019, 12, 1–5.', 'missing-space'));
  });

  it('empty fields between separators', () => {
    assert.deepEqual(parse('Otvety na voprosy SMI,, 17 X 2020 [accessed: 15 V 2021]: <https://mid.ru/x>.').issues.find((issue) => issue.code === 'empty-field')?.params, { text: ',,' });
  });

  it('a publisher one letter or one swap from a known name', () => {
    assert.deepEqual(parse('Smith J., Global politics, London: Routlege, 2015.').issues.find((issue) => issue.code === 'publisher-misspelled')?.params, { found: 'Routlege', known: 'Routledge' });
    assert.ok(!has('Smith J., Global politics, London: Routledge, 2015.', 'publisher-misspelled'));
    // People and titles are not publishers: "Connell" is a surname, "Policy" a word.
    assert.ok(!has("O'Connell P.J., Robert Drew and the development of cinema, Carbondale: Southern Illinois University Press, 1992.", 'publisher-misspelled'));
  });
});

describe('dates, names and identifiers after labelling', () => {
  it('Roman-numeral months, and ones that cannot be', () => {
    assert.deepEqual(parse('Aliyev N., Russia’s arms sales, “Eurasia Daily Monitor”, vol. 15, issue: 47, 28 III 2018.').csl.issued, { 'date-parts': [[2018, 3, 28]] });
    const bad = parse('Aliyev N., Russia’s arms sales, “Eurasia Daily Monitor”, 14 XIII 2019 [accessed: 15 V 2021]: <https://jamestown.org/x>.');
    assert.ok(codes(bad).includes('date-malformed'), JSON.stringify(bad.issues));
    const split = parse('Lavrov obsudil, TASS [online], 13 V 2021 [accessed: 15 V I 2021]: <https://tass.ru/x>.');
    assert.deepEqual(split.issues.find((issue) => issue.code === 'date-malformed')?.params, { text: '15 V I 2021', suggestion: '15 VI 2021' });
    assert.equal(split.csl.accessed, undefined);
  });

  it('access dates written as [dostęp: …], [accessed …], Retrieved … and (дата обращения: …)', () => {
    const cases: Array<[string, number[]]> = [
      ['Nowak A., Stosunki polsko-litewskie, Ośrodek Studiów Wschodnich, 3 II 2020 [dostęp: 12.03.2021]: <https://www.osw.waw.pl/x>.', [2021, 3, 12]],
      ['Nowak A., Stosunki polsko-litewskie, Ośrodek Studiów Wschodnich, 3 II 2020 [accessed 5 June 2021]: <https://www.osw.waw.pl/x>.', [2021, 6, 5]],
      ['Smith J. (2019). Essay on trade. Retrieved May 29, 2020, from https://example.org/essay', [2020, 5, 29]],
      ['Иванов И.И. Название статьи [Электронный ресурс] // Коммерсантъ. 12.02.2019. URL: https://www.kommersant.ru/doc/1 (дата обращения: 14.02.2019).', [2019, 2, 14]],
    ];
    for (const [text, accessed] of cases) assert.deepEqual(parse(text).csl.accessed, { 'date-parts': [accessed] }, text);
  });

  it('Cyrillic references in the GOST style', () => {
    const reference = parse('Иванов И.И. Внешняя политика России на Кавказе // Вестник МГИМО. 2019. № 3. С. 12–15.');
    assert.deepEqual(reference.csl.author, [{ family: 'Иванов', given: 'И.И.' }]);
    assert.equal(reference.csl.title, 'Внешняя политика России на Кавказе');
    assert.equal(reference.csl['container-title'], 'Вестник МГИМО');
    assert.deepEqual(reference.csl.issued, { 'date-parts': [[2019]] });
    assert.equal(reference.csl.issue, '3');
    assert.equal(reference.csl.page, '12-15');
    assert.equal(reference.csl.language, 'ru');
  });

  it('a link or DOI after the pages is the DOI, never the pages', () => {
    // The labeller alone takes the link, or the word "doi", for the pages after "8 (4):".
    const asPages = parse('Kim H. (2019). Reading in a second language. Journal of Applied Linguistics, 8 (4): https://doi.org/10.1000/jal.2019.4.');
    assert.equal(asPages.csl.DOI, '10.1000/jal.2019.4');
    assert.equal(asPages.csl.page, undefined);
    assert.deepEqual(asPages.segments.at(-1), ['url', 'https://doi.org/10.1000/jal.2019.4.']);
    const cue = parse('Kim H. (2019). Reading in a second language. Journal of Applied Linguistics, 8 (4): doi 10.1000/jal.2019.4.');
    assert.equal(cue.csl.DOI, '10.1000/jal.2019.4');
    assert.equal(cue.csl.page, undefined);
    assert.deepEqual(cue.segments.at(-1), ['doi', 'doi 10.1000/jal.2019.4.']);
    // Written without a space after the pages: one token, split by the rule for pages.
    const glued = parse('Smith J.A. (2019). Learning to read. Journal of Educational Psychology, 12(3), 45–67.https://doi.org/10.1000/xyz123');
    assert.equal(glued.csl.DOI, '10.1000/xyz123');
    assert.equal(glued.csl.page, '45-67');
  });

  it('a nationality opening a reference begins its title; it is not an author', () => {
    const reference = parse('Russian, Turkish defense ministers discuss situation in Syria, TASS [online], 3 III 2021 [accessed: 5 V 2021]: <https://tass.com/defense/1000000>.');
    assert.equal(reference.csl.author, undefined);
    assert.equal(reference.csl.title, 'Russian, Turkish defense ministers discuss situation in Syria');
    assert.equal(reference.csl['container-title'], 'TASS');
    // A surname with an initial is a person, whatever else the word means.
    assert.deepEqual(parse('French J., Russia and the South Caucasus, Carnegie Europe [online], 3 III 2021 [accessed: 5 V 2021]: <https://carnegieeurope.eu/x>.').csl.author, [{ family: 'French', given: 'J.' }]);
  });

  it('in an online ISO 690 reference the site is the last field before the medium or date', () => {
    const news = parse('Rossiya peredala Armenii eshche 15 voyennoplennykh, Mirotvortsy, RIA Novosti [online], 3 III 2021 [accessed: 5 V 2021]: <https://ria.ru/20210303/plennye-1600000000.html>.');
    assert.equal(news.csl.title, 'Rossiya peredala Armenii eshche 15 voyennoplennykh, Mirotvortsy');
    assert.equal(news.csl['container-title'], 'RIA Novosti');
    const statement = parse("Sovmestnoye zayavleniye Prezidenta Rossiyskoy Federatsii, Prezidenta Azerbaydzhanskoy Respubliki i Prem'yer-ministra Respubliki Armeniya, Kremlin, 11 I 2021 [accessed: 15 V 2021]: <http://kremlin.ru/supplement/5639>.");
    assert.equal(statement.csl.title, "Sovmestnoye zayavleniye Prezidenta Rossiyskoy Federatsii, Prezidenta Azerbaydzhanskoy Respubliki i Prem'yer-ministra Respubliki Armeniya");
    assert.equal(statement.csl['container-title'], 'Kremlin');
    assert.equal(statement.csl.type, 'webpage');
    // A periodical's or a company's name with a comma in it stays whole.
    assert.equal(parse('Kowalski J., Cyber threats to small states, Journal of Systemics, Cybernetics and Informatics [online], 15 VI 2011 [accessed: 6 II 2021]: <https://www.iiisci.org/journal/x>.').csl['container-title'], 'Journal of Systemics, Cybernetics and Informatics');
    assert.equal(parse('Nowak A., Raport o stanie gospodarki, Acme, Inc., 3 II 2020 [accessed: 5 V 2021]: <https://acme.example/x>.').csl['container-title'], 'Acme, Inc.');
  });

  it('a Polish chapter in an edited book', () => {
    const reference = parse('Kowalski J., Polityka energetyczna, [w:] A. Nowak (red.), Bezpieczeństwo Europy, Wydawnictwo Naukowe Scholar, Warszawa 2018, s. 45–67.');
    assert.equal(reference.csl.type, 'chapter');
    assert.deepEqual(reference.csl.author, [{ family: 'Kowalski', given: 'J.' }]);
    assert.deepEqual(reference.csl.editor, [{ family: 'Nowak', given: 'A.' }]);
    assert.equal(reference.csl.page, '45-67');
    assert.equal(reference.csl['publisher-place'], 'Warszawa');
    assert.deepEqual(reference.csl.issued, { 'date-parts': [[2018]] });
  });
});
