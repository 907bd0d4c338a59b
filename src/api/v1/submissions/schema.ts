import { Id, JournalPath, Type } from '../../../platform/http/index.ts';
import { DateOrNull, IntegerOrNull, Localized, LocalizedList, named, PageQuery, TextOrNull } from '../common.ts';
import { Workflow, WorkflowStatus } from './workflow-schema.ts';

/** A contributor of a publication; OJS's API calls them authors. */
export const Contributor = named(
  'Contributor',
  Type.Object({
    id: Id,
    givenName: Localized,
    familyName: Localized,
    affiliation: Localized,
    orcid: TextOrNull,
    rorId: TextOrNull,
    isOrganization: Type.Boolean({ description: 'A group or institution credited as an author; its name is `givenName`.' }),
    primaryContact: Type.Boolean(),
  }),
);

export const Galley = named(
  'Galley',
  Type.Object({
    id: Id,
    label: Type.String(),
    locale: Type.String(),
    mimetype: TextOrNull,
    fileSize: IntegerOrNull,
    urlRemote: TextOrNull,
    urlPublished: Type.String({ description: 'Where readers open it.' }),
  }),
);

const PUBLICATION_STATUS = Type.Union([Type.Literal('queued'), Type.Literal('scheduled'), Type.Literal('published')]);

/** One version of an article's metadata, as OJS's publications. */
export const Publication = named(
  'Publication',
  Type.Object({
    id: Id,
    submissionId: Id,
    version: Type.Integer({ minimum: 1 }),
    status: PUBLICATION_STATUS,
    locale: Type.String(),
    prefix: Localized,
    title: Localized,
    subtitle: Localized,
    fullTitle: Type.Record(Type.String(), Type.String(), { description: 'Prefix, title and subtitle per locale, as readers see them.' }),
    abstract: Type.Record(Type.String(), Type.String(), { description: 'Per locale, as sanitized HTML.' }),
    keywords: LocalizedList,
    pages: TextOrNull,
    doi: TextOrNull,
    datePublished: DateOrNull,
    sectionId: Id,
    issueId: Type.Union([Id, Type.Null()]),
    licenseUrl: TextOrNull,
    copyrightHolder: Localized,
    copyrightYear: IntegerOrNull,
    authors: Type.Array(Contributor),
    galleys: Type.Array(Galley),
    urlPublished: Type.String(),
    _href: Type.String(),
  }),
);

export const Submission = named(
  'Submission',
  Type.Object({
    id: Id,
    contextId: Id,
    status: Type.Union([Type.Literal('queued'), Type.Literal('scheduled'), Type.Literal('published'), Type.Literal('declined')]),
    locale: Type.String(),
    currentPublicationId: Id,
    dateSubmitted: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    lastModified: Type.String({ format: 'date-time' }),
    urlPublished: Type.String(),
    publications: Type.Array(Publication, { description: 'Newest version first. Without an editor’s token: the published current version only.' }),
    workflow: Type.Optional(Workflow),
    _href: Type.String(),
  }),
);

export const SubmissionParams = Type.Object({ journal: JournalPath, submissionId: Id });
export const PublicationParams = Type.Object({ journal: JournalPath, submissionId: Id, publicationId: Id });

export const SubmissionQuery = Type.Object({
  ...PageQuery.properties,
  issueIds: Type.Optional(Type.Array(Id, { maxItems: 50, description: 'Only articles in these issues (repeat the parameter).' })),
  sectionIds: Type.Optional(Type.Array(Id, { maxItems: 50, description: 'Only articles in these sections.' })),
  status: Type.Optional(
    Type.Array(WorkflowStatus, {
      maxItems: 4,
      description: 'Submissions in the workflow with these statuses, as the token’s person may see them (`workflow` given with each): an author their own, drafts included; editors the journal’s submitted ones; section editors those of their sections and those they are assigned to. Needs a token.',
    }),
  ),
});

const Text = (max: number) => Type.Record(Type.String(), Type.String({ maxLength: max }));

/** Changes to the current version: each field given replaces the whole field. Published metadata changes as a new version. */
export const PublicationChanges = Type.Object(
  {
    title: Type.Optional(Text(1000)),
    subtitle: Type.Optional(Text(1000)),
    abstract: Type.Optional(Type.Record(Type.String(), Type.String({ maxLength: 100_000 }), { description: 'HTML (sanitized) or plain text per locale.' })),
    keywords: Type.Optional(Type.Record(Type.String(), Type.Array(Type.String({ maxLength: 200 }), { maxItems: 100 }))),
    references: Type.Optional(Type.Array(Type.String({ maxLength: 4000 }), { maxItems: 1000, description: 'A submission’s references, one per entry, in order (not for published articles).' })),
  },
  { additionalProperties: false, minProperties: 1 },
);
