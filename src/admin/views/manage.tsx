import type { SafeHtml } from '#jsx/jsx-runtime';
import type { Announcement, JournalPage, NavigationItem } from '../../db/index.ts';
import { localizeText, type UiLocale } from '../../i18n/index.ts';
import type { MailTemplateKey } from '../../mail/index.ts';
import { ActionButton, CheckboxField, ConfirmLink, ErrorSummary, Form, LocalizedFields, SelectField, SubmitButton, TextArea, TextField, type FormErrors, type PageContext, richToPlainLine } from '../../ui/index.ts';
import { ManagePage, type ManageAccess } from '../../platform/web/index.ts';

// The management frame lives in platform/web (other capabilities' management pages use it too); imported from here as before.
export { ManagePage, type ManageAccess };

export const LICENSES: Array<{ url: string; label: string }> = [
  { url: 'https://creativecommons.org/licenses/by/4.0/', label: 'CC BY 4.0' },
  { url: 'https://creativecommons.org/licenses/by-sa/4.0/', label: 'CC BY-SA 4.0' },
  { url: 'https://creativecommons.org/licenses/by-nd/4.0/', label: 'CC BY-ND 4.0' },
  { url: 'https://creativecommons.org/licenses/by-nc/4.0/', label: 'CC BY-NC 4.0' },
  { url: 'https://creativecommons.org/licenses/by-nc-sa/4.0/', label: 'CC BY-NC-SA 4.0' },
  { url: 'https://creativecommons.org/licenses/by-nc-nd/4.0/', label: 'CC BY-NC-ND 4.0' },
  { url: 'https://creativecommons.org/publicdomain/zero/1.0/', label: 'CC0 1.0' },
];

export interface SettingsForm {
  name: Record<string, string>;
  acronym: Record<string, string>;
  description: Record<string, string>;
  onlineIssn: string;
  printIssn: string;
  publisher: string;
  publisherUrl: string;
  contactName: string;
  contactEmail: string;
  license: string;
  licenseOther: string;
  copyrightHolderType: string;
  copyrightHolderOther: Record<string, string>;
  copyrightNotice: Record<string, string>;
  errors: FormErrors;
}

export function JournalSettingsPage({ ctx, access, form, locales, notice }: { ctx: PageContext; access: ManageAccess; form: SettingsForm; locales: readonly UiLocale[]; notice?: string }): SafeHtml {
  return (
    <ManagePage ctx={ctx} access={access} title={ctx.t('manage.settings')} notice={notice}>
      <ErrorSummary ctx={ctx} errors={form.errors} />
      <Form action={`/${ctx.journal!.path}/management/settings`} csrf={ctx.csrf ?? ''}>
        <h2>{ctx.t('manage.masthead')}</h2>
        <LocalizedFields ctx={ctx} name="name" label={ctx.t('admin.journalName')} values={form.name} locales={locales} required error={form.errors.name} />
        <LocalizedFields ctx={ctx} name="acronym" label={ctx.t('manage.acronym')} values={form.acronym} locales={locales} />
        <LocalizedFields ctx={ctx} name="description" label={ctx.t('manage.description')} values={form.description} locales={locales} multiline rows={4} hint={ctx.t('manage.richTextHint')} />
        <TextField ctx={ctx} name="onlineIssn" label={ctx.t('manage.onlineIssn')} value={form.onlineIssn} hint={ctx.t('manage.issnHint')} error={form.errors.onlineIssn} />
        <TextField ctx={ctx} name="printIssn" label={ctx.t('manage.printIssn')} value={form.printIssn} hint={ctx.t('manage.issnHint')} error={form.errors.printIssn} />
        <TextField ctx={ctx} name="publisher" label={ctx.t('manage.publisher')} value={form.publisher} />
        <TextField ctx={ctx} name="publisherUrl" type="url" label={ctx.t('manage.publisherUrl')} value={form.publisherUrl} error={form.errors.publisherUrl} />
        <h2>{ctx.t('manage.contact')}</h2>
        <TextField ctx={ctx} name="contactName" label={ctx.t('manage.contactName')} value={form.contactName} />
        <TextField ctx={ctx} name="contactEmail" type="email" label={ctx.t('field.email')} value={form.contactEmail} error={form.errors.contactEmail} />
        <h2>{ctx.t('manage.licensing')}</h2>
        <SelectField
          ctx={ctx}
          name="license"
          label={ctx.t('manage.license')}
          value={form.license}
          options={[...LICENSES.map((l) => ({ value: l.url, label: l.label })), { value: 'other', label: ctx.t('manage.licenseOther') }]}
          empty={ctx.t('manage.licenseNone')}
          error={form.errors.license}
        />
        <TextField ctx={ctx} name="licenseOther" type="url" label={ctx.t('manage.licenseOtherUrl')} value={form.licenseOther} error={form.errors.licenseOther} />
        <SelectField
          ctx={ctx}
          name="copyrightHolderType"
          label={ctx.t('manage.copyrightHolder')}
          value={form.copyrightHolderType}
          options={[
            { value: 'author', label: ctx.t('manage.copyright.author') },
            { value: 'journal', label: ctx.t('manage.copyright.journal') },
            { value: 'other', label: ctx.t('manage.copyright.other') },
          ]}
        />
        <LocalizedFields ctx={ctx} name="copyrightHolderOther" label={ctx.t('manage.copyrightHolderOther')} values={form.copyrightHolderOther} locales={locales} error={form.errors.copyrightHolderOther} />
        <LocalizedFields ctx={ctx} name="copyrightNotice" label={ctx.t('manage.copyrightNotice')} values={form.copyrightNotice} locales={locales} multiline rows={3} />
        <SubmitButton label={ctx.t('form.save')} />
      </Form>
    </ManagePage>
  );
}

export const FIXED_PAGES = [
  { path: 'about', label: 'manage.page.about' },
  { path: 'editorial-team', label: 'manage.page.editorialTeam' },
  { path: 'submissions', label: 'manage.page.submissions' },
  { path: 'privacy', label: 'manage.page.privacy' },
] as const;

export function PagesListPage({ ctx, access, pages, notice, errors }: { ctx: PageContext; access: ManageAccess; pages: JournalPage[]; notice?: string; errors: FormErrors }): SafeHtml {
  const base = `/${ctx.journal!.path}/management/pages`;
  const fixed = new Set<string>(FIXED_PAGES.map((p) => p.path));
  return (
    <ManagePage ctx={ctx} access={access} title={ctx.t('manage.pages')} notice={notice}>
      <ErrorSummary ctx={ctx} errors={errors} />
      <ul>
        {FIXED_PAGES.map((p) => (
          <li>
            <a href={`${base}/${p.path}`}>{ctx.t(p.label)}</a>
          </li>
        ))}
        {pages
          .filter((p) => !fixed.has(p.path))
          .map((p) => (
            <li>
              <a href={`${base}/${p.path}`}>{localizeText(p.title, ctx.locale) || p.path}</a> ({`/${ctx.journal!.path}/page/${p.path}`})
            </li>
          ))}
      </ul>
      <h2>{ctx.t('manage.newPage')}</h2>
      <Form action={base} csrf={ctx.csrf ?? ''}>
        <TextField ctx={ctx} name="path" label={ctx.t('manage.pagePath')} hint={ctx.t('admin.journalPathHint')} required error={errors.path} />
        <SubmitButton label={ctx.t('manage.createPage')} />
      </Form>
    </ManagePage>
  );
}

export function PageEditPage({ ctx, access, path, title, content, locales, errors, notice, fixedLabel }: { ctx: PageContext; access: ManageAccess; path: string; title: Record<string, string>; content: Record<string, string>; locales: readonly UiLocale[]; errors: FormErrors; notice?: string; fixedLabel?: string }): SafeHtml {
  const action = `/${ctx.journal!.path}/management/pages/${path}`;
  return (
    <ManagePage ctx={ctx} access={access} title={fixedLabel ?? (localizeText(title, ctx.locale) || path)} notice={notice}>
      <ErrorSummary ctx={ctx} errors={errors} />
      <Form action={action} csrf={ctx.csrf ?? ''}>
        {fixedLabel ? null : <LocalizedFields ctx={ctx} name="title" label={ctx.t('manage.pageTitle')} values={title} locales={locales} required error={errors.title} />}
        <LocalizedFields ctx={ctx} name="content" label={ctx.t('manage.pageContent')} values={content} locales={locales} multiline rows={14} richText hint={ctx.t('manage.richTextHint')} />
        <SubmitButton label={ctx.t('form.save')} />
      </Form>
      {fixedLabel ? null : (
        <p>
          <ConfirmLink href={`${action}/delete`} label={ctx.t('manage.deletePage')} />
        </p>
      )}
    </ManagePage>
  );
}

export function AnnouncementsPage({ ctx, access, announcements, notice }: { ctx: PageContext; access: ManageAccess; announcements: Announcement[]; notice?: string }): SafeHtml {
  const base = `/${ctx.journal!.path}/management/announcements`;
  const date = (d: Date) => new Intl.DateTimeFormat(ctx.locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(d);
  return (
    <ManagePage ctx={ctx} access={access} title={ctx.t('manage.announcements')} notice={notice}>
      <p>
        <a class="button" href={`${base}/new`}>
          {ctx.t('manage.newAnnouncement')}
        </a>
      </p>
      <table class="data-table">
        <thead>
          <tr>
            <th scope="col">{ctx.t('manage.announcementTitle')}</th>
            <th scope="col">{ctx.t('manage.posted')}</th>
            <th scope="col">{ctx.t('manage.expires')}</th>
          </tr>
        </thead>
        <tbody>
          {announcements.map((a) => (
            <tr>
              <td>
                <a href={`${base}/${a.id}`}>{richToPlainLine(localizeText(a.title, ctx.locale))}</a>
              </td>
              <td>{date(a.posted_at)}</td>
              <td>{a.expires_on ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ManagePage>
  );
}

export interface AnnouncementForm {
  title: Record<string, string>;
  summary: Record<string, string>;
  body: Record<string, string>;
  expiresOn: string;
  errors: FormErrors;
}

export function AnnouncementEditPage({ ctx, access, id, form, locales }: { ctx: PageContext; access: ManageAccess; id?: number; form: AnnouncementForm; locales: readonly UiLocale[] }): SafeHtml {
  const base = `/${ctx.journal!.path}/management/announcements`;
  return (
    <ManagePage ctx={ctx} access={access} title={id ? ctx.t('manage.editAnnouncement') : ctx.t('manage.newAnnouncement')}>
      <ErrorSummary ctx={ctx} errors={form.errors} />
      <Form action={id ? `${base}/${id}` : `${base}/new`} csrf={ctx.csrf ?? ''}>
        <LocalizedFields ctx={ctx} name="title" label={ctx.t('manage.announcementTitle')} values={form.title} locales={locales} required error={form.errors.title} />
        <LocalizedFields ctx={ctx} name="summary" label={ctx.t('manage.announcementSummary')} values={form.summary} locales={locales} multiline rows={3} richText hint={ctx.t('manage.richTextHint')} />
        <LocalizedFields ctx={ctx} name="body" label={ctx.t('manage.announcementBody')} values={form.body} locales={locales} multiline rows={10} richText hint={ctx.t('manage.richTextHint')} />
        <TextField ctx={ctx} name="expiresOn" type="date" label={ctx.t('manage.expires')} value={form.expiresOn} hint={ctx.t('manage.expiresHint')} error={form.errors.expiresOn} />
        <SubmitButton label={ctx.t('form.save')} />
      </Form>
      {id ? (
        <p>
          <ConfirmLink href={`${base}/${id}/delete`} label={ctx.t('manage.remove')} />
        </p>
      ) : null}
    </ManagePage>
  );
}

export interface AppearanceForm {
  colour: string;
  customCss: string;
  removed: string[];
  hasLogo: boolean;
  hasFavicon: boolean;
  hasHomepageImage: boolean;
  errors: FormErrors;
}

export function AppearancePage({ ctx, access, form, notice }: { ctx: PageContext; access: ManageAccess; form: AppearanceForm; notice?: string }): SafeHtml {
  const base = `/${ctx.journal!.path}/management/appearance`;
  const csrf = ctx.csrf ?? '';
  return (
    <ManagePage ctx={ctx} access={access} title={ctx.t('manage.appearance')} notice={notice}>
      <ErrorSummary ctx={ctx} errors={form.errors} />
      {form.removed.length > 0 ? (
        <div class="notice notice--warning" role="alert">
          <p>{ctx.t('manage.cssRemoved')}</p>
          <ul>
            {form.removed.map((r) => (
              <li>
                <code>{r}</code>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <Form action={base} csrf={csrf} multipart>
        <TextField ctx={ctx} name="colour" label={ctx.t('manage.colour')} value={form.colour} hint={ctx.t('manage.colourHint')} error={form.errors.colour} />
        <TextArea ctx={ctx} name="customCss" label={ctx.t('manage.customCss')} value={form.customCss} rows={10} code hint={ctx.t('manage.customCssHint')} error={form.errors.customCss} />
        {(['logo', 'favicon', 'homepageImage'] as const).map((kind) => (
          <div class="field">
            <label for={`field-${kind}`}>{ctx.t(`manage.image.${kind}`)}</label>
            <p class="hint" id={`field-${kind}-hint`}>
              {ctx.t('manage.imageHint')}
            </p>
            {form.errors[kind] ? (
              <p class="field-error" id={`field-${kind}-error`}>
                {form.errors[kind]}
              </p>
            ) : null}
            <input id={`field-${kind}`} type="file" name={kind} accept="image/png,image/jpeg,image/gif,image/webp,image/x-icon" aria-describedby={`field-${kind}-hint${form.errors[kind] ? ` field-${kind}-error` : ''}`} />
            {(kind === 'logo' ? form.hasLogo : kind === 'favicon' ? form.hasFavicon : form.hasHomepageImage) ? (
              <CheckboxField name={`remove-${kind}`} label={ctx.t('manage.removeImage')} />
            ) : null}
          </div>
        ))}
        <SubmitButton label={ctx.t('form.save')} />
      </Form>
    </ManagePage>
  );
}

export function MailTemplatesPage({ ctx, access, keys, locales, overridden }: { ctx: PageContext; access: ManageAccess; keys: readonly MailTemplateKey[]; locales: readonly UiLocale[]; overridden: Set<string> }): SafeHtml {
  const base = `/${ctx.journal!.path}/management/mail-templates`;
  return (
    <ManagePage ctx={ctx} access={access} title={ctx.t('manage.mailTemplates')}>
      <table class="data-table">
        <thead>
          <tr>
            <th scope="col">{ctx.t('manage.template')}</th>
            {locales.map((l) => (
              <th scope="col">{ctx.t(`language.${l}`)}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {keys.map((key) => (
            <tr>
              <th scope="row">{ctx.t(`mail.template.${key}`)}</th>
              {locales.map((l) => (
                <td>
                  <a href={`${base}/${key}/${l}`}>{overridden.has(`${key}/${l}`) ? ctx.t('manage.templateCustom') : ctx.t('manage.templateDefault')}</a>
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </ManagePage>
  );
}

export function MailTemplateEditPage({ ctx, access, templateKey, locale, subject, body, variables, overridden, errors, notice }: { ctx: PageContext; access: ManageAccess; templateKey: MailTemplateKey; locale: UiLocale; subject: string; body: string; variables: readonly string[]; overridden: boolean; errors: FormErrors; notice?: string }): SafeHtml {
  const action = `/${ctx.journal!.path}/management/mail-templates/${templateKey}/${locale}`;
  return (
    <ManagePage ctx={ctx} access={access} title={`${ctx.t(`mail.template.${templateKey}`)} (${ctx.t(`language.${locale}`)})`} notice={notice}>
      <ErrorSummary ctx={ctx} errors={errors} />
      <p>{ctx.t('manage.templateVariables', { variables: variables.map((v) => `{{${v}}}`).join(', ') })}</p>
      <Form action={action} csrf={ctx.csrf ?? ''}>
        <TextField ctx={ctx} name="subject" label={ctx.t('admin.mailSubject')} value={subject} lang={locale} required error={errors.subject} />
        <TextArea ctx={ctx} name="body" label={ctx.t('manage.templateBody')} value={body} rows={14} lang={locale} required error={errors.body} />
        <SubmitButton label={ctx.t('form.save')} />
      </Form>
      {overridden ? (
        <p>
          <ConfirmLink href={`${action}/reset`} label={ctx.t('manage.templateReset')} />
        </p>
      ) : null}
    </ManagePage>
  );
}
