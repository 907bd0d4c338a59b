import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sql, type Kysely } from 'kysely';
import type { Clock } from '../clock.ts';
import type { Database } from '../db/index.ts';
import { itemMetrics, monthStart, nextMonth } from './queries.ts';
import { checkSushiCredentials } from './sushi-keys.ts';
import { buildReport, httpStatusOf, isSushiException, membersResponse, parseReportDates, reportIdOf, reportsList, statusResponse, sushiException, type ReportContext, type SushiException, type UsageRow } from './sushi.ts';

const KNOWN_PARAMETERS = new Set(['customer_id', 'requestor_id', 'api_key', 'platform', 'begin_date', 'end_date', 'metric_type', 'data_type', 'access_type', 'access_method', 'yop', 'attributes_to_show', 'granularity', 'include_parent_details', 'include_component_details', 'item_id']);

/**
 * COUNTER SUSHI R5.1 at `/{journal}/api/sushi/r51/…`: status, members, the list of reports, and PR,
 * PR_P1, TR, TR_J3, IR, IR_A1 as COUNTER JSON. An open-access journal's usage is public, as in
 * OJS: no credentials are needed unless the journal asks for them (requestor_id and api_key);
 * a customer_id, when given, is echoed as the institution.
 */
export function sushiRoutes(app: FastifyInstance, deps: { db: Kysely<Database>; clock: Clock }): void {
  const { db, clock } = deps;
  const params = { type: 'object', properties: { journal: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]*$' }, report: { type: 'string' } }, required: ['journal'] } as const;

  async function context(request: FastifyRequest): Promise<{ ctx: ReportContext; journal: { id: number; path: string; name: string; onlineIssn: string | null; printIssn: string | null; publisher: string | null; requiresKey: boolean } } | undefined> {
    const path = (request.params as { journal: string }).journal;
    const row = await db.selectFrom('journals').select(['id', 'path', 'name', 'primary_locale', 'online_issn', 'print_issn', 'publisher', 'sushi_requires_key']).where('path', '=', path).where('enabled', '=', true).executeTakeFirst();
    if (!row) return undefined;
    const name = row.name[row.primary_locale] ?? Object.values(row.name)[0] ?? row.path;
    const query = request.query as Record<string, string | undefined>;
    const customerId = (query.customer_id ?? 'anonymous').slice(0, 100);
    const first = await db.selectFrom('usage_item_months').select((eb) => eb.fn.min('month').as('first')).where('journal_id', '=', row.id).executeTakeFirst();
    const now = clock.now();
    return {
      journal: { id: row.id, path: row.path, name, onlineIssn: row.online_issn, printIssn: row.print_issn, publisher: row.publisher, requiresKey: row.sushi_requires_key },
      ctx: {
        platform: 'revista',
        platformName: 'Revista',
        institutionName: customerId === 'anonymous' ? 'The World' : customerId,
        created: now,
        createdBy: 'Revista',
        beginDate: first?.first ? String(first.first).slice(0, 8) + '01' : now.toISOString().slice(0, 8) + '01',
        endDate: now.toISOString().slice(0, 10),
        customerId,
      },
    };
  }

  const credentials = (request: FastifyRequest, journal: { id: number; requiresKey: boolean }) => {
    const query = request.query as Record<string, string | undefined>;
    return checkSushiCredentials(db, journal, query.requestor_id, query.api_key);
  };

  const send = (reply: FastifyReply, body: unknown) => reply.header('cache-control', 'no-store').type('application/json; charset=utf-8').send(JSON.stringify(body));
  const fail = (reply: FastifyReply, exception: SushiException) => reply.code(httpStatusOf(exception)).header('cache-control', 'no-store').type('application/json; charset=utf-8').send(JSON.stringify(exception));

  app.get('/:journal/api/sushi/r51/status', { schema: { params } }, async (request, reply) => {
    const found = await context(request);
    if (!found) return fail(reply, sushiException(2000, undefined, 'no such journal'));
    return send(reply, statusResponse(found.ctx));
  });

  app.get('/:journal/api/sushi/r51/members', { schema: { params } }, async (request, reply) => {
    const found = await context(request);
    if (!found) return fail(reply, sushiException(2000, undefined, 'no such journal'));
    const denied = await credentials(request, found.journal);
    if (denied) return fail(reply, denied);
    return send(reply, membersResponse({ ...found.ctx, customerId: found.ctx.customerId ?? 'anonymous' }));
  });

  app.get('/:journal/api/sushi/r51/reports', { schema: { params } }, async (request, reply) => {
    const found = await context(request);
    if (!found) return fail(reply, sushiException(2000, undefined, 'no such journal'));
    const denied = await credentials(request, found.journal);
    if (denied) return fail(reply, denied);
    return send(reply, reportsList(found.ctx));
  });

  app.get('/:journal/api/sushi/r51/reports/:report', { schema: { params } }, async (request, reply) => {
    const id = reportIdOf((request.params as { report: string }).report);
    if (!id) return reply.code(404).type('application/json; charset=utf-8').send(JSON.stringify({ Message: 'Report Not Supported: Revista offers PR, PR_P1, TR, TR_J3, IR and IR_A1' }));
    const found = await context(request);
    if (!found) return fail(reply, sushiException(2000, undefined, 'no such journal'));
    const denied = await credentials(request, found.journal);
    if (denied) return fail(reply, denied);
    const query = request.query as Record<string, string | undefined>;
    const dates = parseReportDates(query.begin_date, query.end_date, clock.now());
    if (isSushiException(dates)) return fail(reply, dates);
    const from = monthStart(dates.beginDate.slice(0, 7));
    const to = monthStart(nextMonth(dates.endDate.slice(0, 7)));
    const metrics = await itemMetrics(db, { journalId: found.journal.id, from, to });
    const ids = [...new Set(metrics.map((m) => m.articleId))];
    const list = (name: string) => (query[name] ? query[name]!.split('|').filter(Boolean) : undefined);
    // Only what the report shows is read: titles for item reports, authors when they are listed.
    // (Reading a journal's every title and author costs more than counting its usage.)
    const itemLevel = id === 'IR' || id === 'IR_A1';
    const withAuthors = id === 'IR_A1' || (id === 'IR' && (list('attributes_to_show') ?? []).includes('Authors'));
    // A report may name every article of the journal: ids go as one array, not a parameter each.
    const articles = ids.length
      ? await db
          .selectFrom('articles as a')
          .innerJoin('publications as p', 'p.id', 'a.current_publication_id')
          .select([
            'a.id',
            'p.doi',
            'p.date_published',
            'p.id as publication_id',
            // The title in the article's own language, else its first one.
            itemLevel ? sql<string | null>`coalesce(p.title ->> a.locale, (SELECT e.value FROM jsonb_each_text(p.title) AS e LIMIT 1))`.as('title') : sql<null>`NULL`.as('title'),
          ])
          .where(sql<boolean>`a.id = ANY (${ids}::integer[])`)
          .execute()
      : [];
    const authors = withAuthors && articles.length
      ? await db
          .selectFrom('contributors as c')
          .select([
            'c.publication_id',
            'c.orcid',
            sql<string>`btrim(coalesce((SELECT e.value FROM jsonb_each_text(c.given_name) AS e LIMIT 1), '') || ' ' || coalesce((SELECT e.value FROM jsonb_each_text(c.family_name) AS e LIMIT 1), ''))`.as('name'),
          ])
          .where(sql<boolean>`c.publication_id = ANY (${articles.map((a) => a.publication_id)}::integer[])`)
          .orderBy('c.publication_id')
          .orderBy('c.seq')
          .execute()
      : [];
    const byId = new Map(articles.map((a) => [a.id, a]));
    const people = new Map<number, { name: string; orcid: string | null }[]>();
    for (const c of authors) {
      if (c.name === '') continue;
      let list = people.get(c.publication_id);
      if (!list) people.set(c.publication_id, (list = []));
      list.push({ name: c.name, orcid: c.orcid });
    }
    const rows: UsageRow[] = metrics.flatMap((m) => {
      const article = byId.get(m.articleId);
      if (!article) return [];
      return [
        {
          itemId: m.articleId,
          itemName: article.title ?? `#${m.articleId}`,
          doi: article.doi,
          yop: Number((article.date_published ?? '0001').slice(0, 4)),
          accessType: 'Open' as const,
          titleId: found.journal.id,
          titleName: found.journal.name,
          titleIssn: { online: found.journal.onlineIssn, print: found.journal.printIssn },
          publisher: found.journal.publisher,
          authors: people.get(article.publication_id) ?? [],
          publicationDate: article.date_published,
          month: m.month,
          metrics: {
            Total_Item_Investigations: m.Total_Item_Investigations,
            Unique_Item_Investigations: m.Unique_Item_Investigations,
            Total_Item_Requests: m.Total_Item_Requests,
            Unique_Item_Requests: m.Unique_Item_Requests,
          },
        },
      ];
    });
    const report = buildReport(id, rows, { ...found.ctx, beginDate: dates.beginDate, endDate: dates.endDate }, {
      metricTypes: list('metric_type'),
      attributesToShow: list('attributes_to_show'),
      granularity: query.granularity as 'Month' | 'Totals' | undefined,
      dataType: query.data_type,
      yop: query.yop,
      accessType: list('access_type'),
      accessMethod: list('access_method'),
      platform: query.platform,
      includeParentDetails: query.include_parent_details === 'True',
      includeComponentDetails: query.include_component_details === 'True',
      unrecognized: Object.keys(query).filter((k) => !KNOWN_PARAMETERS.has(k)),
      exceptions: dates.exceptions,
    });
    return send(reply, report);
  });
}
