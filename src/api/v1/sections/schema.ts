import { Id, JournalPath, Type } from '../../../platform/http/index.ts';
import { Localized, named } from '../common.ts';

export const Section = named(
  'Section',
  Type.Object({
    id: Id,
    contextId: Id,
    title: Localized,
    abbrev: Localized,
    policy: Localized,
    seq: Type.Integer({ description: 'Position in the journal’s order of sections.' }),
    _href: Type.String(),
  }),
);

export const SectionParams = Type.Object({ journal: JournalPath, sectionId: Id });

const Title = Type.Record(Type.String(), Type.String({ maxLength: 300 }));
const Abbreviation = Type.Record(Type.String(), Type.String({ maxLength: 30 }));
const Policy = Type.Record(Type.String(), Type.String({ maxLength: 20_000 }));

/** A new section: a title in at least one of the journal's languages. The policy may be HTML (sanitized). */
export const NewSection = Type.Object({ title: Title, abbrev: Type.Optional(Abbreviation), policy: Type.Optional(Policy) }, { additionalProperties: false });
/** Changes to a section: each field given replaces the whole field (every language). */
export const SectionChanges = Type.Object({ title: Type.Optional(Title), abbrev: Type.Optional(Abbreviation), policy: Type.Optional(Policy) }, { additionalProperties: false, minProperties: 1 });
