import type { SafeHtml } from '#jsx/jsx-runtime';
import type { MailOutboxEntry } from '../../db/index.ts';
import { TextField, type PageContext } from '../../ui/index.ts';
import { Pager, SitePage } from '../../platform/web/index.ts';

export function OutboxPage({ ctx, mail, page, pages, search, mode }: { ctx: PageContext; mail: MailOutboxEntry[]; page: number; pages: number; search: string; mode: 'smtp' | 'outbox' }): SafeHtml {
  const date = (d: Date) => new Intl.DateTimeFormat(ctx.locale, { dateStyle: 'medium', timeStyle: 'medium', timeZone: 'UTC' }).format(d);
  return (
    <SitePage ctx={ctx} title={ctx.t('admin.outbox')}>
      <p>{mode === 'outbox' ? ctx.t('admin.outboxNoSmtp') : ctx.t('admin.outboxSmtp')}</p>
      <form action="/admin/outbox" method="get" role="search" class="form">
        <TextField ctx={ctx} name="search" type="search" label={ctx.t('admin.searchMail')} value={search} />
        <div class="form-actions">
          <button type="submit" class="button">
            {ctx.t('admin.search')}
          </button>
        </div>
      </form>
      <table class="data-table">
        <thead>
          <tr>
            <th scope="col">{ctx.t('admin.mailDate')}</th>
            <th scope="col">{ctx.t('admin.mailTo')}</th>
            <th scope="col">{ctx.t('admin.mailSubject')}</th>
            <th scope="col">{ctx.t('admin.status')}</th>
          </tr>
        </thead>
        <tbody>
          {mail.map((m) => (
            <tr>
              <td>{date(m.created_at)}</td>
              <td>{m.to_address}</td>
              <td>
                <a href={`/admin/outbox/${m.id}`}>{m.subject}</a>
              </td>
              <td>{ctx.t(`mail.status.${m.status}`)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <Pager ctx={ctx} page={page} pages={pages} href={(p) => `/admin/outbox?search=${encodeURIComponent(search)}&page=${p}`} />
    </SitePage>
  );
}

export function OutboxMailPage({ ctx, mail }: { ctx: PageContext; mail: MailOutboxEntry }): SafeHtml {
  return (
    <SitePage ctx={ctx} title={mail.subject}>
      <dl>
        <dt>{ctx.t('admin.mailTo')}</dt>
        <dd>{mail.to_address}</dd>
        <dt>{ctx.t('admin.status')}</dt>
        <dd>
          {ctx.t(`mail.status.${mail.status}`)}
          {mail.error ? ` (${mail.error})` : ''}
        </dd>
      </dl>
      <pre class="mail-body">{mail.text_body}</pre>
      <p>
        <a href="/admin/outbox">{ctx.t('admin.backToOutbox')}</a>
      </p>
    </SitePage>
  );
}
