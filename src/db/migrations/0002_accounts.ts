import { sql, type Kysely } from 'kysely';

/**
 * People and what they may do, mail, and the journal's public face that managers edit.
 *
 * Users are site-wide (one account across journals, as in OJS); roles are per journal, except the
 * site administrator (journal_id NULL). Session and one-time tokens are stored only as SHA-256
 * hashes, so a copy of the database does not let anyone sign in as someone else.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- Keys generated on first start (cookie signing, CSRF), shared by every server process.
    CREATE TABLE secrets (
      name text PRIMARY KEY,
      value text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE users (
      id serial PRIMARY KEY,
      email text NOT NULL,
      email_verified_at timestamptz,
      password_hash text,
      given_name jsonb NOT NULL DEFAULT '{}',
      family_name jsonb NOT NULL DEFAULT '{}',
      affiliation jsonb NOT NULL DEFAULT '{}',
      orcid text,
      country text CHECK (country ~ '^[A-Z]{2}$'),
      preferred_locale text,
      privacy_consent_at timestamptz,
      disabled_at timestamptz,
      disabled_reason text,
      deletion_requested_at timestamptz,
      last_login_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX users_email ON users (lower(email));

    CREATE TABLE role_assignments (
      id serial PRIMARY KEY,
      user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      journal_id integer REFERENCES journals (id) ON DELETE CASCADE,
      role text NOT NULL CHECK (role IN ('admin', 'manager', 'editor', 'section-editor', 'copyeditor', 'layout-editor', 'reviewer', 'author', 'reader')),
      created_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((role = 'admin') = (journal_id IS NULL))
    );
    CREATE UNIQUE INDEX role_assignments_unique ON role_assignments (user_id, coalesce(journal_id, 0), role);
    CREATE INDEX role_assignments_journal ON role_assignments (journal_id, role);

    -- A section editor edits only the sections assigned here.
    CREATE TABLE section_editor_sections (
      user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      section_id integer NOT NULL REFERENCES sections (id) ON DELETE CASCADE,
      PRIMARY KEY (user_id, section_id)
    );

    CREATE TABLE sessions (
      token_hash text PRIMARY KEY,
      user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      created_at timestamptz NOT NULL DEFAULT now(),
      last_seen_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      user_agent text
    );
    CREATE INDEX sessions_user ON sessions (user_id);

    CREATE TABLE account_tokens (
      token_hash text PRIMARY KEY,
      user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      purpose text NOT NULL CHECK (purpose IN ('verify-email', 'reset-password', 'change-email')),
      new_email text,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      used_at timestamptz
    );
    CREATE INDEX account_tokens_user ON account_tokens (user_id, purpose);

    -- Failed sign-ins per account and per client address, for throttling.
    CREATE TABLE login_failures (
      key text PRIMARY KEY,
      failures integer NOT NULL,
      last_failure_at timestamptz NOT NULL,
      locked_until timestamptz
    );

    CREATE TABLE mail_outbox (
      id serial PRIMARY KEY,
      journal_id integer REFERENCES journals (id) ON DELETE SET NULL,
      template text,
      to_address text NOT NULL,
      subject text NOT NULL,
      text_body text NOT NULL,
      status text NOT NULL CHECK (status IN ('stored', 'sent', 'failed')),
      error text,
      message_id text,
      created_at timestamptz NOT NULL DEFAULT now(),
      sent_at timestamptz
    );
    CREATE INDEX mail_outbox_created ON mail_outbox (created_at DESC);

    -- Overrides of the built-in templates, per journal (or site-wide when journal_id is NULL) and locale.
    CREATE TABLE mail_templates (
      id serial PRIMARY KEY,
      journal_id integer REFERENCES journals (id) ON DELETE CASCADE,
      key text NOT NULL,
      locale text NOT NULL,
      subject text NOT NULL,
      body text NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX mail_templates_unique ON mail_templates (coalesce(journal_id, 0), key, locale);

    ALTER TABLE site
      ADD COLUMN contact_email text,
      ADD COLUMN about jsonb NOT NULL DEFAULT '{}';

    ALTER TABLE journals
      ADD COLUMN logo_file_id integer REFERENCES files (id),
      ADD COLUMN favicon_file_id integer REFERENCES files (id),
      ADD COLUMN homepage_image_file_id integer REFERENCES files (id),
      ADD COLUMN theme_colour text CHECK (theme_colour ~ '^#[0-9a-f]{6}$'),
      ADD COLUMN custom_css text,
      ADD COLUMN copyright_holder_type text NOT NULL DEFAULT 'author' CHECK (copyright_holder_type IN ('author', 'journal', 'other')),
      ADD COLUMN copyright_holder_other jsonb NOT NULL DEFAULT '{}';

    ALTER TABLE issues
      ADD COLUMN cover_file_id integer REFERENCES files (id),
      ADD COLUMN seq integer NOT NULL DEFAULT 0;

    -- Order of sections within one issue, when the editor changes it from the journal's order.
    CREATE TABLE issue_section_order (
      issue_id integer NOT NULL REFERENCES issues (id) ON DELETE CASCADE,
      section_id integer NOT NULL REFERENCES sections (id) ON DELETE CASCADE,
      seq integer NOT NULL,
      PRIMARY KEY (issue_id, section_id)
    );

    -- About, Editorial Team, Submissions, Privacy Statement and the manager's own pages: sanitized HTML per locale.
    CREATE TABLE journal_pages (
      id serial PRIMARY KEY,
      journal_id integer NOT NULL REFERENCES journals (id) ON DELETE CASCADE,
      path text NOT NULL CHECK (path ~ '^[a-z0-9][a-z0-9-]*$'),
      title jsonb NOT NULL DEFAULT '{}',
      content jsonb NOT NULL DEFAULT '{}',
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (journal_id, path)
    );

    CREATE TABLE navigation_items (
      id serial PRIMARY KEY,
      journal_id integer NOT NULL REFERENCES journals (id) ON DELETE CASCADE,
      seq integer NOT NULL DEFAULT 0,
      label jsonb NOT NULL DEFAULT '{}',
      kind text NOT NULL CHECK (kind IN ('builtin', 'page', 'url')),
      target text NOT NULL
    );
    CREATE INDEX navigation_items_journal ON navigation_items (journal_id, seq);

    CREATE TABLE announcements (
      id serial PRIMARY KEY,
      journal_id integer NOT NULL REFERENCES journals (id) ON DELETE CASCADE,
      title jsonb NOT NULL DEFAULT '{}',
      summary jsonb NOT NULL DEFAULT '{}',
      body jsonb NOT NULL DEFAULT '{}',
      posted_at timestamptz NOT NULL DEFAULT now(),
      expires_on date,
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX announcements_journal ON announcements (journal_id, posted_at DESC);
  `.execute(db);

  // Trigger kept (issue 18 audit): cache invalidation, as for the catalog tables in 0001 — pages show
  // these rows, and any writer's change must retire the cached pages.
  for (const table of ['issue_section_order', 'journal_pages', 'navigation_items', 'announcements']) {
    await sql`
      CREATE TRIGGER ${sql.raw(`${table}_content_change`)}
      AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${sql.table(table)}
      FOR EACH STATEMENT EXECUTE FUNCTION revista_notify_content_change()
    `.execute(db);
  }
  // Trigger kept (issue 18 audit): the modification date follows every update, whoever writes (see 0001).
  for (const table of ['users', 'journal_pages', 'announcements']) {
    await sql`
      CREATE TRIGGER ${sql.raw(`${table}_touch_updated_at`)}
      BEFORE UPDATE ON ${sql.table(table)}
      FOR EACH ROW EXECUTE FUNCTION revista_touch_updated_at()
    `.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE announcements, navigation_items, journal_pages, issue_section_order;
    ALTER TABLE issues DROP COLUMN cover_file_id, DROP COLUMN seq;
    ALTER TABLE journals DROP COLUMN logo_file_id, DROP COLUMN favicon_file_id, DROP COLUMN homepage_image_file_id,
      DROP COLUMN theme_colour, DROP COLUMN custom_css, DROP COLUMN copyright_holder_type, DROP COLUMN copyright_holder_other;
    ALTER TABLE site DROP COLUMN contact_email, DROP COLUMN about;
    DROP TABLE mail_templates, mail_outbox, login_failures, account_tokens, sessions, section_editor_sections, role_assignments, users, secrets;
  `.execute(db);
}
