import type { SafeHtml } from '#jsx/jsx-runtime';
import { formatNumber, type UiLocale } from '../i18n/index.ts';
import type { PageContext } from '../ui/index.ts';
import type { MonthlyCount } from './queries.ts';

/** "grudzień 2021" / "December 2021". */
export function monthName(locale: UiLocale, month: string): string {
  return new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${month}-01T00:00:00Z`));
}

function shortMonth(locale: UiLocale, month: string): string {
  return new Intl.DateTimeFormat(locale, { month: 'short', timeZone: 'UTC' }).format(new Date(`${month}-01T00:00:00Z`));
}

/**
 * Downloads per month as a server-rendered SVG bar chart (no script), labelled for screen readers by
 * `label`, each bar titled with its month and count. Shows the last 24 months given. The article page
 * and the journal's statistics page draw their charts with it; each puts the numbers in a table
 * beside it (WCAG 1.1.1: a text alternative with all the data).
 */
export function MonthlyBars({ ctx, months, label, id = 'usage-chart' }: { ctx: PageContext; months: MonthlyCount[]; label: string; id?: string }): SafeHtml {
  const shown = months.slice(-24);
  const max = Math.max(1, ...shown.map((m) => m.requests));
  const width = 600;
  const height = 160;
  // Bars at most 48 units wide, so a single month is a bar, not a wall.
  const barWidth = Math.min(48, width / Math.max(1, shown.length));
  const offset = (width - barWidth * shown.length) / 2;
  return (
    <svg viewBox={`0 0 ${width} ${height + 24}`} role="img" aria-labelledby={`${id}-title`} xmlns="http://www.w3.org/2000/svg" width="100%">
      <title id={`${id}-title`}>{label}</title>
      {shown.map((m, i) => {
        const barHeight = Math.round((m.requests / max) * height);
        return (
          <g>
            <rect x={String(offset + i * barWidth + 2)} y={String(height - barHeight)} width={String(Math.max(1, barWidth - 4))} height={String(barHeight)} class="usage-chart__bar">
              <title>{`${monthName(ctx.locale, m.month)}: ${formatNumber(ctx.locale, m.requests)}`}</title>
            </rect>
            <text x={String(offset + i * barWidth + barWidth / 2)} y={String(height + 16)} text-anchor="middle" class="usage-chart__label">
              {shortMonth(ctx.locale, m.month)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

/** The chart's summary: "Downloads by month, May 2025 – April 2026: 1,204 in all" (the last 24 months drawn). */
export function monthlyBarsLabel(ctx: PageContext, months: MonthlyCount[]): string {
  const shown = months.slice(-24);
  const total = months.reduce((sum, m) => sum + m.requests, 0);
  return ctx.t('usage.chartLabel', { total: formatNumber(ctx.locale, total), from: monthName(ctx.locale, shown[0]!.month), to: monthName(ctx.locale, shown.at(-1)!.month) });
}

/** The article's downloads per month: the chart, and the same numbers in a table to open. */
export function DownloadsChart({ ctx, months }: { ctx: PageContext; months: MonthlyCount[] }): SafeHtml {
  const label = monthlyBarsLabel(ctx, months);
  return (
    <figure class="usage-chart">
      <MonthlyBars ctx={ctx} months={months} label={label} />
      <figcaption>{label}</figcaption>
      <details>
        <summary>{ctx.t('usage.table')}</summary>
        <table class="data-table">
          <thead>
            <tr>
              <th scope="col">{ctx.t('usage.month')}</th>
              <th scope="col">{ctx.t('usage.downloads')}</th>
            </tr>
          </thead>
          <tbody>
            {months.map((m) => (
              <tr>
                <th scope="row">{monthName(ctx.locale, m.month)}</th>
                <td>{formatNumber(ctx.locale, m.requests)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

/** What the article page shows under "Downloads": the chart once there is data, else the placeholder. */
export function UsageBody({ ctx, months }: { ctx: PageContext; months: MonthlyCount[] }): SafeHtml {
  return months.length === 0 ? <p>{ctx.t('usage.noData')}</p> : <DownloadsChart ctx={ctx} months={months} />;
}
