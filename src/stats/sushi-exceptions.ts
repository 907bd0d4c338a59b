import { monthOf } from './counter.ts';

/** COUNTER R5.1 exceptions (Appendix D) and the reporting period of a SUSHI request. */
// ---------------------------------------------------------------------------------------------------
// Exceptions (Appendix D, Table D.1)

export interface SushiException {
  Code: number;
  Message: string;
  Data?: string;
  Help_URL?: string;
}

/** The standard exceptions: exact message and the HTTP status the answer carries. */
export const SUSHI_EXCEPTIONS = {
  1000: { message: 'Service Not Available', status: 503 },
  1010: { message: 'Service Busy', status: 503 },
  1011: { message: 'Report Queued for Processing', status: 202 },
  1020: { message: 'Client has made too many requests', status: 429 },
  1030: { message: 'Insufficient Information to Process Request', status: 400 },
  2000: { message: 'Requestor Not Authorized to Access Service', status: 401 },
  2010: { message: 'Requestor is Not Authorized to Access Usage for Institution', status: 403 },
  2011: { message: 'Global Reports Not Supported', status: 403 },
  2020: { message: 'APIKey Invalid', status: 401 },
  3020: { message: 'Invalid Date Arguments', status: 400 },
  3030: { message: 'No Usage Available for Requested Dates', status: 200 },
  3031: { message: 'Usage Not Ready for Requested Dates', status: 200 },
  3032: { message: 'Usage No Longer Available for Requested Dates', status: 200 },
  3040: { message: 'Partial Data Returned', status: 200 },
  3050: { message: 'Parameter Not Recognized in this Context', status: 200 },
  3060: { message: 'Invalid ReportFilter Value', status: 200 },
  3061: { message: 'Incongruous ReportFilter Value', status: 200 },
  3062: { message: 'Invalid ReportAttribute Value', status: 200 },
  3063: { message: 'Components Not Supported', status: 200 },
  3070: { message: 'Required ReportFilter Missing', status: 200 },
} as const satisfies Record<number, { message: string; status: number }>;

export type SushiExceptionCode = keyof typeof SUSHI_EXCEPTIONS;

function standard(code: number): { message: string; status: number } | undefined {
  return (SUSHI_EXCEPTIONS as Record<number, { message: string; status: number }>)[code];
}

/**
 * An Exception object. For standard codes (> 999) the message may be left out; if given it must be the
 * standard one, since the CoP requires it verbatim. Codes 0–999 are the provider's own and need one.
 */
export function sushiException(code: number, message?: string, data?: string): SushiException {
  const known = standard(code);
  if (known) {
    if (message && message !== known.message) throw new RangeError(`Exception ${code} is "${known.message}" in COUNTER R5.1, not "${message}"`);
    message = known.message;
  } else if (!(Number.isInteger(code) && code >= 0 && code <= 999)) {
    const hint = code === 3000 ? ' (an unsupported report is an invalid path in R5.1: answer HTTP 404)' : '';
    throw new RangeError(`${code} is not a COUNTER R5.1 exception code${hint}`);
  } else if (!message || message.length < 2) {
    throw new RangeError(`custom exception ${code} needs a message`);
  }
  return data === undefined ? { Code: code, Message: message } : { Code: code, Message: message, Data: data };
}

export function isSushiException(value: unknown): value is SushiException {
  return typeof value === 'object' && value !== null && 'Code' in value && 'Message' in value;
}

/** HTTP status for an exception sent on its own; those with 200 belong in a report's header. */
export function httpStatusOf(exception: SushiException): number {
  return standard(exception.Code)?.status ?? 200;
}

// ---------------------------------------------------------------------------------------------------
// Dates

/** `yyyy-mm`; there is no year 0 (PostgreSQL, like the Gregorian calendar, goes from 1 BC to AD 1). */
export const MONTH = /^(?!0000)\d{4}-(0[1-9]|1[0-2])$/;

function lastDayOf(month: string): string {
  const [year, m] = month.split('-').map(Number);
  return `${month}-${String(new Date(Date.UTC(year, m, 0)).getUTCDate()).padStart(2, '0')}`;
}

function previousMonth(month: string): string {
  const [year, m] = month.split('-').map(Number);
  return m === 1 ? `${year - 1}-12` : `${year}-${String(m - 1).padStart(2, '0')}`;
}

/** `yyyy-mm` or a real `yyyy-mm-dd` → [month, day or undefined]; undefined when malformed. */
export function parseDate(value: string): [string, string | undefined] | undefined {
  const match = /^(\d{4}-\d{2})(?:-(\d{2}))?$/.exec(value);
  if (!match || !MONTH.test(match[1])) return undefined;
  const [, month, day] = match;
  if (day !== undefined && (day < '01' || `${month}-${day}` > lastDayOf(month))) return undefined;
  return [month, day];
}

export interface ReportDates {
  beginDate: string;
  endDate: string;
  /** 3031 when the end was cut back to the last processed month, or when no month asked for is ready. */
  exceptions: SushiException[];
  /** True when every month asked for is the current or a future one: nothing to read, only 3031. */
  notReady?: true;
}

/**
 * begin_date and end_date of a request → whole months, `yyyy-mm-01` to the last day of the end month.
 * Missing dates give 1030, malformed or reversed dates 3020. Months not yet complete (the current one
 * and later ones) are "Usage Not Ready for Requested Dates", 3031, as Appendix D defines it for dates
 * not yet processed: a range ending in them is cut back to the previous month, and a range made only of
 * them (the current month alone, say) is an empty report carrying 3031 — the same answer for the same
 * reason, where a client would otherwise get 3020 for one and 3031 for the other.
 * Months are those of `timeZone`, like `monthOf`.
 */
export function parseReportDates(begin: string | undefined, end: string | undefined, now: Date, timeZone = 'UTC'): ReportDates | SushiException {
  const missing = [begin ? '' : 'begin_date', end ? '' : 'end_date'].filter(Boolean);
  if (missing.length > 0) return sushiException(1030, undefined, `Missing ${missing.join(' and ')}`);
  const from = parseDate(begin!);
  const to = parseDate(end!);
  if (!from || !to) {
    const bad = !from ? `begin_date=${begin}` : `end_date=${end}`;
    return sushiException(3020, undefined, `${bad} is not a date in the form yyyy-mm-dd or yyyy-mm`);
  }
  if (`${to[0]}-${to[1] ?? '31'}` < `${from[0]}-${from[1] ?? '01'}`) return sushiException(3020, undefined, `end_date=${end} is before begin_date=${begin}`);
  const current = monthOf(now, timeZone);
  const lastReady = previousMonth(current);
  const beginDate = `${from[0]}-01`;
  if (from[0] >= current) {
    const months = from[0] === to[0] ? from[0] : `${from[0]} to ${to[0]}`;
    return { beginDate, endDate: lastDayOf(to[0]), exceptions: [sushiException(3031, undefined, `${months}; usage is available up to ${lastReady}`)], notReady: true };
  }
  const exceptions: SushiException[] = [];
  let endMonth = to[0];
  if (endMonth >= current) {
    exceptions.push(sushiException(3031, undefined, endMonth === current ? current : `${current} to ${endMonth}`));
    endMonth = lastReady;
  }
  return { beginDate, endDate: lastDayOf(endMonth), exceptions };
}


/** COUNTER's date-time form: UTC, seconds, no milliseconds. */
export const timestamp = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');
