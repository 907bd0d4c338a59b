import { localize, type Translate, type UiLocale } from '../i18n/index.ts';
import type { NotificationEntry } from './queries.ts';

/**
 * What a notification says and where it leads, from its kind and params. The params a kind reads
 * (written by whoever calls `notify`): `own: 1` (submission-submitted: the author's own), `subject`
 * and `discussionId` (discussion-message), `reviewId` (the review kinds), `accepted: 1|0`
 * (review-answered), `change: 'cancelled'|'reinstated'|'dates'` (review-changed), `own: 1` (review-submitted: the
 * reviewer's own, thanked). Anything missing
 * leaves a plainer sentence, never a blank.
 */

/** The kinds addressed to the reviewer, whose place to act is their review's page. */
const REVIEWER_KINDS = new Set(['review-requested', 'review-changed', 'review-reminder']);

export interface NotificationWords {
  text: string;
  /** Language of the title inside the text, when it is not the page's. */
  titleLang?: string;
}

export function notificationWords(ctx: { t: Translate; locale: UiLocale }, n: Pick<NotificationEntry, 'kind' | 'params' | 'submissionId' | 'title' | 'titleLocale'>): NotificationWords {
  const { t } = ctx;
  const localized = n.title ? localize(n.title, ctx.locale, n.titleLocale ?? ctx.locale) : undefined;
  const title = localized?.text || t('notifications.untitled');
  const id = String(n.submissionId ?? '');
  const p = { id, title };
  const text = (() => {
    switch (n.kind) {
      case 'submission-submitted':
        return n.params.own ? t('notifications.kind.submission-received', p) : t('notifications.kind.submission-submitted', p);
      case 'submission-assigned':
        return t('notifications.kind.submission-assigned', p);
      case 'discussion-message':
        return t('notifications.kind.discussion-message', { ...p, subject: String(n.params.subject ?? '') });
      case 'review-requested':
        return t('notifications.kind.review-requested', p);
      case 'review-answered':
        return n.params.accepted ? t('notifications.kind.review-accepted', p) : t('notifications.kind.review-declined', p);
      case 'review-submitted':
        return t('notifications.kind.review-submitted', p);
      case 'review-changed':
        if (n.params.change === 'cancelled') return t('notifications.kind.review-cancelled', p);
        if (n.params.change === 'reinstated') return t('notifications.kind.review-reinstated', p);
        return t('notifications.kind.review-dates', p);
      case 'review-reminder':
        return t('notifications.kind.review-reminder', p);
      case 'decision':
        return t('notifications.kind.decision', p);
      case 'recommendation':
        return t('notifications.kind.recommendation', p);
      case 'revisions-submitted':
        return t('notifications.kind.revisions-submitted', p);
      case 'proofs-requested':
        return t('notifications.kind.proofs-requested', p);
      case 'proofs-answered':
        return n.params.approved ? t('notifications.kind.proofs-approved', p) : t('notifications.kind.proofs-corrections', p);
      case 'publication-published':
        return t('notifications.kind.publication-published', p);
      case 'notice-published':
        return t('notifications.kind.notice-published', p);
      default:
        return t('notifications.kind.other', p);
    }
  })();
  return { text, ...(localized && localized.locale !== ctx.locale ? { titleLang: localized.locale } : {}) };
}

/**
 * Where to act on a notification: the reviewer's review page for what concerns their review, the
 * discussion for a message, else the submission (its workflow page for editors, its page for authors:
 * `/workflow/access/{id}` sends each where they belong). Undefined when it points nowhere.
 */
export function notificationTarget(n: Pick<NotificationEntry, 'kind' | 'params' | 'journalPath' | 'submissionId'>): string | undefined {
  if (!n.journalPath) return undefined;
  const base = `/${n.journalPath}`;
  const reviewId = Number(n.params.reviewId);
  // The reviewer's own sent review (`own: 1`) leads to their review too: they do not read the submission's page.
  const reviewers = REVIEWER_KINDS.has(n.kind) || (n.kind === 'review-submitted' && Boolean(n.params.own));
  if (reviewers && Number.isInteger(reviewId) && reviewId > 0) return `${base}/reviewer/review/${reviewId}`;
  if (n.submissionId === null) return undefined;
  const discussionId = Number(n.params.discussionId);
  if (n.kind === 'discussion-message' && Number.isInteger(discussionId) && discussionId > 0) return `${base}/workflow/index/${n.submissionId}/discussions/${discussionId}`;
  const proofId = Number(n.params.proofId);
  if (n.kind === 'proofs-requested' && Number.isInteger(proofId) && proofId > 0) return `${base}/workflow/index/${n.submissionId}/proofs/${proofId}`;
  return `${base}/workflow/access/${n.submissionId}`;
}

/** Where a notification page is: at the site root or inside a journal. */
export function notificationsPath(journalPath: string | undefined, rest = ''): string {
  return `${journalPath ? `/${journalPath}` : ''}/notifications${rest}`;
}
