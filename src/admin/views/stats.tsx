import type { Child, SafeHtml } from '#jsx/jsx-runtime';
import { formatNumber, localizeText } from '../../i18n/index.ts';
import { ActionButton, CheckboxField, ConfirmLink, EmptyState, ErrorSummary, Form, Notice, SubmitButton, TextField, type FormErrors, type PageContext, richToPlainLine } from '../../ui/index.ts';
import { MetricLabel, MonthlyBars, monthlyBarsLabel, monthName } from '../../stats/index.ts';
import type { Issue } from '../../db/index.ts';
import { issueName } from './issues.tsx';
import { ManagePage, type ManageAccess } from './manage.tsx';

export interface StatsTotals {
  investigations: number;
  uniqueInvestigations: number;
  requests: number;
  uniqueRequests: number;
}

export interface SushiKeyRow {
  id: number;
  requestor_id: string;
  label: string;
  created_at: Date;
  revoked_at: Date | null;
}

export interface SushiSettings {
  requiresKey: boolean;
  keys: SushiKeyRow[];
  /** Shown once, right after a key is made. */
  newKey?: { requestorId: string; apiKey: string };
}

export interface StatsView {
  sushi?: SushiSettings;
  from: string;
  to: string;
  totals: StatsTotals;
  months: Array<{ month: string } & StatsTotals>;
  top: Array<{ articleId: number; title: Record<string, string>; requests: number; investigations: number }>;
  /** Usage per issue in the range (id null: articles in no issue). */
  issues: Array<{ issue: StatsIssue; totals: StatsTotals }>;
  /** The report is narrowed to one issue or one article. */
  scope?: { kind: 'issue'; issue: StatsIssue } | { kind: 'article'; id: number; title: Record<string, string> };
}

export type StatsIssue = Pick<Issue, 'volume' | 'number' | 'year' | 'title'> & { id: number | null };

/** Usage of the journal for editors: COUNTER totals, months, most downloaded articles, CSV. */
export function StatsPage({ ctx, access, view, errors }: { ctx: PageContext; access: ManageAccess; view: StatsView; errors: FormErrors }): SafeHtml {
  const n = (value: number) => formatNumber(ctx.locale, value);
  const base = `/${ctx.journal!.path}/management/stats`;
  const scopeQuery = view.scope?.kind === 'article' ? `&article=${view.scope.id}` : view.scope?.kind === 'issue' && view.scope.issue.id !== null ? `&issue=${view.scope.issue.id}` : '';
  const range = `from=${view.from}&to=${view.to}`;
  // Browsers without a month picker need the form the server reads; the shown month is the best example.
  const monthExample = /^\d{4}-(0[1-9]|1[0-2])$/.test(view.to) ? view.to : '2025-01';
  const nameOf = (issue: StatsIssue) => (issue.id === null ? ctx.t('stats.noIssue') : issueName(ctx, { ...issue, id: issue.id }));
  return (
    <ManagePage ctx={ctx} access={access} title={ctx.t('stats.title')}>
      <ErrorSummary ctx={ctx} errors={errors} />
      {view.scope ? (
        <p>
          {view.scope.kind === 'issue'
            ? ctx.t('stats.scopeIssue', { issue: nameOf(view.scope.issue) })
            : ctx.t('stats.scopeArticle', { article: richToPlainLine(localizeText(view.scope.title, ctx.locale)) || `#${view.scope.id}` })}{' '}
          <a href={`${base}?${range}`}>{ctx.t('stats.wholeJournal')}</a>
        </p>
      ) : null}
      <form action={base} method="get" class="toolbar" role="search" aria-label={ctx.t('stats.show')}>
        <TextField ctx={ctx} name="from" type="month" label={ctx.t('stats.from')} value={view.from} hint={ctx.t('stats.monthHint', { example: monthExample })} error={errors.from} />
        <TextField ctx={ctx} name="to" type="month" label={ctx.t('stats.to')} value={view.to} hint={ctx.t('stats.monthHint', { example: monthExample })} error={errors.to} />
        {view.scope?.kind === 'article' ? <input type="hidden" name="article" value={String(view.scope.id)} /> : null}
        {view.scope?.kind === 'issue' && view.scope.issue.id !== null ? <input type="hidden" name="issue" value={String(view.scope.issue.id)} /> : null}
        <div class="form-actions">
          <button type="submit" class="button button--primary">
            {ctx.t('stats.show')}
          </button>
          <a href={`${base}.csv?${range}${scopeQuery}`} class="button button--secondary">
            {ctx.t('stats.csv')}
          </a>
        </div>
      </form>
      <h2>{ctx.t('stats.totals')}</h2>
      <ul class="cards" aria-label={ctx.t('stats.totals')}>
        <li class="card">
          <p class="card__title"><MetricLabel ctx={ctx} name="Total_Item_Investigations" /></p>
          <p class="card__value">{n(view.totals.investigations)}</p>
        </li>
        <li class="card">
          <p class="card__title"><MetricLabel ctx={ctx} name="Unique_Item_Investigations" /></p>
          <p class="card__value">{n(view.totals.uniqueInvestigations)}</p>
        </li>
        <li class="card">
          <p class="card__title"><MetricLabel ctx={ctx} name="Total_Item_Requests" /></p>
          <p class="card__value">{n(view.totals.requests)}</p>
        </li>
        <li class="card">
          <p class="card__title"><MetricLabel ctx={ctx} name="Unique_Item_Requests" /></p>
          <p class="card__value">{n(view.totals.uniqueRequests)}</p>
        </li>
      </ul>
      <h2 id="stats-by-month">{ctx.t('stats.byMonth')}</h2>
      {view.months.length === 0 ? (
        <EmptyState message={ctx.t('design.noUsage')} />
      ) : (
        <>
          <UsageChart ctx={ctx} from={view.from} to={view.to} months={view.months} />
          <UsageTable
            ctx={ctx}
            caption={ctx.t('stats.byMonth')}
            first={ctx.t('usage.month')}
            rows={view.months.map((m) => ({ head: monthName(ctx.locale, m.month), counts: m }))}
          />
        </>
      )}
      {view.scope?.kind === 'article' || view.top.length === 0 ? null : (
        <>
          <h2>{ctx.t('stats.top')}</h2>
          <ol class="ranked">
            {view.top.map((a) => (
              <li>
                <a href={`${base}?${range}&article=${a.articleId}`}>{richToPlainLine(localizeText(a.title, ctx.locale)) || `#${a.articleId}`}</a>: {ctx.t('stats.topLine', { requests: n(a.requests), investigations: n(a.investigations) })}
              </li>
            ))}
          </ol>
        </>
      )}
      {view.issues.length === 0 ? null : (
        <>
          <h2>{ctx.t('stats.byIssue')}</h2>
          <UsageTable
            ctx={ctx}
            first={ctx.t('stats.issue')}
            rows={view.issues.map(({ issue, totals }) => ({ head: issue.id === null ? nameOf(issue) : <a href={`${base}?${range}&issue=${issue.id}`}>{nameOf(issue)}</a>, counts: totals }))}
          />
        </>
      )}
      {view.sushi ? <SushiSection ctx={ctx} sushi={view.sushi} /> : null}
    </ManagePage>
  );
}

/** Views, downloads and unique downloads, one row per month or issue (the row's name first). */
function UsageTable({ ctx, caption, first, rows }: { ctx: PageContext; caption?: string; first: string; rows: Array<{ head: Child; counts: { investigations: number; requests: number; uniqueRequests: number } }> }): SafeHtml {
  const n = (value: number) => formatNumber(ctx.locale, value);
  return (
    <table class="data-table">
      {caption ? <caption class="visually-hidden">{caption}</caption> : null}
      <thead>
        <tr>
          <th scope="col">{first}</th>
          <th scope="col" class="num"><MetricLabel ctx={ctx} name="Total_Item_Investigations" /></th>
          <th scope="col" class="num"><MetricLabel ctx={ctx} name="Total_Item_Requests" /></th>
          <th scope="col" class="num"><MetricLabel ctx={ctx} name="Unique_Item_Requests" /></th>
        </tr>
      </thead>
      <tbody>
        {rows.map(({ head, counts }) => (
          <tr>
            <th scope="row">{head}</th>
            <td class="num">{n(counts.investigations)}</td>
            <td class="num">{n(counts.requests)}</td>
            <td class="num">{n(counts.uniqueRequests)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Every month of the range (the last 24 at most), months without usage as zero: the chart's bars. */
export function chartMonths(from: string, to: string, months: Array<{ month: string; requests: number }>): Array<{ month: string; requests: number }> {
  const byMonth = new Map(months.map((m) => [m.month, m.requests]));
  const [toYear, toMonth] = to.split('-').map(Number) as [number, number];
  const out: Array<{ month: string; requests: number }> = [];
  for (let i = 0; i < 24; i++) {
    const d = new Date(Date.UTC(toYear, toMonth - 1 - i, 1));
    const month = d.toISOString().slice(0, 7);
    if (month < from) break;
    out.unshift({ month, requests: byMonth.get(month) ?? 0 });
  }
  return out;
}

/** Downloads (COUNTER Total_Item_Requests) per month of the range, drawn as the article page draws them. */
function UsageChart({ ctx, from, to, months }: { ctx: PageContext; from: string; to: string; months: Array<{ month: string; requests: number }> }): SafeHtml {
  const bars = chartMonths(from, to, months);
  const label = monthlyBarsLabel(ctx, bars);
  return (
    <figure class="usage-chart">
      <MonthlyBars ctx={ctx} months={bars} label={label} id="stats-chart" />
      <figcaption>{label}</figcaption>
    </figure>
  );
}

/** Who may harvest the journal's COUNTER reports over SUSHI: anyone, or holders of a key. */
function SushiSection({ ctx, sushi }: { ctx: PageContext; sushi: SushiSettings }): SafeHtml {
  const base = `/${ctx.journal!.path}/management/stats/sushi`;
  const csrf = ctx.csrf ?? '';
  return (
    <section aria-labelledby="sushi-heading">
      <h2 id="sushi-heading">{ctx.t('sushi.title')}</h2>
      <p>{ctx.t('sushi.endpoint', { url: `/${ctx.journal!.path}/api/sushi/r51/reports` })}</p>
      {sushi.newKey ? (
        <Notice>
          <p>{ctx.t('sushi.newKey')}</p>
          <p>
            requestor_id: <code>{sushi.newKey.requestorId}</code>, api_key: <code>{sushi.newKey.apiKey}</code>
          </p>
        </Notice>
      ) : null}
      <Form action={base} csrf={csrf}>
        <CheckboxField name="requiresKey" label={ctx.t('sushi.requiresKey')} checked={sushi.requiresKey} />
        <SubmitButton label={ctx.t('form.save')} />
      </Form>
      {sushi.keys.length > 0 ? (
        <ul>
          {sushi.keys.map((k) => (
            <li class="actions">
              {k.label} ({k.requestor_id}){k.revoked_at ? ` — ${ctx.t('sushi.revoked')}` : <ConfirmLink href={`${base}/keys/${k.id}/revoke`} label={ctx.t('sushi.revoke')} />}
            </li>
          ))}
        </ul>
      ) : null}
      <Form action={`${base}/keys`} csrf={csrf}>
        <TextField ctx={ctx} name="label" label={ctx.t('sushi.label')} hint={ctx.t('sushi.labelHint')} />
        <SubmitButton label={ctx.t('sushi.create')} />
      </Form>
    </section>
  );
}
