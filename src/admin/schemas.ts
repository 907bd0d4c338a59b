import { Type, type Static, type TSchema } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';

/**
 * The shapes of what administration's routes read from the address: path parameters and query
 * strings, checked by Fastify (TypeBox, through the type provider) before a handler runs, so
 * handlers read typed values instead of casting. A path parameter that does not match names no
 * page: the app's error handler answers 404 (http/index.ts). Query values stay permissive — any
 * string, or several when a name is repeated — so odd input gets the page, and the form's own
 * checks give their messages in words (a schema failure would be a bare 400).
 * Forms' bodies are read by http/forms.ts (fields per locale, uploads), not described here.
 */

/** A database id in the address (parseId still checks its range). */
const Id = Type.String({ pattern: '^[0-9]{1,10}$' });

/**
 * A query value: one string, or several when the name is repeated (`?search=a&search=b`); read with
 * forms.ts (formText takes the first). Names a schema does not list are ignored.
 */
export const QueryValue = Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())]));

export const IdParams = Type.Object({ id: Id });
export const ArticleInIssueParams = Type.Object({ id: Id, articleId: Id });
export const SectionInIssueParams = Type.Object({ id: Id, sectionId: Id });
export const ContributorParams = Type.Object({ id: Id, contributorId: Id });
export const GalleyParams = Type.Object({ id: Id, galleyId: Id });
export const PagePathParams = Type.Object({ path: Type.String({ pattern: '^[a-z0-9][a-z0-9-]*$', maxLength: 64 }) });
export const MailTemplateParams = Type.Object({ key: Type.String({ maxLength: 100 }), locale: Type.String({ maxLength: 10 }) });

/** The empty-issue confirmation's fields, carried in its address. */
export const PublishQuery = Type.Object({ datePublished: QueryValue, current: QueryValue });

/** A list's search and page (`?search=kowalska&page=2`). */
export const SearchQuery = Type.Object({ search: QueryValue, page: QueryValue });

/** A people list's address: search, filters, order, page, and the notice after a redirect. */
export const PeopleListQuery = Type.Object({ search: QueryValue, role: QueryValue, journal: QueryValue, sort: QueryValue, dir: QueryValue, page: QueryValue, deletion: QueryValue, notice: QueryValue, email: QueryValue });

/** A person's page and its actions: the notice after a redirect, the role named (`assignment`, `role`), the merge's other account (`into`). */
export const PersonQuery = Type.Object({ notice: QueryValue, email: QueryValue, assignment: QueryValue, role: QueryValue, into: QueryValue });

/**
 * What helpers shared by several routes take: a request whose params (and query) the route's
 * schema checked. A route passes its typed request; the helper reads typed values.
 */
export type WithParams<P extends TSchema> = FastifyRequest & { params: Static<P> };
export type WithQuery<Q extends TSchema> = FastifyRequest & { query: Static<Q> };

/** `?created=7` (or saved, enabled, disabled) after a redirect: the journal the notice names. */
export const JournalNoticeQuery = Type.Object({ created: QueryValue, saved: QueryValue, enabled: QueryValue, disabled: QueryValue });

/** The journal's article list: search, filters, order, page. */
export const ArticleListAddress = Type.Object({ search: QueryValue, issue: QueryValue, section: QueryValue, status: QueryValue, sort: QueryValue, dir: QueryValue, page: QueryValue, notice: QueryValue });

/** A usage report's months and what it narrows to (`?from=2024-01&to=2024-12&issue=7`). */
export const StatsQuery = Type.Object({ from: QueryValue, to: QueryValue, issue: QueryValue, article: QueryValue, notice: QueryValue });
