import type { SafeHtml } from '#jsx/jsx-runtime';
import { formatFileSize, type ManageAccess } from '../../../platform/web/index.ts';
import { ActionButton, ErrorSummary, FieldGroup, Form, SubmitButton, type FormErrors, type PageContext } from '../../../ui/index.ts';
import type { ReviewRecord } from '../../review/index.ts';
import { DateTime } from './discussions.tsx';
import { Day } from './review-stage.tsx';
import { ANONYMITY_LABEL, LATE_LABEL, RECOMMENDATION_LABEL, REVIEW_STATUS_LABEL } from './review-stage-labels.tsx';
import { ReviewEditorPage } from './review-stage-requests.tsx';

/** A review request and its review as the submission's editors read it: who, what they recommend, what they wrote, their files; the rating. */

export interface ReviewAttachmentView {
  id: number;
  name: string;
  sizeBytes: number;
  visibleToAuthor: boolean;
}

export interface ReviewPageView {
  base: string;
  review: ReviewRecord;
  letter: string;
  name: string;
  late: 'response' | 'review' | null;
  attachments: ReviewAttachmentView[];
  /** The form's answers, rendered for editors (every answer, those the author will not see marked). */
  answers?: SafeHtml;
  rating: string;
  errors: FormErrors;
  notice?: string;
}

function Text({ text, empty }: { text: string; empty: string }): SafeHtml {
  return text.trim() === '' ? <p class="hint">{empty}</p> : <p class="preformatted">{text}</p>;
}

export function ReviewPage({ ctx, access, view }: { ctx: PageContext; access: ManageAccess; view: ReviewPageView }): SafeHtml {
  const { t } = ctx;
  const r = view.review;
  const href = `${view.base}/reviews/${r.id}`;
  const who = t('reviewEditor.reviewerLetter', { letter: view.letter });
  const submitted = r.status === 'submitted';
  return (
    <ReviewEditorPage ctx={ctx} access={access} title={t('reviewEditor.reviewPage.title', { name: view.name, round: r.round })} back={`${view.base}?round=${r.round}#review`} notice={view.notice}>
      <ErrorSummary ctx={ctx} errors={view.errors} />
      <dl class="summary-list">
        <dt>{t('reviewEditor.reviewer')}</dt>
        <dd>
          {view.name} ({r.reviewer.email}), {who}
        </dd>
        <dt>{t('reviewEditor.status')}</dt>
        <dd>
          {t(REVIEW_STATUS_LABEL[r.status])}
          {view.late ? ` — ${t(LATE_LABEL[view.late])}` : ''}
        </dd>
        <dt>{t('reviewEditor.anonymity')}</dt>
        <dd>{t(ANONYMITY_LABEL[r.anonymity])}</dd>
        <dt>{t('reviewEditor.requestedOn')}</dt>
        <dd>
          <DateTime ctx={ctx} value={r.requestedAt} />
        </dd>
        <dt>{t('reviewEditor.responseDue')}</dt>
        <dd>
          <Day ctx={ctx} value={r.responseDue} />
        </dd>
        <dt>{t('reviewEditor.reviewDue')}</dt>
        <dd>
          <Day ctx={ctx} value={r.reviewDue} />
        </dd>
        {r.submittedAt ? (
          <>
            <dt>{t('reviewEditor.submittedOn')}</dt>
            <dd>
              <DateTime ctx={ctx} value={r.submittedAt} />
            </dd>
          </>
        ) : null}
        {r.status === 'declined' && r.declineReason.trim() !== '' ? (
          <>
            <dt>{t('reviewEditor.reviewPage.declineReason')}</dt>
            <dd class="preformatted">{r.declineReason}</dd>
          </>
        ) : null}
      </dl>
      {r.requestMessage.trim() !== '' ? (
        <details>
          <summary>{t('reviewEditor.reviewPage.requestMessage')}</summary>
          <p class="preformatted">{r.requestMessage}</p>
        </details>
      ) : null}
      {submitted ? (
        <>
          <section aria-labelledby="recommendation-heading">
            <h2 id="recommendation-heading">{t('reviewEditor.recommendation')}</h2>
            <p>{r.recommendation ? t(RECOMMENDATION_LABEL[r.recommendation]) : '—'}</p>
          </section>
          <section aria-labelledby="for-author-heading">
            <h2 id="for-author-heading">{t('reviewEditor.reviewPage.forAuthor')}</h2>
            <Text text={r.commentsForAuthor} empty={t('reviewEditor.reviewPage.none')} />
          </section>
          <section aria-labelledby="for-editor-heading">
            <h2 id="for-editor-heading">{t('reviewEditor.reviewPage.forEditor')}</h2>
            <Text text={r.commentsForEditor} empty={t('reviewEditor.reviewPage.none')} />
          </section>
          <section aria-labelledby="interests-heading">
            <h2 id="interests-heading">{t('reviewEditor.reviewPage.competingInterests')}</h2>
            <Text text={r.competingInterests} empty={t('reviewEditor.reviewPage.none')} />
          </section>
          {view.answers ? (
            <section aria-labelledby="answers-heading">
              <h2 id="answers-heading">{t('reviewEditor.reviewPage.answers')}</h2>
              {view.answers}
            </section>
          ) : null}
          <section aria-labelledby="attachments-heading">
            <h2 id="attachments-heading">{t('reviewEditor.reviewPage.attachments')}</h2>
            {view.attachments.length === 0 ? (
              <p>{t('reviewEditor.reviewPage.noAttachments')}</p>
            ) : (
              <ul>
                {view.attachments.map((a) => (
                  <li>
                    <a href={`${href}/attachments/${a.id}`} download={a.name}>
                      {a.name}
                    </a>{' '}
                    ({formatFileSize(a.sizeBytes, ctx.locale)}) — {t(a.visibleToAuthor ? 'reviewEditor.reviewPage.authorSees' : 'reviewEditor.reviewPage.authorDoesNotSee')}{' '}
                    <ActionButton
                      action={`${href}/attachments/${a.id}/share`}
                      csrf={ctx.csrf ?? ''}
                      name="visible"
                      value={a.visibleToAuthor ? 'off' : 'on'}
                      label={t(a.visibleToAuthor ? 'reviewEditor.reviewPage.hideFromAuthor' : 'reviewEditor.reviewPage.showToAuthor', { name: a.name })}
                    />
                  </li>
                ))}
              </ul>
            )}
          </section>
          <section aria-labelledby="rating-heading">
            <h2 id="rating-heading">{t('reviewEditor.reviewPage.rating')}</h2>
            {r.rating !== null ? <p>{t('reviewEditor.reviewPage.ratedOn', { rating: r.rating })}</p> : null}
            <Form action={`${href}/rate`} csrf={ctx.csrf ?? ''}>
              <FieldGroup name="rating" legend={t('reviewEditor.reviewPage.rateLegend')} hint={t('reviewEditor.reviewPage.rateHint')} error={view.errors.rating}>
                {['1', '2', '3', '4', '5'].map((n) => (
                  <div class="field field--checkbox">
                    <input type="radio" id={`rating-${n}`} name="rating" value={n} checked={view.rating === n} />
                    <label for={`rating-${n}`}>{n}</label>
                  </div>
                ))}
              </FieldGroup>
              <SubmitButton label={t('reviewEditor.reviewPage.rate')} />
            </Form>
          </section>
        </>
      ) : (
        <p>{t('reviewEditor.reviewPage.notYet')}</p>
      )}
    </ReviewEditorPage>
  );
}
