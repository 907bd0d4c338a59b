/** English strings of the editors' reference check (admin article and issue pages). */
export const referenceUseEn = {
  'refcheck.field': 'References',
  'refcheck.fieldHint': 'One reference per line, as printed in the article. Saving checks them again.',
  'refcheck.title': 'Reference check',
  'refcheck.summary': 'References with problems: {problems} of {total}.',
  'refcheck.allGood': 'No problems found in the {total} references.',
  'refcheck.none': 'This article has no references.',
  'refcheck.pending': 'References not checked yet: {count}. They are checked in the background; reload the page in a moment.',
  'refcheck.error': 'Error',
  'refcheck.warning': 'Warning',
  'refcheck.reference': 'Reference {seq}',
  'refcheck.tooMany': 'At most {max} references can be saved.',
  'refcheck.tooLong': 'The references are too long: at most {max} characters in all.',
  'refcheck.column': 'References with problems',
  'refcheck.cell': '{problems} of {total}',
  'refcheck.issueSummary': 'References with problems in this issue: {problems} of {total}. Open an article to see what is wrong.',
};
