import type { Db } from '../../../catalog/index.ts';
import type { LocalizedText, ReviewFormElementKind } from '../../../db/schema.ts';

/** One question of a review form. Choices are answered by their position in `options` (as text). */
export interface ReviewFormElement {
  id: number;
  kind: ReviewFormElementKind;
  question: LocalizedText;
  description: LocalizedText;
  options: LocalizedText[];
  required: boolean;
  /** Whether the author reads the answer; otherwise only the editors do. */
  visibleToAuthor: boolean;
}

/** A journal's review form with its questions in order (issue 20, item 5). */
export interface ReviewForm {
  id: number;
  journalId: number;
  title: LocalizedText;
  description: LocalizedText;
  isActive: boolean;
  isDefault: boolean;
  elements: ReviewFormElement[];
}

export const ELEMENT_KINDS: readonly ReviewFormElementKind[] = ['short-text', 'long-text', 'single-choice', 'multiple-choice'];

export const isChoice = (kind: ReviewFormElementKind) => kind === 'single-choice' || kind === 'multiple-choice';

type FormRow = { id: number; journal_id: number; title: LocalizedText; description: LocalizedText; is_active: boolean; is_default: boolean };

async function withElements(db: Db, rows: FormRow[]): Promise<ReviewForm[]> {
  if (rows.length === 0) return [];
  const elements = await db
    .selectFrom('review_form_elements')
    .selectAll()
    .where(
      'review_form_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('seq')
    .orderBy('id')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    journalId: row.journal_id,
    title: row.title,
    description: row.description,
    isActive: row.is_active,
    isDefault: row.is_default,
    elements: elements
      .filter((e) => e.review_form_id === row.id)
      .map((e) => ({ id: e.id, kind: e.kind, question: e.question, description: e.description, options: e.options, required: e.required, visibleToAuthor: e.visible_to_author })),
  }));
}

const FORM_COLUMNS = ['id', 'journal_id', 'title', 'description', 'is_active', 'is_default'] as const;

/** The journal's form `formId`, with its questions in order; undefined when the journal has no such form. */
export async function reviewForm(db: Db, journalId: number, formId: number): Promise<ReviewForm | undefined> {
  const row = await db.selectFrom('review_forms').select(FORM_COLUMNS).where('id', '=', formId).where('journal_id', '=', journalId).executeTakeFirst();
  return row ? (await withElements(db, [row]))[0] : undefined;
}

/** The form new rounds use unless the editor picks another; undefined when the journal has none (a free review). */
export async function defaultReviewForm(db: Db, journalId: number): Promise<ReviewForm | undefined> {
  const row = await db.selectFrom('review_forms').select(FORM_COLUMNS).where('journal_id', '=', journalId).where('is_default', '=', true).where('is_active', '=', true).executeTakeFirst();
  return row ? (await withElements(db, [row]))[0] : undefined;
}

/** The forms an editor may choose for a round: the active ones, the default first. */
export async function activeReviewForms(db: Db, journalId: number): Promise<ReviewForm[]> {
  const rows = await db.selectFrom('review_forms').select(FORM_COLUMNS).where('journal_id', '=', journalId).where('is_active', '=', true).orderBy('is_default', 'desc').orderBy('id').execute();
  return withElements(db, rows);
}

/** A row of the manager's list: the form, how many questions, and how many review requests use it. */
export interface ReviewFormSummary {
  id: number;
  title: LocalizedText;
  isActive: boolean;
  isDefault: boolean;
  questions: number;
  reviews: number;
}

export async function reviewFormList(db: Db, journalId: number): Promise<ReviewFormSummary[]> {
  const rows = await db
    .selectFrom('review_forms as f')
    .select((eb) => [
      'f.id',
      'f.title',
      'f.is_active',
      'f.is_default',
      eb.selectFrom('review_form_elements as e').select((e) => e.fn.countAll<string>().as('n')).whereRef('e.review_form_id', '=', 'f.id').as('questions'),
      eb.selectFrom('review_assignments as a').select((a) => a.fn.countAll<string>().as('n')).whereRef('a.review_form_id', '=', 'f.id').as('reviews'),
    ])
    .where('f.journal_id', '=', journalId)
    .orderBy('f.id')
    .execute();
  return rows.map((r) => ({ id: r.id, title: r.title, isActive: r.is_active, isDefault: r.is_default, questions: Number(r.questions ?? 0), reviews: Number(r.reviews ?? 0) }));
}

/**
 * How far a form is in use. `answered`: some review has answers to it, so its questions stay as they
 * are (no question added or removed, no kind, choice, required flag or visibility changed: the answers
 * given would no longer mean what they meant). `used`: rounds or review requests name it, so it is not deleted.
 */
export async function reviewFormUse(db: Db, formId: number): Promise<{ used: boolean; answered: boolean }> {
  const [requests, rounds, answers] = await Promise.all([
    db.selectFrom('review_assignments').select('id').where('review_form_id', '=', formId).limit(1).executeTakeFirst(),
    db.selectFrom('review_rounds').select('id').where('review_form_id', '=', formId).limit(1).executeTakeFirst(),
    db
      .selectFrom('review_responses as r')
      .innerJoin('review_form_elements as e', 'e.id', 'r.element_id')
      .select('r.element_id')
      .where('e.review_form_id', '=', formId)
      .limit(1)
      .executeTakeFirst(),
  ]);
  return { used: requests !== undefined || rounds !== undefined || answers !== undefined, answered: answers !== undefined };
}
