import type { SafeHtml } from '#jsx/jsx-runtime';
import type { MessageKey, Translate } from '../i18n/index.ts';
import type { MetricType } from './sushi-types.ts';

export type { MetricType };

/**
 * COUNTER metric names are a librarian's vocabulary; editors read what the metric counts. The
 * names stay the same in every language (they are what SUSHI and the CSV use).
 */
const METRIC_KEYS: Record<MetricType, MessageKey> = {
  Total_Item_Investigations: 'stats.investigations',
  Unique_Item_Investigations: 'stats.uniqueInvestigations',
  Total_Item_Requests: 'stats.requests',
  Unique_Item_Requests: 'stats.uniqueRequests',
  Unique_Title_Investigations: 'metric.Unique_Title_Investigations',
  Unique_Title_Requests: 'metric.Unique_Title_Requests',
};

export const METRIC_TYPES = Object.keys(METRIC_KEYS) as MetricType[];

/** What a COUNTER metric counts, in the page's language ("Pobrania" for Total_Item_Requests). */
export function metricLabel(ctx: { t: Translate }, name: MetricType): string {
  return ctx.t(METRIC_KEYS[name]);
}

/** The label, with the COUNTER name on a second, smaller line for librarians who look for it. */
export function MetricLabel({ ctx, name }: { ctx: { t: Translate }; name: MetricType }): SafeHtml {
  return (
    <>
      {metricLabel(ctx, name)}
      <br />
      <small class="metric-name">
        COUNTER: <span lang="en">{name}</span>
      </small>
    </>
  ) as SafeHtml;
}
