import { randomUUID, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { sendPrivatePage } from '../../accounts/index.ts';
import { manageContext } from '../../admin/index.ts';
import type { Database } from '../../db/index.ts';
import { ForbiddenError } from '../../http/index.ts';
import type { FileStore } from '../../storage/index.ts';
import { importNativeXml, ImportError, issueLabel } from './import.ts';
import { exportableIssueIds, loadNativeIssues } from './load.ts';
import { describeImport } from './report.ts';
import { ImportExportPage, type ImportOutcome } from './views/import-export.tsx';
import { NativeExportError, writeNativeXml } from './write.ts';
import { NativeXmlError } from './xml-stream.ts';

/**
 * The journal manager's OJS page: upload a Native XML document for a dry run or an import, and
 * download the journal (or one issue) as Native XML.
 *
 * Uploads can be gigabytes, so they bypass the app's multipart handling (which holds files in
 * memory, up to 10 MB): the request body goes to a temporary file as it arrives, and the document is
 * read from its part of that file. The form sends the CSRF token before the file (it comes first in
 * the form), and the token is checked before the document is read.
 */

const UPLOAD_TYPE = 'application/x-revista-ojs-upload';
export const MAX_UPLOAD_BYTES = 2 * 1024 * 1024 * 1024;
const SETTINGS = { permission: 'journal.settings' as const };

interface Upload {
  file: string;
  contentType: string;
  tooLarge: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    ojsUploadType?: string;
  }
}

/** A multipart body spooled to disk: the small fields before the file, and where the file's bytes are. */
function locateParts(upload: Upload): { fields: Record<string, string>; file?: { start: number; end: number; name: string } } {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(upload.contentType);
  const fields: Record<string, string> = {};
  if (!boundary) return { fields };
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const size = fs.statSync(upload.file).size;
  const fd = fs.openSync(upload.file, 'r');
  try {
    // The fields before the file are small: they are all in the first 64 KB.
    const head = Buffer.alloc(Math.min(size, 64 * 1024));
    fs.readSync(fd, head, 0, head.length, 0);
    let at = head.indexOf(delimiter);
    while (at !== -1) {
      const headersStart = at + delimiter.length + 2;
      const headersEnd = head.indexOf('\r\n\r\n', headersStart);
      if (headersEnd === -1) break;
      const headers = head.subarray(headersStart, headersEnd).toString('utf8');
      const name = /name="([^"]*)"/i.exec(headers)?.[1] ?? '';
      const filename = /filename="([^"]*)"/i.exec(headers)?.[1];
      const bodyStart = headersEnd + 4;
      if (filename !== undefined) {
        // The file is the last part: it ends where the closing delimiter begins.
        const tail = Buffer.alloc(Math.min(size, 4096));
        fs.readSync(fd, tail, 0, tail.length, size - tail.length);
        const close = tail.lastIndexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]));
        if (close === -1) return { fields };
        const end = size - tail.length + close;
        return { fields, ...(name === 'document' && end > bodyStart ? { file: { start: bodyStart, end, name: filename } } : {}) };
      }
      const next = head.indexOf(delimiter, bodyStart);
      if (next === -1) break;
      fields[name] = head.subarray(bodyStart, next - 2).toString('utf8');
      at = next;
    }
    return { fields };
  } finally {
    fs.closeSync(fd);
  }
}

function sameToken(sent: string | undefined, expected: string): boolean {
  if (!sent) return false;
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function humanSize(bytes: number): string {
  return bytes >= 1024 ** 3 ? `${bytes / 1024 ** 3} GB` : `${Math.round(bytes / 1024 ** 2)} MB`;
}

export async function ojsManagementRoutes(app: FastifyInstance, options: { db: Kysely<Database>; files: FileStore; maxUploadBytes?: number }): Promise<void> {
  const { db, files } = options;
  const maxUpload = options.maxUploadBytes ?? MAX_UPLOAD_BYTES;

  async function page(request: FastifyRequest, reply: FastifyReply, outcome?: ImportOutcome, status = 200) {
    const m = await manageContext(db, request, reply);
    const ids = await exportableIssueIds(db, m.journal.id);
    const rows = ids.length === 0 ? [] : await db.selectFrom('issues').select(['id', 'volume', 'number', 'year', 'title']).where('id', 'in', ids).execute();
    const issues = ids.map((id) => rows.find((r) => r.id === id)!).map((r) => ({
      id: r.id,
      label: issueLabel({ identification: { ...(r.volume !== null ? { volume: r.volume } : {}), ...(r.number ? { number: r.number } : {}), ...(r.year !== null ? { year: r.year } : {}), title: r.title ?? {} }, ojsId: r.id } as Parameters<typeof issueLabel>[0]),
    }));
    return sendPrivatePage(reply, ImportExportPage({ ...m, maxSize: humanSize(maxUpload), issues, ...(outcome ? { outcome } : {}) }), status);
  }

  app.get('/:journal/management/ojs', { config: SETTINGS }, async (request, reply) => page(request, reply));

  // A multipart upload is taken out of the app's multipart handling before its body is read.
  app.addContentTypeParser(UPLOAD_TYPE, (request, payload, done) => {
    const file = path.join(os.tmpdir(), `revista-upload-${randomUUID()}`);
    const upload: Upload = { file, contentType: request.ojsUploadType ?? '', tooLarge: false };
    let received = 0;
    const limit = new Transform({
      transform(chunk: Buffer, _encoding, next) {
        received += chunk.length;
        if (received > maxUpload + 64 * 1024) {
          upload.tooLarge = true;
          next(new Error('upload too large'));
        } else next(null, chunk);
      },
    });
    pipeline(payload, limit, fs.createWriteStream(file)).then(
      () => done(null, upload),
      (error: Error) => {
        fs.rmSync(file, { force: true });
        if (upload.tooLarge) done(null, upload);
        else done(error, undefined);
      },
    );
  });
  const takeUpload = async (request: FastifyRequest) => {
    const type = request.headers['content-type'];
    if (typeof type === 'string' && /^multipart\/form-data/i.test(type)) {
      request.ojsUploadType = type;
      request.headers['content-type'] = UPLOAD_TYPE;
    }
  };

  const run = (dryRun: boolean) => async (request: FastifyRequest, reply: FastifyReply) => {
    const upload = request.body as Upload | Record<string, unknown> | undefined;
    const spooled = upload && typeof (upload as Upload).file === 'string' ? (upload as Upload) : undefined;
    try {
      const m = await manageContext(db, request, reply);
      const journal = m.journal;
      if (spooled?.tooLarge) return page(request, reply, { dryRun, lines: [], error: m.ctx.t('ojs.tooLarge', { size: humanSize(maxUpload), journal: journal.path }) }, 413);
      const parts = spooled ? locateParts(spooled) : undefined;
      // The token is the form's first field (or, for a form that is not multipart, in its body); checked before the document is read.
      const body = upload as Record<string, unknown> | undefined;
      const token = parts ? parts.fields._csrf : typeof body?._csrf === 'string' ? body._csrf : request.headers['x-csrf-token'];
      if (!sameToken(typeof token === 'string' ? token : undefined, request.viewer.csrfToken())) throw new ForbiddenError('csrf');
      if (!parts?.file) return page(request, reply, { dryRun, lines: [], error: m.ctx.t('ojs.noFile') }, 400);
      const { start, end } = parts.file;
      try {
        const summary = await importNativeXml(db, files, () => fs.createReadStream(spooled!.file, { start, end: end - 1 }), { journalPath: journal.path, dryRun });
        const articles = summary.articles.new + summary.articles.changed + summary.articles.unchanged;
        const issues = summary.issues.new + summary.issues.changed + summary.issues.unchanged;
        return page(request, reply, { dryRun, lines: describeImport(summary), counts: { issues, articles, galleys: summary.galleys, warnings: summary.warnings.length } });
      } catch (error) {
        if (error instanceof NativeXmlError || error instanceof ImportError) {
          return page(request, reply, { dryRun, lines: [], error: error.message, committed: error instanceof ImportError ? error.committed : 0 }, 422);
        }
        throw error;
      }
    } finally {
      if (spooled) fs.rmSync(spooled.file, { force: true });
    }
  };

  // A refused request (no permission) never reaches the handler: its spooled body goes here.
  const cleanUp = async (request: FastifyRequest) => {
    const file = (request.body as Partial<Upload> | undefined)?.file;
    if (typeof file === 'string' && file.startsWith(path.join(os.tmpdir(), 'revista-upload-'))) fs.rmSync(file, { force: true });
  };
  // csrf: false — checked in the handler, from the spooled form, before the document is read.
  const upload = { config: { ...SETTINGS, csrf: false }, onRequest: takeUpload, onResponse: cleanUp };
  app.post('/:journal/management/ojs/dry-run', upload, run(true));
  app.post('/:journal/management/ojs/import', upload, run(false));

  app.get('/:journal/management/ojs/export', { config: SETTINGS }, async (request, reply) => {
    const journal = request.viewer.journal!;
    const raw = (request.query as { issue?: string }).issue;
    if (raw !== undefined && !/^[1-9][0-9]{0,8}$/.test(raw)) return reply.callNotFound();
    const issueId = raw === undefined ? undefined : Number(raw);
    const ids = await exportableIssueIds(db, journal.id, issueId === undefined ? {} : { issueId });
    if (ids.length === 0) return reply.callNotFound();
    const out = new PassThrough();
    const name = `${journal.path}-${issueId === undefined ? 'issues' : `issue-${issueId}`}.native.xml`;
    // Written as the client reads: a file missing from storage cuts the download short (never a valid-looking half).
    writeNativeXml(loadNativeIssues(db, journal.id, issueId === undefined ? {} : { issueId }), files, out).then(
      () => out.end(),
      (error: Error) => {
        request.log.error({ err: error, export: name }, error instanceof NativeExportError ? 'OJS export stopped' : 'OJS export failed');
        out.destroy(error);
      },
    );
    return reply.type('application/xml; charset=utf-8').header('content-disposition', `attachment; filename="${name}"`).header('cache-control', 'no-store').send(out);
  });
}
