import { sql, type Kysely } from 'kysely';

/**
 * Full-text search (discovery/search). One row per visible article in `search_documents`, kept by a
 * background indexer: catalog triggers put the ids of changed articles in `search_queue`, whoever
 * writes (the app, an import, SQL); the indexer extracts galley text (PDF, HTML) outside any request
 * and rebuilds the rows with `revista_search_refresh`.
 *
 * Language: English text goes through the `english` stemmer, every other language through `simple`;
 * both fold diacritics with the `unaccent` dictionary, so "Poludniowy" finds "Południowy". Weights:
 * A title, B keywords and author names, C abstract and affiliations, D references and full text.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // unaccent ships with PostgreSQL (contrib) and PGlite (loaded in db/connect.ts). It is installed
  // once per database, in `public` when it can be, so that schemas dropped later (test schemas) never
  // take with them a dictionary other schemas use.
  await sql`
    DO $$
    DECLARE
      home text;
    BEGIN
      SELECT n.nspname INTO home FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'unaccent';
      IF home IS NULL THEN
        BEGIN
          IF EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'public') THEN
            CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public;
          ELSE
            CREATE EXTENSION IF NOT EXISTS unaccent;
          END IF;
        EXCEPTION WHEN unique_violation OR duplicate_object THEN
          NULL; -- another migration, in another schema, installed it at the same moment
        END;
        SELECT n.nspname INTO home FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'unaccent';
      END IF;
      CREATE TEXT SEARCH CONFIGURATION revista_simple (COPY = pg_catalog.simple);
      EXECUTE format('ALTER TEXT SEARCH CONFIGURATION revista_simple ALTER MAPPING FOR word, hword, hword_part, asciiword, asciihword, hword_asciipart WITH %I.unaccent, simple', home);
      CREATE TEXT SEARCH CONFIGURATION revista_english (COPY = pg_catalog.english);
      EXECUTE format('ALTER TEXT SEARCH CONFIGURATION revista_english ALTER MAPPING FOR word, hword, hword_part, asciiword, asciihword, hword_asciipart WITH %I.unaccent, english_stem', home);
    END
    $$;
  `.execute(db);

  await sql`
    CREATE TABLE search_queue (
      article_id integer PRIMARY KEY,
      queued_at timestamptz NOT NULL DEFAULT clock_timestamp()
    );

    -- No foreign key: a deleted article is queued, and its row leaves with the statistics adjusted.
    CREATE TABLE search_documents (
      article_id integer PRIMARY KEY,
      publication_id integer NOT NULL,
      journal_id integer NOT NULL,
      section_id integer NOT NULL,
      issue_id integer,
      date_published date,
      document tsvector NOT NULL,
      authors tsvector NOT NULL,
      -- Lexemes of title and keywords: what similar articles share.
      terms text[] NOT NULL,
      -- Keywords in lower case, for browsing by keyword.
      keywords text[] NOT NULL,
      indexed_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX search_documents_document ON search_documents USING gin (document);
    CREATE INDEX search_documents_terms ON search_documents USING gin (terms);
    CREATE INDEX search_documents_keywords ON search_documents USING gin (keywords);
    CREATE INDEX search_documents_journal ON search_documents (journal_id, date_published DESC, article_id DESC);
    CREATE INDEX search_documents_date ON search_documents (date_published DESC, article_id DESC);

    -- In how many documents each term is: rare shared terms make articles more alike than common ones.
    CREATE TABLE search_terms (
      term text PRIMARY KEY,
      df integer NOT NULL
    );
    CREATE TABLE search_stats (
      id integer PRIMARY KEY DEFAULT 1 CHECK (id = 1),
      documents integer NOT NULL DEFAULT 0
    );
    INSERT INTO search_stats (id, documents) VALUES (1, 0);

    -- Text extracted from stored galley files (PDF, HTML, plain text); '' with a problem when none could be.
    CREATE TABLE search_file_texts (
      file_id integer PRIMARY KEY REFERENCES files (id) ON DELETE CASCADE,
      content text NOT NULL,
      problem text,
      extracted_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE AGGREGATE revista_tsvector_agg(tsvector) (SFUNC = tsvector_concat, STYPE = tsvector, INITCOND = '');

    CREATE FUNCTION revista_search_config(locale text) RETURNS regconfig LANGUAGE sql STABLE AS $$
      SELECT CASE WHEN lower(locale) = 'en' OR lower(locale) LIKE 'en\_%' OR lower(locale) LIKE 'en-%'
                  THEN 'revista_english'::regconfig ELSE 'revista_simple'::regconfig END
    $$;

    -- A localized field ({"pl": "…", "en": "…"}), each language through its own configuration.
    CREATE FUNCTION revista_search_text(field jsonb) RETURNS tsvector LANGUAGE sql STABLE AS $$
      SELECT coalesce(revista_tsvector_agg(to_tsvector(revista_search_config(e.key), left(e.value, 400000))), ''::tsvector)
      FROM jsonb_each_text(CASE WHEN jsonb_typeof(field) = 'object' THEN field ELSE '{}'::jsonb END) AS e
    $$;

    -- A localized list ({"pl": ["…"], "en": ["…"]}): keywords, subjects.
    CREATE FUNCTION revista_search_list(field jsonb) RETURNS tsvector LANGUAGE sql STABLE AS $$
      SELECT coalesce(revista_tsvector_agg(to_tsvector(revista_search_config(e.key), k.value)), ''::tsvector)
      FROM jsonb_each(CASE WHEN jsonb_typeof(field) = 'object' THEN field ELSE '{}'::jsonb END) AS e,
           jsonb_array_elements_text(CASE WHEN jsonb_typeof(e.value) = 'array' THEN e.value ELSE '[]'::jsonb END) AS k
    $$;

    CREATE FUNCTION revista_search_all(field jsonb) RETURNS text LANGUAGE sql STABLE AS $$
      SELECT coalesce(string_agg(e.value, ' '), '')
      FROM jsonb_each_text(CASE WHEN jsonb_typeof(field) = 'object' THEN field ELSE '{}'::jsonb END) AS e
    $$;

    /*
     * Rebuilds the rows of the given articles: the current publication when visible to readers (the
     * rule of catalog/queries.ts visibleCurrentPublications), no row otherwise. Returns how many rows
     * there are now for them.
     */
    CREATE FUNCTION revista_search_refresh(ids integer[]) RETURNS integer LANGUAGE plpgsql AS $$
    DECLARE
      removed integer;
      added integer;
    BEGIN
      UPDATE search_terms s SET df = s.df - o.n
        FROM (SELECT t, count(*) AS n FROM search_documents d, unnest(d.terms) AS t WHERE d.article_id = ANY (ids) GROUP BY t ORDER BY t) o
       WHERE s.term = o.t;
      DELETE FROM search_documents WHERE article_id = ANY (ids);
      GET DIAGNOSTICS removed = ROW_COUNT;

      INSERT INTO search_documents (article_id, publication_id, journal_id, section_id, issue_id, date_published, document, authors, terms, keywords)
      SELECT a.id, p.id, a.journal_id, p.section_id, p.issue_id, p.date_published,
             setweight(revista_search_text(p.prefix) || revista_search_text(p.title) || revista_search_text(p.subtitle), 'A')
               || setweight(revista_search_list(p.keywords) || revista_search_list(p.subjects) || coalesce(c.names, ''::tsvector), 'B')
               || setweight(revista_search_text(p.abstract) || coalesce(c.affiliations, ''::tsvector), 'C')
               || setweight(coalesce(r.refs, ''::tsvector) || coalesce(g.texts, ''::tsvector), 'D'),
             coalesce(c.names, ''::tsvector),
             ARRAY(SELECT DISTINCT lexeme FROM unnest(tsvector_to_array(revista_search_text(p.title) || revista_search_list(p.keywords))) AS lexeme
                    WHERE length(lexeme) >= 3 AND lexeme !~ '^[0-9]+$' ORDER BY lexeme),
             ARRAY(SELECT DISTINCT lower(btrim(k.value))
                     FROM jsonb_each(CASE WHEN jsonb_typeof(p.keywords) = 'object' THEN p.keywords ELSE '{}'::jsonb END) AS e,
                          jsonb_array_elements_text(CASE WHEN jsonb_typeof(e.value) = 'array' THEN e.value ELSE '[]'::jsonb END) AS k
                    WHERE btrim(k.value) <> '' ORDER BY 1)
        FROM articles a
        JOIN publications p ON p.id = a.current_publication_id
        JOIN journals j ON j.id = a.journal_id
        LEFT JOIN issues i ON i.id = p.issue_id
        LEFT JOIN LATERAL (
          SELECT to_tsvector('revista_simple', string_agg(revista_search_all(x.given_name) || ' ' || revista_search_all(x.family_name), ' ')) AS names,
                 revista_tsvector_agg(revista_search_text(x.affiliation)) AS affiliations
            FROM contributors x WHERE x.publication_id = p.id
        ) c ON true
        LEFT JOIN LATERAL (
          SELECT to_tsvector('revista_simple', left(string_agg(x.raw_text, ' '), 400000)) AS refs FROM citations x WHERE x.publication_id = p.id
        ) r ON true
        LEFT JOIN LATERAL (
          SELECT revista_tsvector_agg(to_tsvector(revista_search_config(x.locale), left(t.content, 400000))) AS texts
            FROM galleys x JOIN search_file_texts t ON t.file_id = x.file_id WHERE x.publication_id = p.id
        ) g ON true
       WHERE a.id = ANY (ids)
         AND j.enabled
         AND p.status = 'published'
         AND (p.issue_id IS NULL OR coalesce(i.is_published, false));
      GET DIAGNOSTICS added = ROW_COUNT;

      INSERT INTO search_terms (term, df)
      SELECT t, count(*) FROM search_documents d, unnest(d.terms) AS t WHERE d.article_id = ANY (ids) GROUP BY t ORDER BY t
      ON CONFLICT (term) DO UPDATE SET df = search_terms.df + EXCLUDED.df;
      DELETE FROM search_terms WHERE df <= 0;
      UPDATE search_stats SET documents = greatest(documents - removed + added, 0) WHERE id = 1;
      RETURN added;
    END
    $$;

    /*
     * One thing a reader typed (a word, or a phrase in quotes) as a tsquery that matches it in English
     * (stemmed) or in any other language (as written, diacritics folded; long words also by their
     * stem, so Polish endings vary: "bezpieczeństwo" finds "bezpieczeństwa"). The text only ever
     * reaches plainto_tsquery/phraseto_tsquery, which read it as plain words: no operator in it means
     * anything. NULL when nothing in it can be searched (punctuation, an English stop word).
     */
    CREATE FUNCTION revista_search_term(input text, phrase boolean, stems boolean) RETURNS tsquery LANGUAGE plpgsql STABLE AS $$
    DECLARE
      english tsquery := CASE WHEN phrase THEN phraseto_tsquery('revista_english', input) ELSE plainto_tsquery('revista_english', input) END;
      plain tsquery := CASE WHEN phrase THEN phraseto_tsquery('revista_simple', input) ELSE plainto_tsquery('revista_simple', input) END;
      lexemes text[];
      stem text;
    BEGIN
      IF numnode(plain) = 0 OR numnode(english) = 0 THEN
        RETURN NULL;
      END IF;
      IF stems AND NOT phrase THEN
        lexemes := tsvector_to_array(to_tsvector('revista_simple', input));
        IF array_length(lexemes, 1) = 1 AND lexemes[1] ~ '^[a-z0-9]+$' AND length(lexemes[1]) >= 6 THEN
          stem := left(lexemes[1], length(lexemes[1]) - CASE WHEN length(lexemes[1]) >= 8 THEN 2 ELSE 1 END);
          plain := plain || to_tsquery('simple', stem || ':*');
        END IF;
      END IF;
      RETURN english || plain;
    END
    $$;

    -- Everything the reader asked for: every word and phrase (AND), none of the excluded ones.
    CREATE FUNCTION revista_search_query(words text[], phrases text[], excluded text[]) RETURNS tsquery LANGUAGE plpgsql STABLE AS $$
    DECLARE
      result tsquery;
      part tsquery;
      item text;
    BEGIN
      FOREACH item IN ARRAY coalesce(words, '{}') LOOP
        part := revista_search_term(item, false, true);
        IF part IS NOT NULL THEN result := CASE WHEN result IS NULL THEN part ELSE result && part END; END IF;
      END LOOP;
      FOREACH item IN ARRAY coalesce(phrases, '{}') LOOP
        part := revista_search_term(item, true, false);
        IF part IS NOT NULL THEN result := CASE WHEN result IS NULL THEN part ELSE result && part END; END IF;
      END LOOP;
      IF result IS NULL THEN
        RETURN NULL;
      END IF;
      FOREACH item IN ARRAY coalesce(excluded, '{}') LOOP
        part := revista_search_term(item, true, false);
        IF part IS NOT NULL THEN result := result && !!part; END IF;
      END LOOP;
      RETURN result;
    END
    $$;

    -- Triggers: which articles a catalog change touches. Statement triggers with transition tables,
    -- so an import of thousands of rows queues each article once.
    -- Triggers kept (issue 18 audit): they only mark articles whose index rows are stale (search_queue);
    -- the indexing itself runs outside the transaction. Any writer's change, SQL included, must reach
    -- the index, or search would find what readers can no longer see. A domain-event subscriber would
    -- miss the writes that bypass the commands.
    CREATE FUNCTION revista_search_enqueue(ids integer[]) RETURNS void LANGUAGE sql AS $$
      INSERT INTO search_queue (article_id)
      SELECT DISTINCT id FROM unnest(ids) AS id WHERE id IS NOT NULL
      ON CONFLICT (article_id) DO UPDATE SET queued_at = clock_timestamp();
    $$;

    CREATE FUNCTION revista_search_articles_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'DELETE' THEN
        PERFORM revista_search_enqueue(ARRAY(SELECT id FROM old_rows));
      ELSE
        PERFORM revista_search_enqueue(ARRAY(SELECT id FROM new_rows));
      END IF;
      RETURN NULL;
    END
    $$;

    CREATE FUNCTION revista_search_publications_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM revista_search_enqueue(ARRAY(SELECT article_id FROM old_rows));
      END IF;
      IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM revista_search_enqueue(ARRAY(SELECT article_id FROM new_rows));
      END IF;
      RETURN NULL;
    END
    $$;

    -- Contributors, references and galleys belong to a publication.
    CREATE FUNCTION revista_search_part_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM revista_search_enqueue(ARRAY(SELECT p.article_id FROM old_rows r JOIN publications p ON p.id = r.publication_id));
      END IF;
      IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM revista_search_enqueue(ARRAY(SELECT p.article_id FROM new_rows r JOIN publications p ON p.id = r.publication_id));
      END IF;
      RETURN NULL;
    END
    $$;

    -- An issue's or a journal's change matters only when it shows or hides its articles.
    CREATE FUNCTION revista_search_issues_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM revista_search_enqueue(ARRAY(
        SELECT p.article_id FROM new_rows n JOIN old_rows o ON o.id = n.id JOIN publications p ON p.issue_id = n.id
         WHERE n.is_published IS DISTINCT FROM o.is_published));
      RETURN NULL;
    END
    $$;

    CREATE FUNCTION revista_search_journals_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM revista_search_enqueue(ARRAY(
        SELECT a.id FROM new_rows n JOIN old_rows o ON o.id = n.id JOIN articles a ON a.journal_id = n.id
         WHERE n.enabled IS DISTINCT FROM o.enabled));
      RETURN NULL;
    END
    $$;
  `.execute(db);

  const triggers: Array<[table: string, fn: string, events: Array<'INSERT' | 'UPDATE' | 'DELETE'>]> = [
    ['articles', 'revista_search_articles_changed', ['INSERT', 'UPDATE', 'DELETE']],
    ['publications', 'revista_search_publications_changed', ['INSERT', 'UPDATE', 'DELETE']],
    ['contributors', 'revista_search_part_changed', ['INSERT', 'UPDATE', 'DELETE']],
    ['citations', 'revista_search_part_changed', ['INSERT', 'UPDATE', 'DELETE']],
    ['galleys', 'revista_search_part_changed', ['INSERT', 'UPDATE', 'DELETE']],
    ['issues', 'revista_search_issues_changed', ['UPDATE']],
    ['journals', 'revista_search_journals_changed', ['UPDATE']],
  ];
  // A trigger with transition tables has one event; hence one trigger per event.
  for (const [table, fn, events] of triggers) {
    for (const event of events) {
      const transition = event === 'INSERT' ? 'NEW TABLE AS new_rows' : event === 'DELETE' ? 'OLD TABLE AS old_rows' : 'OLD TABLE AS old_rows NEW TABLE AS new_rows';
      await sql`
        CREATE TRIGGER ${sql.raw(`${table}_search_${event.toLowerCase()}`)}
        AFTER ${sql.raw(event)} ON ${sql.table(table)}
        REFERENCING ${sql.raw(transition)}
        FOR EACH STATEMENT EXECUTE FUNCTION ${sql.raw(fn)}()
      `.execute(db);
    }
  }

  // Articles already there are indexed by the first indexer that runs.
  await sql`INSERT INTO search_queue (article_id) SELECT id FROM articles`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['articles', 'publications', 'contributors', 'citations', 'galleys', 'issues', 'journals']) {
    for (const event of ['insert', 'update', 'delete']) {
      await sql`DROP TRIGGER IF EXISTS ${sql.raw(`${table}_search_${event}`)} ON ${sql.table(table)}`.execute(db);
    }
  }
  await sql`
    DROP FUNCTION revista_search_articles_changed(), revista_search_publications_changed(), revista_search_part_changed(),
      revista_search_issues_changed(), revista_search_journals_changed(), revista_search_enqueue(integer[]);
    DROP FUNCTION revista_search_query(text[], text[], text[]), revista_search_term(text, boolean, boolean), revista_search_refresh(integer[]);
    DROP FUNCTION revista_search_all(jsonb), revista_search_list(jsonb), revista_search_text(jsonb), revista_search_config(text);
    DROP AGGREGATE revista_tsvector_agg(tsvector);
    DROP TABLE search_file_texts, search_stats, search_terms, search_documents, search_queue;
    DROP TEXT SEARCH CONFIGURATION revista_english;
    DROP TEXT SEARCH CONFIGURATION revista_simple;
  `.execute(db);
}
