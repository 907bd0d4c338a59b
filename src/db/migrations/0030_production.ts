import { sql, type Kysely } from 'kysely';

/**
 * The last third of the editorial workflow (issue 21): copyediting, production, scheduling and
 * publishing, versions, corrections and retractions.
 *
 * - Copyeditors and layout editors are participants of a submission, as editors and authors are.
 *   "Send to production" is a decision, as OJS records it.
 * - A galley is the catalog's row it always was; an HTML galley's images and styles are its assets
 *   (OJS: dependent files), each a stored file under the name the HTML refers to it by.
 * - Proofs: a layout editor asks the author to look at the galleys; the author approves or asks for
 *   corrections (OJS does this with a discussion; here it is a request with an answer, and the
 *   discussion stays for talk).
 * - A publication is scheduled one of three ways: into an issue (published with it), online first
 *   (published now, collected by its issue later), or at a moment (a job publishes it then).
 * - A correction, retraction or expression of concern is its own article (with its own DOI) that
 *   names the article it updates; the reader page of that article shows the notice, and the notice's
 *   Crossref record carries Crossmark's update relation (with the journal's Crossmark policy DOI).
 * - Articles get an article number (elocation) beside pages, which Crossref and the readiness check take.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE submission_participants DROP CONSTRAINT submission_participants_role_check;
    ALTER TABLE submission_participants ADD CONSTRAINT submission_participants_role_check
      CHECK (role IN ('editor', 'section-editor', 'author', 'copyeditor', 'layout-editor'));

    ALTER TABLE submissions DROP CONSTRAINT submissions_status_check;
    ALTER TABLE submissions ADD CONSTRAINT submissions_status_check
      CHECK (status IN ('draft', 'active', 'declined', 'scheduled', 'published'));

    ALTER TABLE editorial_decisions DROP CONSTRAINT editorial_decisions_decision_check;
    ALTER TABLE editorial_decisions ADD CONSTRAINT editorial_decisions_decision_check CHECK (decision IN (
      'send-to-review', 'accept', 'request-revisions', 'resubmit', 'new-round', 'decline', 'initial-decline', 'revert-decline',
      'recommend-accept', 'recommend-revisions', 'recommend-resubmit', 'recommend-decline',
      'send-to-production', 'back-to-copyediting'));

    ALTER TABLE publications ADD COLUMN article_number text CHECK (article_number IS NULL OR length(article_number) BETWEEN 1 AND 50);
    ALTER TABLE journals ADD COLUMN crossmark_policy_doi text CHECK (crossmark_policy_doi IS NULL OR length(crossmark_policy_doi) BETWEEN 6 AND 200);

    CREATE TABLE galley_assets (
      id serial PRIMARY KEY,
      galley_id integer NOT NULL REFERENCES galleys (id) ON DELETE CASCADE,
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
      file_id integer NOT NULL REFERENCES files (id),
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (galley_id, name)
    );

    CREATE TABLE proof_requests (
      id serial PRIMARY KEY,
      submission_id integer NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
      publication_id integer NOT NULL REFERENCES publications (id) ON DELETE CASCADE,
      requested_by integer REFERENCES users (id) ON DELETE SET NULL,
      author_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      message text NOT NULL DEFAULT '' CHECK (length(message) <= 20000),
      status text NOT NULL DEFAULT 'sent' CHECK (status IN ('sent', 'approved', 'corrections', 'cancelled')),
      response text NOT NULL DEFAULT '' CHECK (length(response) <= 20000),
      answered_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX proof_requests_submission ON proof_requests (submission_id, id);
    CREATE INDEX proof_requests_author ON proof_requests (author_id, status);

    CREATE TABLE publication_schedules (
      publication_id integer PRIMARY KEY REFERENCES publications (id) ON DELETE CASCADE,
      journal_id integer NOT NULL REFERENCES journals (id) ON DELETE CASCADE,
      mode text NOT NULL CHECK (mode IN ('issue', 'online-first', 'at')),
      issue_id integer REFERENCES issues (id) ON DELETE SET NULL,
      publish_at timestamptz,
      scheduled_by integer REFERENCES users (id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      CHECK (mode <> 'at' OR publish_at IS NOT NULL),
      CHECK (mode <> 'issue' OR issue_id IS NOT NULL)
    );
    CREATE INDEX publication_schedules_issue ON publication_schedules (issue_id) WHERE issue_id IS NOT NULL;

    CREATE TABLE article_notices (
      id serial PRIMARY KEY,
      journal_id integer NOT NULL REFERENCES journals (id) ON DELETE CASCADE,
      notice_article_id integer NOT NULL UNIQUE REFERENCES articles (id) ON DELETE CASCADE,
      article_id integer NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
      kind text NOT NULL CHECK (kind IN ('correction', 'retraction', 'partial_retraction', 'expression_of_concern', 'addendum')),
      created_by integer REFERENCES users (id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      CHECK (notice_article_id <> article_id)
    );
    CREATE INDEX article_notices_article ON article_notices (article_id);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE article_notices;
    DROP TABLE publication_schedules;
    DROP TABLE proof_requests;
    DROP TABLE galley_assets;
    ALTER TABLE journals DROP COLUMN crossmark_policy_doi;
    ALTER TABLE publications DROP COLUMN article_number;
    DELETE FROM editorial_decisions WHERE decision IN ('send-to-production', 'back-to-copyediting');
    ALTER TABLE editorial_decisions DROP CONSTRAINT editorial_decisions_decision_check;
    ALTER TABLE editorial_decisions ADD CONSTRAINT editorial_decisions_decision_check CHECK (decision IN (
      'send-to-review', 'accept', 'request-revisions', 'resubmit', 'new-round', 'decline', 'initial-decline', 'revert-decline',
      'recommend-accept', 'recommend-revisions', 'recommend-resubmit', 'recommend-decline'));
    UPDATE submissions SET status = 'active' WHERE status = 'scheduled';
    ALTER TABLE submissions DROP CONSTRAINT submissions_status_check;
    ALTER TABLE submissions ADD CONSTRAINT submissions_status_check CHECK (status IN ('draft', 'active', 'declined', 'published'));
    DELETE FROM submission_participants WHERE role IN ('copyeditor', 'layout-editor');
    ALTER TABLE submission_participants DROP CONSTRAINT submission_participants_role_check;
    ALTER TABLE submission_participants ADD CONSTRAINT submission_participants_role_check CHECK (role IN ('editor', 'section-editor', 'author'));
  `.execute(db);
}
