import type { Child, SafeHtml } from '#jsx/jsx-runtime';
import { Confirmation, ErrorSummary, type FormErrors, type PageContext } from '../../ui/index.ts';
import { ManagePage, type ManageAccess } from './manage.tsx';
import { SitePage } from '../../platform/web/index.ts';

/** What a confirmation page says and where its form posts (ui/confirm.tsx): the page's title is its question. */
export interface ConfirmProps {
  action: string;
  question: string;
  consequences: string[];
  confirmLabel: string;
  cancelHref: string;
  danger?: boolean;
  errors?: FormErrors;
  children?: Child;
}

/** The confirmation step of a destructive action on a journal management page. */
export function ManageConfirmPage({ ctx, access, title, ...confirm }: ConfirmProps & { ctx: PageContext; access: ManageAccess; title: string }): SafeHtml {
  return (
    <ManagePage ctx={ctx} access={access} title={title}>
      <ErrorSummary ctx={ctx} errors={confirm.errors ?? {}} />
      <Confirmation ctx={ctx} {...confirm} />
    </ManagePage>
  );
}

/** The confirmation step of a destructive action in site administration. */
export function SiteConfirmPage({ ctx, title, ...confirm }: ConfirmProps & { ctx: PageContext; title: string }): SafeHtml {
  return (
    <SitePage ctx={ctx} title={title}>
      <ErrorSummary ctx={ctx} errors={confirm.errors ?? {}} />
      <Confirmation ctx={ctx} {...confirm} />
    </SitePage>
  );
}
