// Review forms (issue 20, item 5): what other parts of the review use. The manager's pages are in web/review-settings.ts.
export { reviewForm, defaultReviewForm, activeReviewForms, reviewFormList, reviewFormUse, isChoice, ELEMENT_KINDS, type ReviewForm, type ReviewFormElement, type ReviewFormSummary } from './read.ts';
export { checkResponses, saveResponses, reviewResponses, answerField, ANSWER_LIMITS, type ResponseValue, type ResponseError } from './responses.ts';
export {
  createReviewForm,
  updateReviewForm,
  makeDefaultReviewForm,
  deleteReviewForm,
  addReviewFormElement,
  updateReviewFormElement,
  moveReviewFormElement,
  deleteReviewFormElement,
  optionsFromLines,
  optionsToLines,
  ReviewFormInvalid,
  ReviewFormRefused,
  REVIEW_FORM_LIMITS,
  type ReviewFormInput,
  type ReviewFormElementInput,
  type ReviewFormFieldError,
  type ReviewFormErrorCode,
} from './commands.ts';
export { seedDefaultReviewForm } from './seed.ts';
export { ReviewFormFields, ReviewFormAnswers, responseErrorMessages } from '../../web/views/review-forms-fields.tsx';
