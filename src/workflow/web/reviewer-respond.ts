import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { findUserByEmail, hashPassword, MessagePage, newPasswordErrors, startSession } from '../../accounts/index.ts';
import { isUiLocale, localizeText, type MessageKey } from '../../i18n/index.ts';
import { formBody, formChecked, formSecret, formText } from '../../platform/http/forms.ts';
import { JournalPath, Type, typed } from '../../platform/http/index.ts';
import { firstValue, formPage, QueryParameter, sendPrivatePage, type FrameJournal } from '../../platform/web/index.ts';
import type { PageContext } from '../../ui/index.ts';
import { WorkflowError } from '../errors.ts';
import { answerReviewRequest } from '../review/commands/requests.ts';
import { readReviewLink, reviewLinkSecret, type LinkPurpose } from '../review/links.ts';
import { findReview, type ReviewRecord } from '../review/queries.ts';
import type { WorkflowWebDeps } from './deps.ts';
import { requestView } from './reviewer-shared.ts';
import { ERROR_LABEL } from './views/editorial-labels.tsx';
import { RespondPage, type RespondForm } from './views/reviewer-request.tsx';

/**
 * The page behind a review request's accept and decline links (issue 20, item 3). No sign-in: the
 * link's signature is the authority. GET only shows the request (mail scanners open links); the
 * answer is the page's POST, carrying the token again. Refusals say what to do:
 * invalid or tampered (or the other purpose's link) 403, expired 410, spent or already answered 409.
 *
 * Guessing tokens is not throttled: each is an HMAC-SHA256 over the request, purpose, expiry and a
 * random nonce, so there is nothing to guess; a password is only hashed after the token holds.
 * The token is in the address: the request log redacts `token=` (platform/http/logging.ts), and these
 * pages send no Referer to wherever their links lead.
 */

const RespondParams = Type.Object({ journal: JournalPath, purpose: Type.Union([Type.Literal('accept'), Type.Literal('decline')]) });
const TokenQuery = Type.Object({ token: Type.Optional(QueryParameter) });
const DoneQuery = Type.Object({ answer: Type.Optional(QueryParameter) });

type Refusal = 'invalid' | 'expired' | 'used' | 'answered' | 'cancelled' | 'closed';

const REFUSAL: Record<Refusal, { status: number; text: MessageKey }> = {
  invalid: { status: 403, text: 'reviewerRespond.refused.invalid' },
  expired: { status: 410, text: 'reviewerRespond.refused.expired' },
  used: { status: 409, text: 'reviewerRespond.refused.used' },
  answered: { status: 409, text: 'reviewerRespond.refused.answered' },
  cancelled: { status: 409, text: 'reviewerRespond.refused.cancelled' },
  closed: { status: 409, text: 'reviewerRespond.refused.closed' },
};

type Checked = { ok: true; review: ReviewRecord; nonce: string } | { ok: false; refusal: Refusal };

export function reviewerRespondRoutes(app: FastifyInstance, deps: WorkflowWebDeps): void {
  const { db, clock } = deps;
  const routes = typed(app);
  const https = deps.baseUrl.startsWith('https:');

  /** What the token opens: the request still waiting for this answer, or why not. */
  async function check(journal: FrameJournal, token: string, purpose: LinkPurpose): Promise<Checked> {
    const link = readReviewLink(await reviewLinkSecret(db), token, purpose, clock.now());
    if (!link.ok) return { ok: false, refusal: link.reason };
    const review = await findReview(db, journal.id, link.reviewId);
    if (!review) return { ok: false, refusal: 'invalid' };
    if (review.status === 'cancelled') return { ok: false, refusal: 'cancelled' };
    if (review.status !== 'requested') return { ok: false, refusal: 'answered' };
    // A newer mail (a reminder with new links, a reinstated request) replaced this one.
    if (review.linkNonce !== link.nonce) return { ok: false, refusal: 'used' };
    const submission = await db.selectFrom('submissions').select('status').where('id', '=', review.submissionId).executeTakeFirstOrThrow();
    if (submission.status !== 'active') return { ok: false, refusal: 'closed' };
    return { ok: true, review, nonce: link.nonce };
  }

  const dashboard = (journalPath: string) => `/${journalPath}/dashboard/reviewAssignments`;
  const reviewPage = (journalPath: string, reviewId: number) => `/${journalPath}/reviewer/review/${reviewId}`;
  const signInTo = (journalPath: string, source: string, notice?: string) => `/${journalPath}/login?source=${encodeURIComponent(source)}${notice ? `&notice=${notice}` : ''}`;

  function refuse(request: FastifyRequest, reply: FastifyReply, ctx: PageContext, journalPath: string, refusal: Refusal) {
    const { status, text } = REFUSAL[refusal];
    const link = request.viewer.user ? { href: dashboard(journalPath), label: ctx.t('reviewerRespond.toDashboard') } : { href: signInTo(journalPath, dashboard(journalPath)), label: ctx.t('reviewerRespond.signInToSee') };
    return sendPrivatePage(reply, MessagePage({ ctx, title: ctx.t('reviewerRespond.refusedTitle'), lines: [ctx.t(text)], status: 'warning', link }), status);
  }

  /** The invitation's language and the name the editor typed, for someone asked without an account. */
  async function invitationOf(review: ReviewRecord): Promise<{ email: string; locale: string | null; hasAccount: boolean }> {
    const row = await db.selectFrom('invitations').select(['email', 'locale']).where('id', '=', review.invitationId!).executeTakeFirstOrThrow();
    return { email: row.email, locale: row.locale, hasAccount: (await findUserByEmail(db, row.email)) !== undefined };
  }

  async function show(reply: FastifyReply, ctx: PageContext, purpose: LinkPurpose, review: ReviewRecord, form: RespondForm, status = 200) {
    const newAccountEmail = purpose === 'accept' && review.reviewerId === null ? await invitationOf(review).then((i) => (i.hasAccount ? null : i.email)) : null;
    const request = await requestView(db, review, ctx.locale);
    return sendPrivatePage(reply, RespondPage({ ctx, purpose, request, form, newAccountEmail, privacyHref: `/${ctx.journal!.path}/about/privacy` }), status);
  }

  routes.get('/:journal/reviewer/respond/:purpose', { schema: { params: RespondParams, querystring: TokenQuery } }, async (request, reply) => {
    reply.header('referrer-policy', 'no-referrer');
    const { ctx, journal } = await formPage(db, request, reply);
    const token = firstValue(request.query.token);
    const checked = await check(journal!, token, request.params.purpose);
    if (!checked.ok) return refuse(request, reply, ctx, journal!.path, checked.refusal);
    const { review } = checked;
    const locale = review.invitationId !== null && review.reviewerId === null ? ((await invitationOf(review)).locale ?? ctx.locale) : ctx.locale;
    const form: RespondForm = { token, givenName: localizeText(review.reviewer.givenName, locale), familyName: localizeText(review.reviewer.familyName, locale), consent: false, declineReason: '', errors: {} };
    return show(reply, ctx, request.params.purpose, review, form);
  });

  routes.post('/:journal/reviewer/respond/:purpose', { schema: { params: RespondParams } }, async (request, reply) => {
    reply.header('referrer-policy', 'no-referrer');
    const { ctx, journal } = await formPage(db, request, reply);
    const path = journal!.path;
    const body = formBody(request);
    const purpose = request.params.purpose;
    const token = formText(body, 'token', 300);
    const checked = await check(journal!, token, purpose);
    if (!checked.ok) return refuse(request, reply, ctx, path, checked.refusal);
    const { review, nonce } = checked;
    const form: RespondForm = { token, givenName: formText(body, 'givenName', 200), familyName: formText(body, 'familyName', 200), consent: formChecked(body, 'privacyConsent'), declineReason: formText(body, 'declineReason', 5001), errors: {} };
    const now = clock.now();
    const by = { kind: 'link' as const, nonce };

    try {
      if (purpose === 'decline') {
        if (form.declineReason.length > 5000) form.errors.declineReason = ctx.t('workflow.error.too-long', { max: 5000 });
        if (Object.keys(form.errors).length > 0) return show(reply, ctx, purpose, review, form, 400);
        await answerReviewRequest(db, { journalId: journal!.id, reviewId: review.id, accept: false, by, declineReason: form.declineReason, now });
        request.log.info({ reviewId: review.id }, 'review request declined by link');
        return reply.redirect(`/${path}/reviewer/respond/done?answer=declined`, 303);
      }

      if (review.reviewerId !== null) {
        await answerReviewRequest(db, { journalId: journal!.id, reviewId: review.id, accept: true, by, now });
        request.log.info({ reviewId: review.id }, 'review request accepted by link');
        if (request.viewer.user?.userId === review.reviewerId) return reply.redirect(`${reviewPage(path, review.id)}?notice=accepted`, 303);
        return reply.redirect(signInTo(path, reviewPage(path, review.id), 'review-accepted'), 303);
      }

      // Asked without an account: accepting makes one (or, if the address has one by now, uses it).
      const invitation = await invitationOf(review);
      const locale = invitation.locale && isUiLocale(invitation.locale) ? invitation.locale : ctx.locale;
      let passwordHash: string | null = null;
      if (!invitation.hasAccount) {
        const password = formSecret(body, 'password');
        if (form.givenName === '') form.errors.givenName = ctx.t('field.givenNameRequired');
        Object.assign(form.errors, newPasswordErrors(ctx.t, password, formSecret(body, 'password2'), invitation.email));
        if (!form.consent) form.errors.privacyConsent = ctx.t('register.consentRequired');
        if (Object.keys(form.errors).length > 0) return show(reply, ctx, purpose, review, form, 400);
        passwordHash = await hashPassword(password);
      }
      const answered = await answerReviewRequest(db, {
        journalId: journal!.id,
        reviewId: review.id,
        accept: true,
        by,
        newAccount: { givenName: form.givenName ? { [locale]: form.givenName } : {}, familyName: form.familyName ? { [locale]: form.familyName } : {}, passwordHash, locale },
        now,
      });
      request.log.info({ reviewId: review.id, userId: answered.reviewerId, newAccount: answered.newAccount }, 'review request accepted by link');
      if (answered.newAccount && answered.reviewerId !== null) {
        await startSession(db, request, reply, answered.reviewerId, now, https);
        return reply.redirect(`${reviewPage(path, review.id)}?notice=welcome`, 303);
      }
      if (request.viewer.user && request.viewer.user.userId === answered.reviewerId) return reply.redirect(`${reviewPage(path, review.id)}?notice=accepted`, 303);
      return reply.redirect(signInTo(path, reviewPage(path, review.id), 'review-accepted'), 303);
    } catch (error) {
      if (!(error instanceof WorkflowError)) throw error;
      // Answered meanwhile (another tab, the signed-in dashboard), or the submission closed.
      if (error.code === 'link-used' || error.code === 'review-not-requested') return refuse(request, reply, ctx, path, 'answered');
      if (error.code === 'link-expired') return refuse(request, reply, ctx, path, 'expired');
      if (error.code === 'not-active') return refuse(request, reply, ctx, path, 'closed');
      if (error.code === 'review-unknown') return refuse(request, reply, ctx, path, 'invalid');
      form.errors[error.field ?? ''] = ctx.t(ERROR_LABEL[error.code], error.params);
      return show(reply, ctx, purpose, review, form, error.status);
    }
  });

  /** After a decline by link: thanks, and nothing more to do. */
  routes.get('/:journal/reviewer/respond/done', { schema: { params: Type.Object({ journal: JournalPath }), querystring: DoneQuery } }, async (request, reply) => {
    const { ctx, journal } = await formPage(db, request, reply);
    const declined = firstValue(request.query.answer) === 'declined';
    const link = request.viewer.user ? { href: dashboard(journal!.path), label: ctx.t('reviewerRespond.toDashboard') } : { href: `/${journal!.path}`, label: ctx.t('reviewerRespond.toJournal', { journal: ctx.journal?.name ?? '' }) };
    return sendPrivatePage(reply, MessagePage({ ctx, title: ctx.t('reviewerRespond.doneTitle'), lines: [ctx.t(declined ? 'reviewerRespond.doneDeclined' : 'reviewerRespond.doneAnswered')], link }));
  });
}
