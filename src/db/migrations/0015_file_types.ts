import { sql, type Kysely } from 'kysely';

/**
 * Stored files' types are read from their bytes (issue 16): OJS 3.3+ exports give no type, and
 * earlier versions of Revista stored such files as application/octet-stream, or believed a declared
 * type the bytes contradicted. SQL cannot read the files, so this migration only marks which rows
 * still need their bytes read: every file stored before it (type_checked_at NULL). The server reads
 * them once at start (storage/retype.ts) and stamps them; files stored from now on are typed from
 * their bytes when stored, so new rows are stamped by the default.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE files ADD COLUMN type_checked_at timestamptz;
    ALTER TABLE files ALTER COLUMN type_checked_at SET DEFAULT now();
    -- The start-up check finds the rows left to read without a scan of the whole table.
    CREATE INDEX files_type_unchecked ON files (id) WHERE type_checked_at IS NULL;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP INDEX files_type_unchecked;
    ALTER TABLE files DROP COLUMN type_checked_at;
  `.execute(db);
}
