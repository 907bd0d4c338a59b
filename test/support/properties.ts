import fc from 'fast-check';

/**
 * What the property tests (test/properties/) share, first part: how many runs and which seed, and
 * arbitraries for hostile input with the encoding that puts it on the wire. How a request is sent and
 * what every answer must be is in answers.ts; forms and the people who post them in property-forms.ts.
 *
 * `FC_SEED=<n>` replays a failure (fast-check prints the seed and path of every failure);
 * `FC_RUNS=<factor>` multiplies every property's runs for a longer hunt; `FC_SHRINK=off` reports the
 * first failure as found, without shrinking it.
 */

const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined;
const runFactor = process.env.FC_RUNS ? Math.max(0.01, Number(process.env.FC_RUNS)) : 1;

/** The longest one property may run, shrinking included (times FC_RUNS). */
const PROPERTY_TIME_LIMIT_MS = 180_000;

/** fast-check's parameters for a property of `numRuns` runs (scaled by FC_RUNS), with fixed cases tried first. */
export function runs<T>(numRuns: number, examples: T[] = []): fc.Parameters<T> {
  return {
    numRuns: Math.max(1, Math.round(numRuns * runFactor)),
    ...(seed !== undefined && Number.isFinite(seed) ? { seed } : {}),
    ...(process.env.FC_SHRINK === 'off' ? { endOnFailure: true } : {}),
    // A bound on the whole property, shrinking included (a case that hangs costs its timeout per attempt).
    interruptAfterTimeLimit: PROPERTY_TIME_LIMIT_MS * Math.max(1, runFactor),
    markInterruptAsFailure: true,
    examples,
  };
}

// ---------------------------------------------------------------------------------------------------
// Hostile input

/** Pieces an attacker (or an unlucky paste) puts into any field. */
export const FRAGMENTS: readonly string[] = [
  '',
  ' ',
  '\u0000',
  '%00',
  '\r\n',
  '\r\nSet-Cookie: x=1',
  '\t',
  '\u0085',
  '\u2028\u2029',
  '\ufeff',
  '\uffff',
  '\ud800',
  '\udfff',
  '\ud83d\ude00',
  'Południowy żółw',
  'ﷺ',
  'e\u0301',
  '\u202e',
  "' OR '1'='1",
  "'; DROP TABLE users; --",
  '" OR ""="',
  '\\',
  "\\'",
  '%',
  '%%',
  '%25',
  '_',
  '*',
  '?',
  '&',
  '=',
  '#',
  '+',
  ';',
  '|',
  '!',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  ':',
  ':*',
  '<->',
  '"',
  '-',
  '"unclosed',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "'><svg onload=alert(1)>",
  'javascript:alert(1)',
  '<![CDATA[',
  ']]>',
  '<?xml version="1.0"?>',
  '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
  '&amp;',
  '&#0;',
  '&#x110000;',
  '&nbsp;',
  '${7*7}',
  '{{7*7}}',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'valueOf',
  '../../../../etc/passwd',
  '..%2f..%2fetc%2fpasswd',
  '..\\..\\windows\\win.ini',
  '/etc/passwd',
  '//evil.example/',
  'http://evil.example/',
  'file:///etc/passwd',
  'null',
  'undefined',
  'true',
  '[]',
  '{}',
  '0',
  '-1',
  '1e309',
  'NaN',
  'Infinity',
  '2147483648',
  '9007199254740993',
  '0000-01-01',
  '9999-12',
  '-0001-01-01',
  'AND',
  'OR',
  'NOT',
  'a & b | !c',
];

const controlCharacter = fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c));
const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));

/** Numbers as text, mostly out of range or in a shape a parser might half accept. */
export const hostileNumber: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('0', '-0', '-1', '00001786', '1786.0', '1786 ', ' 1786', '+1786', '1e3', '0x10', '1_000', '2147483647', '2147483648', '4294967296', '9007199254740993', '99999999999999999999', '1e309', 'NaN', 'Infinity', '١٢', '１２', '1.5', '-2147483649'),
  fc.integer().map(String),
  fc.double().map(String),
  fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map(String),
);

const pad = (n: number, width: number) => (n < 0 ? `-${String(-n).padStart(width, '0')}` : String(n).padStart(width, '0'));

/** A date, its month, or the date with a time, of the given parts. */
function dateShaped(year: fc.Arbitrary<number>, month: fc.Arbitrary<number>, day: fc.Arbitrary<number>): fc.Arbitrary<string> {
  return fc.record({ year, month, day, shape: fc.constantFrom('month', 'day', 'seconds') }).map(({ year, month, day, shape }) => {
    const ym = `${pad(year, 4)}-${pad(month, 2)}`;
    return shape === 'month' ? ym : shape === 'day' ? `${ym}-${pad(day, 2)}` : `${ym}-${pad(day, 2)}T12:00:00Z`;
  });
}

/** Dates and months: year 0, 9999-12, negative and five-digit years, impossible days, odd shapes. */
export const hostileDate: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '0000-01-01',
    '0000-00-00',
    '0000-01',
    '9999-12',
    '9999-12-31',
    '9999-12-31T23:59:59Z',
    '10000-01-01',
    '-0001-01-01',
    '-2024-01',
    '2024-02-30',
    '2024-13-01',
    '2024-00',
    '2024-1-1',
    '2024',
    '20240101',
    '2024-W01',
    '2024-01-01T24:00:00Z',
    '2024-01-01T00:00:00+99:00',
    '2024-01-01T00:00:00',
    '1582-10-10',
    '275760-09-13',
    '0001-01-01',
    '1970-01-01T00:00:00Z',
    '2026-03',
    '2026-03-01',
  ),
  // Real days in the years where calendars and databases end or turn.
  dateShaped(fc.constantFrom(0, 1, 99, 100, 999, 1000, 1582, 1900, 1969, 1970, 2038, 9999, 10_000, -1), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 })),
  dateShaped(fc.integer({ min: -10_000, max: 300_000 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 })),
);

const piece: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...FRAGMENTS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 8 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 2, arbitrary: controlCharacter },
  { weight: 1, arbitrary: loneSurrogate },
  { weight: 1, arbitrary: hostileNumber },
  { weight: 1, arbitrary: hostileDate },
);

/** Inputs that are slow for a naive regex or parser: long runs of one character, or of a fragment. */
export function longText(maxLength: number): fc.Arbitrary<string> {
  return fc
    .tuple(fc.constantFrom('a', ' ', '-', '"', '(', '<', '<a ', '&#', '%', '\\', 'ab ', '- ', '"a" ', 'a:', '<p>', '0', '\u0000', 'ż', 'x '), fc.integer({ min: Math.min(500, maxLength), max: maxLength }), fc.constantFrom('', '!', '"', ')', '>', ';'))
    .map(([unit, length, tail]) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length) + tail);
}

/** Text as a hostile visitor types it: fragments, control characters, lone surrogates, odd unicode, sometimes very long. */
export function hostileText(options: { maxLength?: number } = {}): fc.Arbitrary<string> {
  const maxLength = options.maxLength ?? 4000;
  return fc.oneof(
    { weight: 8, arbitrary: fc.array(piece, { maxLength: 6 }).map((parts) => parts.join('')) },
    { weight: 1, arbitrary: longText(maxLength) },
  );
}

/** Names of query or form fields: the ones a route reads, and names that trip object lookups. */
export function fieldName(known: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...known) },
    { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', '', ' ', '_csrf', 'a[]', 'a[0]', '__proto__[x]', 'constructor[prototype]') },
    { weight: 1, arbitrary: fc.constantFrom(...known).map((name) => `${name}[]`) },
    { weight: 1, arbitrary: fc.string({ maxLength: 10 }) },
  );
}

// ---------------------------------------------------------------------------------------------------
// Encoding: what goes on the wire

const UNRESERVED = /[A-Za-z0-9\-._~]/;

/**
 * Percent-encodes text as bytes. Lone surrogates become the three bytes of their code unit
 * (ED A0 80 …), which is not UTF-8: exactly what a client can send and a server must survive.
 */
export function percentEncode(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    let bytes: number[];
    if (code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      bytes = [...Buffer.from(text.slice(i, i + 2), 'utf8')];
      i++;
    } else if (code >= 0xd800 && code <= 0xdfff) {
      bytes = [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)];
    } else if (code < 0x80 && UNRESERVED.test(text[i]!)) {
      out += text[i];
      continue;
    } else {
      bytes = [...Buffer.from(text[i]!, 'utf8')];
    }
    for (const byte of bytes) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Percent-encoding that is itself broken or decodes to invalid UTF-8: sent as is. */
export const brokenPercent: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('%', '%Z', '%%41', '%G0', '%E0%A4', '%C0%AE', '%C0%AF', '%ED%A0%80', '%F4%90%80%80', '%FF%FE', '%00', '%0D%0A', '%E2%80%AE', '%2e%2e%2f', '%252e', '+%2B+'),
  fc.uint8Array({ maxLength: 12 }).map((bytes) => [...bytes].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('')),
);

/** A value ready for a query string or urlencoded body: hostile text encoded, or broken encoding. */
export function encodedValue(text: fc.Arbitrary<string> = hostileText()): fc.Arbitrary<string> {
  return fc.oneof({ weight: 6, arbitrary: text.map(percentEncode) }, { weight: 1, arbitrary: brokenPercent });
}

/** `name=value&…` from pairs already encoded (see encodedValue); names are encoded here. */
export function queryOf(pairs: ReadonlyArray<readonly [string, string]>): string {
  return pairs.map(([name, value]) => `${percentEncode(name)}=${value}`).join('&');
}

/** Accept-Language and the like: header-safe, but otherwise anything. */
export const hostileLanguageHeader: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('pl', 'en', 'en-GB,en;q=0.9', 'de', '*', '*;q=1e309', 'en;q=NaN', 'en;q=-1', 'pl;q=0,en;q=0', ',,,;;;', 'x-'.repeat(2000), 'en;q=0.5,'.repeat(500), '__proto__', 'constructor;q=1'),
  fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzPLEN-_;=.,* 0123456789'), maxLength: 60 }),
);

/** Email addresses: real ones, odd but valid ones, and ones that only look like addresses. */
export const hostileEmail: fc.Arbitrary<string> = fc.oneof(
  fc.emailAddress(),
  fc.constantFrom('a@b', 'a@b.c', '"a b"@example.org', 'a@[127.0.0.1]', 'A@EXAMPLE.ORG', 'a+b@example.org', 'ą@żółw.pl', 'a@xn--80ak6aa92e.com', `${'a'.repeat(250)}@example.org`, 'a@example.org\r\nBcc: b@example.org', 'a@example.org,b@example.org', '<a@example.org>', '@example.org', 'a@', ' a@example.org '),
  hostileText({ maxLength: 300 }),
);
