import type { Db } from '../../catalog/index.ts';
import type { Anonymity } from '../../db/schema.ts';
import { SettingsInvalid, type SettingsFieldError } from '../settings/commands.ts';
import { ANONYMITY_MODES, type ReviewSettings } from './settings.ts';

/**
 * The manager's review settings (issue 20, items 4 and 7): the default anonymity of new requests, the
 * days reviewers get, reminders, and what an accept or revisions decision waits for. Every value is
 * checked before anything is written; a refused save (SettingsInvalid, as the submission settings')
 * leaves the settings as they were.
 */

/** The bounds the database checks too (migration 0028), so a refusal is a message, never a failed statement. */
export const REVIEW_SETTINGS_RANGES = {
  responseDays: { min: 1, max: 365 },
  reviewDays: { min: 1, max: 365 },
  remindDaysBefore: { min: 0, max: 60 },
  remindDaysAfter: { min: 0, max: 60 },
  minReviews: { min: 0, max: 10 },
} as const satisfies Record<string, { min: number; max: number }>;

/** As typed: numbers are NaN when what was typed is no number, the mode any text. */
export interface ReviewSettingsInput extends Omit<ReviewSettings, 'anonymity'> {
  anonymity: string;
}

export function checkReviewSettings(input: ReviewSettingsInput): SettingsFieldError[] {
  const errors: SettingsFieldError[] = [];
  if (!ANONYMITY_MODES.includes(input.anonymity as Anonymity)) errors.push({ field: 'anonymity', code: 'required' });
  for (const [field, { min, max }] of Object.entries(REVIEW_SETTINGS_RANGES)) {
    const value = input[field as keyof typeof REVIEW_SETTINGS_RANGES];
    if (!Number.isInteger(value) || value < min || value > max) errors.push({ field, code: 'range', params: { min, max } });
  }
  return errors;
}

/** Saves the journal's review settings; throws SettingsInvalid (nothing written) when any value is refused. */
export async function saveReviewSettings(db: Db, journalId: number, input: ReviewSettingsInput, now: Date): Promise<void> {
  const errors = checkReviewSettings(input);
  if (errors.length > 0) throw new SettingsInvalid(errors);
  const values = {
    anonymity: input.anonymity as Anonymity,
    response_days: input.responseDays,
    review_days: input.reviewDays,
    remind_days_before: input.remindDaysBefore,
    remind_days_after: input.remindDaysAfter,
    min_reviews: input.minReviews,
    wait_for_reviews: input.waitForReviews,
    updated_at: now,
  };
  await db
    .insertInto('review_settings')
    .values({ journal_id: journalId, ...values })
    .onConflict((oc) => oc.column('journal_id').doUpdateSet(values))
    .execute();
}
