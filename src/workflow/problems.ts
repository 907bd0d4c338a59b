import type { Db } from '../catalog/index.ts';
import type { SubmissionProblem } from './errors.ts';
import type { SubmissionRecord } from './queries.ts';
import { sectionRules, submissionSettings } from './settings/read.ts';

/** Words of an abstract, markup left out (an abstract is stored as rich text). */
export function wordCount(text: string): number {
  const plain = text.replace(/<[^>]{0,2000}>/g, ' ').replace(/&[a-z#0-9]{1,10};/gi, ' ');
  return plain.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
}

const filled = (text: Record<string, string> | undefined, locale: string) => (text?.[locale] ?? '').replace(/<[^>]*>/g, '').trim() !== '';

/**
 * What the submission still lacks before it can be sent, each by the step where the author fixes it:
 * the review step lists them, and `submitSubmission` refuses while any remains. The journal's
 * settings decide what is required (section rules, file kinds, checklist).
 */
export async function submissionProblems(db: Db, submission: SubmissionRecord): Promise<SubmissionProblem[]> {
  const problems: SubmissionProblem[] = [];
  const settings = await submissionSettings(db, submission.journalId);
  const rules = await sectionRules(db, submission.journalId, submission.sectionId);
  if (!rules || !rules.isOpen) problems.push({ step: 'start', code: 'section-closed', field: 'sectionId' });
  if (settings.checklist.length > 0 && !submission.checklistConfirmedAt) problems.push({ step: 'start', code: 'checklist-unconfirmed', field: 'checklist' });
  if (!submission.agreementsAcceptedAt) problems.push({ step: 'start', code: 'agreements-unaccepted', field: 'agreements' });

  const kinds = new Set((await db.selectFrom('submission_files').select('kind').where('submission_id', '=', submission.id).where('stage', '=', 'submission').execute()).map((r) => r.kind));
  for (const kind of settings.fileKinds) if (kind.required && !kinds.has(kind.key)) problems.push({ step: 'files', code: 'file-missing', field: kind.key });

  const publication = await db.selectFrom('publications').select(['title', 'abstract', 'keywords']).where('id', '=', submission.publicationId).executeTakeFirstOrThrow();
  const locale = submission.locale;
  if (!filled(publication.title, locale)) problems.push({ step: 'details', code: 'title-missing', field: `title.${locale}` });
  if (rules?.abstractRequired && !filled(publication.abstract, locale)) problems.push({ step: 'details', code: 'abstract-missing', field: `abstract.${locale}` });
  if (rules?.abstractWordLimit) {
    for (const [l, text] of Object.entries(publication.abstract)) {
      const words = wordCount(text);
      if (words > rules.abstractWordLimit) problems.push({ step: 'details', code: 'abstract-too-long', field: `abstract.${l}`, params: { words, max: rules.abstractWordLimit } });
    }
  }
  if (rules?.keywordsRequired && (publication.keywords[locale] ?? []).length === 0) problems.push({ step: 'details', code: 'keywords-missing', field: `keywords.${locale}` });

  const contributors = await db.selectFrom('contributors').select(['is_primary_contact', 'email']).where('publication_id', '=', submission.publicationId).execute();
  if (contributors.length === 0) problems.push({ step: 'contributors', code: 'contributors-missing' });
  else {
    const primary = contributors.find((c) => c.is_primary_contact);
    if (!primary) problems.push({ step: 'contributors', code: 'primary-contact-missing' });
    else if (!primary.email) problems.push({ step: 'contributors', code: 'contributor-email-missing' });
  }

  if (rules?.referencesRequired) {
    const count = await db.selectFrom('citations').select((eb) => eb.fn.countAll<string>().as('n')).where('publication_id', '=', submission.publicationId).executeTakeFirstOrThrow();
    if (Number(count.n) === 0) problems.push({ step: 'references', code: 'references-missing' });
  }
  return problems;
}
