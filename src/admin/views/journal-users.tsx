import type { SafeHtml } from '#jsx/jsx-runtime';
import type { OpenInvitation, UserListEntry } from '../../accounts/index.ts';
import type { Section } from '../../db/index.ts';
import { localizeText } from '../../i18n/index.ts';
import { CheckboxField, ConfirmLink, Confirmation, Form, Notice, SubmitButton, type PageContext } from '../../ui/index.ts';
import { ManagePage, type ManageAccess } from './manage.tsx';
import { FoundCount, InvitationsTable, InviteForm, PeopleTable, PeopleToolbar, peopleHref, type InviteFormValues, type PeopleQuery } from './people.tsx';
import { Pager } from '../../platform/web/index.ts';

export const JOURNAL_ROLE_CHOICES = ['manager', 'editor', 'section-editor', 'copyeditor', 'layout-editor', 'reviewer', 'author', 'reader'] as const;

export function JournalUsersPage({
  ctx,
  access,
  users,
  total,
  more,
  query,
  pages,
  sections,
  sectionAssignments,
  invitations,
  invite,
  days,
  now,
  notice,
}: {
  ctx: PageContext;
  access: ManageAccess;
  users: UserListEntry[];
  total: number;
  more: boolean;
  query: PeopleQuery;
  pages: number;
  sections: Section[];
  sectionAssignments: Map<number, Set<number>>;
  invitations: OpenInvitation[];
  invite: InviteFormValues;
  days: number;
  now: Date;
  notice?: string;
}): SafeHtml {
  const journalPath = ctx.journal!.path;
  const base = `/${journalPath}/management/users`;
  const csrf = ctx.csrf ?? '';
  const own = (u: UserListEntry) => u.roles.filter((r) => r.journal === journalPath);
  return (
    <ManagePage ctx={ctx} access={access} title={ctx.t('manage.users')} notice={notice}>
      <p>
        <a class="button button--primary" href="#invite">
          {ctx.t('invite.heading')}
        </a>
      </p>
      <PeopleToolbar ctx={ctx} base={base} query={query} roles={JOURNAL_ROLE_CHOICES} />
      <FoundCount ctx={ctx} total={total} more={more} />
      <PeopleTable
        ctx={ctx}
        base={base}
        query={query}
        users={users}
        extraHeaders={[ctx.t('admin.roles'), ctx.t('people.actions')]}
        extraCells={(u) => [
          <td>
            {own(u)
              .map((r) => ctx.t(`role.${r.role}`))
              .join(', ')}
            {own(u).some((r) => r.role === 'section-editor') ? (
              <Form action={`${base}/${u.id}/sections`} csrf={csrf}>
                <fieldset class="field-group">
                  <legend>{ctx.t('manage.assignedSections')}</legend>
                  {sections.map((s) => (
                    <CheckboxField name="sections" value={String(s.id)} id={`sections-${u.id}-${s.id}`} label={localizeText(s.title, ctx.locale) || `#${s.id}`} checked={sectionAssignments.get(u.id)?.has(s.id)} />
                  ))}
                </fieldset>
                <SubmitButton label={ctx.t('form.save')} />
              </Form>
            ) : null}
          </td>,
          <td class="row-actions">
            {own(u).map((r) => (
              <ConfirmLink href={`${base}/${u.id}/roles/remove?role=${r.role}`} label={ctx.t('people.removeRoleNamed', { role: ctx.t(`role.${r.role}`) })} />
            ))}
          </td>,
        ]}
      />
      <Pager ctx={ctx} page={query.page} pages={pages} href={(p) => peopleHref(base, query, { page: p })} />
      <InvitationsTable ctx={ctx} invitations={invitations} base={`${base}/invitations`} now={now} />
      <InviteForm ctx={ctx} action={base} form={invite} days={days} />
    </ManagePage>
  );
}

/** A confirmation (or the reason it is refused) inside the journal's management frame. */
export function JournalConfirmPage({
  ctx,
  access,
  title,
  refusal,
  confirm,
  backHref,
}: {
  ctx: PageContext;
  access: ManageAccess;
  title: string;
  refusal?: string;
  confirm?: { action: string; question: string; consequences: string[]; label: string };
  backHref: string;
}): SafeHtml {
  return (
    <ManagePage ctx={ctx} access={access} title={title}>
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
        <Confirmation ctx={ctx} action={confirm.action} question={confirm.question} consequences={confirm.consequences} confirmLabel={confirm.label} cancelHref={backHref} />
      ) : null}
    </ManagePage>
  );
}
