import type { SafeHtml } from '#jsx/jsx-runtime';
import type { FailedJob } from '../../platform/jobs/index.ts';
import { ActionButton, type PageContext } from '../../ui/index.ts';
import { SitePage } from './shell.tsx';

export function FailedJobsPage({ ctx, jobs, notice }: { ctx: PageContext; jobs: FailedJob[]; notice?: string }): SafeHtml {
  const date = (d: Date | null) => (d ? new Intl.DateTimeFormat(ctx.locale, { dateStyle: 'medium', timeStyle: 'medium', timeZone: 'UTC' }).format(d) : '');
  return (
    <SitePage ctx={ctx} title={ctx.t('jobs.title')} notice={notice}>
      <p>{ctx.t('jobs.intro')}</p>
      {jobs.length === 0 ? (
        <p>{ctx.t('jobs.none')}</p>
      ) : (
        <table class="data-table">
          <caption>{ctx.t('jobs.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{ctx.t('jobs.kind')}</th>
              <th scope="col">{ctx.t('jobs.error')}</th>
              <th scope="col">{ctx.t('jobs.attempts')}</th>
              <th scope="col">{ctx.t('jobs.failedAt')}</th>
              <th scope="col">{ctx.t('jobs.action')}</th>
            </tr>
          </thead>
          <tbody>
            {jobs.map((job) => (
              <tr>
                <td>
                  <code>{job.kind}</code>
                </td>
                <td>{job.lastError ?? ''}</td>
                <td>{String(job.attempts)}</td>
                <td>{date(job.finishedAt)}</td>
                <td>
                  <ActionButton action={`/admin/jobs/${job.id}/retry`} csrf={ctx.csrf ?? ''} label={ctx.t('jobs.retry')} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </SitePage>
  );
}
