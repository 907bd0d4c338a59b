import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import http from 'node:http';
import { HttpError, ServiceBusyError, TooManyRequestsError } from './errors.ts';
import { Type, type Static } from './schemas.ts';

/**
 * Errors of the JSON API as RFC 9457 problem details (`application/problem+json`). Pages keep their
 * HTML error pages; an address under `/api/…` or `/{journal}/api/…` gets a problem instead, whatever
 * went wrong: an unknown address, a refused token, a field that failed validation, a fault.
 */

export const PROBLEM_TYPE = 'application/problem+json';

/** One field that failed validation: where it is (JSON Pointer into the body, or a parameter's name) and what is wrong. */
export const FieldProblem = Type.Object({
  in: Type.Union([Type.Literal('body'), Type.Literal('query'), Type.Literal('path'), Type.Literal('header')]),
  pointer: Type.String({ description: 'JSON Pointer to the field in the request body, or `/name` of the parameter.' }),
  detail: Type.String(),
});

export const Problem = Type.Object(
  {
    type: Type.String({ description: 'A URI naming the kind of problem; `about:blank` when the status says it all.' }),
    title: Type.String(),
    status: Type.Integer({ minimum: 400, maximum: 599 }),
    detail: Type.Optional(Type.String()),
    instance: Type.Optional(Type.String({ description: 'The address that was asked for.' })),
    errors: Type.Optional(Type.Array(FieldProblem, { description: 'For 400: each field that failed validation.' })),
    requestId: Type.Optional(Type.String({ description: 'For 500: quote it when reporting the fault.' })),
  },
  { description: 'RFC 9457 problem details.' },
);
export type Problem = Static<typeof Problem>;
export type FieldProblem = Static<typeof FieldProblem>;

/** 401 on the API: no token, an unknown one, or a revoked one. The answer carries `WWW-Authenticate: Bearer`. */
export class TokenRequiredError extends HttpError {
  constructor(readonly reason: 'missing' | 'invalid') {
    super(401, reason === 'missing' ? 'this request needs an API token: Authorization: Bearer <token>' : 'the API token is unknown or revoked');
  }
}

/** 400 on the API with the fields at fault, for checks a schema cannot make (a section that is not the journal's). */
export class FieldsError extends HttpError {
  constructor(readonly errors: FieldProblem[]) {
    super(400, errors.map((e) => e.detail).join('; '));
  }
}

/** True for addresses of the JSON API (`/api/v1/…`, `/{journal}/api/v1/…`); `api` cannot be a journal's path. */
export function isApiPath(url: string): boolean {
  return /^\/(?:[a-z0-9][a-z0-9-]*\/)?api(?:\/|$|\?)/.test(url);
}

const VALIDATION_PLACES: Record<string, FieldProblem['in']> = { body: 'body', querystring: 'query', params: 'path', headers: 'header' };

/** Ajv's findings as fields: a missing property is named by its own pointer, not by its parent's. */
export function fieldProblems(error: FastifyError): FieldProblem[] {
  const place = VALIDATION_PLACES[error.validationContext ?? 'body'] ?? 'body';
  return (error.validation ?? []).map((finding) => {
    const missing = finding.keyword === 'required' && typeof finding.params.missingProperty === 'string' ? `/${finding.params.missingProperty}` : '';
    // An unknown field is named by its own pointer too, so a typo ("titel") is easy to find.
    if (finding.keyword === 'additionalProperties' && typeof finding.params.additionalProperty === 'string') {
      return { in: place, pointer: `${finding.instancePath}/${finding.params.additionalProperty}`, detail: 'is not a field of this request' };
    }
    return { in: place, pointer: `${finding.instancePath}${missing}` || '/', detail: finding.message ?? 'is not valid' };
  });
}

/** The problem an error stands for on the API (status, words and fields), and the headers that go with it. */
export function problemFor(error: FastifyError, request: FastifyRequest): Problem {
  const instance = request.url.split('?')[0]!;
  if (error.validation) {
    // A path parameter that does not fit names nothing: a missing resource, as on pages.
    if (error.validationContext === 'params') return problem(404, instance, 'no such resource');
    return { ...problem(400, instance, 'the request is not valid: see errors'), errors: fieldProblems(error) };
  }
  if (error instanceof FieldsError) return { ...problem(400, instance, 'the request is not valid: see errors'), errors: error.errors };
  const status = error instanceof HttpError ? error.statusCode : (error.statusCode ?? 500);
  if (status >= 500 && !(error instanceof HttpError)) return { ...problem(500, instance, 'the server failed to answer; the fault is logged'), requestId: request.id };
  return problem(status, instance, error.message);
}

export function problem(status: number, instance: string, detail?: string): Problem {
  return { type: 'about:blank', title: http.STATUS_CODES[status] ?? 'Error', status, ...(detail ? { detail } : {}), instance };
}

/** Sends `problem` with its status, the headers its error calls for (Retry-After, WWW-Authenticate), never cached. */
export function sendProblem(reply: FastifyReply, problem: Problem, error?: unknown): FastifyReply {
  if (error instanceof TooManyRequestsError || error instanceof ServiceBusyError) reply.header('retry-after', String(error.retryAfterSeconds));
  if (error instanceof TokenRequiredError) reply.header('www-authenticate', error.reason === 'missing' ? 'Bearer realm="revista"' : 'Bearer realm="revista", error="invalid_token"');
  return reply.code(problem.status).header('cache-control', 'no-store').type(PROBLEM_TYPE).send(JSON.stringify(problem));
}
