export { createUsageRecorder, type UsageHit, type UsageRecorder } from './recorder.ts';
export { usageSummary, type UsageSummary, type UsageTotals } from './summary.ts';
export { monthlyDownloads, itemMetrics, monthStart, nextMonth, type MonthlyCount, type ItemMonthMetrics } from './queries.ts';
export { DownloadsChart, UsageBody, MonthlyBars, monthlyBarsLabel, monthName } from './chart.tsx';
export { isRobot, loadRobotPatterns, useRobotsListFile, robotPatternCount } from './robots.ts';

/** Where a refreshed robots list is kept, in DATA_DIR. */
export const ROBOTS_FILE_NAME = 'COUNTER_Robots_list.json';
export { sushiRoutes } from './sushi-routes.ts';
export { createSushiKey, revokeSushiKey, listSushiKeys } from './sushi-keys.ts';
export { MONTH } from './sushi-exceptions.ts';
export { metricLabel, MetricLabel, METRIC_TYPES, type MetricType } from './metric-labels.tsx';
export { statsRules } from './policy.ts';
export { forgetJournalUsage } from './rollup.ts';
