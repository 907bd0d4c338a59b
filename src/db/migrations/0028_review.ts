import { sql, type Kysely } from 'kysely';

/**
 * The second third of the editorial workflow (issue 20): review settings, review forms, rounds,
 * review requests (assignments) with their answers and attachments, editorial decisions, reviewers'
 * interests, the anonymised copies of files reviewers download, and notifications.
 *
 * A review assignment is made for an account (`reviewer_id`) or, for someone without one, for an
 * invitation (`invitation_id`, journal team invitations of issue 17): accepting the request makes the
 * account and fills in `reviewer_id`. The accept and decline links carry a signature over the
 * assignment, the purpose, the expiry and `link_nonce`; a new nonce (resend, answer) ends every
 * earlier link.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE review_settings (
      journal_id integer PRIMARY KEY REFERENCES journals (id) ON DELETE CASCADE,
      anonymity text NOT NULL DEFAULT 'double-anonymous' CHECK (anonymity IN ('double-anonymous', 'anonymous-reviewer', 'open')),
      response_days integer NOT NULL DEFAULT 7 CHECK (response_days BETWEEN 1 AND 365),
      review_days integer NOT NULL DEFAULT 28 CHECK (review_days BETWEEN 1 AND 365),
      remind_days_before integer NOT NULL DEFAULT 2 CHECK (remind_days_before BETWEEN 0 AND 60),
      remind_days_after integer NOT NULL DEFAULT 3 CHECK (remind_days_after BETWEEN 0 AND 60),
      min_reviews integer NOT NULL DEFAULT 0 CHECK (min_reviews BETWEEN 0 AND 10),
      wait_for_reviews boolean NOT NULL DEFAULT false,
      updated_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE review_forms (
      id serial PRIMARY KEY,
      journal_id integer NOT NULL REFERENCES journals (id) ON DELETE CASCADE,
      title jsonb NOT NULL DEFAULT '{}',
      description jsonb NOT NULL DEFAULT '{}',
      is_active boolean NOT NULL DEFAULT true,
      is_default boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX review_forms_default ON review_forms (journal_id) WHERE is_default;
    CREATE INDEX review_forms_journal ON review_forms (journal_id);

    CREATE TABLE review_form_elements (
      id serial PRIMARY KEY,
      review_form_id integer NOT NULL REFERENCES review_forms (id) ON DELETE CASCADE,
      seq integer NOT NULL DEFAULT 0,
      kind text NOT NULL CHECK (kind IN ('short-text', 'long-text', 'single-choice', 'multiple-choice')),
      question jsonb NOT NULL DEFAULT '{}',
      description jsonb NOT NULL DEFAULT '{}',
      options jsonb NOT NULL DEFAULT '[]',
      required boolean NOT NULL DEFAULT false,
      visible_to_author boolean NOT NULL DEFAULT true
    );
    CREATE INDEX review_form_elements_form ON review_form_elements (review_form_id, seq);

    CREATE TABLE review_rounds (
      id serial PRIMARY KEY,
      submission_id integer NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
      round integer NOT NULL CHECK (round BETWEEN 1 AND 100),
      status text NOT NULL DEFAULT 'open'
        CHECK (status IN ('open', 'revisions-requested', 'revisions-submitted', 'resubmit-requested', 'accepted', 'declined', 'closed')),
      review_form_id integer REFERENCES review_forms (id) ON DELETE SET NULL,
      created_by integer REFERENCES users (id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      closed_at timestamptz,
      UNIQUE (submission_id, round)
    );

    ALTER TABLE submission_files
      ADD CONSTRAINT submission_files_review_round FOREIGN KEY (review_round_id) REFERENCES review_rounds (id) ON DELETE CASCADE,
      ADD COLUMN review_purpose text CHECK (review_purpose IN ('review-file', 'revision')),
      ADD CONSTRAINT submission_files_review_purpose CHECK ((review_purpose IS NULL) = (review_round_id IS NULL));
    CREATE INDEX submission_files_round ON submission_files (review_round_id) WHERE review_round_id IS NOT NULL;
    CREATE INDEX submission_files_file ON submission_files (file_id);
    CREATE INDEX submission_file_revisions_stored ON submission_file_revisions (file_id);

    CREATE TABLE review_assignments (
      id serial PRIMARY KEY,
      submission_id integer NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
      review_round_id integer NOT NULL REFERENCES review_rounds (id) ON DELETE CASCADE,
      reviewer_id integer REFERENCES users (id) ON DELETE CASCADE,
      invitation_id integer REFERENCES invitations (id) ON DELETE SET NULL,
      anonymity text NOT NULL CHECK (anonymity IN ('double-anonymous', 'anonymous-reviewer', 'open')),
      review_form_id integer REFERENCES review_forms (id) ON DELETE SET NULL,
      status text NOT NULL DEFAULT 'requested' CHECK (status IN ('requested', 'accepted', 'declined', 'cancelled', 'submitted')),
      requested_by integer REFERENCES users (id) ON DELETE SET NULL,
      requested_at timestamptz NOT NULL DEFAULT now(),
      response_due timestamptz NOT NULL,
      review_due timestamptz NOT NULL,
      responded_at timestamptz,
      submitted_at timestamptz,
      cancelled_at timestamptz,
      decline_reason text NOT NULL DEFAULT '' CHECK (length(decline_reason) <= 5000),
      request_message text NOT NULL DEFAULT '' CHECK (length(request_message) <= 20000),
      link_nonce text NOT NULL,
      recommendation text CHECK (recommendation IN ('accept', 'minor-revisions', 'major-revisions', 'resubmit-for-review', 'resubmit-elsewhere', 'decline', 'see-comments')),
      comments_for_author text NOT NULL DEFAULT '' CHECK (length(comments_for_author) <= 50000),
      comments_for_editor text NOT NULL DEFAULT '' CHECK (length(comments_for_editor) <= 50000),
      competing_interests text NOT NULL DEFAULT '' CHECK (length(competing_interests) <= 5000),
      rating smallint CHECK (rating BETWEEN 1 AND 5),
      rated_by integer REFERENCES users (id) ON DELETE SET NULL,
      rated_at timestamptz,
      thanked_at timestamptz,
      last_reminded_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK (reviewer_id IS NOT NULL OR invitation_id IS NOT NULL)
    );
    CREATE UNIQUE INDEX review_assignments_once ON review_assignments (review_round_id, reviewer_id) WHERE reviewer_id IS NOT NULL AND status <> 'cancelled';
    CREATE INDEX review_assignments_reviewer ON review_assignments (reviewer_id, status);
    CREATE INDEX review_assignments_round ON review_assignments (review_round_id, id);
    CREATE INDEX review_assignments_submission ON review_assignments (submission_id);
    CREATE INDEX review_assignments_invitation ON review_assignments (invitation_id) WHERE invitation_id IS NOT NULL;

    CREATE TABLE review_responses (
      review_assignment_id integer NOT NULL REFERENCES review_assignments (id) ON DELETE CASCADE,
      element_id integer NOT NULL REFERENCES review_form_elements (id) ON DELETE CASCADE,
      value jsonb NOT NULL,
      PRIMARY KEY (review_assignment_id, element_id)
    );

    CREATE TABLE review_attachments (
      id serial PRIMARY KEY,
      review_assignment_id integer NOT NULL REFERENCES review_assignments (id) ON DELETE CASCADE,
      file_id integer NOT NULL REFERENCES files (id),
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
      visible_to_author boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX review_attachments_assignment ON review_attachments (review_assignment_id);

    CREATE TABLE editorial_decisions (
      id serial PRIMARY KEY,
      submission_id integer NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
      review_round_id integer REFERENCES review_rounds (id) ON DELETE SET NULL,
      stage text NOT NULL CHECK (stage IN ('submission', 'review', 'copyediting', 'production')),
      decision text NOT NULL CHECK (decision IN (
        'send-to-review', 'accept', 'request-revisions', 'resubmit', 'new-round', 'decline', 'initial-decline', 'revert-decline',
        'recommend-accept', 'recommend-revisions', 'recommend-resubmit', 'recommend-decline')),
      editor_id integer REFERENCES users (id) ON DELETE SET NULL,
      message text NOT NULL DEFAULT '' CHECK (length(message) <= 50000),
      shared_review_ids integer[] NOT NULL DEFAULT '{}',
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX editorial_decisions_submission ON editorial_decisions (submission_id, id);

    CREATE TABLE reviewer_interests (
      user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      interest text NOT NULL CHECK (length(btrim(interest)) BETWEEN 1 AND 100),
      PRIMARY KEY (user_id, interest)
    );

    CREATE TABLE anonymized_files (
      file_id integer PRIMARY KEY REFERENCES files (id) ON DELETE CASCADE,
      copy_file_id integer NOT NULL REFERENCES files (id),
      removed jsonb NOT NULL DEFAULT '[]',
      created_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE notifications (
      id serial PRIMARY KEY,
      user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      journal_id integer REFERENCES journals (id) ON DELETE CASCADE,
      submission_id integer REFERENCES submissions (id) ON DELETE CASCADE,
      kind text NOT NULL CHECK (length(kind) BETWEEN 1 AND 60),
      params jsonb NOT NULL DEFAULT '{}',
      created_at timestamptz NOT NULL DEFAULT now(),
      read_at timestamptz
    );
    CREATE INDEX notifications_user ON notifications (user_id, id DESC);
    CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;

    CREATE TABLE notification_preferences (
      user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      kind text NOT NULL CHECK (length(kind) BETWEEN 1 AND 60),
      in_app boolean NOT NULL DEFAULT true,
      by_email boolean NOT NULL DEFAULT true,
      PRIMARY KEY (user_id, kind)
    );
  `.execute(db);
  // Reviewer search by interest: a trigram index on the folded words, where pg_trgm lives (see 0027).
  await sql`
    DO $$
    DECLARE trgm_home text;
    BEGIN
      SELECT n.nspname INTO trgm_home FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm';
      EXECUTE format('CREATE INDEX reviewer_interests_search ON reviewer_interests USING gin (revista_search_fold(interest) %I.gin_trgm_ops)', trgm_home);
    END $$;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE notification_preferences, notifications, anonymized_files, reviewer_interests, editorial_decisions,
      review_attachments, review_responses, review_assignments;
    DROP INDEX submission_file_revisions_stored;
    DROP INDEX submission_files_file;
    DROP INDEX submission_files_round;
    ALTER TABLE submission_files DROP CONSTRAINT submission_files_review_purpose, DROP COLUMN review_purpose, DROP CONSTRAINT submission_files_review_round;
    DROP TABLE review_rounds, review_form_elements, review_forms, review_settings;
  `.execute(db);
}
