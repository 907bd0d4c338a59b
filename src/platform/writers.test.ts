import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

/**
 * One writer per table (issue 18): each table belongs to one capability, and only that capability's
 * files write it — through its named commands, which routes, the CLI, the importer and the API call.
 * This test reads every source file (tests excluded) and fails, naming file and table, when a file
 * outside the owner writes the table: Kysely's insertInto/updateTable/deleteFrom/replaceInto/
 * mergeInto, or INSERT INTO / UPDATE / DELETE FROM in a raw `sql` template.
 *
 * A new table must be added here (the test fails until it is): say which folder owns it.
 */

const SRC = path.resolve(import.meta.dirname, '..');

/** Owners are folders under src/. */
const CATALOG = 'catalog/';
const ACCOUNTS = 'accounts/';
const ADMIN = 'admin/';
const MAIL = 'mail/';
const STATS = 'stats/';
const DISCOVERY = 'discovery/';
const EXPORTS = 'exports/';
const OJS = 'interop/ojs/';
const WORKFLOW = 'workflow/';

interface Ownership {
  owner: string;
  /**
   * Files outside the owner allowed to write the table, each with the reason. Kept short: every
   * entry is a place where two capabilities share a table, to be removed when events land.
   */
  shared?: Record<string, string>;
}

export const TABLE_OWNERS: Record<string, Ownership> = {
  // What every capability stands on: the job queue and the domain events' outbox.
  jobs: { owner: 'platform/jobs/' },
  domain_events: { owner: 'platform/events/' },
  // Personal API tokens: the API's own table.
  api_tokens: { owner: 'api/' },
  // The editorial workflow: submission settings, submissions and what happens to them (src/workflow/**/commands).
  submission_settings: { owner: WORKFLOW },
  section_submission_settings: { owner: WORKFLOW },
  submissions: { owner: WORKFLOW },
  // The dashboard's search text of each submission: written only by its triggers (migration 0032).
  submission_search: { owner: WORKFLOW },
  submission_participants: { owner: WORKFLOW },
  submission_files: { owner: WORKFLOW },
  submission_file_revisions: { owner: WORKFLOW },
  submission_activity: { owner: WORKFLOW },
  discussions: { owner: WORKFLOW },
  discussion_participants: { owner: WORKFLOW },
  discussion_messages: { owner: WORKFLOW },
  discussion_message_files: { owner: WORKFLOW },
  // Peer review (issue 20): settings, forms, rounds, requests and reviews, decisions, anonymised copies.
  review_settings: { owner: WORKFLOW },
  review_forms: { owner: WORKFLOW },
  review_form_elements: { owner: WORKFLOW },
  review_rounds: { owner: WORKFLOW },
  review_assignments: { owner: WORKFLOW },
  review_responses: { owner: WORKFLOW },
  review_attachments: { owner: WORKFLOW },
  editorial_decisions: { owner: WORKFLOW },
  anonymized_files: { owner: WORKFLOW },
  // Production (issue 21): proofs and how a publication waits to be published.
  proof_requests: { owner: WORKFLOW },
  publication_schedules: { owner: WORKFLOW },
  // A person's reviewing interests, kept on their profile.
  reviewer_interests: { owner: 'accounts/' },
  // Notifications and each person's choices of them.
  notifications: { owner: 'notifications/' },
  notification_preferences: { owner: 'notifications/' },
  // The catalog: journals and everything published in them (src/catalog/commands/*).
  journals: { owner: CATALOG },
  sections: { owner: CATALOG },
  issues: { owner: CATALOG },
  issue_section_order: { owner: CATALOG },
  issue_galleys: { owner: CATALOG },
  articles: { owner: CATALOG },
  article_unpublications: { owner: CATALOG },
  // An HTML galley's images and styles; corrections and retractions naming the article they update (issue 21).
  galley_assets: { owner: CATALOG },
  article_notices: { owner: CATALOG },
  publications: { owner: CATALOG },
  contributors: { owner: CATALOG },
  citations: {
    owner: CATALOG,
    shared: {
      // references imports nothing of the catalog (the catalog imports it), so it cannot call a catalog command.
      'references/store.ts': 'the reference parser stores its parse of each raw reference (the parsed columns, never the raw text)',
    },
  },
  galleys: {
    owner: CATALOG,
    shared: { 'storage/retype.ts': 'after correcting a file’s type it touches the file’s galleys, so OAI datestamps, search and page caches (triggers) notice' },
  },
  files: {
    owner: CATALOG,
    shared: { 'storage/retype.ts': 'records the type read from the stored bytes (mime_type, type_checked_at): the file store’s own knowledge' },
  },

  // Administration's own tables: the site record and a journal's pages, menu, announcements (src/admin/commands/*).
  site: { owner: ADMIN },
  journal_pages: { owner: ADMIN },
  navigation_items: { owner: ADMIN },
  announcements: { owner: ADMIN },

  // Accounts: people, their roles, sessions and tokens.
  users: { owner: ACCOUNTS },
  role_assignments: { owner: ACCOUNTS },
  section_editor_sections: { owner: ACCOUNTS },
  sessions: { owner: ACCOUNTS },
  account_tokens: { owner: ACCOUNTS },
  invitations: { owner: ACCOUNTS },
  throttle: { owner: ACCOUNTS },
  secrets: { owner: ACCOUNTS },

  mail_outbox: { owner: MAIL },
  mail_templates: { owner: MAIL },

  usage_events: { owner: STATS },
  usage_salts: { owner: STATS },
  usage_item_months: { owner: STATS },
  sushi_keys: { owner: STATS },

  oai_records: { owner: DISCOVERY },
  search_documents: { owner: DISCOVERY },
  search_queue: { owner: DISCOVERY },
  search_terms: { owner: DISCOVERY },
  search_postings: { owner: DISCOVERY },
  search_stats: { owner: DISCOVERY },
  search_file_texts: {
    owner: DISCOVERY,
    shared: { 'storage/retype.ts': 'a file whose type changed has its extracted text read again' },
  },

  crossref_deposits: { owner: EXPORTS },

  ojs_ids: {
    owner: OJS,
    shared: { 'catalog/lifecycle.ts': 'deleting an issue forgets the OJS id the import recorded for it (no foreign key names it)' },
  },
};

/** Folders whose writes are the schema's own: migrations create tables and backfill them. */
const EXEMPT = ['db/migrations/'];

/** The tables of `interface Database` in db/schema.ts. */
function schemaTables(): string[] {
  const schema = readFileSync(path.join(SRC, 'db/schema.ts'), 'utf8');
  const body = /export interface Database \{([\s\S]*?)\n\}/.exec(schema)?.[1];
  assert.ok(body, 'db/schema.ts has an interface Database');
  return [...body.matchAll(/^\s+([a-z_][a-z0-9_]*)\s*:/gm)].map((m) => m[1]!);
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...sourceFiles(full));
    else if (/\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) && !name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

/** The text of each `sql` template in a file (interpolations kept as text; nested templates included). */
export function sqlTemplates(source: string): string[] {
  const out: string[] = [];
  const opening = /\bsql(?:<[^`>]*(?:<[^`>]*>)?[^`>]*>)?`/g;
  for (let match = opening.exec(source); match; match = opening.exec(source)) {
    const start = match.index + match[0].length;
    const end = templateEnd(source, start);
    out.push(source.slice(start, end));
  }
  return out;
}

/** Where the template literal that starts at `i` (after its backtick) ends. */
function templateEnd(source: string, i: number): number {
  while (i < source.length) {
    const c = source[i]!;
    if (c === '\\') i += 2;
    else if (c === '`') return i;
    else if (c === '$' && source[i + 1] === '{') {
      let depth = 1;
      i += 2;
      while (i < source.length && depth > 0) {
        const d = source[i]!;
        if (d === '`') i = templateEnd(source, i + 1);
        else if (d === '{') depth++;
        else if (d === '}') depth--;
        i++;
      }
    } else i++;
  }
  return i;
}

export interface Write {
  table: string;
  how: string;
}

/** The tables a source file writes, with how; `table` is `?` when a builder names it by a variable. */
export function writesIn(source: string, tables: ReadonlySet<string>): Write[] {
  const writes: Write[] = [];
  for (const m of source.matchAll(/\.(insertInto|updateTable|deleteFrom|replaceInto|mergeInto)\(\s*([^)]*?)\s*[),]/g)) {
    const literal = /^['"]([a-z_][a-z0-9_]*)(?:\s+as\s+\w+)?['"]$/.exec(m[2]!);
    writes.push({ table: literal ? literal[1]! : '?', how: `${m[1]}(${m[2]})` });
  }
  for (const text of sqlTemplates(source)) {
    for (const m of text.matchAll(/\b(INSERT\s+INTO|UPDATE|DELETE\s+FROM|MERGE\s+INTO)\s+(?:ONLY\s+)?"?([a-z_][a-z0-9_]*)"?/gi)) {
      // `ON CONFLICT … DO UPDATE SET`, `FOR UPDATE`: keywords, not tables.
      if (tables.has(m[2]!)) writes.push({ table: m[2]!, how: `sql ${m[1]!.toUpperCase().replace(/\s+/g, ' ')} ${m[2]}` });
    }
  }
  return writes;
}

/**
 * Builders that name their table by a variable, and the tables that variable can hold (checked
 * against the owners like any other write).
 */
const VARIABLE_TABLES: Record<string, string[]> = {
  'catalog/article-parts.ts': ['contributors', 'galleys'],
};

describe('one writer per table', () => {
  const tables = schemaTables();

  it('knows the owner of every table in db/schema.ts, and no table that is not there', () => {
    const missing = tables.filter((t) => !(t in TABLE_OWNERS));
    assert.deepEqual(missing, [], `tables without an owner in src/platform/writers.test.ts TABLE_OWNERS: ${missing.join(', ')}`);
    const stale = Object.keys(TABLE_OWNERS).filter((t) => !tables.includes(t));
    assert.deepEqual(stale, [], `TABLE_OWNERS names tables db/schema.ts does not have: ${stale.join(', ')}`);
  });

  it('finds writes the way the code makes them', () => {
    const known = new Set(['articles', 'citations', 'throttle']);
    const found = writesIn(
      [
        "await db.insertInto('articles').values(row).execute();",
        'await trx.updateTable("articles as a").set({}).execute();',
        'await db.deleteFrom(table).execute();',
        'await sql`UPDATE citations c SET parsed = ${sql`x`} FROM (VALUES ${rows}) AS v WHERE c.id = v.id`.execute(db);',
        'await sql`INSERT INTO throttle (key) VALUES (${key}) ON CONFLICT (key) DO UPDATE SET hits = 1`.execute(db);',
        "await db.selectFrom('articles').forUpdate().execute();",
      ].join('\n'),
      known,
    );
    assert.deepEqual(
      found.map((w) => w.table),
      ['articles', 'articles', '?', 'citations', 'throttle'],
    );
  });

  it('has every table written only by its owner (routes, CLI and importer go through commands)', () => {
    const known = new Set(tables);
    const problems: string[] = [];
    for (const file of sourceFiles(SRC)) {
      const relative = path.relative(SRC, file).split(path.sep).join('/');
      if (EXEMPT.some((folder) => relative.startsWith(folder))) continue;
      for (const write of writesIn(readFileSync(file, 'utf8'), known)) {
        const named = write.table === '?' ? VARIABLE_TABLES[relative] : [write.table];
        if (!named) {
          problems.push(`${relative}: ${write.how} names its table by a variable; add the tables it can be to VARIABLE_TABLES`);
          continue;
        }
        for (const table of named) {
          const ownership = TABLE_OWNERS[table];
          if (!ownership) continue; // reported by the first test
          if (relative.startsWith(ownership.owner) || ownership.shared?.[relative] !== undefined) continue;
          problems.push(`${relative} writes ${table} (${write.how}), which belongs to src/${ownership.owner}: call one of its commands`);
        }
      }
    }
    assert.deepEqual(problems, [], `\n${problems.join('\n')}`);
  });

  it('keeps the shared writers few, and each with its reason', () => {
    for (const [table, { shared }] of Object.entries(TABLE_OWNERS)) {
      for (const [file, why] of Object.entries(shared ?? {})) assert.ok(why.length > 20, `${table}: ${file} is allowed to write it without a reason`);
    }
  });
});
