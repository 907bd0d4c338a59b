import type { SafeHtml } from '#jsx/jsx-runtime';
import type { MailOutboxEntry } from '../../db/index.ts';
import { localizeText, UI_LOCALES, type UiLocale } from '../../i18n/index.ts';
import type { UserListEntry } from '../../accounts/index.ts';
import { ActionButton, CheckboxField, ErrorSummary, Form, LocalizedFields, SelectField, SubmitButton, TextField, type FormErrors, type PageContext } from '../../ui/index.ts';
import { AdminPage, Pager, SITE_ADMIN_NAV } from './shell.tsx';

function SitePage(props: { ctx: PageContext; title: string; notice?: string; children?: unknown }): SafeHtml {
  return (
    <AdminPage ctx={props.ctx} title={props.title} nav={SITE_ADMIN_NAV} area={props.ctx.t('admin.area')} areaHref="/admin" notice={props.notice}>
      {props.children as SafeHtml}
    </AdminPage>
  );
}

export function AdminOverviewPage({ ctx, counts }: { ctx: PageContext; counts: { journals: number; users: number; outbox: number; deletionRequests: number } }): SafeHtml {
  return (
    <SitePage ctx={ctx} title={ctx.t('admin.overview')}>
      <ul>
        <li>
          <a href="/admin/journals">{ctx.t('admin.journals')}</a>: {String(counts.journals)}
        </li>
        <li>
          <a href="/admin/users">{ctx.t('admin.users')}</a>: {String(counts.users)}
        </li>
        <li>
          <a href="/admin/outbox">{ctx.t('admin.outbox')}</a>: {String(counts.outbox)}
        </li>
        {counts.deletionRequests > 0 ? (
          <li>
            <a href="/admin/users?deletion=1">{ctx.t('admin.deletionRequests', { count: counts.deletionRequests })}</a>
          </li>
        ) : null}
      </ul>
    </SitePage>
  );
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
        <a class="button" href="/admin/journals/new">
          {ctx.t('admin.createJournal')}
        </a>
      </p>
      <table class="data-table">
        <thead>
          <tr>
            <th scope="col">{ctx.t('admin.journalName')}</th>
            <th scope="col">{ctx.t('admin.journalPath')}</th>
            <th scope="col">{ctx.t('admin.status')}</th>
          </tr>
        </thead>
        <tbody>
          {journals.map((j) => (
            <tr>
              <td>
                <a href={`/admin/journals/${j.id}`}>{localizeText(j.name, ctx.locale) || j.path}</a>
              </td>
              <td>{j.path}</td>
              <td>{j.enabled ? ctx.t('admin.enabled') : ctx.t('admin.disabled')}</td>
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

export function JournalFormPage({ ctx, form, id }: { ctx: PageContext; form: JournalForm; id?: number }): SafeHtml {
  const action = id ? `/admin/journals/${id}` : '/admin/journals/new';
  return (
    <SitePage ctx={ctx} title={id ? ctx.t('admin.editJournal') : ctx.t('admin.createJournal')}>
      <ErrorSummary ctx={ctx} errors={form.errors} />
      <Form action={action} csrf={ctx.csrf ?? ''}>
        <TextField ctx={ctx} name="path" label={ctx.t('admin.journalPath')} value={form.path} required hint={ctx.t('admin.journalPathHint')} error={form.errors.path} />
        <LocalizedFields ctx={ctx} name="name" label={ctx.t('admin.journalName')} values={form.name} locales={UI_LOCALES} required error={form.errors.name} />
        <LocalesFields ctx={ctx} primary={form.primaryLocale} supported={form.supportedLocales} errors={form.errors} />
        {id ? <CheckboxField name="enabled" label={ctx.t('admin.journalEnabled')} checked={form.enabled} hint={ctx.t('admin.journalEnabledHint')} /> : null}
        <SubmitButton label={ctx.t('form.save')} />
      </Form>
      {id ? (
        <p>
          <a href={`/admin/users?journal=${id}`}>{ctx.t('admin.journalUsers')}</a>
        </p>
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

function userName(ctx: PageContext, u: { givenName: Record<string, string>; familyName: Record<string, string>; email: string }): string {
  return `${localizeText(u.givenName, ctx.locale)} ${localizeText(u.familyName, ctx.locale)}`.trim() || u.email;
}

export function UserListPage({ ctx, users, total, page, pages, search, notice }: { ctx: PageContext; users: UserListEntry[]; total: number; page: number; pages: number; search: string; notice?: string }): SafeHtml {
  return (
    <SitePage ctx={ctx} title={ctx.t('admin.users')} notice={notice}>
      <form action="/admin/users" method="get" role="search" class="form">
        <TextField ctx={ctx} name="search" type="search" label={ctx.t('admin.searchUsers')} value={search} />
        <div class="form-actions">
          <button type="submit" class="button">
            {ctx.t('admin.search')}
          </button>
        </div>
      </form>
      <p role="status">{ctx.t('admin.usersFound', { count: total })}</p>
      <table class="data-table">
        <thead>
          <tr>
            <th scope="col">{ctx.t('admin.userName')}</th>
            <th scope="col">{ctx.t('field.email')}</th>
            <th scope="col">{ctx.t('admin.roles')}</th>
            <th scope="col">{ctx.t('admin.status')}</th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr>
              <td>
                <a href={`/admin/users/${u.id}`}>{userName(ctx, u)}</a>
              </td>
              <td>{u.email}</td>
              <td>{u.roles.map((r) => (r.journal ? `${r.journal}: ${ctx.t(`role.${r.role}`)}` : ctx.t('role.admin'))).join(', ')}</td>
              <td>{u.disabled ? ctx.t('admin.disabled') : u.verified ? ctx.t('admin.active') : ctx.t('admin.unverified')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <Pager ctx={ctx} page={page} pages={pages} href={(p) => `/admin/users?search=${encodeURIComponent(search)}&page=${p}`} />
    </SitePage>
  );
}

export interface UserDetail {
  id: number;
  email: string;
  givenName: Record<string, string>;
  familyName: Record<string, string>;
  verified: boolean;
  disabledReason: string | null;
  disabled: boolean;
  deletionRequestedAt: Date | null;
  createdAt: Date;
  lastLoginAt: Date | null;
  roles: Array<{ journalId: number | null; journal: string | null; role: string }>;
}

export function UserDetailPage({ ctx, user, journals, errors, notice }: { ctx: PageContext; user: UserDetail; journals: JournalRow[]; errors: FormErrors; notice?: string }): SafeHtml {
  const csrf = ctx.csrf ?? '';
  const date = (d: Date) => new Intl.DateTimeFormat(ctx.locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(d);
  const base = `/admin/users/${user.id}`;
  return (
    <SitePage ctx={ctx} title={userName(ctx, user)} notice={notice}>
      <ErrorSummary ctx={ctx} errors={errors} />
      <dl>
        <dt>{ctx.t('field.email')}</dt>
        <dd>
          {user.email} {user.verified ? ctx.t('profile.verified') : ctx.t('profile.unverified')}
        </dd>
        <dt>{ctx.t('admin.registered')}</dt>
        <dd>{date(user.createdAt)}</dd>
        <dt>{ctx.t('admin.lastLogin')}</dt>
        <dd>{user.lastLoginAt ? date(user.lastLoginAt) : '—'}</dd>
        {user.deletionRequestedAt ? (
          <>
            <dt>{ctx.t('admin.deletionRequested')}</dt>
            <dd>{date(user.deletionRequestedAt)}</dd>
          </>
        ) : null}
      </dl>
      <h2>{ctx.t('admin.roles')}</h2>
      <table class="data-table">
        <thead>
          <tr>
            <th scope="col">{ctx.t('admin.journal')}</th>
            <th scope="col">{ctx.t('admin.role')}</th>
            <th scope="col">{ctx.t('admin.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {user.roles.map((r) => (
            <tr>
              <td>{r.journal ?? ctx.t('admin.wholeSite')}</td>
              <td>{ctx.t(`role.${r.role}` as 'role.reader')}</td>
              <td>
                <ActionButton action={`${base}/roles/remove`} csrf={csrf} label={ctx.t('admin.removeRole')} name="assignment" value={`${r.journalId ?? 0}:${r.role}`} danger />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{ctx.t('admin.addRole')}</h2>
      <Form action={`${base}/roles`} csrf={csrf}>
        <SelectField ctx={ctx} name="journal" label={ctx.t('admin.journal')} options={[{ value: '0', label: ctx.t('admin.wholeSite') }, ...journals.map((j) => ({ value: String(j.id), label: localizeText(j.name, ctx.locale) || j.path }))]} error={errors.journal} />
        <SelectField ctx={ctx} name="role" label={ctx.t('admin.role')} options={ROLE_CHOICES.map((r) => ({ value: r, label: ctx.t(`role.${r}`) }))} error={errors.role} />
        <SubmitButton label={ctx.t('admin.addRole')} />
      </Form>
      <h2>{user.disabled ? ctx.t('admin.enableUser') : ctx.t('admin.disableUser')}</h2>
      {user.disabled ? (
        <>
          <p>{ctx.t('admin.disabledBecause', { reason: user.disabledReason ?? '—' })}</p>
          <ActionButton action={`${base}/enable`} csrf={csrf} label={ctx.t('admin.enableUser')} />
        </>
      ) : (
        <Form action={`${base}/disable`} csrf={csrf}>
          <TextField ctx={ctx} name="reason" label={ctx.t('admin.disableReason')} hint={ctx.t('admin.disableReasonHint')} />
          <SubmitButton label={ctx.t('admin.disableUser')} />
        </Form>
      )}
      <h2>{ctx.t('admin.mergeUser')}</h2>
      <p>{ctx.t('admin.mergeExplain')}</p>
      <Form action={`${base}/merge`} csrf={csrf}>
        <TextField ctx={ctx} name="into" type="email" label={ctx.t('admin.mergeInto')} required error={errors.into} />
        <CheckboxField name="confirm" label={ctx.t('admin.mergeConfirm')} error={errors.confirm} />
        <SubmitButton label={ctx.t('admin.mergeUser')} />
      </Form>
      {user.deletionRequestedAt ? (
        <>
          <h2>{ctx.t('admin.deleteUser')}</h2>
          <Form action={`${base}/delete`} csrf={csrf}>
            <CheckboxField name="confirm" label={ctx.t('admin.deleteConfirm')} error={errors.deleteConfirm} />
            <SubmitButton label={ctx.t('admin.deleteUser')} />
          </Form>
        </>
      ) : null}
    </SitePage>
  );
}

export const ROLE_CHOICES = ['admin', 'manager', 'editor', 'section-editor', 'copyeditor', 'layout-editor', 'reviewer', 'author', 'reader'] as const;

export function OutboxPage({ ctx, mail, page, pages, search, mode }: { ctx: PageContext; mail: MailOutboxEntry[]; page: number; pages: number; search: string; mode: 'smtp' | 'outbox' }): SafeHtml {
  const date = (d: Date) => new Intl.DateTimeFormat(ctx.locale, { dateStyle: 'medium', timeStyle: 'medium', timeZone: 'UTC' }).format(d);
  return (
    <SitePage ctx={ctx} title={ctx.t('admin.outbox')}>
      <p>{mode === 'outbox' ? ctx.t('admin.outboxNoSmtp') : ctx.t('admin.outboxSmtp')}</p>
      <form action="/admin/outbox" method="get" role="search" class="form">
        <TextField ctx={ctx} name="search" type="search" label={ctx.t('admin.searchMail')} value={search} />
        <div class="form-actions">
          <button type="submit" class="button">
            {ctx.t('admin.search')}
          </button>
        </div>
      </form>
      <table class="data-table">
        <thead>
          <tr>
            <th scope="col">{ctx.t('admin.mailDate')}</th>
            <th scope="col">{ctx.t('admin.mailTo')}</th>
            <th scope="col">{ctx.t('admin.mailSubject')}</th>
            <th scope="col">{ctx.t('admin.status')}</th>
          </tr>
        </thead>
        <tbody>
          {mail.map((m) => (
            <tr>
              <td>{date(m.created_at)}</td>
              <td>{m.to_address}</td>
              <td>
                <a href={`/admin/outbox/${m.id}`}>{m.subject}</a>
              </td>
              <td>{ctx.t(`mail.status.${m.status}`)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <Pager ctx={ctx} page={page} pages={pages} href={(p) => `/admin/outbox?search=${encodeURIComponent(search)}&page=${p}`} />
    </SitePage>
  );
}

export function OutboxMailPage({ ctx, mail }: { ctx: PageContext; mail: MailOutboxEntry }): SafeHtml {
  return (
    <SitePage ctx={ctx} title={mail.subject}>
      <dl>
        <dt>{ctx.t('admin.mailTo')}</dt>
        <dd>{mail.to_address}</dd>
        <dt>{ctx.t('admin.status')}</dt>
        <dd>
          {ctx.t(`mail.status.${mail.status}`)}
          {mail.error ? ` (${mail.error})` : ''}
        </dd>
      </dl>
      <pre class="mail-body">{mail.text_body}</pre>
      <p>
        <a href="/admin/outbox">{ctx.t('admin.backToOutbox')}</a>
      </p>
    </SitePage>
  );
}
