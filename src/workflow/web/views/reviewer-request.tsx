import type { SafeHtml } from '#jsx/jsx-runtime';
import type { Anonymity } from '../../../db/schema.ts';
import { formatLongDate, type MessageKey } from '../../../i18n/index.ts';
import { NewAccountFields } from '../../../accounts/index.ts';
import { ErrorSummary, Form, langIf, Layout, RichText, SubmitButton, TextArea, type FormErrors, type PageContext } from '../../../ui/index.ts';
import type { RequestedSubmission } from '../reviewer-data.ts';

/**
 * A review request as its reviewer reads it (issue 20, item 3): the submission (title, abstract,
 * section, keywords; the authors only where the request's anonymity allows), the dates and the
 * editor's words. Shared by the page behind the mail's links, the signed-in answer and the review page.
 */

export interface RequestView {
  submission: RequestedSubmission;
  round: number;
  anonymity: Anonymity;
  requestedAt: Date;
  responseDue: Date;
  reviewDue: Date;
  /** The editor's own words in the request (may be empty). */
  message: string;
}

const ANONYMITY: Record<Anonymity, MessageKey> = {
  'double-anonymous': 'reviewerRequest.anonymity.double-anonymous',
  'anonymous-reviewer': 'reviewerRequest.anonymity.anonymous-reviewer',
  open: 'reviewerRequest.anonymity.open',
};

export function ReviewDate({ ctx, date }: { ctx: PageContext; date: Date }): SafeHtml {
  return <time datetime={date.toISOString()}>{formatLongDate(ctx.locale, date)}</time>;
}

/** The submission and the request's terms, under a heading of the given level. */
export function RequestSummary({ ctx, request, headingId = 'review-request' }: { ctx: PageContext; request: RequestView; headingId?: string }): SafeHtml {
  const s = request.submission;
  return (
    <section aria-labelledby={headingId} class="review-request">
      <h2 id={headingId}>{ctx.t('reviewerRequest.heading')}</h2>
      <dl class="summary-list">
        <dt>{ctx.t('reviewerRequest.title')}</dt>
        <dd lang={langIf(ctx, s.title?.locale)}>{s.title?.text ?? ctx.t('wizard.untitled')}</dd>
        {s.section ? (
          <>
            <dt>{ctx.t('reviewerRequest.section')}</dt>
            <dd lang={langIf(ctx, s.section.locale)}>{s.section.text}</dd>
          </>
        ) : null}
        {s.authors ? (
          <>
            <dt>{ctx.t('reviewerRequest.authors')}</dt>
            <dd>
              <ul class="plain-list">
                {s.authors.map((a) => (
                  <li>
                    {a.name}
                    {a.affiliations.length > 0 ? <> ({a.affiliations.join('; ')})</> : null}
                  </li>
                ))}
              </ul>
            </dd>
          </>
        ) : null}
        {s.keywords.length > 0 ? (
          <>
            <dt>{ctx.t('reviewerRequest.keywords')}</dt>
            <dd>{s.keywords.join(', ')}</dd>
          </>
        ) : null}
        <dt>{ctx.t('reviewerRequest.round')}</dt>
        <dd>{String(request.round)}</dd>
        <dt>{ctx.t('reviewerRequest.requestedAt')}</dt>
        <dd>
          <ReviewDate ctx={ctx} date={request.requestedAt} />
        </dd>
        <dt>{ctx.t('reviewerRequest.responseDue')}</dt>
        <dd>
          <ReviewDate ctx={ctx} date={request.responseDue} />
        </dd>
        <dt>{ctx.t('reviewerRequest.reviewDue')}</dt>
        <dd>
          <ReviewDate ctx={ctx} date={request.reviewDue} />
        </dd>
        <dt>{ctx.t('reviewerRequest.anonymity')}</dt>
        <dd>{ctx.t(ANONYMITY[request.anonymity])}</dd>
      </dl>
      {s.abstract ? (
        <>
          <h3>{ctx.t('reviewerRequest.abstract')}</h3>
          <RichText text={s.abstract.text} lang={langIf(ctx, s.abstract.locale)} />
        </>
      ) : null}
      {request.message.trim() !== '' ? (
        <>
          <h3>{ctx.t('reviewerRequest.message')}</h3>
          <blockquote class="editor-message">
            {request.message.split(/\r?\n\s*\r?\n/).map((paragraph) => (
              <p>{paragraph}</p>
            ))}
          </blockquote>
        </>
      ) : null}
    </section>
  );
}

export interface RespondForm {
  token: string;
  givenName: string;
  familyName: string;
  consent: boolean;
  declineReason: string;
  errors: FormErrors;
}

/**
 * The page behind a mail's accept or decline link: the request and one button. Someone asked
 * without an account makes one on accepting (name, password, consent to the privacy statement).
 */
export function RespondPage({ ctx, purpose, request, form, newAccountEmail, privacyHref }: { ctx: PageContext; purpose: 'accept' | 'decline'; request: RequestView; form: RespondForm; newAccountEmail: string | null; privacyHref: string }): SafeHtml {
  const title = ctx.t(purpose === 'accept' ? 'reviewerRespond.acceptTitle' : 'reviewerRespond.declineTitle');
  const action = `/${ctx.journal!.path}/reviewer/respond/${purpose}`;
  return (
    <Layout ctx={ctx} title={`${title} | ${ctx.journal?.name ?? ctx.siteTitle}`} indexable={false}>
      <h1>{title}</h1>
      <p>{ctx.t('reviewerRespond.intro', { journal: ctx.journal?.name ?? ctx.siteTitle })}</p>
      <ErrorSummary ctx={ctx} errors={form.errors} />
      <RequestSummary ctx={ctx} request={request} />
      <section aria-labelledby="respond-answer">
        <h2 id="respond-answer">{ctx.t('reviewerRespond.answer')}</h2>
        <Form action={action} csrf={ctx.csrf ?? ''}>
          <input type="hidden" name="token" value={form.token} />
          {purpose === 'decline' ? (
            <>
              <p>{ctx.t('reviewerRespond.declineExplain')}</p>
              <TextArea ctx={ctx} name="declineReason" label={ctx.t('reviewerRespond.declineReason')} hint={ctx.t('reviewerRespond.declineReasonHint')} value={form.declineReason} rows={4} error={form.errors.declineReason} />
              <SubmitButton label={ctx.t('reviewerRespond.declineSubmit')} />
            </>
          ) : newAccountEmail !== null ? (
            <>
              <p>{ctx.t('reviewerRespond.createAccount', { email: newAccountEmail })}</p>
              <NewAccountFields ctx={ctx} form={form} privacyHref={privacyHref} />
              <SubmitButton label={ctx.t('reviewerRespond.acceptAndCreate')} />
            </>
          ) : (
            <>
              <p>{ctx.t('reviewerRespond.acceptExplain')}</p>
              <SubmitButton label={ctx.t('reviewerRespond.acceptSubmit')} />
            </>
          )}
        </Form>
        <p class="hint">{ctx.t(purpose === 'accept' ? 'reviewerRespond.otherWayDecline' : 'reviewerRespond.otherWayAccept')}</p>
      </section>
    </Layout>
  );
}
