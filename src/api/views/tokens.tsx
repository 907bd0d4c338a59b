import type { Child, SafeHtml } from '#jsx/jsx-runtime';
import type { RoleName } from '../../db/index.ts';
import { formatLongDate } from '../../i18n/index.ts';
import { CheckboxField, Confirmation, ConfirmLink, ErrorSummary, Form, Layout, Notice, SelectField, SubmitButton, TextField, type FormErrors, type PageContext } from '../../ui/index.ts';
import type { ApiTokenEntry } from '../tokens.ts';

/** Where the profile's pages are: at the site root or inside the journal the person came from. */
export function profilePath(ctx: PageContext, path: string): string {
  return ctx.journal ? `/${ctx.journal.path}${path}` : path;
}

export interface TokenForm {
  name: string;
  roles: string[];
  journal: string;
  errors: FormErrors;
}

export interface TokenChoices {
  roles: RoleName[];
  journals: Array<{ id: number; path: string; name: string }>;
}

function Page({ ctx, title, children }: { ctx: PageContext; title: string; children?: Child }): SafeHtml {
  return (
    <Layout ctx={ctx} title={`${title} | ${ctx.journal?.name ?? ctx.siteTitle}`}>
      <h1>{title}</h1>
      {children}
    </Layout>
  );
}

function scopeText(ctx: PageContext, token: ApiTokenEntry): string {
  const roles = token.roles.length === 0 ? ctx.t('api.tokens.readOnly') : token.roles.map((r) => ctx.t(`role.${r}` as 'role.reader')).join(', ');
  return `${roles} — ${token.journal ? token.journal.path : ctx.t('api.tokens.anyJournal')}`;
}

export function TokensPage({ ctx, tokens, choices, form, notice, created }: { ctx: PageContext; tokens: ApiTokenEntry[]; choices: TokenChoices; form: TokenForm; notice?: string; created?: { name: string; token: string } }): SafeHtml {
  const date = (d: Date) => formatLongDate(ctx.locale, d);
  return (
    <Page ctx={ctx} title={ctx.t('api.tokens.title')}>
      {notice ? <Notice>{notice}</Notice> : null}
      {created ? (
        <section class="notice notice--warning" aria-labelledby="new-token">
          <h2 id="new-token">{ctx.t('api.tokens.yourToken', { name: created.name })}</h2>
          <p>{ctx.t('api.tokens.shownOnce')}</p>
          <p>
            <code class="api-token" data-token="">
              {created.token}
            </code>
          </p>
        </section>
      ) : null}
      <ErrorSummary ctx={ctx} errors={form.errors} />
      <p>{ctx.t('api.tokens.explain')}</p>
      <p>
        <a href="/api/v1/docs">{ctx.t('api.tokens.docs')}</a> · <a href={profilePath(ctx, '/user/profile')}>{ctx.t('api.tokens.back')}</a>
      </p>
      {tokens.length === 0 ? (
        <p>{ctx.t('api.tokens.none')}</p>
      ) : (
        <table>
          <caption>{ctx.t('api.tokens.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{ctx.t('api.tokens.name')}</th>
              <th scope="col">{ctx.t('api.tokens.scope')}</th>
              <th scope="col">{ctx.t('api.tokens.created')}</th>
              <th scope="col">{ctx.t('api.tokens.lastUsed')}</th>
              <th scope="col">{ctx.t('api.tokens.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {tokens.map((token) => (
              <tr>
                <th scope="row">{token.name}</th>
                <td>{scopeText(ctx, token)}</td>
                <td>{date(token.createdAt)}</td>
                <td>{token.lastUsedAt ? new Intl.DateTimeFormat(ctx.locale, { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }).format(token.lastUsedAt) + ' UTC' : ctx.t('api.tokens.neverUsed')}</td>
                <td>
                  <ConfirmLink href={profilePath(ctx, `/user/profile/api-tokens/${token.id}/revoke`)} label={ctx.t('api.tokens.revokeNamed', { name: token.name })} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <section aria-labelledby="token-new">
        <h2 id="token-new">{ctx.t('api.tokens.new')}</h2>
        <Form action={profilePath(ctx, '/user/profile/api-tokens')} csrf={ctx.csrf ?? ''}>
          <TextField ctx={ctx} name="name" label={ctx.t('api.tokens.name')} value={form.name} maxlength={100} required hint={ctx.t('api.tokens.nameHint')} error={form.errors.name} />
          <fieldset class={form.errors.roles ? 'field field--error' : 'field'}>
            <legend>{ctx.t('api.tokens.roles')}</legend>
            <p class="field-hint">{ctx.t('api.tokens.rolesHint')}</p>
            {form.errors.roles ? (
              <p class="field-error" id="field-roles-error">
                {form.errors.roles}
              </p>
            ) : null}
            {choices.roles.map((role) => (
              <CheckboxField name="roles" value={role} label={ctx.t(`role.${role}` as 'role.reader')} checked={form.roles.includes(role)} />
            ))}
          </fieldset>
          <SelectField ctx={ctx} name="journal" label={ctx.t('api.tokens.journal')} value={form.journal} empty={ctx.t('api.tokens.anyJournal')} options={choices.journals.map((j) => ({ value: String(j.id), label: j.name }))} error={form.errors.journal} />
          <SubmitButton label={ctx.t('api.tokens.create')} />
        </Form>
      </section>
    </Page>
  );
}

export function RevokeTokenPage({ ctx, token }: { ctx: PageContext; token: ApiTokenEntry }): SafeHtml {
  const path = profilePath(ctx, `/user/profile/api-tokens/${token.id}/revoke`);
  return (
    <Page ctx={ctx} title={ctx.t('api.tokens.revokeConfirm')}>
      <Confirmation
        ctx={ctx}
        action={path}
        question={ctx.t('api.tokens.revokeQuestion', { name: token.name })}
        consequences={[ctx.t('api.tokens.revokeEffect'), ctx.t('api.tokens.revokeKept')]}
        confirmLabel={ctx.t('api.tokens.revokeConfirm')}
        cancelHref={profilePath(ctx, '/user/profile/api-tokens')}
      />
    </Page>
  );
}
