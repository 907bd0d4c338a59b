import { sql, type Kysely } from 'kysely';

/**
 * Impact-ordered postings for full-text search (discovery/search): for each lexeme of an indexed
 * article that is in its title, keywords, authors, abstract or affiliations (weights A, B, C), the
 * article's score for that lexeme alone, as ts_rank would compute it for a one-word query. A search
 * reads the best few hundred postings of its words through the (term, score DESC) index instead of
 * ranking every match, and ranks only those exactly. Lexemes found only in references or full text
 * (weight D) have no posting: for one word they always rank below the others, and a search that
 * finds too few candidates falls back to ranking every match.
 *
 * Kept in step with search_documents by statement triggers, in the transaction that writes the rows.
 * Triggers kept (issue 18 audit): the postings are an index of search_documents, which SQL
 * (revista_search_refresh) writes; in the same statement, ranking never reads postings of rows that
 * are gone.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE search_postings (
      term text NOT NULL,
      article_id integer NOT NULL,
      score real NOT NULL
    );
    CREATE INDEX search_postings_best ON search_postings (term, score DESC, article_id);
    CREATE INDEX search_postings_article ON search_postings (article_id);

    -- The weight of a position, as in ts_rank's weights {D, C, B, A} = {0.05, 0.2, 0.4, 1.0}.
    CREATE FUNCTION revista_search_weight(w text) RETURNS real LANGUAGE sql IMMUTABLE AS $$
      SELECT CASE w WHEN 'A' THEN 1.0 WHEN 'B' THEN 0.4 WHEN 'C' THEN 0.2 ELSE 0.05 END::real
    $$;

    -- ts_rank of one lexeme over its positions' weights (in position order): the best weight, plus
    -- each other position's weight divided by the square of its place, over pi^2/6.
    CREATE FUNCTION revista_search_impact(weights text[]) RETURNS real LANGUAGE sql IMMUTABLE AS $$
      SELECT ((s.best + s.total - s.best / (s.place * s.place)) / 1.64493406685)::real
        FROM (
          SELECT (array_agg(v ORDER BY v DESC, o))[1] AS best, (array_agg(o ORDER BY v DESC, o))[1]::float8 AS place, sum(v / (o * o)) AS total
            FROM (SELECT revista_search_weight(x.w)::float8 AS v, x.o::float8 AS o FROM unnest(weights) WITH ORDINALITY AS x(w, o)) AS y
        ) AS s
    $$;

    -- One function for the three triggers: what a statement removed goes, what it added comes (an
    -- update does both). Each branch names only the transition table its trigger has.
    CREATE FUNCTION revista_search_postings_sync() RETURNS trigger LANGUAGE plpgsql AS $$
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

    CREATE TRIGGER search_documents_postings_insert AFTER INSERT ON search_documents
      REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION revista_search_postings_sync();
    CREATE TRIGGER search_documents_postings_delete AFTER DELETE ON search_documents
      REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION revista_search_postings_sync();
    CREATE TRIGGER search_documents_postings_update AFTER UPDATE ON search_documents
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION revista_search_postings_sync();

    -- Rows indexed before this migration.
    INSERT INTO search_postings (term, article_id, score)
    SELECT u.lexeme, d.article_id, revista_search_impact(u.weights)
      FROM search_documents d CROSS JOIN LATERAL unnest(d.document) AS u
     WHERE u.weights && ARRAY['A', 'B', 'C']::text[];
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TRIGGER search_documents_postings_insert ON search_documents;
    DROP TRIGGER search_documents_postings_delete ON search_documents;
    DROP TRIGGER search_documents_postings_update ON search_documents;
    DROP FUNCTION revista_search_postings_sync();
    DROP FUNCTION revista_search_impact(text[]), revista_search_weight(text);
    DROP TABLE search_postings;
  `.execute(db);
}
