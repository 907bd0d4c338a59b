import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

/**
 * OpenAPI 3.1 checks for the API's own document. No package in node_modules ships the OAS 3.1 JSON
 * Schema, so the structure below is written from the specification (spec.openapis.org/oas/v3.1.0,
 * section 4.8): the objects the document uses and their required fields, with unknown fields refused
 * (only `x-` extensions allowed), as the official schema does with `unevaluatedProperties: false`.
 * What a JSON Schema cannot say is checked in code: every schema is valid JSON Schema 2020-12 (the
 * dialect of OAS 3.1), every `$ref` resolves, path templates and path parameters agree, and
 * operationIds are unique.
 */

const extensions = { '^x-': {} };
const strictObject = (properties: Record<string, object | boolean>, required: string[] = []) => ({ type: 'object', properties, required, patternProperties: extensions, additionalProperties: false });
const ref = (name: string) => ({ $ref: `#/$defs/${name}` });
const orReference = (name: string) => ({ if: { type: 'object', required: ['$ref'] }, then: ref('reference'), else: ref(name) });
const mapOf = (schema: object | boolean) => ({ type: 'object', additionalProperties: schema });
const componentMap = (schema: object) => ({ ...mapOf(schema), propertyNames: { pattern: '^[a-zA-Z0-9._-]+$' } });
/** A Schema Object: in OAS 3.1 any JSON Schema 2020-12 (object or boolean); compiled separately below. */
const schemaObject = { type: ['object', 'boolean'] };

export const OAS31_STRUCTURE = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  ...strictObject(
    {
      openapi: { type: 'string', pattern: '^3\\.1\\.\\d+(-.+)?$' },
      info: ref('info'),
      jsonSchemaDialect: { type: 'string', format: 'uri' },
      servers: { type: 'array', items: ref('server') },
      paths: ref('paths'),
      webhooks: mapOf(orReference('pathItem')),
      components: ref('components'),
      security: { type: 'array', items: ref('securityRequirement') },
      tags: { type: 'array', items: ref('tag') },
      externalDocs: ref('externalDocs'),
    },
    ['openapi', 'info'],
  ),
  anyOf: [{ required: ['paths'] }, { required: ['components'] }, { required: ['webhooks'] }],
  $defs: {
    info: strictObject(
      {
        title: { type: 'string' },
        summary: { type: 'string' },
        description: { type: 'string' },
        termsOfService: { type: 'string' },
        contact: strictObject({ name: { type: 'string' }, url: { type: 'string' }, email: { type: 'string' } }),
        license: { ...strictObject({ name: { type: 'string' }, identifier: { type: 'string' }, url: { type: 'string', format: 'uri' } }, ['name']), not: { required: ['identifier', 'url'] } },
        version: { type: 'string' },
      },
      ['title', 'version'],
    ),
    server: strictObject({ url: { type: 'string', format: 'uri-reference' }, description: { type: 'string' }, variables: mapOf(strictObject({ enum: { type: 'array', items: { type: 'string' }, minItems: 1 }, default: { type: 'string' }, description: { type: 'string' } }, ['default'])) }, ['url']),
    reference: { type: 'object', properties: { $ref: { type: 'string', format: 'uri-reference' }, summary: { type: 'string' }, description: { type: 'string' } }, required: ['$ref'], additionalProperties: false },
    paths: { type: 'object', patternProperties: { '^/': ref('pathItem'), ...extensions }, additionalProperties: false },
    pathItem: strictObject({
      $ref: { type: 'string', format: 'uri-reference' },
      summary: { type: 'string' },
      description: { type: 'string' },
      servers: { type: 'array', items: ref('server') },
      parameters: { type: 'array', items: orReference('parameter') },
      ...Object.fromEntries(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'].map((method) => [method, ref('operation')])),
    }),
    operation: strictObject({
      tags: { type: 'array', items: { type: 'string' } },
      summary: { type: 'string' },
      description: { type: 'string' },
      externalDocs: ref('externalDocs'),
      operationId: { type: 'string' },
      parameters: { type: 'array', items: orReference('parameter') },
      requestBody: orReference('requestBody'),
      responses: ref('responses'),
      callbacks: mapOf({ type: 'object' }),
      deprecated: { type: 'boolean' },
      security: { type: 'array', items: ref('securityRequirement') },
      servers: { type: 'array', items: ref('server') },
    }),
    externalDocs: strictObject({ description: { type: 'string' }, url: { type: 'string', format: 'uri' } }, ['url']),
    parameter: {
      ...strictObject(
        {
          name: { type: 'string' },
          in: { enum: ['query', 'header', 'path', 'cookie'] },
          description: { type: 'string' },
          required: { type: 'boolean' },
          deprecated: { type: 'boolean' },
          allowEmptyValue: { type: 'boolean' },
          style: { type: 'string' },
          explode: { type: 'boolean' },
          allowReserved: { type: 'boolean' },
          schema: schemaObject,
          content: ref('content'),
          example: true,
          examples: mapOf(true),
        },
        ['name', 'in'],
      ),
      oneOf: [{ required: ['schema'] }, { required: ['content'] }],
      // "If the parameter location is "path", this property is REQUIRED and its value MUST be true."
      if: { properties: { in: { const: 'path' } } },
      then: { properties: { required: { const: true } }, required: ['required'] },
    },
    requestBody: strictObject({ description: { type: 'string' }, content: ref('content'), required: { type: 'boolean' } }, ['content']),
    content: { type: 'object', additionalProperties: ref('mediaType'), propertyNames: { pattern: '^[a-z*]+/[a-z0-9.+*-]+$' } },
    mediaType: strictObject({ schema: schemaObject, example: true, examples: mapOf(true), encoding: mapOf({ type: 'object' }) }),
    responses: { type: 'object', properties: { default: orReference('response') }, patternProperties: { '^[1-5](?:[0-9]{2}|XX)$': orReference('response'), ...extensions }, additionalProperties: false, minProperties: 1 },
    response: strictObject({ description: { type: 'string' }, headers: mapOf({ type: 'object' }), content: ref('content'), links: mapOf({ type: 'object' }) }, ['description']),
    components: strictObject({
      schemas: componentMap(schemaObject),
      responses: componentMap(orReference('response')),
      parameters: componentMap(orReference('parameter')),
      examples: componentMap({ type: 'object' }),
      requestBodies: componentMap(orReference('requestBody')),
      headers: componentMap({ type: 'object' }),
      securitySchemes: componentMap(orReference('securityScheme')),
      links: componentMap({ type: 'object' }),
      callbacks: componentMap({ type: 'object' }),
      pathItems: componentMap(orReference('pathItem')),
    }),
    securityScheme: {
      ...strictObject(
        {
          type: { enum: ['apiKey', 'http', 'mutualTLS', 'oauth2', 'openIdConnect'] },
          description: { type: 'string' },
          name: { type: 'string' },
          in: { enum: ['query', 'header', 'cookie'] },
          scheme: { type: 'string' },
          bearerFormat: { type: 'string' },
          flows: { type: 'object' },
          openIdConnectUrl: { type: 'string', format: 'uri' },
        },
        ['type'],
      ),
      allOf: [
        { if: { properties: { type: { const: 'http' } } }, then: { required: ['scheme'] } },
        { if: { properties: { type: { const: 'apiKey' } } }, then: { required: ['name', 'in'] } },
        { if: { properties: { type: { const: 'oauth2' } } }, then: { required: ['flows'] } },
        { if: { properties: { type: { const: 'openIdConnect' } } }, then: { required: ['openIdConnectUrl'] } },
      ],
    },
    securityRequirement: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } },
    tag: strictObject({ name: { type: 'string' }, description: { type: 'string' }, externalDocs: ref('externalDocs') }, ['name']),
  },
};

type Json = Record<string, unknown>;

function newAjv(): Ajv2020 {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  (addFormats as unknown as (ajv: Ajv2020) => void)(ajv);
  return ajv;
}

/** Every JSON pointer in the document at which a Schema Object sits. */
function schemaLocations(doc: Json): Array<{ pointer: string; schema: unknown }> {
  const found: Array<{ pointer: string; schema: unknown }> = [];
  const escape = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');
  for (const [name, schema] of Object.entries(((doc.components as Json | undefined)?.schemas ?? {}) as Json)) found.push({ pointer: `/components/schemas/${escape(name)}`, schema });
  for (const [path, item] of Object.entries((doc.paths ?? {}) as Record<string, Record<string, Json>>)) {
    for (const [method, operation] of Object.entries(item)) {
      const base = `/paths/${escape(path)}/${method}`;
      ((operation.parameters ?? []) as Json[]).forEach((p, i) => found.push({ pointer: `${base}/parameters/${i}/schema`, schema: p.schema }));
      const body = (operation.requestBody as Json | undefined)?.content as Record<string, Json> | undefined;
      for (const [type, media] of Object.entries(body ?? {})) found.push({ pointer: `${base}/requestBody/content/${escape(type)}/schema`, schema: media.schema });
      for (const [status, response] of Object.entries((operation.responses ?? {}) as Record<string, Json>)) {
        for (const [type, media] of Object.entries((response.content ?? {}) as Record<string, Json>)) found.push({ pointer: `${base}/responses/${status}/content/${escape(type)}/schema`, schema: media.schema });
      }
    }
  }
  return found;
}

function resolvePointer(doc: unknown, pointer: string): unknown {
  let at = doc;
  for (const raw of pointer.replace(/^#/, '').split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (at === null || typeof at !== 'object' || !(key in at)) return undefined;
    at = (at as Json)[key];
  }
  return at;
}

function allRefs(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => allRefs(v, found));
  else if (value !== null && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (key === '$ref' && typeof v === 'string') found.push(v);
      else allRefs(v, found);
    }
  }
  return found;
}

/** The problems that make `doc` not a valid OpenAPI 3.1 document; empty when it is one. */
export function openApiProblems(doc: Json): string[] {
  const problems: string[] = [];
  const ajv = newAjv();
  const structure = ajv.compile(OAS31_STRUCTURE);
  if (!structure(doc)) problems.push(...(structure.errors ?? []).map((e) => `structure ${e.instancePath}: ${e.message} ${JSON.stringify(e.params)}`));
  // Each schema must compile as JSON Schema 2020-12; its references are resolved against the document.
  const schemas = newAjv();
  schemas.addSchema(doc, 'doc');
  for (const { pointer, schema } of schemaLocations(doc)) {
    try {
      schemas.getSchema(`doc#${pointer}`);
    } catch (error) {
      problems.push(`schema at ${pointer}: ${(error as Error).message}`);
    }
  }
  for (const target of allRefs(doc)) {
    if (!target.startsWith('#/') || resolvePointer(doc, target) === undefined) problems.push(`unresolved $ref ${target}`);
  }
  const operationIds = new Set<string>();
  for (const [path, item] of Object.entries((doc.paths ?? {}) as Record<string, Record<string, Json>>)) {
    const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!).sort();
    for (const [method, operation] of Object.entries(item)) {
      const declared = ((operation.parameters ?? []) as Json[]).filter((p) => p.in === 'path').map((p) => String(p.name)).sort();
      if (JSON.stringify(declared) !== JSON.stringify(templated)) problems.push(`${method} ${path}: path parameters ${declared.join(',')} ≠ template ${templated.join(',')}`);
      const id = String(operation.operationId);
      if (operationIds.has(id)) problems.push(`operationId ${id} used twice`);
      operationIds.add(id);
    }
  }
  return problems;
}

/**
 * Checks answers of the running app against the document: the status is one the operation declares
 * (or its `default`), the content type is the declared one, and the body is valid against its schema.
 */
export function contractChecker(doc: Json): ((method: string, pathTemplate: string, response: LightMyRequestResponse) => void) & { checked: Set<string> } {
  const ajv = newAjv();
  ajv.addSchema(doc, 'doc');
  const checked = new Set<string>();
  const escape = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');
  const check = (method: string, pathTemplate: string, response: LightMyRequestResponse) => {
    const operation = resolvePointer(doc, `/paths/${escape(pathTemplate)}/${method.toLowerCase()}`) as Json | undefined;
    assert.ok(operation, `${method} ${pathTemplate} is not in the document`);
    const responses = operation.responses as Record<string, Json>;
    const status = String(response.statusCode);
    const key = status in responses ? status : 'default';
    const listed = responses[key];
    assert.ok(listed, `${method} ${pathTemplate}: status ${status} is not declared`);
    const declared = typeof listed.$ref === 'string' ? (resolvePointer(doc, listed.$ref) as Json) : listed;
    const content = declared.content as Record<string, Json>;
    const type = String(response.headers['content-type'] ?? '').split(';')[0]!.trim();
    assert.ok(type in content, `${method} ${pathTemplate} ${status}: content type ${type} is not declared (${Object.keys(content).join(', ')})`);
    const where = typeof responses[key]!.$ref === 'string' ? (responses[key]!.$ref as string).slice(1) : `/paths/${escape(pathTemplate)}/${method.toLowerCase()}/responses/${key}`;
    const pointer = `${where}/content/${escape(type)}/schema`;
    const validate: ValidateFunction | undefined = ajv.getSchema(`doc#${pointer}`);
    assert.ok(validate, `no schema at ${pointer}`);
    const body: unknown = JSON.parse(response.body);
    assert.ok(validate(body), `${method} ${pathTemplate} ${status}: the body does not match the document:\n${JSON.stringify(validate.errors, null, 2)}\n${response.body.slice(0, 500)}`);
    checked.add(`${method.toUpperCase()} ${pathTemplate} ${status}`);
  };
  return Object.assign(check, { checked });
}
