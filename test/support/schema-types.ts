import fs from 'node:fs';
import path from 'node:path';

/**
 * Reads the typed `Database` interface (src/db/schema.ts) as Kysely sees it: each column's selected
 * type and whether an insert may leave it out. TypeScript 7 (the compiler installed here) has no
 * stable compiler API in JavaScript yet, so this reads the file's own small vocabulary: interfaces
 * of columns, `Generated<…>`, `ColumnType<Select, Insert, Update>`, `| null`, and the file's type
 * aliases (generic ones substituted). What kind of value a column holds is reduced to a few families,
 * which is what a query can get wrong; literal unions (`'queued' | 'sent'`) count as strings.
 */
export type Family = 'number' | 'string' | 'boolean' | 'bigint' | 'Date' | 'array' | 'bytes' | 'object' | 'unknown';

export interface TypedColumn {
  families: Family[];
  nullable: boolean;
  /** Insertable<…> lets an insert leave it out (its insert type takes undefined or null, as Kysely decides). */
  insertOptional: boolean;
}

/** table → column → what schema.ts says. */
export type TypedSchema = Map<string, Map<string, TypedColumn>>;

type Part = Family | 'null' | 'undefined';
interface Evaluated {
  select: Set<Part>;
  insert: Set<Part>;
}
interface Alias {
  param: string | undefined;
  body: string;
}

/** Splits `text` at `separator` where no bracket, brace or parenthesis is open. */
function splitTop(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if ('<({['.includes(c)) depth++;
    else if ('>)}]'.includes(c) && text[i - 1] !== '=') depth--;
    else if (c === separator && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

/** `Name<args>` → ['Name', 'args'] when the whole text is one generic application. */
function generic(text: string): [string, string] | undefined {
  const match = /^(\w+)<([\s\S]*)>$/.exec(text);
  return match && splitTop(text, '|').length === 1 ? [match[1]!, match[2]!] : undefined;
}

function evaluate(text: string, aliases: ReadonlyMap<string, Alias>, depth = 0): Evaluated {
  if (depth > 20) throw new Error(`type too deep to read: ${text}`);
  const result: Evaluated = { select: new Set(), insert: new Set() };
  const add = (e: Evaluated) => {
    e.select.forEach((p) => result.select.add(p));
    e.insert.forEach((p) => result.insert.add(p));
  };
  const plain = (part: Part) => add({ select: new Set([part]), insert: new Set([part]) });
  for (let part of splitTop(text, '|')) {
    part = part.replace(/^readonly\s+/, '');
    const applied = generic(part);
    if (/^\(.*\)$/s.test(part)) add(evaluate(part.slice(1, -1), aliases, depth + 1));
    else if (part === 'null' || part === 'undefined') plain(part);
    else if (/\[\]$/.test(part) || applied?.[0] === 'Array' || applied?.[0] === 'ReadonlyArray') plain('array');
    else if (applied?.[0] === 'Generated' || applied?.[0] === 'GeneratedAlways') {
      const inner = evaluate(applied[1], aliases, depth + 1);
      add({ select: inner.select, insert: new Set([...inner.insert, 'undefined']) });
    } else if (applied?.[0] === 'ColumnType') {
      const [selectType, insertType = selectType] = splitTop(applied[1], ',');
      add({ select: evaluate(selectType!, aliases, depth + 1).select, insert: evaluate(insertType, aliases, depth + 1).select });
    } else if (applied && aliases.get(applied[0])?.param) {
      const alias = aliases.get(applied[0])!;
      add(evaluate(alias.body.replace(new RegExp(`\\b${alias.param}\\b`, 'g'), `(${applied[1]})`), aliases, depth + 1));
    } else if (aliases.has(part)) add(evaluate(aliases.get(part)!.body, aliases, depth + 1));
    else if (/^'.*'$|^".*"$/.test(part) || part === 'string') plain('string');
    else if (/^-?\d/.test(part) || part === 'number') plain('number');
    else if (part === 'boolean' || part === 'true' || part === 'false') plain('boolean');
    else if (part === 'bigint') plain('bigint');
    else if (part === 'unknown' || part === 'any') plain('unknown');
    else if (part === 'Date') plain('Date');
    else if (part === 'Buffer' || part === 'Uint8Array') plain('bytes');
    else plain('object');
  }
  return result;
}

/** The body of each `interface Name { … }`, braces matched. */
function interfaces(source: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const match of source.matchAll(/interface\s+(\w+)\s*\{/g)) {
    let depth = 1;
    let i = match.index + match[0].length;
    const start = i;
    for (; i < source.length && depth > 0; i++) {
      if (source[i] === '{') depth++;
      else if (source[i] === '}') depth--;
    }
    found.set(match[1]!, source.slice(start, i - 1));
  }
  return found;
}

/** `name?: Type;` members of an interface body. */
function members(body: string): Array<[string, string]> {
  return splitTop(body.replace(/\n/g, ' '), ';').flatMap((member) => {
    const match = /^(\w+)\??\s*:\s*([\s\S]+)$/.exec(member.trim());
    return match ? [[match[1]!, match[2]!.trim()] as [string, string]] : [];
  });
}

/** Comments out (their apostrophes and braces would confuse the reading); string literals have no `//` or `/*` here. */
function withoutComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|\s)\/\/.*$/gm, '$1');
}

/** `type Name = …;` and `type Name<T> = …;` declarations. */
function aliasesOf(source: string): Map<string, Alias> {
  const aliases = new Map<string, Alias>();
  for (const match of source.matchAll(/(?:^|\n)\s*(?:export\s+)?type\s+(\w+)(?:<(\w+)>)?\s*=\s*([^;]+);/g)) aliases.set(match[1]!, { param: match[2], body: match[3]!.trim() });
  return aliases;
}

export function readTypedSchema(schemaFile: string): TypedSchema {
  const source = withoutComments(fs.readFileSync(schemaFile, 'utf8'));
  const aliases = aliasesOf(source);
  // Types a table borrows from elsewhere (`import type { JobState } from '../platform/jobs/types.ts'`) are read there.
  for (const match of source.matchAll(/import\s+type\s*\{([^}]*)\}\s*from\s*'(\.[^']+)'/g)) {
    const file = path.resolve(path.dirname(schemaFile), match[2]!);
    if (!fs.existsSync(file)) continue;
    for (const [name, alias] of aliasesOf(withoutComments(fs.readFileSync(file, 'utf8')))) if (!aliases.has(name)) aliases.set(name, alias);
  }
  const bodies = interfaces(source);
  const database = bodies.get('Database');
  if (database === undefined) throw new Error(`${schemaFile} has no Database interface`);
  const schema: TypedSchema = new Map();
  for (const [table, tableType] of members(database)) {
    const body = bodies.get(tableType);
    if (body === undefined) throw new Error(`Database.${table}: no interface ${tableType} in ${schemaFile}`);
    const columns = new Map<string, TypedColumn>();
    for (const [column, type] of members(body)) {
      const { select, insert } = evaluate(type, aliases);
      columns.set(column, {
        families: [...select].filter((p): p is Family => p !== 'null' && p !== 'undefined').sort(),
        nullable: select.has('null'),
        insertOptional: insert.has('undefined') || insert.has('null'),
      });
    }
    schema.set(table, columns);
  }
  return schema;
}

/** A column as information_schema.columns describes it. */
export interface DatabaseColumn {
  table: string;
  column: string;
  dataType: string;
  nullable: boolean;
  /** A default, an identity or a generated value: an insert may leave it out. */
  hasDefault: boolean;
}

/** What each SQL type may be read as through Kysely on this project's drivers (db/connect.ts parses int8 and date). */
const FAMILIES: Record<string, readonly Family[]> = {
  smallint: ['number'],
  integer: ['number'],
  bigint: ['number'],
  real: ['number'],
  'double precision': ['number'],
  numeric: ['number', 'string'],
  text: ['string'],
  'character varying': ['string'],
  character: ['string'],
  uuid: ['string'],
  inet: ['string'],
  boolean: ['boolean'],
  'timestamp with time zone': ['Date'],
  'timestamp without time zone': ['Date'],
  date: ['string'],
  interval: ['string', 'object'],
  bytea: ['bytes'],
  ARRAY: ['array'],
  tsvector: ['string', 'unknown'],
  json: ['object', 'array', 'string', 'number', 'boolean', 'unknown'],
  jsonb: ['object', 'array', 'string', 'number', 'boolean', 'unknown'],
};

/** Every difference between schema.ts and the migrated database, each naming its table and column. */
export function schemaDifferences(typed: TypedSchema, columns: readonly DatabaseColumn[]): string[] {
  const differences: string[] = [];
  const inDatabase = new Map<string, Map<string, DatabaseColumn>>();
  for (const c of columns) {
    const table = inDatabase.get(c.table) ?? new Map<string, DatabaseColumn>();
    table.set(c.column, c);
    inDatabase.set(c.table, table);
  }
  for (const table of [...inDatabase.keys()].sort()) {
    if (!typed.has(table)) differences.push(`${table}: a table in the database, missing from Database in schema.ts`);
  }
  for (const [table, typedColumns] of [...typed].sort(([x], [y]) => x.localeCompare(y))) {
    const actual = inDatabase.get(table);
    if (!actual) {
      differences.push(`${table}: in Database (schema.ts), no such table after migrating`);
      continue;
    }
    for (const column of [...actual.keys()].sort()) {
      if (!typedColumns.has(column)) differences.push(`${table}.${column}: a column in the database (${actual.get(column)!.dataType}), missing from schema.ts`);
    }
    for (const [column, typedColumn] of typedColumns) {
      const db = actual.get(column);
      if (!db) {
        differences.push(`${table}.${column}: in schema.ts, no such column in the database`);
        continue;
      }
      const allowed = FAMILIES[db.dataType];
      const wrong = allowed ? typedColumn.families.filter((f) => !allowed.includes(f)) : [];
      if (!allowed) differences.push(`${table}.${column}: SQL type ${db.dataType} has no TypeScript mapping in test/support/schema-types.ts`);
      else if (wrong.length > 0 || typedColumn.families.length === 0) differences.push(`${table}.${column}: ${db.dataType} in the database, typed as ${typedColumn.families.join(' | ') || 'never'} in schema.ts`);
      if (db.nullable !== typedColumn.nullable) differences.push(`${table}.${column}: ${db.nullable ? 'nullable' : 'NOT NULL'} in the database, ${typedColumn.nullable ? 'nullable' : 'never null'} in schema.ts`);
      // An insert that leaves out a NOT NULL column without a default fails at run time; the types must require it.
      if (!db.nullable && !db.hasDefault && typedColumn.insertOptional) differences.push(`${table}.${column}: NOT NULL without a default, optional on insert in schema.ts (Generated<…>?)`);
    }
  }
  return differences;
}
