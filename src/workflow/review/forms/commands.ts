import type { Transaction } from 'kysely';
import { inTransaction, reorder, type Db } from '../../../catalog/index.ts';
import type { Database, LocalizedText } from '../../../db/schema.ts';
import { ELEMENT_KINDS, isChoice, reviewFormUse, type ReviewFormElement } from './read.ts';

/**
 * The manager's review forms (issue 20, item 5): a form (title, description, active, default) and its
 * questions. As in OJS, a form whose questions someone has answered keeps its questions: only their
 * texts change (and their order), so every answer given still means what it meant; a form rounds or
 * requests name is deactivated rather than deleted.
 */

export const REVIEW_FORM_LIMITS = {
  title: 300,
  description: 5_000,
  question: 2_000,
  questionDescription: 5_000,
  option: 500,
  options: 50,
  elements: 100,
} as const;

export type ReviewFormErrorCode = 'required' | 'too-long' | 'too-many' | 'options-missing' | 'kind-unknown';

export interface ReviewFormFieldError {
  field: string;
  code: ReviewFormErrorCode;
  params?: Record<string, string | number>;
}

/** A save refused: every refused value, by form field. Nothing was written. */
export class ReviewFormInvalid extends Error {
  readonly status = 400;
  readonly statusCode = 400;
  constructor(readonly errors: readonly ReviewFormFieldError[]) {
    super(`invalid review form: ${errors.map((e) => `${e.field} ${e.code}`).join(', ')}`);
    this.name = 'ReviewFormInvalid';
  }
}

/**
 * A change the form's use forbids: `answered` (its questions were answered: none added, removed, or
 * changed but in their texts), `in-use` (rounds or requests name it: not deleted), `unknown` (no such
 * form or question in the journal).
 */
export class ReviewFormRefused extends Error {
  readonly statusCode: number;
  constructor(readonly reason: 'answered' | 'in-use' | 'unknown') {
    super(`review form change refused: ${reason}`);
    this.name = 'ReviewFormRefused';
    this.statusCode = reason === 'unknown' ? 404 : 409;
  }
}

export interface ReviewFormInput {
  title: LocalizedText;
  description: LocalizedText;
  isActive: boolean;
}

export interface ReviewFormElementInput {
  kind: string;
  question: LocalizedText;
  description: LocalizedText;
  /** The choices of a choice question, in order; ignored for text questions. */
  options: LocalizedText[];
  required: boolean;
  visibleToAuthor: boolean;
}

/** Values per language, trimmed, blank ones left out. */
function trimmed(text: LocalizedText): LocalizedText {
  const out: LocalizedText = {};
  for (const [locale, value] of Object.entries(text)) if (value.trim() !== '') out[locale] = value.trim();
  return out;
}

function checkText(errors: ReviewFormFieldError[], field: string, text: LocalizedText, max: number, required: boolean): void {
  if (required && Object.keys(text).length === 0) errors.push({ field, code: 'required' });
  else if (Object.values(text).some((value) => value.length > max)) errors.push({ field, code: 'too-long', params: { max } });
}

/**
 * The choices typed one per line, a text per language: line n of each language is choice n (blank
 * lines at the end left out, a choice blank in every language dropped).
 */
export function optionsFromLines(lines: LocalizedText): LocalizedText[] {
  const perLocale = Object.entries(lines).map(([locale, text]) => [locale, text.split(/\r?\n/).map((line) => line.trim())] as const);
  const count = Math.max(0, ...perLocale.map(([, list]) => list.length));
  const options: LocalizedText[] = [];
  for (let i = 0; i < count; i++) {
    const option: LocalizedText = {};
    for (const [locale, list] of perLocale) if (list[i]) option[locale] = list[i]!;
    if (Object.keys(option).length > 0) options.push(option);
  }
  return options;
}

/** The reverse of `optionsFromLines`: each language's choices, one per line. */
export function optionsToLines(options: readonly LocalizedText[], locales: readonly string[]): LocalizedText {
  const out: LocalizedText = {};
  for (const locale of locales) {
    const lines = options.map((o) => o[locale] ?? '');
    if (lines.some((line) => line !== '')) out[locale] = lines.join('\n');
  }
  return out;
}

export function checkReviewForm(input: ReviewFormInput): { errors: ReviewFormFieldError[]; title: LocalizedText; description: LocalizedText } {
  const errors: ReviewFormFieldError[] = [];
  const title = trimmed(input.title);
  const description = trimmed(input.description);
  checkText(errors, 'title', title, REVIEW_FORM_LIMITS.title, true);
  checkText(errors, 'description', description, REVIEW_FORM_LIMITS.description, false);
  return { errors, title, description };
}

/** A question as it is stored. */
export type CheckedElement = Omit<ReviewFormElement, 'id'>;

/** The columns of a question, JSON as text (what both drivers take). */
const elementColumns = (element: CheckedElement) => ({
  kind: element.kind,
  question: JSON.stringify(element.question),
  description: JSON.stringify(element.description),
  options: JSON.stringify(element.options),
  required: element.required,
  visible_to_author: element.visibleToAuthor,
});

export function checkReviewFormElement(input: ReviewFormElementInput): { errors: ReviewFormFieldError[]; element: CheckedElement } {
  const errors: ReviewFormFieldError[] = [];
  const kind = ELEMENT_KINDS.find((k) => k === input.kind);
  if (!kind) errors.push({ field: 'kind', code: 'kind-unknown' });
  const question = trimmed(input.question);
  const description = trimmed(input.description);
  checkText(errors, 'question', question, REVIEW_FORM_LIMITS.question, true);
  checkText(errors, 'description', description, REVIEW_FORM_LIMITS.questionDescription, false);
  const options = kind && isChoice(kind) ? input.options.map(trimmed).filter((o) => Object.keys(o).length > 0) : [];
  if (kind && isChoice(kind)) {
    if (options.length < 2) errors.push({ field: 'options', code: 'options-missing' });
    else if (options.length > REVIEW_FORM_LIMITS.options) errors.push({ field: 'options', code: 'too-many', params: { max: REVIEW_FORM_LIMITS.options } });
    else if (options.some((o) => Object.values(o).some((text) => text.length > REVIEW_FORM_LIMITS.option))) errors.push({ field: 'options', code: 'too-long', params: { max: REVIEW_FORM_LIMITS.option } });
  }
  return { errors, element: { kind: kind ?? 'short-text', question, description, options, required: input.required, visibleToAuthor: input.visibleToAuthor } };
}

/** The journal's form, locked against a concurrent change of its questions, or ReviewFormRefused('unknown'). */
async function lockForm(trx: Transaction<Database>, journalId: number, formId: number) {
  const form = await trx.selectFrom('review_forms').select(['id', 'is_default']).where('id', '=', formId).where('journal_id', '=', journalId).forUpdate().executeTakeFirst();
  if (!form) throw new ReviewFormRefused('unknown');
  return form;
}

export async function createReviewForm(db: Db, journalId: number, input: ReviewFormInput, now: Date): Promise<number> {
  const { errors, title, description } = checkReviewForm(input);
  if (errors.length > 0) throw new ReviewFormInvalid(errors);
  const row = await db
    .insertInto('review_forms')
    .values({ journal_id: journalId, title: JSON.stringify(title), description: JSON.stringify(description), is_active: input.isActive, created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Saves a form's texts and whether it is active; a form made inactive stops being the default. */
export async function updateReviewForm(db: Db, journalId: number, formId: number, input: ReviewFormInput, now: Date): Promise<void> {
  const { errors, title, description } = checkReviewForm(input);
  if (errors.length > 0) throw new ReviewFormInvalid(errors);
  await inTransaction(db, async (trx) => {
    const form = await lockForm(trx, journalId, formId);
    await trx
      .updateTable('review_forms')
      .set({ title: JSON.stringify(title), description: JSON.stringify(description), is_active: input.isActive, is_default: form.is_default && input.isActive, updated_at: now })
      .where('id', '=', formId)
      .execute();
  });
}

/** Makes the form the journal's default (and active); the former default stops being one. */
export async function makeDefaultReviewForm(db: Db, journalId: number, formId: number, now: Date): Promise<void> {
  await inTransaction(db, async (trx) => {
    await lockForm(trx, journalId, formId);
    // Two statements: the partial unique index allows one default per journal at any moment.
    await trx.updateTable('review_forms').set({ is_default: false, updated_at: now }).where('journal_id', '=', journalId).where('is_default', '=', true).where('id', '<>', formId).execute();
    await trx.updateTable('review_forms').set({ is_default: true, is_active: true, updated_at: now }).where('id', '=', formId).execute();
  });
}

/** Deletes a form no round or request names; ReviewFormRefused('in-use') otherwise (deactivate it instead). */
export async function deleteReviewForm(db: Db, journalId: number, formId: number): Promise<void> {
  await inTransaction(db, async (trx) => {
    await lockForm(trx, journalId, formId);
    if ((await reviewFormUse(trx, formId)).used) throw new ReviewFormRefused('in-use');
    await trx.deleteFrom('review_forms').where('id', '=', formId).execute();
  });
}

async function refuseIfAnswered(trx: Transaction<Database>, formId: number): Promise<void> {
  if ((await reviewFormUse(trx, formId)).answered) throw new ReviewFormRefused('answered');
}

/** Adds a question at the end of the form; refused once the form has answers. */
export async function addReviewFormElement(db: Db, journalId: number, formId: number, input: ReviewFormElementInput, now: Date): Promise<number> {
  const { errors, element } = checkReviewFormElement(input);
  if (errors.length > 0) throw new ReviewFormInvalid(errors);
  return inTransaction(db, async (trx) => {
    await lockForm(trx, journalId, formId);
    await refuseIfAnswered(trx, formId);
    const { n, last } = await trx
      .selectFrom('review_form_elements')
      .select((eb) => [eb.fn.countAll<string>().as('n'), eb.fn.max('seq').as('last')])
      .where('review_form_id', '=', formId)
      .executeTakeFirstOrThrow();
    if (Number(n) >= REVIEW_FORM_LIMITS.elements) throw new ReviewFormInvalid([{ field: '', code: 'too-many', params: { max: REVIEW_FORM_LIMITS.elements } }]);
    const row = await trx
      .insertInto('review_form_elements')
      .values({ review_form_id: formId, seq: Number(last ?? 0) + 1, ...elementColumns(element) })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx.updateTable('review_forms').set({ updated_at: now }).where('id', '=', formId).execute();
    return row.id;
  });
}

const sameOptions = (a: readonly LocalizedText[], b: readonly LocalizedText[]) => JSON.stringify(a.map((o) => Object.entries(o).sort())) === JSON.stringify(b.map((o) => Object.entries(o).sort()));

/**
 * Saves a question. Once the form has answers only the question's texts change: a different kind,
 * choices, required flag or visibility is ReviewFormRefused('answered').
 */
export async function updateReviewFormElement(db: Db, journalId: number, formId: number, elementId: number, input: ReviewFormElementInput, now: Date): Promise<void> {
  const { errors, element } = checkReviewFormElement(input);
  if (errors.length > 0) throw new ReviewFormInvalid(errors);
  await inTransaction(db, async (trx) => {
    await lockForm(trx, journalId, formId);
    const current = await trx.selectFrom('review_form_elements').selectAll().where('id', '=', elementId).where('review_form_id', '=', formId).executeTakeFirst();
    if (!current) throw new ReviewFormRefused('unknown');
    const structureChanged = current.kind !== element.kind || !sameOptions(current.options, element.options) || current.required !== element.required || current.visible_to_author !== element.visibleToAuthor;
    if (structureChanged) await refuseIfAnswered(trx, formId);
    await trx
      .updateTable('review_form_elements')
      .set(elementColumns(element))
      .where('id', '=', elementId)
      .execute();
    await trx.updateTable('review_forms').set({ updated_at: now }).where('id', '=', formId).execute();
  });
}

/** Moves a question one place up or down (answers are kept by question, so the order may always change). */
export async function moveReviewFormElement(db: Db, journalId: number, formId: number, elementId: number, direction: 'up' | 'down'): Promise<void> {
  await inTransaction(db, async (trx) => {
    await lockForm(trx, journalId, formId);
    const elements = await trx.selectFrom('review_form_elements').select('id').where('review_form_id', '=', formId).orderBy('seq').orderBy('id').execute();
    if (!elements.some((e) => e.id === elementId)) throw new ReviewFormRefused('unknown');
    for (const { id, seq } of reorder(elements, elementId, direction)) await trx.updateTable('review_form_elements').set({ seq }).where('id', '=', id).execute();
  });
}

/** Removes a question; refused once the form has answers (the answers would go with it). */
export async function deleteReviewFormElement(db: Db, journalId: number, formId: number, elementId: number): Promise<void> {
  await inTransaction(db, async (trx) => {
    await lockForm(trx, journalId, formId);
    await refuseIfAnswered(trx, formId);
    const deleted = await trx.deleteFrom('review_form_elements').where('id', '=', elementId).where('review_form_id', '=', formId).executeTakeFirst();
    if (Number(deleted.numDeletedRows) === 0) throw new ReviewFormRefused('unknown');
  });
}
