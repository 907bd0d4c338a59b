import type { FastifyInstance, FastifyRequest } from 'fastify';
import { NotFoundError, TokenRequiredError, typed } from '../../../platform/http/index.ts';
import {
  acceptStreamedUploads,
  addGalleyAsset,
  createGalley,
  deleteGalley,
  deleteGalleyAsset,
  discardUpload,
  editGalley,
  keepUpload,
  MAX_ASSET_BYTES,
  MAX_GALLEY_BYTES,
  ProductionError,
  productionGalleys,
  receivedUpload,
  reorderGalley,
  retypedAsset,
  uploadTooLarge,
  type SubmissionRecord,
} from '../../../workflow/index.ts';
import { requireCallerCan } from '../../auth.ts';
import type { ApiDeps, ApiRoutes } from '../deps.ts';
import { readableSubmission } from '../submissions/workflow-routes.ts';
import { workflowRefusals } from '../submissions/workflow-schema.ts';
import { callerOf } from '../reviews/access.ts';
import { presentGalley } from './presenter.ts';
import { AssetParams, AssetUpload, Galley, GalleyAsset, GalleyEdit, GalleyFileUpload, GalleyParams, GalleysParams, GalleyUpload, NewGalley } from './schema.ts';
import { Paged } from '../common.ts';

/**
 * Galleys of a submission's publication (issue 21, item 2), as OJS's
 * `/submissions/{id}/publications/{publicationId}/galleys`: its readers list them; its layout
 * editors and editors add (a remote address, a production-ready file, or an upload), edit, order
 * (`seq`), replace the file and remove them, and store an HTML galley's assets. Only the
 * submission's current publication has galleys here (a published one changes through versions).
 */

const tags = ['galleys'];
const csrf = { csrf: false } as const;

function idParam(value: string | undefined): number {
  if (value === undefined || !/^[0-9]{1,10}$/.test(value)) throw new NotFoundError('no such resource');
  return Number(value);
}

/** The submission and its current publication, which the caller reads (and, with `produce`, works on). */
async function target(deps: ApiDeps, request: FastifyRequest, params: { journal: string; submissionId: number; publicationId: number }, produce: boolean) {
  const { journal, record } = await readableSubmission(deps.db, request, params.journal, params.submissionId);
  if (record.publicationId !== params.publicationId) throw new NotFoundError(`no publication ${params.publicationId} of submission ${record.id} with galleys to change`);
  if (produce) requireCallerCan(request, 'submission.produce', record.resource);
  return { journal, record };
}

async function presentOne(deps: ApiDeps, journalPath: string, record: SubmissionRecord, galleyId: number) {
  const galley = (await productionGalleys(deps.db, deps.files, record.publicationId)).find((g) => g.id === galleyId);
  if (!galley) throw new NotFoundError(`no galley ${galleyId}`);
  return presentGalley(galley, { baseUrl: deps.baseUrl, journalPath }, record.id, record.publicationId);
}

export function galleyRoutes(routes: ApiRoutes, deps: ApiDeps): void {
  const { db, files, baseUrl } = deps;

  routes.get(
    '/:journal/api/v1/submissions/:submissionId/publications/:publicationId/galleys',
    { config: csrf, schema: { summary: 'List a publication’s galleys', description: 'In order, with each HTML galley’s assets and the names its HTML still misses. For whoever reads the submission.', tags, operationId: 'getGalleys', tokenRequired: true, params: GalleysParams, response: { 200: Paged(Galley) } } },
    async (request) => {
      const { journal, record } = await target(deps, request, request.params, false);
      const items = (await productionGalleys(db, files, record.publicationId)).map((g) => presentGalley(g, { baseUrl, journalPath: journal.path }, record.id, record.publicationId));
      return { itemsMax: items.length, items };
    },
  );

  routes.get(
    '/:journal/api/v1/submissions/:submissionId/publications/:publicationId/galleys/:galleyId',
    { config: csrf, schema: { summary: 'Get a galley', description: 'As in the list.', tags, operationId: 'getGalley', tokenRequired: true, params: GalleyParams, response: { 200: Galley } } },
    async (request) => {
      const { journal, record } = await target(deps, request, request.params, false);
      return presentOne(deps, journal.path, record, request.params.galleyId);
    },
  );

  routes.post(
    '/:journal/api/v1/submissions/:submissionId/publications/:publicationId/galleys',
    {
      config: csrf,
      schema: {
        summary: 'Add a remote galley, or one of a production-ready file',
        description: 'With `urlRemote` (http or https only) the galley is on another site; with `submissionFileId` it is made of a production-ready file of the submission. Uploading a file: `POST …/galleys/upload`. Only while the submission is in production, or scheduled and not yet published (409).',
        tags,
        operationId: 'addGalley',
        tokenRequired: true,
        params: GalleysParams,
        body: NewGalley,
        response: { 201: Galley, ...workflowRefusals(409, 415, 422) },
      },
    },
    async (request, reply) => {
      const { journal, record } = await target(deps, request, request.params, true);
      const body = request.body;
      const source = body.submissionFileId !== undefined ? { kind: 'submission-file' as const, submissionFileId: body.submissionFileId } : body.urlRemote !== undefined ? { kind: 'remote' as const, url: body.urlRemote } : undefined;
      if (!source) throw new ProductionError('file-or-url');
      const id = await createGalley(db, { journalId: journal.id, submissionId: record.id, userId: callerOf(request).userId, label: body.label, locale: body.locale, source });
      const galley = await presentOne(deps, journal.path, record, id);
      return reply.code(201).header('location', galley._href).send(galley);
    },
  );

  routes.put(
    '/:journal/api/v1/submissions/:submissionId/publications/:publicationId/galleys/:galleyId',
    {
      config: csrf,
      schema: {
        summary: 'Edit a galley',
        description: 'Its `label`, `locale`, a remote galley’s `urlRemote`, and its place in the list (`seq`, from 1). Fields left out stay as they are.',
        tags,
        operationId: 'editGalley',
        tokenRequired: true,
        params: GalleyParams,
        body: GalleyEdit,
        response: { 200: Galley, ...workflowRefusals(409, 422) },
      },
    },
    async (request) => {
      const { journal, record } = await target(deps, request, request.params, true);
      const galleys = await productionGalleys(db, files, record.publicationId);
      const galley = galleys.find((g) => g.id === request.params.galleyId);
      if (!galley) throw new NotFoundError(`no galley ${request.params.galleyId}`);
      const body = request.body;
      const userId = callerOf(request).userId;
      if (body.label !== undefined || body.locale !== undefined || body.urlRemote !== undefined) {
        await editGalley(db, { journalId: journal.id, submissionId: record.id, galleyId: galley.id, userId, label: body.label ?? galley.label, locale: body.locale ?? galley.locale, ...(body.urlRemote !== undefined ? { remoteUrl: body.urlRemote } : {}) });
      }
      if (body.seq !== undefined) {
        const to = Math.min(body.seq, galleys.length);
        for (let at = galley.seq; at !== to; at += at < to ? 1 : -1) await reorderGalley(db, { journalId: journal.id, submissionId: record.id, galleyId: galley.id, userId, direction: at < to ? 'down' : 'up' });
      }
      return presentOne(deps, journal.path, record, galley.id);
    },
  );

  routes.delete(
    '/:journal/api/v1/submissions/:submissionId/publications/:publicationId/galleys/:galleyId',
    { config: csrf, schema: { summary: 'Remove a galley', description: 'With its assets. Answers the galley as it was.', tags, operationId: 'deleteGalley', tokenRequired: true, params: GalleyParams, response: { 200: Galley, ...workflowRefusals(409) } } },
    async (request) => {
      const { journal, record } = await target(deps, request, request.params, true);
      const galley = await presentOne(deps, journal.path, record, request.params.galleyId);
      await deleteGalley(db, { journalId: journal.id, submissionId: record.id, galleyId: galley.id, userId: callerOf(request).userId });
      return galley;
    },
  );

  routes.delete(
    '/:journal/api/v1/submissions/:submissionId/publications/:publicationId/galleys/:galleyId/assets/:assetId',
    { config: csrf, schema: { summary: 'Remove an asset of an HTML galley', description: 'Answers the galley, whose `missingAssets` may list the name again.', tags, operationId: 'deleteGalleyAsset', tokenRequired: true, params: AssetParams, response: { 200: Galley, ...workflowRefusals(409) } } },
    async (request) => {
      const { journal, record } = await target(deps, request, request.params, true);
      await deleteGalleyAsset(db, { journalId: journal.id, submissionId: record.id, galleyId: request.params.galleyId, assetId: request.params.assetId, userId: callerOf(request).userId });
      return presentOne(deps, journal.path, record, request.params.galleyId);
    },
  );
}

/** The uploads: a new galley's file, a replacement, an asset; streamed, after the caller and the galley were checked. */
export async function galleyUploadRoutes(scope: FastifyInstance, deps: ApiDeps): Promise<void> {
  const { db, files } = deps;
  acceptStreamedUploads(scope, { files, fileFields: ['file'], formToken: false, maxFields: 5, maxBytes: (_fields, request) => (/\/assets(?:\?|$)/.test(request.url) ? MAX_ASSET_BYTES : MAX_GALLEY_BYTES) });
  const routes = typed(scope);
  const checkFirst = async (request: FastifyRequest) => {
    if (!request.apiCaller) throw new TokenRequiredError('missing');
    const raw = request.params as unknown as Record<string, string | undefined>;
    await target(deps, request, { journal: raw.journal ?? '', submissionId: idParam(raw.submissionId), publicationId: idParam(raw.publicationId) }, true);
  };
  /** The stored file of the form; refused (and removed) when over its limit or missing. */
  const storedFile = async (request: FastifyRequest, reply: { header(name: string, value: string): unknown }, max: number) => {
    if (uploadTooLarge(request) !== undefined) {
      reply.header('connection', 'close');
      throw new ProductionError('file-too-large', 'file', { max });
    }
    const upload = receivedUpload(request)?.stored;
    if (!upload) throw new ProductionError('file-empty', 'file');
    return upload;
  };
  const config = { csrf: false, uploads: { files: 1, fileBytes: MAX_GALLEY_BYTES }, tokenChecked: true } as const;

  routes.post(
    '/:journal/api/v1/submissions/:submissionId/publications/:publicationId/galleys/upload',
    {
      config,
      schema: {
        summary: 'Upload a galley',
        description: 'A `multipart/form-data` form with `label`, `locale`, then `file`: PDF, HTML, JATS XML or EPUB, its type read from its bytes (anything else: 415).',
        tags,
        operationId: 'uploadGalley',
        tokenRequired: true,
        params: GalleysParams,
        multipart: GalleyUpload,
        response: { 201: Galley, ...workflowRefusals(409, 413, 415, 422) },
      },
      onRequest: checkFirst,
    },
    async (request, reply) => {
      const { journal, record } = await target(deps, request, request.params, true);
      try {
        const upload = await storedFile(request, reply, MAX_GALLEY_BYTES);
        const body = (request.body ?? {}) as Record<string, unknown>;
        const text = (name: string) => (typeof body[name] === 'string' ? (body[name] as string).slice(0, 200) : '');
        const id = await createGalley(db, { journalId: journal.id, submissionId: record.id, userId: callerOf(request).userId, label: text('label'), locale: text('locale'), source: { kind: 'upload', upload } });
        keepUpload(request);
        const galley = await presentOne(deps, journal.path, record, id);
        return reply.code(201).header('location', galley._href).send(galley);
      } catch (error) {
        await discardUpload(request, files);
        throw error;
      }
    },
  );

  routes.put(
    '/:journal/api/v1/submissions/:submissionId/publications/:publicationId/galleys/:galleyId/file',
    {
      config,
      schema: { summary: 'Replace a galley’s file', description: 'A `multipart/form-data` form with `file`, checked as a new galley’s.', tags, operationId: 'replaceGalleyFile', tokenRequired: true, params: GalleyParams, multipart: GalleyFileUpload, response: { 200: Galley, ...workflowRefusals(409, 413, 415, 422) } },
      onRequest: checkFirst,
    },
    async (request, reply) => {
      const { journal, record } = await target(deps, request, request.params, true);
      try {
        const galley = (await productionGalleys(db, files, record.publicationId)).find((g) => g.id === request.params.galleyId);
        if (!galley) throw new NotFoundError(`no galley ${request.params.galleyId}`);
        const upload = await storedFile(request, reply, MAX_GALLEY_BYTES);
        await editGalley(db, { journalId: journal.id, submissionId: record.id, galleyId: galley.id, userId: callerOf(request).userId, label: galley.label, locale: galley.locale, replace: { kind: 'upload', upload } });
        keepUpload(request);
        return await presentOne(deps, journal.path, record, galley.id);
      } catch (error) {
        await discardUpload(request, files);
        throw error;
      }
    },
  );

  routes.post(
    '/:journal/api/v1/submissions/:submissionId/publications/:publicationId/galleys/:galleyId/assets',
    {
      config,
      schema: {
        summary: 'Add an asset to an HTML galley',
        description: 'A `multipart/form-data` form with `name` (as the HTML refers to it), then `file`: an image (PNG, JPEG, GIF, WebP, SVG), a style sheet (CSS) or a font (WOFF, WOFF2). A file under a name the galley has replaces it.',
        tags,
        operationId: 'addGalleyAsset',
        tokenRequired: true,
        params: GalleyParams,
        multipart: AssetUpload,
        response: { 201: GalleyAsset, ...workflowRefusals(409, 413, 415, 422) },
      },
      onRequest: checkFirst,
    },
    async (request, reply) => {
      const { journal, record } = await target(deps, request, request.params, true);
      try {
        const upload = await storedFile(request, reply, MAX_ASSET_BYTES);
        const body = (request.body ?? {}) as Record<string, unknown>;
        const name = typeof body.name === 'string' && body.name !== '' ? body.name.slice(0, 300) : upload.originalName;
        const id = await addGalleyAsset(db, { journalId: journal.id, submissionId: record.id, galleyId: request.params.galleyId, userId: callerOf(request).userId, name, upload: await retypedAsset(files, upload, name) });
        keepUpload(request);
        const galley = await presentOne(deps, journal.path, record, request.params.galleyId);
        return reply.code(201).send(galley.assets.find((a) => a.id === id)!);
      } catch (error) {
        await discardUpload(request, files);
        throw error;
      }
    },
  );
}
