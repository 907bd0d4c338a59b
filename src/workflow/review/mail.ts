import type { Transaction } from 'kysely';
import { personName } from '../../accounts/index.ts';
import { publicationContributors } from '../../catalog/index.ts';
import type { Database, LocalizedText } from '../../db/schema.ts';
import { formatLongDate, localizeText, translate, type UiLocale } from '../../i18n/index.ts';
import { storeTemplated, type MailTemplateKey } from '../../mail/index.ts';
import { notify, type NotificationKind } from '../../notifications/index.ts';
import type { Subscriptions } from '../../platform/events/index.ts';
import { richToPlainLine, richToPlainText } from '../../ui/index.ts';
import { editorsToTell, journalOf, recipients, submissionOf, submissionUrl } from '../mail.ts';
import { linkExpiry, reviewLinkSecret, reviewLinkUrl, signReviewLink, type LinkPurpose } from './links.ts';
import { findReview, type ReviewRecord } from './queries.ts';
import { authorsHiddenFromReviewer } from './settings.ts';
import { sharedReviews } from './shared-reviews.ts';
import { DECISION_TEMPLATE, RECOMMENDATION_LABEL, RECOMMENDED, reviewsBlock } from './mail-words.ts';

/**
 * The mails and notifications of peer review (issue 20, items 3, 4, 6, 7): one subscriber per event,
 * each telling every person concerned in one transaction — the notification for the interface, then
 * the mail if the person takes this kind by email (requests, reminders and decisions always come).
 * Anonymity is decided here once per mail: a reviewer's mail names no author in double-anonymous
 * review, and an author's names no reviewer unless the review was open.
 */

export const REVIEW_REQUEST_MAIL = 'review.request-mail';
export const REVIEW_ANSWER_MAIL = 'review.answer-mail';
export const REVIEW_SUBMITTED_MAIL = 'review.submitted-mail';
export const REVIEW_CHANGED_MAIL = 'review.changed-mail';
export const DECISION_MAIL = 'review.decision-mail';
export const REVISIONS_MAIL = 'review.revisions-mail';

type Trx = Transaction<Database>;
type Journal = Awaited<ReturnType<typeof journalOf>>;
type Submission = NonNullable<Awaited<ReturnType<typeof submissionOf>>>;

/** Someone a mail goes to: an account, or (a reviewer invited without one) an address. */
export interface Addressee {
  userId: number | null;
  email: string;
  given_name: LocalizedText;
  family_name: LocalizedText;
  locale: string;
}

export interface ReviewMailOptions {
  baseUrl: string;
}

export const uiLocale = (locale: string): UiLocale => (locale.startsWith('pl') ? 'pl' : 'en');

/** Tells one person: the notification (accounts only), then the mail unless they turned this kind's mail off. */
export async function tell(
  trx: Trx,
  mail: { to: Addressee; kind: NotificationKind; key: MailTemplateKey; journal: Journal; submissionId: number; params?: Record<string, string | number>; at: Date; variables: (locale: UiLocale) => Record<string, string>; receipt?: boolean },
): Promise<void> {
  if (mail.to.userId !== null) {
    const { byEmail } = await notify(trx, { userId: mail.to.userId, kind: mail.kind, journalId: mail.journal.id, submissionId: mail.submissionId, params: mail.params ?? {}, at: mail.at });
    // A receipt (the reviewer's thanks) is their record of what they did: mailed whatever the kind's setting, which is the editors'.
    if (!byEmail && !mail.receipt) return;
  }
  const locale = mail.to.locale;
  await storeTemplated(trx, { to: mail.to.email, key: mail.key, locale, journalId: mail.journal.id, variables: { name: personName(mail.to, locale) ?? mail.to.email, ...mail.variables(uiLocale(locale)) } });
}

async function people(trx: Trx, userIds: readonly number[], journal: Journal): Promise<Addressee[]> {
  return (await recipients(trx, userIds)).map((r) => ({ userId: r.id, email: r.email, given_name: r.given_name, family_name: r.family_name, locale: r.preferred_locale ?? journal.primary_locale }));
}

/** The reviewer of a request: their account, or the invitation's address and language until they have one. */
export async function reviewerOf(trx: Trx, review: ReviewRecord, journal: Journal): Promise<Addressee | undefined> {
  if (review.reviewerId !== null) return (await people(trx, [review.reviewerId], journal))[0];
  if (review.invitationId === null) return undefined;
  const invitation = await trx.selectFrom('invitations').select(['email', 'given_name', 'family_name', 'locale']).where('id', '=', review.invitationId).executeTakeFirst();
  return invitation ? { userId: null, email: invitation.email, given_name: invitation.given_name, family_name: invitation.family_name, locale: invitation.locale ?? journal.primary_locale } : undefined;
}

/** The submission's editors: those assigned to it, or, while nobody is, the journal's (as for a new submission). */
async function submissionEditors(trx: Trx, journalId: number, submission: Submission, options: { deciding?: boolean } = {}): Promise<number[]> {
  const assigned = await trx
    .selectFrom('submission_participants')
    .select(['user_id', 'recommend_only'])
    .where('submission_id', '=', submission.id)
    .where('role', 'in', ['editor', 'section-editor'])
    .execute();
  const chosen = assigned.filter((p) => !options.deciding || !p.recommend_only).map((p) => p.user_id);
  if (chosen.length > 0) return chosen;
  const limited = new Set(assigned.filter((p) => p.recommend_only).map((p) => p.user_id));
  return (await editorsToTell(trx, journalId, submission.section_id)).filter((id) => !limited.has(id));
}

const titleIn = (submission: Submission, locale: UiLocale) => richToPlainLine(localizeText(submission.title, locale, submission.locale));
const block = (text: string) => (text.trim() === '' ? '' : `${text.trim()}\n\n`);
const date = (locale: UiLocale, at: Date) => formatLongDate(locale, at);

function common(journal: Journal, submission: Submission, locale: UiLocale) {
  return { journalName: localizeText(journal.name, locale, journal.primary_locale), title: titleIn(submission, locale) };
}

/** A review event's request, submission and journal, read in the subscriber's transaction; undefined once the request or submission is gone. */
async function reviewEvent(trx: Trx, event: { journalId: number; submissionId: number; reviewId: number }) {
  const review = await findReview(trx, event.journalId, event.reviewId);
  const submission = await submissionOf(trx, event.submissionId);
  if (!review || !submission) return undefined;
  return { review, submission, journal: await journalOf(trx, event.journalId) };
}

const reviewerName = (review: ReviewRecord, locale: UiLocale) => personName({ given_name: review.reviewer.givenName, family_name: review.reviewer.familyName }, locale) ?? review.reviewer.email;

/** Tells each of `userIds` (editors), with what every mail to editors has: the journal, the title, the number and the submission's address. */
async function tellEditors(
  trx: Trx,
  baseUrl: string,
  userIds: readonly number[],
  mail: { journal: Journal; submission: Submission; kind: NotificationKind; key: MailTemplateKey; params: Record<string, string | number>; at: Date; variables: (locale: UiLocale) => Record<string, string> },
): Promise<void> {
  const { journal, submission } = mail;
  for (const editor of await people(trx, userIds, journal)) {
    await tell(trx, {
      to: editor,
      kind: mail.kind,
      key: mail.key,
      journal,
      submissionId: submission.id,
      params: mail.params,
      at: mail.at,
      variables: (locale) => ({ ...common(journal, submission, locale), submissionId: String(submission.id), submissionUrl: submissionUrl(baseUrl, journal.path, submission.id), ...mail.variables(locale) }),
    });
  }
}

export function reviewPageUrl(baseUrl: string, journalPath: string, reviewId: number): string {
  return `${baseUrl}/${encodeURIComponent(journalPath)}/reviewer/review/${reviewId}`;
}

/** The accept or decline link of a request as it stands now (its current nonce and answer date). */
export async function answerLink(trx: Trx, baseUrl: string, journal: Journal, review: ReviewRecord, purpose: LinkPurpose): Promise<string> {
  const token = signReviewLink(await reviewLinkSecret(trx), { reviewId: review.id, purpose, expiresAt: linkExpiry(review.responseDue), nonce: review.linkNonce });
  return reviewLinkUrl(baseUrl, journal.path, purpose, token);
}

/** What the reviewer does next, as a block: answer (the links) while the request waits, else the review page. */
async function nextStep(trx: Trx, baseUrl: string, journal: Journal, review: ReviewRecord): Promise<(locale: UiLocale) => string> {
  if (review.status === 'requested') {
    const [accept, decline] = [await answerLink(trx, baseUrl, journal, review, 'accept'), await answerLink(trx, baseUrl, journal, review, 'decline')];
    return (locale) => `${translate(locale, 'reviewMail.toAccept')}\n${accept}\n\n${translate(locale, 'reviewMail.toDecline')}\n${decline}\n\n`;
  }
  if (review.status === 'accepted' && review.reviewerId !== null) {
    const url = reviewPageUrl(baseUrl, journal.path, review.id);
    return (locale) => `${translate(locale, 'reviewMail.reviewPage')}\n${url}\n\n`;
  }
  return () => '';
}

export function subscribeReviewMail(subscriptions: Subscriptions, options: ReviewMailOptions): void {
  const { baseUrl } = options;

  subscriptions.subscribe('ReviewRequested', {
    name: REVIEW_REQUEST_MAIL,
    async handle(event, ctx) {
      await ctx.db.transaction().execute(async (trx) => {
        const loaded = await reviewEvent(trx, event);
        // Cancelled (or answered by another way) before the mail went: nothing to ask any more.
        if (!loaded || loaded.review.status !== 'requested') return;
        const { review, submission, journal } = loaded;
        const reviewer = await reviewerOf(trx, review, journal);
        if (!reviewer) return;
        // The links carry the request's nonce as it is now, when the mail is written.
        const acceptUrl = await answerLink(trx, baseUrl, journal, review, 'accept');
        const declineUrl = await answerLink(trx, baseUrl, journal, review, 'decline');
        const authors = authorsHiddenFromReviewer(review.anonymity)
          ? []
          : await publicationContributors(trx, submission.publication_id);
        await tell(trx, {
          to: reviewer,
          kind: 'review-requested',
          key: reviewer.userId === null ? 'review-request-invitation' : 'review-request',
          journal,
          submissionId: submission.id,
          params: { reviewId: review.id },
          at: ctx.clock.now(),
          variables: (locale) => ({
            ...common(journal, submission, locale),
            abstract: richToPlainText(localizeText(submission.abstract, locale, submission.locale)),
            authors:
              authors.length === 0
                ? ''
                : block(
                    `${translate(locale, 'reviewMail.authors')}: ${authors
                      .map((a) => {
                        const name = personName({ given_name: a.givenName, family_name: a.familyName }, locale) ?? '';
                        const affiliations = a.affiliations.map((f) => localizeText(f.name, locale, submission.locale)).filter(Boolean);
                        return affiliations.length > 0 ? `${name} (${affiliations.join('; ')})` : name;
                      })
                      .join(', ')}`,
                  ),
            message: block(review.requestMessage),
            responseDue: date(locale, review.responseDue),
            reviewDue: date(locale, review.reviewDue),
            acceptUrl,
            declineUrl,
            ...(reviewer.userId === null ? {} : { reviewUrl: reviewPageUrl(baseUrl, journal.path, review.id) }),
          }),
        });
      });
    },
  });

  subscriptions.subscribe('ReviewRequestAnswered', {
    name: REVIEW_ANSWER_MAIL,
    async handle(event, ctx) {
      await ctx.db.transaction().execute(async (trx) => {
        const loaded = await reviewEvent(trx, event);
        if (!loaded) return;
        const { review, submission } = loaded;
        await tellEditors(trx, baseUrl, await submissionEditors(trx, event.journalId, submission), {
          ...loaded,
          kind: 'review-answered',
          key: event.accepted ? 'review-confirmed' : 'review-declined',
          params: { reviewId: review.id, accepted: event.accepted ? 1 : 0 },
          at: ctx.clock.now(),
          variables: (locale) => ({
            reviewer: reviewerName(review, locale),
            ...(event.accepted ? { reviewDue: date(locale, review.reviewDue) } : { reason: review.declineReason.trim() || translate(locale, 'reviewMail.noReason') }),
          }),
        });
      });
    },
  });

  subscriptions.subscribe('ReviewSubmitted', {
    name: REVIEW_SUBMITTED_MAIL,
    async handle(event, ctx) {
      await ctx.db.transaction().execute(async (trx) => {
        const loaded = await reviewEvent(trx, event);
        if (!loaded) return;
        const { review, submission, journal } = loaded;
        const at = ctx.clock.now();
        await tellEditors(trx, baseUrl, await submissionEditors(trx, event.journalId, submission), {
          ...loaded,
          kind: 'review-submitted',
          key: 'review-completed',
          params: { reviewId: review.id },
          at,
          variables: (locale) => ({ reviewer: reviewerName(review, locale), recommendation: review.recommendation ? translate(locale, RECOMMENDATION_LABEL[review.recommendation]) : '—' }),
        });
        const reviewer = await reviewerOf(trx, review, journal);
        if (reviewer) await tell(trx, { to: reviewer, kind: 'review-submitted', key: 'review-thanks', journal, submissionId: submission.id, params: { reviewId: review.id, own: 1 }, at, receipt: true, variables: (locale) => common(journal, submission, locale) });
      });
    },
  });

  subscriptions.subscribe('ReviewRequestChanged', {
    name: REVIEW_CHANGED_MAIL,
    async handle(event, ctx) {
      await ctx.db.transaction().execute(async (trx) => {
        const loaded = await reviewEvent(trx, event);
        if (!loaded) return;
        const { review, submission, journal } = loaded;
        const reviewer = await reviewerOf(trx, review, journal);
        if (!reviewer) return;
        const next = await nextStep(trx, baseUrl, journal, review);
        const key: MailTemplateKey = event.change === 'cancelled' ? 'review-cancelled' : event.change === 'reinstated' ? 'review-reinstated' : 'review-dates-changed';
        await tell(trx, {
          to: reviewer,
          kind: 'review-changed',
          key,
          journal,
          submissionId: submission.id,
          params: { reviewId: review.id, change: event.change },
          at: ctx.clock.now(),
          variables: (locale) => ({
            ...common(journal, submission, locale),
            ...(event.change === 'cancelled' ? {} : { reviewDue: date(locale, review.reviewDue), nextStep: next(locale) }),
            ...(event.change === 'dates' ? { responseDue: date(locale, review.responseDue) } : {}),
          }),
        });
      });
    },
  });

  subscriptions.subscribe('DecisionRecorded', {
    name: DECISION_MAIL,
    async handle(event, ctx) {
      await ctx.db.transaction().execute(async (trx) => {
        const decision = await trx.selectFrom('editorial_decisions').selectAll().where('id', '=', event.decisionId).executeTakeFirst();
        const submission = await submissionOf(trx, event.submissionId);
        if (!decision || !submission) return;
        const journal = await journalOf(trx, event.journalId);
        const at = ctx.clock.now();
        const url = submissionUrl(baseUrl, journal.path, submission.id);
        const recommended = RECOMMENDED[decision.decision];
        if (recommended) {
          const [editor] = decision.editor_id === null ? [] : await recipients(trx, [decision.editor_id]);
          const deciding = (await submissionEditors(trx, event.journalId, submission, { deciding: true })).filter((id) => id !== decision.editor_id);
          await tellEditors(trx, baseUrl, deciding, {
            journal,
            submission,
            kind: 'recommendation',
            key: 'recommendation',
            params: { decisionId: decision.id, decision: decision.decision },
            at,
            variables: (locale) => ({
              editorName: editor ? (personName(editor, locale) ?? editor.email) : localizeText(journal.name, locale, journal.primary_locale),
              recommendation: translate(locale, recommended),
              message: block(decision.message),
            }),
          });
          return;
        }
        const key = DECISION_TEMPLATE[decision.decision];
        if (!key) return;
        const reviews = await sharedReviews(trx, event.journalId, submission.id, decision.shared_review_ids);
        const authorIds = (await trx.selectFrom('submission_participants').select('user_id').where('submission_id', '=', submission.id).where('role', '=', 'author').execute()).map((p) => p.user_id);
        const revisions = key === 'decision-request-revisions' || key === 'decision-resubmit';
        for (const author of await people(trx, authorIds, journal)) {
          await tell(trx, {
            to: author,
            kind: 'decision',
            key,
            journal,
            submissionId: submission.id,
            params: { decisionId: decision.id, decision: decision.decision },
            at,
            variables: (locale) => ({
              ...common(journal, submission, locale),
              submissionId: String(submission.id),
              message: block(decision.message),
              reviews: reviewsBlock(reviews, locale),
              ...(revisions ? { revisionsUrl: `${baseUrl}/${encodeURIComponent(journal.path)}/workflow/index/${submission.id}/review/revisions` } : { submissionUrl: url }),
            }),
          });
        }
      });
    },
  });

  subscriptions.subscribe('RevisionsSubmitted', {
    name: REVISIONS_MAIL,
    async handle(event, ctx) {
      await ctx.db.transaction().execute(async (trx) => {
        const submission = await submissionOf(trx, event.submissionId);
        const round = await trx.selectFrom('review_rounds').select('round').where('id', '=', event.reviewRoundId).executeTakeFirst();
        if (!submission || !round) return;
        const journal = await journalOf(trx, event.journalId);
        const [author] = await recipients(trx, [event.userId]);
        const editors = (await submissionEditors(trx, event.journalId, submission)).filter((id) => id !== event.userId);
        await tellEditors(trx, baseUrl, editors, {
          journal,
          submission,
          kind: 'revisions-submitted',
          key: 'revisions-submitted',
          params: { reviewRoundId: event.reviewRoundId, round: round.round },
          at: ctx.clock.now(),
          variables: (locale) => ({ author: author ? (personName(author, locale) ?? author.email) : '—', round: String(round.round) }),
        });
      });
    },
  });
}
