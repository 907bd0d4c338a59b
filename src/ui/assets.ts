import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';

/**
 * Static assets, each served under a name carrying its hash so browsers may keep it for a year and
 * still see a new version the moment it changes.
 */
function asset(file: string, extension: 'css' | 'js') {
  const body = readFileSync(new URL(`./${file}`, import.meta.url));
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
  const name = file.replace(/\.(css|js)$/, '');
  return { body, hash, href: `/assets/${name}.${hash}.${extension}`, type: extension === 'css' ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8' };
}

/** The reader site's stylesheet (every page loads it). */
const stylesheet = asset('revista.css', 'css');
/** The management and administration application's look, on top of the reader stylesheet; those pages only. */
const manageStylesheet = asset('manage.css', 'css');
/** Upload progress for large file forms (`data-upload-progress`); the forms work without it. */
const uploadScript = asset('upload-progress.js', 'js');
/** Confirmations (`a[data-confirm]`) in a dialog on management pages; the links work without it. */
const confirmScript = asset('confirm-dialog.js', 'js');

export const STYLESHEET_HREF = stylesheet.href;
export const MANAGE_STYLESHEET_HREF = manageStylesheet.href;
export const UPLOAD_PROGRESS_SCRIPT_HREF = uploadScript.href;
export const CONFIRM_DIALOG_SCRIPT_HREF = confirmScript.href;

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
  for (const file of [stylesheet, manageStylesheet, uploadScript, confirmScript]) {
    app.get(file.href, async (_request, reply) => {
      return reply.type(file.type).header('cache-control', 'public, max-age=31536000, immutable').header('etag', `"${file.hash}"`).send(file.body);
    });
  }
}
