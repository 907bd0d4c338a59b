import type { FastifyInstance, FastifySchema, RouteOptions } from 'fastify';
import { Problem } from '../../platform/http/index.ts';
import { nameOf } from './common.ts';

/**
 * The OpenAPI 3.1 document, generated from the schemas the API's routes declare (params, querystring,
 * body, response): what a route validates and answers is what the document says, by construction.
 * Schemas given a name (`named`) become components, referenced where they are used.
 */

export interface Operation {
  method: string;
  url: string;
  schema: FastifySchema;
}

type Json = unknown;
type JsonObject = Record<string, Json>;

/** Records every route of the API's scope as it is registered (HEAD copies and hidden ones left out). */
export function collectOperations(app: FastifyInstance): Operation[] {
  const operations: Operation[] = [];
  app.addHook('onRoute', (route: RouteOptions) => {
    if (!route.schema || route.schema.hide) return;
    for (const method of Array.isArray(route.method) ? route.method : [route.method]) {
      if (method === 'HEAD') continue;
      operations.push({ method: method.toLowerCase(), url: route.url, schema: route.schema });
    }
  });
  return operations;
}

/** `/:journal/api/v1/issues/:issueId` as OpenAPI writes it: `/{journal}/api/v1/issues/{issueId}`. */
export function openApiPath(url: string): string {
  return url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

const PROBLEM_RESPONSES: Record<string, string> = {
  '400': 'The query or body is not valid; `errors` names each field.',
  '401': 'No token, or an unknown or revoked one, where one is needed.',
  '403': "The token's roles do not allow this.",
  '404': 'No such resource (or not one this caller may see).',
  default: 'Any other problem (429 and 503 with Retry-After, 500 with a request id).',
};

export function openApiDocument(operations: readonly Operation[], options: { baseUrl: string }): JsonObject {
  const components: Record<string, Json> = {};
  const converted = new Map<string, Json>();

  /** A schema for the document: named sub-schemas become references to their component. */
  function toDocument(schema: Json, top = false): Json {
    if (Array.isArray(schema)) return schema.map((item) => toDocument(item));
    if (schema === null || typeof schema !== 'object') return schema;
    const name = top ? undefined : nameOf(schema);
    if (name) {
      if (!converted.has(name)) {
        converted.set(name, true);
        components[name] = toDocument(schema, true);
      }
      return { $ref: `#/components/schemas/${name}` };
    }
    return Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, toDocument(value)]));
  }
  components.Problem = toDocument(Problem, true);

  const paths: Record<string, Record<string, Json>> = {};
  const sorted = [...operations].sort((a, b) => a.url.localeCompare(b.url) || a.method.localeCompare(b.method));
  for (const { method, url, schema } of sorted) {
    const parameters: Json[] = [];
    for (const [where, source] of [['path', schema.params], ['query', schema.querystring]] as const) {
      const object = source as { properties?: Record<string, JsonObject>; required?: string[] } | undefined;
      for (const [name, property] of Object.entries(object?.properties ?? {})) {
        const { description, ...rest } = property;
        parameters.push({ name, in: where, required: where === 'path' || (object?.required ?? []).includes(name), ...(description ? { description } : {}), schema: toDocument(rest) });
      }
    }
    const responses: Record<string, Json> = {};
    for (const [status, body] of Object.entries((schema.response ?? {}) as Record<string, JsonObject>)) {
      // A refusal a route declares is problem details, as every error of the API is.
      const type = Number(status) >= 400 ? 'application/problem+json' : 'application/json';
      responses[status] = { description: (body.description as string | undefined) ?? 'Success.', content: { [type]: { schema: toDocument(body) } } };
    }
    for (const status of Object.keys(PROBLEM_RESPONSES)) responses[status] = { $ref: `#/components/responses/Problem${status}` };
    const operation: JsonObject = {
      operationId: schema.operationId ?? `${method}${url}`,
      ...(schema.summary ? { summary: schema.summary } : {}),
      ...(schema.description ? { description: schema.description } : {}),
      ...(schema.tags ? { tags: schema.tags } : {}),
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(schema.body ? { requestBody: { required: true, content: { 'application/json': { schema: toDocument(schema.body) } } } } : {}),
      ...(schema.multipart ? { requestBody: { required: true, content: { 'multipart/form-data': { schema: toDocument(schema.multipart) } } } } : {}),
      responses,
      // Reads work without a token (published content) and show more with one; writes need one.
      security: schema.tokenRequired ? [{ bearer: [] }] : [{}, { bearer: [] }],
    };
    (paths[openApiPath(url)] ??= {})[method] = operation;
  }

  return {
    openapi: '3.1.0',
    info: {
      title: 'Revista API',
      version: '1',
      description: "Journals, issues, sections and articles (OJS calls them submissions) of this site, and their workflow: submitting, peer review and decisions. Paths and names follow OJS's REST API. Published content needs no token; send a personal token (from your profile) as `Authorization: Bearer <token>` to see unpublished content and to write.",
    },
    servers: [{ url: options.baseUrl }],
    paths,
    components: {
      schemas: components,
      responses: Object.fromEntries(Object.entries(PROBLEM_RESPONSES).map(([status, description]) => [`Problem${status}`, { description, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } }])),
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'A personal API token, created on your profile page.' } },
    },
  };
}
