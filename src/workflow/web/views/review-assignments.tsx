import type { SafeHtml } from '#jsx/jsx-runtime';
import type { ReviewStatus } from '../../../db/schema.ts';
import type { MessageKey } from '../../../i18n/index.ts';
import { langIf, Layout, Notice, type PageContext } from '../../../ui/index.ts';
import type { AssignmentGroups, AssignmentLine } from '../reviewer-data.ts';
import { ReviewDate } from './reviewer-request.tsx';

/**
 * The reviewer's dashboard (issue 20, item 8; OJS 3.5's `dashboard/reviewAssignments`): requests to
 * answer, reviews under way with their dates (lateness said in words, not by colour), completed
 * reviews, and last, folded, the declined and cancelled ones.
 */

const STATUS: Record<ReviewStatus, MessageKey> = {
  requested: 'reviewAssignments.status.requested',
  accepted: 'reviewAssignments.status.accepted',
  submitted: 'reviewAssignments.status.submitted',
  declined: 'reviewAssignments.status.declined',
  cancelled: 'reviewAssignments.status.cancelled',
};

export const reviewHref = (ctx: PageContext, reviewId: number) => `/${ctx.journal!.path}/reviewer/review/${reviewId}`;

function Title({ ctx, line }: { ctx: PageContext; line: AssignmentLine }): SafeHtml {
  return (
    <a href={reviewHref(ctx, line.reviewId)} lang={langIf(ctx, line.titleLocale)}>
      {line.title || ctx.t('wizard.untitled')}
    </a>
  );
}

/** The submission's title (to its review page) and round, heading its row. */
function RowHead({ ctx, line, linked = true }: { ctx: PageContext; line: AssignmentLine; linked?: boolean }): SafeHtml {
  return (
    <th scope="row">
      {linked ? <Title ctx={ctx} line={line} /> : <span lang={langIf(ctx, line.titleLocale)}>{line.title || ctx.t('wizard.untitled')}</span>}
      <br />
      <small>{ctx.t('reviewAssignments.round', { round: line.round })}</small>
    </th>
  );
}

/** A due date, and in words when it has passed (never by colour alone). */
function Due({ ctx, date, late, lateText }: { ctx: PageContext; date: Date; late: boolean; lateText: string }): SafeHtml {
  return (
    <td>
      <ReviewDate ctx={ctx} date={date} />
      {late ? (
        <>
          <br />
          <strong>{lateText}</strong>
        </>
      ) : null}
    </td>
  );
}

function Table({ ctx, caption, children, columns }: { ctx: PageContext; caption: string; children: SafeHtml[]; columns: string[] }): SafeHtml {
  return (
    <table class="data-table">
      <caption class="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          {columns.map((c) => (
            <th scope="col">{c}</th>
          ))}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}

export function ReviewAssignmentsPage({ ctx, groups, notice }: { ctx: PageContext; groups: AssignmentGroups; notice?: string }): SafeHtml {
  const title = ctx.t('reviewAssignments.title');
  const csrf = ctx.csrf ?? '';
  const empty = groups.toAnswer.length + groups.inProgress.length + groups.completed.length + groups.closed.length === 0;
  return (
    <Layout ctx={ctx} title={`${title} | ${ctx.journal?.name ?? ctx.siteTitle}`} indexable={false}>
      <h1>{title}</h1>
      {notice ? <Notice>{notice}</Notice> : null}
      {empty ? <p>{ctx.t('reviewAssignments.none')}</p> : null}

      <section aria-labelledby="to-answer">
        <h2 id="to-answer">
          {ctx.t('reviewAssignments.toAnswer')} ({String(groups.toAnswer.length)})
        </h2>
        {groups.toAnswer.length === 0 ? (
          <p>{ctx.t('reviewAssignments.noneToAnswer')}</p>
        ) : (
          <Table ctx={ctx} caption={ctx.t('reviewAssignments.toAnswer')} columns={[ctx.t('reviewAssignments.manuscript'), ctx.t('reviewAssignments.answerBy'), ctx.t('reviewAssignments.actions')]}>
            {groups.toAnswer.map((line) => (
              <tr>
                <RowHead ctx={ctx} line={line} />
                <Due ctx={ctx} date={line.responseDue} late={line.late === 'response'} lateText={ctx.t('reviewAssignments.answerLate')} />
                <td>
                  <form action={`${reviewHref(ctx, line.reviewId)}/accept`} method="post" class="inline-form">
                    <input type="hidden" name="_csrf" value={csrf} />
                    <button type="submit" class="button" aria-label={ctx.t('reviewAssignments.acceptNamed', { title: line.title })}>
                      {ctx.t('reviewAssignments.accept')}
                    </button>
                  </form>{' '}
                  <a class="button button--secondary" href={`${reviewHref(ctx, line.reviewId)}/decline`} aria-label={ctx.t('reviewAssignments.declineNamed', { title: line.title })}>
                    {ctx.t('reviewAssignments.decline')}
                  </a>
                </td>
              </tr>
            ))}
          </Table>
        )}
      </section>

      <section aria-labelledby="in-progress">
        <h2 id="in-progress">
          {ctx.t('reviewAssignments.inProgress')} ({String(groups.inProgress.length)})
        </h2>
        {groups.inProgress.length === 0 ? (
          <p>{ctx.t('reviewAssignments.noneInProgress')}</p>
        ) : (
          <Table ctx={ctx} caption={ctx.t('reviewAssignments.inProgress')} columns={[ctx.t('reviewAssignments.manuscript'), ctx.t('reviewAssignments.reviewDue'), ctx.t('reviewAssignments.actions')]}>
            {groups.inProgress.map((line) => (
              <tr>
                <RowHead ctx={ctx} line={line} />
                <Due ctx={ctx} date={line.reviewDue} late={line.late === 'review'} lateText={ctx.t('reviewAssignments.reviewLate')} />
                <td>
                  <a href={reviewHref(ctx, line.reviewId)} aria-label={ctx.t('reviewAssignments.continueNamed', { title: line.title })}>
                    {ctx.t('reviewAssignments.continue')}
                  </a>
                </td>
              </tr>
            ))}
          </Table>
        )}
      </section>

      <section aria-labelledby="completed">
        <h2 id="completed">
          {ctx.t('reviewAssignments.completed')} ({String(groups.completed.length)})
        </h2>
        {groups.completed.length === 0 ? (
          <p>{ctx.t('reviewAssignments.noneCompleted')}</p>
        ) : (
          <Table ctx={ctx} caption={ctx.t('reviewAssignments.completed')} columns={[ctx.t('reviewAssignments.manuscript'), ctx.t('reviewAssignments.submittedOn')]}>
            {groups.completed.map((line) => (
              <tr>
                <RowHead ctx={ctx} line={line} />
                <td>{line.submittedAt ? <ReviewDate ctx={ctx} date={line.submittedAt} /> : null}</td>
              </tr>
            ))}
          </Table>
        )}
      </section>

      {groups.closed.length > 0 ? (
        <details class="closed-reviews">
          <summary>
            {ctx.t('reviewAssignments.closed')} ({String(groups.closed.length)})
          </summary>
          <Table ctx={ctx} caption={ctx.t('reviewAssignments.closed')} columns={[ctx.t('reviewAssignments.manuscript'), ctx.t('reviewAssignments.status')]}>
            {groups.closed.map((line) => (
              <tr>
                <RowHead ctx={ctx} line={line} linked={false} />
                <td>{line.active || line.status === 'declined' || line.status === 'cancelled' ? ctx.t(STATUS[line.status]) : ctx.t('reviewAssignments.status.closed')}</td>
              </tr>
            ))}
          </Table>
        </details>
      ) : null}
    </Layout>
  );
}
