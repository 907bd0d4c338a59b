import { sql, type Kysely } from 'kysely';

/**
 * One table for every throttle (issue 15): sign-in failures per account, address and device, and
 * the account mails (registration, lost password, confirmation) per source, recipient and domain.
 * `login_failures` already had the shape; it is renamed for what it now holds. Its rows had keys of
 * the old form and are at most an hour from being forgotten, so they go.
 *
 * One-time links learn two things: the journal a person registered through (its reader and author
 * roles are granted when the address is confirmed, not before), and a new purpose, 'revert-email',
 * the link sent to the old address after a change of address.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE login_failures RENAME TO throttle;
    ALTER TABLE throttle RENAME COLUMN failures TO hits;
    ALTER TABLE throttle RENAME COLUMN last_failure_at TO last_hit_at;
    ALTER TABLE throttle RENAME COLUMN locked_until TO blocked_until;
    ALTER TABLE throttle RENAME CONSTRAINT login_failures_pkey TO throttle_pkey;
    DELETE FROM throttle;
    -- Rows nobody has hit for a day are swept; the index keeps that cheap.
    CREATE INDEX throttle_last_hit ON throttle (last_hit_at);

    ALTER TABLE account_tokens ADD COLUMN journal_id integer REFERENCES journals (id) ON DELETE SET NULL;
    ALTER TABLE account_tokens DROP CONSTRAINT account_tokens_purpose_check;
    ALTER TABLE account_tokens ADD CONSTRAINT account_tokens_purpose_check CHECK (purpose IN ('verify-email', 'reset-password', 'change-email', 'revert-email'));
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DELETE FROM account_tokens WHERE purpose = 'revert-email';
    ALTER TABLE account_tokens DROP CONSTRAINT account_tokens_purpose_check;
    ALTER TABLE account_tokens ADD CONSTRAINT account_tokens_purpose_check CHECK (purpose IN ('verify-email', 'reset-password', 'change-email'));
    ALTER TABLE account_tokens DROP COLUMN journal_id;

    DROP INDEX throttle_last_hit;
    DELETE FROM throttle;
    ALTER TABLE throttle RENAME CONSTRAINT throttle_pkey TO login_failures_pkey;
    ALTER TABLE throttle RENAME COLUMN blocked_until TO locked_until;
    ALTER TABLE throttle RENAME COLUMN last_hit_at TO last_failure_at;
    ALTER TABLE throttle RENAME COLUMN hits TO failures;
    ALTER TABLE throttle RENAME TO login_failures;
  `.execute(db);
}
