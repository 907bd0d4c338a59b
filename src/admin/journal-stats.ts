import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Kysely } from 'kysely';
import { sendPrivatePage } from '../platform/web/index.ts';
import type { Clock } from '../clock.ts';
import { updateJournal } from '../catalog/index.ts';
import type { Database } from '../db/index.ts';
import { createSushiKey, itemMetrics, MONTH, listSushiKeys, monthStart, nextMonth, revokeSushiKey, usageSummary } from '../stats/index.ts';
import { formBody, formChecked, formText, type FormBody } from '../platform/http/forms.ts';
import { NotFoundError, parseId } from '../platform/http/index.ts';
import { localizeText } from '../i18n/index.ts';
import { richToPlainLine } from '../ui/index.ts';
import type { FormErrors } from '../ui/index.ts';
import { manageContext, SETTINGS } from './manage-context.ts';
import { ManageConfirmPage } from './views/confirm-pages.tsx';
import { StatsPage, type StatsTotals, type StatsView } from './views/stats.tsx';
import { IdParams, StatsQuery, type WithQuery } from './schemas.ts';

const STATS = { config: { permission: 'journal.stats' as const } };

/** The totals of the months shown (each already summed over its articles). */
function totalOf(months: StatsTotals[]): StatsTotals {
  return months.reduce(
    (t, m) => ({
      investigations: t.investigations + m.investigations,
      uniqueInvestigations: t.uniqueInvestigations + m.uniqueInvestigations,
      requests: t.requests + m.requests,
      uniqueRequests: t.uniqueRequests + m.uniqueRequests,
    }),
    { investigations: 0, uniqueInvestigations: 0, requests: 0, uniqueRequests: 0 },
  );
}

/**
 * The range asked for (`from`/`to` as YYYY-MM), by default the last twelve months. Usage exists up
 * to the current month only, so a later month (up to 9999-12) is read as the current one, and the
 * form shows the range used.
 */
function range(query: FormBody, now: Date, t: (k: 'stats.monthInvalid' | 'stats.rangeInvalid') => string): { from: string; to: string; errors: FormErrors } {
  const current = now.toISOString().slice(0, 7);
  const yearAgo = `${Number(current.slice(0, 4)) - 1}${current.slice(4)}`;
  const errors: FormErrors = {};
  let from = formText(query, 'from', 20) || nextMonth(yearAgo);
  let to = formText(query, 'to', 20) || current;
  if (!MONTH.test(from)) [errors.from, from] = [t('stats.monthInvalid'), nextMonth(yearAgo)];
  if (!MONTH.test(to)) [errors.to, to] = [t('stats.monthInvalid'), current];
  if (from > current) from = current;
  if (to > current) to = current;
  if (from > to) [errors.to, to] = [t('stats.rangeInvalid'), from];
  return { from, to, errors };
}

export interface StatsScope {
  issueId?: number;
  articleId?: number;
}

/** `?issue=ID` or `?article=ID` narrows the report; anything else is the whole journal. */
function scopeOf(query: FormBody): StatsScope {
  const id = (value: string) => (/^[1-9][0-9]{0,9}$/.test(value) ? Number(value) : undefined);
  const articleId = id(formText(query, 'article', 11));
  if (articleId !== undefined) return { articleId };
  const issueId = id(formText(query, 'issue', 11));
  return issueId !== undefined ? { issueId } : {};
}

/** Usage reports for a journal's managers and editors, and their CSV. */
export function journalStatsRoutes(app: FastifyInstance, deps: { db: Kysely<Database>; clock: Clock }): void {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = deps;

  /**
   * The journal's COUNTER metrics per article and month in the range, with the articles' titles and
   * issues, for the CSV (a row per article and month); `scope` narrows the rows to one issue's or one
   * article's usage.
   */
  async function load(journalId: number, from: string, to: string, scope: StatsScope = {}) {
    const all = await itemMetrics(db, { journalId, from: monthStart(from), to: monthStart(nextMonth(to)) });
    const ids = [...new Set(all.map((r) => r.articleId))];
    const articles = ids.length
      ? await db.selectFrom('articles as a').innerJoin('publications as p', 'p.id', 'a.current_publication_id').select(['a.id', 'p.title', 'p.issue_id']).where('a.id', 'in', ids).execute()
      : [];
    const byId = new Map(articles.map((a) => [a.id, a]));
    const rows = all.filter((r) => (scope.articleId === undefined || r.articleId === scope.articleId) && (scope.issueId === undefined || byId.get(r.articleId)?.issue_id === scope.issueId));
    return { rows, byId };
  }

  async function showStats(request: WithQuery<typeof StatsQuery>, reply: FastifyReply, newKey?: { requestorId: string; apiKey: string }) {
    const m = await manageContext(db, request, reply);
    const { from, to, errors } = range(request.query, deps.clock.now(), m.ctx.t);
    const scope = scopeOf(request.query);
    // Summed by the database (stats/summary.ts): the page reads a few dozen rows however large the journal.
    const [summary, issues, scopedArticle] = await Promise.all([
      usageSummary(db, { journalId: m.journal.id, from: monthStart(from).toISOString().slice(0, 10), to: monthStart(nextMonth(to)).toISOString().slice(0, 10), scope }),
      db.selectFrom('issues').select(['id', 'volume', 'number', 'year', 'title']).where('journal_id', '=', m.journal.id).orderBy('year', 'desc').orderBy('volume', 'desc').orderBy('id', 'desc').execute(),
      scope.articleId === undefined
        ? undefined
        : db.selectFrom('articles as a').innerJoin('publications as p', 'p.id', 'a.current_publication_id').select('p.title').where('a.id', '=', scope.articleId).where('a.journal_id', '=', m.journal.id).executeTakeFirst(),
    ]);
    const months = summary.months;
    const top = summary.top;
    // Every issue with usage in the range (whatever the scope), newest first, then articles in no issue.
    const byIssue = new Map(summary.issues.map(({ issueId, ...totals }) => [issueId, totals]));
    const issueTotals = [...issues, { id: null, volume: null, number: null, year: null, title: {} }]
      .map((issue) => ({ issue, totals: byIssue.get(issue.id) ?? totalOf([]) }))
      .filter((i) => i.totals.investigations > 0);
    const scopeName =
      scope.articleId !== undefined
        ? { kind: 'article' as const, title: scopedArticle?.title ?? {}, id: scope.articleId }
        : scope.issueId !== undefined
          ? { kind: 'issue' as const, issue: issues.find((i) => i.id === scope.issueId) ?? { id: scope.issueId, volume: null, number: null, year: null, title: {} } }
          : undefined;
    const sushi = m.access.settings ? { requiresKey: m.journal.sushi_requires_key, keys: await listSushiKeys(db, m.journal.id), ...(newKey ? { newKey } : {}) } : undefined;
    const view: StatsView = { from, to, totals: totalOf(months), months, top, issues: issueTotals, ...(scopeName ? { scope: scopeName } : {}), ...(sushi ? { sushi } : {}) };
    return sendPrivatePage(reply, StatsPage({ ...m, view, errors }), Object.keys(errors).length ? 400 : 200);
  }

  typed.get('/:journal/management/stats', { ...STATS, schema: { querystring: StatsQuery } }, async (request, reply) => showStats(request, reply));

  // SUSHI access is the journal's own decision: managers only.
  app.post('/:journal/management/stats/sushi', SETTINGS, async (request, reply) => {
    await updateJournal(db, request.viewer.journal!.id, { sushiRequiresKey: formChecked(formBody(request), 'requiresKey') });
    return reply.redirect(`/${request.viewer.journal!.path}/management/stats`, 303);
  });

  typed.post('/:journal/management/stats/sushi/keys', { ...SETTINGS, schema: { querystring: StatsQuery } }, async (request, reply) => {
    const key = await createSushiKey(db, request.viewer.journal!.id, formText(formBody(request), 'label', 200));
    // The key is shown on this answer only: it is stored as a hash.
    return showStats(request, reply, key);
  });

  typed.get('/:journal/management/stats/sushi/keys/:id/revoke', { ...SETTINGS, schema: { params: IdParams } }, async (request, reply) => {
    const m = await manageContext(db, request, reply);
    const { t } = m.ctx;
    const id = parseId(request.params.id);
    const key = (await listSushiKeys(db, m.journal.id)).find((k) => k.id === id && !k.revoked_at);
    if (!key) throw new NotFoundError();
    const stats = `/${m.journal.path}/management/stats`;
    return sendPrivatePage(
      reply,
      ManageConfirmPage({ ...m, title: t('sushi.revoke'), action: `${stats}/sushi/keys/${key.id}/revoke`, question: t('sushi.revokeQuestion', { requestor: `${key.label} (${key.requestor_id})` }), consequences: [t('sushi.revokeWhat')], confirmLabel: t('sushi.revokeConfirm'), cancelHref: stats }),
    );
  });

  typed.post('/:journal/management/stats/sushi/keys/:id/revoke', { ...SETTINGS, schema: { params: IdParams } }, async (request, reply) => {
    await revokeSushiKey(db, request.viewer.journal!.id, parseId(request.params.id), deps.clock.now());
    return reply.redirect(`/${request.viewer.journal!.path}/management/stats`, 303);
  });

  typed.get('/:journal/management/stats.csv', { ...STATS, schema: { querystring: StatsQuery } }, async (request, reply) => {
    const m = await manageContext(db, request, reply);
    const { from, to, errors } = range(request.query, deps.clock.now(), m.ctx.t);
    if (Object.keys(errors).length) return reply.code(400).type('text/plain; charset=utf-8').send(Object.values(errors).join('\n'));
    const { rows, byId } = await load(m.journal.id, from, to, scopeOf(request.query));
    const cell = (value: string | number) => {
      const text = String(value);
      // Quoted per RFC 4180; a leading = + - @ is defused so spreadsheets do not run it as a formula.
      const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
      return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
    };
    const lines = [
      ['Article_ID', 'Title', 'Issue_ID', 'Month', 'Total_Item_Investigations', 'Unique_Item_Investigations', 'Total_Item_Requests', 'Unique_Item_Requests'].join(','),
      ...rows.map((r) => {
        const article = byId.get(r.articleId);
        return [r.articleId, richToPlainLine(localizeText(article?.title ?? {}, m.ctx.locale)), article?.issue_id ?? '', r.month, r.Total_Item_Investigations, r.Unique_Item_Investigations, r.Total_Item_Requests, r.Unique_Item_Requests].map(cell).join(',');
      }),
    ];
    return reply
      .type('text/csv; charset=utf-8')
      .header('cache-control', 'private, no-store')
      .header('content-disposition', `attachment; filename="${m.journal.path}-usage-${from}-${to}.csv"`)
      .send(`${lines.join('\r\n')}\r\n`);
  });
}
