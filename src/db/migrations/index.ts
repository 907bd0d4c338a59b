import type { Migration, MigrationProvider } from 'kysely';
import * as catalog from './0001_catalog.ts';

/** Every migration, in order. A new capability adds its file here; names sort by their number. */
const migrations: Record<string, Migration> = {
  '0001_catalog': catalog,
};

export const migrationProvider: MigrationProvider = {
  async getMigrations() {
    return migrations;
  },
};
