import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { normaliseEmail, normaliseOrcid } from '../accounts/index.ts';
import { sendPrivatePage } from '../platform/web/index.ts';
import {
  addContributor,
  addGalley,
  moveContributor,
  moveGalley,
  normaliseRor,
  publicationContributors,
  publicationGalleys,
  removeContributor,
  removeGalley,
  saveContributor,
  saveGalley,
  type ArticleForEditing,
  type ContributorFields,
  type StoredGalleyFile,
} from '../catalog/index.ts';
import type { Database } from '../db/index.ts';
import { formBody, formChecked, formLocalized, formText } from '../platform/http/forms.ts';
import { NotFoundError, parseId } from '../platform/http/index.ts';
import { fileType, isActiveContentType, type FileStore } from '../storage/index.ts';
import { isHttpUrl } from '../ui/index.ts';
import { uploadedBytes } from './images.ts';
import { manageContext } from './manage-context.ts';
import { ArticleConfirmPage, ContributorEditPage, GalleyEditPage, MAX_AFFILIATIONS, type ContributorForm, type GalleyForm } from './views/article-parts.tsx';
import { ContributorParams, GalleyParams, IdParams, type WithParams } from './schemas.ts';

/**
 * An article's contributors and galleys (issue 17, item 9). Ids in these addresses are those of the
 * current version's rows; a change readers see makes a new version (catalog/versions.ts), after which
 * the page links the new rows.
 */

/** The largest galley file: a typeset article with figures; larger files belong on a remote host. */
export const MAX_GALLEY_BYTES = 25 * 1024 * 1024;

const permission = { config: { permission: 'journal.articles' as const } };
/** One file, read one byte past the limit so "too large" can be said in words. */
const upload = { config: { ...permission.config, uploads: { files: 1, fileBytes: MAX_GALLEY_BYTES + 1 } } };

const EXTENSIONS: Record<string, string> = {
  'application/pdf': 'pdf',
  'application/epub+zip': 'epub',
  'application/xml': 'xml',
  'text/xml': 'xml',
  'application/zip': 'zip',
  'text/plain': 'txt',
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/msword': 'doc',
  'application/vnd.oasis.opendocument.text': 'odt',
  'application/rtf': 'rtf',
};

type Reply = FastifyReply;

export function journalArticlePartRoutes(
  app: FastifyInstance,
  deps: { db: Kysely<Database>; files: FileStore; articleOr404: (request: WithParams<typeof IdParams>) => Promise<ArticleForEditing> },
): void {
  const { db, files, articleOr404 } = deps;
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const articleBase = (request: FastifyRequest, article: ArticleForEditing) => `/${request.viewer.journal!.path}/management/articles/${article.articleId}`;
  const done = (request: FastifyRequest, reply: Reply, article: ArticleForEditing) => reply.redirect(`${articleBase(request, article)}?notice=changed`, 303);
  const direction = (request: FastifyRequest) => (formText(formBody(request), 'direction', 10) === 'up' ? 'up' : 'down');
  const contributorId = (request: WithParams<typeof ContributorParams>) => parseId(request.params.contributorId);
  const galleyId = (request: WithParams<typeof GalleyParams>) => parseId(request.params.galleyId);

  // Contributors.
  const contributorOr404 = async (request: WithParams<typeof ContributorParams>, article: ArticleForEditing) => {
    const id = contributorId(request);
    const found = (await publicationContributors(db, article.current.id)).find((c) => c.id === id);
    if (!found) throw new NotFoundError();
    return found;
  };

  function readContributor(request: FastifyRequest, locales: readonly string[], t: (key: 'articles.givenNameRequired' | 'articles.emailInvalid' | 'articles.orcidInvalid' | 'articles.rorInvalid' | 'articles.rorWithoutName') => string): { form: ContributorForm; fields: ContributorFields } {
    const body = formBody(request);
    const form: ContributorForm = {
      givenName: formLocalized(body, 'givenName', locales, 300),
      familyName: formLocalized(body, 'familyName', locales, 300),
      email: formText(body, 'email', 320),
      orcid: formText(body, 'orcid', 100),
      affiliations: [],
      isPrimaryContact: formChecked(body, 'isPrimaryContact'),
      includeInBrowse: formChecked(body, 'includeInBrowse'),
      errors: {},
    };
    const fields: ContributorFields = { givenName: form.givenName, familyName: form.familyName, email: null, orcid: null, affiliations: [], isPrimaryContact: form.isPrimaryContact, includeInBrowse: form.includeInBrowse };
    if (Object.keys(form.givenName).length === 0) form.errors.givenName = t('articles.givenNameRequired');
    if (form.email !== '') {
      fields.email = normaliseEmail(form.email);
      if (!fields.email) form.errors.email = t('articles.emailInvalid');
    }
    if (form.orcid !== '') {
      fields.orcid = normaliseOrcid(form.orcid);
      if (!fields.orcid) form.errors.orcid = t('articles.orcidInvalid');
    }
    // Rows left empty are dropped; the rest keep their order.
    for (let i = 0; i < MAX_AFFILIATIONS; i++) {
      const name = formLocalized(body, `affiliation${i}`, locales, 500);
      const ror = formText(body, `ror${i}`, 100);
      if (Object.keys(name).length === 0 && ror === '') continue;
      const row = form.affiliations.length;
      form.affiliations.push({ name, ror });
      const rorUrl = ror === '' ? undefined : normaliseRor(ror);
      if (rorUrl === null) form.errors[`ror${row}`] = t('articles.rorInvalid');
      else if (Object.keys(name).length === 0) form.errors[`affiliation${row}`] = t('articles.rorWithoutName');
      fields.affiliations.push({ name, ...(rorUrl ? { ror: rorUrl } : {}) });
    }
    return { form, fields };
  }

  typed.get('/:journal/management/articles/:id/contributors/new', { ...permission, schema: { params: IdParams } }, async (request, reply) => {
    const m = await manageContext(db, request, reply);
    const article = await articleOr404(request);
    const form: ContributorForm = { givenName: {}, familyName: {}, email: '', orcid: '', affiliations: [], isPrimaryContact: false, includeInBrowse: true, errors: {} };
    return sendPrivatePage(reply, ContributorEditPage({ ...m, article, form }));
  });

  typed.post('/:journal/management/articles/:id/contributors/new', { ...permission, schema: { params: IdParams } }, async (request, reply) => {
    const m = await manageContext(db, request, reply);
    const article = await articleOr404(request);
    const { form, fields } = readContributor(request, m.locales, m.ctx.t);
    if (Object.keys(form.errors).length > 0) return sendPrivatePage(reply, ContributorEditPage({ ...m, article, form }), 400);
    await addContributor(db, article.articleId, fields);
    request.log.info({ articleId: article.articleId }, 'contributor added');
    return done(request, reply, article);
  });

  typed.get('/:journal/management/articles/:id/contributors/:contributorId', { ...permission, schema: { params: ContributorParams } }, async (request, reply) => {
    const m = await manageContext(db, request, reply);
    const article = await articleOr404(request);
    const c = await contributorOr404(request, article);
    const form: ContributorForm = {
      givenName: c.givenName,
      familyName: c.familyName,
      email: c.email ?? '',
      orcid: c.orcid ?? '',
      affiliations: c.affiliations.map((a) => ({ name: a.name, ror: a.ror ?? '' })),
      isPrimaryContact: c.isPrimaryContact,
      includeInBrowse: c.includeInBrowse,
      errors: {},
    };
    return sendPrivatePage(reply, ContributorEditPage({ ...m, article, contributorId: c.id, form }));
  });

  typed.post('/:journal/management/articles/:id/contributors/:contributorId', { ...permission, schema: { params: ContributorParams } }, async (request, reply) => {
    const m = await manageContext(db, request, reply);
    const article = await articleOr404(request);
    const c = await contributorOr404(request, article);
    const { form, fields } = readContributor(request, m.locales, m.ctx.t);
    if (Object.keys(form.errors).length > 0) return sendPrivatePage(reply, ContributorEditPage({ ...m, article, contributorId: c.id, form }), 400);
    await saveContributor(db, article.articleId, c.id, fields);
    return done(request, reply, article);
  });

  typed.post('/:journal/management/articles/:id/contributors/:contributorId/move', { ...permission, schema: { params: ContributorParams } }, async (request, reply) => {
    const article = await articleOr404(request);
    const c = await contributorOr404(request, article);
    await moveContributor(db, article.articleId, c.id, direction(request));
    return done(request, reply, article);
  });

  typed.get('/:journal/management/articles/:id/contributors/:contributorId/remove', { ...permission, schema: { params: ContributorParams } }, async (request, reply) => {
    const m = await manageContext(db, request, reply);
    const article = await articleOr404(request);
    const c = await contributorOr404(request, article);
    const name = [Object.values(c.givenName)[0], Object.values(c.familyName)[0]].filter(Boolean).join(' ');
    const { t } = m.ctx;
    return sendPrivatePage(
      reply,
      ArticleConfirmPage({
        ...m,
        article,
        action: `${articleBase(request, article)}/contributors/${c.id}/remove`,
        question: t('articles.removeContributorQuestion', { name }),
        consequences: [t('articles.removeContributorWhat'), t('articles.earlierVersionsKept')],
        confirmLabel: t('articles.removeContributor'),
      }),
    );
  });

  typed.post('/:journal/management/articles/:id/contributors/:contributorId/remove', { ...permission, schema: { params: ContributorParams } }, async (request, reply) => {
    const article = await articleOr404(request);
    const c = await contributorOr404(request, article);
    await removeContributor(db, article.articleId, c.id);
    request.log.info({ articleId: article.articleId, contributorId: c.id }, 'contributor removed');
    return done(request, reply, article);
  });

  // Galleys.
  const galleyOr404 = async (request: WithParams<typeof GalleyParams>, article: ArticleForEditing) => {
    const id = galleyId(request);
    const found = (await publicationGalleys(db, article.current.id)).find((g) => g.id === id);
    if (!found) throw new NotFoundError();
    return found;
  };

  type GalleyText = 'articles.galleyLabelRequired' | 'articles.localeInvalid' | 'articles.fileTooLarge' | 'articles.fileRefused' | 'articles.fileOrUrl' | 'manage.urlInvalid';

  /** The form, and the uploaded file stored (only when everything else is valid, so nothing is kept for a form shown again). */
  async function readGalley(request: FastifyRequest, t: (key: GalleyText, values?: Record<string, string | number>) => string, hasFile: boolean): Promise<{ form: GalleyForm; file: StoredGalleyFile | null }> {
    const body = formBody(request);
    const form: GalleyForm = { label: formText(body, 'label', 100), locale: formText(body, 'locale', 20), remoteUrl: formText(body, 'remoteUrl', 2000), errors: {} };
    if (form.label === '') form.errors.label = t('articles.galleyLabelRequired');
    if (!/^[a-z]{2,3}(?:[_-][A-Za-z0-9]{2,8})*$/.test(form.locale)) form.errors.locale = t('articles.localeInvalid');
    const bytes = uploadedBytes(body, 'file');
    let type: string | undefined;
    if (bytes) {
      type = fileType({ head: bytes });
      if (bytes.length > MAX_GALLEY_BYTES) form.errors.file = t('articles.fileTooLarge', { size: `${MAX_GALLEY_BYTES / 1024 / 1024} MB` });
      // Files a browser would run (SVG, scripts, style sheets) are not taken, as the OJS import refuses them.
      else if (isActiveContentType(type)) form.errors.file = t('articles.fileRefused');
    } else if (form.remoteUrl !== '') {
      if (!isHttpUrl(form.remoteUrl)) form.errors.remoteUrl = t('manage.urlInvalid');
    } else if (!hasFile) form.errors.file = t('articles.fileOrUrl');
    if (Object.keys(form.errors).length > 0 || !bytes || !type) return { form, file: null };
    const stored = await files.put(bytes);
    const slug = form.label.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'galley';
    return { form, file: { storageKey: stored.key, sizeBytes: stored.sizeBytes, sha256: stored.sha256, mimeType: type, originalName: `${slug}.${EXTENSIONS[type] ?? 'bin'}` } };
  }

  typed.get('/:journal/management/articles/:id/galleys/new', { ...permission, schema: { params: IdParams } }, async (request, reply) => {
    const m = await manageContext(db, request, reply);
    const article = await articleOr404(request);
    return sendPrivatePage(reply, GalleyEditPage({ ...m, article, form: { label: 'PDF', locale: article.current.locale, remoteUrl: '', errors: {} }, locales: m.journal.supported_locales }));
  });

  typed.post('/:journal/management/articles/:id/galleys/new', { ...upload, schema: { params: IdParams } }, async (request, reply) => {
    const m = await manageContext(db, request, reply);
    const article = await articleOr404(request);
    const { form, file } = await readGalley(request, m.ctx.t, false);
    if (Object.keys(form.errors).length > 0) return sendPrivatePage(reply, GalleyEditPage({ ...m, article, form, locales: m.journal.supported_locales }), 400);
    await addGalley(db, article.articleId, { label: form.label, locale: form.locale, remoteUrl: file ? null : form.remoteUrl }, file);
    request.log.info({ articleId: article.articleId, type: file?.mimeType }, 'galley added');
    return done(request, reply, article);
  });

  typed.get('/:journal/management/articles/:id/galleys/:galleyId', { ...permission, schema: { params: GalleyParams } }, async (request, reply) => {
    const m = await manageContext(db, request, reply);
    const article = await articleOr404(request);
    const g = await galleyOr404(request, article);
    const form: GalleyForm = { label: g.label, locale: g.locale, remoteUrl: g.remoteUrl ?? '', ...(g.file ? { currentFile: g.file.name } : {}), errors: {} };
    return sendPrivatePage(reply, GalleyEditPage({ ...m, article, galleyId: g.id, form, locales: m.journal.supported_locales }));
  });

  typed.post('/:journal/management/articles/:id/galleys/:galleyId', { ...upload, schema: { params: GalleyParams } }, async (request, reply) => {
    const m = await manageContext(db, request, reply);
    const article = await articleOr404(request);
    const g = await galleyOr404(request, article);
    const { form, file } = await readGalley(request, m.ctx.t, g.file !== null);
    if (Object.keys(form.errors).length > 0) return sendPrivatePage(reply, GalleyEditPage({ ...m, article, galleyId: g.id, form: { ...form, ...(g.file ? { currentFile: g.file.name } : {}) }, locales: m.journal.supported_locales }), 400);
    await saveGalley(db, article.articleId, g.id, { label: form.label, locale: form.locale, remoteUrl: g.file || file ? null : form.remoteUrl }, file);
    return done(request, reply, article);
  });

  typed.post('/:journal/management/articles/:id/galleys/:galleyId/move', { ...permission, schema: { params: GalleyParams } }, async (request, reply) => {
    const article = await articleOr404(request);
    const g = await galleyOr404(request, article);
    await moveGalley(db, article.articleId, g.id, direction(request));
    return done(request, reply, article);
  });

  typed.get('/:journal/management/articles/:id/galleys/:galleyId/remove', { ...permission, schema: { params: GalleyParams } }, async (request, reply) => {
    const m = await manageContext(db, request, reply);
    const article = await articleOr404(request);
    const g = await galleyOr404(request, article);
    const { t } = m.ctx;
    return sendPrivatePage(
      reply,
      ArticleConfirmPage({
        ...m,
        article,
        action: `${articleBase(request, article)}/galleys/${g.id}/remove`,
        question: t('articles.removeGalleyQuestion', { label: g.label }),
        consequences: [t('articles.removeGalleyWhat'), t('articles.earlierVersionsKept')],
        confirmLabel: t('articles.removeGalley'),
      }),
    );
  });

  typed.post('/:journal/management/articles/:id/galleys/:galleyId/remove', { ...permission, schema: { params: GalleyParams } }, async (request, reply) => {
    const article = await articleOr404(request);
    const g = await galleyOr404(request, article);
    await removeGalley(db, article.articleId, g.id);
    request.log.info({ articleId: article.articleId, galleyId: g.id }, 'galley removed');
    return done(request, reply, article);
  });
}

