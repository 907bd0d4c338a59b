export { createUsageRecorder, type UsageHit, type UsageRecorder } from './recorder.ts';
export { monthlyDownloads, type MonthlyCount } from './queries.ts';
export { DownloadsChart, UsageBody } from './chart.tsx';
export { isRobot } from './robots.ts';
