import type { FastifyInstance } from 'fastify';
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';

/**
 * Input schemas for routes, with types: a route declares its params, querystring and body as TypeBox
 * schemas and reads `request.params`, `request.query` and `request.body` typed, with no casts.
 *
 *   const routes = typed(app);
 *   routes.get('/:journal/issue/view/:id', { schema: { params: JournalIdParams } }, async (request) => {
 *     const id = parseId(request.params.id); // string: a non-id is a 404, as before
 *   });
 *
 * Use `Type` from here (TypeBox 1.x, the one the type provider understands), not `@sinclair/typebox`.
 * The schemas are plain JSON Schema validated by Fastify's own Ajv (with its coercion of query strings),
 * and the API publishes them in its OpenAPI document.
 *
 * What a failed validation answers: a path parameter that does not match names nothing, so 404; a bad
 * query or body is a 400. On `/api/v1/…` both are `application/problem+json` with the field
 * (platform/http/problems.ts); on pages they are the app's HTML error pages.
 */
export { Type, type Static, type TSchema } from '@fastify/type-provider-typebox';

/** The app (or a plugin's scope) with the TypeBox type provider: `request.*` typed from the route's schemas. */
export function typed(app: FastifyInstance) {
  return app.withTypeProvider<TypeBoxTypeProvider>();
}

/** A journal's path in an address (`/{journal}/…`): the shape `journalPathProblem` allows. */
export const JOURNAL_PATH = '^[a-z0-9][a-z0-9-]*$';
export const JournalPath = Type.String({ pattern: JOURNAL_PATH, maxLength: 64, description: "The journal's path in addresses, e.g. `sm`." });
export const JournalParams = Type.Object({ journal: JournalPath });

/** A numeric id in a page's address, kept as text: `parseId` makes it a number (and a 404 when it is not one). */
export const IdText = Type.String({ pattern: '^[0-9]{1,10}$' });
export const JournalIdParams = Type.Object({ journal: JournalPath, id: IdText });

/** A database id as a number (API addresses and bodies): a positive 32-bit integer. */
export const Id = Type.Integer({ minimum: 1, maximum: 2147483647 });

/**
 * A form field as urlencoded or multipart bodies carry it: text, or several texts when the name repeats.
 * Optional, since a browser leaves out unchecked boxes and empty selects.
 */
export const FormField = Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())]));

/** A form's body: the CSRF token and its own fields; other fields are ignored, not refused (old forms, extensions). */
export function formSchema<Fields extends Parameters<typeof Type.Object>[0]>(fields: Fields) {
  return Type.Object({ _csrf: Type.Optional(Type.String()), ...fields }, { additionalProperties: true });
}
