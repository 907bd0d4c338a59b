import type { FastifyRequest } from 'fastify';

/**
 * Reading submitted forms (application/x-www-form-urlencoded, or multipart fields). Values are
 * trimmed strings; a field sent twice keeps its first value unless read with `formList`.
 */
export type FormBody = Record<string, unknown>;

export function formBody(request: FastifyRequest): FormBody {
  const body = request.body;
  return body && typeof body === 'object' ? (body as FormBody) : {};
}

function valueOf(raw: unknown): string | undefined {
  if (typeof raw === 'string') return raw;
  if (Array.isArray(raw)) return valueOf(raw[0]);
  // multipart field parts carry { value }
  if (raw && typeof raw === 'object' && 'value' in raw && typeof (raw as { value: unknown }).value === 'string') return (raw as { value: string }).value;
  return undefined;
}

/** Half of a surrogate pair without its other half: no character, and PostgreSQL refuses it in JSON. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * A text field, trimmed; '' when absent. Control characters other than newlines and tabs are removed,
 * and a lone surrogate (a JSON body can carry one, `"\ud800"`) becomes U+FFFD, as a form's bytes would.
 */
export function formText(body: FormBody, name: string, maxLength = 10_000): string {
  const value = valueOf(body[name]) ?? '';
  return value
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '')
    .replace(LONE_SURROGATE, '\uFFFD')
    .trim()
    .slice(0, maxLength)
    .replace(LONE_SURROGATE, '\uFFFD');
}

/** True when a secret kept as typed holds what no one types and PostgreSQL cannot store: a control character or half a surrogate pair. */
export function hasControlCharacters(text: string): boolean {
  return /[\u0000-\u001F\u007F]/.test(text) || new RegExp(LONE_SURROGATE.source).test(text);
}

/** A password or token: exactly as typed, not trimmed. */
export function formSecret(body: FormBody, name: string): string {
  return (valueOf(body[name]) ?? '').slice(0, 1024);
}

export function formChecked(body: FormBody, name: string): boolean {
  const value = valueOf(body[name]);
  return value !== undefined && value !== '' && value !== 'off';
}

export function formList(body: FormBody, name: string): string[] {
  const raw = body[name];
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return list.map(valueOf).filter((v): v is string => v !== undefined);
}

/** Localized text from fields `name.pl`, `name.en`, …; empty locales are left out. */
export function formLocalized(body: FormBody, name: string, locales: readonly string[], maxLength = 100_000): Record<string, string> {
  const out: Record<string, string> = {};
  for (const locale of locales) {
    const value = formText(body, `${name}.${locale}`, maxLength);
    if (value !== '') out[locale] = value;
  }
  return out;
}

/** A local path to return to after a form (`?source=`); anything else (other sites, `//host`) is ignored. */
export function safeReturnPath(value: string | undefined, fallback: string): string {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\') || /[\u0000-\u001F]/.test(value)) return fallback;
  return value;
}
