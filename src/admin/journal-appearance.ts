import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { sendPrivatePage } from '../platform/web/index.ts';
import { updateJournal } from '../catalog/index.ts';
import type { Database } from '../db/index.ts';
import { formBody, formChecked, formText } from '../platform/http/forms.ts';
import type { FileStore } from '../storage/index.ts';
import { sanitizeCss, type FormErrors } from '../ui/index.ts';
import { contrastRatio, detectImageType, imageUploads, MAX_IMAGE_BYTES, storeImage, uploadedBytes } from './images.ts';
import { managementBase as base, manageContext, noticeFrom, SETTINGS } from './manage-context.ts';
import { AppearancePage } from './views/manage.tsx';

const settings = SETTINGS;

/** The journal's look: theme colour (contrast-checked), custom CSS (sanitized), logo, favicon, homepage image. */
export function journalAppearanceRoutes(app: FastifyInstance, deps: { db: Kysely<Database>; files: FileStore }): void {
  const { db, files } = deps;

  // Appearance: colour, custom CSS, logo, favicon, homepage image.
  app.get('/:journal/management/appearance', settings, async (request, reply) => {
    const m = await manageContext(db, request, reply);
    const j = m.journal;
    const notice = noticeFrom(request, ['saved']) ? m.ctx.t('admin.saved') : undefined;
    return sendPrivatePage(
      reply,
      AppearancePage({ ...m, notice, form: { colour: j.theme_colour ?? '', customCss: j.custom_css ?? '', removed: [], hasLogo: j.logo_file_id !== null, hasFavicon: j.favicon_file_id !== null, hasHomepageImage: j.homepage_image_file_id !== null, errors: {} } }),
    );
  });

  app.post('/:journal/management/appearance', { config: { ...settings.config, uploads: imageUploads(3) } }, async (request, reply) => {
    const m = await manageContext(db, request, reply);
    const { t } = m.ctx;
    const body = formBody(request);
    const errors: FormErrors = {};
    const colourText = formText(body, 'colour', 20).toLowerCase();
    let colour: string | null = null;
    if (colourText !== '') {
      if (!/^#[0-9a-f]{6}$/.test(colourText)) errors.colour = t('manage.colourInvalid');
      else if (contrastRatio(colourText, '#ffffff') < 4.5) errors.colour = t('manage.colourContrast', { ratio: contrastRatio(colourText, '#ffffff').toFixed(2) });
      else colour = colourText;
    }
    const cssText = formText(body, 'customCss', 100_000);
    const { css, removed } = sanitizeCss(cssText);
    const images: Partial<Record<'logo' | 'favicon' | 'homepageImage', number | null>> = {};
    for (const kind of ['logo', 'favicon', 'homepageImage'] as const) {
      const bytes = uploadedBytes(body, kind);
      if (bytes) {
        const type = detectImageType(bytes);
        if (!type) errors[kind] = t('manage.imageType');
        else if (bytes.length > MAX_IMAGE_BYTES) errors[kind] = t('manage.imageTooLarge');
        else images[kind] = await storeImage(db, files, bytes, type, `${m.journal.path}-${kind}`);
      } else if (formChecked(body, `remove-${kind}`)) images[kind] = null;
    }
    const j = m.journal;
    const form = { colour: colourText, customCss: cssText, removed, hasLogo: j.logo_file_id !== null, hasFavicon: j.favicon_file_id !== null, hasHomepageImage: j.homepage_image_file_id !== null, errors };
    if (Object.keys(errors).length > 0) return sendPrivatePage(reply, AppearancePage({ ...m, form }), 400);
    // An image left undefined (neither uploaded nor removed) stays as it is.
    await updateJournal(db, j.id, { themeColour: colour, customCss: css.trim() === '' ? null : css, logoFileId: images.logo, faviconFileId: images.favicon, homepageImageFileId: images.homepageImage });
    // What the sanitizer took out is shown, not silently dropped.
    if (removed.length > 0) return sendPrivatePage(reply, AppearancePage({ ...m, notice: t('admin.saved'), form: { ...form, customCss: css } }));
    return reply.redirect(`${base(request)}/appearance?notice=saved`, 303);
  });
}
