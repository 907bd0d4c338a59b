import http from 'node:http';
import { freePort } from './ports.ts';

export type CrossrefMode = 'ok' | 'unauthorized' | 'rejected' | 'timeout' | 'server-error';

/**
 * A local server speaking Crossref's documented deposit protocol: multipart POST to
 * /servlet/deposit with operation=doMDUpload, login_id, login_passwd and the file in `fname`; the
 * submission log at /servlet/submissionDownload?type=result.
 */
export async function startCrossref() {
  const state = { mode: 'ok' as CrossrefMode, log: 'Success' as 'Success' | 'Failure' | 'queued', deposits: [] as Array<{ xml: string; login: string; operation: string }>, delayMs: 0 };
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url!, 'http://crossref.test');
    if (state.mode === 'timeout') return; // never answers
    if (state.mode === 'server-error') {
      res.writeHead(503).end('<html><body>Service temporarily unavailable</body></html>');
      return;
    }
    if (req.method === 'POST' && url.pathname === '/servlet/deposit') {
      const form = await new Request('http://crossref.test/', { method: 'POST', headers: { 'content-type': req.headers['content-type']! }, body: Buffer.concat(chunks) }).formData();
      const login = `${form.get('login_id')}:${form.get('login_passwd')}`;
      if (state.mode === 'unauthorized' || login !== 'sm-user:sm-secret') {
        res.writeHead(401, { 'content-type': 'text/html' }).end('<html><body><h2>Unauthorized</h2>Wrong login or password</body></html>');
        return;
      }
      // A deposit takes Crossref a moment: several workers get to send at the same time.
      if (state.delayMs > 0) await new Promise((r) => setTimeout(r, state.delayMs));
      const file = form.get('fname') as File;
      state.deposits.push({ xml: await file.text(), login, operation: String(form.get('operation')) });
      if (state.mode === 'rejected') {
        res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body><h2>FAILURE</h2>The file is not well-formed.</body></html>');
        return;
      }
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html><head><title>SUCCESS</title></head><body><h2>SUCCESS</h2><p>Your batch submission was successfully received.</p></body></html>');
      return;
    }
    if (req.method === 'GET' && url.pathname === '/servlet/submissionDownload' && url.searchParams.get('type') === 'result') {
      const batch = url.searchParams.get('doi_batch_id');
      const deposit = state.deposits.find((d) => d.xml.includes(`<doi_batch_id>${batch}</doi_batch_id>`));
      const doi = deposit ? /<doi>([^<]+)<\/doi>\s*<resource>/.exec(deposit.xml)?.[1] : undefined;
      res.writeHead(200, { 'content-type': 'text/xml' });
      if (!deposit || state.log === 'queued') {
        res.end(`<?xml version="1.0"?><doi_batch_diagnostic status="queued" sp="test"><batch_id>${batch}</batch_id></doi_batch_diagnostic>`);
        return;
      }
      const message = state.log === 'Success' ? 'Successfully added' : 'Record not processed because submitted version: 1 is less or equal to previously submitted version (DOI match)';
      res.end(
        `<?xml version="1.0" encoding="UTF-8"?><doi_batch_diagnostic status="completed" sp="test"><submission_id>1</submission_id><batch_id>${batch}</batch_id>` +
          `<record_diagnostic status="${state.log}"><doi>${doi}</doi><msg>${message}</msg></record_diagnostic>` +
          `<batch_data><record_count>1</record_count><success_count>${state.log === 'Success' ? 1 : 0}</success_count><warning_count>0</warning_count><failure_count>${state.log === 'Failure' ? 1 : 0}</failure_count></batch_data></doi_batch_diagnostic>`,
      );
      return;
    }
    res.writeHead(404).end();
  });
  // fetch keeps connections alive; a slow test step (PGlite under load) must not find its socket closed under it.
  server.keepAliveTimeout = 120_000;
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { state, url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}
