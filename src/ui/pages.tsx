import type { SafeHtml } from '#jsx/jsx-runtime';
import type { PageContext } from './context.ts';
import { Layout } from './layout.tsx';

/** Shown for every address that names nothing: unknown journal, issue, article, galley or route. */
export function NotFoundPage({ ctx }: { ctx: PageContext }): SafeHtml {
  const home = ctx.journal ? `/${ctx.journal.path}` : '/';
  return (
    <Layout ctx={ctx} title={`${ctx.t('notFound.title')} | ${ctx.journal?.name ?? ctx.siteTitle}`} indexable={false}>
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
    <Layout ctx={ctx} title={`${ctx.t('error.title')} | ${ctx.siteTitle}`} indexable={false}>
      <h1>{ctx.t('error.title')}</h1>
      <p>{ctx.t('error.message', { requestId })}</p>
    </Layout>
  );
}

/**
 * 400: the address or form carried what the page does not take (a schema refused it, or the route
 * did). The reason is the server's own words, in English, shown as a detail for whoever reports it.
 */
export function BadRequestPage({ ctx, reason }: { ctx: PageContext; reason: string }): SafeHtml {
  return (
    <Layout ctx={ctx} title={`${ctx.t('badRequest.title')} | ${ctx.journal?.name ?? ctx.siteTitle}`} indexable={false}>
      <h1>{ctx.t('badRequest.title')}</h1>
      <p>{ctx.t('badRequest.message')}</p>
      <p>
        {ctx.t('badRequest.detail')} <span lang={ctx.locale === 'en' ? undefined : 'en'}>{reason}</span>
      </p>
    </Layout>
  );
}

/** 403, or a form refused for its token, or a protected action without a session: said plainly. */
export function ForbiddenPage({ ctx, reason, loginHref }: { ctx: PageContext; reason: 'forbidden' | 'csrf' | 'sign-in'; loginHref: string }): SafeHtml {
  const title = reason === 'csrf' ? ctx.t('form.csrfTitle') : ctx.t('form.forbiddenTitle');
  return (
    <Layout ctx={ctx} title={`${title} | ${ctx.journal?.name ?? ctx.siteTitle}`} indexable={false}>
      <h1>{title}</h1>
      <p>{reason === 'csrf' ? ctx.t('form.csrf') : reason === 'sign-in' ? ctx.t('form.signInRequired') : ctx.t('form.forbidden')}</p>
      {reason === 'sign-in' ? (
        <p>
          <a href={loginHref}>{ctx.t('account.signIn')}</a>
        </p>
      ) : null}
    </Layout>
  );
}
