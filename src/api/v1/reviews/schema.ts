import { Id, JournalPath, Type } from '../../../platform/http/index.ts';
import { Localized, LocalizedList, named, PageQuery } from '../common.ts';

/**
 * Schemas of peer review and decisions through the API (issue 20, item 10). Names follow OJS's
 * REST API (`reviewRounds`, `reviewAssignments`, `decisions`; `dateDue`, `dateResponseDue`,
 * `dateConfirmed`, `dateCompleted`, `dateDecided`), values are Revista's words (`double-anonymous`,
 * `minor-revisions`, `request-revisions`) rather than OJS's numeric constants.
 */

const DateTime = Type.String({ format: 'date-time' });
const DateTimeOrNull = Type.Union([DateTime, Type.Null()]);
const Text = (max: number, description?: string) => Type.String({ maxLength: max, ...(description ? { description } : {}) });
const LocalizedInput = (max: number) => Type.Record(Type.String({ maxLength: 35 }), Type.String({ maxLength: max }), { maxProperties: 20 });

export const Anonymity = Type.Union([Type.Literal('double-anonymous'), Type.Literal('anonymous-reviewer'), Type.Literal('open')], { description: '`double-anonymous`: neither side learns who the other is; `anonymous-reviewer`: the reviewer sees the authors; `open`: both see each other.' });
export const ReviewStatus = Type.Union([Type.Literal('requested'), Type.Literal('accepted'), Type.Literal('declined'), Type.Literal('cancelled'), Type.Literal('submitted')], { description: '`requested`: waiting for the reviewer’s answer; `accepted`: under way; `submitted`: the review is in; `declined`; `cancelled` by an editor.' });
export const Recommendation = Type.Union([Type.Literal('accept'), Type.Literal('minor-revisions'), Type.Literal('major-revisions'), Type.Literal('resubmit-for-review'), Type.Literal('resubmit-elsewhere'), Type.Literal('decline'), Type.Literal('see-comments')]);
const RecommendationOrNull = Type.Union([Recommendation, Type.Null()]);
const RoundStatus = Type.Union([Type.Literal('open'), Type.Literal('revisions-requested'), Type.Literal('revisions-submitted'), Type.Literal('resubmit-requested'), Type.Literal('accepted'), Type.Literal('declined'), Type.Literal('closed')]);
export const DecisionKind = Type.Union(
  [Type.Literal('send-to-review'), Type.Literal('accept'), Type.Literal('request-revisions'), Type.Literal('resubmit'), Type.Literal('new-round'), Type.Literal('decline'), Type.Literal('initial-decline'), Type.Literal('revert-decline'), Type.Literal('recommend-accept'), Type.Literal('recommend-revisions'), Type.Literal('recommend-resubmit'), Type.Literal('recommend-decline'), Type.Literal('send-to-production'), Type.Literal('back-to-copyediting')],
  { description: '`send-to-review` opens round 1; `new-round` the next one after revisions; `accept`, `request-revisions`, `resubmit`, `decline` (after review), `initial-decline` (before review), `revert-decline`; `recommend-*` by an editor limited to recommending.' },
);
const Late = Type.Union([Type.Literal('response'), Type.Literal('review'), Type.Null()], { description: '`response`: not answered by `dateResponseDue`; `review`: accepted and not in by `dateDue`.' });

export const SubmissionReviewParams = Type.Object({ journal: JournalPath, submissionId: Id });
export const RoundParams = Type.Object({ journal: JournalPath, submissionId: Id, reviewRoundId: Id });
export const AssignmentParams = Type.Object({ journal: JournalPath, submissionId: Id, reviewId: Id });
export const DecisionParams = Type.Object({ journal: JournalPath, submissionId: Id, decisionId: Id });
export const ReviewParams = Type.Object({ journal: JournalPath, reviewId: Id });
export const AttachmentParams = Type.Object({ journal: JournalPath, reviewId: Id, attachmentId: Id });

/** A file a round reviews (`review-file`) or the author's revision for it (`revision`). */
export const ReviewFile = named(
  'ReviewFile',
  Type.Object({
    id: Id,
    reviewRoundId: Id,
    purpose: Type.Union([Type.Literal('review-file'), Type.Literal('revision')]),
    kind: Type.String(),
    name: Type.String(),
    mimetype: Type.String(),
    fileSize: Type.Integer({ minimum: 0 }),
    uploaderUserId: Type.Union([Id, Type.Null()]),
    createdAt: DateTime,
    url: Type.String({ description: 'Where a signed-in person downloads it.' }),
  }),
);

/** A file the reviewer attached to their review. */
export const ReviewAttachment = named(
  'ReviewAttachment',
  Type.Object({
    id: Id,
    name: Type.String(),
    mimetype: Type.String(),
    fileSize: Type.Integer({ minimum: 0 }),
    visibleToAuthor: Type.Boolean({ description: 'Shared with the author by an editor.' }),
    createdAt: DateTime,
  }),
);

const Answers = Type.Record(Type.String({ pattern: '^[0-9]{1,10}$' }), Type.Union([Type.String(), Type.Array(Type.String())]), {
  description: 'Answers to the review form, by question (element) id: text for text questions, the chosen option’s index (`"0"`, `"1"`…) for choices, a list of them for multiple choice.',
});

/** A review request as the submission's editors see it: who, when, where it stands; with the review once asked for one by one. */
export const ReviewAssignment = named(
  'ReviewAssignment',
  Type.Object({
    id: Id,
    submissionId: Id,
    reviewRoundId: Id,
    round: Type.Integer({ minimum: 1 }),
    letter: Type.String({ description: 'The name the reviewer goes by where the author must not learn who they are: `A`, `B`…' }),
    reviewerId: Type.Union([Id, Type.Null()], { description: 'Null while the request waits for someone invited without an account.' }),
    reviewerFullName: Type.String(),
    email: Type.String(),
    reviewMethod: Anonymity,
    status: ReviewStatus,
    reviewFormId: Type.Union([Id, Type.Null()]),
    dateAssigned: DateTime,
    dateResponseDue: DateTime,
    dateDue: DateTime,
    dateConfirmed: Type.Union([DateTime, Type.Null()], { description: 'When the reviewer answered (accepted or declined).' }),
    dateCompleted: DateTimeOrNull,
    dateCancelled: DateTimeOrNull,
    dateReminded: DateTimeOrNull,
    declineReason: Type.String(),
    late: Late,
    recommendation: RecommendationOrNull,
    quality: Type.Union([Type.Integer({ minimum: 1, maximum: 5 }), Type.Null()], { description: 'The editors’ rating of the review, 1–5.' }),
    dateRated: DateTimeOrNull,
    review: Type.Optional(
      Type.Object(
        {
          commentsForAuthor: Type.String(),
          commentsForEditor: Type.String(),
          competingInterests: Type.String(),
          answers: Answers,
          attachments: Type.Array(ReviewAttachment),
        },
        { description: 'What the reviewer wrote (a draft until `status` is `submitted`). On one request only.' },
      ),
    ),
    _href: Type.String(),
  }),
);

/** A round with its files and how its requests stand. */
export const ReviewRound = named(
  'ReviewRound',
  Type.Object({
    id: Id,
    submissionId: Id,
    round: Type.Integer({ minimum: 1 }),
    status: RoundStatus,
    reviewFormId: Type.Union([Id, Type.Null()]),
    dateCreated: DateTime,
    dateClosed: DateTimeOrNull,
    files: Type.Array(ReviewFile, { description: 'The files reviewed and the author’s revisions, as far as the caller may read them: its editors all, its authors their revisions.' }),
    requests: Type.Optional(
      Type.Object(
        {
          total: Type.Integer({ minimum: 0 }),
          requested: Type.Integer({ minimum: 0 }),
          accepted: Type.Integer({ minimum: 0 }),
          submitted: Type.Integer({ minimum: 0 }),
          declined: Type.Integer({ minimum: 0 }),
          cancelled: Type.Integer({ minimum: 0 }),
          late: Type.Integer({ minimum: 0 }),
        },
        { description: 'For its editors: the round’s requests by status.' },
      ),
    ),
    decisionsAvailable: Type.Optional(Type.Array(DecisionKind, { description: 'For the current round and its editors: the decisions (or recommendations) the caller may record now.' })),
    _href: Type.String(),
  }),
);

/** A review shared with the author along with a decision, anonymised as its request's mode says. */
export const SharedReview = named(
  'SharedReview',
  Type.Object({
    reviewId: Id,
    letter: Type.String({ description: '`A`, `B`… the reviewer’s name for the author unless the review is open.' }),
    reviewerFullName: Type.Union([Type.String(), Type.Null()], { description: 'Only when the review is `open`.' }),
    commentsForAuthor: Type.String(),
    answers: Type.Array(Type.Object({ question: Localized, answer: Type.Union([Type.String(), Type.Array(Type.String())]) }), { description: 'The form’s answers the journal shows authors.' }),
  }),
);

export const Decision = named(
  'Decision',
  Type.Object({
    id: Id,
    submissionId: Id,
    decision: DecisionKind,
    stage: Type.Union([Type.Literal('submission'), Type.Literal('review'), Type.Literal('copyediting'), Type.Literal('production')], { description: 'The stage the decision was taken in.' }),
    reviewRoundId: Type.Union([Id, Type.Null()]),
    round: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]),
    editorId: Type.Union([Id, Type.Null()], { description: 'For editors only (null for authors).' }),
    editorFullName: Type.Union([Type.String(), Type.Null()]),
    message: Type.String({ description: 'The editor’s own words in the mail (may be empty).' }),
    sharedReviewIds: Type.Array(Id),
    sharedReviews: Type.Array(SharedReview),
    dateDecided: DateTime,
    _href: Type.String(),
  }),
);

/** A request as its reviewer sees it, with the review they are writing. */
export const ReviewerReview = named(
  'ReviewerReview',
  Type.Object({
    id: Id,
    status: ReviewStatus,
    round: Type.Integer({ minimum: 1 }),
    reviewRoundId: Id,
    reviewMethod: Anonymity,
    dateAssigned: DateTime,
    dateResponseDue: DateTime,
    dateDue: DateTime,
    dateConfirmed: DateTimeOrNull,
    dateCompleted: DateTimeOrNull,
    late: Late,
    requestMessage: Type.String({ description: 'The editor’s words with the request.' }),
    submission: Type.Object({
      id: Id,
      locale: Type.String(),
      title: Localized,
      abstract: Localized,
      keywords: LocalizedList,
      authors: Type.Optional(
        Type.Array(Type.Object({ givenName: Localized, familyName: Localized, affiliation: Localized }), { description: 'Only when the review is not double-anonymous.' }),
      ),
    }),
    files: Type.Array(ReviewFile, { description: 'The round’s files, once the request is accepted; in double-anonymous review named by kind, not by their uploaded names.' }),
    reviewForm: Type.Union([
      Type.Object({
        id: Id,
        title: Localized,
        elements: Type.Array(
          Type.Object({
            id: Id,
            kind: Type.Union([Type.Literal('short-text'), Type.Literal('long-text'), Type.Literal('single-choice'), Type.Literal('multiple-choice')]),
            question: Localized,
            description: Localized,
            options: Type.Array(Localized, { description: 'Answered by index: `"0"` is the first.' }),
            required: Type.Boolean(),
            visibleToAuthor: Type.Boolean(),
          }),
        ),
      }),
      Type.Null(),
    ]),
    review: Type.Object({
      recommendation: RecommendationOrNull,
      commentsForAuthor: Type.String(),
      commentsForEditor: Type.String(),
      competingInterests: Type.String(),
      answers: Answers,
      attachments: Type.Array(ReviewAttachment),
    }),
    _href: Type.String(),
  }),
);

export const ReviewerReviewSummary = named(
  'ReviewerReviewSummary',
  Type.Object({
    id: Id,
    status: ReviewStatus,
    submissionId: Id,
    title: Localized,
    round: Type.Integer({ minimum: 1 }),
    dateResponseDue: DateTime,
    dateDue: DateTime,
    dateCompleted: DateTimeOrNull,
    late: Late,
    _href: Type.String(),
  }),
);

export const ReviewerListQuery = Type.Object({
  ...PageQuery.properties,
  status: Type.Optional(Type.Array(ReviewStatus, { maxItems: 5, description: 'Only requests of these statuses; by default those to answer, under way and completed.' })),
});

// Inputs.

export const NewReviewAssignment = Type.Object(
  {
    reviewerId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647, description: 'One of the journal’s reviewers. Or, for someone new: `email`, `givenName`, `familyName`, `locale`.' })),
    email: Type.Optional(Text(254, 'A new reviewer’s address: they get an account when they accept.')),
    givenName: Type.Optional(LocalizedInput(300)),
    familyName: Type.Optional(LocalizedInput(300)),
    locale: Type.Optional(Type.String({ pattern: '^[a-z]{2,3}(?:[_-][A-Za-z0-9]{2,8})*$', maxLength: 35, description: 'The language of a new reviewer’s mails and pages.' })),
    reviewMethod: Type.Optional(Anonymity),
    dateResponseDue: Type.Optional(Type.String({ format: 'date-time', maxLength: 40, description: 'Default: the journal’s answer period from now.' })),
    dateDue: Type.Optional(Type.String({ format: 'date-time', maxLength: 40, description: 'Default: the journal’s review period from now.' })),
    reviewFormId: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 2147483647 }), Type.Null()], { description: 'One of the journal’s active forms; null: none; left out: the round’s.' })),
    message: Type.Optional(Text(20000, 'The editor’s own words in the request mail.')),
  },
  { additionalProperties: false },
);

export const ReviewDates = Type.Object(
  {
    dateResponseDue: Type.Optional(Type.String({ format: 'date-time', maxLength: 40, description: 'Only for a request not answered yet; left out: unchanged.' })),
    dateDue: Type.String({ format: 'date-time', maxLength: 40 }),
  },
  { additionalProperties: false },
);

export const ReviewRating = Type.Object({ quality: Type.Integer({ minimum: 1, maximum: 5 }) }, { additionalProperties: false });

export const NewDecision = Type.Object(
  {
    decision: DecisionKind,
    message: Type.Optional(Text(50000, 'The editor’s own words in the mail to the author (or, for a recommendation, to the deciding editors).')),
    sharedReviewIds: Type.Optional(Type.Array(Type.Integer({ minimum: 1, maximum: 2147483647 }), { maxItems: 100, description: 'Completed reviews of the current round whose comments go to the author.' })),
    fileIds: Type.Optional(Type.Array(Type.Integer({ minimum: 1, maximum: 2147483647 }), { maxItems: 100, description: '`send-to-review` and `new-round`: the submission’s files the round reviews; `send-to-production`: the copyedited files (copyediting/files) that become the production-ready files.' })),
    notifyAuthor: Type.Optional(Type.Boolean({ description: 'Default true; false records the decision without mailing the author.' })),
  },
  { additionalProperties: false },
);

export const ReviewAnswer = Type.Object(
  {
    accept: Type.Boolean(),
    declineReason: Type.Optional(Text(5000)),
  },
  { additionalProperties: false },
);

export const ReviewDraft = Type.Object(
  {
    recommendation: Type.Optional(RecommendationOrNull),
    commentsForAuthor: Type.Optional(Text(50000)),
    commentsForEditor: Type.Optional(Text(50000)),
    competingInterests: Type.Optional(Text(5000)),
    answers: Type.Optional(
      Type.Record(Type.String({ pattern: '^[0-9]{1,10}$' }), Type.Union([Type.String({ maxLength: 20000 }), Type.Array(Type.String({ maxLength: 10 }), { maxItems: 100 })]), {
        maxProperties: 200,
        description: 'Replaces every answer: by question id, text or the chosen options’ indexes.',
      }),
    ),
  },
  { additionalProperties: false, description: 'Fields left out keep their saved values.' },
);

/** The multipart form of a reviewer's attachment (documented; read as it arrives). */
export const AttachmentUpload = Type.Object({ file: Type.String({ format: 'binary', description: 'The file; its type is read from its bytes.' }) });
/** The multipart form of an author's revision. */
export const RevisionUpload = Type.Object({
  kind: Type.String({ description: 'The file kind, before `file`.' }),
  file: Type.String({ format: 'binary', description: 'The revised file; its type is read from its bytes.' }),
});
