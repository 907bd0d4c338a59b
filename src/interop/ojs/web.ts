import { Busboy, type BusboyHeaders, type BusboyInstance } from '@fastify/busboy';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough, Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Type, type Static } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { CSRF_FIELD } from '../../accounts/index.ts';
import { sendPrivatePage } from '../../platform/web/index.ts';
import { manageContext } from '../../admin/index.ts';
import type { Database } from '../../db/index.ts';
import { BadRequestError, closeIfBodyUnread, ForbiddenError, uploadWriting } from '../../platform/http/index.ts';
import { UPLOAD_SPOOL, type FileStore } from '../../storage/index.ts';
import { importNativeXml, ImportError } from './import.ts';
import { exportableIssueIds, loadNativeIssues } from './load.ts';
import { DEFAULT_OJS_VERSION, isOjsVersion, OJS_VERSIONS, type OjsVersion } from './versions.ts';
import { ImportExportPage, type ImportOutcome, type ExportCheck } from './views/import-export.tsx';
import { NativeExportError, writeNativeXml } from './write.ts';
import { NativeXmlError } from './xml-stream.ts';

/**
 * The journal manager's OJS page: upload a Native XML document for a dry run or an import, and
 * download the journal (or one issue) as Native XML.
 *
 * Uploads can be gigabytes, so this scope reads multipart bodies itself instead of the app's multipart
 * handling (which holds files in memory): the document's bytes go to a spool file as they arrive.
 * Nothing is read before the access layer has found the journal, the person and their permission
 * (onRequest), and nothing reaches the disk before the form's token — its first field — is checked.
 * Spool files live in the file store's `.uploads` directory, are private to the server, and are
 * removed when the answer ends however it ends; a start-up sweeps any a killed process left.
 */

export const MAX_UPLOAD_BYTES = 2 * 1024 * 1024 * 1024;
const SETTINGS = { permission: 'journal.settings' as const };

declare module 'fastify' {
  interface FastifyRequest {
    /** The spool file of an upload being received, removed when the answer ends. */
    ojsSpool?: string;
  }
}

/** A document received from the form: where its bytes are spooled (none when the form had no file). */
interface Upload {
  file?: string;
  tooLarge: boolean;
}

/** Where upload spool files are kept: inside the store's root, so on the same disk as the files they become. */
export function uploadSpoolDir(files: FileStore): string {
  return path.join(files.root, UPLOAD_SPOOL);
}

function humanSize(bytes: number): string {
  return bytes >= 1024 ** 3 ? `${bytes / 1024 ** 3} GB` : `${Math.round(bytes / 1024 ** 2)} MB`;
}

/**
 * Reads the import form as it arrives: small fields first (the token among them), then the document,
 * streamed to a new spool file. A file part before a valid token stops the upload with a 403 and
 * nothing written; a document over the limit (sent without a length, or the length was refused at
 * once) stops the reading, its spool is removed, and it is reported as too large.
 */
function receiveUpload(request: FastifyRequest, payload: NodeJS.ReadableStream, options: { spoolDir: string; maxBytes: number }, done: (error: Error | null, body?: Upload) => void): void {
  const fields: Record<string, string> = {};
  const upload: Upload = { tooLarge: false };
  let finished = false;
  // The spool is created before its stream (below), so removing it here is final: a write still under
  // way goes to a file no name points to any more.
  const removeSpool = () => {
    if (upload.file) fs.rmSync(upload.file, { force: true });
    delete upload.file;
  };
  const finish = (error: Error | null) => {
    if (finished) return;
    finished = true;
    if (error) {
      payload.unpipe(parser);
      document?.destroy();
      removeSpool();
      done(error);
    } else done(null, upload);
  };
  let document: Readable | undefined;
  let writing: Promise<void> | undefined;
  let parser: BusboyInstance;
  try {
    parser = new Busboy({ headers: request.headers as BusboyHeaders, limits: { files: 1, fileSize: options.maxBytes, fields: 20, fieldSize: 64 * 1024, parts: 21 } });
  } catch (error) {
    done(new BadRequestError(`not a multipart form: ${(error as Error).message}`));
    return;
  }
  // A part that is not kept is read through; cut short, it fails, and that failure is the form's.
  const discard = (stream: Readable) => {
    stream.on('error', () => undefined);
    stream.resume();
  };
  parser.on('field', (name: string, value: string) => {
    fields[name] = value;
  });
  parser.on('file', (name: string, stream: Readable) => {
    if (finished) return discard(stream);
    const token = fields[CSRF_FIELD] ?? request.headers['x-csrf-token'];
    if (!request.viewer.acceptFormToken(typeof token === 'string' ? token : undefined)) {
      discard(stream);
      return finish(new ForbiddenError('csrf'));
    }
    if (name !== 'document' || upload.file) return discard(stream);
    fs.mkdirSync(options.spoolDir, { recursive: true, mode: 0o700 });
    upload.file = path.join(options.spoolDir, `upload-${process.pid}-${randomUUID()}`);
    request.ojsSpool = upload.file;
    // Over the limit: nothing more is read (the answer closes the connection) and the spool goes.
    stream.on('limit', () => {
      upload.tooLarge = true;
      payload.unpipe(parser);
      stream.destroy();
      removeSpool();
      finish(null);
    });
    document = stream;
    uploadWriting(request, true);
    writing = pipeline(stream, fs.createWriteStream('', { fd: fs.openSync(upload.file, 'wx', 0o600) }));
    void writing.finally(() => uploadWriting(request, false)).catch(() => undefined);
    writing.catch((error: Error) => (upload.tooLarge ? undefined : finish(error)));
  });
  parser.on('error', (error: Error) => finish(new BadRequestError(`the upload could not be read: ${error.message}`)));
  // More parts than the form has: busboy leaves the extra part unread and would wait for ever.
  for (const limit of ['filesLimit', 'partsLimit', 'fieldsLimit']) {
    parser.on(limit, () => finish(new BadRequestError('the form has one document and a few fields; this upload has more parts')));
  }
  // All bytes in and the parser still unfinished: busboy stalls on some malformed part headers, and
  // http/bodies.ts answers such an upload (the spool goes when the answer ends).
  parser.on('finish', () => {
    void (writing ?? Promise.resolve()).then(
      () => {
        // A form without its token and without a file still needs the token checked.
        if (!upload.file) {
          const token = fields[CSRF_FIELD] ?? request.headers['x-csrf-token'];
          if (!request.viewer.acceptFormToken(typeof token === 'string' ? token : undefined)) return finish(new ForbiddenError('csrf'));
        }
        finish(null);
      },
      (error: Error) => finish(error),
    );
  });
  payload.on('error', (error: Error) => finish(error));
  payload.pipe(parser);
}

/** The export asked for: `issue` (one issue; empty or absent for all) and `version` (the OJS release). */
const exportQuery = Type.Object({ issue: Type.Optional(Type.String()), version: Type.Optional(Type.String()) });

export async function ojsManagementRoutes(app: FastifyInstance, options: { db: Kysely<Database>; files: FileStore; maxUploadBytes?: number }): Promise<void> {
  const { db, files } = options;
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const maxUpload = options.maxUploadBytes ?? MAX_UPLOAD_BYTES;
  const spoolDir = uploadSpoolDir(files);

  async function page(request: FastifyRequest, reply: FastifyReply, outcome?: ImportOutcome, status = 200, check?: ExportCheck) {
    const m = await manageContext(db, request, reply);
    const ids = await exportableIssueIds(db, m.journal.id);
    const rows = ids.length === 0 ? [] : await db.selectFrom('issues').select(['id', 'volume', 'number', 'year', 'title']).where('id', 'in', ids).execute();
    const issues = ids.map((id) => rows.find((r) => r.id === id)!).map((r) => ({
      id: r.id,
      identification: { ...(r.volume !== null ? { volume: r.volume } : {}), ...(r.number ? { number: r.number } : {}), ...(r.year !== null ? { year: r.year } : {}), title: r.title ?? {} },
    }));
    return sendPrivatePage(reply, ImportExportPage({ ...m, maxSize: humanSize(maxUpload), issues, ...(outcome ? { outcome } : {}), ...(check ? { check } : {}) }), status);
  }

  app.get('/:journal/management/ojs', { config: SETTINGS }, async (request, reply) => page(request, reply));

  // The body is what receiveUpload (this scope's multipart parser) made of the form.
  const run = (dryRun: boolean) => async (request: FastifyRequest<{ Body: Upload | undefined }>, reply: FastifyReply) => {
    const upload = request.body;
    try {
      const m = await manageContext(db, request, reply);
      const journal = m.journal;
      if (upload?.tooLarge) closeIfBodyUnread(request, reply);
      if (upload?.tooLarge) return page(request, reply, { dryRun, error: m.ctx.t('ojs.tooLarge', { size: humanSize(maxUpload), journal: journal.path }) }, 413);
      if (!upload?.file) return page(request, reply, { dryRun, error: m.ctx.t('ojs.noFile') }, 400);
      try {
        // A manager who goes away stops the import (whole issues stay): the upload slot it held is free
        // again, so an import nobody waits for must not go on beside the next one.
        const gone = new AbortController();
        const onClose = () => {
          if (!reply.raw.writableFinished) gone.abort();
        };
        reply.raw.once('close', onClose);
        const summary = await importNativeXml(db, files, upload.file, { journalPath: journal.path, dryRun, signal: gone.signal }).finally(() => reply.raw.off('close', onClose));
        const articles = summary.articles.new + summary.articles.changed + summary.articles.unchanged;
        const issues = summary.issues.new + summary.issues.changed + summary.issues.unchanged;
        return page(request, reply, { dryRun, summary, counts: { issues, articles, galleys: summary.galleys, warnings: summary.warnings.length } });
      } catch (error) {
        if (error instanceof NativeXmlError || error instanceof ImportError) {
          return page(request, reply, { dryRun, error: error.message, errorLanguage: 'en', committed: error instanceof ImportError ? error.committed : 0 }, 422);
        }
        throw error;
      }
    } finally {
      if (upload?.file) fs.rmSync(upload.file, { force: true });
    }
  };

  // The uploads get a scope of their own, where multipart bodies are read by receiveUpload.
  await app.register(async (scope) => {
    scope.removeContentTypeParser('multipart/form-data');
    scope.addContentTypeParser('multipart/form-data', (request, payload, done) => receiveUpload(request, payload, { spoolDir, maxBytes: maxUpload }, done));
    // However the answer ends (sent, failed, or the client gone mid-upload), its spool goes with it.
    scope.addHook('onRequest', async (request, reply) => {
      reply.raw.once('close', () => {
        if (request.ojsSpool) fs.rmSync(request.ojsSpool, { force: true });
      });
    });
    const upload = { config: { ...SETTINGS, uploads: { files: 1, fileBytes: maxUpload } } };
    scope.post<{ Body: Upload | undefined }>('/:journal/management/ojs/dry-run', upload, run(true));
    scope.post<{ Body: Upload | undefined }>('/:journal/management/ojs/import', upload, run(false));
  });

  /** The export asked for in the query (`issue`: one issue, empty or absent for all; `version`: the OJS release), or undefined for an issue that is not there. */
  async function exportRequest(request: FastifyRequest, query: Static<typeof exportQuery>): Promise<{ issueId?: number; version: OjsVersion; ids: number[] } | undefined> {
    const raw = query.issue === '' ? undefined : query.issue;
    if (raw !== undefined && !/^[1-9][0-9]{0,8}$/.test(raw)) return undefined;
    const version = query.version === undefined || query.version === '' ? DEFAULT_OJS_VERSION : query.version;
    if (!isOjsVersion(version)) throw new BadRequestError(`version is one of ${OJS_VERSIONS.join(', ')} (the OJS release that will import the file)`);
    const issueId = raw === undefined ? undefined : Number(raw);
    const ids = await exportableIssueIds(db, request.viewer.journal!.id, issueId === undefined ? {} : { issueId });
    return ids.length === 0 ? undefined : { ...(issueId === undefined ? {} : { issueId }), version, ids };
  }

  // What the release would hold, counted by writing the document without its files into nothing.
  typed.get('/:journal/management/ojs/export/check', { config: SETTINGS, schema: { querystring: exportQuery } }, async (request, reply) => {
    const asked = await exportRequest(request, request.query);
    if (!asked) return reply.callNotFound();
    const journal = request.viewer.journal!;
    const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
    const base = { version: asked.version, ...(asked.issueId === undefined ? {} : { issueId: asked.issueId }) };
    try {
      const summary = await writeNativeXml(loadNativeIssues(db, journal.id, asked.issueId === undefined ? {} : { issueId: asked.issueId }), files, sink, { version: asked.version, withoutFiles: true });
      return page(request, reply, undefined, 200, { ...base, counts: { issues: summary.issues, articles: summary.articles, galleys: summary.galleys, files: summary.files }, losses: summary.losses });
    } catch (error) {
      // What the release cannot take at all (a language OJS 3.3 cannot name): said, with no download offered.
      if (error instanceof NativeExportError) return page(request, reply, undefined, 422, { ...base, counts: { issues: 0, articles: 0, galleys: 0, files: 0 }, losses: {}, error: error.message });
      throw error;
    }
  });

  typed.get('/:journal/management/ojs/export', { config: SETTINGS, schema: { querystring: exportQuery } }, async (request, reply) => {
    const journal = request.viewer.journal!;
    const asked = await exportRequest(request, request.query);
    if (!asked) return reply.callNotFound();
    const { issueId, version } = asked;
    const out = new PassThrough();
    const name = `${journal.path}-${issueId === undefined ? 'issues' : `issue-${issueId}`}${version === DEFAULT_OJS_VERSION ? '' : `-ojs-${version}`}.native.xml`;
    // Written as the client reads: a file missing from storage cuts the download short (never a valid-looking half).
    writeNativeXml(loadNativeIssues(db, journal.id, issueId === undefined ? {} : { issueId }), files, out, { version }).then(
      () => out.end(),
      (error: Error) => {
        request.log.error({ err: error, export: name }, error instanceof NativeExportError ? 'OJS export stopped' : 'OJS export failed');
        out.destroy(error);
      },
    );
    return reply.type('application/xml; charset=utf-8').header('content-disposition', `attachment; filename="${name}"`).header('cache-control', 'no-store').send(out);
  });
}
