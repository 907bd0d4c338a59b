import type { SafeHtml } from '#jsx/jsx-runtime';
import { AdminPage, formatFileSize, ManagePage, type ManageAccess } from '../../../platform/web/index.ts';
import { CheckboxField, ConfirmLink, ErrorSummary, FieldGroup, Form, Notice, SubmitButton, TextArea, TextField, type FormErrors, type PageContext } from '../../../ui/index.ts';
import type { SubmissionStatus, WorkflowStage } from '../../../db/schema.ts';
import { ROLE_LABEL } from './editorial-labels.tsx';
import { DECISION_LABEL } from './review-stage-labels.tsx';

/** The Copyediting section of the submission page (issue 21, item 1), and its pages (upload refused, the author's review, send to production). */

export interface CopyeditFile {
  id: number;
  name: string;
  sizeBytes: number;
  uploadedBy: string | null;
  updatedAt: Date;
  revisions: number;
}

export interface CopyeditingView {
  base: string;
  status: SubmissionStatus;
  stage: WorkflowStage;
  people: Array<{ participantId: number; name: string; role: 'copyeditor' | 'layout-editor' }>;
  /** Editors: who may be assigned (empty lists for others: no forms). */
  eligible?: { copyeditor: Array<{ userId: number; name: string }>; 'layout-editor': Array<{ userId: number; name: string }> };
  filesToCopyedit: CopyeditFile[];
  copyedited: CopyeditFile[];
  productionReady: CopyeditFile[];
  discussions: Array<{ id: number; subject: string; messages: number }>;
  /** The viewer uploads copyedits and asks the author (submission.copyedit, in the copyediting stage). */
  canCopyedit: boolean;
  /** The viewer decides (send to production, back to copyediting). */
  canDecide: boolean;
  notice?: string;
}

const dateTime = (ctx: PageContext, at: Date) => new Intl.DateTimeFormat(ctx.locale === 'pl' ? 'pl' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(at);

function FileTable({ ctx, base, files, caption, empty }: { ctx: PageContext; base: string; files: CopyeditFile[]; caption: string; empty: string }): SafeHtml {
  const { t } = ctx;
  if (files.length === 0) return <p>{empty}</p>;
  return (
    <table class="data-table">
      <caption class="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t('submissionPage.fileName')}</th>
          <th scope="col">{t('submissionPage.fileSize')}</th>
          <th scope="col">{t('submissionPage.uploaded')}</th>
          <th scope="col">{t('submissionPage.revisions')}</th>
        </tr>
      </thead>
      <tbody>
        {files.map((f) => (
          <tr>
            <td>
              <a href={`${base}/files/${f.id}`} download={f.name}>
                {f.name}
              </a>
            </td>
            <td>{formatFileSize(f.sizeBytes, ctx.locale)}</td>
            <td>
              {f.uploadedBy ?? '—'}, <time datetime={f.updatedAt.toISOString()}>{dateTime(ctx, f.updatedAt)}</time>
            </td>
            <td>{String(f.revisions)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The form that assigns a copyeditor or a layout editor (in the section, and on the page a refusal shows). */
export function AssignProductionForm({ ctx, base, role, people, error }: { ctx: PageContext; base: string; role: 'copyeditor' | 'layout-editor'; people: Array<{ userId: number; name: string }>; error?: string }): SafeHtml {
  const { t } = ctx;
  const id = `assign-${role}`;
  return (
    <Form action={`${base}/copyediting/participants`} csrf={ctx.csrf ?? ''}>
      <input type="hidden" name="role" value={role} />
      <div class={error ? 'field field--error' : 'field'}>
        <label for={id}>{t(role === 'copyeditor' ? 'copyediting.assignCopyeditor' : 'copyediting.assignLayoutEditor')}</label>
        {error ? (
          <p class="field-error" id={`${id}-error`}>
            {error}
          </p>
        ) : null}
        <select id={id} name="userId" required aria-invalid={error ? 'true' : undefined} aria-describedby={error ? `${id}-error` : undefined}>
          <option value="">{t('submissionPage.choosePerson')}</option>
          {people.map((p) => (
            <option value={String(p.userId)}>{p.name}</option>
          ))}
        </select>
      </div>
      <SubmitButton label={t('submissionPage.assign')} />
    </Form>
  );
}

/** The upload of a copyedited file: a new one, or a new version of one already there. */
export function CopyeditUploadForm({ ctx, base, copyedited, error }: { ctx: PageContext; base: string; copyedited: CopyeditFile[]; error?: string }): SafeHtml {
  const { t } = ctx;
  return (
    <Form action={`${base}/copyediting/files`} csrf={ctx.csrf ?? ''} multipart>
      {copyedited.length > 0 ? (
        <div class="field">
          <label for="copyedit-revises">{t('copyediting.revises')}</label>
          <select id="copyedit-revises" name="revises">
            <option value="">{t('copyediting.newFile')}</option>
            {copyedited.map((f) => (
              <option value={String(f.id)}>{t('copyediting.revisionOf', { name: f.name })}</option>
            ))}
          </select>
        </div>
      ) : null}
      <div class={error ? 'field field--error' : 'field'}>
        <label for="copyedit-file">{t('copyediting.file')}</label>
        {error ? (
          <p class="field-error" id="copyedit-file-error">
            {error}
          </p>
        ) : null}
        <input id="copyedit-file" type="file" name="file" required aria-invalid={error ? 'true' : undefined} aria-describedby={error ? 'copyedit-file-error' : undefined} />
      </div>
      <SubmitButton label={t('copyediting.uploadButton')} />
    </Form>
  );
}

export function CopyeditingSection({ ctx, view }: { ctx: PageContext; view: CopyeditingView }): SafeHtml {
  const { t } = ctx;
  const active = view.status === 'active';
  const inCopyediting = active && view.stage === 'copyediting';
  const started = view.stage === 'copyediting' || view.stage === 'production';
  return (
    <section aria-labelledby="copyediting" class="copyediting-stage">
      <h2 id="copyediting">{t('copyediting.heading')}</h2>
      {view.notice ? <Notice>{view.notice}</Notice> : null}
      {!started ? <p>{t('copyediting.notYet')}</p> : null}
      {view.stage === 'production' ? <p>{t('copyediting.inProduction')}</p> : null}

      <h3>{t('copyediting.people')}</h3>
      {view.people.length === 0 ? (
        <p>{t('copyediting.noPeople')}</p>
      ) : (
        <ul>
          {view.people.map((p) => (
            <li>
              {p.name} — {t(ROLE_LABEL[p.role])}
              {view.eligible ? <ConfirmLink href={`${view.base}/participants/${p.participantId}/remove`} label={t('submissionPage.removeParticipant', { name: p.name })} /> : null}
            </li>
          ))}
        </ul>
      )}
      {view.eligible && active ? (
        <>
          <AssignProductionForm ctx={ctx} base={view.base} role="copyeditor" people={view.eligible.copyeditor} />
          <AssignProductionForm ctx={ctx} base={view.base} role="layout-editor" people={view.eligible['layout-editor']} />
        </>
      ) : null}

      {started ? (
        <>
          <h3>{t('copyediting.filesToCopyedit')}</h3>
          <p class="hint">{t('copyediting.filesToCopyeditHint')}</p>
          <FileTable ctx={ctx} base={view.base} files={view.filesToCopyedit} caption={t('copyediting.filesToCopyedit')} empty={t('copyediting.noFiles')} />

          <h3>{t('copyediting.copyedited')}</h3>
          <FileTable ctx={ctx} base={view.base} files={view.copyedited} caption={t('copyediting.copyedited')} empty={t('copyediting.noCopyedited')} />
          {inCopyediting && view.canCopyedit ? (
            <>
              <h4>{t('copyediting.uploadHeading')}</h4>
              <CopyeditUploadForm ctx={ctx} base={view.base} copyedited={view.copyedited} />
            </>
          ) : null}

          <h3>{t('copyediting.authorReview')}</h3>
          {view.discussions.length === 0 ? (
            <p>{t('copyediting.noAuthorReview')}</p>
          ) : (
            <ul>
              {view.discussions.map((d) => (
                <li>
                  <a href={`${view.base}/discussions/${d.id}`}>{t('copyediting.discussion', { subject: d.subject, count: d.messages })}</a>
                </li>
              ))}
            </ul>
          )}
          {inCopyediting && view.canCopyedit && view.copyedited.length > 0 ? (
            <p>
              <a class="button button--secondary" href={`${view.base}/copyediting/author-review`}>
                {t('copyediting.askAuthor')}
              </a>
            </p>
          ) : null}

          {view.productionReady.length > 0 ? (
            <>
              <h3>{t('copyediting.productionReady')}</h3>
              <FileTable ctx={ctx} base={view.base} files={view.productionReady} caption={t('copyediting.productionReady')} empty={t('copyediting.noFiles')} />
            </>
          ) : null}

          {view.canDecide && active ? (
            <div class="actions">
              {view.stage === 'copyediting' ? (
                <a class="button" href={`${view.base}/copyediting/send-to-production`}>
                  {t(DECISION_LABEL['send-to-production'])}
                </a>
              ) : (
                <a class="button button--secondary" href={`${view.base}/copyediting/back-to-copyediting`}>
                  {t(DECISION_LABEL['back-to-copyediting'])}
                </a>
              )}
            </div>
          ) : null}
        </>
      ) : null}
    </section>
  );
}

/** A page of the copyediting stage: the journal's management frame for its editors, the submission's own for a copyeditor. */
export function CopyeditingPage({ ctx, access, title, back, errors, children }: { ctx: PageContext; access: ManageAccess | undefined; title: string; back: string; errors?: FormErrors; children?: SafeHtml }): SafeHtml {
  const body = (
    <>
      <p>
        <a href={`${back}#copyediting`}>{ctx.t('reviewEditor.backToSubmission')}</a>
      </p>
      {errors ? <ErrorSummary ctx={ctx} errors={errors} /> : null}
      {children ?? null}
    </>
  );
  if (access) {
    return (
      <ManagePage ctx={ctx} access={access} title={title}>
        {body}
      </ManagePage>
    );
  }
  const path = ctx.journal!.path;
  return (
    <AdminPage ctx={ctx} title={title} nav={[{ href: `/${path}/dashboard/mySubmissions`, label: 'submissionPage.mySubmissions' }]} area={ctx.t('submissionPage.mySubmissions')} areaHref={`/${path}/dashboard/mySubmissions`}>
      {body}
    </AdminPage>
  );
}

export interface AuthorReviewForm {
  action: string;
  authors: Array<{ userId: number; name: string }>;
  files: CopyeditFile[];
  authorIds: number[];
  fileIds: number[];
  subject: string;
  message: string;
  errors: FormErrors;
}

/** "Ask the author to review the copyedits": the authors, the copyedited files to attach, the message. */
export function AuthorReviewFormView({ ctx, form }: { ctx: PageContext; form: AuthorReviewForm }): SafeHtml {
  const { t } = ctx;
  if (form.files.length === 0) return <Notice kind="warning">{t('copyediting.askNeedsFiles')}</Notice>;
  return (
    <Form action={form.action} csrf={ctx.csrf ?? ''}>
      <FieldGroup name="authorIds" legend={t('copyediting.authors')} error={form.errors.authorIds}>
        {form.authors.map((a) => (
          <CheckboxField name="authorIds" value={String(a.userId)} checked={form.authorIds.includes(a.userId)} label={a.name} />
        ))}
      </FieldGroup>
      <FieldGroup name="fileIds" legend={t('copyediting.attach')} hint={t('copyediting.attachHint')} error={form.errors.fileIds}>
        {form.files.map((f) => (
          <CheckboxField name="fileIds" value={String(f.id)} checked={form.fileIds.includes(f.id)} label={`${f.name} (${formatFileSize(f.sizeBytes, ctx.locale)})`} />
        ))}
      </FieldGroup>
      <TextField ctx={ctx} name="subject" label={t('copyediting.subject')} value={form.subject} maxlength={255} required error={form.errors.subject} />
      <TextArea ctx={ctx} name="message" label={t('copyediting.message')} hint={t('copyediting.messageHint')} value={form.message} rows={12} required error={form.errors.body} />
      <SubmitButton label={t('copyediting.send')} />
    </Form>
  );
}

/** Send to production: the copyedited files that become production-ready. */
export function SendToProductionForm({ ctx, action, files, fileIds, errors }: { ctx: PageContext; action: string; files: CopyeditFile[]; fileIds: number[]; errors: FormErrors }): SafeHtml {
  const { t } = ctx;
  return (
    <Form action={action} csrf={ctx.csrf ?? ''}>
      <p>{t('reviewEditor.effect.send-to-production')}</p>
      <FieldGroup name="fileIds" legend={t('copyediting.sendFiles')} hint={t('copyediting.sendFilesHint')} error={errors.fileIds}>
        {files.length === 0 ? <p>{t('copyediting.noCopyedited')}</p> : null}
        {files.map((f) => (
          <CheckboxField name="fileIds" value={String(f.id)} checked={fileIds.includes(f.id)} label={`${f.name} (${t('copyediting.origin.copyedited')}, ${formatFileSize(f.sizeBytes, ctx.locale)})`} />
        ))}
      </FieldGroup>
      <SubmitButton label={t(DECISION_LABEL['send-to-production'])} />
    </Form>
  );
}

/** Back to copyediting, confirmed. */
export function BackToCopyeditingForm({ ctx, action }: { ctx: PageContext; action: string }): SafeHtml {
  return (
    <Form action={action} csrf={ctx.csrf ?? ''}>
      <p>{ctx.t('copyediting.backConfirm')}</p>
      <SubmitButton label={ctx.t(DECISION_LABEL['back-to-copyediting'])} />
    </Form>
  );
}
