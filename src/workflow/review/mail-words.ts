import { personName } from '../../accounts/index.ts';
import type { DecisionKind, Recommendation } from '../../db/schema.ts';
import { localizeText, translate, type MessageKey, type UiLocale } from '../../i18n/index.ts';
import type { MailTemplateKey } from '../../mail/index.ts';
import type { SharedReview } from './shared-reviews.ts';

/** The words review mails put around the templates: labels of recommendations and decisions, the shared reviews' block. */

export const RECOMMENDATION_LABEL: Record<Recommendation, MessageKey> = {
  accept: 'reviewMail.recommendation.accept',
  'minor-revisions': 'reviewMail.recommendation.minor-revisions',
  'major-revisions': 'reviewMail.recommendation.major-revisions',
  'resubmit-for-review': 'reviewMail.recommendation.resubmit-for-review',
  'resubmit-elsewhere': 'reviewMail.recommendation.resubmit-elsewhere',
  decline: 'reviewMail.recommendation.decline',
  'see-comments': 'reviewMail.recommendation.see-comments',
};

export const RECOMMENDED: Partial<Record<DecisionKind, MessageKey>> = {
  'recommend-accept': 'reviewMail.recommend.accept',
  'recommend-revisions': 'reviewMail.recommend.revisions',
  'recommend-resubmit': 'reviewMail.recommend.resubmit',
  'recommend-decline': 'reviewMail.recommend.decline',
};

export const DECISION_TEMPLATE: Partial<Record<DecisionKind, MailTemplateKey>> = {
  'send-to-review': 'decision-send-to-review',
  accept: 'decision-accept',
  'request-revisions': 'decision-request-revisions',
  resubmit: 'decision-resubmit',
  'new-round': 'decision-new-round',
  decline: 'decision-decline',
  'initial-decline': 'decision-initial-decline',
  'revert-decline': 'decision-revert-decline',
};

/** The reviews shared with a decision, as the block of its mail in the author's language. */
export function reviewsBlock(reviews: readonly SharedReview[], locale: UiLocale): string {
  if (reviews.length === 0) return '';
  const parts = reviews.map((r) => {
    const name = r.reviewer ? personName({ given_name: r.reviewer.givenName, family_name: r.reviewer.familyName }, locale) : undefined;
    const lines = [`${translate(locale, 'reviewMail.reviewer', { letter: r.letter })}${name ? ` (${name})` : ''}:`];
    if (r.commentsForAuthor.trim() !== '') lines.push('', r.commentsForAuthor.trim());
    for (const answer of r.answers) {
      const question = localizeText(answer.question, locale);
      const text = 'text' in answer ? answer.text : answer.choices.map((c) => localizeText(c, locale)).join('; ');
      lines.push('', `${question}`, text);
    }
    if (r.attachments.length > 0) lines.push('', translate(locale, 'reviewMail.attachments', { count: r.attachments.length }));
    return lines.join('\n');
  });
  return `${translate(locale, 'reviewMail.sharedReviews')}\n\n${parts.join('\n\n---\n\n')}\n\n`;
}
