import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { sendPrivatePage } from '../accounts/index.ts';
import type { Clock } from '../clock.ts';
import type { Database } from '../db/index.ts';
import { createSushiKey, itemMetrics, MONTH, listSushiKeys, monthStart, nextMonth, revokeSushiKey, type ItemMonthMetrics } from '../stats/index.ts';
import { formBody, formChecked, formText } from '../http/forms.ts';
import { parseId } from '../http/index.ts';
import type { FormErrors } from '../ui/index.ts';
import { manageContext, SETTINGS } from './manage-context.ts';
import { StatsPage, type StatsTotals, type StatsView } from './views/stats.tsx';

const STATS = { config: { permission: 'journal.stats' as const } };

function sum(rows: ItemMonthMetrics[]): StatsTotals {
  return rows.reduce(
    (t, r) => ({
      investigations: t.investigations + r.Total_Item_Investigations,
      uniqueInvestigations: t.uniqueInvestigations + r.Unique_Item_Investigations,
      requests: t.requests + r.Total_Item_Requests,
      uniqueRequests: t.uniqueRequests + r.Unique_Item_Requests,
    }),
    { investigations: 0, uniqueInvestigations: 0, requests: 0, uniqueRequests: 0 },
  );
}

/** The range asked for (`from`/`to` as YYYY-MM), by default the last twelve months. */
function range(request: FastifyRequest, now: Date, t: (k: 'stats.monthInvalid' | 'stats.rangeInvalid') => string): { from: string; to: string; errors: FormErrors } {
  const query = request.query as { from?: string; to?: string };
  const current = now.toISOString().slice(0, 7);
  const yearAgo = `${Number(current.slice(0, 4)) - 1}${current.slice(4)}`;
  const errors: FormErrors = {};
  let from = query.from ?? nextMonth(yearAgo);
  let to = query.to ?? current;
  if (!MONTH.test(from)) [errors.from, from] = [t('stats.monthInvalid'), nextMonth(yearAgo)];
  if (!MONTH.test(to)) [errors.to, to] = [t('stats.monthInvalid'), current];
  if (from > to) [errors.to, to] = [t('stats.rangeInvalid'), from];
  return { from, to, errors };
}

/** Usage reports for a journal's managers and editors, and their CSV. */
export function journalStatsRoutes(app: FastifyInstance, deps: { db: Kysely<Database>; clock: Clock }): void {
  const { db } = deps;

  async function load(journalId: number, from: string, to: string): Promise<{ rows: ItemMonthMetrics[]; titles: Map<number, Record<string, string>> }> {
    const rows = await itemMetrics(db, { journalId, from: monthStart(from), to: monthStart(nextMonth(to)) });
    const ids = [...new Set(rows.map((r) => r.articleId))];
    const titles = ids.length
      ? await db.selectFrom('articles as a').innerJoin('publications as p', 'p.id', 'a.current_publication_id').select(['a.id', 'p.title']).where('a.id', 'in', ids).execute()
      : [];
    return { rows, titles: new Map(titles.map((r) => [r.id, r.title])) };
  }

  async function showStats(request: FastifyRequest, reply: FastifyReply, newKey?: { requestorId: string; apiKey: string }) {
    const m = await manageContext(db, request, reply);
    const { from, to, errors } = range(request, deps.clock.now(), m.ctx.t);
    const { rows, titles } = await load(m.journal.id, from, to);
    const months = [...new Set(rows.map((r) => r.month))].sort().map((month) => ({ month, ...sum(rows.filter((r) => r.month === month)) }));
    const byArticle = new Map<number, ItemMonthMetrics[]>();
    for (const r of rows) byArticle.set(r.articleId, [...(byArticle.get(r.articleId) ?? []), r]);
    const top = [...byArticle]
      .map(([articleId, list]) => ({ articleId, title: titles.get(articleId) ?? {}, requests: sum(list).requests, investigations: sum(list).investigations }))
      .sort((a, b) => b.requests - a.requests || b.investigations - a.investigations)
      .slice(0, 10);
    const sushi = m.access.settings ? { requiresKey: m.journal.sushi_requires_key, keys: await listSushiKeys(db, m.journal.id), ...(newKey ? { newKey } : {}) } : undefined;
    const view: StatsView = { from, to, totals: sum(rows), months, top, ...(sushi ? { sushi } : {}) };
    return sendPrivatePage(reply, StatsPage({ ...m, view, errors }), Object.keys(errors).length ? 400 : 200);
  }

  app.get('/:journal/management/stats', STATS, async (request, reply) => showStats(request, reply));

  // SUSHI access is the journal's own decision: managers only.
  app.post('/:journal/management/stats/sushi', SETTINGS, async (request, reply) => {
    await db.updateTable('journals').set({ sushi_requires_key: formChecked(formBody(request), 'requiresKey') }).where('id', '=', request.viewer.journal!.id).execute();
    return reply.redirect(`/${request.viewer.journal!.path}/management/stats`, 303);
  });

  app.post('/:journal/management/stats/sushi/keys', SETTINGS, async (request, reply) => {
    const key = await createSushiKey(db, request.viewer.journal!.id, formText(formBody(request), 'label', 200));
    // The key is shown on this answer only: it is stored as a hash.
    return showStats(request, reply, key);
  });

  app.post('/:journal/management/stats/sushi/keys/:id/revoke', SETTINGS, async (request, reply) => {
    await revokeSushiKey(db, request.viewer.journal!.id, parseId((request.params as { id: string }).id), deps.clock.now());
    return reply.redirect(`/${request.viewer.journal!.path}/management/stats`, 303);
  });

  app.get('/:journal/management/stats.csv', STATS, async (request, reply) => {
    const m = await manageContext(db, request, reply);
    const { from, to, errors } = range(request, deps.clock.now(), m.ctx.t);
    if (Object.keys(errors).length) return reply.code(400).type('text/plain; charset=utf-8').send(Object.values(errors).join('\n'));
    const { rows, titles } = await load(m.journal.id, from, to);
    const cell = (value: string | number) => {
      const text = String(value);
      // Quoted per RFC 4180; a leading = + - @ is defused so spreadsheets do not run it as a formula.
      const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
      return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
    };
    const lines = [
      ['Article_ID', 'Title', 'Month', 'Total_Item_Investigations', 'Unique_Item_Investigations', 'Total_Item_Requests', 'Unique_Item_Requests'].join(','),
      ...rows.map((r) => [r.articleId, Object.values(titles.get(r.articleId) ?? {})[0] ?? '', r.month, r.Total_Item_Investigations, r.Unique_Item_Investigations, r.Total_Item_Requests, r.Unique_Item_Requests].map(cell).join(',')),
    ];
    return reply
      .type('text/csv; charset=utf-8')
      .header('cache-control', 'private, no-store')
      .header('content-disposition', `attachment; filename="${m.journal.path}-usage-${from}-${to}.csv"`)
      .send(`${lines.join('\r\n')}\r\n`);
  });
}
