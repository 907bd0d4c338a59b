/** English strings of the galley viewer (reader) and the team's galley preview (workflow). */
export const galleyViewsEn = {
  'galleyView.title': '{label}: {title}',
  'galleyView.backToArticle': 'Back to the article page',
  'galleyView.download': 'Download {label}',
  'galleyView.downloadSize': 'Download {label} ({size})',
  'galleyView.pdfFrame': '{label} of “{title}”',
  'galleyView.pdfHint': 'If the PDF does not show below (some browsers, especially on phones, do not show PDFs in a page), download it.',
  'galleyView.htmlFrame': 'Full text of “{title}”',
  'galleyView.otherFormat': 'This file ({type}) is read with an application of its own: download it to read it.',
  'galleyView.remote': 'This version of the article is published on another site.',
  'galleyView.remoteLink': 'Open {label} on the other site',
  'galleyView.olderVersion': 'This file belongs to version {version} of the article, not the current one.',
  'galleyView.previewNotice': 'Preview: this is how readers will see this galley once the article is published.',
  'galleyView.previewBack': 'Back to the submission',
} as const;
