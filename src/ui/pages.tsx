import type { SafeHtml } from '#jsx/jsx-runtime';
import type { PageContext } from './context.ts';
import { Layout } from './layout.tsx';

/** Shown for every address that names nothing: unknown journal, issue, article, galley or route. */
export function NotFoundPage({ ctx }: { ctx: PageContext }): SafeHtml {
  const home = ctx.journal ? `/${ctx.journal.path}` : '/';
  return (
    <Layout ctx={ctx} title={`${ctx.t('notFound.title')} | ${ctx.journal?.name ?? ctx.siteTitle}`}>
      <h1>{ctx.t('notFound.title')}</h1>
      <p>{ctx.t('notFound.message')}</p>
      <p>
        <a href={home}>{ctx.t('notFound.home')}</a>
      </p>
    </Layout>
  );
}

/** A server fault, told plainly; the request id ties it to the log line. */
export function ErrorPage({ ctx, requestId }: { ctx: PageContext; requestId: string }): SafeHtml {
  return (
    <Layout ctx={ctx} title={`${ctx.t('error.title')} | ${ctx.siteTitle}`}>
      <h1>{ctx.t('error.title')}</h1>
      <p>{ctx.t('error.message', { requestId })}</p>
    </Layout>
  );
}
