import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/index.ts';

export interface MonthlyCount {
  /** `YYYY-MM` (UTC). */
  month: string;
  requests: number;
}

/**
 * An article's downloads per month: COUNTER Total_Item_Requests, robots and double clicks left out.
 * Months without downloads between the first and the last are included as zero.
 */
export async function monthlyDownloads(db: Kysely<Database>, articleId: number): Promise<MonthlyCount[]> {
  const rows = await db
    .selectFrom('usage_item_months')
    .select([sql<string>`to_char(month, 'YYYY-MM')`.as('month'), 'requests as n'])
    .where('article_id', '=', articleId)
    .where('requests', '>', 0)
    .orderBy('month')
    .execute();
  if (rows.length === 0) return [];
  const counts = new Map(rows.map((r) => [r.month, Number(r.n)]));
  const months: MonthlyCount[] = [];
  let [year, month] = rows[0]!.month.split('-').map(Number) as [number, number];
  const last = rows.at(-1)!.month;
  for (;;) {
    const key = `${year}-${String(month).padStart(2, '0')}`;
    months.push({ month: key, requests: counts.get(key) ?? 0 });
    if (key === last) break;
    month++;
    if (month > 12) [year, month] = [year + 1, 1];
  }
  return months;
}

export interface ItemMonthMetrics {
  articleId: number;
  month: string;
  Total_Item_Investigations: number;
  Unique_Item_Investigations: number;
  Total_Item_Requests: number;
  Unique_Item_Requests: number;
}

/**
 * COUNTER item metrics per article and month, from events already cleared of robots and double
 * clicks: a download counts as a Request and an Investigation; unique counts are distinct
 * user-sessions (the day's session key and the hour, as R5.1 builds sessions from IP, agent and
 * time). Months are taken in `timeZone`.
 */
export interface ItemMetricsQuery {
  journalId?: number;
  from: Date;
  to: Date;
  timeZone?: string;
  articleIds?: number[];
}

/**
 * COUNTER item metrics per article and month, from events already cleared of robots and double
 * clicks: a download counts as a Request and an Investigation; unique counts are distinct
 * user-sessions (the day's session key and the hour, as R5.1 builds sessions from IP, agent and
 * time). Months are taken in `timeZone`: whole UTC months are read from usage_item_months, which the
 * recorder keeps, other zones are counted from the events.
 */
export async function itemMetrics(db: Kysely<Database>, options: ItemMetricsQuery): Promise<ItemMonthMetrics[]> {
  const tz = options.timeZone ?? 'UTC';
  if (isUtc(tz) && isMonthStart(options.from) && isMonthStart(options.to)) {
    let query = db
      .selectFrom('usage_item_months')
      .select([
        'article_id',
        sql<string>`to_char(month, 'YYYY-MM')`.as('month'),
        'investigations as tii',
        'unique_investigations as uii',
        'requests as tir',
        'unique_requests as uir',
      ])
      .where('month', '>=', options.from.toISOString().slice(0, 10))
      .where('month', '<', options.to.toISOString().slice(0, 10))
      .where('investigations', '>', 0);
    if (options.journalId !== undefined) query = query.where('journal_id', '=', options.journalId);
    if (options.articleIds) query = query.where('article_id', 'in', options.articleIds.length ? options.articleIds : [-1]);
    return metricsOf(await query.orderBy('article_id').orderBy('month').execute());
  }
  return itemMetricsFromEvents(db, options);
}

/** The same metrics counted from the events themselves, in any time zone. */
export async function itemMetricsFromEvents(db: Kysely<Database>, options: ItemMetricsQuery): Promise<ItemMonthMetrics[]> {
  const tz = options.timeZone ?? 'UTC';
  let query = db
    .selectFrom('usage_events')
    .select([
      'article_id',
      sql<string>`to_char(at AT TIME ZONE ${tz}, 'YYYY-MM')`.as('month'),
      sql<number>`count(*)::integer`.as('tii'),
      sql<number>`count(DISTINCT session_key || date_trunc('hour', at AT TIME ZONE 'UTC')::text)::integer`.as('uii'),
      sql<number>`(count(*) FILTER (WHERE kind = 'request'))::integer`.as('tir'),
      sql<number>`(count(DISTINCT session_key || date_trunc('hour', at AT TIME ZONE 'UTC')::text) FILTER (WHERE kind = 'request'))::integer`.as('uir'),
    ])
    .where('filter_reason', 'is', null)
    .where('kind', 'in', ['investigation', 'request'])
    .where('article_id', 'is not', null)
    .where('at', '>=', options.from)
    .where('at', '<', options.to);
  if (options.journalId !== undefined) query = query.where('journal_id', '=', options.journalId);
  if (options.articleIds) query = query.where('article_id', 'in', options.articleIds.length ? options.articleIds : [-1]);
  const rows = await query.groupBy(['article_id', sql`2`]).orderBy('article_id').orderBy(sql`2`).execute();
  return metricsOf(rows.map((r) => ({ ...r, article_id: r.article_id! })));
}

function metricsOf(rows: { article_id: number; month: string; tii: number; uii: number; tir: number; uir: number }[]): ItemMonthMetrics[] {
  return rows.map((r) => ({
    articleId: r.article_id,
    month: r.month,
    Total_Item_Investigations: Number(r.tii),
    Unique_Item_Investigations: Number(r.uii),
    Total_Item_Requests: Number(r.tir),
    Unique_Item_Requests: Number(r.uir),
  }));
}

function isUtc(timeZone: string): boolean {
  return ['UTC', 'Etc/UTC', 'Etc/GMT', 'GMT', 'Z'].includes(timeZone);
}

function isMonthStart(at: Date): boolean {
  return at.getTime() === Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1);
}

/** Date.UTC, but years 0–99 are those years, not 1900–1999. */
function utc(year: number, monthIndex: number, day: number, hour = 0, minute = 0): number {
  return new Date(Date.UTC(2000, monthIndex, day, hour, minute)).setUTCFullYear(year, monthIndex, day);
}

/** Minutes `timeZone` is ahead of UTC at an instant. */
function offsetMinutes(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  const asLocal = utc(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'));
  return Math.round((asLocal - Math.floor(at.getTime() / 60_000) * 60_000) / 60_000);
}

/** The start of a month (`YYYY-MM`) as an instant in `timeZone`. */
export function monthStart(month: string, timeZone = 'UTC'): Date {
  const [year, m] = month.split('-').map(Number) as [number, number];
  const start = utc(year, m - 1, 1);
  // The zone's offset at that moment, from Intl (no time-zone library needed).
  return new Date(start - offsetMinutes(new Date(start), timeZone) * 60_000);
}

export function nextMonth(month: string): string {
  const [year, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${year + 1}-01` : `${year}-${String(m + 1).padStart(2, '0')}`;
}
