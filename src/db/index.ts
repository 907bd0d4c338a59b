import { Migrator, sql, type MigrationResultSet } from 'kysely';
import type { Kysely } from 'kysely';
import { migrationProvider } from './migrations/index.ts';
import type { Database } from './schema.ts';

export * from './schema.ts';
export { openDatabase, DatabaseConnectError, CONNECTION_LOST, type DatabaseHandle, type DatabaseKind, type DatabaseTarget } from './connect.ts';
export { DatabaseInUseError } from './lock.ts';

export class MigrationError extends Error {}

/** Brings the schema to the newest version; returns the names of the migrations it ran. */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  const migrator = await migratorFor(db);
  const result: MigrationResultSet = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    const reason = result.error instanceof Error ? result.error.message : String(result.error);
    throw new MigrationError(`migration ${failed?.migrationName ?? '(unknown)'} failed: ${reason}`);
  }
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

export async function pendingMigrations(db: Kysely<Database>): Promise<string[]> {
  const migrator = await migratorFor(db);
  const migrations = await migrator.getMigrations();
  return migrations.filter((m) => m.executedAt === undefined).map((m) => m.name);
}

/**
 * Kysely looks for its bookkeeping tables in every schema unless told which one; on a server where
 * another schema already has them (another app, another test run) it would skip creating its own.
 */
async function migratorFor(db: Kysely<Database>): Promise<Migrator> {
  const { rows } = await sql<{ schema: string }>`SELECT current_schema() AS schema`.execute(db);
  const schema = rows[0]?.schema ?? 'public';
  return new Migrator({ db: lookingOnlyAt(db, schema), provider: migrationProvider, migrationTableSchema: schema });
}

/**
 * `db` with an introspection that sees one schema. The migrator asks whether its tables exist by
 * listing every table of every schema with their columns, and PostgreSQL's column functions fail
 * with "relation … does not exist" when another schema is dropped meanwhile (another app's, another
 * test's): the migration then failed for nothing. Its other calls go to `db` itself.
 */
function lookingOnlyAt(db: Kysely<Database>, schema: string): Kysely<Database> {
  const introspection = {
    async getSchemas() {
      const { rows } = await sql<{ name: string }>`SELECT nspname AS name FROM pg_catalog.pg_namespace WHERE nspname = ${schema}`.execute(db);
      return rows;
    },
    async getTables() {
      const { rows } = await sql<{ name: string; schema: string }>`
        SELECT c.relname AS name, n.nspname AS schema FROM pg_catalog.pg_class c
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = ${schema} AND c.relkind IN ('r', 'p')`.execute(db);
      return rows.map((row) => ({ ...row, isView: false, columns: [] }));
    },
    async getMetadata() {
      return { tables: await this.getTables() };
    },
  };
  return new Proxy(db, {
    get(target, property) {
      if (property === 'introspection') return introspection;
      // Kysely keeps its state in private fields, which a proxy as `this` cannot reach.
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
