/**
 * The countries people choose from: ISO 3166-1 alpha-2 codes assigned today (249), as data, because
 * `Intl.DisplayNames` also names withdrawn codes (DD "Germany", SU "Russia", UK "United Kingdom"…) and
 * a list built by asking it for every pair of letters shows those countries twice.
 */
export const COUNTRY_CODES: readonly string[] = `
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ
BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ
CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ
DE DJ DK DM DO DZ
EC EE EG EH ER ES ET
FI FJ FK FM FO FR
GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY
HK HM HN HR HT HU
ID IE IL IM IN IO IQ IR IS IT
JE JM JO JP
KE KG KH KI KM KN KP KR KW KY KZ
LA LB LC LI LK LR LS LT LU LV LY
MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ
NA NC NE NF NG NI NL NO NP NR NU NZ
OM
PA PE PF PG PH PK PL PM PN PR PS PT PW PY
QA
RE RO RS RU RW
SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ
TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ
UA UG UM US UY UZ
VA VC VE VG VI VN VU
WF WS
YE YT
ZA ZM ZW
`.trim().split(/\s+/);

const CURRENT = new Set(COUNTRY_CODES);

/**
 * Withdrawn codes a stored value (an old profile, an OJS import) may still hold, read as the country
 * that took its place; where a country split (SU, YU, CS, AN) the one `Intl` names it after.
 */
export const WITHDRAWN_COUNTRY_CODES: Readonly<Record<string, string>> = {
  AN: 'CW',
  BU: 'MM',
  CS: 'RS',
  DD: 'DE',
  DY: 'BJ',
  FX: 'FR',
  HV: 'BF',
  NH: 'VU',
  RH: 'ZW',
  SU: 'RU',
  TP: 'TL',
  UK: 'GB',
  VD: 'VN',
  YD: 'YE',
  YU: 'RS',
  ZR: 'CD',
};

/** A current alpha-2 code for `input` (any case; a withdrawn code becomes its successor), or null. */
export function currentCountryCode(input: string): string | null {
  const code = input.trim().toUpperCase();
  const current = WITHDRAWN_COUNTRY_CODES[code] ?? code;
  return CURRENT.has(current) ? current : null;
}

/** The country's name in `locale`; a code that is no country is shown as it is. */
export function countryName(code: string, locale: string): string {
  const current = currentCountryCode(code);
  return current ? (new Intl.DisplayNames([locale], { type: 'region' }).of(current) ?? current) : code;
}

/** Every current country with its name in `locale`, in that language's alphabetical order. */
export function countryOptions(locale: string): Array<{ code: string; name: string }> {
  const display = new Intl.DisplayNames([locale], { type: 'region' });
  const collator = new Intl.Collator(locale);
  return COUNTRY_CODES.map((code) => ({ code, name: display.of(code) ?? code })).sort((x, y) => collator.compare(x.name, y.name));
}
