import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { createUserWithRole } from '../../src/accounts/index.ts';
import { createApiToken } from '../../src/api/index.ts';
import type { RoleName } from '../../src/db/index.ts';
import { startTestApp, type TestApp } from './app.ts';
import type { TestDatabase } from './databases.ts';
import { contractChecker } from './openapi.ts';

export interface ApiCall {
  token?: string;
  body?: unknown;
  query?: string;
  headers?: Record<string, string>;
}

export interface ApiTestApp extends TestApp {
  document: Record<string, unknown>;
  /** Operations answered so far, as `METHOD /template STATUS`. */
  checked: Set<string>;
  /** A token of a new person holding `role` (in journal `journalId` for a journal role), limited as given. */
  tokenFor(role: RoleName, options?: { journalId?: number; tokenRoles?: RoleName[]; tokenJournalId?: number | null }): Promise<string>;
  /**
   * Calls the API at `template` (an OpenAPI path, e.g. `/{journal}/api/v1/issues/{issueId}`) with the
   * parameters filled in, and checks the answer against the document: status, content type, body.
   */
  call<T = unknown>(method: string, template: string, params: Record<string, string | number>, options?: ApiCall): Promise<LightMyRequestResponse & { data: T }>;
}

let people = 0;

/** The real app on a fresh database, with its OpenAPI document read once and every answer checked against it. */
export async function startApiTestApp(database: TestDatabase, options: Parameters<typeof startTestApp>[1] = {}): Promise<ApiTestApp> {
  const t = await startTestApp(database, options);
  const answer = await t.app.inject({ url: '/api/v1/openapi.json' });
  assert.equal(answer.statusCode, 200);
  const document = JSON.parse(answer.body) as Record<string, unknown>;
  const check = contractChecker(document);
  return {
    ...t,
    document,
    checked: check.checked,
    async tokenFor(role, { journalId = 1, tokenRoles, tokenJournalId = null } = {}) {
      people += 1;
      const { userId } = await createUserWithRole(t.database.db, { email: `api-${role}-${people}@example.org`, password: 'a long enough password', role, journalId: role === 'admin' ? null : journalId, now: new Date() });
      const { token } = await createApiToken(t.database.db, { userId, name: `${role} script`, roles: tokenRoles ?? [role], journalId: tokenJournalId }, new Date());
      return token;
    },
    async call(method, template, params, { token, body, query, headers = {} } = {}) {
      const url = template.replace(/\{([^}]+)\}/g, (_all, name: string) => {
        assert.ok(name in params, `no value for {${name}}`);
        return encodeURIComponent(String(params[name]));
      });
      const response = await t.app.inject({
        method: method as 'GET',
        url: query ? `${url}?${query}` : url,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
      });
      check(method, template, response);
      // Checked against the document just above, so the caller may name its type.
      return Object.assign(response, { data: JSON.parse(response.body) as never });
    },
  };
}

/** Asserts a problem+json answer of `status`; returns the problem. */
export function assertProblem(response: LightMyRequestResponse, status: number): Record<string, unknown> {
  assert.equal(response.statusCode, status, response.body);
  assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
  const problem = JSON.parse(response.body) as Record<string, unknown>;
  assert.equal(problem.status, status);
  assert.equal(typeof problem.title, 'string');
  return problem;
}

/** The operations of the document with `tag`, as `METHOD /template`. */
export function operationsTagged(document: Record<string, unknown>, tag: string): string[] {
  const paths = document.paths as Record<string, Record<string, { tags?: string[] }>>;
  return Object.entries(paths).flatMap(([path, methods]) => Object.entries(methods).filter(([, op]) => op.tags?.includes(tag)).map(([method]) => `${method.toUpperCase()} ${path}`));
}

/** Asserts every operation with `tag` has been answered (with some status) in this test file. */
export function assertAllExercised(app: ApiTestApp, tag: string): void {
  const answered = new Set([...app.checked].map((entry) => entry.split(' ').slice(0, 2).join(' ')));
  const missing = operationsTagged(app.document, tag).filter((op) => !answered.has(op));
  assert.deepEqual(missing, [], `operations never called: ${missing.join(', ')}`);
}
