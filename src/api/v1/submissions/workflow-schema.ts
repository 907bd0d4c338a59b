import { Id, JournalPath, Problem, Type } from '../../../platform/http/index.ts';
import { named } from '../common.ts';

/**
 * Schemas of the submission workflow through the API (issue 19): drafts, their files, contributors and
 * references, submitting, participants. What a route validates and answers is what the OpenAPI
 * document says (it is generated from these).
 */

const DateTime = Type.String({ format: 'date-time' });
const DateTimeOrNull = Type.Union([DateTime, Type.Null()]);
const Locale = Type.String({ pattern: '^[a-z]{2,3}(?:[_-][A-Za-z0-9]{2,8})*$', maxLength: 35 });
const LocalizedInput = (max: number) => Type.Record(Type.String({ maxLength: 35 }), Type.String({ maxLength: max }));

export const WORKFLOW_STATUSES = ['draft', 'active', 'declined', 'scheduled', 'published'] as const;
export const WorkflowStatus = Type.Union([Type.Literal('draft'), Type.Literal('active'), Type.Literal('declined'), Type.Literal('scheduled'), Type.Literal('published')], { description: '`draft`: not submitted yet (its authors alone see it); `active`: submitted, in the journal’s hands; `declined`; `scheduled`: waiting to be published (with its issue, or at a set moment); `published`.' });
const Stage = Type.Union([Type.Literal('submission'), Type.Literal('review'), Type.Literal('copyediting'), Type.Literal('production')]);
const Step = Type.Union([Type.Literal('start'), Type.Literal('files'), Type.Literal('details'), Type.Literal('contributors'), Type.Literal('references'), Type.Literal('review')], { description: 'The furthest step of the submission wizard the author has reached (OJS: submissionProgress).' });
const ParticipantRole = Type.Union([Type.Literal('author'), Type.Literal('editor'), Type.Literal('section-editor'), Type.Literal('copyeditor'), Type.Literal('layout-editor')]);

/** What a draft still lacks, by the wizard step where it is fixed. */
export const SubmissionProblem = named(
  'SubmissionProblem',
  Type.Object({
    step: Type.Union([Type.Literal('start'), Type.Literal('files'), Type.Literal('details'), Type.Literal('contributors'), Type.Literal('references')]),
    code: Type.String({ description: 'e.g. `title-missing`, `file-missing`, `section-closed`.' }),
    field: Type.Optional(Type.String({ description: 'The field (`title.en`) or the file kind it concerns.' })),
    params: Type.Optional(Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()]))),
    detail: Type.String(),
  }),
);

export const Participant = named(
  'Participant',
  Type.Object({
    id: Id,
    userId: Id,
    role: ParticipantRole,
    recommendOnly: Type.Boolean({ description: 'A section editor who only recommends a decision.' }),
    fullName: Type.String(),
    dateAssigned: DateTime,
  }),
);

export const SubmissionFile = named(
  'SubmissionFile',
  Type.Object({
    id: Id,
    submissionId: Id,
    stage: Stage,
    kind: Type.String({ description: 'The file kind (OJS: genre), one of the journal’s: `article`, `figure`, `data`, `supplementary`…' }),
    name: Type.String(),
    mimetype: Type.String({ description: 'Recognised from the file’s bytes, never from its name.' }),
    fileSize: Type.Integer({ minimum: 0 }),
    sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
    revisions: Type.Integer({ minimum: 0, description: 'Earlier revisions kept besides the current one.' }),
    uploaderUserId: Type.Union([Id, Type.Null()]),
    createdAt: DateTime,
    updatedAt: DateTime,
    url: Type.String({ description: 'Where a signed-in person downloads it (the submission’s page).' }),
    _href: Type.String(),
  }),
);

/** A submission's place in the workflow; only for callers who may read it. */
export const Workflow = named(
  'Workflow',
  Type.Object({
    status: WorkflowStatus,
    stage: Stage,
    progress: Step,
    dateSubmitted: DateTimeOrNull,
    lastActivity: DateTime,
    commentsForEditor: Type.String(),
    problems: Type.Optional(Type.Array(SubmissionProblem, { description: 'For a draft: what it still lacks before it can be submitted (empty when complete). On one submission only.' })),
    participants: Type.Optional(Type.Array(Participant, { description: 'On one submission only.' })),
    files: Type.Optional(Type.Array(SubmissionFile, { description: 'Files of the submission stage. On one submission only.' })),
    references: Type.Optional(Type.Array(Type.String(), { description: 'The current version’s references, in order. On one submission only.' })),
    url: Type.String({ description: 'The submission’s page (or the draft’s wizard) for a signed-in person.' }),
  }),
);

/** A problem of the workflow: RFC 9457 with the refusal's `code`, and for an incomplete draft its `problems`. */
export const WorkflowProblem = named(
  'WorkflowProblem',
  Type.Object({
    ...Problem.properties,
    code: Type.Optional(Type.String({ description: 'Why the workflow refused: `incomplete`, `section-closed`, `file-type-not-allowed`…' })),
    problems: Type.Optional(Type.Array(SubmissionProblem, { description: 'For `incomplete`: everything the draft still lacks.' })),
  }, { description: 'RFC 9457 problem details, with the workflow’s reason.' }),
);

/** The statuses a workflow write may be refused with, besides the API's usual ones. */
export const workflowRefusals = (...statuses: Array<409 | 413 | 415 | 422>) => Object.fromEntries(statuses.map((s) => [s, { ...WorkflowProblem, description: REFUSAL_WORDS[s] }]));
const REFUSAL_WORDS: Record<number, string> = {
  409: 'The submission is not in a state that allows this (submitted already, declined, published; a person assigned already).',
  413: 'The file is larger than its kind takes.',
  415: 'The file’s type, read from its bytes, is not one its kind takes.',
  422: 'The request cannot be carried out as it is (`code` says why; an incomplete draft lists its `problems`).',
};

export const SubmissionFileParams = Type.Object({ journal: JournalPath, submissionId: Id, fileId: Id });
export const ContributorParams = Type.Object({ journal: JournalPath, submissionId: Id, publicationId: Id, contributorId: Id });
export const ParticipantParams = Type.Object({ journal: JournalPath, submissionId: Id, participantId: Id });

export const NewSubmission = Type.Object(
  {
    sectionId: Id,
    locale: Locale,
    commentsForEditor: Type.Optional(Type.String({ maxLength: 10000 })),
    checklistConfirmed: Type.Optional(Type.Boolean({ description: 'The author confirms every item of the journal’s submission checklist.' })),
    agreementsAccepted: Type.Optional(Type.Boolean({ description: 'The author accepts the copyright notice and the privacy statement.' })),
  },
  { additionalProperties: false },
);

const Affiliation = Type.Object(
  {
    name: LocalizedInput(1000),
    ror: Type.Optional(Type.Union([Type.String({ maxLength: 200, description: 'A ROR id, bare (`039bjqg32`) or as its URL.' }), Type.Null()])),
  },
  { additionalProperties: false },
);

/** A contributor as given: each field replaces the stored one. */
export const ContributorInput = Type.Object(
  {
    givenName: LocalizedInput(300),
    familyName: Type.Optional(LocalizedInput(300)),
    email: Type.Optional(Type.Union([Type.String({ maxLength: 320 }), Type.Null()])),
    orcid: Type.Optional(Type.Union([Type.String({ maxLength: 100, description: 'Bare or as its URL; the check digit is checked.' }), Type.Null()])),
    affiliations: Type.Optional(Type.Array(Affiliation, { maxItems: 20 })),
    primaryContact: Type.Optional(Type.Boolean()),
    includeInBrowse: Type.Optional(Type.Boolean()),
    userGroup: Type.Optional(Type.Union([Type.String({ maxLength: 100, description: 'The contributor’s role as OJS names it: `Author`, `Translator`…' }), Type.Null()])),
  },
  { additionalProperties: false },
);

/** A contributor of a submission, as its authors and editors see it (with e-mail and affiliations). */
export const SubmissionContributor = named(
  'SubmissionContributor',
  Type.Object({
    id: Id,
    givenName: Type.Record(Type.String(), Type.String()),
    familyName: Type.Record(Type.String(), Type.String()),
    email: Type.Union([Type.String(), Type.Null()]),
    orcid: Type.Union([Type.String(), Type.Null()]),
    affiliations: Type.Array(Type.Object({ name: Type.Record(Type.String(), Type.String()), ror: Type.Optional(Type.String()) })),
    primaryContact: Type.Boolean(),
    includeInBrowse: Type.Boolean(),
    userGroup: Type.Union([Type.String(), Type.Null()]),
  }),
);

export const ReferencesInput = Type.Object({ references: Type.Array(Type.String({ maxLength: 4000 }), { maxItems: 1000, description: 'One reference per entry, in order; empty entries are dropped.' }) }, { additionalProperties: false });
export const References = Type.Object({ references: Type.Array(Type.String()) });

export const NewParticipant = Type.Object(
  {
    userId: Id,
    role: Type.Union([Type.Literal('editor'), Type.Literal('section-editor'), Type.Literal('copyeditor'), Type.Literal('layout-editor')], { description: 'Copyeditors and layout editors (issue 21) are told by e-mail what is wanted of them.' }),
    recommendOnly: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

/** The multipart form of an upload (documented; read by upload.ts as it arrives). */
export const FileUpload = Type.Object({
  kind: Type.String({ description: 'The file kind; send it before `file`, so a file of the wrong type or size is refused at its first bytes.' }),
  file: Type.String({ format: 'binary', description: 'The file; its type is read from its bytes.' }),
});
