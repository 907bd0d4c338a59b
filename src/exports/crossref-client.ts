/**
 * Crossref's HTTPS deposit protocol, as documented ("Direct deposit of XML: HTTPS POST"): the
 * deposit XML goes as a multipart upload (`operation=doMDUpload`, `login_id`, `login_passwd`, file
 * field `fname`) to `/servlet/deposit`; Crossref queues it and later reports each DOI's outcome in
 * a submission log read from `/servlet/submissionDownload?type=result`. Nothing is registered
 * until that log says so.
 */
export interface CrossrefCredentials {
  username: string;
  password: string;
}

export type DepositAnswer = { ok: true; message: string } | { ok: false; retryable: boolean; message: string };

export type ResultAnswer =
  | { state: 'pending'; message: string }
  | { state: 'done'; records: Array<{ doi: string; status: 'Success' | 'Warning' | 'Failure'; message: string }> }
  | { state: 'error'; retryable: boolean; message: string };

export interface CrossrefClient {
  deposit(xml: string, batchId: string, credentials: CrossrefCredentials): Promise<DepositAnswer>;
  result(batchId: string, credentials: CrossrefCredentials): Promise<ResultAnswer>;
}

/** `https://test.crossref.org` (the default: nothing real is registered) or `https://doi.crossref.org`. */
export function createCrossrefClient(options: { baseUrl: string; timeoutMs?: number }): CrossrefClient {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const base = options.baseUrl.replace(/\/+$/, '');

  async function call(url: string, init: RequestInit): Promise<Response | { error: string }> {
    try {
      return await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      const name = (error as Error).name;
      return { error: name === 'TimeoutError' ? `Crossref did not answer within ${timeoutMs / 1000} s` : `cannot reach Crossref (${(error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message})` };
    }
  }

  return {
    async deposit(xml, batchId, credentials) {
      const form = new FormData();
      form.set('operation', 'doMDUpload');
      form.set('login_id', credentials.username);
      form.set('login_passwd', credentials.password);
      form.set('fname', new Blob([xml], { type: 'application/xml' }), `${batchId}.xml`);
      const response = await call(`${base}/servlet/deposit`, { method: 'POST', body: form });
      if ('error' in response) return { ok: false, retryable: true, message: response.error };
      const text = summarize(await response.text());
      if (response.status === 401 || response.status === 403) return { ok: false, retryable: false, message: `Crossref refused the login (${response.status}): ${text}` };
      if (response.status >= 500 || response.status === 429) return { ok: false, retryable: true, message: `Crossref answered ${response.status}: ${text}` };
      if (response.status !== 200 || !/success/i.test(text)) return { ok: false, retryable: false, message: `Crossref answered ${response.status}: ${text}` };
      return { ok: true, message: text };
    },

    async result(batchId, credentials) {
      const query = new URLSearchParams({ usr: credentials.username, pwd: credentials.password, doi_batch_id: batchId, type: 'result' });
      const response = await call(`${base}/servlet/submissionDownload?${query}`, { method: 'GET' });
      if ('error' in response) return { state: 'error', retryable: true, message: response.error };
      const body = await response.text();
      if (response.status === 401 || response.status === 403) return { state: 'error', retryable: false, message: `Crossref refused the login (${response.status})` };
      if (response.status !== 200) return { state: 'error', retryable: response.status >= 500, message: `Crossref answered ${response.status}: ${summarize(body)}` };
      return parseSubmissionLog(body);
    },
  };
}

/** Crossref's `doi_batch_diagnostic`: completed with a record per DOI, or still queued/in process. */
export function parseSubmissionLog(xml: string): ResultAnswer {
  const status = /<doi_batch_diagnostic[^>]*\sstatus="([^"]+)"/.exec(xml)?.[1];
  if (!status) return { state: 'error', retryable: true, message: `not a submission log: ${summarize(xml)}` };
  if (status !== 'completed') return { state: 'pending', message: `Crossref reports the batch as ${status}` };
  const records = [...xml.matchAll(/<record_diagnostic[^>]*\sstatus="([^"]+)"[^>]*>([\s\S]*?)<\/record_diagnostic>/g)].map((m) => ({
    doi: decode(/<doi>([\s\S]*?)<\/doi>/.exec(m[2]!)?.[1] ?? '').trim(),
    status: (['Success', 'Warning', 'Failure'].includes(m[1]!) ? m[1] : 'Failure') as 'Success' | 'Warning' | 'Failure',
    message: decode(/<msg>([\s\S]*?)<\/msg>/.exec(m[2]!)?.[1] ?? '').trim(),
  }));
  return { state: 'done', records };
}

function decode(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

/** A short, readable form of an answer (Crossref answers deposits with an HTML page). */
function summarize(text: string): string {
  return decode(text.replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ').trim().slice(0, 500);
}
