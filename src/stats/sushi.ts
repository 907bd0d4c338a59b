import { timestamp } from './sushi-exceptions.ts';
import type { InstitutionId, ReportContext, ReportInfo } from './sushi-types.ts';

/** COUNTER_SUSHI R5.1: status and members answers; the reports are in sushi-reports.ts, the rules in sushi-types.ts. */
// ---------------------------------------------------------------------------------------------------
// Status, members, report list

export interface Status {
  Description: string;
  Service_Active: boolean;
  Registry_Record?: string;
  Note?: string;
  Alerts?: { Date_Time: string; Alert: string }[];
}

/** RFC 3339 without milliseconds, like the samples. */

/** GET /r51/status */
export function statusResponse(ctx: ReportContext, options: { alerts?: { at: Date; message: string }[]; active?: boolean; note?: string } = {}): Status[] {
  const status: Status = { Description: `COUNTER usage reports for ${ctx.platformName}`, Service_Active: options.active ?? true };
  // "Report providers who do not have a Registry record MUST omit this element."
  if (ctx.registryRecord) status.Registry_Record = ctx.registryRecord;
  if (options.note) status.Note = options.note;
  if (options.alerts?.length) status.Alerts = options.alerts.map((a) => ({ Date_Time: timestamp(a.at), Alert: a.message }));
  return [status];
}

export interface Member {
  Customer_ID: string;
  Institution_Name: string;
  Institution_ID?: InstitutionId;
}

/** GET /r51/members: Revista knows no consortia, so only the customer itself. */
export function membersResponse(ctx: ReportContext & { customerId: string }): Member[] {
  const member: Member = { Customer_ID: ctx.customerId, Institution_Name: ctx.institutionName };
  if (ctx.institutionId) member.Institution_ID = ctx.institutionId;
  return [member];
}

export * from './sushi-types.ts';
export * from './sushi-exceptions.ts';
export * from './sushi-reports.ts';
