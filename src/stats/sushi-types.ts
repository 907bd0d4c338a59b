import type { SushiException } from './sushi-exceptions.ts';

/**
 * COUNTER R5.1 COUNTER_SUSHI API answers as pure functions: monthly usage rows in, JSON out, shaped by
 * `COUNTER_API_r51.json` (components.schemas Status, Member, Report, PR, PR_P1, TR, TR_J3, IR, IR_A1).
 *
 * Readings of the Code of Practice:
 * - Articles are Data_Type Article in IR, their usage Data_Type Journal in TR and, since usage in the TR
 *   keeps its Data_Type in the PR (§3.3.3), in PR too. All access is Access_Method Regular.
 *   Unique_Title_* apply only to books, so none of these reports carries them.
 * - Zero usage (§3.3.9): months with 0 are left out of Counts, then empty metrics, Performance,
 *   Attribute_Performance and Report_Items. A report left empty says so with Exception 3030.
 * - Granularity: §3.3.7 says Month or Totals; the R5.1 OpenAPI file said "Total" until Project-Counter/cop5
 *   #293/#295 (Jan 2025), so "Totals" is written and both are read. Counts take only yyyy-mm keys, so a
 *   total is one entry keyed by the first month of the reporting period.
 * - Exceptions (Appendix D): R5.1 has no Severity and no 3000 (an unknown report is an invalid path: HTTP
 *   404); 3062 is Invalid ReportAttribute Value, 3070 Required ReportFilter Missing.
 */

export type AccessType = 'Controlled' | 'Open' | 'Free_To_Read';
export type ItemMetricType = 'Total_Item_Investigations' | 'Total_Item_Requests' | 'Unique_Item_Investigations' | 'Unique_Item_Requests';
export type MetricType = ItemMetricType | 'Unique_Title_Investigations' | 'Unique_Title_Requests';
export type ReportId = 'PR' | 'PR_P1' | 'TR' | 'TR_J3' | 'IR' | 'IR_A1';

/** Usage of one article in one month (several rows for the same article and month are added up). */
export interface UsageRow {
  itemId: number;
  itemName: string;
  doi?: string | null;
  yop: number;
  accessType: AccessType;
  titleId: number;
  titleName: string;
  titleIssn?: { online?: string | null; print?: string | null };
  /** The journal's publisher; COUNTER requires the element, empty when unknown. */
  publisher?: string | null;
  /** Shown in IR (Attributes_To_Show=Authors) and IR_A1; COUNTER lists at most three. */
  authors?: { name: string; orcid?: string | null }[];
  /** yyyy-mm-dd, shown in IR (Attributes_To_Show=Publication_Date) and IR_A1. */
  publicationDate?: string | null;
  /** yyyy-mm */
  month: string;
  metrics: Partial<Record<MetricType, number>>;
}

export interface InstitutionId {
  ISNI?: string[];
  ROR?: string[];
  ISIL?: string[];
  OCLC?: string[];
  Proprietary?: string[];
}

export interface ReportContext {
  /** Platform ID, also the namespace of proprietary IDs (`revista:article/1786`): 2–18 of [A-Za-z0-9_./], a letter first. */
  platform: string;
  platformName: string;
  institutionName: string;
  created: Date;
  createdBy: string;
  /** yyyy-mm-dd, as `parseReportDates` returns them. For `reportsList`, the months with processed usage. */
  beginDate: string;
  endDate: string;
  customerId?: string;
  /** Defaults to `{ Proprietary: ['{platform}:{customerId}'] }`; one of the two is needed for a report. */
  institutionId?: InstitutionId;
  /** The platform's COUNTER Registry record, if it has one. */
  registryRecord?: string;
}

export interface ReportParams {
  metricTypes?: string[];
  attributesToShow?: string[];
  granularity?: 'Month' | 'Totals' | 'Total';
  /** Pipe-separated Data_Types. */
  dataType?: string;
  /** Pipe-separated years and ranges: `2021|2015-2019`. */
  yop?: string;
  accessType?: string[];
  accessMethod?: string[];
  /** The request's `platform`, echoed as the Platform filter. */
  platform?: string;
  /** IR only. */
  includeParentDetails?: boolean;
  includeComponentDetails?: boolean;
  /** Names of request parameters the route did not recognise (Exception 3050). */
  unrecognized?: string[];
  /** Exceptions found earlier, e.g. 3031 from `parseReportDates`. */
  exceptions?: SushiException[];
  /** No month asked for is complete yet (3031 says so): an empty report is not also "no usage" (3030). */
  notReady?: boolean;
}

export interface ReportInfo {
  Report_Name: string;
  Report_ID: ReportId;
  Release: '5.1';
  Report_Description: string;
  Path: string;
  First_Month_Available: string;
  Last_Month_Available: string;
}
