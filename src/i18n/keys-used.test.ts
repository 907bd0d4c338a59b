import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { catalogs, UI_LOCALES } from './index.ts';
import type { DepositStatus, MailStatus, PublicationStatus, RoleName } from '../db/schema.ts';
import type { JournalPathProblem } from '../platform/identifiers/index.ts';
import { JOURNAL_ROLES } from '../accounts/policy.ts';
import { MAIL_TEMPLATE_KEYS } from '../mail/index.ts';
import { BUILTIN_NAVIGATION_TARGETS } from '../platform/web/index.ts';
import { ISSUE_CODES } from '../references/checks.ts';
import { LOSSES } from '../interop/ojs/versions.ts';
import type { Change } from '../interop/ojs/store-report.ts';
import type { ArticleStanding } from '../catalog/index.ts';
import { NOTICE_KINDS } from '../catalog/index.ts';
import type { InvitationLink } from '../accounts/invitations.ts';

/**
 * The type checker proves `t('literal')`, but not a key cast (`'…' as MessageKey`) or built from a
 * template (`` t(`role.${r}`) ``). This test reads the source for both and checks every key they can
 * make is in every catalog, so a typo or a new value shows here instead of as a blank on a page.
 */
const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The values of a union type, checked complete by the compiler. */
const valuesOf = <T extends string>(record: Record<T, true>): T[] => Object.keys(record) as T[];

/**
 * Every template family in the code, written with `*` for each interpolation, and the values each
 * `*` takes. A new family fails the test until it is listed here.
 */
const FAMILIES: Record<string, readonly (readonly string[])[]> = {
  'role.*': [valuesOf<RoleName>({ admin: true, ...Object.fromEntries(JOURNAL_ROLES.map((r) => [r, true])) } as Record<RoleName, true>)],
  'language.*': [UI_LOCALES],
  'mail.template.*': [MAIL_TEMPLATE_KEYS],
  'mail.status.*': [valuesOf<MailStatus>({ stored: true, sent: true, failed: true })],
  'doi.state.*': [['none', ...valuesOf<DepositStatus>({ queued: true, submitted: true, registered: true, failed: true })]],
  'doi.notice.*': [['saved', 'assigned', 'deposited', 'checked']],
  'jobs.notice.*': [['queued', 'already-queued', 'not-failed']],
  'publication.status.*': [valuesOf<PublicationStatus>({ queued: true, scheduled: true, published: true })],
  'admin.path.*': [valuesOf<JournalPathProblem>({ empty: true, format: true, reserved: true, 'too-long': true })],
  'accept.*': [valuesOf<Exclude<InvitationLink['state'], 'open'>>({ accepted: true, revoked: true, expired: true, unknown: true })],
  'manage.notice.*': [['published', 'unpublished', 'current']],
  'articles.notice.*': [['changed', 'unpublished', 'published']],
  'articles.standing.*': [valuesOf<ArticleStanding>({ published: true, scheduled: true, unpublished: true })],
  'manage.builtin.*': [BUILTIN_NAVIGATION_TARGETS],
  'manage.image.*': [['logo', 'favicon', 'homepageImage']],
  'references.issue.*': [ISSUE_CODES],
  'ojs.lost.*': [LOSSES],
  'ojs.change.*': [valuesOf<Change>({ new: true, changed: true, unchanged: true })],
  'notices.kind.*': [NOTICE_KINDS],
  'notices.banner.*': [NOTICE_KINDS],
  'notices.bannerText.*': [NOTICE_KINDS],
  'notices.updates.*': [NOTICE_KINDS],
  'ojs.unitChange.*': [valuesOf<Change>({ new: true, changed: true, unchanged: true })],
  // countText in discovery/search: a base and the plural form Intl.PluralRules gives for Polish or English.
  '*.*': [
    ['search.count', 'search.about', 'search.articles'],
    ['one', 'few', 'many', 'other'],
  ],
};

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'messages' || entry.name === 'training' ? [] : sourceFiles(full);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

interface Use {
  key: string;
  where: string;
}

/** Literal keys and template families used in one file. */
export function keysUsed(source: string, file: string): { literals: Use[]; templates: Use[] } {
  const literals: Use[] = [];
  const templates: Use[] = [];
  const where = (index: number) => `${path.relative(SRC, file)}:${source.slice(0, index).split('\n').length}`;
  // t('key'), ctx.t("key"), translate(locale, 'key'), and keys cast by hand: 'key' as MessageKey / as 'key'.
  for (const m of source.matchAll(/\b(?:t|translate)\(\s*(?:[\w.]+\s*,\s*)?(['"])([^'"\n]+)\1/g)) literals.push({ key: m[2]!, where: where(m.index) });
  for (const m of source.matchAll(/(['"])([\w-]+(?:\.[\w-]+)+)\1\s+as\s+MessageKey\b/g)) literals.push({ key: m[2]!, where: where(m.index) });
  for (const m of source.matchAll(/`([^`]*\$\{[^`]*)`\s+as\s+(?:MessageKey\b|'[\w.-]+')/g)) templates.push({ key: family(m[1]!), where: where(m.index) });
  for (const m of source.matchAll(/\b(?:t|translate)\(\s*(?:[\w.]+\s*,\s*)?`([^`]*)`/g)) {
    if (m[1]!.includes('${')) templates.push({ key: family(m[1]!), where: where(m.index) });
    else literals.push({ key: m[1]!, where: where(m.index) });
  }
  const unique = (list: Use[]) => [...new Map(list.map((u) => [`${u.where} ${u.key}`, u])).values()];
  return { literals: unique(literals), templates: unique(templates) };
}

/** `role.${r.role}` → `role.*` (an interpolation may itself hold backquotes or braces: count them). */
function family(template: string): string {
  let out = '';
  for (let i = 0; i < template.length; i++) {
    if (template[i] === '$' && template[i + 1] === '{') {
      let depth = 1;
      i += 2;
      while (i < template.length && depth > 0) {
        if (template[i] === '{') depth++;
        else if (template[i] === '}') depth--;
        i++;
      }
      i--;
      out += '*';
    } else out += template[i];
  }
  return out;
}

function expand(pattern: string, values: readonly (readonly string[])[]): string[] {
  let keys = [''];
  const parts = pattern.split('*');
  parts.forEach((part, index) => {
    keys = keys.map((k) => k + part);
    if (index < parts.length - 1) keys = keys.flatMap((k) => values[index]!.map((v) => k + v));
  });
  return keys;
}

const files = sourceFiles(SRC);
const uses = files.map((file) => keysUsed(fs.readFileSync(file, 'utf8'), file));
const missingIn = (key: string) => UI_LOCALES.filter((locale) => !(key in catalogs[locale]));

describe('message keys used in code', () => {
  it('finds the keys it is meant to find (the scanner itself)', () => {
    const found = keysUsed("ctx.t('a.b'); translate(locale, `c.${x}` as MessageKey); t(`role.${r.role as 'x'}`); 'd.e' as MessageKey; ctx.t(`f.g`)", 'x.ts');
    assert.deepEqual(found.literals.map((u) => u.key).sort(), ['a.b', 'd.e', 'f.g']);
    assert.deepEqual(found.templates.map((u) => u.key).sort(), ['c.*', 'role.*']);
    assert.deepEqual(expand('*.*', FAMILIES['*.*']!).length, 12);
  });

  it('are all in every catalog: literal keys', () => {
    const literals = uses.flatMap((u) => u.literals);
    assert.ok(literals.length > 500, `only ${literals.length} keys found: is the scanner broken?`);
    const missing = literals.filter((u) => missingIn(u.key).length > 0).map((u) => `${u.where}: ${u.key} (missing in ${missingIn(u.key).join(', ')})`);
    assert.deepEqual(missing, []);
  });

  it('are all in every catalog: every key a template family can make', () => {
    const templates = uses.flatMap((u) => u.templates);
    const unknown = templates.filter((u) => !(u.key in FAMILIES)).map((u) => `${u.where}: ${u.key} (list its values in FAMILIES in src/i18n/keys-used.test.ts)`);
    assert.deepEqual(unknown, []);
    const missing = [...new Set(templates.map((u) => u.key))].flatMap((pattern) => expand(pattern, FAMILIES[pattern]!).filter((key) => missingIn(key).length > 0).map((key) => `${pattern}: ${key} (missing in ${missingIn(key).join(', ')})`));
    assert.deepEqual(missing, []);
  });

  it('lists no family the code no longer uses', () => {
    const used = new Set(uses.flatMap((u) => u.templates.map((t) => t.key)));
    assert.deepEqual(Object.keys(FAMILIES).filter((pattern) => !used.has(pattern)), []);
  });
});
