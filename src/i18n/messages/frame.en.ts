/** English strings of the page frame: error pages every capability shares (issue 18). */
export const frameEn = {
  'badRequest.title': 'This request cannot be answered',
  'badRequest.message': 'The address or the form sent something this page does not take. Go back, check what was entered and try again.',
  'badRequest.detail': 'What was wrong (for the site administrator):',
} as const;
