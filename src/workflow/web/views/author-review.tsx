import type { SafeHtml } from '#jsx/jsx-runtime';
import { personName } from '../../../accounts/index.ts';
import type { DecisionKind, LocalizedText, ReviewRoundStatus } from '../../../db/schema.ts';
import { localizeText, type MessageKey } from '../../../i18n/index.ts';
import { AdminPage } from '../../../platform/web/index.ts';
import { Form, SelectField, SubmitButton, fieldId, type PageContext } from '../../../ui/index.ts';
import type { SharedReview } from '../../review/shared-reviews.ts';

/**
 * The author's side of review (issue 20, items 1, 4, 7): on the submission page, the rounds and the
 * decisions sent to the author with the reviews shared with them (by letter, never by name unless
 * the review was open); and the page where the author uploads revised files.
 */

export interface AuthorDecision {
  id: number;
  decision: DecisionKind;
  round: number | null;
  message: string;
  createdAt: Date;
  reviews: SharedReview[];
}

export interface AuthorReviewData {
  rounds: Array<{ round: number; status: ReviewRoundStatus }>;
  decisions: AuthorDecision[];
  /** Revisions were asked for in the current round: the upload page is open. */
  canRevise: boolean;
}

export const ROUND_STATUS_LABEL: Record<ReviewRoundStatus, MessageKey> = {
  open: 'authorReview.round.open',
  'revisions-requested': 'authorReview.round.revisions-requested',
  'revisions-submitted': 'authorReview.round.revisions-submitted',
  'resubmit-requested': 'authorReview.round.resubmit-requested',
  accepted: 'authorReview.round.accepted',
  declined: 'authorReview.round.declined',
  closed: 'authorReview.round.closed',
};

const DECISION_LABEL: Partial<Record<DecisionKind, MessageKey>> = {
  'send-to-review': 'authorReview.decision.send-to-review',
  accept: 'authorReview.decision.accept',
  'request-revisions': 'authorReview.decision.request-revisions',
  resubmit: 'authorReview.decision.resubmit',
  'new-round': 'authorReview.decision.new-round',
  decline: 'authorReview.decision.decline',
  'initial-decline': 'authorReview.decision.initial-decline',
  'revert-decline': 'authorReview.decision.revert-decline',
};

const day = (ctx: PageContext, at: Date) => new Intl.DateTimeFormat(ctx.locale === 'pl' ? 'pl' : 'en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(at);

function SharedReviewView({ ctx, review, base }: { ctx: PageContext; review: SharedReview; base: string }): SafeHtml {
  const { t } = ctx;
  const name = review.reviewer ? personName({ given_name: review.reviewer.givenName, family_name: review.reviewer.familyName }, ctx.locale) : undefined;
  const text = (value: LocalizedText) => localizeText(value, ctx.locale);
  return (
    <article class="shared-review">
      <h4>{name ? t('authorReview.reviewerNamed', { letter: review.letter, name }) : t('authorReview.reviewer', { letter: review.letter })}</h4>
      {review.commentsForAuthor.trim() !== '' ? <p class="preformatted">{review.commentsForAuthor}</p> : null}
      {review.answers.length > 0 ? (
        <dl>
          {review.answers.map((a) => (
            <>
              <dt>{text(a.question)}</dt>
              <dd class="preformatted">{'text' in a ? a.text : a.choices.map(text).join('; ')}</dd>
            </>
          ))}
        </dl>
      ) : null}
      {review.attachments.length > 0 ? (
        <ul>
          {review.attachments.map((f, i) => (
            <li>
              <a href={`${base}/review/attachments/${f.id}`}>{review.reviewer ? f.name : t('authorReview.attachment', { letter: review.letter, n: i + 1 })}</a>
            </li>
          ))}
        </ul>
      ) : null}
    </article>
  );
}

/** The review section of the submission page, as its author sees it. */
export function AuthorReviewSection({ ctx, data, base }: { ctx: PageContext; data: AuthorReviewData; base: string }): SafeHtml {
  const { t } = ctx;
  return (
    <section aria-labelledby="author-review-heading">
      <h2 id="author-review-heading">{t('authorReview.heading')}</h2>
      {data.rounds.length > 0 ? (
        <ul>
          {data.rounds.map((r) => (
            <li>{t('authorReview.roundStatus', { round: r.round, status: t(ROUND_STATUS_LABEL[r.status]) })}</li>
          ))}
        </ul>
      ) : (
        <p>{t('authorReview.noRounds')}</p>
      )}
      {data.canRevise ? (
        <p>
          <a href={`${base}/review/revisions`}>{t('authorReview.uploadRevisions')}</a>
        </p>
      ) : null}
      {data.decisions.map((d) => {
        const label = DECISION_LABEL[d.decision];
        return (
          <article aria-labelledby={`decision-${d.id}`}>
            <h3 id={`decision-${d.id}`}>
              {label ? t(label) : d.decision}
              {' — '}
              <time datetime={d.createdAt.toISOString()}>{day(ctx, d.createdAt)}</time>
              {d.round !== null ? ` (${t('authorReview.roundShort', { round: d.round })})` : ''}
            </h3>
            {d.message.trim() !== '' ? <p class="preformatted">{d.message}</p> : null}
            {d.reviews.map((r) => (
              <SharedReviewView ctx={ctx} review={r} base={base} />
            ))}
          </article>
        );
      })}
    </section>
  );
}

export interface RevisionsPageData {
  submissionId: number;
  title: string;
  round: number;
  kinds: Array<{ value: string; label: string }>;
  sent: Array<{ id: number; name: string; kind: string; round: number; createdAt: Date }>;
  values: { kind?: string };
  errors: { kind?: string; file?: string };
  notice?: string;
}

/** The author's page for revised files: the form, and the revisions already sent. */
export function RevisionsPage({ ctx, data }: { ctx: PageContext; data: RevisionsPageData }): SafeHtml {
  const { t } = ctx;
  const path = ctx.journal!.path;
  const base = `/${path}/workflow/index/${data.submissionId}`;
  const fileError = data.errors.file;
  return (
    <AdminPage
      ctx={ctx}
      title={t('authorReview.revisions.title', { title: data.title })}
      nav={[{ href: base, label: 'authorReview.revisions.back' }]}
      area={t('submissionPage.mySubmissions')}
      areaHref={`/${path}/dashboard/mySubmissions`}
      notice={data.notice}
    >
      <p>{t('authorReview.revisions.intro', { round: data.round })}</p>
      <Form action={`${base}/review/revisions`} csrf={ctx.csrf ?? ''} multipart>
        <SelectField ctx={ctx} name="kind" label={t('authorReview.revisions.kind')} options={data.kinds} value={data.values.kind ?? null} error={data.errors.kind} required empty={t('authorReview.revisions.chooseKind')} />
        <div class={fileError ? 'field field--error' : 'field'}>
          <label for={fieldId('file')}>{t('authorReview.revisions.file')}</label>
          {fileError ? (
            <p class="field-error" id={`${fieldId('file')}-error`}>
              {fileError}
            </p>
          ) : null}
          <input id={fieldId('file')} type="file" name="file" required aria-invalid={fileError ? 'true' : undefined} aria-describedby={fileError ? `${fieldId('file')}-error` : undefined} />
        </div>
        <SubmitButton label={t('authorReview.revisions.upload')} />
      </Form>
      <h2>{t('authorReview.revisions.sent')}</h2>
      {data.sent.length === 0 ? (
        <p>{t('authorReview.revisions.none')}</p>
      ) : (
        <table class="data-table">
          <caption class="visually-hidden">{t('authorReview.revisions.sent')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('authorReview.revisions.name')}</th>
              <th scope="col">{t('authorReview.revisions.kind')}</th>
              <th scope="col">{t('authorReview.revisions.round')}</th>
              <th scope="col">{t('authorReview.revisions.sentOn')}</th>
            </tr>
          </thead>
          <tbody>
            {data.sent.map((f) => (
              <tr>
                <td>
                  <a href={`${base}/files/${f.id}`} download={f.name}>
                    {f.name}
                  </a>
                </td>
                <td>{f.kind}</td>
                <td>{String(f.round)}</td>
                <td>
                  <time datetime={f.createdAt.toISOString()}>{day(ctx, f.createdAt)}</time>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </AdminPage>
  );
}
