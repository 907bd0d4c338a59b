import { sql, type Kysely } from 'kysely';

/**
 * Catalog change notifications go to a channel of the schema the changed table lives in
 * (`revista_content_{schema}`) instead of one channel for the whole database: NOTIFY reaches every
 * session of a database, so two installations (or two test runs) in schemas of one PostgreSQL
 * database dropped each other's page caches, and a cache could not tell its own changes apart.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE OR REPLACE FUNCTION revista_notify_content_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_notify('revista_content_' || TG_TABLE_SCHEMA, TG_TABLE_NAME);
      RETURN NULL;
    END
    $$;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE OR REPLACE FUNCTION revista_notify_content_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_notify('revista_content', TG_TABLE_NAME);
      RETURN NULL;
    END
    $$;
  `.execute(db);
}
