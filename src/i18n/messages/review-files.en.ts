/** English strings of the files reviewers download (issue 20, item 4): why a file could not be made anonymous. */
export const reviewFilesEn = {
  'reviewFiles.refused.title': 'This file cannot be downloaded yet',
  'reviewFiles.refused.encrypted': 'The file is password-protected, so the authors’ names could not be taken out of it.',
  'reviewFiles.refused.unreadable': 'The file is damaged or is not what its type says, so the authors’ names could not be taken out of it.',
  'reviewFiles.refused.too-large': 'The file is too large to have the authors’ names taken out of it.',
  'reviewFiles.refused.reviewer': 'In this review neither side learns who the other is, so the file is not given out as it is. The editor can upload a copy without these problems; write to the editor if you need it sooner.',
  'reviewFiles.refused.attachment': 'The reviewer’s file could not have its authoring details removed, so it is not given out as it is. Ask the editor for a copy.',
  'reviewFiles.backToSubmission': 'Back to the submission',
  'reviewFiles.refused.editor': 'Reviewers in double-anonymous review are not given this file. Upload a copy that is not password-protected, not damaged and not larger than 100 MB.',
  'reviewFiles.back': 'Back to the review',
} as const;
