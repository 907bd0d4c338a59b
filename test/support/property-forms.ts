import fc from 'fast-check';
import { Parser as HtmlParser } from 'htmlparser2';
import { createUserWithRole } from '../../src/accounts/index.ts';
import { ask, type Answer } from './answers.ts';
import type { TestApp } from './app.ts';
import { fieldName, hostileText, percentEncode, queryOf } from './properties.ts';
import { Session } from './session.ts';

/**
 * Forms for the property tests: signed-in people of each role, the forms a page shows (read from its
 * HTML, so new forms are covered as they appear), filled in with hostile values and posted with a valid
 * form token; and the content they aim at.
 */

export type Role = 'admin' | 'manager' | 'editor' | 'author' | 'reader';

/** A signed-in person of each role (per journal `journalId` for journal roles), through the real sign-in form. */
export async function signedInSessions(t: TestApp, roles: readonly Role[], journalId = 1, prefix = 'fuzz'): Promise<Record<Role, Session>> {
  const sessions = {} as Record<Role, Session>;
  for (const role of roles) {
    const email = `${prefix}-${role}@example.org`;
    const password = `${role} password for properties`;
    await createUserWithRole(t.database.db, { email, password, role, ...(role === 'admin' ? {} : { journalId }), now: new Date() });
    const session = new Session(t.app, { 'accept-language': 'en' });
    await session.signIn(email, password);
    sessions[role] = session;
  }
  return sessions;
}

// ---------------------------------------------------------------------------------------------------
// Forms as pages show them

export interface FormField {
  name: string;
  /** input type, or select / textarea. */
  type: string;
  value: string;
  options: string[];
}

export interface PageForm {
  action: string;
  method: string;
  enctype: string;
  fields: FormField[];
}

/** The forms of an HTML page with their fields, as a browser would submit them. */
export function formsOf(html: string, pageUrl: string): PageForm[] {
  const forms: PageForm[] = [];
  let form: PageForm | undefined;
  let select: FormField | undefined;
  let textarea: FormField | undefined;
  const parser = new HtmlParser(
    {
      onopentag(name, attrs) {
        if (name === 'form') {
          form = { action: new URL(attrs.action ?? pageUrl, `http://localhost${pageUrl}`).pathname, method: (attrs.method ?? 'get').toLowerCase(), enctype: attrs.enctype ?? 'application/x-www-form-urlencoded', fields: [] };
          forms.push(form);
        }
        if (name === 'option' && select) {
          select.options.push(attrs.value ?? '');
          if (attrs.selected !== undefined || select.options.length === 1) select.value = attrs.value ?? '';
        }
        if (!form || attrs.name === undefined) return;
        if (name === 'input') form.fields.push({ name: attrs.name, type: (attrs.type ?? 'text').toLowerCase(), value: attrs.value ?? (attrs.type === 'checkbox' ? 'on' : ''), options: [] });
        if (name === 'select') form.fields.push((select = { name: attrs.name, type: 'select', value: '', options: [] }));
        if (name === 'textarea') form.fields.push((textarea = { name: attrs.name, type: 'textarea', value: '', options: [] }));
        if (name === 'button' && attrs.value !== undefined) form.fields.push({ name: attrs.name, type: 'button', value: attrs.value, options: [] });
      },
      ontext(text) {
        if (textarea) textarea.value += text;
      },
      onclosetag(name) {
        if (name === 'form') form = undefined;
        if (name === 'select') select = undefined;
        if (name === 'textarea') textarea = undefined;
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  return forms;
}

// ---------------------------------------------------------------------------------------------------
// Content to aim at

/** A PDF galley on the current version of `articleId`, stored in the app's file store; returns its id. */
export async function addPdfGalley(t: TestApp, articleId: number): Promise<number> {
  const db = t.database.db;
  const stored = await t.files.put(Buffer.from(`%PDF-1.4\n% galley of ${articleId}\n%%EOF\n`));
  const file = await db.insertInto('files').values({ storage_key: stored.key, mime_type: 'application/pdf', size_bytes: stored.sizeBytes, sha256: stored.sha256, original_name: `article-${articleId}.pdf` }).returning('id').executeTakeFirstOrThrow();
  const article = await db.selectFrom('articles').select('current_publication_id').where('id', '=', articleId).executeTakeFirstOrThrow();
  const galley = await db.insertInto('galleys').values({ publication_id: article.current_publication_id!, label: 'PDF', locale: 'en', file_id: file.id }).returning('id').executeTakeFirstOrThrow();
  await t.changes.sync();
  return galley.id;
}

/** A reader's browser, so that downloads count (robots do not). */
export const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';

// ---------------------------------------------------------------------------------------------------
// Posting forms

export type FormEncoding = 'urlencoded' | 'json' | 'multipart';

/** Values a form field gets: its own, a hostile one, nothing, or several. `undefined` leaves the field out. */
export function fieldValues(field: FormField, plausible: fc.Arbitrary<string> = hostileText({ maxLength: 300 })): fc.Arbitrary<Array<string | undefined>> {
  const own = field.type === 'select' && field.options.length > 0 ? fc.constantFrom(...field.options) : fc.constant(field.value);
  const one = fc.oneof({ weight: 3, arbitrary: own }, { weight: 3, arbitrary: plausible }, { weight: 3, arbitrary: hostileText() });
  return fc.oneof({ weight: 8, arbitrary: one.map((v) => [v]) }, { weight: 1, arbitrary: fc.constant<Array<string | undefined>>([undefined]) }, { weight: 1, arbitrary: fc.array(one, { minLength: 2, maxLength: 3 }) });
}

/** A whole form filled in: each field per fieldValues, then a few fields no form has. */
export function filledForm(form: PageForm, plausible: (field: FormField) => fc.Arbitrary<string> = () => hostileText({ maxLength: 300 })): fc.Arbitrary<Array<[string, string]>> {
  const fields = form.fields.filter((f) => f.name !== '_csrf');
  return fc
    .tuple(fc.tuple(...fields.map((f) => fieldValues(f, plausible(f)))), fc.array(fc.tuple(fieldName(fields.map((f) => f.name).concat('x')).filter((name) => name !== '_csrf'), hostileText({ maxLength: 100 })), { maxLength: 2 }))
    .map(([values, extra]) => [...fields.flatMap((f, i) => values[i]!.filter((v): v is string => v !== undefined).map((v) => [f.name, v] as [string, string])), ...extra]);
}

/**
 * Posts `pairs` to `action` as `session`, with its valid form token: urlencoded (the token first), JSON
 * (the token in X-CSRF-Token; repeated names become arrays), or multipart (which only upload forms take).
 */
export function postForm(session: Session, action: string, pairs: ReadonlyArray<readonly [string, string]>, options: { encoding?: FormEncoding; remoteAddress?: string } = {}): Promise<Answer> {
  const encoding = options.encoding ?? 'urlencoded';
  const base = { method: 'POST' as const, url: action, ...(options.remoteAddress ? { remoteAddress: options.remoteAddress } : {}) };
  if (encoding === 'json') {
    const body: Record<string, string | string[]> = {};
    for (const [name, value] of pairs) {
      const had = body[name];
      body[name] = had === undefined ? value : Array.isArray(had) ? [...had, value] : [had, value];
    }
    return ask(session.app, { ...base, headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) }, { session, csrfHeader: true });
  }
  if (encoding === 'multipart') {
    const boundary = '----revista-properties';
    const parts = [['_csrf', session.csrf] as const, ...pairs].map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name.replace(/["\r\n]/g, '_')}"\r\n\r\n${value}\r\n`);
    return ask(session.app, { ...base, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, payload: `${parts.join('')}--${boundary}--\r\n` }, { session });
  }
  const payload = queryOf([['_csrf', percentEncode(session.csrf)], ...pairs.map(([name, value]) => [name, percentEncode(value)] as [string, string])]);
  return ask(session.app, { ...base, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload }, { session });
}

/**
 * A JSON body for a form: its field names (and odd ones) with values of any JSON shape, among them
 * objects whose toString or valueOf is not a function, which String() and template literals cannot
 * convert. Posted with the form token in X-CSRF-Token, such a body reaches the form's handler.
 */
export function jsonBody(form: PageForm): fc.Arbitrary<Record<string, unknown>> {
  const names = form.fields.map((f) => f.name).filter((name) => name !== '_csrf');
  const shapes = fc.oneof(fc.jsonValue(), fc.constantFrom<unknown>({ toString: '' }, { valueOf: 1, toString: 2 }, [{ toString: null }], { value: { toString: '' } }, { __proto__: 'x' }, []));
  return fc.dictionary(fieldName(names.length > 0 ? names : ['x']).filter((name) => name !== '_csrf'), shapes, { maxKeys: 6 });
}

/** Posts `body` as JSON to `action` as `session`, its form token in X-CSRF-Token. */
export function postJson(session: Session, action: string, body: unknown): Promise<Answer> {
  return ask(session.app, { method: 'POST', url: action, headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) }, { session, csrfHeader: true });
}
