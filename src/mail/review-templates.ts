import type { BuiltInLocale } from './template-types.ts';

/**
 * The mails of peer review and decisions (issue 20): what each is for and its variables. They frame
 * the editor's own words: `{{message}}` is a request's or a decision's personal message and
 * `{{reviews}}` the reviews shared with the author, each a block of its own (with its blank line) or
 * empty. In double-anonymous mode a reviewer's mail has no `{{authors}}`, and no mail to an author
 * names a reviewer unless the review is open.
 */

export const REVIEW_MAIL_TEMPLATE_KEYS = [
  'review-request',
  'review-request-invitation',
  'review-response-reminder',
  'review-reminder',
  'review-confirmed',
  'review-declined',
  'review-thanks',
  'review-completed',
  'review-cancelled',
  'review-reinstated',
  'review-dates-changed',
  'decision-send-to-review',
  'decision-accept',
  'decision-request-revisions',
  'decision-resubmit',
  'decision-new-round',
  'decision-decline',
  'decision-initial-decline',
  'decision-revert-decline',
  'recommendation',
  'revisions-submitted',
] as const;
export type ReviewMailTemplateKey = (typeof REVIEW_MAIL_TEMPLATE_KEYS)[number];

interface Info {
  description: Record<BuiltInLocale, string>;
  variables: string[];
}

const REQUEST = ['name', 'journalName', 'title', 'abstract', 'authors', 'message', 'responseDue', 'reviewDue', 'acceptUrl', 'declineUrl'];
const TO_EDITORS = ['name', 'journalName', 'title', 'submissionId', 'submissionUrl'];
const DECISION = ['name', 'journalName', 'title', 'submissionId', 'message', 'submissionUrl'];
const DECISION_WITH_REVIEWS = [...DECISION, 'reviews'];
const REVISIONS = ['name', 'journalName', 'title', 'submissionId', 'message', 'reviews', 'revisionsUrl'];

export const reviewMailTemplateInfo: Record<ReviewMailTemplateKey, Info> = {
  'review-request': {
    description: {
      en: 'Sent to a reviewer with an account when an editor asks them to review: the title, the abstract, the dates, links to accept or decline, and the editor’s message. In double-anonymous review {{authors}} is empty.',
      pl: 'Wysyłany do recenzenta mającego konto, gdy redaktor prosi o recenzję: tytuł, abstrakt, terminy, linki do przyjęcia lub odrzucenia prośby i wiadomość redaktora. W recenzji podwójnie anonimowej {{authors}} jest puste.',
    },
    variables: [...REQUEST, 'reviewUrl'],
  },
  'review-request-invitation': {
    description: {
      en: 'Sent to someone without an account when an editor asks them to review: accepting makes their account. In double-anonymous review {{authors}} is empty.',
      pl: 'Wysyłany do osoby bez konta, gdy redaktor prosi ją o recenzję: przyjęcie prośby zakłada konto. W recenzji podwójnie anonimowej {{authors}} jest puste.',
    },
    variables: REQUEST,
  },
  'review-response-reminder': {
    description: {
      en: 'Sent to a reviewer who has not answered a review request, before and after the answer’s due date, with the links again.',
      pl: 'Wysyłany do recenzenta, który nie odpowiedział na prośbę o recenzję, przed terminem odpowiedzi i po nim, z linkami do odpowiedzi.',
    },
    variables: ['name', 'journalName', 'title', 'responseDue', 'acceptUrl', 'declineUrl'],
  },
  'review-reminder': {
    description: {
      en: 'Sent to a reviewer whose review is due soon or overdue.',
      pl: 'Wysyłany do recenzenta, gdy zbliża się lub minął termin recenzji.',
    },
    variables: ['name', 'journalName', 'title', 'reviewDue', 'reviewUrl'],
  },
  'review-confirmed': {
    description: { en: 'Sent to the submission’s editors when a reviewer accepts a review request.', pl: 'Wysyłany do redaktorów zgłoszenia, gdy recenzent przyjmie prośbę o recenzję.' },
    variables: [...TO_EDITORS, 'reviewer', 'reviewDue'],
  },
  'review-declined': {
    description: { en: 'Sent to the submission’s editors when a reviewer declines a review request.', pl: 'Wysyłany do redaktorów zgłoszenia, gdy recenzent odmówi recenzji.' },
    variables: [...TO_EDITORS, 'reviewer', 'reason'],
  },
  'review-thanks': {
    description: { en: 'Sent to a reviewer once their review is sent: thanks.', pl: 'Wysyłany do recenzenta po przesłaniu recenzji: podziękowanie.' },
    variables: ['name', 'journalName', 'title'],
  },
  'review-completed': {
    description: { en: 'Sent to the submission’s editors when a reviewer sends their review.', pl: 'Wysyłany do redaktorów zgłoszenia, gdy recenzent prześle recenzję.' },
    variables: [...TO_EDITORS, 'reviewer', 'recommendation'],
  },
  'review-cancelled': {
    description: { en: 'Sent to a reviewer when an editor cancels their review request.', pl: 'Wysyłany do recenzenta, gdy redaktor wycofa prośbę o recenzję.' },
    variables: ['name', 'journalName', 'title'],
  },
  'review-reinstated': {
    description: { en: 'Sent to a reviewer when an editor reinstates a cancelled review request.', pl: 'Wysyłany do recenzenta, gdy redaktor przywróci wycofaną prośbę o recenzję.' },
    variables: ['name', 'journalName', 'title', 'reviewDue', 'nextStep'],
  },
  'review-dates-changed': {
    description: { en: 'Sent to a reviewer when an editor changes the due dates of their review.', pl: 'Wysyłany do recenzenta, gdy redaktor zmieni terminy recenzji.' },
    variables: ['name', 'journalName', 'title', 'responseDue', 'reviewDue', 'nextStep'],
  },
  'decision-send-to-review': {
    description: { en: 'Sent to the authors when the submission is sent to review.', pl: 'Wysyłany do autorów, gdy zgłoszenie zostanie skierowane do recenzji.' },
    variables: DECISION,
  },
  'decision-accept': {
    description: { en: 'Sent to the authors when the submission is accepted, with the reviews the editor shares.', pl: 'Wysyłany do autorów, gdy zgłoszenie zostanie przyjęte, z recenzjami udostępnionymi przez redaktora.' },
    variables: DECISION_WITH_REVIEWS,
  },
  'decision-request-revisions': {
    description: { en: 'Sent to the authors when the editor asks for revisions, with the reviews the editor shares.', pl: 'Wysyłany do autorów, gdy redaktor prosi o poprawki, z recenzjami udostępnionymi przez redaktora.' },
    variables: REVISIONS,
  },
  'decision-resubmit': {
    description: {
      en: 'Sent to the authors when the editor asks them to revise and resubmit for another round of review, with the reviews the editor shares.',
      pl: 'Wysyłany do autorów, gdy redaktor prosi o poprawienie tekstu i ponowne przesłanie do kolejnej rundy recenzji, z udostępnionymi recenzjami.',
    },
    variables: REVISIONS,
  },
  'decision-new-round': {
    description: { en: 'Sent to the authors when a new round of review begins.', pl: 'Wysyłany do autorów, gdy rozpoczyna się nowa runda recenzji.' },
    variables: DECISION,
  },
  'decision-decline': {
    description: { en: 'Sent to the authors when the submission is declined after review, with the reviews the editor shares.', pl: 'Wysyłany do autorów, gdy zgłoszenie zostanie odrzucone po recenzji, z recenzjami udostępnionymi przez redaktora.' },
    variables: DECISION_WITH_REVIEWS,
  },
  'decision-initial-decline': {
    description: { en: 'Sent to the authors when the submission is declined without review.', pl: 'Wysyłany do autorów, gdy zgłoszenie zostanie odrzucone bez recenzji.' },
    variables: DECISION,
  },
  'decision-revert-decline': {
    description: { en: 'Sent to the authors when a decline is reverted and the submission is under consideration again.', pl: 'Wysyłany do autorów, gdy odrzucenie zostanie cofnięte i zgłoszenie znów jest rozpatrywane.' },
    variables: DECISION,
  },
  recommendation: {
    description: { en: 'Sent to the deciding editors when an editor limited to recommending recommends a decision.', pl: 'Wysyłany do redaktorów podejmujących decyzje, gdy redaktor uprawniony tylko do rekomendacji zarekomenduje decyzję.' },
    variables: [...TO_EDITORS, 'editorName', 'recommendation', 'message'],
  },
  'revisions-submitted': {
    description: { en: 'Sent to the submission’s editors when the author uploads revised files.', pl: 'Wysyłany do redaktorów zgłoszenia, gdy autor prześle poprawione pliki.' },
    variables: [...TO_EDITORS, 'author', 'round'],
  },
};
