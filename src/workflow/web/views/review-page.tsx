import type { SafeHtml } from '#jsx/jsx-runtime';
import type { Recommendation, ReviewStatus } from '../../../db/schema.ts';
import type { MessageKey } from '../../../i18n/index.ts';
import { formatFileSize } from '../../../platform/web/index.ts';
import { Confirmation, ConfirmLink, ErrorSummary, Form, Layout, Notice, SelectField, TextArea, type FormErrors, type PageContext } from '../../../ui/index.ts';
import { reviewHref } from './review-assignments.tsx';
import { RequestSummary, ReviewDate, type RequestView } from './reviewer-request.tsx';

/**
 * The review page (issue 20, item 6), OJS's four steps on one page: the request, the guidelines,
 * the files to download and the review itself (the form's questions, a recommendation, comments for
 * the author and for the editor, competing interests, files), saved as a draft until sent once.
 * A request not yet answered shows the request with its answer buttons; a sent review is read-only.
 */

export const RECOMMENDATION_LABEL: Record<Recommendation, MessageKey> = {
  accept: 'reviewerReview.recommendation.accept',
  'minor-revisions': 'reviewerReview.recommendation.minor-revisions',
  'major-revisions': 'reviewerReview.recommendation.major-revisions',
  'resubmit-for-review': 'reviewerReview.recommendation.resubmit-for-review',
  'resubmit-elsewhere': 'reviewerReview.recommendation.resubmit-elsewhere',
  decline: 'reviewerReview.recommendation.decline',
  'see-comments': 'reviewerReview.recommendation.see-comments',
};

export interface ReviewDraft {
  recommendation: string;
  commentsForAuthor: string;
  commentsForEditor: string;
  competingInterests: string;
}

export interface ReviewPageData {
  reviewId: number;
  status: ReviewStatus;
  /** What the viewer may do: answer the request, write the review, or only read. */
  mode: 'respond' | 'write' | 'read';
  request: RequestView;
  files: Array<{ name: string; href: string; sizeBytes: number }>;
  attachments: Array<{ id: number; name: string; sizeBytes: number; href: string }>;
  /** The form's questions as fields (write) or answers (read); null without a form. */
  questions: SafeHtml | null;
  draft: ReviewDraft;
  submittedAt: Date | null;
  errors: FormErrors;
  notice?: string;
  recommendations: readonly Recommendation[];
  maxAttachments: number;
  maxAttachmentBytes: number;
}

function Paragraphs({ text }: { text: string }): SafeHtml {
  return (
    <>
      {text.split(/\r?\n\s*\r?\n/).map((paragraph) => (
        <p class="review-answer">{paragraph}</p>
      ))}
    </>
  );
}

function Files({ ctx, files }: { ctx: PageContext; files: ReviewPageData['files'] }): SafeHtml {
  if (files.length === 0) return <p>{ctx.t('reviewerReview.noFiles')}</p>;
  return (
    <ul class="file-list">
      {files.map((f) => (
        <li>
          <a href={f.href} download="">
            {f.name}
          </a>{' '}
          <small>({formatFileSize(f.sizeBytes, ctx.locale)})</small>
        </li>
      ))}
    </ul>
  );
}

function Attachments({ ctx, data, removable }: { ctx: PageContext; data: ReviewPageData; removable: boolean }): SafeHtml {
  if (data.attachments.length === 0) return <p>{ctx.t('reviewerReview.noAttachments')}</p>;
  return (
    <ul class="file-list">
      {data.attachments.map((a) => (
        <li>
          <a href={a.href}>{a.name}</a> <small>({formatFileSize(a.sizeBytes, ctx.locale)})</small>
          {removable ? (
            <>
              {' '}
              <ConfirmLink href={`${a.href}/remove`} label={ctx.t('reviewerReview.removeAttachment')} describedBy={undefined} />
            </>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

function WriteForm({ ctx, data }: { ctx: PageContext; data: ReviewPageData }): SafeHtml {
  const e = data.errors;
  return (
    <Form action={reviewHref(ctx, data.reviewId)} csrf={ctx.csrf ?? ''} multipart>
      <section aria-labelledby="review-questions">
        <h2 id="review-questions">{ctx.t('reviewerReview.step.review')}</h2>
        {data.questions}
        <SelectField
          ctx={ctx}
          name="recommendation"
          label={ctx.t('reviewerReview.recommendation')}
          hint={ctx.t('reviewerReview.recommendationHint')}
          required
          value={data.draft.recommendation}
          empty={ctx.t('reviewerReview.recommendationChoose')}
          options={data.recommendations.map((r) => ({ value: r, label: ctx.t(RECOMMENDATION_LABEL[r]) }))}
          error={e.recommendation}
        />
        <TextArea ctx={ctx} name="commentsForAuthor" label={ctx.t('reviewerReview.commentsForAuthor')} hint={ctx.t('reviewerReview.commentsForAuthorHint')} value={data.draft.commentsForAuthor} rows={12} error={e.commentsForAuthor} />
        <TextArea ctx={ctx} name="commentsForEditor" label={ctx.t('reviewerReview.commentsForEditor')} hint={ctx.t('reviewerReview.commentsForEditorHint')} value={data.draft.commentsForEditor} rows={6} error={e.commentsForEditor} />
        <TextArea ctx={ctx} name="competingInterests" label={ctx.t('reviewerReview.competingInterests')} hint={ctx.t('reviewerReview.competingInterestsHint')} value={data.draft.competingInterests} rows={3} error={e.competingInterests} />
      </section>
      <section aria-labelledby="review-attachments">
        <h2 id="review-attachments">{ctx.t('reviewerReview.attachments')}</h2>
        <Attachments ctx={ctx} data={data} removable={true} />
        <div class={e.file ? 'field field--error' : 'field'}>
          <label for="field-file">{ctx.t('reviewerReview.addAttachment')}</label>
          <p class="hint" id="field-file-hint">
            {ctx.t('reviewerReview.attachmentHint', { max: data.maxAttachments, size: formatFileSize(data.maxAttachmentBytes, ctx.locale) })}
          </p>
          {e.file ? (
            <p class="field-error" id="field-file-error">
              {e.file}
            </p>
          ) : null}
          <input type="file" id="field-file" name="file" aria-describedby={e.file ? 'field-file-hint field-file-error' : 'field-file-hint'} aria-invalid={e.file ? 'true' : undefined} />
        </div>
      </section>
      <div class="form-actions">
        <button type="submit" name="action" value="save" class="button button--secondary">
          {ctx.t('reviewerReview.saveDraft')}
        </button>{' '}
        <button type="submit" name="action" value="submit" class="button">
          {ctx.t('reviewerReview.submit')}
        </button>
      </div>
      <p class="hint">{ctx.t('reviewerReview.submitHint')}</p>
    </Form>
  );
}

function ReadOnly({ ctx, data }: { ctx: PageContext; data: ReviewPageData }): SafeHtml {
  const d = data.draft;
  const recommendation = d.recommendation && Object.hasOwn(RECOMMENDATION_LABEL, d.recommendation) ? ctx.t(RECOMMENDATION_LABEL[d.recommendation as Recommendation]) : ctx.t('reviewerReview.none');
  return (
    <section aria-labelledby="review-sent">
      <h2 id="review-sent">{ctx.t('reviewerReview.yourReview')}</h2>
      {data.submittedAt ? (
        <p>
          {ctx.t('reviewerReview.sentOn')} <ReviewDate ctx={ctx} date={data.submittedAt} />
        </p>
      ) : null}
      {data.questions}
      <dl class="summary-list">
        <dt>{ctx.t('reviewerReview.recommendation')}</dt>
        <dd>{recommendation}</dd>
        <dt>{ctx.t('reviewerReview.commentsForAuthor')}</dt>
        <dd>{d.commentsForAuthor ? <Paragraphs text={d.commentsForAuthor} /> : ctx.t('reviewerReview.none')}</dd>
        <dt>{ctx.t('reviewerReview.commentsForEditor')}</dt>
        <dd>{d.commentsForEditor ? <Paragraphs text={d.commentsForEditor} /> : ctx.t('reviewerReview.none')}</dd>
        <dt>{ctx.t('reviewerReview.competingInterests')}</dt>
        <dd>{d.competingInterests ? <Paragraphs text={d.competingInterests} /> : ctx.t('reviewerReview.none')}</dd>
      </dl>
      <h3>{ctx.t('reviewerReview.attachments')}</h3>
      <Attachments ctx={ctx} data={data} removable={false} />
    </section>
  );
}

export function ReviewPage({ ctx, data }: { ctx: PageContext; data: ReviewPageData }): SafeHtml {
  const title = ctx.t('reviewerReview.title', { title: data.request.submission.title?.text ?? ctx.t('wizard.untitled') });
  const href = reviewHref(ctx, data.reviewId);
  return (
    <Layout ctx={ctx} title={`${title} | ${ctx.journal?.name ?? ctx.siteTitle}`} indexable={false}>
      <p>
        <a href={`/${ctx.journal!.path}/dashboard/reviewAssignments`}>{ctx.t('reviewerReview.back')}</a>
      </p>
      <h1>{title}</h1>
      {data.notice ? <Notice>{data.notice}</Notice> : null}
      {data.status === 'submitted' ? <Notice>{ctx.t('reviewerReview.thanks')}</Notice> : null}
      {data.status === 'declined' ? <Notice kind="warning">{ctx.t('reviewerReview.declined')}</Notice> : null}
      {data.status === 'cancelled' ? <Notice kind="warning">{ctx.t('reviewerReview.cancelled')}</Notice> : null}
      <ErrorSummary ctx={ctx} errors={data.errors} />
      <RequestSummary ctx={ctx} request={data.request} />
      {data.mode === 'respond' ? (
        <section aria-labelledby="review-answer">
          <h2 id="review-answer">{ctx.t('reviewerReview.answerHeading')}</h2>
          <p>{ctx.t('reviewerReview.answerExplain')}</p>
          <form action={`${href}/accept`} method="post" class="inline-form">
            <input type="hidden" name="_csrf" value={ctx.csrf ?? ''} />
            <button type="submit" class="button">
              {ctx.t('reviewAssignments.accept')}
            </button>
          </form>{' '}
          <a class="button button--secondary" href={`${href}/decline`}>
            {ctx.t('reviewAssignments.decline')}
          </a>
        </section>
      ) : null}
      {data.mode === 'write' || data.status === 'submitted' ? (
        <>
          <section aria-labelledby="review-files">
            <h2 id="review-files">{ctx.t('reviewerReview.step.files')}</h2>
            <p>{ctx.t('reviewerReview.filesExplain')}</p>
            <Files ctx={ctx} files={data.files} />
          </section>
          {data.mode === 'write' ? <WriteForm ctx={ctx} data={data} /> : <ReadOnly ctx={ctx} data={data} />}
        </>
      ) : null}
    </Layout>
  );
}

/** The reviewer's decline while signed in: the request, an optional reason, one button. */
export function DeclinePage({ ctx, reviewId, request, reason, errors }: { ctx: PageContext; reviewId: number; request: RequestView; reason: string; errors: FormErrors }): SafeHtml {
  const title = ctx.t('reviewerRespond.declineTitle');
  const href = reviewHref(ctx, reviewId);
  return (
    <Layout ctx={ctx} title={`${title} | ${ctx.journal?.name ?? ctx.siteTitle}`} indexable={false}>
      <h1>{title}</h1>
      <ErrorSummary ctx={ctx} errors={errors} />
      <RequestSummary ctx={ctx} request={request} />
      <Confirmation ctx={ctx} action={`${href}/decline`} question={ctx.t('reviewerReview.declineQuestion')} consequences={[ctx.t('reviewerRespond.declineExplain')]} confirmLabel={ctx.t('reviewerRespond.declineSubmit')} cancelHref={`/${ctx.journal!.path}/dashboard/reviewAssignments`}>
        <TextArea ctx={ctx} name="declineReason" label={ctx.t('reviewerRespond.declineReason')} hint={ctx.t('reviewerRespond.declineReasonHint')} value={reason} rows={4} error={errors.declineReason} />
      </Confirmation>
    </Layout>
  );
}

/** "Once sent it cannot be changed": the last step before the review goes to the editors. */
export function SubmitConfirmPage({ ctx, reviewId, title }: { ctx: PageContext; reviewId: number; title: string }): SafeHtml {
  const heading = ctx.t('reviewerReview.submitTitle');
  const href = reviewHref(ctx, reviewId);
  return (
    <Layout ctx={ctx} title={`${heading} | ${ctx.journal?.name ?? ctx.siteTitle}`} indexable={false}>
      <h1>{heading}</h1>
      <Confirmation ctx={ctx} action={`${href}/submit`} question={ctx.t('reviewerReview.submitQuestion', { title })} consequences={[ctx.t('reviewerReview.submitFinal'), ctx.t('reviewerReview.submitSaved')]} confirmLabel={ctx.t('reviewerReview.submitConfirm')} cancelHref={href} danger={false} />
    </Layout>
  );
}

/** Removing an attachment of the review under way. */
export function RemoveAttachmentPage({ ctx, reviewId, attachment }: { ctx: PageContext; reviewId: number; attachment: { id: number; name: string } }): SafeHtml {
  const heading = ctx.t('reviewerReview.removeTitle');
  const href = reviewHref(ctx, reviewId);
  return (
    <Layout ctx={ctx} title={`${heading} | ${ctx.journal?.name ?? ctx.siteTitle}`} indexable={false}>
      <h1>{heading}</h1>
      <Confirmation ctx={ctx} action={`${href}/attachments/${attachment.id}/remove`} question={ctx.t('reviewerReview.removeQuestion', { name: attachment.name })} consequences={[ctx.t('reviewerReview.removeWhat')]} confirmLabel={ctx.t('reviewerReview.removeAttachmentNamed', { name: attachment.name })} cancelHref={href} />
    </Layout>
  );
}
