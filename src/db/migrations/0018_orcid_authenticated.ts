import { sql, type Kysely } from 'kysely';

/**
 * Whether a contributor's ORCID iD is authenticated: the person proved it is theirs by signing in
 * to ORCID (OAuth), so that Crossref may be told `<ORCID authenticated="true">`. An iD typed into a
 * form, or imported from OJS Native XML (whose `<orcid>` carries no proof: native.xsd 3.1 to main
 * has no attribute for it, and OJS keeps the access token out of its exports), is not.
 *
 * The database keeps the claim honest: without an iD there is nothing authenticated, and an update
 * that changes the iD clears the flag unless that same update is the one turning it on (an
 * authentication of the new iD). So no edit of an authenticated iD can carry the old proof over.
 *
 * Trigger kept (issue 18 audit): a guard on the row itself, for every writer (an import, SQL).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE contributors ADD COLUMN orcid_authenticated boolean NOT NULL DEFAULT false;

    CREATE FUNCTION contributors_orcid_authenticated() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.orcid IS NULL OR btrim(NEW.orcid) = '' THEN
        NEW.orcid_authenticated := false;
      ELSIF TG_OP = 'UPDATE' AND NEW.orcid IS DISTINCT FROM OLD.orcid AND OLD.orcid_authenticated THEN
        NEW.orcid_authenticated := false;
      END IF;
      RETURN NEW;
    END
    $$;

    CREATE TRIGGER contributors_orcid_authenticated BEFORE INSERT OR UPDATE ON contributors
      FOR EACH ROW EXECUTE FUNCTION contributors_orcid_authenticated();
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TRIGGER contributors_orcid_authenticated ON contributors;
    DROP FUNCTION contributors_orcid_authenticated();
    ALTER TABLE contributors DROP COLUMN orcid_authenticated;
  `.execute(db);
}
