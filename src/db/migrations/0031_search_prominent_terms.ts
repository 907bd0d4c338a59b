import { sql, type Kysely } from 'kysely';

/**
 * Search by relevance when the words are common (issue 22): what a ranked page reads instead of
 * every match (discovery/search/relevance.ts).
 *
 * - `prominent_terms`, `prominent_scores`: each indexed article's lexemes found in its title,
 *   keywords or author names (weights A and B), sorted, with their scores as in search_postings.
 *   A GIN index finds at once the articles that have every word of a query there; their scores are
 *   read from the row. Set by a row trigger from the document itself, so every writer of
 *   search_documents (revista_search_refresh) keeps them without knowing of them.
 * - Postings carry their article's publication date, and their best-first index orders equal scores
 *   newest first, as the results are: the first postings of a word are its first results, however
 *   many articles share a score (a word once in each of 8,000 author lists, say).
 * - The postings' index by article becomes (article_id, term) with the score: one lookup gives an
 *   article's score for the query's lexemes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE search_documents
      ADD COLUMN prominent_terms text[] NOT NULL DEFAULT '{}',
      ADD COLUMN prominent_scores real[] NOT NULL DEFAULT '{}';

    CREATE FUNCTION revista_search_prominent() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      SELECT coalesce(array_agg(u.lexeme ORDER BY u.lexeme), '{}'), coalesce(array_agg(revista_search_impact(u.weights) ORDER BY u.lexeme), '{}')
        INTO NEW.prominent_terms, NEW.prominent_scores
        FROM unnest(NEW.document) AS u
       WHERE u.weights && ARRAY['A', 'B']::text[];
      RETURN NEW;
    END
    $$;
    -- A trigger (derived columns of the row): whoever writes a document, its prominent lexemes follow.
    CREATE TRIGGER search_documents_prominent BEFORE INSERT OR UPDATE OF document ON search_documents
      FOR EACH ROW EXECUTE FUNCTION revista_search_prominent();

    -- Rows indexed before: the postings are not touched (their update trigger would rebuild them all).
    ALTER TABLE search_documents DISABLE TRIGGER search_documents_postings_update;
    UPDATE search_documents SET document = document;
    ALTER TABLE search_documents ENABLE TRIGGER search_documents_postings_update;

    CREATE INDEX search_documents_prominent ON search_documents USING gin (prominent_terms);

    -- Rebuilt rather than updated: an update would leave every old row version behind (the
    -- embedded database has no autovacuum).
    CREATE TABLE search_postings_dated AS
      SELECT p.term, p.article_id, p.score, d.date_published
        FROM search_postings p JOIN search_documents d ON d.article_id = p.article_id;
    DROP TABLE search_postings;
    ALTER TABLE search_postings_dated RENAME TO search_postings;
    ALTER TABLE search_postings ALTER COLUMN term SET NOT NULL, ALTER COLUMN article_id SET NOT NULL, ALTER COLUMN score SET NOT NULL;
    CREATE INDEX search_postings_best ON search_postings (term, score DESC, date_published DESC NULLS LAST, article_id DESC);
    CREATE INDEX search_postings_article_term ON search_postings (article_id, term) INCLUDE (score);

    CREATE OR REPLACE FUNCTION revista_search_postings_sync() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP IN ('DELETE', 'UPDATE') THEN
        DELETE FROM search_postings p USING old_rows o WHERE p.article_id = o.article_id;
      END IF;
      IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO search_postings (term, article_id, score, date_published)
        SELECT u.lexeme, n.article_id, revista_search_impact(u.weights), n.date_published
          FROM new_rows n CROSS JOIN LATERAL unnest(n.document) AS u
         WHERE u.weights && ARRAY['A', 'B', 'C']::text[];
      END IF;
      RETURN NULL;
    END
    $$;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE OR REPLACE FUNCTION revista_search_postings_sync() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP IN ('DELETE', 'UPDATE') THEN
        DELETE FROM search_postings p USING old_rows o WHERE p.article_id = o.article_id;
      END IF;
      IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO search_postings (term, article_id, score)
        SELECT u.lexeme, n.article_id, revista_search_impact(u.weights)
          FROM new_rows n CROSS JOIN LATERAL unnest(n.document) AS u
         WHERE u.weights && ARRAY['A', 'B', 'C']::text[];
      END IF;
      RETURN NULL;
    END
    $$;
    DROP INDEX search_postings_article_term;
    DROP INDEX search_postings_best;
    ALTER TABLE search_postings DROP COLUMN date_published;
    CREATE INDEX search_postings_best ON search_postings (term, score DESC, article_id);
    CREATE INDEX search_postings_article ON search_postings (article_id);
    DROP TRIGGER search_documents_prominent ON search_documents;
    DROP FUNCTION revista_search_prominent();
    ALTER TABLE search_documents DROP COLUMN prominent_terms, DROP COLUMN prominent_scores;
  `.execute(db);
}
