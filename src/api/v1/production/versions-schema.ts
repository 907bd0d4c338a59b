import { Id, JournalPath, Type } from '../../../platform/http/index.ts';
import { DateOrNull, Localized, named, TextOrNull } from '../common.ts';

export const VersionParams = Type.Object({ journal: JournalPath, submissionId: Id, publicationId: Id });
export const NoticeParams = Type.Object({ journal: JournalPath, submissionId: Id });

/** A version of an article as these routes answer it (the full one is at GET …/publications/{id}). */
export const VersionSummary = named(
  'VersionSummary',
  Type.Object({
    id: Id,
    submissionId: Id,
    version: Type.Integer({ minimum: 1 }),
    status: Type.Union([Type.Literal('queued'), Type.Literal('published')], { description: '`queued`: a draft version readers do not see; `published`: the version readers see.' }),
    isCurrent: Type.Boolean(),
    datePublished: DateOrNull,
    doi: TextOrNull,
    title: Localized,
    _href: Type.String(),
  }),
);

export const NoticeKindSchema = Type.Union(
  [Type.Literal('correction'), Type.Literal('retraction'), Type.Literal('partial_retraction'), Type.Literal('expression_of_concern'), Type.Literal('addendum')],
  { description: 'What the notice does to the article, in Crossmark’s words.' },
);

export const NewNotice = Type.Object(
  {
    kind: NoticeKindSchema,
    text: Type.Record(Type.String({ maxLength: 20 }), Type.String({ maxLength: 50_000 }), { description: 'The notice’s text per locale (HTML as abstracts take it, or plain text).' }),
    title: Type.Optional(Type.Record(Type.String({ maxLength: 20 }), Type.String({ maxLength: 1000 }), { description: 'Absent: "Retraction: <the article’s title>" (or Correction, …) per locale.' })),
    sectionId: Type.Optional(Id),
    intoCurrentIssue: Type.Optional(Type.Boolean({ description: 'Also put the notice in the journal’s current issue.' })),
  },
  { additionalProperties: false },
);

export const Notice = named(
  'Notice',
  Type.Object({
    id: Id,
    submissionId: Type.Integer({ description: 'The article the notice updates.' }),
    kind: NoticeKindSchema,
    publicationId: Id,
    doi: TextOrNull,
    title: Localized,
    url: Type.String({ description: 'The notice’s page on the reader site.' }),
  }),
);
