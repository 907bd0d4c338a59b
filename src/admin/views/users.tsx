import type { SafeHtml } from '#jsx/jsx-runtime';
import type { UserListEntry } from '../../accounts/index.ts';
import { localizeText } from '../../i18n/index.ts';
import { ActionButton, CheckboxField, ErrorSummary, Form, SelectField, SubmitButton, TextField, type FormErrors, type PageContext } from '../../ui/index.ts';
import { Pager, SitePage } from './shell.tsx';
import type { JournalRow } from './site.tsx';

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

