import { sql, type Kysely } from 'kysely';

/**
 * Parsed references (references/store.ts): beside each raw reference in `citations`, its parse —
 * `parsed` = {segments, csl, issues} — tagged with the SHA-256 of the text it was made from and the
 * parser's version.
 *
 * Columns on `citations` rather than a side table: a parse belongs to exactly one row, is read
 * whenever the row is, and changes what the row's article looks like in JATS, Crossref and meta
 * tags — so the catalog's existing triggers (page caches, OAI datestamps) must fire when it
 * changes, which they do for `citations` already.
 *
 * The database cannot run the parser, but it can refuse a stale parse: a row written with a parse
 * whose hash is not its text's (an UPDATE of raw_text by SQL, an import that copies old values) has
 * its parse cleared here, so `parsed` is either right for the text or NULL. NULL rows, and rows
 * parsed by an older parser, are filled by the background pass; the catalog parses in the same
 * transaction as its own writes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE citations
      ADD COLUMN parsed_text_sha256 text CHECK (parsed_text_sha256 ~ '^[0-9a-f]{64}$'),
      ADD COLUMN parser_version text;

    -- Nothing filled parsed before; whatever is there was not made by this parser.
    UPDATE citations SET parsed = NULL WHERE parsed IS NOT NULL;

    CREATE FUNCTION revista_citation_parse_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.parsed IS NOT NULL AND NEW.parsed_text_sha256 IS DISTINCT FROM encode(sha256(convert_to(NEW.raw_text, 'UTF8')), 'hex') THEN
        NEW.parsed := NULL;
      END IF;
      IF NEW.parsed IS NULL THEN
        NEW.parsed_text_sha256 := NULL;
        NEW.parser_version := NULL;
      END IF;
      RETURN NEW;
    END
    $$;

    -- Trigger kept (issue 18 audit): a guard on the row itself — no writer, SQL included, can leave a
    -- parse beside a text it was not made from.
    CREATE TRIGGER citations_parse_guard BEFORE INSERT OR UPDATE ON citations FOR EACH ROW EXECUTE FUNCTION revista_citation_parse_guard();

    -- The background pass looks for NULL and for other versions than its own (< or >: both use it).
    CREATE INDEX citations_parser_version ON citations (parser_version);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TRIGGER citations_parse_guard ON citations;
    DROP FUNCTION revista_citation_parse_guard();
    DROP INDEX citations_parser_version;
    ALTER TABLE citations DROP COLUMN parsed_text_sha256, DROP COLUMN parser_version;
  `.execute(db);
}
