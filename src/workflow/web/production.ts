import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { can, personName, requireCan } from '../../accounts/index.ts';
import type { Db } from '../../catalog/index.ts';
import { localizeText } from '../../i18n/index.ts';
import { formBody, formList, formText } from '../../platform/http/forms.ts';
import { IdText, JournalPath, NotFoundError, Type, parseId, typed } from '../../platform/http/index.ts';
import { formatFileSize, formPage, sendPrivatePage } from '../../platform/web/index.ts';
import { richToPlainLine, type PageContext, type SafeHtml } from '../../ui/index.ts';
import { findSubmission, submissionFiles, type SubmissionRecord } from '../queries.ts';
import { ProductionError } from '../production/errors.ts';
import { addGalleyAsset, createGalley, deleteGalley, deleteGalleyAsset, editGalley, MAX_ASSET_BYTES, MAX_GALLEY_BYTES, reorderGalley, type GalleySource } from '../production/galleys.ts';
import { answerProof, cancelProof, findProof, proofResource, sendProofs, submissionProofs } from '../production/proofs.ts';
import { productionGalleys, retypedAsset, type ProductionGalley } from '../production/queries.ts';
import { acceptStreamedUploads, discardUpload, keepUpload, receivedUpload, uploadTooLarge } from '../uploads.ts';
import type { WorkflowWebDeps } from './deps.ts';
import { GalleyEditPage, PRODUCTION_ERROR_LABEL, PRODUCTION_NOTICE_LABEL, PRODUCTION_NOTICES, ProductionSection, ProofPage, RemoveAssetPage, RemoveGalleyPage, type ProductionNotice, type ProductionView } from './views/production.tsx';

/**
 * Production on the submission page (issue 21, item 2): the galleys (upload, a production-ready
 * file or a remote address; label, language, order; replace, remove), an HTML galley's images,
 * styles and fonts with what its HTML still misses, and proofs sent to the authors. The author's
 * proof page answers a request. Forms post and come back to the page (`#production`), with a
 * notice or the refusal, so everything works without JavaScript.
 */

const SubmissionParams = Type.Object({ journal: JournalPath, id: IdText });
const GalleyParams = Type.Object({ journal: JournalPath, id: IdText, galleyId: IdText });
const AssetParams = Type.Object({ journal: JournalPath, id: IdText, galleyId: IdText, assetId: IdText });
const ProofParams = Type.Object({ journal: JournalPath, id: IdText, proofId: IdText });
const NoticeQuery = Type.Object({ productionNotice: Type.Optional(Type.String({ maxLength: 40 })) });
const SIGNED_IN = { permission: 'journal.submit' as const };

const pageOf = (request: FastifyRequest, submissionId: number) => `/${request.viewer.journal!.path}/workflow/index/${submissionId}`;

/** Whether the galleys may change now: in production, or scheduled and not yet published. */
async function editableNow(db: Db, submission: SubmissionRecord): Promise<boolean> {
  const inProduction = (submission.status === 'active' && submission.stage === 'production') || submission.status === 'scheduled';
  if (!inProduction) return false;
  const publication = await db.selectFrom('publications').select('status').where('id', '=', submission.publicationId).executeTakeFirstOrThrow();
  return publication.status !== 'published';
}

async function people(db: Db, ids: readonly number[], locale: string): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'email', 'given_name', 'family_name']).where('id', 'in', [...new Set(ids)]).execute();
  return new Map(rows.map((r) => [r.id, personName(r, locale) ?? r.email]));
}

async function localeOptions(db: Db, journalId: number): Promise<Array<{ value: string; label: string }>> {
  const journal = await db.selectFrom('journals').select('supported_locales').where('id', '=', journalId).executeTakeFirstOrThrow();
  return journal.supported_locales.map((l) => {
    let label = l;
    try {
      label = new Intl.DisplayNames([l.replace('_', '-')], { type: 'language' }).of(l.replace('_', '-')) ?? l;
    } catch {
      label = l;
    }
    return { value: l, label: `${label} (${l})` };
  });
}

/**
 * The Production section of the submission page, for the layout editors and editors once the
 * submission is in production (or scheduled, or published: then read only); for an author, the
 * proofs sent to them. Nothing for anyone else.
 */
export async function productionSection(deps: Pick<WorkflowWebDeps, 'db' | 'files'>, request: FastifyRequest, ctx: PageContext, submission: SubmissionRecord): Promise<SafeHtml | undefined> {
  const { db, files } = deps;
  const user = request.viewer.user;
  const query = (request.query ?? {}) as { productionNotice?: string; productionError?: string; max?: string; type?: string };
  const notice = query.productionNotice && (PRODUCTION_NOTICES as readonly string[]).includes(query.productionNotice) ? ctx.t(PRODUCTION_NOTICE_LABEL[query.productionNotice as ProductionNotice]) : undefined;
  const reached = submission.stage === 'production' || submission.status === 'scheduled' || submission.status === 'published';
  const base = pageOf(request, submission.id);
  if (reached && can(user, 'submission.produce', submission.resource)) {
    const [galleys, proofs, productionFiles, locales, editable] = await Promise.all([
      productionGalleys(db, files, submission.publicationId),
      submissionProofs(db, submission.id),
      submissionFiles(db, submission.id, 'production'),
      localeOptions(db, submission.journalId),
      editableNow(db, submission),
    ]);
    const authorIds = submission.participants.filter((p) => p.role === 'author').map((p) => p.userId);
    const names = await people(db, [...authorIds, ...proofs.map((p) => p.authorId)], ctx.locale);
    const error = query.productionError && Object.hasOwn(PRODUCTION_ERROR_LABEL, query.productionError) ? ctx.t(PRODUCTION_ERROR_LABEL[query.productionError as keyof typeof PRODUCTION_ERROR_LABEL], {
            max: query.max && /^[0-9]{1,12}$/.test(query.max) ? (query.productionError === 'file-too-large' ? formatFileSize(Number(query.max), ctx.locale) : query.max) : '—',
            type: query.type && /^[a-z0-9.+/-]{1,100}$/.test(query.type) ? query.type : '—',
          }) : undefined;
    const view: ProductionView = {
      base,
      produces: true,
      editable,
      galleys,
      locales,
      productionFiles: productionFiles.map((f) => ({ id: f.id, name: f.name })),
      proofs: proofs.map((p) => ({ id: p.id, authorName: names.get(p.authorId) ?? `#${p.authorId}`, status: p.status, createdAt: p.createdAt, answeredAt: p.answeredAt, response: p.response })),
      authors: [...new Set(authorIds)].map((id) => ({ userId: id, name: names.get(id) ?? `#${id}` })),
      ownProofs: [],
      ...(notice ? { notice } : {}),
      ...(error ? { error } : {}),
    };
    return ProductionSection({ ctx, view });
  }
  if (!user) return undefined;
  const own = (await submissionProofs(db, submission.id)).filter((p) => p.authorId === user.userId && p.status !== 'cancelled');
  if (own.length === 0) return undefined;
  return ProductionSection({ ctx, view: { base, produces: false, editable: false, galleys: [], locales: [], productionFiles: [], proofs: [], authors: [], ownProofs: own.map((p) => ({ id: p.id, status: p.status })), ...(notice ? { notice } : {}) } });
}

export async function productionRoutes(app: FastifyInstance, deps: WorkflowWebDeps): Promise<void> {
  const { db, files, clock } = deps;
  const routes = typed(app);

  /** The submission the viewer may read; anyone else learns nothing of it (404). */
  async function readable(request: FastifyRequest<{ Params: { id: string } }>): Promise<SubmissionRecord> {
    const submission = await findSubmission(db, request.viewer.journal!.id, parseId(request.params.id));
    if (!submission || !can(request.viewer.user, 'submission.read', submission.resource)) throw new NotFoundError();
    return submission;
  }

  /** The submission whose galleys and proofs the viewer works on (a reader of it who may not: 403). */
  async function producible(request: FastifyRequest<{ Params: { id: string } }>): Promise<SubmissionRecord> {
    const submission = await readable(request);
    requireCan(request, 'submission.produce', submission.resource);
    return submission;
  }

  async function galleyOr404(submission: SubmissionRecord, galleyIdText: string): Promise<ProductionGalley> {
    const galleyId = parseId(galleyIdText);
    const galley = (await productionGalleys(db, files, submission.publicationId)).find((g) => g.id === galleyId);
    if (!galley) throw new NotFoundError();
    return galley;
  }

  const back = (request: FastifyRequest, reply: FastifyReply, submission: SubmissionRecord, outcome: { notice: ProductionNotice } | { error: ProductionError }) => {
    const params = 'error' in outcome ? outcome.error.params : {};
    const extra = new URLSearchParams();
    if (typeof params.max === 'number') extra.set('max', String(params.max));
    if (typeof params.type === 'string') extra.set('type', params.type.slice(0, 100));
    const query = 'notice' in outcome ? `productionNotice=${outcome.notice}` : `productionError=${outcome.error.code}${extra.size > 0 ? `&${extra.toString()}` : ''}`;
    return reply.redirect(`${pageOf(request, submission.id)}?${query}#production`, 303);
  };

  /** Runs a command; a refusal goes back to the page with its message. */
  async function attempt(request: FastifyRequest, reply: FastifyReply, submission: SubmissionRecord, notice: ProductionNotice, work: () => Promise<unknown>) {
    try {
      await work();
    } catch (error) {
      if (!(error instanceof ProductionError)) throw error;
      await discardUpload(request, files);
      return back(request, reply, submission, { error });
    }
    keepUpload(request);
    return back(request, reply, submission, { notice });
  }

  const submissionFileId = (text: string) => (/^[0-9]{1,9}$/.test(text) ? Number(text) : undefined);

  // Galleys and assets: uploads are streamed into the store, in a scope of their own.
  await app.register(async (scope) => {
    acceptStreamedUploads(scope, { files, fileFields: ['file'], maxBytes: (_fields, request) => (/\/assets(?:\?|$)/.test(request.url) ? MAX_ASSET_BYTES : MAX_GALLEY_BYTES) });
    const s = typed(scope);

    s.post('/:journal/workflow/index/:id/galleys', { config: { ...SIGNED_IN, uploads: { files: 1, fileBytes: MAX_GALLEY_BYTES } }, schema: { params: SubmissionParams } }, async (request, reply) => {
      const submission = await producible(request);
      if (uploadTooLarge(request) !== undefined) {
        reply.header('connection', 'close');
        return back(request, reply, submission, { error: new ProductionError('file-too-large', 'file', { max: MAX_GALLEY_BYTES }) });
      }
      const body = formBody(request);
      const upload = receivedUpload(request)?.stored;
      const chosen = submissionFileId(formText(body, 'submissionFileId', 12));
      const remoteUrl = formText(body, 'remoteUrl', 2000);
      const source: GalleySource | undefined = upload ? { kind: 'upload', upload } : chosen !== undefined ? { kind: 'submission-file', submissionFileId: chosen } : remoteUrl !== '' ? { kind: 'remote', url: remoteUrl } : undefined;
      return attempt(request, reply, submission, 'galley-added', async () => {
        if (!source) throw new ProductionError('file-or-url');
        await createGalley(db, { journalId: submission.journalId, submissionId: submission.id, userId: request.viewer.user!.userId, label: formText(body, 'label', 200), locale: formText(body, 'locale', 20), source });
        request.log.info({ submissionId: submission.id, source: source.kind }, 'galley added');
      });
    });

    s.post('/:journal/workflow/index/:id/galleys/:galleyId/edit', { config: { ...SIGNED_IN, uploads: { files: 1, fileBytes: MAX_GALLEY_BYTES } }, schema: { params: GalleyParams } }, async (request, reply) => {
      const submission = await producible(request);
      const galley = await galleyOr404(submission, request.params.galleyId);
      const { ctx } = await formPage(db, request, reply);
      const refuse = async (error: ProductionError, status: number) => {
        await discardUpload(request, files);
        const view = { locales: await localeOptions(db, submission.journalId), productionFiles: (await submissionFiles(db, submission.id, 'production')).map((f) => ({ id: f.id, name: f.name })) };
        return sendPrivatePage(reply, GalleyEditPage({ ctx, base: pageOf(request, submission.id), galley, view, error: ctx.t(PRODUCTION_ERROR_LABEL[error.code], { max: typeof error.params.max === 'number' ? (error.code === 'file-too-large' ? formatFileSize(error.params.max, ctx.locale) : String(error.params.max)) : '—', type: String(error.params.type ?? '—') }) }), status);
      };
      if (uploadTooLarge(request) !== undefined) {
        reply.header('connection', 'close');
        return refuse(new ProductionError('file-too-large', 'file', { max: MAX_GALLEY_BYTES }), 413);
      }
      const body = formBody(request);
      const upload = receivedUpload(request)?.stored;
      const chosen = submissionFileId(formText(body, 'submissionFileId', 12));
      try {
        await editGalley(db, {
          journalId: submission.journalId,
          submissionId: submission.id,
          galleyId: galley.id,
          userId: request.viewer.user!.userId,
          label: formText(body, 'label', 200),
          locale: formText(body, 'locale', 20),
          remoteUrl: formText(body, 'remoteUrl', 2000),
          ...(upload ? { replace: { kind: 'upload' as const, upload } } : chosen !== undefined ? { replace: { kind: 'submission-file' as const, submissionFileId: chosen } } : {}),
        });
      } catch (error) {
        if (!(error instanceof ProductionError)) throw error;
        return refuse(error, error.status);
      }
      keepUpload(request);
      return back(request, reply, submission, { notice: 'galley-saved' });
    });

    s.post('/:journal/workflow/index/:id/galleys/:galleyId/assets', { config: { ...SIGNED_IN, uploads: { files: 1, fileBytes: MAX_GALLEY_BYTES } }, schema: { params: GalleyParams } }, async (request, reply) => {
      const submission = await producible(request);
      const galley = await galleyOr404(submission, request.params.galleyId);
      if (uploadTooLarge(request) !== undefined) {
        reply.header('connection', 'close');
        return back(request, reply, submission, { error: new ProductionError('file-too-large', 'file', { max: MAX_ASSET_BYTES }) });
      }
      const upload = receivedUpload(request)?.stored;
      const name = formText(formBody(request), `assetName-${galley.id}`, 300) || (upload?.originalName ?? '');
      return attempt(request, reply, submission, 'asset-added', async () => {
        if (!upload) throw new ProductionError('file-empty', 'file');
        if (upload.sizeBytes > MAX_ASSET_BYTES) throw new ProductionError('file-too-large', 'file', { max: MAX_ASSET_BYTES });
        await addGalleyAsset(db, { journalId: submission.journalId, submissionId: submission.id, galleyId: galley.id, userId: request.viewer.user!.userId, name, upload: await retypedAsset(files, upload, name) });
      });
    });
  });

  routes.get('/:journal/workflow/index/:id/galleys/:galleyId/edit', { config: SIGNED_IN, schema: { params: GalleyParams } }, async (request, reply) => {
    const submission = await producible(request);
    const galley = await galleyOr404(submission, request.params.galleyId);
    const { ctx } = await formPage(db, request, reply);
    const view = { locales: await localeOptions(db, submission.journalId), productionFiles: (await submissionFiles(db, submission.id, 'production')).map((f) => ({ id: f.id, name: f.name })) };
    return sendPrivatePage(reply, GalleyEditPage({ ctx, base: pageOf(request, submission.id), galley, view }));
  });

  routes.post('/:journal/workflow/index/:id/galleys/:galleyId/move', { config: SIGNED_IN, schema: { params: GalleyParams } }, async (request, reply) => {
    const submission = await producible(request);
    const galley = await galleyOr404(submission, request.params.galleyId);
    const direction = formText(formBody(request), 'direction', 10) === 'up' ? 'up' : 'down';
    return attempt(request, reply, submission, 'galley-moved', () => reorderGalley(db, { journalId: submission.journalId, submissionId: submission.id, galleyId: galley.id, userId: request.viewer.user!.userId, direction }));
  });

  // Removing is confirmed on a page of its own (nothing destructive on one click).
  routes.get('/:journal/workflow/index/:id/galleys/:galleyId/remove', { config: SIGNED_IN, schema: { params: GalleyParams } }, async (request, reply) => {
    const submission = await producible(request);
    const galley = await galleyOr404(submission, request.params.galleyId);
    const { ctx } = await formPage(db, request, reply);
    return sendPrivatePage(reply, RemoveGalleyPage({ ctx, base: pageOf(request, submission.id), galley }));
  });

  routes.post('/:journal/workflow/index/:id/galleys/:galleyId/remove', { config: SIGNED_IN, schema: { params: GalleyParams } }, async (request, reply) => {
    const submission = await producible(request);
    const galley = await galleyOr404(submission, request.params.galleyId);
    return attempt(request, reply, submission, 'galley-removed', () => deleteGalley(db, { journalId: submission.journalId, submissionId: submission.id, galleyId: galley.id, userId: request.viewer.user!.userId }));
  });

  // Removing one of an HTML galley's files is asked first, on a page of its own (works without JavaScript).
  routes.get('/:journal/workflow/index/:id/galleys/:galleyId/assets/:assetId/remove', { config: SIGNED_IN, schema: { params: AssetParams } }, async (request, reply) => {
    const submission = await producible(request);
    const galley = await galleyOr404(submission, request.params.galleyId);
    const asset = galley.assets.find((a) => a.id === parseId(request.params.assetId));
    if (!asset) throw new NotFoundError();
    const { ctx } = await formPage(db, request, reply);
    return sendPrivatePage(reply, RemoveAssetPage({ ctx, base: pageOf(request, submission.id), galley, asset }));
  });

  routes.post('/:journal/workflow/index/:id/galleys/:galleyId/assets/:assetId/remove', { config: SIGNED_IN, schema: { params: AssetParams } }, async (request, reply) => {
    const submission = await producible(request);
    const galley = await galleyOr404(submission, request.params.galleyId);
    const assetId = parseId(request.params.assetId);
    if (!galley.assets.some((a) => a.id === assetId)) throw new NotFoundError();
    return attempt(request, reply, submission, 'asset-removed', () => deleteGalleyAsset(db, { journalId: submission.journalId, submissionId: submission.id, galleyId: galley.id, assetId, userId: request.viewer.user!.userId }));
  });

  routes.post('/:journal/workflow/index/:id/proofs', { config: SIGNED_IN, schema: { params: SubmissionParams } }, async (request, reply) => {
    const submission = await producible(request);
    const body = formBody(request);
    const authorIds = formList(body, 'authorIds').filter((v) => /^[0-9]{1,9}$/.test(v)).map(Number).slice(0, 50);
    return attempt(request, reply, submission, 'proofs-sent', () =>
      sendProofs(db, { journalId: submission.journalId, submissionId: submission.id, authorIds, message: formText(body, 'message', 20000), requestedBy: request.viewer.user!.userId, now: clock.now() }),
    );
  });

  routes.post('/:journal/workflow/index/:id/proofs/:proofId/cancel', { config: SIGNED_IN, schema: { params: ProofParams } }, async (request, reply) => {
    const submission = await producible(request);
    const proof = await findProof(db, submission.id, parseId(request.params.proofId));
    if (!proof) throw new NotFoundError();
    return attempt(request, reply, submission, 'proof-cancelled', () => cancelProof(db, { journalId: submission.journalId, submissionId: submission.id, proofId: proof.id, userId: request.viewer.user!.userId }));
  });

  /** A proof request the viewer may see: the author it went to, or the submission's layout editors and editors. */
  async function visibleProof(request: FastifyRequest<{ Params: { id: string; proofId: string } }>) {
    const submission = await readable(request);
    const proof = await findProof(db, submission.id, parseId(request.params.proofId));
    const user = request.viewer.user;
    if (!proof || !(proof.authorId === user?.userId || can(user, 'submission.produce', submission.resource))) throw new NotFoundError();
    return { submission, proof };
  }

  async function showProof(request: FastifyRequest<{ Params: { id: string; proofId: string } }>, reply: FastifyReply, found: Awaited<ReturnType<typeof visibleProof>>, outcome: { notice?: string; error?: string } = {}, status = 200) {
    const { submission, proof } = found;
    const { ctx } = await formPage(db, request, reply);
    const publication = await db.selectFrom('publications').select(['title', 'locale']).where('id', '=', submission.publicationId).executeTakeFirstOrThrow();
    const galleys = await productionGalleys(db, files, submission.publicationId);
    const title = richToPlainLine(localizeText(publication.title, ctx.locale, publication.locale));
    return sendPrivatePage(
      reply,
      ProofPage({
        ctx,
        data: {
          base: pageOf(request, submission.id),
          submissionId: submission.id,
          title,
          titleLang: publication.title[ctx.locale] ? undefined : publication.locale,
          proof: { id: proof.id, status: proof.status, message: proof.message, response: proof.response, answeredAt: proof.answeredAt },
          galleys: galleys.map((g) => ({ id: g.id, label: g.label, locale: g.locale, format: g.format })),
          canAnswer: can(request.viewer.user, 'proof.answer', proofResource(submission, proof)),
          ...outcome,
        },
      }),
      status,
    );
  }

  routes.get('/:journal/workflow/index/:id/proofs/:proofId', { config: SIGNED_IN, schema: { params: ProofParams, querystring: NoticeQuery } }, async (request, reply) => {
    const found = await visibleProof(request);
    const { ctx } = await formPage(db, request, reply);
    return showProof(request, reply, found, request.query.productionNotice === 'proof-answered' ? { notice: ctx.t('production.notice.proof-answered') } : {});
  });

  routes.post('/:journal/workflow/index/:id/proofs/:proofId', { config: SIGNED_IN, schema: { params: ProofParams } }, async (request, reply) => {
    const found = await visibleProof(request);
    requireCan(request, 'proof.answer', proofResource(found.submission, found.proof));
    const body = formBody(request);
    const approve = formText(body, 'answer', 20) === 'approve';
    const { ctx } = await formPage(db, request, reply);
    try {
      await answerProof(db, { journalId: found.submission.journalId, submissionId: found.submission.id, proofId: found.proof.id, userId: request.viewer.user!.userId, approve, response: approve ? '' : formText(body, 'response', 20000), now: clock.now() });
    } catch (error) {
      if (!(error instanceof ProductionError)) throw error;
      return showProof(request, reply, found, { error: ctx.t(PRODUCTION_ERROR_LABEL[error.code], { max: 20000 }) }, error.status);
    }
    return reply.redirect(`${pageOf(request, found.submission.id)}/proofs/${found.proof.id}?productionNotice=proof-answered`, 303);
  });
}
