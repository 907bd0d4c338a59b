import { MONTH, parseDate, sushiException, timestamp, type SushiException } from './sushi-exceptions.ts';
import type { AccessType, ItemMetricType, MetricType, ReportId, UsageRow, InstitutionId, ReportContext, ReportParams, ReportInfo } from './sushi-types.ts';

/** The six COUNTER R5.1 reports Revista offers, built from monthly usage rows (see sushi.ts for the readings of the CoP). */
// ---------------------------------------------------------------------------------------------------
// Reports

const ITEM_METRICS: readonly ItemMetricType[] = ['Total_Item_Investigations', 'Total_Item_Requests', 'Unique_Item_Investigations', 'Unique_Item_Requests'];
const REQUESTS: readonly ItemMetricType[] = ['Total_Item_Requests', 'Unique_Item_Requests'];
const TITLE_METRICS = ['Unique_Title_Investigations', 'Unique_Title_Requests'];
const DENIALS = ['Limit_Exceeded', 'No_License'];
/** Data_Type values the schema permits in TR and IR filters; PR permits both and Platform. */
export const TITLE_DATA_TYPES = ['Book', 'Conference', 'Journal', 'Newspaper_or_Newsletter', 'Other', 'Patent', 'Reference_Work', 'Report', 'Standard', 'Thesis_or_Dissertation', 'Unspecified'];
export const ITEM_DATA_TYPES = ['Article', 'Audiovisual', 'Book_Segment', 'Conference_Item', 'Database_Full_Item', 'Dataset', 'Image', 'Interactive_Resource', 'Multimedia', 'News_Item', 'Other', 'Patent', 'Reference_Item', 'Report', 'Software', 'Sound', 'Standard', 'Thesis_or_Dissertation', 'Unspecified'];
const PLATFORM_DATA_TYPES = [...new Set([...TITLE_DATA_TYPES, ...ITEM_DATA_TYPES, 'Platform'])];
const ACCESS_TYPES: readonly string[] = ['Controlled', 'Open', 'Free_To_Read'];
const ACCESS_METHODS: readonly string[] = ['Regular', 'TDM'];

/** Columns of Attribute_Performance, in output order. */
type Column = 'Data_Type' | 'YOP' | 'Access_Type' | 'Access_Method' | 'Customer_ID' | 'Institution_Name';
const COLUMNS: readonly Column[] = ['Data_Type', 'YOP', 'Access_Type', 'Access_Method', 'Customer_ID', 'Institution_Name'];

interface Definition {
  name: string;
  description: string;
  level: 'platform' | 'title' | 'item';
  dataType: 'Article' | 'Journal';
  /** Metric_Types reported for Revista's content, in output order. */
  metrics: readonly ItemMetricType[];
  /** Standard View: fixed filters and columns, no parameters but the dates. */
  view?: { filters: Omit<ReportFilters, 'Begin_Date' | 'End_Date'>; columns: Column[] };
  /** COUNTER Report: permitted filter values, Attributes_To_Show Revista supports. */
  master?: { metricTypes: readonly string[]; dataTypes: readonly string[]; titleFilters: boolean; attributes: readonly string[] };
}

// Usage reported in the TR must have the same Data_Type in the PR (§3.3.3), so platform usage is Journal.
const REPORTS: Record<ReportId, Definition> = {
  PR: {
    name: 'Platform Report', level: 'platform', dataType: 'Journal', metrics: ITEM_METRICS,
    description: 'A customizable report summarizing activity across a report provider’s platforms that allows the user to apply filters and select other configuration options.',
    master: { metricTypes: ['Searches_Platform', ...ITEM_METRICS, ...TITLE_METRICS], dataTypes: PLATFORM_DATA_TYPES, titleFilters: false, attributes: ['Access_Method', 'Institution_Name', 'Customer_ID'] },
  },
  PR_P1: {
    name: 'Platform Usage', level: 'platform', dataType: 'Journal', metrics: REQUESTS,
    description: 'Platform-level usage summarized by Metric_Type.',
    view: { columns: ['Data_Type'], filters: { Access_Method: ['Regular'], Metric_Type: ['Searches_Platform', 'Total_Item_Requests', 'Unique_Item_Requests', 'Unique_Title_Requests'] } },
  },
  TR: {
    name: 'Title Report', level: 'title', dataType: 'Journal', metrics: ITEM_METRICS,
    description: 'A customizable report detailing activity at the title level (journal, book, etc.) that allows the user to apply filters and select other configuration options.',
    master: { metricTypes: [...ITEM_METRICS, ...TITLE_METRICS, ...DENIALS], dataTypes: TITLE_DATA_TYPES, titleFilters: true, attributes: ['YOP', 'Access_Type', 'Access_Method', 'Institution_Name', 'Customer_ID'] },
  },
  TR_J3: {
    name: 'Journal Usage by Access Type', level: 'title', dataType: 'Journal', metrics: ITEM_METRICS,
    description: 'Reports on usage of journal content for all Metric_Types broken down by Access_Type.',
    view: { columns: ['Access_Type'], filters: { Access_Method: ['Regular'], Data_Type: ['Journal'], Metric_Type: [...ITEM_METRICS] } },
  },
  IR: {
    name: 'Item Report', level: 'item', dataType: 'Article', metrics: ITEM_METRICS,
    description: 'A granular, customizable report showing activity at the level of the item (article, chapter, media object, etc.) that allows the user to apply filters and select other configuration options.',
    master: { metricTypes: [...ITEM_METRICS, ...DENIALS], dataTypes: ITEM_DATA_TYPES, titleFilters: true, attributes: ['YOP', 'Access_Type', 'Access_Method', 'Authors', 'Publication_Date', 'Article_Version', 'Institution_Name', 'Customer_ID'] },
  },
  IR_A1: {
    name: 'Journal Article Requests', level: 'item', dataType: 'Article', metrics: REQUESTS,
    description: 'Reports on journal article requests at the article level. This report is limited to content with a Data_Type of Article and Metric_Types of Total_Item_Requests and Unique_Item_Requests.',
    view: { columns: ['Access_Type'], filters: { Access_Method: ['Regular'], Data_Type: ['Article'], Metric_Type: [...REQUESTS] } },
  },
};

export const SUPPORTED_REPORTS = Object.keys(REPORTS) as ReportId[];

/** A path segment such as `tr_j3` → its Report_ID, if Revista offers that report (else answer 404). */
export function reportIdOf(path: string): ReportId | undefined {
  return SUPPORTED_REPORTS.find((id) => id.toLowerCase() === path);
}

/** GET /r51/reports; ctx.beginDate–endDate are the months with processed usage. */
export function reportsList(ctx: ReportContext): ReportInfo[] {
  return SUPPORTED_REPORTS.map((id) => ({
    Report_Name: REPORTS[id].name,
    Report_ID: id,
    Release: '5.1',
    Report_Description: REPORTS[id].description,
    Path: `/r51/reports/${id.toLowerCase()}`,
    First_Month_Available: ctx.beginDate.slice(0, 7),
    Last_Month_Available: ctx.endDate.slice(0, 7),
  }));
}

export type Counts = Record<string, number>;
export type Performance = Partial<Record<MetricType, Counts>>;

export interface ReportFilters {
  Begin_Date: string;
  End_Date: string;
  Platform?: string;
  Data_Type?: string[];
  Metric_Type?: string[];
  Access_Type?: string[];
  Access_Method?: string[];
  YOP?: string[];
}

export interface ReportAttributes {
  Attributes_To_Show?: string[];
  Include_Parent_Details?: 'True';
  Granularity?: 'Totals';
}

export interface ReportHeader {
  Release: '5.1';
  Report_ID: ReportId;
  Report_Name: string;
  Created: string;
  Created_By: string;
  Institution_ID: InstitutionId;
  Institution_Name: string;
  Registry_Record: string;
  Report_Attributes?: ReportAttributes;
  Report_Filters: ReportFilters;
  Exceptions?: SushiException[];
}

export type AttributePerformance = Partial<Record<Column, string>> & { Performance: Performance };
export interface ItemId { DOI?: string; Online_ISSN?: string; Print_ISSN?: string; Proprietary: string }
export interface PlatformItem { Platform: string; Attribute_Performance: AttributePerformance[] }
export interface TitleItem { Title: string; Publisher: string; Platform: string; Item_ID: ItemId; Attribute_Performance: AttributePerformance[] }
export interface ArticleItem {
  Item: string;
  Publisher: string;
  Platform: string;
  Authors?: { Name: string; ORCID?: string }[];
  Publication_Date?: string;
  Article_Version?: 'VoR';
  Item_ID: ItemId;
  Attribute_Performance: AttributePerformance[];
}
/** An IR/IR_A1 entry: the articles of one journal, or (IR without parent details) all articles. */
export interface ItemGroup { Title?: string; Item_ID?: ItemId; Data_Type?: 'Journal'; Items: ArticleItem[] }
export interface CounterReport {
  Report_Header: ReportHeader;
  Report_Items: (PlatformItem | TitleItem | ItemGroup)[];
}

/** Values of a multi-valued parameter, pipe-separated or repeated, without duplicates. */
const values = (input: string | string[] | undefined) => [...new Set([input ?? []].flat().flatMap((v) => v.split('|')).map((v) => v.trim()).filter(Boolean))];

/** The permitted values among those requested; the others are noted for Exception 3060. */
function permitted(input: string | string[] | undefined, allowed: readonly string[], name: string, rejected: string[]): string[] | undefined {
  const requested = values(input);
  for (const v of requested) if (!allowed.includes(v)) rejected.push(`${name}=${v}`);
  const kept = requested.filter((v) => allowed.includes(v));
  return kept.length > 0 ? kept : undefined;
}

/** `2021|2015-2019` → the filter to echo and the ranges to apply. */
function parseYop(input: string | undefined, rejected: string[]): { filter?: string[]; ranges: [number, number][] } {
  const ranges: [number, number][] = [];
  const filter: string[] = [];
  for (const v of values(input)) {
    const m = /^(\d{4})(?:-(\d{4}))?$/.exec(v);
    const range: [number, number] | undefined = m ? [Number(m[1]), Number(m[2] ?? m[1])] : undefined;
    if (range && range[0] <= range[1]) {
      ranges.push(range);
      filter.push(v);
    } else {
      rejected.push(`yop=${v}`);
    }
  }
  return filter.length > 0 ? { filter, ranges } : { ranges };
}

/** What a request asks for, after dropping what cannot be applied (with the exceptions saying so). */
interface Request {
  filters: ReportFilters;
  attributes: ReportAttributes;
  columns: readonly Column[];
  shown: string[];
  metrics: readonly ItemMetricType[];
  keep: (row: UsageRow) => boolean;
  totals: boolean;
  exceptions: SushiException[];
}

function readRequest(id: ReportId, def: Definition, ctx: ReportContext, params: ReportParams): Request {
  const request: Request = {
    filters: { Begin_Date: ctx.beginDate, End_Date: ctx.endDate, ...structuredClone(def.view?.filters) },
    attributes: {},
    columns: def.view?.columns ?? ['Data_Type'],
    shown: [],
    metrics: def.metrics,
    keep: () => true,
    totals: false,
    exceptions: [...(params.exceptions ?? [])],
  };
  if (params.platform && params.platform.length >= 2) request.filters.Platform = params.platform;
  const given = {
    metric_type: params.metricTypes, data_type: params.dataType, access_type: params.accessType, yop: params.yop, access_method: params.accessMethod,
    attributes_to_show: params.attributesToShow, granularity: params.granularity, include_parent_details: params.includeParentDetails, include_component_details: params.includeComponentDetails,
  };
  const isGiven = (name: keyof typeof given) => {
    const value = given[name];
    return value !== undefined && value !== false && value !== '' && !(Array.isArray(value) && value.length === 0);
  };
  const unrecognized = [...(params.unrecognized ?? [])];
  const badFilters: string[] = [];
  const badAttributes: string[] = [];
  const master = def.master;
  if (!master) {
    // Standard Views take no parameters but the dates.
    unrecognized.push(...(Object.keys(given) as (keyof typeof given)[]).filter(isGiven));
  } else {
    const { filters, attributes } = request;
    const notHere = master.titleFilters ? [] : (['access_type', 'yop'] as const);
    unrecognized.push(...notHere.filter(isGiven), ...(id === 'IR' ? [] : (['include_parent_details', 'include_component_details'] as const).filter(isGiven)));
    const metricTypes = permitted(params.metricTypes, master.metricTypes, 'metric_type', badFilters);
    const dataTypes = permitted(params.dataType, master.dataTypes, 'data_type', badFilters);
    const methods = permitted(params.accessMethod, ACCESS_METHODS, 'access_method', badFilters);
    const accessTypes = master.titleFilters ? permitted(params.accessType, ACCESS_TYPES, 'access_type', badFilters) : undefined;
    const yop = master.titleFilters ? parseYop(params.yop, badFilters) : { ranges: [] };
    if (dataTypes) filters.Data_Type = dataTypes;
    if (metricTypes) filters.Metric_Type = metricTypes;
    if (accessTypes) filters.Access_Type = accessTypes;
    if (methods) filters.Access_Method = methods;
    if (yop.filter) filters.YOP = yop.filter;
    if (metricTypes) request.metrics = def.metrics.filter((m) => metricTypes.includes(m));
    request.keep = (row) =>
      (!dataTypes || dataTypes.includes(def.dataType)) &&
      (!methods || methods.includes('Regular')) &&
      (!accessTypes || accessTypes.includes(row.accessType)) &&
      (!yop.filter || yop.ranges.some(([from, to]) => row.yop >= from && row.yop <= to));

    for (const attribute of values(params.attributesToShow)) {
      const supported = master.attributes.includes(attribute) && (attribute !== 'Customer_ID' || ctx.customerId);
      (supported ? request.shown : badAttributes).push(attribute);
    }
    request.columns = COLUMNS.filter((c) => c === 'Data_Type' || request.shown.includes(c));
    if (request.shown.length > 0) attributes.Attributes_To_Show = request.shown;
    if (params.granularity === 'Totals' || params.granularity === 'Total') {
      request.totals = true;
      attributes.Granularity = 'Totals';
    } else if (params.granularity !== undefined && params.granularity !== 'Month') {
      badAttributes.push(`granularity=${params.granularity}`);
    }
    if (id === 'IR' && params.includeParentDetails) attributes.Include_Parent_Details = 'True';
    if (id === 'IR' && params.includeComponentDetails) request.exceptions.push(sushiException(3063));
  }
  if (unrecognized.length > 0) request.exceptions.push(sushiException(3050, undefined, unrecognized.join(', ')));
  if (badFilters.length > 0) request.exceptions.push(sushiException(3060, undefined, badFilters.join(', ')));
  if (badAttributes.length > 0) request.exceptions.push(sushiException(3062, undefined, badAttributes.join(', ')));
  return request;
}

const DOI = /^10\.[1-9][0-9]{2}[0-9.]*\/.+$/;
const ISSN = /^[0-9]{4}-[0-9]{3}[0-9X]$/;
const ORCID = /^[0-9]{4}-[0-9]{4}-[0-9]{4}-[0-9]{3}[0-9X]$/;

function articleId(row: UsageRow, ns: string): ItemId {
  const doi = row.doi?.trim().replace(/^(https?:\/\/(dx\.)?doi\.org\/|doi:)/i, '');
  return doi && DOI.test(doi) ? { DOI: doi, Proprietary: `${ns}:article/${row.itemId}` } : { Proprietary: `${ns}:article/${row.itemId}` };
}

function journalId(row: UsageRow, ns: string): ItemId {
  const id: ItemId = { Proprietary: `${ns}:journal/${row.titleId}` };
  const online = row.titleIssn?.online?.trim().toUpperCase();
  const print = row.titleIssn?.print?.trim().toUpperCase();
  if (online && ISSN.test(online)) id.Online_ISSN = online;
  if (print && ISSN.test(print)) id.Print_ISSN = print;
  return id;
}

interface Bucket { attributes: Partial<Record<Column, string>>; counts: Map<ItemMetricType, Map<string, number>> }
interface Group { row: UsageRow; performance: AttributePerformance[] }

/** Adds rows up per group (platform, journal or article) and per combination of shown attributes. */
function tally(rows: UsageRow[], groupOf: (row: UsageRow) => number, attributesOf: (row: UsageRow) => Partial<Record<Column, string>>, metrics: readonly ItemMetricType[], monthKey: (row: UsageRow) => string) {
  const groups = new Map<number, { row: UsageRow; buckets: Map<string, Bucket> }>();
  for (const row of rows) {
    let group = groups.get(groupOf(row));
    if (!group) groups.set(groupOf(row), (group = { row, buckets: new Map() }));
    const attributes = attributesOf(row);
    const key = JSON.stringify(attributes);
    let bucket = group.buckets.get(key);
    if (!bucket) group.buckets.set(key, (bucket = { attributes, counts: new Map() }));
    for (const metric of metrics) {
      const n = row.metrics[metric] ?? 0;
      if (n === 0) continue;
      let months = bucket.counts.get(metric);
      if (!months) bucket.counts.set(metric, (months = new Map()));
      months.set(monthKey(row), (months.get(monthKey(row)) ?? 0) + n);
    }
  }
  return groups;
}

/** Attribute_Performance of one group, zero usage left out (CoP §3.3.9). */
function attributePerformance(buckets: Map<string, Bucket>, metrics: readonly ItemMetricType[]): AttributePerformance[] {
  const out: AttributePerformance[] = [];
  for (const key of [...buckets.keys()].sort()) {
    const { attributes, counts } = buckets.get(key)!;
    const performance: Performance = {};
    for (const metric of metrics) {
      const months = [...(counts.get(metric) ?? [])].filter(([, n]) => n > 0).sort(([a], [b]) => (a < b ? -1 : 1));
      if (months.length > 0) performance[metric] = Object.fromEntries(months);
    }
    if (Object.keys(performance).length > 0) out.push({ ...attributes, Performance: performance });
  }
  return out;
}

function checkRow(row: UsageRow): void {
  const where = `usage row for item ${row.itemId}, ${row.month}`;
  if (!MONTH.test(row.month)) throw new RangeError(`usage row for item ${row.itemId}: month must be yyyy-mm, got ${JSON.stringify(row.month)}`);
  if (!Number.isInteger(row.yop) || row.yop < 1 || row.yop > 9999) throw new RangeError(`${where}: yop must be a year, got ${row.yop}`);
  for (const [metric, n] of Object.entries(row.metrics)) {
    if (!Number.isInteger(n) || n! < 0) throw new RangeError(`${where}: ${metric} must be a whole number ≥ 0, got ${n}`);
  }
}

const byName = new Intl.Collator('en');
const byTitle = (a: Group, b: Group) => byName.compare(a.row.titleName, b.row.titleName) || a.row.titleId - b.row.titleId;
const byItem = (a: Group, b: Group) => byTitle(a, b) || byName.compare(a.row.itemName, b.row.itemName) || a.row.itemId - b.row.itemId;

/** IR and IR_A1 entries: articles, under their journal unless IR was asked without parent details. */
function articleEntries(id: ReportId, groups: Group[], request: Request, ctx: ReportContext, withParents: boolean): ItemGroup[] {
  const show = (attribute: string) => id === 'IR_A1' || request.shown.includes(attribute);
  const article = ({ row, performance }: Group): ArticleItem => {
    const authors = (row.authors ?? []).map((a) => ({ name: a.name.trim(), orcid: a.orcid?.trim().replace(/^https?:\/\/orcid\.org\//, '') })).filter((a) => a.name.length >= 2);
    const date = row.publicationDate && parseDate(row.publicationDate)?.[1] ? row.publicationDate : undefined;
    return {
      Item: row.itemName,
      Publisher: row.publisher ?? '',
      Platform: ctx.platformName,
      // COUNTER lists at most three authors.
      ...(show('Authors') && authors.length > 0 ? { Authors: authors.slice(0, 3).map((a) => (a.orcid && ORCID.test(a.orcid) ? { Name: a.name, ORCID: a.orcid } : { Name: a.name })) } : {}),
      ...(show('Publication_Date') && date ? { Publication_Date: date } : {}),
      // Revista publishes the Version of Record.
      ...(show('Article_Version') ? { Article_Version: 'VoR' as const } : {}),
      Item_ID: articleId(row, ctx.platform),
      Attribute_Performance: performance,
    };
  };
  const sorted = [...groups].sort(byItem);
  if (!withParents) return sorted.length > 0 ? [{ Items: sorted.map(article) }] : [];
  // "All Items with the same Parent MUST be included in a single Parent_Item object."
  const parents = new Map<number, ItemGroup>();
  for (const group of sorted) {
    const { row } = group;
    if (!parents.has(row.titleId)) {
      parents.set(row.titleId, { Title: row.titleName, Item_ID: journalId(row, ctx.platform), ...(id === 'IR' ? { Data_Type: 'Journal' as const } : {}), Items: [] });
    }
    parents.get(row.titleId)!.Items.push(article(group));
  }
  return [...parents.values()];
}

/**
 * One of the six reports Revista offers, from usage rows of any months (those outside the period of
 * ctx.beginDate–endDate are ignored). Parameters that cannot be applied are ignored and named in
 * the header's Exceptions, as Appendix D asks, so this always returns a report.
 */
export function buildReport(id: ReportId, rows: UsageRow[], ctx: ReportContext, params: ReportParams = {}): CounterReport {
  const def = REPORTS[id];
  if (!def) throw new RangeError(`${id} is not a report Revista offers`);
  if (!/^[a-zA-Z][a-zA-Z0-9_./]{1,17}$/.test(ctx.platform)) throw new RangeError(`platform ${JSON.stringify(ctx.platform)} cannot name a COUNTER namespace: use 2–18 letters, digits, _ . or /, a letter first`);
  const institutionId = ctx.institutionId ?? (ctx.customerId ? { Proprietary: [`${ctx.platform}:${ctx.customerId}`] } : undefined);
  if (!institutionId) throw new RangeError('a COUNTER report needs Institution_ID: give ctx.customerId or ctx.institutionId');
  rows.forEach(checkRow);
  const request = readRequest(id, def, ctx, params);

  const begin = ctx.beginDate.slice(0, 7);
  const end = ctx.endDate.slice(0, 7);
  const selected = rows.filter((row) => row.month >= begin && row.month <= end && request.keep(row));
  const column: Record<Column, (row: UsageRow) => string | undefined> = {
    Data_Type: () => def.dataType,
    YOP: (row) => String(row.yop).padStart(4, '0'),
    Access_Type: (row) => row.accessType,
    Access_Method: () => 'Regular',
    Customer_ID: () => ctx.customerId,
    Institution_Name: () => ctx.institutionName,
  };
  const attributesOf = (row: UsageRow) => Object.fromEntries(request.columns.map((c) => [c, column[c](row)]));
  const groupOf = { platform: () => 0, title: (row: UsageRow) => row.titleId, item: (row: UsageRow) => row.itemId }[def.level];
  const groups: Group[] = [...tally(selected, groupOf, attributesOf, request.metrics, (row) => (request.totals ? begin : row.month)).values()]
    .map(({ row, buckets }) => ({ row, performance: attributePerformance(buckets, request.metrics) }))
    .filter((g) => g.performance.length > 0);

  const items: CounterReport['Report_Items'] =
    def.level === 'platform'
      ? groups.map((g) => ({ Platform: ctx.platformName, Attribute_Performance: g.performance }))
      : def.level === 'title'
        ? groups.sort(byTitle).map(({ row, performance }) => ({ Title: row.titleName, Publisher: row.publisher ?? '', Platform: ctx.platformName, Item_ID: journalId(row, ctx.platform), Attribute_Performance: performance }))
        : articleEntries(id, groups, request, ctx, id === 'IR_A1' || Boolean(params.includeParentDetails));
  if (items.length === 0 && !params.notReady) request.exceptions.push(sushiException(3030, undefined, `${ctx.beginDate} to ${ctx.endDate}`));

  const exceptions = [...new Map(request.exceptions.map((e) => [JSON.stringify(e), e])).values()];
  const header: ReportHeader = {
    Release: '5.1',
    Report_ID: id,
    Report_Name: def.name,
    Created: timestamp(ctx.created),
    Created_By: ctx.createdBy,
    Institution_ID: institutionId,
    Institution_Name: ctx.institutionName,
    // Required in report headers; empty for a platform without a Registry record.
    Registry_Record: ctx.registryRecord ?? '',
    ...(Object.keys(request.attributes).length > 0 ? { Report_Attributes: request.attributes } : {}),
    Report_Filters: request.filters,
    ...(exceptions.length > 0 ? { Exceptions: exceptions } : {}),
  };
  return { Report_Header: header, Report_Items: items };
}

