import type { SafeHtml } from '#jsx/jsx-runtime';
import type { ProofStatus } from '../../../db/schema.ts';
import type { MessageKey } from '../../../i18n/index.ts';
import { AdminPage, formatFileSize } from '../../../platform/web/index.ts';
import { ActionButton, Confirmation, Form, SelectField, SubmitButton, TextArea, TextField, type PageContext } from '../../../ui/index.ts';
import type { ProductionErrorCode } from '../../production/errors.ts';
import type { ProductionGalley } from '../../production/queries.ts';

/** The Production section of the submission page (issue 21, item 2): galleys, their files, proofs. */

export const PRODUCTION_NOTICES = ['galley-added', 'galley-saved', 'galley-removed', 'galley-moved', 'asset-added', 'asset-removed', 'proofs-sent', 'proof-cancelled', 'proof-answered'] as const;
export type ProductionNotice = (typeof PRODUCTION_NOTICES)[number];

export const PRODUCTION_NOTICE_LABEL: Record<ProductionNotice, MessageKey> = {
  'galley-added': 'production.notice.galley-added',
  'galley-saved': 'production.notice.galley-saved',
  'galley-removed': 'production.notice.galley-removed',
  'galley-moved': 'production.notice.galley-moved',
  'asset-added': 'production.notice.asset-added',
  'asset-removed': 'production.notice.asset-removed',
  'proofs-sent': 'production.notice.proofs-sent',
  'proof-cancelled': 'production.notice.proof-cancelled',
  'proof-answered': 'production.notice.proof-answered',
};

export const PRODUCTION_ERROR_LABEL: Record<ProductionErrorCode, MessageKey> = {
  'not-in-production': 'production.error.not-in-production',
  'label-missing': 'production.error.label-missing',
  'locale-not-allowed': 'production.error.locale-not-allowed',
  'galley-unknown': 'production.error.galley-unknown',
  'galley-type-not-allowed': 'production.error.galley-type-not-allowed',
  'file-too-large': 'production.error.file-too-large',
  'file-empty': 'production.error.file-empty',
  'file-unknown': 'production.error.file-unknown',
  'file-or-url': 'production.error.file-or-url',
  'url-invalid': 'production.error.url-invalid',
  'not-html': 'production.error.not-html',
  'asset-name-invalid': 'production.error.asset-name-invalid',
  'asset-type-not-allowed': 'production.error.asset-type-not-allowed',
  'asset-unknown': 'production.error.asset-unknown',
  'authors-missing': 'production.error.authors-missing',
  'not-an-author': 'production.error.not-an-author',
  'no-galleys': 'production.error.no-galleys',
  'proof-unknown': 'production.error.proof-unknown',
  'proof-answered': 'production.error.proof-answered',
  'response-missing': 'production.error.response-missing',
  'too-long': 'production.error.too-long',
};

export const PROOF_STATUS_LABEL: Record<ProofStatus, MessageKey> = {
  sent: 'production.proofs.status.sent',
  approved: 'production.proofs.status.approved',
  corrections: 'production.proofs.status.corrections',
  cancelled: 'production.proofs.status.cancelled',
};

const FORMAT_LABEL: Record<ProductionGalley['format'], MessageKey> = {
  pdf: 'production.format.pdf',
  html: 'production.format.html',
  jats: 'production.format.jats',
  epub: 'production.format.epub',
  remote: 'production.format.remote',
  other: 'production.format.other',
};

export interface ProofRow {
  id: number;
  authorName: string;
  status: ProofStatus;
  createdAt: Date;
  answeredAt: Date | null;
  response: string;
}

export interface ProductionView {
  /** `/{journal}/workflow/index/{id}` */
  base: string;
  /** The viewer works on the galleys (layout editor, editor). */
  produces: boolean;
  /** The galleys may change now (in production, or scheduled and not published). */
  editable: boolean;
  galleys: ProductionGalley[];
  locales: Array<{ value: string; label: string }>;
  productionFiles: Array<{ id: number; name: string }>;
  proofs: ProofRow[];
  authors: Array<{ userId: number; name: string }>;
  /** An author's own proof requests still open or answered (their way to the proof page). */
  ownProofs: Array<{ id: number; status: ProofStatus }>;
  notice?: string;
  error?: string;
}

const when = (ctx: PageContext, at: Date) => <time datetime={at.toISOString()}>{new Intl.DateTimeFormat(ctx.locale === 'pl' ? 'pl' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(at)}</time>;

function GalleyTable({ ctx, view }: { ctx: PageContext; view: ProductionView }): SafeHtml {
  const { t } = ctx;
  const csrf = ctx.csrf ?? '';
  if (view.galleys.length === 0) return <p>{t('production.noGalleys')}</p>;
  return (
    <table class="table">
      <caption class="visually-hidden">{t('production.galleys')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('production.label')}</th>
          <th scope="col">{t('production.language')}</th>
          <th scope="col">{t('production.format')}</th>
          <th scope="col">{t('production.size')}</th>
          <th scope="col">{t('production.preview')}</th>
          {view.editable ? <th scope="col">{t('production.actions')}</th> : null}
        </tr>
      </thead>
      <tbody>
        {view.galleys.map((g, i) => (
          <tr>
            <th scope="row">{g.label}</th>
            <td>{g.locale}</td>
            <td>{t(FORMAT_LABEL[g.format])}</td>
            <td>{g.file ? formatFileSize(g.file.sizeBytes, ctx.locale) : g.remoteUrl ?? ''}</td>
            <td>
              <a href={`${view.base}/galleys/${g.id}/preview`} aria-label={t('production.previewOf', { label: g.label })}>
                {t('production.preview')}
              </a>
            </td>
            {view.editable ? (
              <td class="actions">
                {i > 0 ? (
                  <form action={`${view.base}/galleys/${g.id}/move`} method="post" class="inline-form">
                    <input type="hidden" name="_csrf" value={csrf} />
                    <button type="submit" name="direction" value="up" class="button button--secondary" aria-label={t('production.moveUp', { label: g.label })}>
                      ↑
                    </button>
                  </form>
                ) : null}
                {i < view.galleys.length - 1 ? (
                  <form action={`${view.base}/galleys/${g.id}/move`} method="post" class="inline-form">
                    <input type="hidden" name="_csrf" value={csrf} />
                    <button type="submit" name="direction" value="down" class="button button--secondary" aria-label={t('production.moveDown', { label: g.label })}>
                      ↓
                    </button>
                  </form>
                ) : null}
                <a class="button button--secondary" href={`${view.base}/galleys/${g.id}/edit`}>
                  {t('production.edit', { label: g.label })}
                </a>{' '}
                <a class="button button--danger" href={`${view.base}/galleys/${g.id}/remove`}>
                  {t('production.remove', { label: g.label })}
                </a>
              </td>
            ) : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The fields of a galley: label, language, and its file or address. */
function GalleyFields({ ctx, view, values, replacing }: { ctx: PageContext; view: Pick<ProductionView, 'locales' | 'productionFiles'>; values: { label: string; locale: string; remoteUrl: string }; replacing?: string | undefined }): SafeHtml {
  const { t } = ctx;
  return (
    <>
      <TextField ctx={ctx} name="label" label={t('production.label')} hint={t('production.labelHint')} value={values.label} maxlength={100} required />
      <SelectField ctx={ctx} name="locale" label={t('production.language')} value={values.locale} options={view.locales} />
      {replacing ? <p>{t('production.currentFile', { name: replacing })}</p> : null}
      <div class="field">
        <label for="field-file">{replacing ? t('production.replaceFile') : t('production.file')}</label>
        <p class="hint" id="field-file-hint">
          {t('production.fileHint')}
        </p>
        <input id="field-file" type="file" name="file" accept=".pdf,.html,.htm,.xhtml,.xml,.epub,application/pdf,text/html,application/xml,application/epub+zip" aria-describedby="field-file-hint" />
      </div>
      {view.productionFiles.length > 0 ? (
        <SelectField ctx={ctx} name="submissionFileId" label={t('production.productionFile')} value="" empty={t('production.productionFileNone')} options={view.productionFiles.map((f) => ({ value: String(f.id), label: f.name }))} />
      ) : null}
      {replacing ? null : <TextField ctx={ctx} name="remoteUrl" type="url" label={t('production.remoteUrl')} hint={t('production.remoteUrlHint')} value={values.remoteUrl} maxlength={2000} />}
    </>
  );
}

function AssetsOf({ ctx, view, galley }: { ctx: PageContext; view: ProductionView; galley: ProductionGalley }): SafeHtml {
  const { t } = ctx;
  const csrf = ctx.csrf ?? '';
  const id = `assets-${galley.id}`;
  return (
    <section aria-labelledby={id}>
      <h4 id={id}>{t('production.assets', { label: galley.label })}</h4>
      {galley.assets.length === 0 ? (
        <p>{t('production.noAssets')}</p>
      ) : (
        <ul>
          {galley.assets.map((a) => (
            <li>
              <code>{a.name}</code> ({a.file.mimeType}, {formatFileSize(a.file.sizeBytes, ctx.locale)})
              {view.editable ? (
                <a class="button button--danger" href={`${view.base}/galleys/${galley.id}/assets/${a.id}/remove`}>
                  {t('production.removeAsset', { name: a.name })}
                </a>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {galley.missing.length > 0 ? (
        <>
          <p>{t('production.missing')}</p>
          <ul class="missing-assets">
            {galley.missing.map((name) => (
              <li>
                <code>{name}</code>
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p>{t('production.noneMissing')}</p>
      )}
      {view.editable ? (
        <Form action={`${view.base}/galleys/${galley.id}/assets`} csrf={csrf} multipart>
          <TextField ctx={ctx} name={`assetName-${galley.id}`} label={t('production.assetName')} hint={t('production.assetNameHint')} value={galley.missing[0] ?? ''} maxlength={255} />
          <div class="field">
            <label for={`field-asset-${galley.id}`}>{t('production.file')}</label>
            <p class="hint" id={`field-asset-${galley.id}-hint`}>
              {t('production.assetFileHint')}
            </p>
            <input id={`field-asset-${galley.id}`} type="file" name="file" accept=".png,.jpg,.jpeg,.gif,.webp,.svg,.css,.woff,.woff2" aria-describedby={`field-asset-${galley.id}-hint`} />
          </div>
          <SubmitButton label={t('production.uploadAsset')} />
        </Form>
      ) : null}
    </section>
  );
}

function Proofs({ ctx, view }: { ctx: PageContext; view: ProductionView }): SafeHtml {
  const { t } = ctx;
  const csrf = ctx.csrf ?? '';
  return (
    <section aria-labelledby="proofs-heading">
      <h3 id="proofs-heading">{t('production.proofs')}</h3>
      {view.proofs.length === 0 ? (
        <p>{t('production.noProofs')}</p>
      ) : (
        <table class="table">
          <caption class="visually-hidden">{t('production.proofs')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('production.proofs.author')}</th>
              <th scope="col">{t('production.proofs.sent')}</th>
              <th scope="col">{t('production.proofs.status')}</th>
              <th scope="col">{t('production.proofs.answer')}</th>
            </tr>
          </thead>
          <tbody>
            {view.proofs.map((p) => (
              <tr>
                <th scope="row">{p.authorName}</th>
                <td>{when(ctx, p.createdAt)}</td>
                <td>
                  {t(PROOF_STATUS_LABEL[p.status])}
                  {p.answeredAt ? <> ({when(ctx, p.answeredAt)})</> : null}
                </td>
                <td>
                  {p.response ? <p class="preformatted">{p.response}</p> : null}
                  {p.status === 'sent' ? <ActionButton action={`${view.base}/proofs/${p.id}/cancel`} csrf={csrf} label={t('production.proofs.cancel', { name: p.authorName })} danger /> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {view.editable ? (
        view.authors.length === 0 ? (
          <p>{t('production.proofs.noAuthors')}</p>
        ) : (
          <Form action={`${view.base}/proofs`} csrf={csrf}>
            <fieldset class="field-group" id="field-authorIds">
              <legend>{t('production.proofs.authors')}</legend>
              {view.authors.map((a) => (
                <div class="field field--checkbox">
                  <input id={`field-authorIds-${a.userId}`} type="checkbox" name="authorIds" value={String(a.userId)} checked />
                  <label for={`field-authorIds-${a.userId}`}>{a.name}</label>
                </div>
              ))}
            </fieldset>
            <TextArea ctx={ctx} name="message" label={t('production.proofs.message')} rows={5} />
            <SubmitButton label={t('production.proofs.send')} />
          </Form>
        )
      ) : null}
    </section>
  );
}

export function ProductionSection({ ctx, view }: { ctx: PageContext; view: ProductionView }): SafeHtml {
  const { t } = ctx;
  const csrf = ctx.csrf ?? '';
  if (!view.produces) {
    // An author: the way to their proofs.
    return (
      <section aria-labelledby="production-heading" id="production">
        <h2 id="production-heading">{t('production.proofPage.yourProofs')}</h2>
        {view.notice ? <p role="status">{view.notice}</p> : null}
        <ul>
          {view.ownProofs.map((p) => (
            <li>
              <a href={`${view.base}/proofs/${p.id}`}>{t('production.proofPage.open')}</a> — {t(PROOF_STATUS_LABEL[p.status])}
            </li>
          ))}
        </ul>
      </section>
    );
  }
  return (
    <section aria-labelledby="production-heading" id="production">
      <h2 id="production-heading">{t('production.heading')}</h2>
      {view.notice ? <p role="status" class="notice">{view.notice}</p> : null}
      {view.error ? <p role="alert" class="field-error">{view.error}</p> : null}
      <h3>{t('production.galleys')}</h3>
      {view.editable ? null : <p>{t('production.notEditable')}</p>}
      <GalleyTable ctx={ctx} view={view} />
      {view.galleys.filter((g) => g.format === 'html').map((g) => (
        <AssetsOf ctx={ctx} view={view} galley={g} />
      ))}
      {view.editable ? (
        <section aria-labelledby="add-galley-heading">
          <h3 id="add-galley-heading">{t('production.addGalley')}</h3>
          <Form action={`${view.base}/galleys`} csrf={csrf} multipart>
            <GalleyFields ctx={ctx} view={view} values={{ label: 'PDF', locale: view.locales[0]?.value ?? 'en', remoteUrl: '' }} />
            <SubmitButton label={t('production.save')} />
          </Form>
        </section>
      ) : null}
      <Proofs ctx={ctx} view={view} />
    </section>
  );
}

export function GalleyEditPage({ ctx, base, galley, view, error }: { ctx: PageContext; base: string; galley: ProductionGalley; view: Pick<ProductionView, 'locales' | 'productionFiles'>; error?: string | undefined }): SafeHtml {
  const { t } = ctx;
  const title = t('production.editGalley', { label: galley.label });
  return (
    <AdminPage ctx={ctx} title={title} nav={[]} area={t('production.heading')} areaHref={`${base}#production`}>
      {error ? <p role="alert" class="field-error">{error}</p> : null}
      <Form action={`${base}/galleys/${galley.id}/edit`} csrf={ctx.csrf ?? ''} multipart>
        <GalleyFields ctx={ctx} view={view} values={{ label: galley.label, locale: galley.locale, remoteUrl: galley.remoteUrl ?? '' }} replacing={galley.file?.name} />
        <SubmitButton label={t('production.save')} />
      </Form>
      <p>
        <a href={`${base}#production`}>{t('production.backToSubmission')}</a>
      </p>
    </AdminPage>
  );
}

export function RemoveGalleyPage({ ctx, base, galley }: { ctx: PageContext; base: string; galley: ProductionGalley }): SafeHtml {
  const { t } = ctx;
  return (
    <AdminPage ctx={ctx} title={t('production.removeQuestion', { label: galley.label })} nav={[]} area={t('production.heading')} areaHref={`${base}#production`}>
      <Confirmation ctx={ctx} action={`${base}/galleys/${galley.id}/remove`} question={t('production.removeQuestion', { label: galley.label })} consequences={[t('production.removeWhat')]} confirmLabel={t('production.remove', { label: galley.label })} cancelHref={`${base}#production`} />
    </AdminPage>
  );
}

export function RemoveAssetPage({ ctx, base, galley, asset }: { ctx: PageContext; base: string; galley: ProductionGalley; asset: ProductionGalley['assets'][number] }): SafeHtml {
  const { t } = ctx;
  return (
    <AdminPage ctx={ctx} title={t('production.removeAssetQuestion', { name: asset.name, label: galley.label })} nav={[]} area={t('production.heading')} areaHref={`${base}#production`}>
      <Confirmation ctx={ctx} action={`${base}/galleys/${galley.id}/assets/${asset.id}/remove`} question={t('production.removeAssetQuestion', { name: asset.name, label: galley.label })} consequences={[t('production.removeAssetWhat')]} confirmLabel={t('production.removeAsset', { name: asset.name })} cancelHref={`${base}#production`} />
    </AdminPage>
  );
}

export interface ProofPageData {
  base: string;
  submissionId: number;
  title: string;
  titleLang?: string | undefined;
  proof: { id: number; status: ProofStatus; message: string; response: string; answeredAt: Date | null };
  galleys: Array<{ id: number; label: string; locale: string; format: ProductionGalley['format'] }>;
  /** The viewer is the author the request went to, and it waits for their answer. */
  canAnswer: boolean;
  notice?: string | undefined;
  error?: string | undefined;
}

export function ProofPage({ ctx, data }: { ctx: PageContext; data: ProofPageData }): SafeHtml {
  const { t } = ctx;
  const p = data.proof;
  const title = t('production.proofPage.title', { id: data.submissionId });
  return (
    <AdminPage ctx={ctx} title={title} nav={[]} area={t('production.heading')} areaHref={data.base} notice={data.notice}>
      <p lang={data.titleLang}>{data.title}</p>
      {data.error ? <p role="alert" class="field-error">{data.error}</p> : null}
      {p.message ? (
        <section aria-labelledby="proof-message">
          <h2 id="proof-message">{t('production.proofPage.fromJournal')}</h2>
          <p class="preformatted">{p.message}</p>
        </section>
      ) : null}
      <h2>{t('production.galleys')}</h2>
      <p>{t('production.proofPage.intro')}</p>
      <ul>
        {data.galleys.map((g) => (
          <li>
            <a href={`${data.base}/galleys/${g.id}/preview`}>{g.label}</a> ({t(FORMAT_LABEL[g.format])}, {g.locale})
          </li>
        ))}
      </ul>
      {p.status === 'cancelled' ? <p>{t('production.proofPage.cancelled')}</p> : null}
      {(p.status === 'approved' || p.status === 'corrections') && p.answeredAt ? (
        <>
          <p>{t('production.proofPage.answered', { date: new Intl.DateTimeFormat(ctx.locale === 'pl' ? 'pl' : 'en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(p.answeredAt), status: t(PROOF_STATUS_LABEL[p.status]) })}</p>
          {p.response ? <p class="preformatted">{p.response}</p> : null}
        </>
      ) : null}
      {data.canAnswer ? (
        <>
          <Form action={`${data.base}/proofs/${p.id}`} csrf={ctx.csrf ?? ''}>
            <input type="hidden" name="answer" value="approve" />
            <SubmitButton label={t('production.proofPage.approve')} />
          </Form>
          <Form action={`${data.base}/proofs/${p.id}`} csrf={ctx.csrf ?? ''}>
            <input type="hidden" name="answer" value="corrections" />
            <TextArea ctx={ctx} name="response" label={t('production.proofPage.correctionsText')} rows={8} required />
            <SubmitButton label={t('production.proofPage.corrections')} />
          </Form>
        </>
      ) : null}
    </AdminPage>
  );
}
