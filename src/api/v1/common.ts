import type { Kysely } from 'kysely';
import { findJournal, type JournalSummary } from '../../catalog/index.ts';
import type { Database } from '../../db/index.ts';
import { NotFoundError } from '../../platform/http/index.ts';
import { FieldsError, JournalPath, Type, type FieldProblem, type Static, type TSchema } from '../../platform/http/index.ts';

/**
 * What the resource folders share: the names of schemas in the OpenAPI document, localized fields and
 * paging as OJS's REST API has them (`{ "en": …, "pl": … }`, `count`/`offset`, `items`/`itemsMax`).
 */

declare module 'fastify' {
  interface FastifySchema {
    /** For the OpenAPI document (api/v1/openapi.ts); Fastify's validation ignores these. */
    summary?: string;
    description?: string;
    tags?: string[];
    operationId?: string;
    /** True when the operation needs a token whatever the content (writes). */
    tokenRequired?: boolean;
    /** Left out of the document (the document itself, its page). */
    hide?: boolean;
    /** A `multipart/form-data` request body, for the document only (the route reads the form itself). */
    multipart?: unknown;
  }
}

const names = new Map<string, string>();

/** Gives a schema its name in the document's `components.schemas`; uses of it become `$ref`s. */
export function named<T extends TSchema>(name: string, schema: T): T {
  names.set(JSON.stringify(schema), name);
  return schema;
}

/** The name given to a schema of this shape, if any (matched by content: TypeBox copies optional ones). */
export function nameOf(schema: unknown): string | undefined {
  return names.get(JSON.stringify(schema));
}

/** Text in several languages, keyed by locale, as OJS's API gives it. */
export const Localized = Type.Record(Type.String({ pattern: '^[a-z]{2,3}(?:[_-][A-Za-z0-9]{2,8})*$' }), Type.String(), { description: 'Text per locale, e.g. `{ "en": "…", "pl": "…" }`.' });
export const LocalizedList = Type.Record(Type.String({ pattern: '^[a-z]{2,3}(?:[_-][A-Za-z0-9]{2,8})*$' }), Type.Array(Type.String()), { description: 'A list per locale.' });

/** A page of a list, as OJS answers: the page's `items` and the number of items in all, `itemsMax`. */
export function Paged<T extends TSchema>(item: T) {
  return Type.Object({ itemsMax: Type.Integer({ minimum: 0 }), items: Type.Array(item) });
}

export const MAX_COUNT = 100;
export const PageQuery = Type.Object({
  count: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_COUNT, default: 20, description: `How many items (at most ${MAX_COUNT}).` })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0, description: 'How many items to skip.' })),
});
export type PageQuery = Static<typeof PageQuery>;

export function pageOf(query: PageQuery): { limit: number; offset: number } {
  return { limit: query.count ?? 20, offset: query.offset ?? 0 };
}

export const JournalApiParams = Type.Object({ journal: JournalPath });

/** The enabled journal a `/{journal}/api/v1/…` address names, or 404. */
export async function journalOf(db: Kysely<Database>, path: string): Promise<JournalSummary> {
  const journal = await findJournal(db, path);
  if (!journal) throw new NotFoundError(`no journal ${path}`);
  return journal;
}

/** Dates as OJS gives them: `YYYY-MM-DD` for publication dates, ISO 8601 with time for records' times. */
export function isoDate(value: Date | string | null): string | null {
  if (value === null) return null;
  return typeof value === 'string' ? value.slice(0, 10) : value.toISOString().slice(0, 10);
}
export const DateOrNull = Type.Union([Type.String({ format: 'date' }), Type.Null()]);
export const TextOrNull = Type.Union([Type.String(), Type.Null()]);
export const IntegerOrNull = Type.Union([Type.Integer(), Type.Null()]);

/**
 * Localized input checked against the journal's languages: empty texts dropped, texts trimmed; a
 * locale the journal does not use is a field error (at `/{field}/{locale}`), as is a required field
 * left with no text.
 */
export function localizedInput(field: string, value: Record<string, string> | undefined, journalLocales: readonly string[], options: { required?: boolean } = {}): { value: Record<string, string>; errors: FieldProblem[] } {
  const errors: FieldProblem[] = [];
  const kept: Record<string, string> = {};
  for (const [locale, text] of Object.entries(value ?? {})) {
    if (!journalLocales.includes(locale)) errors.push({ in: 'body', pointer: `/${field}/${locale}`, detail: `the journal does not publish in ${locale}; it uses ${journalLocales.join(', ')}` });
    else if (text.trim() !== '') kept[locale] = text.trim();
  }
  if (options.required && Object.keys(kept).length === 0 && errors.length === 0) errors.push({ in: 'body', pointer: `/${field}`, detail: 'must have a text in at least one of the journal’s languages' });
  return { value: kept, errors };
}

/** A version's title, subtitle, abstract and keywords as a PUT may change them (absent: unchanged). */
export interface PublicationTextChange {
  title?: Record<string, string>;
  subtitle?: Record<string, string>;
  abstract?: Record<string, string>;
  keywords?: Record<string, string[]>;
}

/**
 * The texts of a version after a change, checked against the journal's languages (FieldsError with
 * every problem); a field not sent keeps its current value. Keywords are trimmed, empty ones dropped.
 */
export function changedPublicationTexts(
  change: PublicationTextChange,
  current: { title: Record<string, string>; subtitle: Record<string, string>; abstract: Record<string, string>; keywords: Record<string, string[]> },
  journalLocales: readonly string[],
  options: { titleRequired?: boolean } = {},
): { title: Record<string, string>; subtitle: Record<string, string>; abstract: Record<string, string>; keywords: Record<string, string[]> } {
  const checked = {
    title: change.title === undefined ? { value: current.title, errors: [] } : localizedInput('title', change.title, journalLocales, { required: options.titleRequired ?? false }),
    subtitle: change.subtitle === undefined ? { value: current.subtitle, errors: [] } : localizedInput('subtitle', change.subtitle, journalLocales),
    abstract: change.abstract === undefined ? { value: current.abstract, errors: [] } : localizedInput('abstract', change.abstract, journalLocales),
  };
  const errors: FieldProblem[] = [...checked.title.errors, ...checked.subtitle.errors, ...checked.abstract.errors];
  const keywords: Record<string, string[]> = {};
  for (const [locale, list] of Object.entries(change.keywords ?? {})) {
    if (!journalLocales.includes(locale)) errors.push({ in: 'body', pointer: `/keywords/${locale}`, detail: `the journal does not publish in ${locale}` });
    const kept = list.map((k) => k.trim()).filter(Boolean);
    if (kept.length > 0) keywords[locale] = kept;
  }
  if (errors.length > 0) throw new FieldsError(errors);
  return { title: checked.title.value, subtitle: checked.subtitle.value, abstract: checked.abstract.value, keywords: change.keywords === undefined ? current.keywords : keywords };
}
