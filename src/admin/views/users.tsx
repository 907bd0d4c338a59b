import type { Child, SafeHtml } from '#jsx/jsx-runtime';
import { JOURNAL_ROLES, type OpenInvitation, type UserListEntry, type UserListRole } from '../../accounts/index.ts';
import { localizeText } from '../../i18n/index.ts';
import { ActionButton, CheckboxField, ConfirmLink, Confirmation, ErrorSummary, Form, Notice, SelectField, SubmitButton, TextField, type FormErrors, type PageContext } from '../../ui/index.ts';
import { FoundCount, InvitationsTable, InviteForm, PeopleTable, PeopleToolbar, peopleHref, personDisplayName, RoleChoices, roleLabel, type InviteFormValues, type PeopleQuery } from './people.tsx';
import { Pager, SitePage } from '../../platform/web/index.ts';
import type { JournalRow } from './site.tsx';

export const ROLE_CHOICES = ['admin', 'manager', 'editor', 'section-editor', 'copyeditor', 'layout-editor', 'reviewer', 'author', 'reader'] as const;

function StatusBadge({ ctx, user }: { ctx: PageContext; user: { disabled: boolean; verified: boolean } }): SafeHtml {
  if (user.disabled) return <span class="badge badge--danger">{ctx.t('admin.disabled')}</span>;
  if (!user.verified) return <span class="badge badge--warning">{ctx.t('admin.unverified')}</span>;
  return <span class="badge badge--success">{ctx.t('admin.active')}</span>;
}

export function UserListPage({
  ctx,
  users,
  total,
  more,
  query,
  pages,
  journals,
  invitations,
  invite,
  days,
  now,
  notice,
}: {
  ctx: PageContext;
  users: UserListEntry[];
  total: number;
  more: boolean;
  query: PeopleQuery;
  pages: number;
  journals: JournalRow[];
  invitations: OpenInvitation[];
  invite: InviteFormValues;
  days: number;
  now: Date;
  notice?: string;
}): SafeHtml {
  const base = '/admin/users';
  const journalName = (id: number) => {
    const j = journals.find((x) => x.id === id);
    return j ? localizeText(j.name, ctx.locale) || j.path : '';
  };
  return (
    <SitePage ctx={ctx} title={ctx.t('admin.users')} notice={notice}>
      <p class="actions">
        <a class="button button--primary" href="/admin/users/new">
          {ctx.t('people.newUser')}
        </a>{' '}
        <a class="button button--secondary" href="#invite">
          {ctx.t('invite.heading')}
        </a>
      </p>
      <PeopleToolbar ctx={ctx} base={base} query={query} journals={journals} roles={ROLE_CHOICES} />
      <FoundCount ctx={ctx} total={total} more={more} />
      <PeopleTable
        ctx={ctx}
        base={base}
        query={query}
        users={users}
        nameHref={(u) => `/admin/users/${u.id}`}
        extraHeaders={[ctx.t('admin.roles'), ctx.t('admin.status')]}
        extraCells={(u) => [<td>{u.roles.map((r) => roleLabel(ctx, r)).join(', ')}</td>, <td>{StatusBadge({ ctx, user: u })}</td>]}
      />
      <Pager ctx={ctx} page={query.page} pages={pages} href={(p) => peopleHref(base, query, { page: p })} />
      <InvitationsTable ctx={ctx} invitations={invitations} base="/admin/invitations" now={now} journalName={journalName} />
      <InviteForm ctx={ctx} action="/admin/users/invite" form={invite} journals={journals} days={days} />
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
  roles: UserListRole[];
}

export function UserDetailPage({ ctx, user, journals, errors, notice }: { ctx: PageContext; user: UserDetail; journals: JournalRow[]; errors: FormErrors; notice?: string }): SafeHtml {
  const csrf = ctx.csrf ?? '';
  const date = (d: Date) => new Intl.DateTimeFormat(ctx.locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(d);
  const base = `/admin/users/${user.id}`;
  return (
    <SitePage ctx={ctx} title={personDisplayName(ctx, user)} notice={notice}>
      <ErrorSummary ctx={ctx} errors={errors} />
      <dl>
        <dt>{ctx.t('field.email')}</dt>
        <dd>
          {user.email} {StatusBadge({ ctx, user })}
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
        <caption class="visually-hidden">{ctx.t('admin.roles')}</caption>
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
              <td>{r.journalId === null ? ctx.t('admin.wholeSite') : (r.journalName && localizeText(r.journalName, ctx.locale)) || r.journal}</td>
              <td>{ctx.t(`role.${r.role}`)}</td>
              <td class="row-actions">
                <ConfirmLink href={`${base}/roles/remove?assignment=${r.journalId ?? 0}:${r.role}`} label={ctx.t('people.removeRoleNamed', { role: ctx.t(`role.${r.role}`) })} />
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
        <p>
          <ConfirmLink href={`${base}/disable`} label={ctx.t('admin.disableUser')} />
        </p>
      )}
      <h2>{ctx.t('admin.mergeUser')}</h2>
      <p>{ctx.t('admin.mergeExplain')}</p>
      <form action={`${base}/merge`} method="get" class="form">
        <TextField ctx={ctx} name="into" type="email" label={ctx.t('admin.mergeInto')} required error={errors.into} />
        <div class="form-actions">
          <button type="submit" class="button button--secondary">
            {ctx.t('merge.review')}
          </button>
        </div>
      </form>
      {user.deletionRequestedAt ? (
        <>
          <h2>{ctx.t('admin.deleteUser')}</h2>
          <p>
            <ConfirmLink href={`${base}/delete`} label={ctx.t('admin.deleteUser')} />
          </p>
        </>
      ) : null}
    </SitePage>
  );
}

/** A confirmation (or the reason it is refused) inside the site administration frame. */
export function SiteConfirmPage({
  ctx,
  title,
  refusal,
  confirm,
  backHref,
  children,
}: {
  ctx: PageContext;
  title: string;
  refusal?: string;
  confirm?: { action: string; question: string; consequences: string[]; label: string };
  backHref: string;
  children?: Child;
}): SafeHtml {
  return (
    <SitePage ctx={ctx} title={title}>
      {refusal ? (
        <>
          <Notice kind="warning">{refusal}</Notice>
          <p>
            <a class="button button--secondary" href={backHref}>
              {ctx.t('remove.back')}
            </a>
          </p>
        </>
      ) : confirm ? (
        <Confirmation ctx={ctx} action={confirm.action} question={confirm.question} consequences={confirm.consequences} confirmLabel={confirm.label} cancelHref={backHref}>
          {children}
        </Confirmation>
      ) : null}
    </SitePage>
  );
}

export interface NewUserForm {
  givenName: string;
  familyName: string;
  email: string;
  journal: string;
  roles: string[];
  passwordMode: 'mail' | 'set';
  errors: FormErrors;
}

export function NewUserPage({ ctx, form, journals, days }: { ctx: PageContext; form: NewUserForm; journals: JournalRow[]; days: number }): SafeHtml {
  const e = form.errors;
  return (
    <SitePage ctx={ctx} title={ctx.t('newUser.title')}>
      <p>{ctx.t('newUser.explain')}</p>
      <ErrorSummary ctx={ctx} errors={e} />
      <Form action="/admin/users/new" csrf={ctx.csrf ?? ''}>
        <TextField ctx={ctx} name="givenName" label={ctx.t('field.givenName')} value={form.givenName} required maxlength={200} autocomplete="off" error={e.givenName} />
        <TextField ctx={ctx} name="familyName" label={ctx.t('field.familyName')} value={form.familyName} maxlength={200} autocomplete="off" />
        <TextField ctx={ctx} name="email" type="email" label={ctx.t('field.email')} value={form.email} required maxlength={254} autocomplete="off" error={e.email} />
        <fieldset class="field-group">
          <legend>{ctx.t('newUser.rolesHeading')}</legend>
          <SelectField ctx={ctx} name="journal" label={ctx.t('admin.journal')} value={form.journal} error={e.journal} options={[{ value: '', label: '—' }, ...journals.map((j) => ({ value: String(j.id), label: localizeText(j.name, ctx.locale) || j.path }))]} />
          <RoleChoices ctx={ctx} name="roles" roles={JOURNAL_ROLES} chosen={form.roles} legend={ctx.t('invite.roles')} />
        </fieldset>
        <fieldset class="field-group">
          <legend>{ctx.t('newUser.passwordHeading')}</legend>
          <div class="field field--checkbox">
            <input type="radio" id="password-mode-mail" name="passwordMode" value="mail" checked={form.passwordMode === 'mail'} />
            <label for="password-mode-mail">{ctx.t('newUser.passwordMail', { days })}</label>
          </div>
          <div class="field field--checkbox">
            <input type="radio" id="password-mode-set" name="passwordMode" value="set" checked={form.passwordMode === 'set'} />
            <label for="password-mode-set">{ctx.t('newUser.passwordSet')}</label>
          </div>
          <TextField ctx={ctx} name="password" type="password" label={ctx.t('field.password')} autocomplete="new-password" hint={ctx.t('newUser.passwordSetHint')} error={e.password} />
          <TextField ctx={ctx} name="password2" type="password" label={ctx.t('field.passwordRepeat')} autocomplete="new-password" error={e.password2} />
        </fieldset>
        <SubmitButton label={ctx.t('newUser.submit')} />
      </Form>
      <p>
        <a href="/admin/users">{ctx.t('remove.back')}</a>
      </p>
    </SitePage>
  );
}


/** The reason asked on the disable confirmation (shown to the person when signing in). */
export function ReasonField({ ctx, error }: { ctx: PageContext; error?: string }): SafeHtml {
  return <TextField ctx={ctx} name="reason" label={ctx.t('admin.disableReason')} hint={ctx.t('admin.disableReasonHint')} maxlength={500} error={error} />;
}

/** A box to tick inside a confirmation, for what cannot be undone (merge, delete). */
export function TickField({ ctx, label, error }: { ctx: PageContext; label: string; error?: string }): SafeHtml {
  return <CheckboxField name="confirm" label={label} error={error} />;
}
