/**
 * Word pools for the synthetic references (synthetic.ts). Invented titles and a mix of real
 * publishers, periodicals and news services, chosen so that none of the demo article's sources or
 * titles is among them: the demo bibliography stays a test of what the labeller learned, not a copy.
 */

const list = (text: string) => text.trim().split('\n').map((line) => line.trim()).filter((line) => line !== '');

export const FAMILY_NAMES = {
  polish: list(`
    Kowalski
    Nowak
    Wiśniewska
    Zając
    Lewandowski
    Kamińska
    Dąbrowski
    Szymańska
    Woźniak
    Kozłowski
    Jankowska
    Mazur
    Krawczyk
    Piotrowski
    Grabowska
    Pawłowski
    Michalska
    Zalewski
    Wieczorek
    Jabłońska
    Bieleń
    Żurawski vel Grajewski
    Cichocki
    Menkiszak
    Strzelecka
    Kuźniar`),
  russian: list(`
    Ivanov
    Petrova
    Smirnov
    Kuznetsova
    Sokolov
    Popova
    Lebedev
    Kozlov
    Novikova
    Morozov
    Volkov
    Solovyov
    Vasilyeva
    Zaytsev
    Pavlov
    Semenova
    Golubev
    Vinogradov
    Bogdanova
    Fyodorov
    Mikhaylov
    Belyaev
    Tarasova
    Markedonov
    Suslov
    Timofeyev`),
  caucasus: list(`
    Mammadov
    Hasanova
    Grigoryan
    Petrosyan
    Hovhannisyan
    Babayan
    Huseynov
    Ismayilova
    Beridze
    Kapanadze
    Gelashvili
    Abbasov
    Sargsyan
    Tsereteli`),
  english: list(`
    Smith
    Johnson
    Brown
    Taylor
    Miller
    Davies
    Clarke
    Walker
    Wright
    Hughes
    Cooper
    Ward
    Morgan
    de Waal
    MacFarlane
    O'Brien
    Van Herpen
    Stent
    Toal
    Cornell`),
  other: list(`
    Müller
    Schmidt
    Schneider
    Fischer
    Weber
    Halbach
    Yılmaz
    Kaya
    Demir
    Şahin
    Çelik
    Dupont
    Lefèvre
    Rossi
    García`),
};

export const GIVEN_NAMES = list(`
  Jan
  Anna
  Piotr
  Katarzyna
  Tomasz
  Agnieszka
  Marek
  Joanna
  Sergey
  Olga
  Dmitry
  Irina
  Thomas
  Sarah
  Michael
  Laura
  Hans
  Claire
  Aram
  Leyla
  Giorgi
  Nino`);

export const CYRILLIC_NAMES = list(`
  Иванов
  Петрова
  Смирнов
  Кузнецова
  Соколов
  Попова
  Лебедев
  Козлова
  Новиков
  Морозова
  Волков
  Тренина`);

export const INSTITUTIONS = list(`
  Ministry of Foreign Affairs of Georgia
  Ministry of Defence of the Russian Federation
  Ministerstwo Spraw Zagranicznych RP
  Kancelaria Prezesa Rady Ministrów
  Office of the President of Ukraine
  European Commission
  Council of the European Union
  NATO Public Diplomacy Division
  OSCE Minsk Group
  United Nations Security Council
  International Crisis Group
  Human Rights Watch
  World Bank
  Główny Urząd Statystyczny
  President of the Republic of Kazakhstan
  Government of Armenia
  The White House
  The Presidential Administration of Azerbaijan`);

/** Periodicals: written in quotes in the Polish and ISO 690 styles. */
export const PERIODICALS = list(`
  Przegląd Strategiczny
  Sprawy Polityczne
  Przegląd Wschodni
  Studia Europejskie
  Rocznik Bezpieczeństwa Międzynarodowego
  Bezpieczeństwo Narodowe
  Polityka
  Rzeczpospolita
  Gazeta Wyborcza
  Tygodnik Powszechny
  Nowa Europa Wschodnia
  Journal of Strategic Studies
  Foreign Affairs
  Survival
  International Affairs
  Europe-Asia Studies
  Caucasus Survey
  Post-Soviet Affairs
  Problems of Post-Communism
  The Moscow Times
  Nezavisimaya Gazeta
  Vedomosti
  Izvestiya
  Novaya Gazeta
  Mezhdunarodnaya Zhizn'
  Polis. Politicheskiye Issledovaniya
  Vestnik MGIMO-Universiteta
  Le Monde diplomatique
  The Guardian
  Financial Times
  The Diplomat
  Foreign Policy
  Caucasus Analytical Digest
  Ukraine Analytical Digest
  Russian Analytical Digest
  Baltic Journal of Political Science
  Central European Journal of International and Security Studies`);

export const CYRILLIC_PERIODICALS = list(`
  Международная жизнь
  Полис. Политические исследования
  Вестник МГИМО-Университета
  Мировая экономика и международные отношения
  Независимая газета
  Известия
  Вопросы истории`);

/** Websites, news services, broadcasters and institutions' sites: written without quotes. */
export const WEBSITES = list(`
  Reuters
  BBC News
  BBC Russian Service
  Al Jazeera
  Interfax
  Meduza
  Euronews
  Politico Europe
  Deutsche Welle
  Radio Svoboda
  OC Media
  JAMnews
  Civil.ge
  APA
  Trend News Agency
  News.am
  Armenpress
  Azertag
  Polska Agencja Prasowa
  Onet Wiadomości
  Ośrodek Studiów Wschodnich
  Polski Instytut Spraw Międzynarodowych
  Chatham House
  Brookings Institution
  RAND Corporation
  European Council on Foreign Relations
  Council on Foreign Relations
  Valdai Discussion Club
  Russian International Affairs Council
  Lenta.ru
  Gazeta.ru
  RBC
  Sputnik Armenia
  YouTube
  Facebook
  Telegram
  Ukrinform
  Anadolu Agency
  Hürriyet Daily News
  The Jamestown Foundation
  The Wilson Center
  The Atlantic Council
  Warsaw Institute
  New Eastern Europe
  Radio Liberty
  Polskie Radio
  TVN24
  Rustavi 2 TV
  Public Radio of Armenia
  Channel One Russia
  Euractiv
  EUobserver
  The Kyiv Independent`);

/** Quoted names followed by what they are: “Interfax” News Agency. */
export const NAMED_AGENCIES = list(`
  Interfax
  Trend
  Novosti-Armenia
  Sputnik
  Report
  Ekho Kavkaza
  Mediamax`);

export const AGENCY_KINDS = list(`
  News Agency
  Information Agency
  Agency
  TV
  Radio
  Daily`);

export const NATIONALITIES = list(`
  Polish
  Lithuanian
  Georgian
  Ukrainian
  Kazakh
  Turkish
  Iranian
  German
  French
  Armenian
  Belarusian`);

export const OFFICIALS = list(`
  foreign ministers
  defence ministers
  presidents
  prime ministers
  chiefs of staff
  parliament speakers`);

/** Who issues statements: in transliterated Russian, Polish and English. */
export const STATEMENT_TITLES = {
  russian: list(`
    Zayavleniye Ministerstva oborony
    Kommentariy ofitsial'nogo predstavitelya MID
    Zayavleniye Soveta bezopasnosti
    Obrashcheniye Prezidenta
    Soobshcheniye press-sluzhby Pravitel'stva`),
  polish: list(`
    Oświadczenie MSZ
    Komunikat Ministerstwa Obrony Narodowej
    Stanowisko Rządu RP
    Oświadczenie Prezydenta RP`),
  english: list(`
    Statement by the Spokesperson of the Ministry of Foreign Affairs
    Joint statement of the foreign ministers
    Information of the Press Office of the Government
    Press release of the Ministry of Defence
    Remarks by the High Representative`),
};

export const TRANSLIT_VERBS = list(`
  obsudil s
  vstretilsya s
  provel peregovory s
  zayavil o vstreche s
  napravil pis'mo`);

export const PUBLISHERS = list(`
  Wydawnictwo Naukowe PWN
  Wydawnictwo Uniwersytetu Jagiellońskiego
  Wydawnictwo Uniwersytetu Łódzkiego
  Wydawnictwo Naukowe UAM
  Oficyna Wydawnicza ASPRA-JR
  Wydawnictwo Adam Marszałek
  Wydawnictwo Naukowe Scholar
  Difin
  Elipsa
  Routledge
  Palgrave Macmillan
  Oxford University Press
  Cambridge University Press
  Polity Press
  Springer
  Brill
  I.B. Tauris
  ibidem-Verlag
  Nauka
  Mezhdunarodnyye otnosheniya
  Aspekt Press
  Yale University Press
  Columbia University Press`);

export const CYRILLIC_PUBLISHERS = list(`
  Наука
  Весь мир
  Аспект Пресс
  Международные отношения
  МГИМО-Университет`);

export const PLACES = list(`
  Warszawa
  Kraków
  Toruń
  Lublin
  Poznań
  Wrocław
  Łódź
  Gdańsk
  London
  New York
  Oxford
  Cambridge
  Moskva
  Sankt-Peterburg
  Stuttgart
  Berlin
  Tbilisi
  Yerevan
  Baku
  Washington
  Abingdon
  Basingstoke`);

export const CYRILLIC_PLACES = list(`
  М.
  Москва
  СПб.
  Санкт-Петербург
  Киев`);

/** Pieces of titles in each language: topics and the regions or actors they concern. */
export const TITLE_PARTS = {
  english: {
    topics: list(`
      Energy security
      The evolution of foreign policy
      Military cooperation
      Frozen conflicts and regional order
      Sanctions and their limits
      Peacekeeping operations
      The politics of gas pipelines
      Hybrid warfare
      Arms control after the Cold War
      Diplomacy of small states
      Border demarcation disputes
      Public opinion and foreign policy
      Migration and security
      Ceasefire violations
      Transport corridors
      Religion and nationalism`),
    links: list(`
      in
      of
      towards
      between
      and
      after the war in
      beyond`),
    objects: list(`
      the South Caucasus
      Central Asia
      the Black Sea region
      Eastern Europe
      Georgia
      Ukraine
      Belarus
      Moldova
      Kazakhstan
      the European Union
      NATO and its partners
      the post-Soviet space
      Turkey and Iran`),
  },
  polish: {
    topics: list(`
      Bezpieczeństwo energetyczne
      Ewolucja polityki zagranicznej
      Współpraca wojskowa
      Konflikty zamrożone
      Sankcje gospodarcze
      Operacje pokojowe
      Polityka wschodnia
      Wojna hybrydowa
      Kontrola zbrojeń
      Dyplomacja małych państw
      Spory graniczne
      Opinia publiczna a polityka zagraniczna
      Migracje i bezpieczeństwo
      Korytarze transportowe`),
    links: list(`
      w
      wobec
      na
      a
      po wojnie w`),
    objects: list(`
      Kaukazie Południowym
      Azji Centralnej
      regionie Morza Czarnego
      Europie Wschodniej
      Gruzji
      Ukrainie
      Białorusi
      Mołdawii
      Unii Europejskiej
      obszarze postradzieckim`),
  },
  russian: {
    topics: list(`
      Energeticheskaya bezopasnost'
      Evolyutsiya vneshney politiki
      Voyennoye sotrudnichestvo
      Zamorozhennyye konflikty
      Sanktsii i ikh posledstviya
      Mirotvorcheskiye operatsii
      Gibridnaya voyna
      Kontrol' nad vooruzheniyami
      Diplomatiya malykh gosudarstv
      Pogranichnyye spory
      Transportnyye koridory
      Vneshnyaya politika Rossii`),
    links: list(`
      v
      na
      i
      posle voyny v
      po otnosheniyu k`),
    objects: list(`
      Zakavkaz'ye
      Tsentral'noy Azii
      Chernomorskom regione
      Vostochnoy Yevrope
      Gruzii
      Ukraine
      Belorussii
      Moldavii
      postsovetskom prostranstve`),
  },
  cyrillic: {
    topics: list(`
      Энергетическая безопасность
      Эволюция внешней политики
      Военное сотрудничество
      Замороженные конфликты
      Санкции и их последствия
      Миротворческие операции
      Гибридная война
      Контроль над вооружениями`),
    links: list(`
      в
      на
      и`),
    objects: list(`
      Закавказье
      Центральной Азии
      Черноморском регионе
      Восточной Европе
      постсоветском пространстве`),
  },
};

/** Series a report or paper appears in, as in "(Policy Paper, no. 3)". */
export const SERIES = list(`
  Policy Paper
  Fact Sheets
  Working Paper
  Komentarze OSW
  Biuletyn PISM
  Research Paper
  Briefing Note
  Occasional Papers`);

export const LEGISLATION = list(`
  Ustawa z dnia 24 sierpnia 2001 r. o Żandarmerii Wojskowej i wojskowych organach porządkowych
  Ustawa z dnia 11 marca 2022 r. o obronie Ojczyzny
  Ustawa z dnia 27 sierpnia 2009 r. o finansach publicznych
  Rozporządzenie Rady Ministrów z dnia 13 marca 2020 r. w sprawie ogłoszenia stanu epidemii
  Regulation (EU) 2019/452 of the European Parliament and of the Council of 19 March 2019
  Council Decision (CFSP) 2022/266 of 23 February 2022
  Federal'nyy zakon ot 28 dekabrya 2010 g. N 390-FZ "O bezopasnosti"`);
