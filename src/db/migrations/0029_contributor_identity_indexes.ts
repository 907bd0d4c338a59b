import { sql, type Kysely } from 'kysely';

/**
 * Reviewer search's conflict hints (issue 20) look contributors up by address and by ORCID iD: who of
 * the candidate reviewers wrote for the journal, and with whom. Both as the search compares them
 * (lower-cased address; the iD's last 19 characters, upper-cased, so a bare iD and its https form meet).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE INDEX contributors_email_lookup ON contributors (lower(email));
    CREATE INDEX contributors_orcid_lookup ON contributors (upper(right(orcid, 19)));
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX contributors_orcid_lookup; DROP INDEX contributors_email_lookup`.execute(db);
}
