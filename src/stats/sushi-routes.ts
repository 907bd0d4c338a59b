import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { sql, type Kysely } from 'kysely';
import type { Clock } from '../clock.ts';
import type { Database } from '../db/index.ts';
import { HttpError } from '../platform/http/index.ts';
import { JOURNAL_PATH } from '../platform/web/index.ts';
import { itemMetrics, monthStart, nextMonth } from './queries.ts';
import { checkSushiCredentials } from './sushi-keys.ts';
import { readSushiQuery, type SushiQuery } from './sushi-query.ts';
import { buildReport, httpStatusOf, isSushiException, membersResponse, parseReportDates, reportIdOf, reportsList, statusResponse, sushiException, type ReportContext, type SushiException, type UsageRow } from './sushi.ts';

const KNOWN_PARAMETERS = new Set(['customer_id', 'requestor_id', 'api_key', 'platform', 'begin_date', 'end_date', 'metric_type', 'data_type', 'access_type', 'access_method', 'yop', 'attributes_to_show', 'granularity', 'include_parent_details', 'include_component_details', 'item_id']);
/** Who asks and for whom: given twice with different values, the request cannot be processed (1030). */
const IDENTITY_PARAMETERS = ['customer_id', 'requestor_id', 'api_key'];
const ATTRIBUTE_PARAMETERS = ['granularity', 'include_parent_details', 'include_component_details'];

/** The customer_id as echoed in answers: without control characters, at most 100 characters; none is "anonymous" (The World). */
function customerIdOf(value: string | undefined): string {
  // Cut by characters, not UTF-16 units, so no surrogate pair is split.
  const id = Array.from((value ?? '').replace(/[\u0000-\u001f\u007f-\u009f]/g, '').trim()).slice(0, 100).join('');
  return id === '' ? 'anonymous' : id;
}

const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * COUNTER SUSHI R5.1 at `/{journal}/api/sushi/r51/…`: status, members, the list of reports, and PR,
 * PR_P1, TR, TR_J3, IR, IR_A1 as COUNTER JSON. An open-access journal's usage is public, as in
 * OJS: no credentials are needed unless the journal asks for them (requestor_id and api_key);
 * a customer_id, when given, is echoed as the institution. Every answer is JSON, errors included:
 * an invalid path is a 404 (Appendix D), a fault Exception 1000 with 503.
 */
export function sushiRoutes(plain: FastifyInstance, deps: { db: Kysely<Database>; clock: Clock }): void {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  const { db, clock } = deps;
  // Only the path is checked by a schema: COUNTER's parameters are read by sushi-query.ts, which
  // answers a bad one with its SUSHI exception in JSON.
  const params = Type.Object({ journal: Type.String({ pattern: JOURNAL_PATH }), report: Type.Optional(Type.String()) });

  async function context(path: string, query: SushiQuery): Promise<{ ctx: ReportContext; journal: { id: number; path: string; name: string; onlineIssn: string | null; printIssn: string | null; publisher: string | null; requiresKey: boolean } } | undefined> {
    const row = await db.selectFrom('journals').select(['id', 'path', 'name', 'primary_locale', 'online_issn', 'print_issn', 'publisher', 'sushi_requires_key']).where('path', '=', path).where('enabled', '=', true).executeTakeFirst();
    if (!row) return undefined;
    const name = row.name[row.primary_locale] ?? Object.values(row.name)[0] ?? row.path;
    const customerId = customerIdOf(query.values.customer_id);
    const first = await db.selectFrom('usage_item_months').select((eb) => eb.fn.min('month').as('first')).where('journal_id', '=', row.id).executeTakeFirst();
    const now = clock.now();
    return {
      journal: { id: row.id, path: row.path, name, onlineIssn: row.online_issn, printIssn: row.print_issn, publisher: row.publisher, requiresKey: row.sushi_requires_key },
      ctx: {
        platform: 'revista',
        platformName: 'Revista',
        // COUNTER wants a name of two characters at least.
        institutionName: customerId === 'anonymous' ? 'The World' : Array.from(customerId).length >= 2 ? customerId : `Customer ${customerId}`,
        created: now,
        createdBy: 'Revista',
        beginDate: first?.first ? String(first.first).slice(0, 8) + '01' : now.toISOString().slice(0, 8) + '01',
        endDate: now.toISOString().slice(0, 10),
        customerId,
      },
    };
  }

  /** 1030 when the requestor or the customer is named twice, differently: whose usage to show is unknown. */
  const identityProblem = (query: SushiQuery): SushiException | undefined => {
    const clash = query.conflicting.filter((name) => IDENTITY_PARAMETERS.includes(name));
    return clash.length > 0 ? sushiException(1030, undefined, `${clash.join(', ')} given more than once with different values; give each once`) : undefined;
  };

  const credentials = (query: SushiQuery, journal: { id: number; requiresKey: boolean }) => checkSushiCredentials(db, journal, query.values.requestor_id, query.values.api_key);

  const send = (reply: FastifyReply, body: unknown) => reply.header('cache-control', 'no-store').type(JSON_TYPE).send(JSON.stringify(body));
  const fail = (reply: FastifyReply, exception: SushiException) => reply.code(httpStatusOf(exception)).header('cache-control', 'no-store').type(JSON_TYPE).send(JSON.stringify(exception));
  // R5.1 has no Exception for an invalid path (3000 is gone): a 404 with a JSON message.
  const notFound = (reply: FastifyReply, message: string) => reply.code(404).header('cache-control', 'no-store').type(JSON_TYPE).send(JSON.stringify({ Message: message }));
  const NO_SUCH_PATH = 'Not a COUNTER_SUSHI R5.1 path: Revista answers /r51/status, /r51/members, /r51/reports and /r51/reports/{pr, pr_p1, tr, tr_j3, ir, ir_a1}';

  // Whatever goes wrong stays COUNTER JSON: a malformed journal path names no service (404), a fault
  // is Exception 1000 "Service Not Available" with 503, as Appendix D has it, logged with the request id.
  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    const status = error instanceof HttpError ? error.statusCode : (error.statusCode ?? 500);
    if (status === 404 || (error.validation && error.validationContext === 'params')) return notFound(reply, NO_SUCH_PATH);
    if (status < 500) return fail(reply, sushiException(1030, undefined, error.message.slice(0, 200)));
    request.log.error({ err: error, requestId: request.id }, 'SUSHI request failed');
    return fail(reply, sushiException(1000, undefined, `Request ${request.id} could not be completed; please try again later`));
  });
  app.get('/:journal/api/sushi/*', async (_request, reply) => notFound(reply, NO_SUCH_PATH));

  // Parameters of status requests are ignored (Appendix D, 3050).
  app.get('/:journal/api/sushi/r51/status', { schema: { params } }, async (request, reply) => {
    const found = await context(request.params.journal, readSushiQuery({}));
    if (!found) return fail(reply, sushiException(2000, undefined, 'no such journal'));
    return send(reply, statusResponse(found.ctx));
  });

  app.get('/:journal/api/sushi/r51/members', { schema: { params } }, async (request, reply) => {
    const query = readSushiQuery(request.query);
    const found = await context(request.params.journal, query);
    if (!found) return fail(reply, sushiException(2000, undefined, 'no such journal'));
    const denied = identityProblem(query) ?? (await credentials(query, found.journal));
    if (denied) return fail(reply, denied);
    return send(reply, membersResponse({ ...found.ctx, customerId: found.ctx.customerId ?? 'anonymous' }));
  });

  app.get('/:journal/api/sushi/r51/reports', { schema: { params } }, async (request, reply) => {
    const query = readSushiQuery(request.query);
    const found = await context(request.params.journal, query);
    if (!found) return fail(reply, sushiException(2000, undefined, 'no such journal'));
    const denied = identityProblem(query) ?? (await credentials(query, found.journal));
    if (denied) return fail(reply, denied);
    return send(reply, reportsList(found.ctx));
  });

  app.get('/:journal/api/sushi/r51/reports/:report', { schema: { params } }, async (request, reply) => {
    const id = reportIdOf(request.params.report ?? '');
    if (!id) return notFound(reply, 'Report Not Supported: Revista offers PR, PR_P1, TR, TR_J3, IR and IR_A1');
    const sushiQuery = readSushiQuery(request.query);
    const found = await context(request.params.journal, sushiQuery);
    if (!found) return fail(reply, sushiException(2000, undefined, 'no such journal'));
    const denied = identityProblem(sushiQuery) ?? (await credentials(sushiQuery, found.journal));
    if (denied) return fail(reply, denied);
    const { values: query, conflicting } = sushiQuery;
    const twice = (names: string[]) => conflicting.filter((name) => names.includes(name));
    const datesTwice = twice(['begin_date', 'end_date']);
    if (datesTwice.length > 0) return fail(reply, sushiException(3020, undefined, `${datesTwice.join(' and ')} given more than once with different values`));
    const dates = parseReportDates(query.begin_date, query.end_date, clock.now());
    if (isSushiException(dates)) return fail(reply, dates);
    // A filter or attribute given twice, differently, is ignored like an invalid value of it.
    const ignored = [
      ...(twice(['platform']).length > 0 ? [sushiException(3060, undefined, 'platform given more than once with different values')] : []),
      ...twice(ATTRIBUTE_PARAMETERS).map((name) => sushiException(3062, undefined, `${name} given more than once with different values`)),
    ];
    const from = monthStart(dates.beginDate.slice(0, 7));
    const to = monthStart(nextMonth(dates.endDate.slice(0, 7)));
    // Months not yet complete are not read at all: their counts would change.
    const metrics = dates.notReady ? [] : await itemMetrics(db, { journalId: found.journal.id, from, to });
    const ids = [...new Set(metrics.map((m) => m.articleId))];
    const list = (name: string) => (query[name] ? query[name].split('|').filter(Boolean) : undefined);
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
      unrecognized: [...Object.keys(query), ...conflicting].filter((k) => !KNOWN_PARAMETERS.has(k)),
      exceptions: [...dates.exceptions, ...ignored],
      notReady: dates.notReady === true,
    });
    return send(reply, report);
  });
}
