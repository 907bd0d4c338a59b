import type { SafeHtml } from '#jsx/jsx-runtime';
import { localizeText, UI_LOCALES, type UiLocale } from '../../i18n/index.ts';
import { CheckboxField, ConfirmLink, ErrorSummary, Form, LocalizedFields, SelectField, SubmitButton, TextField, type FormErrors, type PageContext } from '../../ui/index.ts';
import { SitePage } from '../../platform/web/index.ts';
import { SiteOverview } from './overview.tsx';


/** The site administration's start page (cards in overview.tsx, beside the journal's overview). */
export function AdminOverviewPage(props: { ctx: PageContext; counts: { journals: number; users: number; outbox: number; deletionRequests: number } }): SafeHtml {
  return SiteOverview(props);
}

export interface JournalRow {
  id: number;
  path: string;
  name: Record<string, string>;
  enabled: boolean;
}

export function JournalListPage({ ctx, journals, notice }: { ctx: PageContext; journals: JournalRow[]; notice?: string }): SafeHtml {
  return (
    <SitePage ctx={ctx} title={ctx.t('admin.journals')} notice={notice}>
      <p>
        <a class="button button--primary" href="/admin/journals/new">
          {ctx.t('admin.createJournal')}
        </a>
      </p>
      <table class="data-table">
        <caption class="visually-hidden">{ctx.t('admin.journals')}</caption>
        <thead>
          <tr>
            <th scope="col">{ctx.t('admin.journalName')}</th>
            <th scope="col">{ctx.t('admin.journalPath')}</th>
            <th scope="col">{ctx.t('admin.status')}</th>
            <th scope="col">{ctx.t('admin.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {journals.map((j) => (
            <tr>
              <td>
                <a href={`/admin/journals/${j.id}`}>{localizeText(j.name, ctx.locale) || j.path}</a>
              </td>
              <td>{j.path}</td>
              <td>{j.enabled ? <span class="badge badge--success">{ctx.t('admin.enabled')}</span> : <span class="badge badge--neutral">{ctx.t('admin.disabled')}</span>}</td>
              <td class="row-actions">
                <a href={`/${j.path}/management`}>{ctx.t('journals.manage', { journal: localizeText(j.name, ctx.locale) || j.path })}</a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </SitePage>
  );
}

export interface JournalForm {
  path: string;
  name: Record<string, string>;
  primaryLocale: string;
  supportedLocales: string[];
  enabled: boolean;
  errors: FormErrors;
}

export function JournalFormPage({ ctx, form, id, current, notice }: { ctx: PageContext; form: JournalForm; id?: number; current?: { path: string; enabled: boolean; name: Record<string, string> }; notice?: string }): SafeHtml {
  const action = id ? `/admin/journals/${id}` : '/admin/journals/new';
  const name = current ? localizeText(current.name, ctx.locale) || current.path : '';
  return (
    <SitePage ctx={ctx} title={id ? ctx.t('admin.editJournal') : ctx.t('admin.createJournal')} notice={notice}>
      {current ? (
        <nav aria-labelledby="journal-links">
          <h2 id="journal-links">{ctx.t('journals.links')}</h2>
          <ul>
            <li>
              <a href={`/${current.path}/management`}>{ctx.t('journals.manage', { journal: name })}</a>
            </li>
            <li>
              <a href={`/${current.path}`}>{ctx.t('journals.publicSite', { journal: name })}</a>
            </li>
            <li>
              <a href={`/admin/users?journal=${id}`}>{ctx.t('admin.journalUsers')}</a>
            </li>
          </ul>
        </nav>
      ) : null}
      <ErrorSummary ctx={ctx} errors={form.errors} />
      <Form action={action} csrf={ctx.csrf ?? ''}>
        <TextField ctx={ctx} name="path" label={ctx.t('admin.journalPath')} value={form.path} required hint={ctx.t('admin.journalPathHint')} error={form.errors.path} />
        <LocalizedFields ctx={ctx} name="name" label={ctx.t('admin.journalName')} values={form.name} locales={UI_LOCALES} required error={form.errors.name} />
        <LocalesFields ctx={ctx} primary={form.primaryLocale} supported={form.supportedLocales} errors={form.errors} />
        <SubmitButton label={ctx.t('form.save')} />
      </Form>
      {id && current ? (
        <section aria-labelledby="journal-availability">
          <h2 id="journal-availability">{ctx.t('journals.availability')}</h2>
          <p>
            {current.enabled ? <span class="badge badge--success">{ctx.t('admin.enabled')}</span> : <span class="badge badge--neutral">{ctx.t('admin.disabled')}</span>} {ctx.t(current.enabled ? 'journals.isEnabled' : 'journals.isDisabled')}
          </p>
          <p class="actions">
            {current.enabled ? <ConfirmLink href={`/admin/journals/${id}/disable`} label={ctx.t('journals.disable')} /> : <ConfirmLink href={`/admin/journals/${id}/enable`} label={ctx.t('journals.enable')} danger={false} />}
            <ConfirmLink href={`/admin/journals/${id}/delete`} label={ctx.t('journals.delete')} />
          </p>
        </section>
      ) : null}
    </SitePage>
  );
}

export function LocalesFields({ ctx, primary, supported, errors }: { ctx: PageContext; primary: string; supported: string[]; errors: FormErrors }): SafeHtml {
  return (
    <>
      <SelectField ctx={ctx} name="primaryLocale" label={ctx.t('admin.primaryLocale')} value={primary} options={UI_LOCALES.map((l) => ({ value: l, label: ctx.t(`language.${l}`) }))} error={errors.primaryLocale} />
      <fieldset class="field-group" id="field-supportedLocales">
        <legend>{ctx.t('admin.supportedLocales')}</legend>
        {errors.supportedLocales ? <p class="field-error">{errors.supportedLocales}</p> : null}
        {UI_LOCALES.map((l: UiLocale) => (
          <CheckboxField name="supportedLocales" value={l} label={ctx.t(`language.${l}`)} checked={supported.includes(l)} />
        ))}
      </fieldset>
    </>
  );
}

export interface SiteForm {
  title: Record<string, string>;
  primaryLocale: string;
  supportedLocales: string[];
  contactEmail: string;
  errors: FormErrors;
}

export function SiteSettingsPage({ ctx, form, notice }: { ctx: PageContext; form: SiteForm; notice?: string }): SafeHtml {
  return (
    <SitePage ctx={ctx} title={ctx.t('admin.siteSettings')} notice={notice}>
      <ErrorSummary ctx={ctx} errors={form.errors} />
      <Form action="/admin/settings" csrf={ctx.csrf ?? ''}>
        <LocalizedFields ctx={ctx} name="title" label={ctx.t('admin.siteTitle')} values={form.title} locales={UI_LOCALES} required error={form.errors.title} />
        <LocalesFields ctx={ctx} primary={form.primaryLocale} supported={form.supportedLocales} errors={form.errors} />
        <TextField ctx={ctx} name="contactEmail" type="email" label={ctx.t('admin.contactEmail')} value={form.contactEmail} error={form.errors.contactEmail} />
        <SubmitButton label={ctx.t('form.save')} />
      </Form>
    </SitePage>
  );
}

