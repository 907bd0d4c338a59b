import type { SafeHtml } from '#jsx/jsx-runtime';
import type { UserListEntry } from '../../accounts/index.ts';
import type { Section } from '../../db/index.ts';
import { localizeText } from '../../i18n/index.ts';
import { ActionButton, CheckboxField, ErrorSummary, Form, SelectField, SubmitButton, TextField, type FormErrors, type PageContext } from '../../ui/index.ts';
import { ManagePage, type ManageAccess } from './manage.tsx';

export const JOURNAL_ROLE_CHOICES = ['manager', 'editor', 'section-editor', 'copyeditor', 'layout-editor', 'reviewer', 'author', 'reader'] as const;

export function JournalUsersPage({
  ctx,
  access,
  users,
  sections,
  sectionAssignments,
  errors,
  notice,
}: {
  ctx: PageContext;
  access: ManageAccess;
  users: UserListEntry[];
  sections: Section[];
  sectionAssignments: Map<number, Set<number>>;
  errors: FormErrors;
  notice?: string;
}): SafeHtml {
  const journalPath = ctx.journal!.path;
  const base = `/${journalPath}/management/users`;
  const csrf = ctx.csrf ?? '';
  const name = (u: UserListEntry) => `${localizeText(u.givenName, ctx.locale)} ${localizeText(u.familyName, ctx.locale)}`.trim() || u.email;
  return (
    <ManagePage ctx={ctx} access={access} title={ctx.t('manage.users')} notice={notice}>
      <ErrorSummary ctx={ctx} errors={errors} />
      <table class="data-table">
        <thead>
          <tr>
            <th scope="col">{ctx.t('admin.userName')}</th>
            <th scope="col">{ctx.t('field.email')}</th>
            <th scope="col">{ctx.t('admin.roles')}</th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr>
              <td>{name(u)}</td>
              <td>{u.email}</td>
              <td>
                <ul>
                  {u.roles
                    .filter((r) => r.journal === journalPath)
                    .map((r) => (
                      <li class="actions">
                        {ctx.t(`role.${r.role}`)}
                        <ActionButton action={`${base}/${u.id}/roles/remove`} csrf={csrf} label={ctx.t('admin.removeRole')} name="role" value={r.role} danger />
                      </li>
                    ))}
                </ul>
                {u.roles.some((r) => r.journal === journalPath && r.role === 'section-editor') ? (
                  <Form action={`${base}/${u.id}/sections`} csrf={csrf}>
                    <fieldset class="field-group">
                      <legend>{ctx.t('manage.assignedSections')}</legend>
                      {sections.map((s) => (
                        <CheckboxField name="sections" value={String(s.id)} label={localizeText(s.title, ctx.locale) || `#${s.id}`} checked={sectionAssignments.get(u.id)?.has(s.id)} />
                      ))}
                    </fieldset>
                    <SubmitButton label={ctx.t('form.save')} />
                  </Form>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{ctx.t('admin.addRole')}</h2>
      <p>{ctx.t('manage.addRoleExplain')}</p>
      <Form action={base} csrf={csrf}>
        <TextField ctx={ctx} name="email" type="email" label={ctx.t('field.email')} required error={errors.email} />
        <SelectField ctx={ctx} name="role" label={ctx.t('admin.role')} options={JOURNAL_ROLE_CHOICES.map((r) => ({ value: r, label: ctx.t(`role.${r}`) }))} error={errors.role} />
        <SubmitButton label={ctx.t('admin.addRole')} />
      </Form>
    </ManagePage>
  );
}
