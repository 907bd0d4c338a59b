import type { SafeHtml } from '#jsx/jsx-runtime';
import type { JournalPage, NavigationItem } from '../../db/index.ts';
import { localizeText, type UiLocale } from '../../i18n/index.ts';
import { ActionButton, ConfirmLink, ErrorSummary, Form, LocalizedFields, SelectField, SubmitButton, TextField, type FormErrors, type PageContext } from '../../ui/index.ts';
import { ManagePage, type ManageAccess } from './manage.tsx';

type Props = { ctx: PageContext; access: ManageAccess; locales: readonly UiLocale[]; pages: JournalPage[]; builtins: string[]; errors: FormErrors };

const builtinLabel = (ctx: PageContext, target: string) => ctx.t(`manage.builtin.${target}` as 'manage.builtin.home');

function targetText(ctx: PageContext, item: NavigationItem): string {
  if (item.kind === 'builtin') return builtinLabel(ctx, item.target);
  if (item.kind === 'page') return `${ctx.t('manage.pageLabel')}: ${item.target}`;
  return item.target;
}

/** Label and target of a menu item: the fields of adding one and of editing one. */
function ItemFields({ ctx, locales, pages, builtins, errors, form }: Props & { form: { label: Record<string, string>; choice: string; url: string } }): SafeHtml {
  return (
    <>
      <LocalizedFields ctx={ctx} name="label" label={ctx.t('manage.menuLabel')} values={form.label} locales={locales} required error={errors.label} />
      <SelectField
        ctx={ctx}
        name="target"
        label={ctx.t('manage.menuTarget')}
        value={form.choice}
        options={[
          ...builtins.map((b) => ({ value: `builtin:${b}`, label: builtinLabel(ctx, b) })),
          ...pages.map((p) => ({ value: `page:${p.path}`, label: `${ctx.t('manage.pageLabel')}: ${localizeText(p.title, ctx.locale) || p.path}` })),
          { value: 'url', label: ctx.t('manage.menuUrl') },
        ]}
        error={errors.target}
      />
      <TextField ctx={ctx} name="url" type="url" label={ctx.t('manage.menuUrlField')} value={form.url} hint={ctx.t('manage.menuUrlHint')} error={errors.url} />
    </>
  );
}

/** The menu as readers see it, item by item, and a form that adds one at its end. */
export function NavigationPage(props: Props & { items: NavigationItem[]; notice?: string }): SafeHtml {
  const { ctx, access, items, notice, errors } = props;
  const base = `/${ctx.journal!.path}/management/navigation`;
  const csrf = ctx.csrf ?? '';
  return (
    <ManagePage ctx={ctx} access={access} title={ctx.t('manage.navigation')} notice={notice}>
      <p>{ctx.t('menu.intro')}</p>
      <ErrorSummary ctx={ctx} errors={errors} />
      {items.length > 0 ? (
        <table class="data-table">
          <caption class="visually-hidden">{ctx.t('manage.navigation')}</caption>
          <thead>
            <tr>
              <th scope="col">{ctx.t('manage.menuLabel')}</th>
              <th scope="col">{ctx.t('manage.menuTarget')}</th>
              <th scope="col">{ctx.t('admin.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item, i) => (
              <tr>
                <td>{localizeText(item.label, ctx.locale)}</td>
                <td>{targetText(ctx, item)}</td>
                <td class="row-actions">
                  <a class="button button--secondary" href={`${base}/${item.id}`}>
                    {ctx.t('menu.edit')}
                    <span class="visually-hidden">: {localizeText(item.label, ctx.locale)}</span>
                  </a>
                  {i > 0 ? <ActionButton action={`${base}/${item.id}/move`} csrf={csrf} label={ctx.t('manage.moveUp')} name="direction" value="up" /> : null}
                  {i < items.length - 1 ? <ActionButton action={`${base}/${item.id}/move`} csrf={csrf} label={ctx.t('manage.moveDown')} name="direction" value="down" /> : null}
                  <ConfirmLink href={`${base}/${item.id}/delete`} label={ctx.t('manage.remove')} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <div class="empty-state">
          <p>{ctx.t('menu.empty')}</p>
        </div>
      )}
      <h2>{ctx.t('manage.addMenuItem')}</h2>
      <Form action={base} csrf={csrf}>
        <ItemFields {...props} form={{ label: {}, choice: '', url: '' }} />
        <SubmitButton label={ctx.t('manage.addMenuItem')} />
      </Form>
    </ManagePage>
  );
}

export function NavigationItemPage(props: Props & { item: NavigationItem; form: { label: Record<string, string>; choice: string; url: string } }): SafeHtml {
  const { ctx, access, item, errors } = props;
  const base = `/${ctx.journal!.path}/management/navigation`;
  return (
    <ManagePage ctx={ctx} access={access} title={ctx.t('menu.editItemNamed', { label: localizeText(item.label, ctx.locale) || item.target })}>
      <ErrorSummary ctx={ctx} errors={errors} />
      <Form action={`${base}/${item.id}`} csrf={ctx.csrf ?? ''}>
        <ItemFields {...props} />
        <SubmitButton label={ctx.t('form.save')} />
      </Form>
      <p>
        <a href={base}>{ctx.t('menu.back')}</a>
      </p>
    </ManagePage>
  );
}
