import type { Anonymity, DecisionKind, Recommendation, ReviewRoundStatus, ReviewStatus } from '../../../db/schema.ts';
import type { MessageKey } from '../../../i18n/index.ts';

// The words of review and decisions on the editors' pages, by value (literal keys, checked by the compiler).
export const ROUND_STATUS_LABEL: Record<ReviewRoundStatus, MessageKey> = {
  open: 'reviewEditor.roundStatus.open',
  'revisions-requested': 'reviewEditor.roundStatus.revisions-requested',
  'revisions-submitted': 'reviewEditor.roundStatus.revisions-submitted',
  'resubmit-requested': 'reviewEditor.roundStatus.resubmit-requested',
  accepted: 'reviewEditor.roundStatus.accepted',
  declined: 'reviewEditor.roundStatus.declined',
  closed: 'reviewEditor.roundStatus.closed',
};
export const REVIEW_STATUS_LABEL: Record<ReviewStatus, MessageKey> = {
  requested: 'reviewEditor.reviewStatus.requested',
  accepted: 'reviewEditor.reviewStatus.accepted',
  declined: 'reviewEditor.reviewStatus.declined',
  cancelled: 'reviewEditor.reviewStatus.cancelled',
  submitted: 'reviewEditor.reviewStatus.submitted',
};
export const ANONYMITY_LABEL: Record<Anonymity, MessageKey> = {
  'double-anonymous': 'reviewEditor.anonymity.double-anonymous',
  'anonymous-reviewer': 'reviewEditor.anonymity.anonymous-reviewer',
  open: 'reviewEditor.anonymity.open',
};
export const RECOMMENDATION_LABEL: Record<Recommendation, MessageKey> = {
  accept: 'reviewEditor.recommendation.accept',
  'minor-revisions': 'reviewEditor.recommendation.minor-revisions',
  'major-revisions': 'reviewEditor.recommendation.major-revisions',
  'resubmit-for-review': 'reviewEditor.recommendation.resubmit-for-review',
  'resubmit-elsewhere': 'reviewEditor.recommendation.resubmit-elsewhere',
  decline: 'reviewEditor.recommendation.decline',
  'see-comments': 'reviewEditor.recommendation.see-comments',
};
/** A decision as its button and its page name it. */
export const DECISION_LABEL: Record<DecisionKind, MessageKey> = {
  'send-to-review': 'reviewEditor.decision.send-to-review',
  accept: 'reviewEditor.decision.accept',
  'request-revisions': 'reviewEditor.decision.request-revisions',
  resubmit: 'reviewEditor.decision.resubmit',
  'new-round': 'reviewEditor.decision.new-round',
  decline: 'reviewEditor.decision.decline',
  'initial-decline': 'reviewEditor.decision.initial-decline',
  'revert-decline': 'reviewEditor.decision.revert-decline',
  'recommend-accept': 'reviewEditor.decision.recommend-accept',
  'recommend-revisions': 'reviewEditor.decision.recommend-revisions',
  'recommend-resubmit': 'reviewEditor.decision.recommend-resubmit',
  'recommend-decline': 'reviewEditor.decision.recommend-decline',
  'send-to-production': 'reviewEditor.decision.send-to-production',
  'back-to-copyediting': 'reviewEditor.decision.back-to-copyediting',
};
/** What a decision does, said on its page before it is taken. */
export const DECISION_EFFECT: Record<DecisionKind, MessageKey> = {
  'send-to-review': 'reviewEditor.effect.send-to-review',
  accept: 'reviewEditor.effect.accept',
  'request-revisions': 'reviewEditor.effect.request-revisions',
  resubmit: 'reviewEditor.effect.resubmit',
  'new-round': 'reviewEditor.effect.new-round',
  decline: 'reviewEditor.effect.decline',
  'initial-decline': 'reviewEditor.effect.initial-decline',
  'revert-decline': 'reviewEditor.effect.revert-decline',
  'recommend-accept': 'reviewEditor.effect.recommend',
  'recommend-revisions': 'reviewEditor.effect.recommend',
  'recommend-resubmit': 'reviewEditor.effect.recommend',
  'recommend-decline': 'reviewEditor.effect.recommend',
  'send-to-production': 'reviewEditor.effect.send-to-production',
  'back-to-copyediting': 'reviewEditor.effect.back-to-copyediting',
};
export const LATE_LABEL: Record<'response' | 'review', MessageKey> = { response: 'reviewEditor.late.response', review: 'reviewEditor.late.review' };

export const REVIEW_NOTICES = ['decided', 'recommended', 'requested', 'dates', 'cancelled', 'reinstated', 'reminded', 'already-reminded', 'rated', 'shared'] as const;
export type ReviewNotice = (typeof REVIEW_NOTICES)[number];
export const REVIEW_NOTICE_LABEL: Record<ReviewNotice, MessageKey> = {
  decided: 'reviewEditor.notice.decided',
  recommended: 'reviewEditor.notice.recommended',
  requested: 'reviewEditor.notice.requested',
  dates: 'reviewEditor.notice.dates',
  cancelled: 'reviewEditor.notice.cancelled',
  reinstated: 'reviewEditor.notice.reinstated',
  reminded: 'reviewEditor.notice.reminded',
  'already-reminded': 'reviewEditor.notice.already-reminded',
  rated: 'reviewEditor.notice.rated',
  shared: 'reviewEditor.notice.shared',
};
