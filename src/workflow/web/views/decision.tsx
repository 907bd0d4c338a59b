import type { SafeHtml } from '#jsx/jsx-runtime';
import type { DecisionKind, Recommendation } from '../../../db/schema.ts';
import { formatFileSize, ManagePage, type ManageAccess } from '../../../platform/web/index.ts';
import { CheckboxField, ErrorSummary, FieldGroup, Form, Notice, SubmitButton, TextArea, type FormErrors, type PageContext } from '../../../ui/index.ts';
import { DECISION_EFFECT, DECISION_LABEL, RECOMMENDATION_LABEL } from './review-stage-labels.tsx';

/** A decision's page: what it does, its files (a new round), the message, the reviews shared with the author. */

export interface DecisionFile {
  id: number;
  name: string;
  sizeBytes: number;
  /** Where the file comes from: the submission, the round's review files, the author's revisions. */
  origin: 'submission' | 'review-file' | 'revision';
}

export interface SharableReview {
  id: number;
  letter: string;
  recommendation: Recommendation | null;
  commentsForAuthor: string;
}

export interface DecisionFormView {
  decision: DecisionKind;
  submissionTitle: string;
  base: string;
  /** The decision cannot be taken now: why (no form is shown). */
  refused?: string;
  /** send-to-review and new-round: the files the round may review. */
  files?: DecisionFile[];
  fileIds: number[];
  message: string;
  reviews?: SharableReview[];
  sharedReviewIds: number[];
  /** Decisions the author hears of may be recorded silently; recommendations always go to the deciding editors. */
  notifyChoice: boolean;
  notifyAuthor: boolean;
  /** The state of the submission the form was made for (a stale form is refused). */
  state: string;
  errors: FormErrors;
}

const ORIGIN_LABEL = {
  submission: 'reviewEditor.decisionPage.origin.submission',
  'review-file': 'reviewEditor.decisionPage.origin.review-file',
  revision: 'reviewEditor.decisionPage.origin.revision',
} as const;

export function DecisionPage({ ctx, access, view }: { ctx: PageContext; access: ManageAccess; view: DecisionFormView }): SafeHtml {
  const { t } = ctx;
  const recommendation = view.decision.startsWith('recommend-');
  const title = t('reviewEditor.decisionPage.title', { decision: t(DECISION_LABEL[view.decision]), title: view.submissionTitle });
  return (
    <ManagePage ctx={ctx} access={access} title={title}>
      <p>
        <a href={`${view.base}#review`}>{t('reviewEditor.backToSubmission')}</a>
      </p>
      <ErrorSummary ctx={ctx} errors={view.errors} />
      {view.refused ? (
        <>
          <Notice kind="warning">{view.refused}</Notice>
          {view.message.trim() !== '' ? (
            <section aria-labelledby="unsent-heading">
              <h2 id="unsent-heading">{t('reviewEditor.decisionPage.unsent')}</h2>
              <p class="preformatted">{view.message}</p>
            </section>
          ) : null}
        </>
      ) : (
        <>
          <p>{t(DECISION_EFFECT[view.decision])}</p>
          <Form action={`${view.base}/decision/${view.decision}`} csrf={ctx.csrf ?? ''}>
            <input type="hidden" name="state" value={view.state} />
            {view.files ? (
              <FieldGroup name="fileIds" legend={t('reviewEditor.decisionPage.files')} hint={t('reviewEditor.decisionPage.filesHint')} error={view.errors.fileIds}>
                {view.files.length === 0 ? <p>{t('reviewEditor.noReviewFiles')}</p> : null}
                {view.files.map((f) => (
                  <CheckboxField
                    name="fileIds"
                    value={String(f.id)}
                    checked={view.fileIds.includes(f.id)}
                    label={`${f.name} (${t(ORIGIN_LABEL[f.origin])}, ${formatFileSize(f.sizeBytes, ctx.locale)})`}
                  />
                ))}
              </FieldGroup>
            ) : null}
            <TextArea
              ctx={ctx}
              name="message"
              label={t(recommendation ? 'reviewEditor.decisionPage.messageToEditors' : 'reviewEditor.decisionPage.messageToAuthor')}
              hint={t('reviewEditor.decisionPage.messageHint')}
              value={view.message}
              rows={10}
              error={view.errors.message}
            />
            {view.reviews && view.reviews.length > 0 ? (
              <FieldGroup name="sharedReviewIds" legend={t('reviewEditor.decisionPage.shareReviews')} hint={t('reviewEditor.decisionPage.shareHint')} error={view.errors.sharedReviewIds}>
                {view.reviews.map((r) => (
                  <div class="shared-review">
                    <CheckboxField
                      name="sharedReviewIds"
                      value={String(r.id)}
                      checked={view.sharedReviewIds.includes(r.id)}
                      label={`${t('reviewEditor.reviewerLetter', { letter: r.letter })}${r.recommendation ? ` — ${t(RECOMMENDATION_LABEL[r.recommendation])}` : ''}`}
                    />
                    <details>
                      <summary>{t('reviewEditor.decisionPage.preview', { letter: r.letter })}</summary>
                      {r.commentsForAuthor.trim() === '' ? <p>{t('reviewEditor.decisionPage.noComments')}</p> : <p class="preformatted">{r.commentsForAuthor}</p>}
                    </details>
                  </div>
                ))}
              </FieldGroup>
            ) : null}
            {view.notifyChoice ? <CheckboxField name="notifyAuthor" label={t('reviewEditor.decisionPage.notifyAuthor')} checked={view.notifyAuthor} /> : null}
            <SubmitButton label={t(DECISION_LABEL[view.decision])} />
          </Form>
        </>
      )}
    </ManagePage>
  );
}
