import type { SafeHtml } from '#jsx/jsx-runtime';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { contextForRequest, loadSite } from '../../platform/web/index.ts';
import { Layout, type PageContext } from '../../ui/index.ts';
import type { ApiDeps } from './deps.ts';

/**
 * The API's reference as a page: every operation with its parameters, body and answers, then every
 * schema with its fields, all read from the OpenAPI document itself (so the two cannot disagree).
 * Plain server-rendered HTML with the site's own stylesheet: nothing loaded from elsewhere.
 */

type Json = Record<string, unknown>;
type SchemaJson = { $ref?: string; type?: string | string[]; anyOf?: SchemaJson[]; items?: SchemaJson; patternProperties?: Record<string, SchemaJson>; const?: unknown; properties?: Record<string, SchemaJson>; required?: string[]; description?: string; format?: string; minimum?: number; maximum?: number; default?: unknown; maxLength?: number };

function refName(ref: string): string {
  return ref.split('/').at(-1) ?? ref;
}

/** A schema in a few words: `Issue`, `array of Contributor`, `string (date) or null`, `text per locale`. */
function typeText(schema: SchemaJson | undefined, t: PageContext['t']): string {
  if (!schema) return '';
  if (schema.$ref) return refName(schema.$ref);
  if (schema.anyOf) return schema.anyOf.map((s) => typeText(s, t)).join(' | ');
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.type === 'array') return t('api.docs.arrayOf', { type: typeText(schema.items, t) });
  if (schema.patternProperties) return t('api.docs.perLocale', { type: typeText(Object.values(schema.patternProperties)[0], t) });
  const base = Array.isArray(schema.type) ? schema.type.join(' | ') : (schema.type ?? 'object');
  return schema.format ? `${base} (${schema.format})` : base;
}

function limitsText(schema: SchemaJson | undefined): string {
  if (!schema) return '';
  const parts: string[] = [];
  if (schema.minimum !== undefined) parts.push(`≥ ${schema.minimum}`);
  if (schema.maximum !== undefined) parts.push(`≤ ${schema.maximum}`);
  if (schema.maxLength !== undefined) parts.push(`≤ ${schema.maxLength} chars`);
  if (schema.default !== undefined) parts.push(`default ${JSON.stringify(schema.default)}`);
  return parts.join(', ');
}

function Fields({ schema, ctx }: { schema: SchemaJson; ctx: PageContext }): SafeHtml {
  const required = new Set(schema.required ?? []);
  return (
    <table class="api-fields">
      <thead>
        <tr>
          <th scope="col">{ctx.t('api.docs.field')}</th>
          <th scope="col">{ctx.t('api.docs.type')}</th>
          <th scope="col">{ctx.t('api.docs.required')}</th>
          <th scope="col">{ctx.t('api.docs.description')}</th>
        </tr>
      </thead>
      <tbody>
        {Object.entries(schema.properties ?? {}).map(([name, field]) => (
          <tr>
            <td>
              <code>{name}</code>
            </td>
            <td>{typeText(field, ctx.t)}</td>
            <td>{required.has(name) ? ctx.t('api.docs.yes') : ctx.t('api.docs.no')}</td>
            <td>{[field.description ?? '', limitsText(field)].filter(Boolean).join(' — ')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Operation({ method, path, operation, ctx }: { method: string; path: string; operation: Json; ctx: PageContext }): SafeHtml {
  const parameters = (operation.parameters ?? []) as Array<{ name: string; in: string; required: boolean; description?: string; schema: SchemaJson }>;
  const bodyContent = (operation.requestBody as { content: Record<string, { schema: SchemaJson }> } | undefined)?.content;
  const body = bodyContent?.['application/json']?.schema ?? bodyContent?.['multipart/form-data']?.schema;
  const responses = Object.entries(operation.responses as Record<string, { $ref?: string; description?: string; content?: Record<string, { schema: SchemaJson }> }>);
  const tokenRequired = (operation.security as Array<Record<string, unknown>>).every((s) => 'bearer' in s);
  const id = String(operation.operationId);
  return (
    <section class="api-operation" aria-labelledby={id}>
      <h3 id={id}>
        <code>
          {method.toUpperCase()} {path}
        </code>
      </h3>
      {operation.summary ? <p>{String(operation.summary)}</p> : null}
      {operation.description ? <p>{String(operation.description)}</p> : null}
      <p>{tokenRequired ? ctx.t('api.docs.tokenRequired') : ctx.t('api.docs.tokenOptional')}</p>
      {parameters.length > 0 ? (
        <table class="api-fields">
          <caption>{ctx.t('api.docs.parameters')}</caption>
          <thead>
            <tr>
              <th scope="col">{ctx.t('api.docs.field')}</th>
              <th scope="col">{ctx.t('api.docs.in')}</th>
              <th scope="col">{ctx.t('api.docs.type')}</th>
              <th scope="col">{ctx.t('api.docs.required')}</th>
              <th scope="col">{ctx.t('api.docs.description')}</th>
            </tr>
          </thead>
          <tbody>
            {parameters.map((p) => (
              <tr>
                <td>
                  <code>{p.name}</code>
                </td>
                <td>{p.in}</td>
                <td>{typeText(p.schema, ctx.t)}</td>
                <td>{p.required ? ctx.t('api.docs.yes') : ctx.t('api.docs.no')}</td>
                <td>{[p.description ?? '', limitsText(p.schema)].filter(Boolean).join(' — ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {body ? (
        <>
          <h4>{ctx.t('api.docs.body')}</h4>
          {body.properties ? <Fields schema={body} ctx={ctx} /> : <p>{typeText(body, ctx.t)}</p>}
        </>
      ) : null}
      <h4>{ctx.t('api.docs.responses')}</h4>
      <ul>
        {responses.map(([status, response]) => {
          const schema = response.content?.['application/json']?.schema ?? response.content?.['application/problem+json']?.schema;
          return (
            <li>
              <code>{status}</code> {schema ? typeText(schema, ctx.t) : response.$ref ? ctx.t('api.docs.problem') : ''}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

export function ApiDocsPage({ ctx, document }: { ctx: PageContext; document: Json }): SafeHtml {
  const paths = document.paths as Record<string, Record<string, Json>>;
  const schemas = (document.components as { schemas: Record<string, SchemaJson> }).schemas;
  const byTag = new Map<string, Array<{ method: string; path: string; operation: Json }>>();
  for (const [path, methods] of Object.entries(paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      const tag = ((operation.tags as string[] | undefined) ?? ['other'])[0]!;
      byTag.set(tag, [...(byTag.get(tag) ?? []), { method, path, operation }]);
    }
  }
  return (
    <Layout ctx={ctx} title={`${ctx.t('api.docs.title')} | ${ctx.siteTitle}`}>
      <h1>{ctx.t('api.docs.title')}</h1>
      <p>{ctx.t('api.docs.intro')}</p>
      <p>{ctx.t('api.docs.tokens')}</p>
      <p>{ctx.t('api.docs.errors')}</p>
      <p>
        <a href="/api/v1/openapi.json">{ctx.t('api.docs.document')}</a>
      </p>
      <nav aria-labelledby="api-contents">
        <h2 id="api-contents">{ctx.t('api.docs.contents')}</h2>
        <ul>
          {[...byTag].map(([tag, operations]) => (
            <li>
              <a href={`#tag-${tag}`}>{tag}</a>
              <ul>
                {operations.map((o) => (
                  <li>
                    <a href={`#${String(o.operation.operationId)}`}>
                      <code>
                        {o.method.toUpperCase()} {o.path}
                      </code>
                    </a>
                  </li>
                ))}
              </ul>
            </li>
          ))}
          <li>
            <a href="#schemas">{ctx.t('api.docs.schemas')}</a>
          </li>
        </ul>
      </nav>
      {[...byTag].map(([tag, operations]) => (
        <section aria-labelledby={`tag-${tag}`}>
          <h2 id={`tag-${tag}`}>{tag}</h2>
          {operations.map((o) => (
            <Operation method={o.method} path={o.path} operation={o.operation} ctx={ctx} />
          ))}
        </section>
      ))}
      <section aria-labelledby="schemas">
        <h2 id="schemas">{ctx.t('api.docs.schemas')}</h2>
        {Object.entries(schemas).map(([name, schema]) => (
          <section aria-labelledby={`schema-${name}`}>
            <h3 id={`schema-${name}`}>{name}</h3>
            {schema.description ? <p>{schema.description}</p> : null}
            <Fields schema={schema} ctx={ctx} />
          </section>
        ))}
      </section>
    </Layout>
  );
}

export async function apiDocsPage(deps: ApiDeps, request: FastifyRequest, reply: FastifyReply, document: Json): Promise<FastifyReply> {
  const ctx = contextForRequest(request, reply, await loadSite(deps.db));
  return reply.header('cache-control', 'public, max-age=300').type('text/html; charset=utf-8').send(String(ApiDocsPage({ ctx, document })));
}
