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
    .selectFrom('usage_events')
    .select([sql<string>`to_char(at AT TIME ZONE 'UTC', 'YYYY-MM')`.as('month'), (eb) => eb.fn.countAll<string>().as('n')])
    .where('article_id', '=', articleId)
    .where('kind', '=', 'request')
    .where('filter_reason', 'is', null)
    .groupBy(sql`1`)
    .orderBy(sql`1`)
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
export async function itemMetrics(db: Kysely<Database>, options: { journalId?: number; from: Date; to: Date; timeZone?: string; articleIds?: number[] }): Promise<ItemMonthMetrics[]> {
  const tz = options.timeZone ?? 'UTC';
  let query = db
    .selectFrom('usage_events')
    .select([
      'article_id',
      sql<string>`to_char(at AT TIME ZONE ${tz}, 'YYYY-MM')`.as('month'),
      sql<string>`count(*)`.as('tii'),
      sql<string>`count(DISTINCT session_key || date_trunc('hour', at AT TIME ZONE 'UTC')::text)`.as('uii'),
      sql<string>`count(*) FILTER (WHERE kind = 'request')`.as('tir'),
      sql<string>`count(DISTINCT session_key || date_trunc('hour', at AT TIME ZONE 'UTC')::text) FILTER (WHERE kind = 'request')`.as('uir'),
    ])
    .where('filter_reason', 'is', null)
    .where('kind', 'in', ['investigation', 'request'])
    .where('article_id', 'is not', null)
    .where('at', '>=', options.from)
    .where('at', '<', options.to);
  if (options.journalId !== undefined) query = query.where('journal_id', '=', options.journalId);
  if (options.articleIds) query = query.where('article_id', 'in', options.articleIds.length ? options.articleIds : [-1]);
  const rows = await query.groupBy(['article_id', sql`2`]).orderBy('article_id').orderBy(sql`2`).execute();
  return rows.map((r) => ({
    articleId: r.article_id!,
    month: r.month,
    Total_Item_Investigations: Number(r.tii),
    Unique_Item_Investigations: Number(r.uii),
    Total_Item_Requests: Number(r.tir),
    Unique_Item_Requests: Number(r.uir),
  }));
}

/** The start of a month (`YYYY-MM`) as an instant in `timeZone`. */
export function monthStart(month: string, timeZone = 'UTC'): Date {
  const [year, m] = month.split('-').map(Number) as [number, number];
  const utc = Date.UTC(year, m - 1, 1);
  // The zone's offset at that moment, from Intl (no time-zone library needed).
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).formatToParts(new Date(utc));
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  const asLocal = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'));
  return new Date(utc - (asLocal - utc));
}

export function nextMonth(month: string): string {
  const [year, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${year + 1}-01` : `${year}-${String(m + 1).padStart(2, '0')}`;
}
