import { Id, JournalPath, Type } from '../../../platform/http/index.ts';
import { IntegerOrNull, named, TextOrNull } from '../common.ts';

const STAGE = Type.Union([Type.Literal('submission'), Type.Literal('review'), Type.Literal('copyediting'), Type.Literal('production')], { description: 'The workflow stage the discussion belongs to.' });
const DateTime = Type.String({ format: 'date-time' });

export const DiscussionAttachment = named(
  'DiscussionAttachment',
  Type.Object({
    id: Id,
    name: Type.String(),
    mimetype: Type.String({ description: 'Recognised from the bytes.' }),
    fileSize: Type.Integer({ minimum: 0 }),
    url: Type.String({ description: 'Where a signed-in participant downloads it in the browser.' }),
  }),
);

export const DiscussionMessage = named(
  'DiscussionMessage',
  Type.Object({
    id: Id,
    authorId: IntegerOrNull,
    authorName: TextOrNull,
    body: Type.String({ description: 'Plain text, as written.' }),
    dateCreated: DateTime,
    attachments: Type.Array(DiscussionAttachment),
  }),
);

const discussionFields = {
  id: Id,
  submissionId: Id,
  stage: STAGE,
  subject: Type.String(),
  createdBy: IntegerOrNull,
  dateCreated: DateTime,
  closed: Type.Boolean(),
  dateClosed: Type.Union([DateTime, Type.Null()]),
  participantIds: Type.Array(Id),
  messageCount: Type.Integer({ minimum: 0 }),
  lastMessageAt: Type.Union([DateTime, Type.Null()]),
  urlWorkflow: Type.String({ description: 'The discussion’s page.' }),
  _href: Type.String(),
};

/** A discussion as listed: without its messages. */
export const Discussion = named('Discussion', Type.Object(discussionFields));

/** A discussion with its messages, oldest first. */
export const DiscussionThread = named('DiscussionThread', Type.Object({ ...discussionFields, messages: Type.Array(DiscussionMessage) }));

export const DiscussionList = Type.Object({ itemsMax: Type.Integer({ minimum: 0 }), items: Type.Array(Discussion) });

export const SubmissionDiscussionsParams = Type.Object({ journal: JournalPath, submissionId: Id });
export const DiscussionParams = Type.Object({ journal: JournalPath, submissionId: Id, discussionId: Id });

export const NewDiscussion = Type.Object(
  {
    stage: STAGE,
    subject: Type.String({ minLength: 1, maxLength: 255 }),
    participantIds: Type.Array(Id, { minItems: 1, maxItems: 100, description: 'Who takes part besides the caller (who always does). An author may ask only the submission’s editors.' }),
    body: Type.String({ minLength: 1, maxLength: 20000, description: 'The first message, plain text.' }),
  },
  { additionalProperties: false },
);

export const NewDiscussionMessage = Type.Object({ body: Type.String({ minLength: 1, maxLength: 20000, description: 'Plain text.' }) }, { additionalProperties: false });
