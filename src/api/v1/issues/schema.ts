import { Id, JournalPath, Type } from '../../../platform/http/index.ts';
import { DateOrNull, IntegerOrNull, Localized, named, PageQuery, TextOrNull } from '../common.ts';

export const Issue = named(
  'Issue',
  Type.Object({
    id: Id,
    journalId: Id,
    volume: IntegerOrNull,
    number: TextOrNull,
    year: IntegerOrNull,
    title: Localized,
    description: Localized,
    showVolume: Type.Boolean(),
    showNumber: Type.Boolean(),
    showYear: Type.Boolean(),
    showTitle: Type.Boolean(),
    published: Type.Boolean(),
    isCurrent: Type.Boolean({ description: 'The journal’s current issue (a Revista addition; OJS answers it at /issues/current).' }),
    datePublished: DateOrNull,
    lastModified: Type.String({ format: 'date-time' }),
    publishedUrl: Type.String({ description: 'The issue’s page on the reader site (for an unpublished issue, where it will be).' }),
    _href: Type.String(),
  }),
);

export const IssueParams = Type.Object({ journal: JournalPath, issueId: Id });

export const IssueQuery = Type.Object({
  ...PageQuery.properties,
  isPublished: Type.Optional(Type.Boolean({ description: 'Only published (true) or unpublished (false) issues. Unpublished ones need a token of the journal’s manager or editor.' })),
});

export const PublishIssue = Type.Object(
  {
    datePublished: Type.Optional(Type.String({ format: 'date', description: 'Defaults to today; an issue or article that has a date keeps it.' })),
    isCurrent: Type.Optional(Type.Boolean({ default: true, description: 'Make it the current issue.' })),
    allowEmpty: Type.Optional(Type.Boolean({ default: false, description: 'Publish even though the issue holds no article yet.' })),
  },
  { additionalProperties: false },
);
