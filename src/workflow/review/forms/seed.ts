import type { Db } from '../../../catalog/index.ts';
import { addReviewFormElement, createReviewForm, makeDefaultReviewForm, type ReviewFormElementInput } from './commands.ts';

const QUESTIONS: ReviewFormElementInput[] = [
  {
    kind: 'single-choice',
    question: { en: 'How original is the contribution?', pl: 'Na ile oryginalny jest tekst?' },
    description: {},
    options: [
      { en: 'Highly original', pl: 'Bardzo oryginalny' },
      { en: 'Somewhat original', pl: 'Częściowo oryginalny' },
      { en: 'Not original', pl: 'Nieoryginalny' },
    ],
    required: true,
    visibleToAuthor: true,
  },
  {
    kind: 'long-text',
    question: { en: 'Are the methods and sources appropriate and used soundly?', pl: 'Czy metody i źródła są właściwe i rzetelnie wykorzystane?' },
    description: { en: 'Say what should change, if anything.', pl: 'Napisz, co należałoby zmienić, jeśli cokolwiek.' },
    options: [],
    required: true,
    visibleToAuthor: true,
  },
  {
    kind: 'single-choice',
    question: { en: 'How significant is the contribution to the field?', pl: 'Jak duże jest znaczenie tekstu dla dziedziny?' },
    description: {},
    options: [
      { en: 'High', pl: 'Duże' },
      { en: 'Moderate', pl: 'Umiarkowane' },
      { en: 'Low', pl: 'Małe' },
    ],
    required: true,
    visibleToAuthor: false,
  },
  {
    kind: 'multiple-choice',
    question: { en: 'What would improve the text?', pl: 'Co poprawiłoby tekst?' },
    description: { en: 'Choose any that apply.', pl: 'Zaznacz wszystkie właściwe odpowiedzi.' },
    options: [
      { en: 'A clearer structure', pl: 'Jaśniejsza struktura' },
      { en: 'More recent literature', pl: 'Nowsza literatura' },
      { en: 'Stronger evidence', pl: 'Mocniejsze dowody' },
      { en: 'Language editing', pl: 'Redakcja językowa' },
    ],
    required: false,
    visibleToAuthor: true,
  },
];

/** The demo journal's default review form, in English and Polish, so a fresh site reviews with one. */
export async function seedDefaultReviewForm(db: Db, journalId: number, now: Date): Promise<number> {
  const formId = await createReviewForm(
    db,
    journalId,
    { title: { en: 'Review form', pl: 'Formularz recenzji' }, description: { en: 'Answer each question; the editors read every answer, the author those marked for the author.', pl: 'Odpowiedz na każde pytanie; redaktorzy czytają wszystkie odpowiedzi, autor te oznaczone dla autora.' }, isActive: true },
    now,
  );
  for (const question of QUESTIONS) await addReviewFormElement(db, journalId, formId, question, now);
  await makeDefaultReviewForm(db, journalId, formId, now);
  return formId;
}
