import type { SafeHtml } from '#jsx/jsx-runtime';
import { formatNumber, localizeText } from '../../i18n/index.ts';
import { ErrorSummary, TextField, type FormErrors, type PageContext } from '../../ui/index.ts';
import { ManagePage, type ManageAccess } from './manage.tsx';

export interface StatsTotals {
  investigations: number;
  uniqueInvestigations: number;
  requests: number;
  uniqueRequests: number;
}

export interface StatsView {
  from: string;
  to: string;
  totals: StatsTotals;
  months: Array<{ month: string } & StatsTotals>;
  top: Array<{ articleId: number; title: Record<string, string>; requests: number; investigations: number }>;
}

/** Usage of the journal for editors: COUNTER totals, months, most downloaded articles, CSV. */
export function StatsPage({ ctx, access, view, errors }: { ctx: PageContext; access: ManageAccess; view: StatsView; errors: FormErrors }): SafeHtml {
  const n = (value: number) => formatNumber(ctx.locale, value);
  const base = `/${ctx.journal!.path}/management/stats`;
  return (
    <ManagePage ctx={ctx} access={access} title={ctx.t('stats.title')}>
      <ErrorSummary ctx={ctx} errors={errors} />
      <form action={base} method="get" class="form">
        <TextField ctx={ctx} name="from" type="month" label={ctx.t('stats.from')} value={view.from} hint="YYYY-MM" error={errors.from} />
        <TextField ctx={ctx} name="to" type="month" label={ctx.t('stats.to')} value={view.to} hint="YYYY-MM" error={errors.to} />
        <div class="form-actions">
          <button type="submit" class="button">
            {ctx.t('stats.show')}
          </button>
        </div>
      </form>
      <p>
        <a href={`${base}.csv?from=${view.from}&to=${view.to}`}>{ctx.t('stats.csv')}</a>
      </p>
      <h2>{ctx.t('stats.totals')}</h2>
      <dl class="stats-totals">
        <dt>{ctx.t('stats.investigations')}</dt>
        <dd>{n(view.totals.investigations)}</dd>
        <dt>{ctx.t('stats.uniqueInvestigations')}</dt>
        <dd>{n(view.totals.uniqueInvestigations)}</dd>
        <dt>{ctx.t('stats.requests')}</dt>
        <dd>{n(view.totals.requests)}</dd>
        <dt>{ctx.t('stats.uniqueRequests')}</dt>
        <dd>{n(view.totals.uniqueRequests)}</dd>
      </dl>
      <h2>{ctx.t('stats.byMonth')}</h2>
      <table class="data-table">
        <thead>
          <tr>
            <th scope="col">{ctx.t('usage.month')}</th>
            <th scope="col">{ctx.t('stats.investigations')}</th>
            <th scope="col">{ctx.t('stats.requests')}</th>
            <th scope="col">{ctx.t('stats.uniqueRequests')}</th>
          </tr>
        </thead>
        <tbody>
          {view.months.map((m) => (
            <tr>
              <th scope="row">{m.month}</th>
              <td>{n(m.investigations)}</td>
              <td>{n(m.requests)}</td>
              <td>{n(m.uniqueRequests)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{ctx.t('stats.top')}</h2>
      <ol>
        {view.top.map((a) => (
          <li>
            <a href={`/${ctx.journal!.path}/article/view/${a.articleId}`}>{localizeText(a.title, ctx.locale) || `#${a.articleId}`}</a>: {ctx.t('stats.topLine', { requests: n(a.requests), investigations: n(a.investigations) })}
          </li>
        ))}
      </ol>
    </ManagePage>
  );
}
