/**
 * Word lists the labeller's features and the rules consult. Lower case, without diacritics stripped:
 * a word is looked up as written (lower-cased, surrounding punctuation removed).
 */

function set(words: string): ReadonlySet<string> {
  return new Set(words.trim().split(/\s+/));
}

/** Month names and abbreviations → month number, in the languages references here are written in. */
export const MONTHS: ReadonlyMap<string, number> = (() => {
  const map = new Map<string, number>();
  const add = (month: number, words: string) => {
    for (const word of words.trim().split(/\s+/)) map.set(word, month);
  };
  add(1, 'january jan januar janvier janv enero ene gennaio gen styczeń styczen stycznia sty styczniu yanvar yanvarya январь января янв');
  add(2, 'february feb febr februar février fevrier févr fevr febrero febbraio luty lutego lut lutym fevral fevralya февраль февраля фев');
  add(3, 'march mar mär märz marz mars marzo marzec marca marcu mart marta март марта');
  add(4, 'april apr avril avr abril aprile kwiecień kwiecien kwietnia kwi kwietniu aprel aprelya апрель апреля');
  add(5, 'may mai mayo maggio maj maja maju may maya май мая');
  add(6, 'june jun juni juin junio giugno giu czerwiec czerwca cze czerwcu iyun iyunya июнь июня');
  add(7, 'july jul juli juillet juil julio luglio lug lipiec lipca lip lipcu iyul iyulya июль июля');
  add(8, 'august aug août aout agosto ago sierpień sierpien sierpnia sie sierpniu avgust avgusta август августа');
  add(9, 'september sep sept septembre septiembre settembre set wrzesień wrzesien września wrzesnia wrz wrześniu sentyabr sentyabrya сентябрь сентября сен');
  add(10, 'october oct okt oktober octobre octubre ottobre ott październik pazdziernik października pazdziernika paź paz październiku oktyabr oktyabrya октябрь октября окт');
  add(11, 'november nov novembre noviembre listopad listopada lis listopadzie noyabr noyabrya ноябрь ноября ноя');
  add(12, 'december dec dez dezember décembre decembre déc diciembre dic dicembre grudzień grudzien grudnia gru grudniu dekabr dekabrya декабрь декабря дек');
  return map;
})();

export const ROMAN_MONTHS = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X', 'XI', 'XII'];

/** Words that say "the date I looked at it": [accessed: …], [dostęp: …], Retrieved …, [дата обращения: …]. */
export const ACCESSED_WORDS = set(`accessed access retrieved viewed consulted cited cit visited
  dostęp dostep dostępu dostepu odczyt zugriff zugegriffen abgerufen consulté consulte consultado
  consultato обращения доступа просмотра`);

/** Words before a link: "Available at", "Dostępny w", "URL:", "Режим доступа". */
export const LINK_WORDS = set('available availableat url dostępny dostępne dostepny online verfügbar disponible режим доступа');

export const ONLINE_WORDS = set('online on-line internet электронный web');

export const EDITOR_WORDS = set(`ed eds ed. eds. edn editor editors edited red redakcja redakcji pod hrsg hg herausgegeben
  dir éd éds coord coords comp comps ред под`);

export const TRANSLATOR_WORDS = set('trans transl translated translator tłum tlum przeł przel przekład übers перевод пер');

export const IN_WORDS = set('in w dans im в');

export const PAGE_WORDS = set('p pp s ss str stron page pages seite seiten с стр');

export const VOLUME_WORDS = set('vol vols volume volumes t tom tomy bd band jg jahrgang т том r rocznik');

export const NUMBER_WORDS = set('no nos nr nrs n issue iss z zesz zeszyt heft h vyp вып no: №');

export const EDITION_WORDS = set('edition edn wyd wydanie aufl auflage éd édition изд издание');

export const AND_WORDS = set('and & i und et y e и');

export const ETAL_WORDS = set('et al al. al i in. inni и др др.');

export const PARTICLES = set('von van der den de la le di da du del della dos das ter ten al el bin ibn zu vom vel');

/** Words of publisher names; also the cue for the misspelled-publisher check's known list. */
export const PUBLISHER_WORDS = set(`press university universitet universität université uniwersytet uniwersytetu universidad
  università verlag verlage wydawnictwo wydawnictwa wydawnicza oficyna publishers publisher publishing publications
  books editions éditions edizioni editorial izdatelstvo издательство naukowe scholar springer elsevier routledge wiley
  blackwell palgrave macmillan sage pwn brill harper penguin random house academic akademie academy inc ltd llc gmbh co
  institute instytut institut foundation fundacja centre center centrum`);

/** Words of periodical titles. */
export const JOURNAL_WORDS = set(`journal journals review revue rev quarterly annual annals proceedings bulletin letters
  transactions magazine times news gazette studies studia przegląd przeglad kwartalnik rocznik zeszyty sprawy
  zeitschrift archiv archives research science sciences nature zhurnal vestnik вестник журнал obozrenie politika
  monitor analyst daily weekly herald post tribune`);

/** Words that make an author an organisation, not a person. */
export const ORGANISATION_WORDS = set(`ministry ministerstwo ministère ministerium department departament office urząd urzad
  agency agencja committee komitet commission komisja council rada bank association stowarzyszenie society towarzystwo
  organization organisation organizacja institute instytut institut university uniwersytet center centre centrum
  foundation fundacja government rząd rzad parliament sejm senat nations union unia bureau biuro service służba
  corporation company group board authority administration kancelaria secretariat sekretariat press agentstvo
  mid kremlin tass ria nato osce obse who un eu gus pism osw sipri`);

/** Places of publication that appear often enough to be worth a feature. */
export const PLACES = set(`london new york paris berlin warszawa warsaw kraków krakow cracow wrocław wroclaw poznań poznan
  gdańsk gdansk łódź lodz lublin toruń torun katowice moscow moskva москва moskau petersburg sankt-peterburg
  санкт-петербург oxford cambridge princeton chicago boston washington dc ny ma ca il nj uk usa amsterdam leiden
  vienna wien münchen munich frankfurt leipzig hamburg stuttgart göttingen rome roma milano madrid barcelona
  prague praha bratislava budapest kyiv kiev киев kijów vilnius riga tallinn minsk tbilisi yerevan baku ankara
  istanbul stockholm oslo copenhagen helsinki brussels bruxelles geneva genève zürich zurich bern basel
  hoboken thousand oaks los angeles san francisco berkeley stanford new haven ithaca baltimore philadelphia toronto
  montreal sydney melbourne tokyo beijing delhi singapore dordrecht heidelberg basingstoke abingdon oxon`);

/** Given names common in the references Revista sees: a small list, enough to tell a name from a title word. */
export const GIVEN_NAMES = set(`jan anna maria piotr paweł pawel krzysztof andrzej tomasz józef jozef marek michał michal
  katarzyna agnieszka barbara ewa małgorzata malgorzata magdalena joanna aleksandra adam marcin stanisław stanislaw
  jerzy tadeusz ryszard zbigniew wojciech grzegorz łukasz lukasz mateusz jakub dariusz robert roman janusz
  john james robert michael william david richard joseph thomas charles mary patricia jennifer linda elizabeth
  susan sarah karen nancy peter paul mark george edward henry frank daniel matthew anthony andrew steven kenneth
  alexander aleksandr aleksey alexei sergey sergei dmitry dmitri vladimir ivan nikolai nikolay andrei andrey
  mikhail yuri yury boris igor oleg olga tatiana natalia elena irina svetlana fyodor fedor pavel anatoly
  hans klaus jürgen wolfgang helmut karl friedrich heinrich jean pierre jacques michel françois louis marie
  giovanni giuseppe carlo luigi antonio juan josé jose carlos manuel luis ahmed mohammed ali hassan`);

/**
 * Nationality and regional adjectives, in English: a field of one of these alone ("Russian,",
 * "Polish-Ukrainian,") opens a title ("Russian, Azerbaijani defense ministers discuss …"); it is
 * nobody's name.
 */
export const NATIONALITIES = set(`afghan albanian algerian american andorran angolan argentine argentinian armenian
  australian austrian azerbaijani azeri bahraini bangladeshi belarusian belgian bolivian bosnian brazilian british
  bulgarian burmese cambodian cameroonian canadian chadian chilean chinese colombian congolese croatian cuban cypriot
  czech danish dutch ecuadorian egyptian emirati english eritrean estonian ethiopian european filipino finnish french
  georgian german ghanaian greek guatemalan haitian honduran hungarian icelandic indian indonesian iranian iraqi irish
  israeli italian ivorian jamaican japanese jordanian kazakh kazakhstani kenyan korean kosovar kuwaiti kyrgyz lao
  latvian lebanese libyan lithuanian luxembourgish macedonian malagasy malaysian malian maltese mexican moldovan
  mongolian montenegrin moroccan mozambican namibian nepalese nicaraguan nigerian nigerien norwegian omani pakistani
  palestinian panamanian paraguayan peruvian polish portuguese qatari romanian russian rwandan saudi scottish
  senegalese serbian singaporean slovak slovenian somali spanish sudanese swedish swiss syrian taiwanese tajik
  tanzanian thai tunisian turkish turkmen ugandan ukrainian uruguayan uzbek venezuelan vietnamese welsh yemeni
  zambian zimbabwean soviet baltic caucasian balkan nordic scandinavian arab asian african latin transatlantic
  sino euro anglo franco russo polono`);
