import { sql, type Kysely } from 'kysely';

/**
 * Why an article was taken off the reader site, by whom and when (issue 17): OJS only hides an
 * unpublished article, and so does Revista, but the journal team keeps the reason on record (COPE
 * asks journals to be able to say why content was withdrawn). One row per unpublishing, kept when the
 * article is published again; the person's row may go, the record stays.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE article_unpublications (
      id serial PRIMARY KEY,
      article_id integer NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
      publication_id integer REFERENCES publications(id) ON DELETE SET NULL,
      reason text NOT NULL CHECK (length(btrim(reason)) > 0),
      user_id integer REFERENCES users(id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX article_unpublications_article ON article_unpublications (article_id, created_at);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE article_unpublications`.execute(db);
}
