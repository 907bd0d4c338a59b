import fs from 'node:fs';
import type { FastifyReply, FastifyRequest, RouteShorthandOptions } from 'fastify';
import { matchesIfNoneMatch } from '../platform/http/caching.ts';
import { NotFoundError } from '../platform/http/errors.ts';
import { InvalidStorageKeyError, mimeEssence, type FileStore } from '../storage/index.ts';
import type { GalleyFile } from './types.ts';

/**
 * HTML galleys are uploaded by layout editors and imported from OJS: HTML the site did not write, so
 * it must never run script with the site's authority. It is served only on its own path, with a CSP
 * `sandbox` (the document gets an opaque origin and no script runs: also when opened directly,
 * outside the viewer's <iframe sandbox>), no network access but its own images, styles and fonts,
 * no forms, no plugins, and no cookies set. Its assets (images, style sheets, fonts) are served under
 * the same path and policy, so an SVG with a script opened on its own runs nothing either.
 */
export const GALLEY_HTML_CSP = [
  // Links with target=_blank may open (outside the sandbox, as any link from another site would); nothing else is allowed.
  'sandbox allow-popups allow-popups-to-escape-sandbox',
  "default-src 'none'",
  "img-src 'self' data:",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self'",
  "media-src 'self'",
  "form-action 'none'",
  "base-uri 'none'",
  "frame-ancestors 'self'",
].join('; ');

/** The sandbox attribute of the viewer's <iframe>: neither scripts nor the site's origin. */
export const GALLEY_HTML_FRAME_SANDBOX = 'allow-popups allow-popups-to-escape-sandbox';

/** Whether a galley's file is an HTML document (shown in the sandboxed frame). */
export function isHtmlGalley(galley: Pick<GalleyFile, 'remoteUrl' | 'file'>): boolean {
  const type = galley.file ? mimeEssence(galley.file.mimeType) : undefined;
  return galley.remoteUrl === null && (type === 'text/html' || type === 'application/xhtml+xml');
}

/** Script types: an asset of one is sent as bytes to download, never as something a browser runs. */
const SCRIPT_TYPES = /^(?:application|text)\/(?:x-)?(?:java|ecma|j|live)script(?:1\.\d)?$/;

/**
 * The route option that keeps cookies off the sandboxed answers: whatever a hook before the handler
 * set (a refreshed session, a visitor's form token), an HTML galley's answer sets none.
 */
export const withoutCookies: Pick<RouteShorthandOptions, 'onSend'> = {
  onSend: (_request, reply, payload, done) => {
    reply.removeHeader('set-cookie');
    done(null, payload);
  },
};

type StoredFile = NonNullable<GalleyFile['file']>;

async function sendSandboxed(request: FastifyRequest, reply: FastifyReply, store: FileStore, file: StoredFile, type: string, audience: 'public' | 'private'): Promise<FastifyReply> {
  let path: string;
  try {
    path = store.pathOf(file.storageKey);
  } catch (error) {
    if (!(error instanceof InvalidStorageKeyError)) throw error;
    throw new NotFoundError('galley file has an invalid storage key');
  }
  let size: number;
  try {
    size = (await fs.promises.stat(path)).size;
  } catch {
    request.log.error({ storageKey: file.storageKey }, 'HTML galley file missing from storage');
    throw new NotFoundError('galley file missing');
  }
  const etag = `"${file.sha256}"`;
  reply
    .header('content-security-policy', GALLEY_HTML_CSP)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('etag', etag)
    .header('cache-control', audience === 'public' ? 'public, max-age=0, must-revalidate' : 'private, no-store')
    .type(type);
  if (matchesIfNoneMatch(request.headers['if-none-match'], etag)) return reply.code(304).send();
  return reply.header('content-length', size).send(fs.createReadStream(path));
}

/** An HTML galley's document, sandboxed (see GALLEY_HTML_CSP); a galley of another type is not one (404). */
export async function sendGalleyHtml(request: FastifyRequest, reply: FastifyReply, store: FileStore, galley: GalleyFile, audience: 'public' | 'private'): Promise<FastifyReply> {
  if (!galley.file || !isHtmlGalley(galley)) throw new NotFoundError('not an HTML galley');
  return sendSandboxed(request, reply, store, galley.file, 'text/html; charset=utf-8', audience);
}

/** One asset of an HTML galley, under the same sandbox; scripts only ever as bytes. */
export async function sendGalleyAsset(request: FastifyRequest, reply: FastifyReply, store: FileStore, asset: StoredFile, audience: 'public' | 'private'): Promise<FastifyReply> {
  const type = mimeEssence(asset.mimeType) ?? 'application/octet-stream';
  return sendSandboxed(request, reply, store, asset, SCRIPT_TYPES.test(type) ? 'application/octet-stream' : type, audience);
}
