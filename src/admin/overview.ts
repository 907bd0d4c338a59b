import type { Kysely } from 'kysely';
import type { Database } from '../db/index.ts';
import type { ManageAccess } from '../platform/web/index.ts';

/** What the journal management overview counts; an area this person may not open is left out. */
export interface JournalOverviewCounts {
  articles: { total: number; published: number; waiting: number };
  issues?: { published: number; future: number };
  sections?: number;
  people?: number;
  /** Requests (COUNTER Total_Item_Requests) in the last whole month. */
  usage?: { month: string; requests: number };
  /** Messages to the journal's people that could not be sent. */
  failedMail?: number;
}

const count = (value: string | number | bigint | undefined) => Number(value ?? 0);

/** `YYYY-MM` of the month before `now` (UTC). */
export function previousMonth(now: Date): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  return d.toISOString().slice(0, 7);
}

/**
 * The overview's counts, in a handful of small aggregate queries. A section editor (who opens neither
 * issues nor settings) counts the articles of the sections they edit.
 */
export async function journalOverviewCounts(db: Kysely<Database>, journalId: number, sectionIds: readonly number[], access: ManageAccess, now: Date): Promise<JournalOverviewCounts> {
  const wholeJournal = access.issues || access.settings;
  let articles = db
    .selectFrom('articles as a')
    .select((eb) => [
      eb.fn.countAll<string>().as('total'),
      eb.fn.count<string>('a.id').filterWhere('a.status', '=', 'published').as('published'),
      eb.fn.count<string>('a.id').filterWhere('a.status', 'in', ['queued', 'scheduled']).as('waiting'),
    ])
    .where('a.journal_id', '=', journalId);
  if (!wholeJournal) {
    if (sectionIds.length === 0) return { articles: { total: 0, published: 0, waiting: 0 } };
    articles = articles.innerJoin('publications as p', 'p.id', 'a.current_publication_id').where('p.section_id', 'in', [...sectionIds]);
  }
  const a = await articles.executeTakeFirstOrThrow();
  const result: JournalOverviewCounts = { articles: { total: count(a.total), published: count(a.published), waiting: count(a.waiting) } };

  if (access.issues) {
    const i = await db
      .selectFrom('issues')
      .select((eb) => [eb.fn.count<string>('id').filterWhere('is_published', '=', true).as('published'), eb.fn.count<string>('id').filterWhere('is_published', '=', false).as('future')])
      .where('journal_id', '=', journalId)
      .executeTakeFirstOrThrow();
    result.issues = { published: count(i.published), future: count(i.future) };
  }
  if (access.settings) {
    const s = await db.selectFrom('sections').select((eb) => eb.fn.countAll<string>().as('n')).where('journal_id', '=', journalId).executeTakeFirstOrThrow();
    result.sections = count(s.n);
    const m = await db.selectFrom('mail_outbox').select((eb) => eb.fn.countAll<string>().as('n')).where('journal_id', '=', journalId).where('status', '=', 'failed').executeTakeFirstOrThrow();
    result.failedMail = count(m.n);
  }
  if (access.users) {
    const p = await db.selectFrom('role_assignments').select((eb) => eb.fn.count<string>('user_id').distinct().as('n')).where('journal_id', '=', journalId).executeTakeFirstOrThrow();
    result.people = count(p.n);
  }
  if (access.stats) {
    const month = previousMonth(now);
    const u = await db
      .selectFrom('usage_item_months')
      .select((eb) => eb.fn.sum<string | null>('requests').as('n'))
      .where('journal_id', '=', journalId)
      .where('month', '=', `${month}-01`)
      .executeTakeFirstOrThrow();
    result.usage = { month, requests: count(u.n ?? 0) };
  }
  return result;
}
