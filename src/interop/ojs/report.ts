import type { ImportSummary } from './import.ts';

/** The import report, as the CLI prints it and the management page shows it (not localized: it names data). */
export function describeImport(summary: ImportSummary): string[] {
  const counts = (c: ImportSummary['issues']) => `${c.new} new, ${c.changed} changed, ${c.unchanged} unchanged`;
  return [
    summary.dryRun ? 'dry run: nothing was written; an import would do this:' : 'imported:',
    ...(summary.root === 'issues' || summary.root === 'issue' ? [`  issues:   ${counts(summary.issues)}`] : []),
    `  articles: ${counts(summary.articles)}`,
    `  galleys:  ${summary.galleys}`,
    ...summary.units.map((u) => `  ${u.change.padEnd(9)} ${u.kind} ${u.label} (Revista id ${u.id}${u.ojsId !== undefined ? `, OJS id ${u.ojsId}` : ''})${u.kind === 'issue' ? `: ${u.articles.map((a) => `${a.title} [${a.change}]`).join('; ')}` : ''}`),
    `warnings: ${summary.warnings.length}`,
    ...summary.warnings.map((w) => `  ${w}`),
  ];
}
