import { sql, type Kysely } from 'kysely';

/**
 * What OAI-PMH harvesters see: one row per article that has ever been public, with the moment its
 * record last changed (the OAI datestamp) and whether it is still public. Triggers keep it in step
 * with the catalog, whoever writes (the app, an import, SQL): an article that stops being visible
 * keeps its row as a tombstone (deleted = true), so harvesters learn of the withdrawal
 * (OAI-PMH deletedRecord "persistent").
 *
 * Triggers kept (issue 18 audit), not event subscribers: harvesters ask "what changed since T", so a
 * change whose datestamp did not move in the same transaction is never harvested, and a write that
 * bypasses the commands (SQL by hand, an import) must move it too. The work is a few row writes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE oai_records (
      article_id integer PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
      journal_id integer NOT NULL REFERENCES journals (id) ON DELETE CASCADE,
      section_id integer NOT NULL,
      datestamp timestamptz NOT NULL,
      deleted boolean NOT NULL DEFAULT false
    );
    CREATE INDEX oai_records_datestamp ON oai_records (datestamp, article_id);
    CREATE INDEX oai_records_journal ON oai_records (journal_id, datestamp, article_id);

    -- Seconds granularity: the stored datestamp is what harvesters see and compare with.
    CREATE FUNCTION revista_oai_refresh(aid integer) RETURNS void LANGUAGE plpgsql AS $$
    DECLARE
      jid integer;
      sid integer;
      visible boolean;
      stamp timestamptz := date_trunc('second', clock_timestamp());
    BEGIN
      SELECT a.journal_id, p.section_id, (p.status = 'published' AND (p.issue_id IS NULL OR coalesce(i.is_published, false)) AND j.enabled)
        INTO jid, sid, visible
        FROM articles a
        JOIN publications p ON p.id = a.current_publication_id
        JOIN journals j ON j.id = a.journal_id
        LEFT JOIN issues i ON i.id = p.issue_id
       WHERE a.id = aid;
      IF coalesce(visible, false) THEN
        INSERT INTO oai_records (article_id, journal_id, section_id, datestamp, deleted)
        VALUES (aid, jid, sid, stamp, false)
        ON CONFLICT (article_id) DO UPDATE
          SET journal_id = EXCLUDED.journal_id, section_id = EXCLUDED.section_id, datestamp = EXCLUDED.datestamp, deleted = false;
      ELSE
        UPDATE oai_records SET deleted = true, datestamp = stamp WHERE article_id = aid AND NOT deleted;
      END IF;
    END
    $$;

    CREATE FUNCTION revista_oai_article_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM revista_oai_refresh(NEW.id);
      RETURN NULL;
    END
    $$;

    CREATE FUNCTION revista_oai_publication_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE row_ record;
    BEGIN
      row_ := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
      PERFORM revista_oai_refresh(a.id) FROM articles a WHERE a.id = row_.article_id AND a.current_publication_id = row_.id;
      RETURN NULL;
    END
    $$;

    -- Contributors, references and galleys are part of a record: a change to them is a change to it.
    CREATE FUNCTION revista_oai_part_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE row_ record;
    BEGIN
      row_ := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
      PERFORM revista_oai_refresh(a.id) FROM articles a WHERE a.current_publication_id = row_.publication_id;
      RETURN NULL;
    END
    $$;

    CREATE FUNCTION revista_oai_issue_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM revista_oai_refresh(a.id) FROM articles a JOIN publications p ON p.id = a.current_publication_id WHERE p.issue_id = NEW.id;
      RETURN NULL;
    END
    $$;

    CREATE FUNCTION revista_oai_journal_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.enabled IS DISTINCT FROM OLD.enabled OR NEW.name IS DISTINCT FROM OLD.name OR NEW.online_issn IS DISTINCT FROM OLD.online_issn
         OR NEW.print_issn IS DISTINCT FROM OLD.print_issn OR NEW.publisher IS DISTINCT FROM OLD.publisher OR NEW.path IS DISTINCT FROM OLD.path THEN
        PERFORM revista_oai_refresh(a.id) FROM articles a WHERE a.journal_id = NEW.id;
      END IF;
      RETURN NULL;
    END
    $$;

    CREATE TRIGGER articles_oai AFTER INSERT OR UPDATE ON articles FOR EACH ROW EXECUTE FUNCTION revista_oai_article_changed();
    CREATE TRIGGER publications_oai AFTER INSERT OR UPDATE OR DELETE ON publications FOR EACH ROW EXECUTE FUNCTION revista_oai_publication_changed();
    CREATE TRIGGER contributors_oai AFTER INSERT OR UPDATE OR DELETE ON contributors FOR EACH ROW EXECUTE FUNCTION revista_oai_part_changed();
    CREATE TRIGGER citations_oai AFTER INSERT OR UPDATE OR DELETE ON citations FOR EACH ROW EXECUTE FUNCTION revista_oai_part_changed();
    CREATE TRIGGER galleys_oai AFTER INSERT OR UPDATE OR DELETE ON galleys FOR EACH ROW EXECUTE FUNCTION revista_oai_part_changed();
    CREATE TRIGGER issues_oai AFTER UPDATE ON issues FOR EACH ROW EXECUTE FUNCTION revista_oai_issue_changed();
    CREATE TRIGGER journals_oai AFTER UPDATE ON journals FOR EACH ROW EXECUTE FUNCTION revista_oai_journal_changed();

    -- Articles already public when this migration runs.
    SELECT revista_oai_refresh(id) FROM articles;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TRIGGER articles_oai ON articles;
    DROP TRIGGER publications_oai ON publications;
    DROP TRIGGER contributors_oai ON contributors;
    DROP TRIGGER citations_oai ON citations;
    DROP TRIGGER galleys_oai ON galleys;
    DROP TRIGGER issues_oai ON issues;
    DROP TRIGGER journals_oai ON journals;
    DROP FUNCTION revista_oai_article_changed(), revista_oai_publication_changed(), revista_oai_part_changed(), revista_oai_issue_changed(), revista_oai_journal_changed();
    DROP FUNCTION revista_oai_refresh(integer);
    DROP TABLE oai_records;
  `.execute(db);
}
