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

/**
 * Revista's own icon, for `/favicon.ico`, which browsers ask for on every site whatever the page
 * says; a journal's own favicon is linked from its pages (`<link rel="icon">`) and wins there.
 */
const favicon = readFileSync(new URL('./favicon.ico', import.meta.url));
const faviconHash = createHash('sha256').update(favicon).digest('hex').slice(0, 12);

export async function assetsPlugin(app: FastifyInstance): Promise<void> {
  app.get('/favicon.ico', async (request, reply) => {
    if (request.headers['if-none-match'] === `"${faviconHash}"`) return reply.code(304).header('etag', `"${faviconHash}"`).send();
    // A fixed address, so a day's caching rather than a year's: a new icon reaches browsers tomorrow.
    return reply.type('image/x-icon').header('cache-control', 'public, max-age=86400').header('etag', `"${faviconHash}"`).send(favicon);
  });
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
