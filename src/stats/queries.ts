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
