import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';

/**
 * The site's one stylesheet, served under a name carrying its hash so browsers may keep it for a year
 * and still see a new version the moment it changes.
 */
const stylesheet = readFileSync(new URL('./revista.css', import.meta.url));
const stylesheetHash = createHash('sha256').update(stylesheet).digest('hex').slice(0, 12);

export const STYLESHEET_HREF = `/assets/revista.${stylesheetHash}.css`;

/** Upload progress for large file forms (`data-upload-progress`); the forms work without it. */
const uploadScript = readFileSync(new URL('./upload-progress.js', import.meta.url));
const uploadScriptHash = createHash('sha256').update(uploadScript).digest('hex').slice(0, 12);

export const UPLOAD_PROGRESS_SCRIPT_HREF = `/assets/upload-progress.${uploadScriptHash}.js`;

export async function assetsPlugin(app: FastifyInstance): Promise<void> {
  app.get(STYLESHEET_HREF, async (_request, reply) => {
    return reply
      .type('text/css; charset=utf-8')
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('etag', `"${stylesheetHash}"`)
      .send(stylesheet);
  });
  app.get(UPLOAD_PROGRESS_SCRIPT_HREF, async (_request, reply) => {
    return reply
      .type('text/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('etag', `"${uploadScriptHash}"`)
      .send(uploadScript);
  });
}
