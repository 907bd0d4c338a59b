import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Kysely } from 'kysely';
import { createUserWithRole } from '../../src/accounts/index.ts';
import type { Database, RoleName } from '../../src/db/index.ts';

/**
 * A visitor of the real app through `inject`: keeps cookies like a browser, and fills in the CSRF
 * token of the last page with a form, so tests post forms as people do.
 */
export class Session {
  readonly cookies = new Map<string, string>();
  csrf = '';

  constructor(
    readonly app: FastifyInstance,
    readonly headers: Record<string, string> = {},
  ) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private remember(response: LightMyRequestResponse): LightMyRequestResponse {
    for (const cookie of response.cookies as Array<{ name: string; value: string; maxAge?: number; expires?: Date }>) {
      const expired = cookie.maxAge === 0 || (cookie.expires !== undefined && cookie.expires.getTime() < Date.now()) || cookie.value === '';
      if (expired) this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
    const token = /name="_csrf" value="([^"]+)"/.exec(response.body);
    if (token) this.csrf = token[1]!;
    return response;
  }

  async get(url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    return this.remember(await this.app.inject({ method: 'GET', url, headers: { ...this.headers, cookie: this.cookieHeader(), ...headers } }));
  }

  /** Posts a form; `_csrf` is the token of the last page seen unless the fields give their own. */
  async post(url: string, fields: Record<string, string | string[]> = {}, options: { csrf?: boolean } = {}): Promise<LightMyRequestResponse> {
    const body = new URLSearchParams();
    if (options.csrf !== false && !('_csrf' in fields)) body.append('_csrf', this.csrf);
    for (const [name, value] of Object.entries(fields)) for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
    return this.remember(
      await this.app.inject({
        method: 'POST',
        url,
        headers: { ...this.headers, cookie: this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
        payload: body.toString(),
      }),
    );
  }

  /** Posts multipart/form-data (file uploads). */
  async postMultipart(url: string, fields: Record<string, string>, files: Record<string, { name: string; type: string; content: Buffer }> = {}): Promise<LightMyRequestResponse> {
    const boundary = `----revista${Math.random().toString(16).slice(2)}`;
    const parts: Buffer[] = [];
    const all = { _csrf: this.csrf, ...fields };
    for (const [name, value] of Object.entries(all)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
    for (const [name, file] of Object.entries(files)) {
      parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`), file.content, Buffer.from('\r\n'));
    }
    parts.push(Buffer.from(`--${boundary}--\r\n`));
    return this.remember(
      await this.app.inject({
        method: 'POST',
        url,
        headers: { ...this.headers, cookie: this.cookieHeader(), 'content-type': `multipart/form-data; boundary=${boundary}` },
        payload: Buffer.concat(parts),
      }),
    );
  }

  /** Signs in through the form; throws when the site does not let the person in. */
  async signIn(email: string, password: string, journal?: string): Promise<void> {
    const prefix = journal ? `/${journal}` : '';
    await this.get(`${prefix}/login`);
    const response = await this.post(`${prefix}/login/signIn`, { email, password });
    if (response.statusCode !== 303) throw new Error(`sign-in of ${email} failed with ${response.statusCode}`);
  }
}

/** A clock the test moves by hand. */
export function manualClock(start = new Date('2026-01-15T10:00:00Z')) {
  let now = start.getTime();
  return {
    now: () => new Date(now),
    advance(ms: number) {
      now += ms;
    },
  };
}

/**
 * A person created with one role (in journal `journalId` for a journal role) and signed in through the
 * form, reading pages in English: the usual start of a test that acts as someone.
 */
export async function signedInAs(app: FastifyInstance, db: Kysely<Database>, person: { email: string; role: RoleName; journalId?: number; password?: string }): Promise<Session> {
  const password = person.password ?? 'a long enough password';
  await createUserWithRole(db, { email: person.email, password, role: person.role, ...(person.journalId !== undefined ? { journalId: person.journalId } : {}), now: new Date() });
  const session = new Session(app, { 'accept-language': 'en' });
  await session.signIn(person.email, password);
  return session;
}
