import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import type { DatabaseHandle } from './index.ts';
import { testDatabases } from '../../test/support/databases.ts';
import { readTypedSchema, schemaDifferences, type DatabaseColumn, type TypedSchema } from '../../test/support/schema-types.ts';

const SCHEMA_FILE = path.join(import.meta.dirname, 'schema.ts');
/** The migrator's own bookkeeping, not part of the application's schema. */
const MIGRATOR_TABLES = ['kysely_migration', 'kysely_migration_lock'];

async function migratedColumns(handle: DatabaseHandle): Promise<DatabaseColumn[]> {
  const rows = await sql<{ table_name: string; column_name: string; data_type: string; is_nullable: string; column_default: string | null; is_identity: string; is_generated: string }>`
    SELECT c.table_name, c.column_name, c.data_type, c.is_nullable, c.column_default, c.is_identity, c.is_generated
    FROM information_schema.columns c
    JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
    WHERE c.table_schema = current_schema()
    ORDER BY c.table_name, c.ordinal_position`.execute(handle.db);
  return rows.rows
    .filter((r) => !MIGRATOR_TABLES.includes(r.table_name))
    .map((r) => ({
      table: r.table_name,
      column: r.column_name,
      dataType: r.data_type,
      nullable: r.is_nullable === 'YES',
      hasDefault: r.column_default !== null || r.is_identity === 'YES' || r.is_generated === 'ALWAYS',
    }));
}

const typed: TypedSchema = readTypedSchema(SCHEMA_FILE);

describe('schema.ts as Kysely reads it', () => {

  it('sees each table’s columns, their types, nullability and what an insert may leave out', () => {
    const journals = typed.get('journals')!;
    assert.deepEqual(journals.get('id'), { families: ['number'], nullable: false, insertOptional: true });
    assert.deepEqual(journals.get('path'), { families: ['string'], nullable: false, insertOptional: false });
    assert.deepEqual(journals.get('logo_file_id'), { families: ['number'], nullable: true, insertOptional: true });
    assert.deepEqual(typed.get('users')!.get('created_at')?.families, ['Date']);
    assert.deepEqual(typed.get('journals')!.get('supported_locales')?.families, ['array']);
  });

  it('reads types borrowed from another file, generated columns and generic aliases', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'revista-schema-'));
    try {
      fs.writeFileSync(path.join(dir, 'states.ts'), `/** A job's state. */\nexport type JobState =\n  | 'queued'\n  | 'failed';\n`);
      fs.writeFileSync(
        path.join(dir, 'schema.ts'),
        [
          `import type { ColumnType, GeneratedAlways } from 'kysely';`,
          `import type { JobState } from './states.ts';`,
          `type Json<T> = ColumnType<T, T | string, T | string>;`,
          `export interface JobTable {`,
          `  id: GeneratedAlways<number>;`,
          `  state: JobState; // where it is`,
          `  payload: Json<{ a: number }>;`,
          `  run_at: ColumnType<Date, Date | string | undefined, Date | string>;`,
          `  error: string | null;`,
          `}`,
          `export interface Database {`,
          `  jobs: JobTable;`,
          `}`,
        ].join('\n'),
      );
      const jobs = readTypedSchema(path.join(dir, 'schema.ts')).get('jobs')!;
      assert.deepEqual(Object.fromEntries(jobs), {
        id: { families: ['number'], nullable: false, insertOptional: true },
        state: { families: ['string'], nullable: false, insertOptional: false },
        payload: { families: ['object'], nullable: false, insertOptional: false },
        run_at: { families: ['Date'], nullable: false, insertOptional: true },
        error: { families: ['string'], nullable: true, insertOptional: true },
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names the table and column of each kind of difference', () => {
    const column = (c: Partial<DatabaseColumn> & Pick<DatabaseColumn, 'table' | 'column'>): DatabaseColumn => ({ dataType: 'integer', nullable: false, hasDefault: false, ...c });
    const differences = schemaDifferences(new Map([['journals', new Map([['id', { families: ['number'], nullable: false, insertOptional: true }], ['path', { families: ['number'], nullable: true, insertOptional: false }], ['gone', { families: ['string'], nullable: false, insertOptional: false }]])]]), [
      column({ table: 'journals', column: 'id' }),
      column({ table: 'journals', column: 'path', dataType: 'text' }),
      column({ table: 'journals', column: 'added', dataType: 'text' }),
      column({ table: 'jobs', column: 'id', hasDefault: true }),
    ]);
    assert.deepEqual(differences, [
      'jobs: a table in the database, missing from Database in schema.ts',
      'journals.added: a column in the database (text), missing from schema.ts',
      'journals.id: NOT NULL without a default, optional on insert in schema.ts (Generated<…>?)',
      'journals.path: text in the database, typed as number in schema.ts',
      'journals.path: NOT NULL in the database, nullable in schema.ts',
      'journals.gone: in schema.ts, no such column in the database',
    ]);
  });
});

for (const database of await testDatabases()) {
  describe(`schema.ts against a database migrated to the latest on ${database.name}`, () => {
    let handle: DatabaseHandle;
    before(async () => {
      handle = await database.open();
    });
    after(() => handle.close());

    it('has exactly the tables and columns schema.ts declares, with the same types and nullability', async () => {
      const differences = schemaDifferences(typed, await migratedColumns(handle));
      assert.deepEqual(differences, [], `schema.ts differs from the migrated database:\n${differences.join('\n')}`);
    });
  });
}
