import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/index.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** What a person may list as reviewing interests (migration 0028 holds each to 100 characters). */
export const MAX_REVIEWER_INTERESTS = 30;
export const MAX_REVIEWER_INTEREST_LENGTH = 100;
/** The form field's bound: every interest at its longest, with a separator each. */
export const REVIEWER_INTERESTS_TEXT_LENGTH = MAX_REVIEWER_INTERESTS * (MAX_REVIEWER_INTEREST_LENGTH + 2);

export type InterestsProblem = 'too-many' | 'too-long';

/**
 * Interests as typed: separated by commas, semicolons or lines, spaces tidied, empty ones dropped.
 * Refused (with the reason) beyond MAX_REVIEWER_INTERESTS or MAX_REVIEWER_INTEREST_LENGTH characters.
 */
export function parseReviewerInterests(text: string): { interests: string[]; problem?: InterestsProblem } {
  const interests = text
    .split(/[,;\n\r]+/)
    .map((i) => i.replace(/\s+/g, ' ').trim())
    .filter((i) => i !== '');
  if (interests.some((i) => [...i].length > MAX_REVIEWER_INTEREST_LENGTH)) return { interests, problem: 'too-long' };
  if (interests.length > MAX_REVIEWER_INTERESTS) return { interests, problem: 'too-many' };
  return { interests };
}

/** A person's interests, in the order of their folded text. */
export async function reviewerInterests(db: Db, userId: number): Promise<string[]> {
  const rows = await db.selectFrom('reviewer_interests').select('interest').where('user_id', '=', userId).orderBy(sql`revista_search_fold(interest)`).orderBy('interest').execute();
  return rows.map((r) => r.interest);
}

/**
 * Replaces a person's interests. Two that fold alike ("Łódź" and "lodz", "Memory" and "memory") are
 * one: the first written is kept.
 */
export async function saveReviewerInterests(db: Db, userId: number, interests: string[]): Promise<void> {
  const kept = interests.slice(0, MAX_REVIEWER_INTERESTS).filter((i) => i.trim() !== '' && [...i].length <= MAX_REVIEWER_INTEREST_LENGTH);
  const replace = async (trx: Db) => {
    await trx.deleteFrom('reviewer_interests').where('user_id', '=', userId).execute();
    if (kept.length === 0) return;
    await sql`
      INSERT INTO reviewer_interests (user_id, interest)
      SELECT ${userId}::int, i FROM (
        SELECT DISTINCT ON (revista_search_fold(btrim(i))) btrim(i) AS i, n FROM unnest(${kept}::text[]) WITH ORDINALITY AS t(i, n)
        ORDER BY revista_search_fold(btrim(i)), n
      ) AS first ON CONFLICT DO NOTHING`.execute(trx);
  };
  await (db.isTransaction ? replace(db) : db.transaction().execute(replace));
}
