import { Id, Type } from '../../../platform/http/index.ts';
import { Localized, named, TextOrNull } from '../common.ts';

/** A journal, as OJS's `/api/v1/contexts` calls it. */
export const Context = named(
  'Context',
  Type.Object({
    id: Id,
    urlPath: Type.String({ description: "The journal's path in addresses." }),
    name: Localized,
    acronym: Localized,
    description: Localized,
    primaryLocale: Type.String(),
    supportedLocales: Type.Array(Type.String()),
    onlineIssn: TextOrNull,
    printIssn: TextOrNull,
    publisher: TextOrNull,
    licenseUrl: TextOrNull,
    url: Type.String({ description: "The journal's home page." }),
    _href: Type.String({ description: 'This resource in the API.' }),
  }),
);

export const ContextParams = Type.Object({ contextId: Id });
