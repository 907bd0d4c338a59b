/**
 * The domain events: what happened, in the words of the capability it happened in. Each is written
 * in the transaction of the change (see outbox.ts), so an event exists exactly when its change
 * committed. Events carry identifiers, not copies of the data: a subscriber reads the state as it
 * is when it runs (a later change may have overtaken the event, and the subscriber should act on
 * what is true now).
 *
 * Adding an event: a member here, an `emit` in the command that makes the change, and the event's
 * name in EVENT_TYPES. The workflow adds its own (SubmissionSubmitted…).
 */
export type DomainEvent =
  /** An issue and the current versions of its articles became public (catalog: publishIssue). */
  | { type: 'IssuePublished'; journalId: number; issueId: number }
  /** An issue left the reader site; its articles with it (catalog: unpublishIssue). */
  | { type: 'IssueUnpublished'; journalId: number; issueId: number }
  /**
   * One article's current version became public on its own: published again after being taken
   * off, or added already published (demo, import). Articles published with their issue are told
   * by IssuePublished.
   */
  | { type: 'ArticlePublished'; journalId: number; articleId: number; publicationId: number }
  /** An article was taken off the reader site, with a reason kept for the team (catalog: unpublishArticle). */
  | { type: 'ArticleUnpublished'; journalId: number; articleId: number; publicationId: number }
  /**
   * What an article says changed (title, authors, references, galleys…): in place while readers do
   * not see it, or as a new version (`newVersion`) when they do (catalog: changeArticle).
   */
  | { type: 'PublicationChanged'; journalId: number; articleId: number; publicationId: number; newVersion: boolean }
  /** Someone was invited to roles in a journal, or their open invitation got the roles added and a new link. */
  | { type: 'UserInvited'; journalId: number; invitationId: number; roles: string[] }
  /** An invitation was accepted: the account (new, or the address's existing one) got its roles. */
  | { type: 'InvitationAccepted'; journalId: number; invitationId: number; userId: number; roles: string[]; newAccount: boolean }
  /** A new account: through the registration form (`journalId`: the journal it was made through) or an invitation. */
  | { type: 'UserRegistered'; userId: number; journalId: number | null; via: 'registration' | 'invitation' }
  /** An author sent a finished draft to the journal (workflow: submitSubmission). */
  | { type: 'SubmissionSubmitted'; journalId: number; submissionId: number; userId: number }
  /** An editor or section editor was assigned to a submission (workflow: assignParticipant). */
  | { type: 'ParticipantAssigned'; journalId: number; submissionId: number; participantId: number; userId: number; role: string; assignedBy: number | null }
  /** A message was posted in a discussion of a submission (workflow: discussions). */
  | { type: 'DiscussionMessagePosted'; journalId: number; submissionId: number; discussionId: number; messageId: number; authorId: number | null }
  /** A reviewer (or someone invited to review, without an account yet) was asked to review a round (workflow: requestReview). */
  | { type: 'ReviewRequested'; journalId: number; submissionId: number; reviewId: number; reviewRoundId: number }
  /** A review request was accepted or declined, by its mail's link or signed in (workflow: answerReviewRequest). */
  | { type: 'ReviewRequestAnswered'; journalId: number; submissionId: number; reviewId: number; accepted: boolean }
  /** A reviewer sent their review (workflow: submitReview). */
  | { type: 'ReviewSubmitted'; journalId: number; submissionId: number; reviewId: number }
  /** An editor cancelled a review request, reinstated it, or changed its dates (workflow: review requests). */
  | { type: 'ReviewRequestChanged'; journalId: number; submissionId: number; reviewId: number; change: 'cancelled' | 'reinstated' | 'dates' }
  /** An editor recorded a decision, or a section editor a recommendation (workflow: recordDecision). */
  | { type: 'DecisionRecorded'; journalId: number; submissionId: number; decisionId: number; decision: string }
  /** The author sent revised files for a round whose revisions were asked for (workflow: uploadRevision). */
  | { type: 'RevisionsSubmitted'; journalId: number; submissionId: number; reviewRoundId: number; userId: number }
  /** A copyeditor or layout editor was given work, or proofs were sent to the author (issue 21: copyediting and production). */
  | { type: 'ProductionTaskChanged'; journalId: number; submissionId: number; task: 'copyedits-requested' | 'proofs-requested' | 'proofs-answered'; proofId?: number; userId?: number }
  /** A publication was scheduled: with an issue, online first, or for a moment (workflow: schedulePublication). */
  | { type: 'PublicationScheduled'; journalId: number; articleId: number; publicationId: number; mode: 'issue' | 'online-first' | 'at' }
  /**
   * A publication became public by an editor's step of the workflow (issue 21): a submission published
   * (now, at its moment, or online first), a new version of a published article, or a notice
   * (correction, retraction…). Crossref deposits and the author's notice follow it; an issue's
   * publication is told by IssuePublished, additions outside the workflow by ArticlePublished.
   */
  | { type: 'PublicationPublished'; journalId: number; articleId: number; publicationId: number; via: 'workflow' | 'version' | 'notice' };

export type EventType = DomainEvent['type'];
export type EventOf<T extends EventType> = Extract<DomainEvent, { type: T }>;

/** Every event type, for checks on what is read back from the outbox. */
export const EVENT_TYPES: readonly EventType[] = [
  'IssuePublished',
  'IssueUnpublished',
  'ArticlePublished',
  'ArticleUnpublished',
  'PublicationChanged',
  'UserInvited',
  'InvitationAccepted',
  'UserRegistered',
  'SubmissionSubmitted',
  'ParticipantAssigned',
  'DiscussionMessagePosted',
  'ReviewRequested',
  'ReviewRequestAnswered',
  'ReviewSubmitted',
  'ReviewRequestChanged',
  'DecisionRecorded',
  'RevisionsSubmitted',
  'ProductionTaskChanged',
  'PublicationScheduled',
  'PublicationPublished',
];

export function isEventType(value: string): value is EventType {
  return (EVENT_TYPES as readonly string[]).includes(value);
}
