import type { Child, SafeHtml } from '#jsx/jsx-runtime';
import type { WizardStep } from '../../../db/schema.ts';
import type { MessageKey } from '../../../i18n/index.ts';
import { formatFileSize } from '../../../platform/web/index.ts';
import {
  CheckboxField,
  Confirmation,
  ErrorSummary,
  fieldId,
  Form,
  Layout,
  Notice,
  RichText,
  SelectField,
  SubmitButton,
  TextArea,
  TextField,
  UPLOAD_PROGRESS_SCRIPT_HREF,
  type FormErrors,
  type PageContext,
} from '../../../ui/index.ts';

/**
 * The submission wizard's pages (issue 19, item 2): a frame with the list of steps, and the start,
 * files and details steps. Contributors, references and the review have files of their own.
 */

export const WIZARD_STEPS: readonly WizardStep[] = ['start', 'files', 'details', 'contributors', 'references', 'review'];

export const STEP_NAMES: Record<WizardStep, MessageKey> = {
  start: 'wizard.step.start',
  files: 'wizard.step.files',
  details: 'wizard.step.details',
  contributors: 'wizard.step.contributors',
  references: 'wizard.step.references',
  review: 'wizard.step.review',
};

/** The draft a wizard page belongs to, as its frame shows it. */
export interface DraftSummary {
  id: number;
  /** Its title in its own language, if it has one yet. */
  title: string | null;
  /** The furthest step reached. */
  progress: WizardStep;
}

/** Types as authors know them (by their usual extension); others by their MIME type. */
const TYPE_NAMES: Record<string, string> = {
  'application/pdf': 'PDF',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'DOCX',
  'application/msword': 'DOC',
  'application/vnd.oasis.opendocument.text': 'ODT',
  'application/rtf': 'RTF',
  'application/x-tex': 'TeX',
  'application/zip': 'ZIP',
  'image/png': 'PNG',
  'image/jpeg': 'JPEG',
  'image/gif': 'GIF',
  'image/webp': 'WebP',
  'image/tiff': 'TIFF',
  'text/csv': 'CSV',
  'text/plain': 'TXT',
  'application/json': 'JSON',
  'application/xml': 'XML',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'XLSX',
  'application/vnd.oasis.opendocument.spreadsheet': 'ODS',
};

/** A type's short name, its MIME type beside it when `withMime` (what the bytes were read as). */
export function typeName(mime: string, withMime = false): string {
  const name = TYPE_NAMES[mime];
  if (!name) return mime;
  return withMime ? `${name} (${mime})` : name;
}

/** The step's way on: a form of its own, posting `action=continue` to the step's address. */
export function ContinueButton({ ctx, action }: { ctx: PageContext; action: string }): SafeHtml {
  return (
    <form action={action} method="post" class="form-actions">
      <input type="hidden" name="_csrf" value={ctx.csrf ?? ''} />
      <button type="submit" class="button" name="action" value="continue">
        {ctx.t('wizard.continue')}
      </button>
    </form>
  );
}

export function wizardBase(ctx: PageContext, draftId: number): string {
  return `/${ctx.journal!.path}/submission/${draftId}`;
}

export function stepHref(ctx: PageContext, draftId: number, step: WizardStep): string {
  return `${wizardBase(ctx, draftId)}/${step}`;
}

/** Language names in the page's language (`en` → "English"). */
export function languageLabel(ctx: PageContext, locale: string): string {
  try {
    return new Intl.DisplayNames([ctx.locale], { type: 'language' }).of(locale.replace('_', '-')) ?? locale;
  } catch {
    return locale;
  }
}

/** The steps, the current one marked (aria-current); steps up to the furthest reached are links. */
function StepList({ ctx, draft, current }: { ctx: PageContext; draft: DraftSummary | undefined; current: WizardStep }): SafeHtml {
  const reached = draft ? WIZARD_STEPS.indexOf(draft.progress) : 0;
  return (
    <nav aria-label={ctx.t('wizard.steps')} class="wizard-steps">
      <p>{ctx.t('wizard.stepStatus', { n: WIZARD_STEPS.indexOf(current) + 1, total: WIZARD_STEPS.length })}</p>
      <ol>
        {WIZARD_STEPS.map((step, index) => {
          const name = ctx.t(STEP_NAMES[step]);
          if (step === current) {
            return (
              <li>
                {draft ? (
                  <a href={stepHref(ctx, draft.id, step)} aria-current="step">
                    <strong>{name}</strong>
                  </a>
                ) : (
                  <strong aria-current="step">{name}</strong>
                )}
              </li>
            );
          }
          return <li>{draft && index <= reached ? <a href={stepHref(ctx, draft.id, step)}>{name}</a> : <span>{name}</span>}</li>;
        })}
      </ol>
    </nav>
  );
}

export function WizardPage({
  ctx,
  draft,
  current,
  errors = {},
  notice,
  title,
  children,
}: {
  ctx: PageContext;
  draft: DraftSummary | undefined;
  current: WizardStep;
  errors?: FormErrors;
  notice?: string | undefined;
  title?: string;
  children?: Child;
}): SafeHtml {
  const heading = title ?? (draft ? ctx.t('wizard.titleDraft', { title: draft.title ?? ctx.t('wizard.untitled') }) : ctx.t('wizard.title'));
  const stepName = ctx.t(STEP_NAMES[current]);
  return (
    <Layout ctx={ctx} title={`${stepName} | ${heading} | ${ctx.journal?.name ?? ctx.siteTitle}`} indexable={false}>
      <h1>{heading}</h1>
      <StepList ctx={ctx} draft={draft} current={current} />
      <h2 id="step-heading">{stepName}</h2>
      {notice ? <Notice>{notice}</Notice> : null}
      <ErrorSummary ctx={ctx} errors={errors} />
      {children}
      <p class="wizard-footer">
        {ctx.t('wizard.draftNote')} <a href={`/${ctx.journal!.path}/dashboard/mySubmissions`}>{ctx.t('wizard.dashboardLink')}</a>
        {draft ? (
          <>
            {' · '}
            <a href={`${wizardBase(ctx, draft.id)}/discard`}>{ctx.t('wizard.discardLink')}</a>
          </>
        ) : null}
      </p>
    </Layout>
  );
}

// Step 1: start.

export interface StartForm {
  sectionId: string;
  locale: string;
  checklist: boolean[];
  accepted: boolean;
  comments: string;
}

/** A text of the journal's, with its language when it is not the page's. */
export interface LocalText {
  text: string;
  lang?: string;
}

export interface StartView {
  sections: Array<{ id: number; title: string }>;
  locales: string[];
  /** The journal's checklist, in the page's language where it has it (`lang` says which). */
  checklist: LocalText[];
  copyrightNotice: LocalText | null;
  privacyStatement: LocalText | null;
  guidelines: LocalText | null;
  guidelinesHref: string;
  /** Where the form posts: a new draft, or the draft's start step. */
  action: string;
}

export function StartPage({ ctx, draft, view, form, errors, notice }: { ctx: PageContext; draft: DraftSummary | undefined; view: StartView; form: StartForm; errors: FormErrors; notice?: string }): SafeHtml {
  const agreements = view.copyrightNotice !== null || view.privacyStatement !== null;
  return (
    <WizardPage ctx={ctx} draft={draft} current="start" errors={errors} notice={notice}>
      <p>{ctx.t('wizard.start.intro')}</p>
      <section aria-labelledby="guidelines-heading">
        <h3 id="guidelines-heading">{ctx.t('wizard.start.guidelines')}</h3>
        {view.guidelines ? (
          <details>
            <summary>{ctx.t('wizard.start.guidelinesLink')}</summary>
            <RichText text={view.guidelines.text} lang={view.guidelines.lang} />
          </details>
        ) : null}
        <p>
          <a href={view.guidelinesHref}>{ctx.t('wizard.start.guidelinesAll')}</a>
        </p>
      </section>
      {view.sections.length === 0 && !draft ? (
        <Notice kind="warning">{ctx.t('wizard.start.noSections')}</Notice>
      ) : (
        <Form action={view.action} csrf={ctx.csrf ?? ''}>
          <SelectField
            ctx={ctx}
            name="sectionId"
            label={ctx.t('wizard.start.section')}
            hint={ctx.t('wizard.start.sectionHint')}
            value={form.sectionId}
            options={view.sections.map((s) => ({ value: String(s.id), label: s.title }))}
            empty={view.sections.length === 1 ? undefined : ctx.t('wizard.start.sectionChoose')}
            required
            error={errors.sectionId}
          />
          <SelectField ctx={ctx} name="locale" label={ctx.t('wizard.start.language')} value={form.locale} options={view.locales.map((l) => ({ value: l, label: languageLabel(ctx, l) }))} required error={errors.locale} />
          {view.checklist.length > 0 ? (
            <fieldset class={errors.checklist ? 'field-group field--error' : 'field-group'} id={fieldId('checklist')} aria-describedby={errors.checklist ? `${fieldId('checklist')}-error ${fieldId('checklist')}-hint` : `${fieldId('checklist')}-hint`}>
              <legend>
                {ctx.t('wizard.start.checklist')} <span class="required">({ctx.t('form.required')})</span>
              </legend>
              <p class="hint" id={`${fieldId('checklist')}-hint`}>
                {ctx.t('wizard.start.checklistHint')}
              </p>
              {errors.checklist ? (
                <p class="field-error" id={`${fieldId('checklist')}-error`}>
                  {errors.checklist}
                </p>
              ) : null}
              {view.checklist.map((item, index) => (
                <CheckboxField name="checklist" value={String(index)} label={<span lang={item.lang}>{item.text}</span>} checked={form.checklist[index] === true} />
              ))}
            </fieldset>
          ) : null}
          {agreements ? (
            <fieldset class={errors.agreements ? 'field-group field--error' : 'field-group'}>
              <legend>{ctx.t('wizard.start.agreements')}</legend>
              {view.copyrightNotice ? (
                <>
                  <h3>{ctx.t('wizard.start.copyright')}</h3>
                  <RichText text={view.copyrightNotice.text} lang={view.copyrightNotice.lang} />
                </>
              ) : null}
              {view.privacyStatement ? (
                <>
                  <h3>{ctx.t('wizard.start.privacy')}</h3>
                  <RichText text={view.privacyStatement.text} lang={view.privacyStatement.lang} />
                </>
              ) : null}
              <CheckboxField name="agreements" label={ctx.t('wizard.start.accept')} checked={form.accepted} error={errors.agreements} />
            </fieldset>
          ) : null}
          <TextArea ctx={ctx} name="commentsForEditor" label={ctx.t('wizard.start.comments')} hint={ctx.t('wizard.start.commentsHint')} value={form.comments} rows={4} error={errors.commentsForEditor} />
          <SubmitButton label={draft ? ctx.t('wizard.saveContinue') : ctx.t('wizard.start.begin')} />
        </Form>
      )}
    </WizardPage>
  );
}

// Step 2: files.

export interface FileKindView {
  key: string;
  name: string;
  types: string[];
  maxBytes: number;
  required: boolean;
}

export interface FileRow {
  id: number;
  name: string;
  kind: string;
  mimeType: string;
  sizeBytes: number;
  sha256: string;
  revisions: number;
}

export function FilesPage({ ctx, draft, kinds, files, errors, notice, kind }: { ctx: PageContext; draft: DraftSummary; kinds: FileKindView[]; files: FileRow[]; errors: FormErrors; notice?: string; kind?: string }): SafeHtml {
  const base = wizardBase(ctx, draft.id);
  const kindName = (key: string) => kinds.find((k) => k.key === key)?.name ?? key;
  const csrf = ctx.csrf ?? '';
  return (
    <WizardPage ctx={ctx} draft={draft} current="files" errors={errors} notice={notice}>
      <p>{ctx.t('wizard.files.intro')}</p>
      <section aria-labelledby="uploaded-heading">
        <h3 id="uploaded-heading">{ctx.t('wizard.files.list')}</h3>
        {files.length === 0 ? (
          <p>{ctx.t('wizard.files.none')}</p>
        ) : (
          <table class="data-table">
            <thead>
              <tr>
                <th scope="col">{ctx.t('wizard.files.name')}</th>
                <th scope="col">{ctx.t('wizard.files.kind')}</th>
                <th scope="col">{ctx.t('wizard.files.size')}</th>
                <th scope="col">{ctx.t('wizard.files.checksum')}</th>
                <th scope="col">{ctx.t('wizard.files.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {files.map((f) => (
                <tr>
                  <th scope="row">
                    {f.name}
                    <br />
                    <small>{typeName(f.mimeType, true)}</small>
                    {f.revisions > 0 ? (
                      <>
                        <br />
                        <small>{ctx.t('wizard.files.versions', { count: f.revisions })}</small>
                      </>
                    ) : null}
                  </th>
                  <td>{kindName(f.kind)}</td>
                  <td>{formatFileSize(f.sizeBytes, ctx.locale)}</td>
                  <td>
                    <code title={ctx.t('wizard.files.checksumFull', { sha: f.sha256 })}>{f.sha256.slice(0, 12)}</code>
                  </td>
                  <td>
                    <a class="button button--secondary" href={`${base}/files/${f.id}/remove`} aria-label={ctx.t('wizard.files.removeNamed', { name: f.name })}>
                      {ctx.t('wizard.files.remove')}
                    </a>
                    <details>
                      <summary>{ctx.t('wizard.files.replace')}</summary>
                      <form action={`${base}/files/${f.id}/replace`} method="post" enctype="multipart/form-data" class="form" novalidate>
                        <input type="hidden" name="_csrf" value={csrf} />
                        <div class="field">
                          <label for={`field-replace-${f.id}`}>{ctx.t('wizard.files.replaceNamed', { name: f.name })}</label>
                          <input id={`field-replace-${f.id}`} type="file" name="file" required />
                        </div>
                        <button type="submit" class="button button--secondary">
                          {ctx.t('wizard.files.replaceSend')}
                        </button>
                      </form>
                    </details>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section aria-labelledby="upload-heading">
        <h3 id="upload-heading">{ctx.t('wizard.files.uploadHeading')}</h3>
        <form
          action={`${base}/files`}
          method="post"
          enctype="multipart/form-data"
          class="form"
          novalidate
          data-upload-progress
          data-upload-label={ctx.t('wizard.files.uploading')}
          data-upload-working={ctx.t('wizard.files.checking')}
          data-upload-failed={ctx.t('wizard.files.failed')}
        >
          <input type="hidden" name="_csrf" value={csrf} />
          {/* The kind comes before the file: its size limit applies while the file is read. */}
          <SelectField ctx={ctx} name="kind" label={ctx.t('wizard.files.kind')} value={kind ?? kinds[0]?.key} options={kinds.map((k) => ({ value: k.key, label: k.name }))} required error={errors.kind} />
          <div class={errors.file ? 'field field--error' : 'field'}>
            <label for={fieldId('file')}>
              {ctx.t('wizard.files.file')} <span class="required">({ctx.t('form.required')})</span>
            </label>
            <p class="hint" id={`${fieldId('file')}-hint`}>
              {ctx.t('wizard.files.fileHint')}
            </p>
            {errors.file ? (
              <p class="field-error" id={`${fieldId('file')}-error`}>
                {errors.file}
              </p>
            ) : null}
            <input id={fieldId('file')} type="file" name="file" required aria-invalid={errors.file ? 'true' : undefined} aria-describedby={errors.file ? `${fieldId('file')}-hint ${fieldId('file')}-error` : `${fieldId('file')}-hint`} />
          </div>
          <div class="form-actions">
            <button type="submit" class="button">
              {ctx.t('wizard.files.upload')}
            </button>
          </div>
          <progress max="100" hidden aria-labelledby="upload-status"></progress>
          <p id="upload-status" data-upload-status role="status" aria-live="polite"></p>
        </form>
        <script src={UPLOAD_PROGRESS_SCRIPT_HREF} defer></script>
      </section>
      <section aria-labelledby="kinds-heading">
        <h3 id="kinds-heading">{ctx.t('wizard.files.kinds')}</h3>
        <table class="data-table">
          <thead>
            <tr>
              <th scope="col">{ctx.t('wizard.files.kindName')}</th>
              <th scope="col">{ctx.t('wizard.files.kindTypes')}</th>
              <th scope="col">{ctx.t('wizard.files.kindMax')}</th>
              <th scope="col">{ctx.t('wizard.files.kindRequired')}</th>
            </tr>
          </thead>
          <tbody>
            {kinds.map((k) => (
              <tr>
                <th scope="row">{k.name}</th>
                <td>{k.types.length === 0 ? ctx.t('wizard.files.anyType') : [...new Set(k.types.map((type) => typeName(type)))].join(', ')}</td>
                <td>{formatFileSize(k.maxBytes, ctx.locale)}</td>
                <td>{k.required ? ctx.t('wizard.files.yes') : ctx.t('wizard.files.no')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <ContinueButton ctx={ctx} action={`${base}/files`} />
    </WizardPage>
  );
}

// Step 3: details.

export interface DetailsForm {
  title: Record<string, string>;
  subtitle: Record<string, string>;
  abstract: Record<string, string>;
  keywords: Record<string, string>;
}

export function DetailsPage({
  ctx,
  draft,
  locales,
  mainLocale,
  wordLimit,
  abstractRequired,
  keywordsRequired,
  words,
  form,
  errors,
  notice,
}: {
  ctx: PageContext;
  draft: DraftSummary;
  /** The journal's languages, the manuscript's first. */
  locales: string[];
  mainLocale: string;
  wordLimit: number | null;
  /** What the section requires in the manuscript's language besides the title. */
  abstractRequired: boolean;
  keywordsRequired: boolean;
  words: Record<string, number>;
  form: DetailsForm;
  errors: FormErrors;
  notice?: string;
}): SafeHtml {
  return (
    <WizardPage ctx={ctx} draft={draft} current="details" errors={errors} notice={notice}>
      <p>{ctx.t('wizard.details.intro')}</p>
      <Form action={stepHref(ctx, draft.id, 'details')} csrf={ctx.csrf ?? ''}>
        {locales.map((locale) => {
          const main = locale === mainLocale;
          const language = languageLabel(ctx, locale);
          const count = words[locale] ?? 0;
          const wordHint = wordLimit ? ctx.t('wizard.details.wordsOf', { words: count, max: wordLimit }) : ctx.t('wizard.details.words', { words: count });
          return (
            <fieldset class="field-group" lang={locale}>
              <legend>{main ? ctx.t('wizard.details.main', { language }) : ctx.t('wizard.details.other', { language })}</legend>
              <TextField ctx={ctx} name={`title.${locale}`} label={ctx.t('wizard.details.title')} value={form.title[locale]} required={main} lang={locale} maxlength={1000} error={errors[`title.${locale}`]} />
              <TextField ctx={ctx} name={`subtitle.${locale}`} label={ctx.t('wizard.details.subtitle')} value={form.subtitle[locale]} lang={locale} maxlength={1000} />
              <TextArea
                ctx={ctx}
                name={`abstract.${locale}`}
                required={main && abstractRequired}
                label={ctx.t('wizard.details.abstract')}
                hint={`${ctx.t('wizard.details.abstractHint')} ${wordHint}`}
                value={form.abstract[locale]}
                rows={10}
                lang={locale}
                error={errors[`abstract.${locale}`]}
              />
              <TextField ctx={ctx} name={`keywords.${locale}`} label={ctx.t('wizard.details.keywords')} hint={ctx.t('wizard.details.keywordsHint')} value={form.keywords[locale]} lang={locale} required={main && keywordsRequired} error={errors[`keywords.${locale}`]} />
            </fieldset>
          );
        })}
        <SubmitButton label={ctx.t('wizard.saveContinue')} />
      </Form>
    </WizardPage>
  );
}

// After the last step.

export function DonePage({ ctx, title, journalName }: { ctx: PageContext; title: string; journalName: string }): SafeHtml {
  return (
    <Layout ctx={ctx} title={`${ctx.t('wizard.done.title')} | ${journalName}`} indexable={false}>
      <h1>{ctx.t('wizard.done.title')}</h1>
      <Notice>{ctx.t('wizard.done.text', { title, journal: journalName })}</Notice>
      <p>{ctx.t('wizard.done.next')}</p>
      <p>
        <a class="button" href={`/${ctx.journal!.path}/dashboard/mySubmissions`}>
          {ctx.t('wizard.done.dashboard')}
        </a>
      </p>
    </Layout>
  );
}

/** A removal within a step, confirmed on a page of its own (works without JavaScript). */
export function ConfirmRemovalPage({
  ctx,
  draft,
  current,
  action,
  question,
  consequences,
  confirmLabel,
}: {
  ctx: PageContext;
  draft: DraftSummary;
  current: WizardStep;
  action: string;
  question: string;
  consequences: string[];
  confirmLabel: string;
}): SafeHtml {
  return (
    <WizardPage ctx={ctx} draft={draft} current={current}>
      <Confirmation ctx={ctx} action={action} question={question} consequences={consequences} confirmLabel={confirmLabel} cancelHref={stepHref(ctx, draft.id, current)} />
    </WizardPage>
  );
}

export function DiscardPage({ ctx, draft }: { ctx: PageContext; draft: DraftSummary }): SafeHtml {
  const title = draft.title ?? ctx.t('wizard.untitled');
  return (
    <Layout ctx={ctx} title={`${ctx.t('wizard.discard.title')} | ${ctx.journal?.name ?? ctx.siteTitle}`} indexable={false}>
      <h1>{ctx.t('wizard.discard.title')}</h1>
      <Confirmation
        ctx={ctx}
        action={`${wizardBase(ctx, draft.id)}/discard`}
        question={ctx.t('wizard.discard.question', { title })}
        consequences={[ctx.t('wizard.discard.what'), ctx.t('wizard.discard.nothingSent')]}
        confirmLabel={ctx.t('wizard.discard.confirm')}
        cancelHref={stepHref(ctx, draft.id, draft.progress)}
      />
    </Layout>
  );
}
