import { sql, type Kysely } from 'kysely';

/**
 * The first third of the editorial workflow (issue 19): submission settings, submissions, their files
 * (with every revision kept), participants, the activity log and discussions.
 *
 * A submission is an article (OJS: one submission, one id) with a workflow row of the same id: the
 * article and its first publication carry the metadata as the catalog keeps it (title, contributors,
 * references), the `submissions` row what the workflow needs (draft or active, stage, who submitted,
 * the wizard's progress). Drafts and active submissions are `queued` articles, which no reader query
 * shows.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE submission_settings (
      journal_id integer PRIMARY KEY REFERENCES journals (id) ON DELETE CASCADE,
      author_guidelines jsonb NOT NULL DEFAULT '{}',
      checklist jsonb NOT NULL DEFAULT '[]',
      copyright_notice jsonb NOT NULL DEFAULT '{}',
      privacy_statement jsonb NOT NULL DEFAULT '{}',
      file_kinds jsonb NOT NULL DEFAULT '[]',
      days_to_first_action integer NOT NULL DEFAULT 14 CHECK (days_to_first_action BETWEEN 1 AND 365),
      updated_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE section_submission_settings (
      section_id integer PRIMARY KEY REFERENCES sections (id) ON DELETE CASCADE,
      is_open boolean NOT NULL DEFAULT true,
      abstract_required boolean NOT NULL DEFAULT true,
      abstract_word_limit integer CHECK (abstract_word_limit IS NULL OR abstract_word_limit BETWEEN 1 AND 10000),
      keywords_required boolean NOT NULL DEFAULT false,
      references_required boolean NOT NULL DEFAULT false,
      locales text[] NOT NULL DEFAULT '{}',
      updated_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE submissions (
      id integer PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
      journal_id integer NOT NULL REFERENCES journals (id) ON DELETE CASCADE,
      submitter_id integer REFERENCES users (id) ON DELETE SET NULL,
      status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'active', 'declined', 'published')),
      stage text NOT NULL DEFAULT 'submission' CHECK (stage IN ('submission', 'review', 'copyediting', 'production')),
      progress text NOT NULL DEFAULT 'start' CHECK (progress IN ('start', 'files', 'details', 'contributors', 'references', 'review')),
      comments_for_editor text NOT NULL DEFAULT '' CHECK (length(comments_for_editor) <= 10000),
      checklist_confirmed_at timestamptz,
      agreements_accepted_at timestamptz,
      submitted_at timestamptz,
      last_activity_at timestamptz NOT NULL DEFAULT now(),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX submissions_queue ON submissions (journal_id, status, submitted_at DESC);
    CREATE INDEX submissions_submitter ON submissions (submitter_id, status);

    CREATE TABLE submission_participants (
      id serial PRIMARY KEY,
      submission_id integer NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
      user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      role text NOT NULL CHECK (role IN ('editor', 'section-editor', 'author')),
      recommend_only boolean NOT NULL DEFAULT false,
      assigned_by integer REFERENCES users (id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (submission_id, user_id, role)
    );
    CREATE INDEX submission_participants_user ON submission_participants (user_id, role);

    CREATE TABLE submission_files (
      id serial PRIMARY KEY,
      submission_id integer NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
      stage text NOT NULL DEFAULT 'submission' CHECK (stage IN ('submission', 'review', 'copyediting', 'production')),
      kind text NOT NULL CHECK (length(kind) BETWEEN 1 AND 50),
      file_id integer NOT NULL REFERENCES files (id),
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
      uploaded_by integer REFERENCES users (id) ON DELETE SET NULL,
      review_round_id integer,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX submission_files_submission ON submission_files (submission_id, stage);

    CREATE TABLE submission_file_revisions (
      id serial PRIMARY KEY,
      submission_file_id integer NOT NULL REFERENCES submission_files (id) ON DELETE CASCADE,
      file_id integer NOT NULL REFERENCES files (id),
      uploaded_by integer REFERENCES users (id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX submission_file_revisions_file ON submission_file_revisions (submission_file_id, id);

    CREATE TABLE submission_activity (
      id serial PRIMARY KEY,
      submission_id integer NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
      user_id integer REFERENCES users (id) ON DELETE SET NULL,
      action text NOT NULL,
      details jsonb NOT NULL DEFAULT '{}',
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX submission_activity_submission ON submission_activity (submission_id, id);

    CREATE TABLE discussions (
      id serial PRIMARY KEY,
      submission_id integer NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
      stage text NOT NULL CHECK (stage IN ('submission', 'review', 'copyediting', 'production')),
      subject text NOT NULL CHECK (length(btrim(subject)) > 0 AND length(subject) <= 255),
      created_by integer REFERENCES users (id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      closed_at timestamptz
    );
    CREATE INDEX discussions_submission ON discussions (submission_id, stage);

    CREATE TABLE discussion_participants (
      discussion_id integer NOT NULL REFERENCES discussions (id) ON DELETE CASCADE,
      user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      PRIMARY KEY (discussion_id, user_id)
    );
    CREATE INDEX discussion_participants_user ON discussion_participants (user_id);

    CREATE TABLE discussion_messages (
      id serial PRIMARY KEY,
      discussion_id integer NOT NULL REFERENCES discussions (id) ON DELETE CASCADE,
      author_id integer REFERENCES users (id) ON DELETE SET NULL,
      body text NOT NULL CHECK (length(btrim(body)) > 0 AND length(body) <= 20000),
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX discussion_messages_discussion ON discussion_messages (discussion_id, id);

    CREATE TABLE discussion_message_files (
      message_id integer NOT NULL REFERENCES discussion_messages (id) ON DELETE CASCADE,
      file_id integer NOT NULL REFERENCES files (id),
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
      PRIMARY KEY (message_id, file_id)
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE discussion_message_files, discussion_messages, discussion_participants, discussions,
      submission_activity, submission_file_revisions, submission_files, submission_participants,
      submissions, section_submission_settings, submission_settings
  `.execute(db);
}
