import { createHmac } from 'node:crypto';

/**
 * COUNTER R5.1 counting rules as pure functions: usage events in, metrics out.
 *
 * Readings of the Code of Practice (§7.3 double-click filtering, §7.6–7.7 unique items and titles):
 * - An article landing page view is an Investigation; a galley view or download is a Request, and
 *   every Request is also an Investigation (Total_Item_Investigations includes Total_Item_Requests).
 * - Double clicks: two clicks of the same user on the same URL at most 30 seconds apart are one action;
 *   the earlier is removed and the later kept, and each further click within 30 s of the previous one
 *   does the same, so a chain of quick clicks counts once, as its last click. "A maximum of 30 seconds
 *   between the first and second clicks" makes a gap of exactly 30 s a double click; 31 s is not.
 *   "Same URL" here is same session key, item, kind and galley: two galleys of an article are two URLs,
 *   and a page view next to a download is two different actions.
 * - Unique items and titles: without a logged session id, the user-session is IP + user agent +
 *   transaction date + hour of day. `sessionKey` stands for IP + user agent (and the day, through its
 *   salt), so a user-session is that key plus the UTC date and hour of the event.
 * - Unique_Title_* apply only to books (Data_Types Book and Reference_Work): journal title reports
 *   (TR_J1–TR_J4) carry no Unique_Title metrics. They are computed per journal here because the
 *   article chart and internal statistics use them; a COUNTER presenter must leave them out for
 *   Data_Type Journal.
 */

export type EventKind = 'investigation' | 'request';

export interface UsageEvent {
  at: Date;
  /** Privacy-preserving stand-in for IP + user agent, from `sessionKey`. */
  sessionKey: string;
  /** The article. */
  itemId: number;
  /** The journal. */
  titleId: number;
  kind: EventKind;
  galleyId?: number;
  /** Year of publication, for COUNTER's YOP attribute. */
  yop?: number;
  accessType?: 'Open' | 'Controlled';
  robot?: boolean;
}

export interface Metrics {
  Total_Item_Investigations: number;
  Unique_Item_Investigations: number;
  Total_Item_Requests: number;
  Unique_Item_Requests: number;
}

export interface TitleMetrics extends Metrics {
  Unique_Title_Investigations: number;
  Unique_Title_Requests: number;
}

/** Clicks at most this far apart (inclusive) are one action. */
export const DOUBLE_CLICK_WINDOW_MS = 30_000;

/**
 * A key standing for one reader on one day without storing who they are: HMAC-SHA256 over the day,
 * IP and user agent, keyed with that day's random salt, in hex. Once the salt of a past day is
 * deleted no key can be traced back to an address, and keys of different days cannot be linked.
 */
export function sessionKey(ip: string, userAgent: string, day: string, salt: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new RangeError(`sessionKey: day must be YYYY-MM-DD (UTC), got ${JSON.stringify(day)}`);
  // Without a secret salt a hash of an IPv4 address can be reversed by trying all 2^32 of them.
  if (salt === '') throw new RangeError('sessionKey: the daily salt must not be empty');
  // Newlines cannot occur in an IP or an HTTP header value, so the three fields cannot run together.
  return createHmac('sha256', salt).update(`${day}\n${ip}\n${userAgent}`).digest('hex');
}

/** The COUNTER user-session of an event: session key + UTC transaction date + hour of day. */
export function userSession(event: UsageEvent): string {
  return `${event.sessionKey}|${event.at.toISOString().slice(0, 13)}`;
}

function clickKey(event: UsageEvent): string {
  return `${event.sessionKey}|${event.itemId}|${event.kind}|${event.galleyId ?? ''}`;
}

function timeOf(event: UsageEvent): number {
  const time = event.at.getTime();
  if (Number.isNaN(time)) throw new RangeError(`usage event for item ${event.itemId} has an invalid date`);
  return time;
}

/**
 * COUNTER double-click filtering. Events may come in any order; both lists come back sorted by time.
 * An event is filtered when the same session repeats the same action on the same item (and galley)
 * at most 30 seconds later.
 */
export function filterDoubleClicks(events: UsageEvent[]): { counted: UsageEvent[]; filtered: UsageEvent[] } {
  // Sort a copy; ties keep input order, so of two clicks in the same millisecond the later-listed counts.
  const sorted = events.map((event) => ({ event, time: timeOf(event) })).sort((a, b) => a.time - b.time);
  const superseded = new Set<number>();
  const lastIndex = new Map<string, number>();
  sorted.forEach(({ event, time }, index) => {
    const key = clickKey(event);
    const previous = lastIndex.get(key);
    if (previous !== undefined && time - sorted[previous].time <= DOUBLE_CLICK_WINDOW_MS) superseded.add(previous);
    lastIndex.set(key, index);
  });
  const counted: UsageEvent[] = [];
  const filtered: UsageEvent[] = [];
  sorted.forEach(({ event }, index) => (superseded.has(index) ? filtered : counted).push(event));
  return { counted, filtered };
}

/** The events COUNTER counts: robots dropped, then double clicks filtered. */
function countable(events: UsageEvent[]): UsageEvent[] {
  return filterDoubleClicks(events.filter((event) => !event.robot)).counted;
}

interface Tally {
  investigations: number;
  requests: number;
  /** `userSession|itemId` pairs: one unique item activity per item per user-session. */
  investigatedItems: Set<string>;
  requestedItems: Set<string>;
  /** User-sessions: one unique title activity per title per user-session. */
  investigatingSessions: Set<string>;
  requestingSessions: Set<string>;
}

function tally<K>(events: UsageEvent[], keyOf: (event: UsageEvent) => K): Map<K, Tally> {
  const tallies = new Map<K, Tally>();
  for (const event of countable(events)) {
    const key = keyOf(event);
    let t = tallies.get(key);
    if (!t) {
      t = { investigations: 0, requests: 0, investigatedItems: new Set(), requestedItems: new Set(), investigatingSessions: new Set(), requestingSessions: new Set() };
      tallies.set(key, t);
    }
    const session = userSession(event);
    const item = `${session}|${event.itemId}`;
    // Every request is also an investigation.
    t.investigations++;
    t.investigatedItems.add(item);
    t.investigatingSessions.add(session);
    if (event.kind === 'request') {
      t.requests++;
      t.requestedItems.add(item);
      t.requestingSessions.add(session);
    }
  }
  return tallies;
}

function itemMetrics(t: Tally): Metrics {
  return {
    Total_Item_Investigations: t.investigations,
    Unique_Item_Investigations: t.investigatedItems.size,
    Total_Item_Requests: t.requests,
    Unique_Item_Requests: t.requestedItems.size,
  };
}

function mapValues<K, A, B>(map: Map<K, A>, f: (value: A) => B): Map<K, B> {
  return new Map([...map].map(([key, value]) => [key, f(value)]));
}

/** Item metrics per article (robots and double clicks left out). Articles without usage are absent. */
export function countMetrics(events: UsageEvent[]): Map<number, Metrics> {
  return mapValues(tally(events, (e) => e.itemId), itemMetrics);
}

/**
 * Metrics per journal: Total_Item_* and Unique_Item_* summed over its articles, and Unique_Title_*
 * the user-sessions that investigated or requested any of its articles.
 */
export function countTitleMetrics(events: UsageEvent[]): Map<number, TitleMetrics> {
  return mapValues(tally(events, (e) => e.titleId), (t) => ({
    ...itemMetrics(t),
    Unique_Title_Investigations: t.investigatingSessions.size,
    Unique_Title_Requests: t.requestingSessions.size,
  }));
}

const monthFormats = new Map<string, Intl.DateTimeFormat>();

/** `YYYY-MM` of an instant in an IANA time zone (COUNTER months are those of the report's zone). */
export function monthOf(date: Date, timeZone = 'UTC'): string {
  let format = monthFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US-u-ca-gregory-nu-latn', { timeZone, year: 'numeric', month: '2-digit' });
    monthFormats.set(timeZone, format);
  }
  const parts = format.formatToParts(date);
  const year = parts.find((p) => p.type === 'year')?.value ?? '';
  const month = parts.find((p) => p.type === 'month')?.value ?? '';
  return `${year.padStart(4, '0')}-${month}`;
}

export type ItemMonth = `${number} ${string}`;

/**
 * Item metrics per article and month, keyed `${itemId} ${YYYY-MM}`. Double clicks are filtered over
 * the whole stream first, so a double click across midnight counts once, in the month of its last
 * click. User-sessions stay UTC hour slots; in a zone with a half-hour offset a slot that straddles
 * a month boundary counts once in each month.
 */
export function countByMonth(events: UsageEvent[], timeZone = 'UTC'): Map<ItemMonth, Metrics> {
  return mapValues(tally(events, (e): ItemMonth => `${e.itemId} ${monthOf(e.at, timeZone)}`), itemMetrics);
}
