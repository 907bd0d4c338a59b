import { Readable } from 'node:stream';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { findJournal, listJournals, loadPublishedArticles, type JournalSummary } from '../../catalog/index.ts';
import { NotFoundError } from '../../platform/http/index.ts';
import { localize } from '../../i18n/index.ts';
import { JOURNAL_PATH } from '../../platform/web/index.ts';
import type { DiscoveryDeps } from '../deps.ts';
import { formatFor, METADATA_FORMATS, type MetadataFormat } from '../formats/index.ts';
import { escapeXml } from '../xml.ts';
import { datestamp, decodeToken, encodeToken, OaiError, parseRange, parseRequest, TOKEN_LIFETIME_MS, type ListState, type OaiRequest, type Range } from './protocol.ts';
import { countHeaders, earliestDatestamp, findHeader, listHeaders, listSets, type RecordHeader, type SetFilter } from './repository.ts';

/**
 * The OAI-PMH 2.0 data provider: `/oai` for the whole site, `/{journal}/oai` for one journal, by
 * GET or POST. Lists are keyset-paginated by (datestamp, article id) with stateless signed
 * resumption tokens, and each answer is streamed record by record, so memory stays flat however
 * large the repository.
 */
export function oaiRoutes(plain: FastifyInstance, deps: DiscoveryDeps): void {
  const host = new URL(deps.baseUrl).hostname;
  const identifierPrefix = `oai:${host}:article/`;

  // Only the path is checked by a schema: OAI-PMH's arguments (query or form body) are read by the
  // protocol's own code, which answers a bad one with its badArgument error, not an HTTP 400.
  const handle = async (journalPath: string | undefined, request: FastifyRequest, reply: FastifyReply) => {
    const journal = journalPath === undefined ? undefined : await findJournal(deps.db, journalPath);
    if (journalPath !== undefined && !journal) throw new NotFoundError(`no journal ${journalPath}`);
    const baseUrl = `${deps.baseUrl}${journal ? `/${journal.path}` : ''}/oai`;
    const pairs = requestPairs(request);
    reply.type('text/xml; charset=utf-8').header('cache-control', 'no-store');
    let parsed: OaiRequest;
    try {
      parsed = parseRequest(pairs);
    } catch (error) {
      if (!(error instanceof OaiError)) throw error;
      // badVerb and badArgument answers echo only the base URL, without the request's arguments (OAI-PMH 3.2).
      return reply.send(envelope(baseUrl, undefined, errorXml(error)));
    }
    try {
      const body = await answer(parsed, journal, baseUrl);
      return reply.send(Readable.from(body));
    } catch (error) {
      if (!(error instanceof OaiError)) throw error;
      const echo = error.code === 'badArgument' ? undefined : parsed;
      return reply.send(envelope(baseUrl, echo, errorXml(error)));
    }
  };

  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  app.get('/oai', { config: { csrf: false } }, (request, reply) => handle(undefined, request, reply));
  app.post('/oai', { config: { csrf: false } }, (request, reply) => handle(undefined, request, reply));
  const params = Type.Object({ journal: Type.String({ pattern: JOURNAL_PATH }) });
  app.get('/:journal/oai', { config: { csrf: false }, schema: { params } }, (request, reply) => handle(request.params.journal, request, reply));
  app.post('/:journal/oai', { config: { csrf: false }, schema: { params } }, (request, reply) => handle(request.params.journal, request, reply));

  function identifierOf(articleId: number): string {
    return `${identifierPrefix}${articleId}`;
  }

  function articleIdOf(identifier: string): number {
    if (!identifier.startsWith(identifierPrefix)) throw new OaiError('idDoesNotExist', `${identifier} is not an identifier of this repository`);
    const id = identifier.slice(identifierPrefix.length);
    if (!/^[1-9]\d{0,9}$/.test(id)) throw new OaiError('idDoesNotExist', `${identifier} is not an identifier of this repository`);
    return Number(id);
  }

  /** Resolves a setSpec to its journal (and section) within this endpoint's scope. */
  async function setFilter(spec: string | undefined, journal: JournalSummary | undefined): Promise<SetFilter> {
    if (spec === undefined) return journal ? { journalId: journal.id } : {};
    const match = /^([a-z0-9][a-z0-9-]*)(?::section-(\d{1,9}))?$/.exec(spec);
    const sets = await listSets(deps.db, journal?.id);
    const target = match ? sets.find((s) => s.journalPath === match[1]) : undefined;
    if (!match || !target) throw new OaiError('noRecordsMatch', `there is no set ${spec}`);
    if (match[2] === undefined) return { journalId: target.journalId };
    const section = target.sections.find((s) => s.id === Number(match[2]));
    if (!section) throw new OaiError('noRecordsMatch', `there is no set ${spec}`);
    return { journalId: target.journalId, sectionId: section.id };
  }

  async function answer(request: OaiRequest, journal: JournalSummary | undefined, baseUrl: string): Promise<AsyncIterable<string>> {
    const { verb, args } = request;
    const scope = journal?.path ?? '';
    switch (verb) {
      case 'Identify':
        return once(envelope(baseUrl, request, await identify(journal, baseUrl)));
      case 'ListMetadataFormats': {
        if (args.identifier) {
          const header = await findHeader(deps.db, articleIdOf(args.identifier), journal?.id);
          if (!header) throw new OaiError('idDoesNotExist', `${args.identifier} is not in this repository`);
        }
        const formats = METADATA_FORMATS.map(
          (f) => `<metadataFormat><metadataPrefix>${f.prefix}</metadataPrefix><schema>${f.schema}</schema><metadataNamespace>${f.namespace}</metadataNamespace></metadataFormat>`,
        ).join('');
        return once(envelope(baseUrl, request, `<ListMetadataFormats>${formats}</ListMetadataFormats>`));
      }
      case 'ListSets': {
        if (args.resumptionToken) decodeToken(args.resumptionToken, deps.secret, new Date(), { verb: 'ListSets', scope });
        const sets = await listSets(deps.db, journal?.id);
        const xml = sets
          .flatMap((j) => [
            setXml(j.journalPath, localize(j.journalName, j.primaryLocale)?.text ?? j.journalPath),
            ...j.sections.map((s) => setXml(`${j.journalPath}:section-${s.id}`, localize(s.title, j.primaryLocale)?.text ?? `${s.id}`)),
          ])
          .join('');
        return once(envelope(baseUrl, request, `<ListSets>${xml}</ListSets>`));
      }
      case 'GetRecord': {
        const format = formatFor(args.metadataPrefix!);
        if (!format) throw new OaiError('cannotDisseminateFormat', `the metadata format ${args.metadataPrefix} is not offered`);
        const header = await findHeader(deps.db, articleIdOf(args.identifier!), journal?.id);
        if (!header) throw new OaiError('idDoesNotExist', `${args.identifier} is not in this repository`);
        const [record] = await records([header], format);
        return once(envelope(baseUrl, request, `<GetRecord>${record}</GetRecord>`));
      }
      case 'ListIdentifiers':
      case 'ListRecords':
        return list(request, journal, baseUrl, scope);
    }
  }

  async function list(request: OaiRequest, journal: JournalSummary | undefined, baseUrl: string, scope: string): Promise<AsyncIterable<string>> {
    const verb = request.verb as 'ListIdentifiers' | 'ListRecords';
    const now = new Date();
    let state: ListState;
    if (request.args.resumptionToken) {
      state = decodeToken(request.args.resumptionToken, deps.secret, now, { verb, scope });
    } else {
      const prefix = request.args.metadataPrefix!;
      if (!formatFor(prefix)) throw new OaiError('cannotDisseminateFormat', `the metadata format ${prefix} is not offered`);
      const range = parseRange(request.args.from, request.args.until);
      const filter = await setFilter(request.args.set, journal);
      const total = await countHeaders(deps.db, range, filter);
      if (total === 0) throw new OaiError('noRecordsMatch', 'no records match these arguments');
      state = {
        verb,
        scope,
        metadataPrefix: prefix,
        ...(request.args.set ? { set: request.args.set } : {}),
        ...(range.from ? { from: range.from.toISOString() } : {}),
        ...(range.before ? { before: range.before.toISOString() } : {}),
        cursor: 0,
        completeListSize: total,
        expires: now.getTime() + TOKEN_LIFETIME_MS,
      };
    }
    const format = formatFor(state.metadataPrefix ?? '');
    if (!format) throw new OaiError('badResumptionToken', 'the resumption token names no known format');
    const range: Range = { ...(state.from ? { from: new Date(state.from) } : {}), ...(state.before ? { before: new Date(state.before) } : {}) };
    const filter = await setFilter(state.set, journal);
    const after: [Date, number] | undefined = state.after ? [new Date(state.after[0]), state.after[1]] : undefined;
    const page = await listHeaders(deps.db, range, filter, after, deps.oaiPageSize + 1);
    if (page.length === 0 && !state.after) throw new OaiError('noRecordsMatch', 'no records match these arguments');
    const more = page.length > deps.oaiPageSize;
    const headers = page.slice(0, deps.oaiPageSize);
    const last = headers.at(-1);
    const next: ListState | undefined = more && last ? { ...state, after: [last.datestamp.toISOString(), last.articleId], cursor: state.cursor + headers.length, expires: now.getTime() + TOKEN_LIFETIME_MS } : undefined;
    const token = next
      ? `<resumptionToken completeListSize="${state.completeListSize}" cursor="${state.cursor}" expirationDate="${datestamp(new Date(next.expires))}">${encodeToken(next, deps.secret)}</resumptionToken>`
      : state.cursor > 0
        ? `<resumptionToken completeListSize="${state.completeListSize}" cursor="${state.cursor}"/>`
        : '';
    const [head, tail] = envelope(baseUrl, request, '\u0000').split('\u0000') as [string, string];
    const self = records;
    const journals = await journalsById();
    return (async function* () {
      yield `${head}<${verb}>`;
      // One page's metadata is loaded in one round of queries; records go out one by one, so the
      // answer never sits whole in memory as a single string.
      const built = verb === 'ListRecords' ? await self(headers, format) : headers.map((h) => headerXml(h, journals));
      for (const record of built) yield record;
      yield `${token}</${verb}>${tail}`;
    })();
  }

  async function records(headers: RecordHeader[], format: MetadataFormat): Promise<string[]> {
    const live = headers.filter((h) => !h.deleted).map((h) => h.articleId);
    const [articles, journals] = await Promise.all([loadPublishedArticles(deps.db, live, undefined, { references: format.references }), journalsById()]);
    return headers.map((h) => {
      const article = articles.get(h.articleId);
      const journal = journals.get(h.journalId);
      // A record changed between listing and loading (just unpublished) is sent as deleted.
      if (h.deleted || !article || !journal) return `<record>${headerXml({ ...h, deleted: true }, journals)}</record>`;
      return `<record>${headerXml(h, journals)}<metadata>${format.build({ article, journal, baseUrl: deps.baseUrl })}</metadata></record>`;
    });
  }

  let journalCache: { at: number; map: Map<number, JournalSummary> } | undefined;
  async function journalsById(): Promise<Map<number, JournalSummary>> {
    if (!journalCache || deps.changes.generation() !== journalCache.at || !deps.changes.reliable()) {
      const at = deps.changes.generation();
      const all = await listJournals(deps.db);
      const full = await Promise.all(all.map((j) => findJournal(deps.db, j.path)));
      journalCache = { at, map: new Map(full.filter((j): j is JournalSummary => j !== undefined).map((j) => [j.id, j])) };
    }
    return journalCache.map;
  }

  /** A record's header; its sets come from the journals map, loaded by the caller. */
  function headerXml(h: RecordHeader, journals: Map<number, JournalSummary>): string {
    const path = journals.get(h.journalId)?.path;
    const sets = path ? `<setSpec>${path}</setSpec><setSpec>${path}:section-${h.sectionId}</setSpec>` : '';
    return `<header${h.deleted ? ' status="deleted"' : ''}><identifier>${identifierOf(h.articleId)}</identifier><datestamp>${datestamp(h.datestamp)}</datestamp>${sets}</header>`;
  }

  async function identify(journal: JournalSummary | undefined, baseUrl: string): Promise<string> {
    const site = await deps.db.selectFrom('site').select(['title', 'primary_locale', 'contact_email']).executeTakeFirst();
    const name = journal ? localize(journal.name, journal.primaryLocale)?.text : localize(site?.title, site?.primary_locale ?? 'pl')?.text;
    const journalContact = journal ? (await deps.db.selectFrom('journals').select('contact_email').where('id', '=', journal.id).executeTakeFirst())?.contact_email : undefined;
    const admin = await deps.db.selectFrom('role_assignments').innerJoin('users', 'users.id', 'role_assignments.user_id').select('users.email').where('role', '=', 'admin').orderBy('users.id').limit(1).executeTakeFirst();
    const email = [journalContact, site?.contact_email, admin?.email].find((e) => e && /^\S+@(\S+\.)+\S+$/.test(e)) ?? `oai@${host.includes('.') ? host : `${host}.invalid`}`;
    const earliest = (await earliestDatestamp(deps.db, journal?.id)) ?? new Date(0);
    const text = escapeXml;
    return (
      `<Identify><repositoryName>${text(name ?? 'Revista')}</repositoryName><baseURL>${text(baseUrl)}</baseURL><protocolVersion>2.0</protocolVersion>` +
      `<adminEmail>${text(email)}</adminEmail><earliestDatestamp>${datestamp(earliest)}</earliestDatestamp><deletedRecord>persistent</deletedRecord>` +
      `<granularity>YYYY-MM-DDThh:mm:ssZ</granularity></Identify>`
    );
  }
}

function setXml(spec: string, name: string): string {
  return `<set><setSpec>${spec}</setSpec><setName>${escapeXml(name)}</setName></set>`;
}

function errorXml(error: OaiError): string {
  return `<error code="${error.code}">${escapeXml(error.message)}</error>`;
}

/** Arguments as sent (query string for GET, form body for POST), as name/value pairs so repeats show. */
function requestPairs(request: FastifyRequest): Array<[string, string]> {
  if (request.method === 'POST') {
    // A form gives strings; a JSON body (not the protocol's, but Fastify reads it) may give anything,
    // including an object whose toString is not a function, which String() cannot convert.
    const text = (value: unknown) => (typeof value === 'string' ? value : (JSON.stringify(value) ?? ''));
    const body: unknown = request.body;
    const entries = body !== null && typeof body === 'object' ? Object.entries(body) : [];
    return entries.flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, text(x)] as [string, string]) : [[k, text(v)] as [string, string]]));
  }
  const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '';
  return [...new URLSearchParams(query)];
}

function envelope(baseUrl: string, request: OaiRequest | undefined, content: string): string {
  const attributes = request ? ` verb="${request.verb}"${Object.entries(request.args).map(([k, v]) => ` ${k}="${attr(v)}"`).join('')}` : '';
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/ http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd">' +
    `<responseDate>${datestamp(new Date())}</responseDate><request${attributes}>${attr(baseUrl)}</request>${content}</OAI-PMH>\n`
  );
}

const attr = escapeXml;

async function* once(text: string): AsyncIterable<string> {
  yield text;
}
