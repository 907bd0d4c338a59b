import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Kysely } from 'kysely';
import {
  findGalleyAsset,
  findGalleyFile,
  findGalleyToView,
  galleyShown,
  GalleyViewPage,
  isGalleyAssetName,
  isHtmlGalley,
  sendGalleyAsset,
  sendGalleyHtml,
  withoutCookies,
  type JournalSummary,
} from '../catalog/index.ts';
import type { Database } from '../db/index.ts';
import { NotFoundError, parseId } from '../platform/http/index.ts';
import { JOURNAL_PATH, type PageFrame, type PublicPages } from '../platform/web/index.ts';
import type { UsageRecorder } from '../stats/index.ts';
import type { FileStore } from '../storage/index.ts';

/**
 * Reading a galley in the page (issue 21, item 2): OJS's `/{journal}/article/view/{id}/{galleyId}`,
 * where OJS shows its PDF.js viewer. A PDF is shown by the browser's own viewer, an HTML galley in a
 * sandboxed frame served from its own path (`/{journal}/article/galley-html/{id}/{galleyId}/` and its
 * assets beneath), anything else is offered for download, a remote galley is linked to.
 *
 * Usage (COUNTER): the page itself counts nothing; the galley's bytes count as a download (Request)
 * where they are sent: the PDF through the download address (inline), the HTML document here. Its
 * images and styles are not the article's text and count nothing.
 */

export interface GalleyViewOptions {
  db: Kysely<Database>;
  files: FileStore;
  frame: PageFrame<JournalSummary>;
  page: PublicPages['send'];
  usage?: UsageRecorder;
}

const galleyParams = Type.Object({ journal: Type.String({ pattern: JOURNAL_PATH }), id: Type.String(), galleyId: Type.String() });
// An asset's name may have folders (`images/fig1.png`, as the HTML's relative links name it): the rest of the path.
const assetParams = Type.Object({ journal: Type.String({ pattern: JOURNAL_PATH }), id: Type.String(), galleyId: Type.String(), '*': Type.String({ maxLength: 1000 }) });

/** Where readers find a galley's parts; the workflow's preview has its own (galleyPreviewAddresses). */
export const readerGalleyAddresses = (journalPath: string, articleId: number, galleyId: number) => ({
  view: `/${journalPath}/article/view/${articleId}/${galleyId}`,
  download: `/${journalPath}/article/download/${articleId}/${galleyId}`,
  inlinePdf: `/${journalPath}/article/download/${articleId}/${galleyId}?inline=1`,
  html: `/${journalPath}/article/galley-html/${articleId}/${galleyId}/`,
});

export function galleyViewRoutes(plain: FastifyInstance, options: GalleyViewOptions): void {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  const { db, files, frame, page } = options;

  // Not a galley of this article (an OJS galley id or url_path of imported content, say): a 404 here,
  // which the page frame turns into the OJS address map's 301 where there is one (ojsLegacyTarget).
  app.get('/:journal/article/view/:id/:galleyId', { schema: { params: galleyParams } }, async (request, reply) => {
    const params = request.params;
    const journal = await frame.journalOr404(params.journal);
    const articleId = parseId(params.id);
    const galleyId = parseId(params.galleyId);
    const ctx = await frame.context(request, reply, journal);
    return page(request, reply, ctx, async () => {
      // Readers' galleys only: of the current version, or of an earlier published one.
      if (!(await findGalleyFile(db, journal.id, articleId, galleyId))) return null;
      const galley = await findGalleyToView(db, journal.id, articleId, galleyId);
      if (!galley) return null;
      const addresses = readerGalleyAddresses(journal.path, articleId, galleyId);
      const shown = galleyShown(galley, addresses);
      if (!shown) return null;
      const backHref = galley.current ? `/${journal.path}/article/view/${articleId}` : `/${journal.path}/article/view/${articleId}/version/${galley.publicationId}`;
      return String(
        GalleyViewPage({
          ctx,
          data: { galley, shown, journalLocale: journal.primaryLocale, journalPath: journal.path, backHref, ...(galley.remoteUrl === null ? { downloadHref: addresses.download } : {}) },
        }),
      );
    });
  });

  // The HTML galley's document, sandboxed; read in the viewer's frame (or opened alone: still sandboxed).
  app.get('/:journal/article/galley-html/:id/:galleyId/', { schema: { params: galleyParams }, ...withoutCookies }, async (request, reply) => {
    const params = request.params;
    const journal = await frame.journalOr404(params.journal);
    const articleId = parseId(params.id);
    const galley = await findGalleyFile(db, journal.id, articleId, parseId(params.galleyId));
    if (!galley || !isHtmlGalley(galley)) throw new NotFoundError('no such HTML galley');
    if (request.method === 'GET') {
      await options.usage?.record({ journalId: journal.id, articleId, galleyId: galley.galleyId, kind: 'request', ip: request.ip, userAgent: request.headers['user-agent'] }, { urgent: true });
    }
    return sendGalleyHtml(request, reply, files, galley, 'public');
  });

  // Its images, styles and fonts, by their exact names (never `..` or a backslash: see isGalleyAssetName).
  app.get('/:journal/article/galley-html/:id/:galleyId/*', { schema: { params: assetParams }, ...withoutCookies }, async (request, reply) => {
    const params = request.params;
    const name = params['*'];
    if (!isGalleyAssetName(name)) throw new NotFoundError('not an asset name');
    const journal = await frame.journalOr404(params.journal);
    const galley = await findGalleyFile(db, journal.id, parseId(params.id), parseId(params.galleyId));
    if (!galley || !isHtmlGalley(galley)) throw new NotFoundError('no such HTML galley');
    const asset = await findGalleyAsset(db, galley.galleyId, name);
    if (!asset) throw new NotFoundError('no such asset');
    return sendGalleyAsset(request, reply, files, asset, 'public');
  });
}
