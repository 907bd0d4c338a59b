import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * OAI-PMH 2.0 as a set of pure rules: which arguments each verb takes, how dates and resumption
 * tokens look, and the error conditions of the specification (section 3.6).
 */
export type Verb = 'Identify' | 'ListMetadataFormats' | 'ListSets' | 'ListIdentifiers' | 'ListRecords' | 'GetRecord';
export type ErrorCode = 'badVerb' | 'badArgument' | 'badResumptionToken' | 'cannotDisseminateFormat' | 'idDoesNotExist' | 'noRecordsMatch' | 'noMetadataFormats' | 'noSetHierarchy';

export class OaiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const ARGUMENTS: Record<Verb, { required: string[]; optional: string[]; exclusive?: string }> = {
  Identify: { required: [], optional: [] },
  ListMetadataFormats: { required: [], optional: ['identifier'] },
  ListSets: { required: [], optional: [], exclusive: 'resumptionToken' },
  ListIdentifiers: { required: ['metadataPrefix'], optional: ['from', 'until', 'set'], exclusive: 'resumptionToken' },
  ListRecords: { required: ['metadataPrefix'], optional: ['from', 'until', 'set'], exclusive: 'resumptionToken' },
  GetRecord: { required: ['identifier', 'metadataPrefix'], optional: [] },
};

/**
 * The syntax the protocol's schema gives arguments that are echoed in the answer's request element: a
 * value outside it is an illegal argument (badArgument), which also keeps every answer valid.
 */
const SYNTAX: Record<string, RegExp> = {
  metadataPrefix: /^[A-Za-z0-9\-_.!~*'()]+$/,
  set: /^[A-Za-z0-9\-_.!~*'()]+(?::[A-Za-z0-9\-_.!~*'()]+)*$/,
};

export interface OaiRequest {
  verb: Verb;
  args: Record<string, string>;
}

/**
 * Checks a request's arguments (as pairs, so repeated ones are seen): a verb the protocol has, each
 * argument at most once, only the arguments the verb takes, the required ones present, and
 * resumptionToken alone.
 */
export function parseRequest(pairs: Array<[string, string]>): OaiRequest {
  // Own properties only: `verb=constructor` or an argument named `toString` is just a name here.
  const args: Record<string, string> = {};
  for (const [name, value] of pairs) {
    if (Object.hasOwn(args, name)) throw new OaiError(name === 'verb' ? 'badVerb' : 'badArgument', `the argument ${name} is repeated`);
    Object.defineProperty(args, name, { value, enumerable: true, writable: true, configurable: true });
  }
  const verb = Object.hasOwn(args, 'verb') ? args.verb : undefined;
  if (verb === undefined) throw new OaiError('badVerb', 'the verb argument is missing');
  if (!Object.hasOwn(ARGUMENTS, verb)) throw new OaiError('badVerb', `"${verb}" is not an OAI-PMH verb`);
  delete args.verb;
  const rule = ARGUMENTS[verb as Verb];
  const names = Object.keys(args);
  if (rule.exclusive && names.includes(rule.exclusive)) {
    if (names.length > 1) throw new OaiError('badArgument', `${rule.exclusive} is an exclusive argument`);
    return { verb: verb as Verb, args };
  }
  for (const name of names) {
    if (!rule.required.includes(name) && !rule.optional.includes(name)) throw new OaiError('badArgument', `${verb} does not take the argument ${name}`);
    if (args[name] === '') throw new OaiError('badArgument', `the argument ${name} is empty`);
  }
  for (const name of rule.required) if (!args[name]) throw new OaiError('badArgument', `${verb} needs the argument ${name}`);
  for (const name of names) {
    if (SYNTAX[name] && !SYNTAX[name].test(args[name]!)) throw new OaiError('badArgument', `the ${name} ${args[name]} is not of the form the protocol allows`);
  }
  // Dates too, before any other error: an answer echoes its arguments, so a bad date is reported as
  // such and never echoed in (say) a cannotDisseminateFormat answer.
  if (names.includes('from') || names.includes('until')) parseRange(args.from, args.until);
  return { verb: verb as Verb, args };
}

export interface DateBound {
  date: Date;
  granularity: 'day' | 'seconds';
}

/** A from/until value: `YYYY-MM-DD` or `YYYY-MM-DDThh:mm:ssZ` (the repository's granularity is seconds). */
export function parseDate(value: string, name: string): DateBound {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const seconds = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/.exec(value);
  const parts = day ?? seconds;
  if (!parts) throw new OaiError('badArgument', `${name} must be YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ`);
  const date = new Date(seconds ? value : `${value}T00:00:00Z`);
  // Year 0000 is no year of XML Schema's dates, which harvesters and the protocol's schema use.
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value.slice(0, 10) || parts[1] === '0000') throw new OaiError('badArgument', `${name} is not a real date`);
  return { date, granularity: seconds ? 'seconds' : 'day' };
}

export interface Range {
  /** Inclusive lower bound. */
  from?: Date;
  /** Exclusive upper bound: until is inclusive to its last second (or day). */
  before?: Date;
}

export function parseRange(from: string | undefined, until: string | undefined): Range {
  const f = from ? parseDate(from, 'from') : undefined;
  const u = until ? parseDate(until, 'until') : undefined;
  if (f && u && f.granularity !== u.granularity) throw new OaiError('badArgument', 'from and until must have the same granularity');
  const before = u ? new Date(u.date.getTime() + (u.granularity === 'day' ? 86_400_000 : 1000)) : undefined;
  if (f && before && f.date.getTime() >= before.getTime()) throw new OaiError('badArgument', 'from is later than until');
  return { ...(f ? { from: f.date } : {}), ...(before ? { before } : {}) };
}

/** Datestamps as harvesters see them: UTC, to the second. */
export function datestamp(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

/** What a resumption token carries: enough to continue the list without any state on the server. */
export interface ListState {
  verb: 'ListIdentifiers' | 'ListRecords' | 'ListSets';
  /** The endpoint the list belongs to ('' for the site, else a journal path). */
  scope: string;
  metadataPrefix?: string;
  set?: string;
  from?: string;
  before?: string;
  /** The last record sent: its datestamp and article id (keyset pagination). */
  after?: [string, number];
  cursor: number;
  completeListSize: number;
  expires: number;
}

/** `payload.signature`, base64url: a changed or forged token fails the signature check. */
export function encodeToken(state: ListState, secret: string): string {
  const payload = Buffer.from(JSON.stringify(state)).toString('base64url');
  return `${payload}.${createHmac('sha256', secret).update(payload).digest('base64url')}`;
}

export function decodeToken(token: string, secret: string, now: Date, expected: { verb: ListState['verb']; scope: string }): ListState {
  const [payload, signature] = token.split('.');
  if (!payload || !signature || token.length > 2000) throw new OaiError('badResumptionToken', 'the resumption token is not one this repository issued');
  const good = createHmac('sha256', secret).update(payload).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== good.length || !timingSafeEqual(given, good)) throw new OaiError('badResumptionToken', 'the resumption token is not one this repository issued');
  let state: unknown;
  try {
    state = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw new OaiError('badResumptionToken', 'the resumption token is damaged');
  }
  // Signed is not the same as readable: a token from an older version of Revista may hold another shape.
  if (!isListState(state)) throw new OaiError('badResumptionToken', 'the resumption token is damaged');
  if (state.verb !== expected.verb || state.scope !== expected.scope) throw new OaiError('badResumptionToken', 'the resumption token belongs to another list');
  if (state.expires < now.getTime()) throw new OaiError('badResumptionToken', 'the resumption token has expired; start the list again');
  return state;
}

/** A date as encodeToken wrote it (toISOString, with its six-digit years after 9999). */
const isIsoDate = (value: unknown): value is string => typeof value === 'string' && !Number.isNaN(Date.parse(value)) && new Date(value).toISOString() === value;
const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;
const isOptional = (value: unknown, check: (v: unknown) => boolean) => value === undefined || check(value);

function isListState(value: unknown): value is ListState {
  if (typeof value !== 'object' || value === null) return false;
  const state = value as Record<string, unknown>;
  return (
    (state.verb === 'ListIdentifiers' || state.verb === 'ListRecords' || state.verb === 'ListSets') &&
    typeof state.scope === 'string' &&
    isOptional(state.metadataPrefix, (v) => typeof v === 'string') &&
    isOptional(state.set, (v) => typeof v === 'string') &&
    isOptional(state.from, isIsoDate) &&
    isOptional(state.before, isIsoDate) &&
    isOptional(state.after, (v) => Array.isArray(v) && v.length === 2 && isIsoDate(v[0]) && isCount(v[1])) &&
    isCount(state.cursor) &&
    isCount(state.completeListSize) &&
    Number.isFinite(state.expires)
  );
}

/** How long a list can be continued. */
export const TOKEN_LIFETIME_MS = 24 * 3600 * 1000;
