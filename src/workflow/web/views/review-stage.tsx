import type { SafeHtml } from '#jsx/jsx-runtime';
import type { DecisionKind, SubmissionStatus, WorkflowStage } from '../../../db/schema.ts';
import { formatFileSize } from '../../../platform/web/index.ts';
import { Badge, ConfirmLink, Notice, type PageContext } from '../../../ui/index.ts';
import type { ReviewRecord, ReviewRound } from '../../review/index.ts';
import { DateTime } from './discussions.tsx';
import { ANONYMITY_LABEL, DECISION_LABEL, LATE_LABEL, RECOMMENDATION_LABEL, REVIEW_STATUS_LABEL, ROUND_STATUS_LABEL } from './review-stage-labels.tsx';

export interface RoundFile {
  id: number;
  name: string;
  sizeBytes: number;
  createdAt: Date;
}

export interface RecordedDecision {
  decision: DecisionKind;
  editor: string;
  at: Date;
  message: string;
}

export interface ReviewerRow {
  review: ReviewRecord;
  letter: string;
  late: 'response' | 'review' | null;
  /** Editors see who reviews. */
  name: string;
  /** Asked without an account yet (an invitation). */
  invited: boolean;
}

export interface ReviewStageView {
  base: string;
  recommendOnly: boolean;
  status: SubmissionStatus;
  stage: WorkflowStage;
  rounds: ReviewRound[];
  round?: ReviewRound;
  isCurrent: boolean;
  reviewFiles: RoundFile[];
  revisions: RoundFile[];
  reviews: ReviewerRow[];
  decisions: DecisionKind[];
  recorded: RecordedDecision[];
  /** Reviewers may be asked, and requests changed, in the round shown. */
  manageRequests: boolean;
  notice?: string;
}

const days = new Map<string, Intl.DateTimeFormat>();

/** A due date as people read it (the day, UTC; written as the rest of the workflow's dates are). */
export function Day({ ctx, value }: { ctx: PageContext; value: Date }): SafeHtml {
  let format = days.get(ctx.locale);
  if (!format) days.set(ctx.locale, (format = new Intl.DateTimeFormat(ctx.locale === 'en' ? 'en-GB' : ctx.locale, { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' })));
  return <time datetime={value.toISOString().slice(0, 10)}>{format.format(value)}</time>;
}

const day = (ctx: PageContext, date: Date) => <Day ctx={ctx} value={date} />;

function Files({ ctx, base, files, empty }: { ctx: PageContext; base: string; files: RoundFile[]; empty: string }): SafeHtml {
  if (files.length === 0) return <p>{empty}</p>;
  return (
    <ul>
      {files.map((f) => (
        <li>
          <a href={`${base}/files/${f.id}`} download={f.name}>
            {f.name}
          </a>{' '}
          ({formatFileSize(f.sizeBytes, ctx.locale)}, <DateTime ctx={ctx} value={f.createdAt} />)
        </li>
      ))}
    </ul>
  );
}

function RequestActions({ ctx, base, row, manage }: { ctx: PageContext; base: string; row: ReviewerRow; manage: boolean }): SafeHtml {
  const { t } = ctx;
  const r = row.review;
  const href = `${base}/reviews/${r.id}`;
  const who = t('reviewEditor.reviewerLetter', { letter: row.letter });
  const waiting = r.status === 'requested' || r.status === 'accepted';
  return (
    <ul class="link-list">
      <li>
        <a href={href}>{r.status === 'submitted' ? t('reviewEditor.readReview', { who }) : t('reviewEditor.requestDetails', { who })}</a>
      </li>
      {manage && waiting ? (
        <>
          <li>
            <a href={`${href}/dates`}>{t('reviewEditor.changeDates', { who })}</a>
          </li>
          <li>
            <a href={`${href}/remind`}>{t('reviewEditor.remind', { who })}</a>
          </li>
          <li>
            <ConfirmLink href={`${href}/cancel`} label={t('reviewEditor.cancel', { who })} />
          </li>
        </>
      ) : null}
      {manage && r.status === 'cancelled' ? (
        <li>
          <a href={`${href}/reinstate`}>{t('reviewEditor.reinstate', { who })}</a>
        </li>
      ) : null}
    </ul>
  );
}

function Reviewers({ ctx, view }: { ctx: PageContext; view: ReviewStageView }): SafeHtml {
  const { t } = ctx;
  if (view.reviews.length === 0) return <p>{t('reviewEditor.noReviewers')}</p>;
  return (
    <table class="data-table">
      <caption class="visually-hidden">{t('reviewEditor.reviewers')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('reviewEditor.reviewer')}</th>
          <th scope="col">{t('reviewEditor.status')}</th>
          <th scope="col">{t('reviewEditor.anonymity')}</th>
          <th scope="col">{t('reviewEditor.dates')}</th>
          <th scope="col">{t('reviewEditor.recommendation')}</th>
          <th scope="col">{t('reviewEditor.actions')}</th>
        </tr>
      </thead>
      <tbody>
        {view.reviews.map((row) => {
          const r = row.review;
          return (
            <tr>
              <th scope="row">
                {row.name}
                <span class="hint"> ({t('reviewEditor.reviewerLetter', { letter: row.letter })})</span>
                {row.invited ? (
                  <>
                    {' '}
                    <Badge>{t('reviewEditor.invited')}</Badge>
                  </>
                ) : null}
              </th>
              <td>
                {t(REVIEW_STATUS_LABEL[r.status])}
                {row.late ? (
                  <>
                    {' '}
                    <Badge tone="danger">{t(LATE_LABEL[row.late])}</Badge>
                  </>
                ) : null}
              </td>
              <td>{t(ANONYMITY_LABEL[r.anonymity])}</td>
              <td>
                <dl>
                  <dt>{t('reviewEditor.requestedOn')}</dt>
                  <dd>{day(ctx, r.requestedAt)}</dd>
                  <dt>{t('reviewEditor.responseDue')}</dt>
                  <dd>{day(ctx, r.responseDue)}</dd>
                  <dt>{t('reviewEditor.reviewDue')}</dt>
                  <dd>{day(ctx, r.reviewDue)}</dd>
                  {r.submittedAt ? (
                    <>
                      <dt>{t('reviewEditor.submittedOn')}</dt>
                      <dd>{day(ctx, r.submittedAt)}</dd>
                    </>
                  ) : null}
                </dl>
              </td>
              <td>
                {r.status === 'submitted' && r.recommendation ? t(RECOMMENDATION_LABEL[r.recommendation]) : '—'}
                {r.rating !== null ? (
                  <>
                    <br />
                    {t('reviewEditor.ratedShort', { rating: r.rating })}
                  </>
                ) : null}
              </td>
              <td>
                <RequestActions ctx={ctx} base={view.base} row={row} manage={view.manageRequests} />
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function Decisions({ ctx, view }: { ctx: PageContext; view: ReviewStageView }): SafeHtml {
  const { t } = ctx;
  return (
    <section aria-labelledby="review-decisions-heading">
      <h3 id="review-decisions-heading">{t(view.recommendOnly ? 'reviewEditor.recommendations' : 'reviewEditor.decisions')}</h3>
      {view.recorded.length > 0 ? (
        <ul>
          {view.recorded.map((d) => (
            <li>
              {t('reviewEditor.recorded', { decision: t(DECISION_LABEL[d.decision]), editor: d.editor })}, <DateTime ctx={ctx} value={d.at} />
              {d.message.trim() !== '' ? (
                <details>
                  <summary>{t('reviewEditor.recordedMessage')}</summary>
                  <p class="preformatted">{d.message}</p>
                </details>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {view.decisions.length > 0 ? (
        <>
          {view.recommendOnly ? <p class="hint">{t('reviewEditor.recommendOnlyHint')}</p> : null}
          <div class="actions">
            {view.decisions.map((d) => (
              <a class={d.includes('decline') && d !== 'revert-decline' ? 'button button--danger' : 'button button--secondary'} href={`${view.base}/decision/${d}`}>
                {d === 'accept' && view.stage === 'submission' ? t('reviewEditor.decision.acceptSkippingReview') : t(DECISION_LABEL[d])}
              </a>
            ))}
          </div>
        </>
      ) : view.recorded.length === 0 ? (
        <p>{t('reviewEditor.noDecisions')}</p>
      ) : null}
    </section>
  );
}

/** The Review section of the submission page, for the submission's editors. */
export function ReviewStageSection({ ctx, view }: { ctx: PageContext; view: ReviewStageView }): SafeHtml {
  const { t } = ctx;
  const round = view.round;
  return (
    <section aria-labelledby="review" class="review-stage">
      <h2 id="review">{t('reviewEditor.heading')}</h2>
      {view.notice ? <Notice>{view.notice}</Notice> : null}
      {view.rounds.length > 0 ? (
        <nav class="tabs" aria-label={t('reviewEditor.rounds')}>
          <ul>
            {view.rounds.map((r) => (
              <li>
                <a href={`${view.base}?round=${r.round}#review`} aria-current={r.id === round?.id ? 'page' : undefined}>
                  {t('reviewEditor.roundTab', { round: r.round })} <span class="badge badge--neutral">{t(ROUND_STATUS_LABEL[r.status])}</span>
                </a>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
      {round ? (
        <>
          <h3>{t('reviewEditor.roundHeading', { round: round.round, status: t(ROUND_STATUS_LABEL[round.status]) })}</h3>
          <h4>{t('reviewEditor.reviewFiles')}</h4>
          <Files ctx={ctx} base={view.base} files={view.reviewFiles} empty={t('reviewEditor.noReviewFiles')} />
          <h4>{t('reviewEditor.revisions')}</h4>
          <Files ctx={ctx} base={view.base} files={view.revisions} empty={t('reviewEditor.noRevisions')} />
          <h4>{t('reviewEditor.reviewers')}</h4>
          <Reviewers ctx={ctx} view={view} />
          {view.manageRequests && round.status === 'open' ? (
            <div class="actions">
              <a class="button button--secondary" href={`${view.base}/review/reviewers`}>
                {t('reviewEditor.addReviewer')}
              </a>
              <a class="button button--secondary" href={`${view.base}/review/request-new`}>
                {t('reviewEditor.inviteNew')}
              </a>
            </div>
          ) : null}
        </>
      ) : (
        <p>{t('reviewEditor.notYetInReview')}</p>
      )}
      <Decisions ctx={ctx} view={view} />
    </section>
  );
}
