import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import fc from 'fast-check';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { Parser as HtmlParser } from 'htmlparser2';
import { SaxesParser } from 'saxes';
import { createUserWithRole } from '../../src/accounts/index.ts';
import type { TestApp } from './app.ts';
import { Session } from './session.ts';

/**
 * What the property tests (test/properties/) share: how many runs and which seed, arbitraries for
 * hostile input, one way to send a request and time it, and one checker of what every answer must
 * be — never a 5xx, never invalid XML or JSON, never a stack trace, never slower than a bound.
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

/**
 * The longest any single answer may take. Not a speed test: a guard against work that grows without
 * bound with the input (a quadratic regex, a parse that explodes), generous enough for a loaded machine.
 */
export const ANSWER_TIME_LIMIT_MS = Number(process.env.PROPERTY_TIME_LIMIT_MS ?? 2000);

/** A request (or an import) that never ended: neither answered nor failed. */
export class NoAnswerError extends assert.AssertionError {
  constructor(message: string) {
    super({ message });
  }
}

/**
 * Once something never ended, the rest of that property is skipped (fc.pre): shrinking a case that
 * hangs costs the whole wait on every attempt, and the case found is already what to report.
 */
export function hangGuard() {
  let hung = false;
  return {
    skipIfHung: () => fc.pre(!hung),
    async watch<T>(work: Promise<T>): Promise<T> {
      try {
        return await work;
      } catch (error) {
        if (error instanceof NoAnswerError) hung = true;
        throw error;
      }
    },
  };
}

/** How long to wait for an answer at all before calling it missing. */
const NO_ANSWER_MS = Math.max(10_000, ANSWER_TIME_LIMIT_MS * 5);

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

/** Query pairs for a route reading `known` parameters: any of them, repeated, missing, or unknown. */
export function hostileQuery(known: readonly string[], value: fc.Arbitrary<string> = encodedValue(), maxPairs = 6): fc.Arbitrary<Array<[string, string]>> {
  return fc.array(fc.tuple(fieldName(known), value), { maxLength: maxPairs });
}

/** Accept-Language and the like: header-safe, but otherwise anything. */
export const hostileLanguageHeader: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('pl', 'en', 'en-GB,en;q=0.9', 'de', '*', '*;q=1e309', 'en;q=NaN', 'en;q=-1', 'pl;q=0,en;q=0', ',,,;;;', 'x-'.repeat(2000), 'en;q=0.5,'.repeat(500), '__proto__', 'constructor;q=1'),
  fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzPLEN-_;=.,* 0123456789'), maxLength: 60 }),
);

// ---------------------------------------------------------------------------------------------------
// Sending and checking

export interface Answer {
  /** What was asked, for failure messages. */
  asked: string;
  status: number;
  headers: LightMyRequestResponse['headers'];
  body: string;
  ms: number;
}

function describeRequest(options: InjectOptions): string {
  const payload = typeof options.payload === 'string' ? options.payload : Buffer.isBuffer(options.payload) ? options.payload.toString('latin1') : options.payload ? JSON.stringify(options.payload) : '';
  const shown = (text: string) => (text.length > 600 ? `${text.slice(0, 600)}… (${text.length} characters)` : text);
  return `${options.method ?? 'GET'} ${shown(String(options.url))}${payload ? `\n  body: ${shown(JSON.stringify(payload))}` : ''}`;
}

/**
 * Sends one request through `inject` and times it; with `session`, as that person (their cookies, and
 * with `csrfHeader` their form token in X-CSRF-Token). A GET over the time limit is sent once more: on
 * a machine shared with other work one stall is noise, the same request slow twice is the code.
 */
export async function ask(app: FastifyInstance, options: InjectOptions, as: { session?: Session; csrfHeader?: boolean } = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...(as.session?.headers ?? {}), ...((options.headers ?? {}) as Record<string, string>) };
  if (as.session && as.session.cookies.size > 0) headers.cookie = [...as.session.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  if (as.session && as.csrfHeader) headers['x-csrf-token'] = as.session.csrf;
  const request = { ...options, headers };
  const once = async () => {
    const start = performance.now();
    // An answer that never comes is the worst kind of slow: the request fails instead of the run hanging.
    let timer: NodeJS.Timeout | undefined;
    const never = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new NoAnswerError(`no answer within ${NO_ANSWER_MS} ms\n  asked: ${describeRequest(options)}`)), NO_ANSWER_MS);
    });
    try {
      const response = await Promise.race([app.inject(request), never]);
      return { response, ms: performance.now() - start };
    } finally {
      clearTimeout(timer);
    }
  };
  let { response, ms } = await once();
  const idempotent = (options.method ?? 'GET') === 'GET' || options.method === 'HEAD';
  if (ms > ANSWER_TIME_LIMIT_MS && idempotent) ({ response, ms } = await once());
  return { asked: describeRequest(options), status: response.statusCode, headers: response.headers, body: response.body, ms };
}

/** The first problem saxes finds in `text` as namespace-aware XML 1.0, or undefined when well-formed. */
export function xmlProblem(text: string): string | undefined {
  const parser = new SaxesParser({ xmlns: true, position: true });
  let problem: string | undefined;
  let sawRoot = false;
  parser.on('error', (error) => {
    problem ??= error.message;
  });
  parser.on('opentag', () => {
    sawRoot = true;
  });
  try {
    parser.write(text).close();
  } catch (error) {
    problem ??= (error as Error).message;
  }
  if (!problem && !sawRoot) problem = 'no root element';
  return problem;
}

/** Signs of an internal failure shown to the visitor: a stack frame, an error naming a source file, a server path. */
const LEAKS: RegExp[] = [
  /\bat (?:async )?[\w$.<>[\] ]*\(?(?:file:\/\/)?\/[^\s()]+:\d+:\d+\)?/,
  /\b\w*Error: [^\n<]*\/[\w.@-]+\/[\w.@/-]+\.(?:ts|tsx|js|mjs|cjs)\b/,
  /\bnode_modules\//,
];
const SERVER_PATHS = [process.cwd(), os.tmpdir() + path.sep].filter((p) => p.length > 4);

/** Markup that, found unescaped in an HTML answer, came from the input: the fragments above never occur otherwise. */
const INJECTED = /<script>alert\(1\)|<img src=x onerror=|<svg onload=/i;

export type Expect = 'html' | 'xml' | 'json' | 'any';

/**
 * What every answer must be: below 500, within the time limit, with the security headers, without a
 * stack trace or a server path, with no injected markup in HTML, and — when it says it is XML or
 * JSON, or `expect` says it must be — well-formed XML or parseable JSON. Returns the parsed JSON.
 */
export function checkAnswer(answer: Answer, expect: Expect = 'any'): unknown {
  const where = `\n  asked: ${answer.asked}\n  answered ${answer.status} in ${Math.round(answer.ms)} ms: ${answer.body.slice(0, 400)}`;
  assert.ok(answer.status < 500, `a server error${where}`);
  assert.ok(answer.ms <= ANSWER_TIME_LIMIT_MS, `slower than ${ANSWER_TIME_LIMIT_MS} ms, twice${where}`);
  assert.equal(answer.headers['x-content-type-options'], 'nosniff', `no security headers${where}`);
  assert.ok(answer.headers['content-security-policy'], `no content-security-policy${where}`);
  for (const leak of LEAKS) {
    const found = leak.exec(answer.body)?.[0];
    assert.ok(found === undefined || answer.asked.includes(found), `the answer shows an internal detail (${found})${where}`);
  }
  for (const serverPath of SERVER_PATHS) assert.ok(!answer.body.includes(serverPath) || answer.asked.includes(serverPath), `the answer names a server path (${serverPath})${where}`);
  const type = String(answer.headers['content-type'] ?? '');
  if (/text\/html/.test(type)) {
    const injected = INJECTED.exec(answer.body)?.[0];
    assert.equal(injected, undefined, `input markup reached the page unescaped${where}`);
  }
  const isXml = /[/+]xml\b/.test(type);
  if (expect === 'xml' || (isXml && answer.body !== '')) {
    assert.ok(isXml, `not XML but ${type}${where}`);
    const problem = xmlProblem(answer.body);
    assert.equal(problem, undefined, `not well-formed XML: ${problem}${where}`);
  }
  const isJson = /[/+]json\b/.test(type);
  if (expect === 'json' || (isJson && answer.body !== '')) {
    assert.ok(isJson, `not JSON but ${type}${where}`);
    try {
      return JSON.parse(answer.body) as unknown;
    } catch (error) {
      assert.fail(`not JSON: ${(error as Error).message}${where}`);
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------
// OAI-PMH schema validation, on a sample

const SCHEMAS = new URL('../../../shared/schemas/', import.meta.url);
const execFileAsync = promisify(execFile);

/**
 * Validates OAI-PMH answers against the official schema (with the oai_dc and MARC record schemas) in
 * one xmllint run; throws with xmllint's complaints when any is invalid. Kept for a sample of the
 * answers: xmllint costs a process per call.
 */
export async function assertValidOai(answers: readonly string[]): Promise<void> {
  if (answers.length === 0) return;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'revista-oai-sample-'));
  try {
    const names = answers.map((body, i) => {
      const name = path.join(dir, `answer-${i}.xml`);
      fs.writeFileSync(name, body);
      return name;
    });
    const schema = new URL('oai-pmh/oai-pmh-with-formats.xsd', SCHEMAS).pathname;
    try {
      await execFileAsync('xmllint', ['--noout', '--nonet', '--schema', schema, ...names], { maxBuffer: 16 * 1024 * 1024 });
    } catch (error) {
      const failure = error as { code?: number; stderr?: string };
      const invalid = (failure.stderr ?? '').split('\n').filter((line) => line !== '' && !/ validates$/.test(line));
      const shown = invalid.slice(0, 20).map((line) => {
        const index = /answer-(\d+)\.xml/.exec(line)?.[1];
        return index === undefined ? line : `${line}\n    in: ${answers[Number(index)]!.slice(0, 600)}`;
      });
      assert.fail(`OAI-PMH answers not valid against the schema (xmllint exit ${failure.code}):\n${shown.join('\n')}`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------------
// People

export type Role = 'admin' | 'manager' | 'editor' | 'author' | 'reader';

/** A signed-in person of each role (per journal `journalId` for journal roles), through the real sign-in form. */
export async function signedInSessions(t: TestApp, roles: readonly Role[], journalId = 1, prefix = 'fuzz'): Promise<Record<Role, Session>> {
  const sessions = {} as Record<Role, Session>;
  for (const role of roles) {
    const email = `${prefix}-${role}@example.org`;
    const password = `${role} password for properties`;
    await createUserWithRole(t.database.db, { email, password, role, ...(role === 'admin' ? {} : { journalId }), now: new Date() });
    const session = new Session(t.app, { 'accept-language': 'en' });
    await session.signIn(email, password);
    sessions[role] = session;
  }
  return sessions;
}

// ---------------------------------------------------------------------------------------------------
// Forms as pages show them

export interface FormField {
  name: string;
  /** input type, or select / textarea. */
  type: string;
  value: string;
  options: string[];
}

export interface PageForm {
  action: string;
  method: string;
  enctype: string;
  fields: FormField[];
}

/** The forms of an HTML page with their fields, as a browser would submit them. */
export function formsOf(html: string, pageUrl: string): PageForm[] {
  const forms: PageForm[] = [];
  let form: PageForm | undefined;
  let select: FormField | undefined;
  let textarea: FormField | undefined;
  const parser = new HtmlParser(
    {
      onopentag(name, attrs) {
        if (name === 'form') {
          form = { action: new URL(attrs.action ?? pageUrl, `http://localhost${pageUrl}`).pathname, method: (attrs.method ?? 'get').toLowerCase(), enctype: attrs.enctype ?? 'application/x-www-form-urlencoded', fields: [] };
          forms.push(form);
        }
        if (name === 'option' && select) {
          select.options.push(attrs.value ?? '');
          if (attrs.selected !== undefined || select.options.length === 1) select.value = attrs.value ?? '';
        }
        if (!form || attrs.name === undefined) return;
        if (name === 'input') form.fields.push({ name: attrs.name, type: (attrs.type ?? 'text').toLowerCase(), value: attrs.value ?? (attrs.type === 'checkbox' ? 'on' : ''), options: [] });
        if (name === 'select') form.fields.push((select = { name: attrs.name, type: 'select', value: '', options: [] }));
        if (name === 'textarea') form.fields.push((textarea = { name: attrs.name, type: 'textarea', value: '', options: [] }));
        if (name === 'button' && attrs.value !== undefined) form.fields.push({ name: attrs.name, type: 'button', value: attrs.value, options: [] });
      },
      ontext(text) {
        if (textarea) textarea.value += text;
      },
      onclosetag(name) {
        if (name === 'form') form = undefined;
        if (name === 'select') select = undefined;
        if (name === 'textarea') textarea = undefined;
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  return forms;
}

// ---------------------------------------------------------------------------------------------------
// Content to aim at

/** A PDF galley on the current version of `articleId`, stored in the app's file store; returns its id. */
export async function addPdfGalley(t: TestApp, articleId: number): Promise<number> {
  const db = t.database.db;
  const stored = await t.files.put(Buffer.from(`%PDF-1.4\n% galley of ${articleId}\n%%EOF\n`));
  const file = await db.insertInto('files').values({ storage_key: stored.key, mime_type: 'application/pdf', size_bytes: stored.sizeBytes, sha256: stored.sha256, original_name: `article-${articleId}.pdf` }).returning('id').executeTakeFirstOrThrow();
  const article = await db.selectFrom('articles').select('current_publication_id').where('id', '=', articleId).executeTakeFirstOrThrow();
  const galley = await db.insertInto('galleys').values({ publication_id: article.current_publication_id!, label: 'PDF', locale: 'en', file_id: file.id }).returning('id').executeTakeFirstOrThrow();
  await t.changes.sync();
  return galley.id;
}

/** A reader's browser, so that downloads count (robots do not). */
export const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';

// ---------------------------------------------------------------------------------------------------
// Posting forms

export type FormEncoding = 'urlencoded' | 'json' | 'multipart';

/** Values a form field gets: its own, a hostile one, nothing, or several. `undefined` leaves the field out. */
export function fieldValues(field: FormField, plausible: fc.Arbitrary<string> = hostileText({ maxLength: 300 })): fc.Arbitrary<Array<string | undefined>> {
  const own = field.type === 'select' && field.options.length > 0 ? fc.constantFrom(...field.options) : fc.constant(field.value);
  const one = fc.oneof({ weight: 3, arbitrary: own }, { weight: 3, arbitrary: plausible }, { weight: 3, arbitrary: hostileText() });
  return fc.oneof({ weight: 8, arbitrary: one.map((v) => [v]) }, { weight: 1, arbitrary: fc.constant<Array<string | undefined>>([undefined]) }, { weight: 1, arbitrary: fc.array(one, { minLength: 2, maxLength: 3 }) });
}

/** A whole form filled in: each field per fieldValues, then a few fields no form has. */
export function filledForm(form: PageForm, plausible: (field: FormField) => fc.Arbitrary<string> = () => hostileText({ maxLength: 300 })): fc.Arbitrary<Array<[string, string]>> {
  const fields = form.fields.filter((f) => f.name !== '_csrf');
  return fc
    .tuple(fc.tuple(...fields.map((f) => fieldValues(f, plausible(f)))), fc.array(fc.tuple(fieldName(fields.map((f) => f.name).concat('x')).filter((name) => name !== '_csrf'), hostileText({ maxLength: 100 })), { maxLength: 2 }))
    .map(([values, extra]) => [...fields.flatMap((f, i) => values[i]!.filter((v): v is string => v !== undefined).map((v) => [f.name, v] as [string, string])), ...extra]);
}

/**
 * Posts `pairs` to `action` as `session`, with its valid form token: urlencoded (the token first), JSON
 * (the token in X-CSRF-Token; repeated names become arrays), or multipart (which only upload forms take).
 */
export function postForm(session: Session, action: string, pairs: ReadonlyArray<readonly [string, string]>, options: { encoding?: FormEncoding; remoteAddress?: string } = {}): Promise<Answer> {
  const encoding = options.encoding ?? 'urlencoded';
  const base = { method: 'POST' as const, url: action, ...(options.remoteAddress ? { remoteAddress: options.remoteAddress } : {}) };
  if (encoding === 'json') {
    const body: Record<string, string | string[]> = {};
    for (const [name, value] of pairs) {
      const had = body[name];
      body[name] = had === undefined ? value : Array.isArray(had) ? [...had, value] : [had, value];
    }
    return ask(session.app, { ...base, headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) }, { session, csrfHeader: true });
  }
  if (encoding === 'multipart') {
    const boundary = '----revista-properties';
    const parts = [['_csrf', session.csrf] as const, ...pairs].map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name.replace(/["\r\n]/g, '_')}"\r\n\r\n${value}\r\n`);
    return ask(session.app, { ...base, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, payload: `${parts.join('')}--${boundary}--\r\n` }, { session });
  }
  const payload = queryOf([['_csrf', percentEncode(session.csrf)], ...pairs.map(([name, value]) => [name, percentEncode(value)] as [string, string])]);
  return ask(session.app, { ...base, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload }, { session });
}

/** Email addresses: real ones, odd but valid ones, and ones that only look like addresses. */
export const hostileEmail: fc.Arbitrary<string> = fc.oneof(
  fc.emailAddress(),
  fc.constantFrom('a@b', 'a@b.c', '"a b"@example.org', 'a@[127.0.0.1]', 'A@EXAMPLE.ORG', 'a+b@example.org', 'ą@żółw.pl', 'a@xn--80ak6aa92e.com', `${'a'.repeat(250)}@example.org`, 'a@example.org\r\nBcc: b@example.org', 'a@example.org,b@example.org', '<a@example.org>', '@example.org', 'a@', ' a@example.org '),
  hostileText({ maxLength: 300 }),
);
