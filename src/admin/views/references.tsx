import type { SafeHtml } from '#jsx/jsx-runtime';
import type { ReferenceProblemCount, ReferenceView } from '../../catalog/index.ts';
import { issueMessage } from '../../references/index.ts';
import type { PageContext } from '../../ui/index.ts';

/**
 * What editors see of the reference check: per article, each reference that has problems with the
 * problems in the editor's language, so they are fixed before publication; per issue, the count.
 */

export function ReferenceCheck({ ctx, references }: { ctx: PageContext; references: ReferenceView[] }): SafeHtml {
  const withProblems = references.filter((r) => (r.issues?.length ?? 0) > 0);
  const pending = references.filter((r) => r.issues === undefined).length;
  return (
    <section aria-labelledby="reference-check" class="reference-check">
      <h2 id="reference-check">{ctx.t('refcheck.title')}</h2>
      {references.length === 0 ? (
        <p>{ctx.t('refcheck.none')}</p>
      ) : withProblems.length === 0 && pending === 0 ? (
        <p>{ctx.t('refcheck.allGood', { total: references.length })}</p>
      ) : (
        <p>{ctx.t('refcheck.summary', { problems: withProblems.length, total: references.length })}</p>
      )}
      {pending > 0 ? <p>{ctx.t('refcheck.pending', { count: pending })}</p> : null}
      {withProblems.length > 0 ? (
        <ol class="reference-problems" role="list">
          {withProblems.map((reference) => (
            <li id={`reference-problem-${reference.seq}`}>
              <p>
                <strong>{ctx.t('refcheck.reference', { seq: reference.seq })}</strong>: <q>{reference.text}</q>
              </p>
              <ul>
                {reference.issues!.map((issue) => (
                  <li class={`reference-issue reference-issue--${issue.severity}`} data-code={issue.code}>
                    <span class="reference-issue__severity">{ctx.t(issue.severity === 'error' ? 'refcheck.error' : 'refcheck.warning')}</span>
                    {': '}
                    {issueMessage(issue, ctx.locale)}
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ol>
      ) : null}
    </section>
  );
}

/** "3 of 42" for an issue's table of contents; a dash for an article without references. */
export function referenceCell(ctx: PageContext, count: ReferenceProblemCount | undefined): string {
  if (!count || count.references === 0) return '—';
  return ctx.t('refcheck.cell', { problems: count.withProblems, total: count.references });
}

export function IssueReferenceSummary({ ctx, counts }: { ctx: PageContext; counts: ReferenceProblemCount[] }): SafeHtml {
  const total = counts.reduce((n, c) => n + c.references, 0);
  if (total === 0) return <></>;
  const problems = counts.reduce((n, c) => n + c.withProblems, 0);
  return <p class="reference-summary">{ctx.t('refcheck.issueSummary', { problems, total })}</p>;
}
