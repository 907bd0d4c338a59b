import type { Child, SafeHtml } from '#jsx/jsx-runtime';
import { JOURNAL_ROLES, type JournalRole, type OpenInvitation, type SortDirection, type UserListEntry, type UserListRole, type UserSort } from '../../accounts/index.ts';
import type { LocalizedText } from '../../db/index.ts';
import { formatNumber, formatNumericDate, isoDate, localizeText } from '../../i18n/index.ts';
import { ActionButton, ConfirmLink, ErrorSummary, Form, SelectField, SubmitButton, TextField, type FormErrors, type PageContext } from '../../ui/index.ts';

/** What a people list shows: the search, filters, sort and page, all in the address. */
export interface PeopleQuery {
  search: string;
  role: JournalRole | 'admin' | '';
  /** Site list only: a journal id, or '' for any. */
  journal: string;
  sort: UserSort;
  dir: SortDirection;
  page: number;
  /** Site list only: accounts whose owners asked for deletion. */
  deletion?: boolean;
}

/** The list's address with some of its settings changed (the page goes back to 1 unless given). */
export function peopleHref(base: string, query: PeopleQuery, change: Partial<PeopleQuery> = {}): string {
  const q = { ...query, page: 1, ...change };
  const params = new URLSearchParams();
  if (q.search) params.set('search', q.search);
  if (q.role) params.set('role', q.role);
  if (q.journal) params.set('journal', q.journal);
  if (q.sort !== 'name') params.set('sort', q.sort);
  if (q.dir !== 'asc') params.set('dir', q.dir);
  if (q.deletion) params.set('deletion', '1');
  if (q.page > 1) params.set('page', String(q.page));
  const text = params.toString();
  return text ? `${base}?${text}` : base;
}

export function personDisplayName(ctx: PageContext, person: { givenName: LocalizedText; familyName: LocalizedText; email: string }): string {
  return `${localizeText(person.givenName, ctx.locale)} ${localizeText(person.familyName, ctx.locale)}`.trim() || person.email;
}

/** "Acta Example: Reader", the journal named in the reader's language (its path only when it has no name). */
export function roleLabel(ctx: PageContext, role: UserListRole): string {
  if (role.role === 'admin' || role.journalId === null) return ctx.t('role.admin');
  const journal = (role.journalName && localizeText(role.journalName, ctx.locale)) || role.journal || '';
  return ctx.t('people.roleIn', { journal, role: ctx.t(`role.${role.role}`) });
}

export function shortDate(ctx: PageContext, date: Date): SafeHtml {
  return <time datetime={isoDate(date)}>{formatNumericDate(ctx.locale, date)}</time>;
}

/** The search form above a people list: words, role, and (on the site list) journal. */
export function PeopleToolbar({ ctx, base, query, journals, roles }: { ctx: PageContext; base: string; query: PeopleQuery; journals?: Array<{ id: number; name: LocalizedText; path: string }>; roles: readonly string[] }): SafeHtml {
  return (
    <form action={base} method="get" class="toolbar" role="search">
      <TextField ctx={ctx} name="search" type="search" label={ctx.t('people.searchLabel')} value={query.search} maxlength={200} />
      <SelectField ctx={ctx} name="role" label={ctx.t('people.roleFilter')} value={query.role} options={[{ value: '', label: ctx.t('people.anyRole') }, ...roles.map((r) => ({ value: r, label: ctx.t(`role.${r}` as 'role.reader') }))]} />
      {journals ? (
        <SelectField ctx={ctx} name="journal" label={ctx.t('people.journalFilter')} value={query.journal} options={[{ value: '', label: ctx.t('people.anyJournal') }, ...journals.map((j) => ({ value: String(j.id), label: localizeText(j.name, ctx.locale) || j.path }))]} />
      ) : null}
      {query.sort !== 'name' ? <input type="hidden" name="sort" value={query.sort} /> : null}
      {query.dir !== 'asc' ? <input type="hidden" name="dir" value={query.dir} /> : null}
      {query.deletion ? <input type="hidden" name="deletion" value="1" /> : null}
      <div class="form-actions">
        <button type="submit" class="button button--secondary">
          {ctx.t('admin.search')}
        </button>
      </div>
    </form>
  );
}

export function FoundCount({ ctx, total, more }: { ctx: PageContext; total: number; more: boolean }): SafeHtml {
  return <p role="status">{more ? ctx.t('people.foundMore', { count: formatNumber(ctx.locale, total) }) : ctx.t('people.found', { count: formatNumber(ctx.locale, total) })}</p>;
}

/** A column header that sorts the list by it; a second click reverses the order. */
export function SortHeader({ ctx, base, query, sort, label }: { ctx: PageContext; base: string; query: PeopleQuery; sort: UserSort; label: string }): SafeHtml {
  const active = query.sort === sort;
  const dir: SortDirection = active && query.dir === 'asc' ? 'desc' : 'asc';
  return (
    <th scope="col" aria-sort={active ? (query.dir === 'asc' ? 'ascending' : 'descending') : undefined}>
      <a href={peopleHref(base, query, { sort, dir })} class="sort-link" title={ctx.t('people.sortBy', { column: label })}>
        {label}
      </a>
    </th>
  );
}

/** The people table: name, address, registration date, then what the page adds (roles, status, actions). */
export function PeopleTable({
  ctx,
  base,
  query,
  users,
  nameHref,
  extraHeaders,
  extraCells,
}: {
  ctx: PageContext;
  base: string;
  query: PeopleQuery;
  users: UserListEntry[];
  nameHref?: (user: UserListEntry) => string;
  extraHeaders: string[];
  extraCells: (user: UserListEntry) => Child[];
}): SafeHtml {
  if (users.length === 0) {
    return (
      <div class="empty-state">
        <p>{ctx.t('people.noneFound')}</p>
        {query.search || query.role || query.journal ? (
          <a class="button button--secondary" href={base}>
            {ctx.t('people.clearSearch')}
          </a>
        ) : null}
      </div>
    );
  }
  return (
    <table class="data-table">
      <caption class="visually-hidden">{ctx.t('people.tableCaption')}</caption>
      <thead>
        <tr>
          <SortHeader ctx={ctx} base={base} query={query} sort="name" label={ctx.t('admin.userName')} />
          <SortHeader ctx={ctx} base={base} query={query} sort="email" label={ctx.t('people.email')} />
          <SortHeader ctx={ctx} base={base} query={query} sort="registered" label={ctx.t('people.registered')} />
          {extraHeaders.map((h) => (
            <th scope="col">{h}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {users.map((u) => (
          <tr>
            <td>{nameHref ? <a href={nameHref(u)}>{personDisplayName(ctx, u)}</a> : personDisplayName(ctx, u)}</td>
            <td>{u.email}</td>
            <td>{shortDate(ctx, u.createdAt)}</td>
            {extraCells(u)}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Role checkboxes with ids of their own (one label per box). */
export function RoleChoices({ ctx, name, roles, chosen, legend, error }: { ctx: PageContext; name: string; roles: readonly JournalRole[]; chosen: readonly string[]; legend: string; error?: string }): SafeHtml {
  const errorId = `${name}-error`;
  return (
    <fieldset class={error ? 'field-group field--error' : 'field-group'} aria-describedby={error ? errorId : undefined}>
      <legend>{legend}</legend>
      {error ? (
        <p class="field-error" id={errorId}>
          {error}
        </p>
      ) : null}
      {roles.map((role) => (
        <div class="field field--checkbox">
          <input id={`${name}-${role}`} type="checkbox" name={name} value={role} checked={chosen.includes(role)} />
          <label for={`${name}-${role}`}>{ctx.t(`role.${role}`)}</label>
        </div>
      ))}
    </fieldset>
  );
}

export interface InviteFormValues {
  givenName: string;
  familyName: string;
  email: string;
  journal: string;
  roles: string[];
  errors: FormErrors;
}

export const EMPTY_INVITE: InviteFormValues = { givenName: '', familyName: '', email: '', journal: '', roles: [], errors: {} };

/** Add someone with an account, or invite someone without one: one form, the server tells which. */
export function InviteForm({ ctx, action, form, journals, days }: { ctx: PageContext; action: string; form: InviteFormValues; journals?: Array<{ id: number; name: LocalizedText; path: string }>; days: number }): SafeHtml {
  return (
    <section aria-labelledby="invite-heading" id="invite">
      <h2 id="invite-heading">{ctx.t('invite.heading')}</h2>
      <p>{ctx.t('invite.explain', { days })}</p>
      <ErrorSummary ctx={ctx} errors={form.errors} />
      <Form action={action} csrf={ctx.csrf ?? ''}>
        <TextField ctx={ctx} name="email" type="email" label={ctx.t('field.email')} value={form.email} required maxlength={254} autocomplete="off" error={form.errors.email} />
        <TextField ctx={ctx} name="givenName" label={ctx.t('field.givenName')} value={form.givenName} maxlength={200} autocomplete="off" error={form.errors.givenName} />
        <TextField ctx={ctx} name="familyName" label={ctx.t('field.familyName')} value={form.familyName} maxlength={200} autocomplete="off" />
        {journals ? (
          <SelectField ctx={ctx} name="journal" label={ctx.t('admin.journal')} value={form.journal} required error={form.errors.journal} options={[{ value: '', label: '—' }, ...journals.map((j) => ({ value: String(j.id), label: localizeText(j.name, ctx.locale) || j.path }))]} />
        ) : null}
        <RoleChoices ctx={ctx} name="roles" roles={JOURNAL_ROLES} chosen={form.roles} legend={ctx.t('invite.roles')} error={form.errors.roles} />
        <SubmitButton label={ctx.t('invite.submit')} />
      </Form>
    </section>
  );
}

/** Invitations waiting for an answer, with "send again" and "withdraw" (the latter confirmed first). */
export function InvitationsTable({ ctx, invitations, base, now, journalName }: { ctx: PageContext; invitations: OpenInvitation[]; base: string; now: Date; journalName?: (journalId: number) => string }): SafeHtml {
  return (
    <section aria-labelledby="invitations-heading">
      <h2 id="invitations-heading">{ctx.t('invite.pending')}</h2>
      {invitations.length === 0 ? (
        <div class="empty-state">
          <p>{ctx.t('invite.noPending')}</p>
        </div>
      ) : (
        <table class="data-table">
          <caption class="visually-hidden">{ctx.t('invite.pending')}</caption>
          <thead>
            <tr>
              <th scope="col">{ctx.t('admin.userName')}</th>
              <th scope="col">{ctx.t('people.email')}</th>
              {journalName ? <th scope="col">{ctx.t('admin.journal')}</th> : null}
              <th scope="col">{ctx.t('invite.roles')}</th>
              <th scope="col">{ctx.t('invite.sentAt')}</th>
              <th scope="col">{ctx.t('invite.expiresAt')}</th>
              <th scope="col">{ctx.t('invite.status')}</th>
              <th scope="col">{ctx.t('people.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {invitations.map((inv) => (
              <tr>
                <td>{personDisplayName(ctx, inv)}</td>
                <td>{inv.email}</td>
                {journalName ? <td>{journalName(inv.journalId)}</td> : null}
                <td>{inv.roles.map((r) => ctx.t(`role.${r}`)).join(', ')}</td>
                <td>{shortDate(ctx, inv.sentAt)}</td>
                <td>{shortDate(ctx, inv.expiresAt)}</td>
                <td>{inv.expiresAt <= now ? <span class="badge badge--warning">{ctx.t('invite.statusExpired')}</span> : <span class="badge badge--neutral">{ctx.t('invite.statusWaiting')}</span>}</td>
                <td class="row-actions">
                  <ActionButton action={`${base}/${inv.id}/resend`} csrf={ctx.csrf ?? ''} label={ctx.t('invite.resend')} />
                  <ConfirmLink href={`${base}/${inv.id}/revoke`} label={ctx.t('invite.revoke')} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export const PEOPLE_ROLE_FILTERS: readonly string[] = JOURNAL_ROLES;
