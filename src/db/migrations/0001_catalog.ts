import { sql, type Kysely } from 'kysely';

/**
 * The published catalog, shaped after OJS 3.x: journals → sections and issues; articles (OJS
 * submissions) whose versions are publications; contributors, references (citations) and galleys
 * per publication; files addressed by storage key.
 *
 * Every change to these tables notifies the `revista_content` channel when its transaction commits,
 * so caches of rendered pages in every server process are dropped at once (see catalog/changes.ts).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE site (
      id integer PRIMARY KEY DEFAULT 1 CHECK (id = 1),
      title jsonb NOT NULL DEFAULT '{}',
      primary_locale text NOT NULL DEFAULT 'pl',
      supported_locales text[] NOT NULL DEFAULT ARRAY['pl', 'en'],
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE journals (
      id serial PRIMARY KEY,
      path text NOT NULL UNIQUE CHECK (path ~ '^[a-z0-9][a-z0-9-]*$'),
      name jsonb NOT NULL DEFAULT '{}',
      acronym jsonb NOT NULL DEFAULT '{}',
      description jsonb NOT NULL DEFAULT '{}',
      primary_locale text NOT NULL,
      supported_locales text[] NOT NULL,
      online_issn text,
      print_issn text,
      publisher text,
      publisher_url text,
      license_url text,
      copyright_notice jsonb NOT NULL DEFAULT '{}',
      contact_name text,
      contact_email text,
      enabled boolean NOT NULL DEFAULT true,
      seq integer NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK (primary_locale = ANY (supported_locales))
    );

    CREATE TABLE sections (
      id serial PRIMARY KEY,
      journal_id integer NOT NULL REFERENCES journals (id) ON DELETE CASCADE,
      title jsonb NOT NULL DEFAULT '{}',
      abbreviation jsonb NOT NULL DEFAULT '{}',
      policy jsonb NOT NULL DEFAULT '{}',
      seq integer NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX sections_journal ON sections (journal_id, seq);

    CREATE TABLE issues (
      id serial PRIMARY KEY,
      journal_id integer NOT NULL REFERENCES journals (id) ON DELETE CASCADE,
      volume integer,
      number text,
      year integer,
      title jsonb NOT NULL DEFAULT '{}',
      description jsonb NOT NULL DEFAULT '{}',
      show_volume boolean NOT NULL DEFAULT true,
      show_number boolean NOT NULL DEFAULT true,
      show_year boolean NOT NULL DEFAULT true,
      show_title boolean NOT NULL DEFAULT true,
      is_published boolean NOT NULL DEFAULT false,
      is_current boolean NOT NULL DEFAULT false,
      date_published date,
      url_path text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX issues_journal_published ON issues (journal_id, is_published, date_published DESC);
    CREATE UNIQUE INDEX issues_one_current_per_journal ON issues (journal_id) WHERE is_current;

    CREATE TABLE articles (
      id serial PRIMARY KEY,
      journal_id integer NOT NULL REFERENCES journals (id) ON DELETE CASCADE,
      current_publication_id integer,
      locale text NOT NULL,
      status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'scheduled', 'published', 'declined')),
      date_submitted timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX articles_journal ON articles (journal_id);

    CREATE TABLE publications (
      id serial PRIMARY KEY,
      article_id integer NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
      version integer NOT NULL CHECK (version > 0),
      status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'scheduled', 'published')),
      locale text NOT NULL,
      prefix jsonb NOT NULL DEFAULT '{}',
      title jsonb NOT NULL DEFAULT '{}',
      subtitle jsonb NOT NULL DEFAULT '{}',
      abstract jsonb NOT NULL DEFAULT '{}',
      keywords jsonb NOT NULL DEFAULT '{}',
      subjects jsonb NOT NULL DEFAULT '{}',
      section_id integer NOT NULL REFERENCES sections (id),
      issue_id integer REFERENCES issues (id) ON DELETE SET NULL,
      seq integer NOT NULL DEFAULT 0,
      pages text,
      doi text,
      url_path text,
      license_url text,
      copyright_holder jsonb NOT NULL DEFAULT '{}',
      copyright_year integer,
      date_published date,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (article_id, version)
    );
    CREATE INDEX publications_issue ON publications (issue_id, seq);
    CREATE UNIQUE INDEX publications_doi ON publications (lower(doi)) WHERE doi IS NOT NULL AND status = 'published';

    ALTER TABLE articles ADD CONSTRAINT articles_current_publication
      FOREIGN KEY (current_publication_id) REFERENCES publications (id) ON DELETE SET NULL
      DEFERRABLE INITIALLY DEFERRED;

    CREATE TABLE contributors (
      id serial PRIMARY KEY,
      publication_id integer NOT NULL REFERENCES publications (id) ON DELETE CASCADE,
      given_name jsonb NOT NULL DEFAULT '{}',
      family_name jsonb NOT NULL DEFAULT '{}',
      affiliation jsonb NOT NULL DEFAULT '{}',
      ror_id text,
      email text,
      orcid text,
      country text,
      role text NOT NULL DEFAULT 'author',
      is_primary_contact boolean NOT NULL DEFAULT false,
      include_in_browse boolean NOT NULL DEFAULT true,
      seq integer NOT NULL
    );
    CREATE INDEX contributors_publication ON contributors (publication_id, seq);

    CREATE TABLE citations (
      id serial PRIMARY KEY,
      publication_id integer NOT NULL REFERENCES publications (id) ON DELETE CASCADE,
      seq integer NOT NULL,
      raw_text text NOT NULL,
      parsed jsonb,
      UNIQUE (publication_id, seq)
    );

    CREATE TABLE files (
      id serial PRIMARY KEY,
      storage_key text NOT NULL UNIQUE,
      mime_type text NOT NULL,
      size_bytes bigint NOT NULL CHECK (size_bytes >= 0),
      sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
      original_name text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE galleys (
      id serial PRIMARY KEY,
      publication_id integer NOT NULL REFERENCES publications (id) ON DELETE CASCADE,
      label text NOT NULL,
      locale text NOT NULL,
      file_id integer REFERENCES files (id),
      remote_url text,
      url_path text,
      seq integer NOT NULL DEFAULT 0,
      CHECK ((file_id IS NULL) <> (remote_url IS NULL))
    );
    CREATE INDEX galleys_publication ON galleys (publication_id, seq);

    CREATE FUNCTION revista_touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      NEW.updated_at := now();
      RETURN NEW;
    END
    $$;

    CREATE FUNCTION revista_notify_content_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_notify('revista_content', TG_TABLE_NAME);
      RETURN NULL;
    END
    $$;
  `.execute(db);

  // Trigger kept (issue 18 audit): page caches in every process must drop what they rendered when any
  // writer — the app, the CLI, an OJS import, SQL by hand — changes the catalog, and only the database
  // sees every commit. Statement-level, so a bulk write sends one notice (catalog/changes.ts listens).
  for (const table of ['site', 'journals', 'sections', 'issues', 'articles', 'publications', 'contributors', 'citations', 'files', 'galleys']) {
    await sql`
      CREATE TRIGGER ${sql.raw(`${table}_content_change`)}
      AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${sql.table(table)}
      FOR EACH STATEMENT EXECUTE FUNCTION revista_notify_content_change()
    `.execute(db);
  }
  // The date modified (OJS: last_modified) follows every update without each writer setting it.
  // Trigger kept (issue 18 audit): OAI-PMH, JATS and Crossref show this date, and a writer that forgot
  // to set it (SQL by hand, an import) would publish a wrong one.
  for (const table of ['site', 'journals', 'issues', 'articles', 'publications']) {
    await sql`
      CREATE TRIGGER ${sql.raw(`${table}_touch_updated_at`)}
      BEFORE UPDATE ON ${sql.table(table)}
      FOR EACH ROW EXECUTE FUNCTION revista_touch_updated_at()
    `.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE galleys, files, citations, contributors;
    ALTER TABLE articles DROP CONSTRAINT articles_current_publication;
    DROP TABLE publications, articles, issues, sections, journals, site;
    DROP FUNCTION revista_notify_content_change();
    DROP FUNCTION revista_touch_updated_at();
  `.execute(db);
}
