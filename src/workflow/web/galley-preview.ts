import type { FastifyInstance, FastifyRequest } from 'fastify';
import { can, equalInConstantTime, hmac, siteSecret, type SignedInUser } from '../../accounts/index.ts';
import {
  findGalleyAsset,
  findGalleyToView,
  galleyShown,
  GalleyViewPage,
  isGalleyAssetName,
  isHtmlGalley,
  sendGalley,
  sendGalleyAsset,
  sendGalleyHtml,
  withoutCookies,
  type GalleyToView,
} from '../../catalog/index.ts';
import { IdText, JournalPath, NotFoundError, Type, parseId, typed } from '../../platform/http/index.ts';
import { formPage, sendPrivatePage } from '../../platform/web/index.ts';
import { findSubmission } from '../queries.ts';
import type { WorkflowWebDeps } from './deps.ts';

/**
 * The team's preview of a galley before publication (issue 21, item 2): the galley's page as readers
 * will see it (catalog's GalleyViewPage, the same serving code), for those who produce the galleys
 * (`submission.produce`) and the submission's authors, who check the proofs. Anyone else learns
 * nothing (404, as for no galley).
 *
 * The HTML galley's frame and its assets cannot rely on the session: the sandboxed document has an
 * opaque origin, so the browser sends its image and style requests without the site's SameSite
 * cookies. They are reached through a short-lived signed address instead, made for the viewer who was
 * let see the page (the galley, the viewer and an expiry, signed with the site's secret).
 */

const SIGNED_IN = { permission: 'journal.submit' as const };
const PreviewParams = Type.Object({ journal: JournalPath, id: IdText, galleyId: IdText });
const FrameParams = Type.Object({ journal: JournalPath, id: IdText, galleyId: IdText, token: Type.String({ pattern: '^[0-9]{1,12}\\.[0-9]{1,10}\\.[A-Za-z0-9_-]{43}$' }) });
const AssetParams = Type.Object({ journal: JournalPath, id: IdText, galleyId: IdText, token: FrameParams.properties.token, '*': Type.String({ maxLength: 1000 }) });
const FileQuery = Type.Object({ inline: Type.Optional(Type.String({ maxLength: 10 })) });

/** How long a signed frame address stays good: a preview left open that long is reloaded. */
const FRAME_LIFETIME_S = 4 * 3600;

export const galleyPreviewAddress = (journalPath: string, submissionId: number, galleyId: number) => `/${journalPath}/workflow/index/${submissionId}/galleys/${galleyId}/preview`;

export async function galleyPreviewRoutes(app: FastifyInstance, deps: WorkflowWebDeps): Promise<void> {
  const { db, files, clock } = deps;
  const routes = typed(app);
  let secret: Promise<string> | undefined;
  const frameSecret = () => (secret ??= siteSecret(db, 'galley-preview'));

  const signed = async (user: number, journalId: number, submissionId: number, galleyId: number, expires: number) =>
    hmac(await frameSecret(), `galley-preview:${journalId}:${submissionId}:${galleyId}:${user}:${expires}`);

  /** The galley, when the viewer produces the submission's galleys or is one of its authors; else 404. */
  async function previewedGalley(request: FastifyRequest<{ Params: { id: string; galleyId: string } }>): Promise<{ galley: GalleyToView; user: SignedInUser }> {
    const journalId = request.viewer.journal!.id;
    const user = request.viewer.user;
    const submission = await findSubmission(db, journalId, parseId(request.params.id));
    if (!user || !submission) throw new NotFoundError();
    const author = submission.status !== 'draft' && submission.participants.some((p) => p.role === 'author' && p.userId === user.userId);
    if (!can(user, 'submission.produce', submission.resource) && !author) throw new NotFoundError();
    const galley = await findGalleyToView(db, journalId, submission.id, parseId(request.params.galleyId));
    if (!galley) throw new NotFoundError();
    return { galley, user };
  }

  /** The galley a signed frame address names, while the address is good; else 404. */
  async function framedGalley(params: { journal: string; id: string; galleyId: string; token: string }): Promise<GalleyToView> {
    const journal = await db.selectFrom('journals').select('id').where('path', '=', params.journal).executeTakeFirst();
    if (!journal) throw new NotFoundError();
    const [expires, user, mac] = params.token.split('.') as [string, string, string];
    const submissionId = parseId(params.id);
    const galleyId = parseId(params.galleyId);
    if (Number(expires) * 1000 < clock.now().getTime()) throw new NotFoundError('preview address expired');
    if (!equalInConstantTime(mac, await signed(Number(user), journal.id, submissionId, galleyId, Number(expires)))) throw new NotFoundError();
    const galley = await findGalleyToView(db, journal.id, submissionId, galleyId);
    if (!galley || !isHtmlGalley(galley)) throw new NotFoundError();
    return galley;
  }

  routes.get('/:journal/workflow/index/:id/galleys/:galleyId/preview', { config: SIGNED_IN, schema: { params: PreviewParams } }, async (request, reply) => {
    const { galley, user } = await previewedGalley(request);
    const { ctx, journal } = await formPage(db, request, reply);
    const path = request.params.journal;
    const base = galleyPreviewAddress(path, galley.articleId, galley.galleyId);
    const expires = Math.floor(clock.now().getTime() / 1000) + FRAME_LIFETIME_S;
    const token = `${expires}.${user.userId}.${await signed(user.userId, journal!.id, galley.articleId, galley.galleyId, expires)}`;
    const shown = galleyShown(galley, { inlinePdf: `${base}/file?inline=1`, html: `${base}/html/${token}/` });
    if (!shown) throw new NotFoundError();
    const page = GalleyViewPage({
      ctx,
      data: { galley, shown, preview: true, journalLocale: journal!.primaryLocale, journalPath: path, backHref: `/${path}/workflow/index/${galley.articleId}`, ...(galley.remoteUrl === null ? { downloadHref: `${base}/file` } : {}) },
    });
    return sendPrivatePage(reply, page);
  });

  // The galley's file: a download, or (?inline=1) the PDF in the preview's frame. Never counted as usage.
  routes.get('/:journal/workflow/index/:id/galleys/:galleyId/preview/file', { config: SIGNED_IN, schema: { params: PreviewParams, querystring: FileQuery } }, async (request, reply) => {
    const { galley } = await previewedGalley(request);
    return sendGalley(request, reply, files, { galleyId: galley.galleyId, label: galley.label, remoteUrl: galley.remoteUrl, file: galley.file }, 'private', request.query.inline === '1' ? 'inline' : 'attachment');
  });

  routes.get('/:journal/workflow/index/:id/galleys/:galleyId/preview/html/:token/', { schema: { params: FrameParams }, ...withoutCookies }, async (request, reply) => {
    const galley = await framedGalley(request.params);
    return sendGalleyHtml(request, reply, files, { galleyId: galley.galleyId, label: galley.label, remoteUrl: galley.remoteUrl, file: galley.file }, 'private');
  });

  routes.get('/:journal/workflow/index/:id/galleys/:galleyId/preview/html/:token/*', { schema: { params: AssetParams }, ...withoutCookies }, async (request, reply) => {
    const name = request.params['*'];
    if (!isGalleyAssetName(name)) throw new NotFoundError('not an asset name');
    const galley = await framedGalley(request.params);
    const asset = await findGalleyAsset(db, galley.galleyId, name);
    if (!asset) throw new NotFoundError('no such asset');
    return sendGalleyAsset(request, reply, files, asset, 'private');
  });
}
