import type { FastifyInstance } from 'fastify';
import { publicationReferences } from '../../catalog/index.ts';
import { formBody, formText } from '../../platform/http/forms.ts';
import { typed } from '../../platform/http/index.ts';
import { formPage, sendPrivatePage } from '../../platform/web/index.ts';
import { issueMessage, parseReferences, type CslName, type ParsedReference } from '../../references/index.ts';
import type { FormErrors } from '../../ui/index.ts';
import { reachStep, saveSubmissionReferences } from '../commands/submissions.ts';
import type { WorkflowWebDeps } from './deps.ts';
import { ReferencesPage, type CheckedReference } from './views/wizard-references.tsx';
import { stepHref } from './views/wizard.tsx';
import { SUBMIT, DraftParams, NoticeQuery, type WizardHelpers } from './wizard-shared.ts';

/** References one paste may hold, and its length: a long article's list fits with room to spare. */
export const MAX_REFERENCES = 1000;
export const MAX_REFERENCES_TEXT = 500_000;

/** A pasted list as references: blank-line separated blocks when it has blank lines, else one per line. */
export function splitReferences(text: string): string[] {
  const normalised = text.replace(/\r\n?/g, '\n');
  const parts = /\n[ \t]*\n/.test(normalised) ? normalised.split(/\n[ \t]*\n+/).map((block) => block.replace(/\s*\n\s*/g, ' ')) : normalised.split('\n');
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

/** What the parser read of a reference, in a few words: authors, year, title, source. */
function readAs(reference: ParsedReference): string[] {
  const csl = reference.csl;
  const name = (n: CslName) => n.literal ?? [n.family, n.given?.slice(0, 1) ? `${n.given.slice(0, 1)}.` : ''].filter(Boolean).join(' ');
  const authors = csl.author ?? csl.editor ?? [];
  const parts: string[] = [];
  if (authors.length > 0) parts.push(authors.slice(0, 3).map(name).join(', ') + (authors.length > 3 ? ' et al.' : ''));
  const year = csl.issued?.['date-parts']?.[0]?.[0];
  if (year) parts.push(String(year));
  if (csl.title) parts.push(`“${csl.title}”`);
  if (csl['container-title']) parts.push(csl['container-title']);
  if (csl.DOI) parts.push(`DOI ${csl.DOI}`);
  return parts;
}

export function checkReferences(texts: string[], locale: 'pl' | 'en'): CheckedReference[] {
  return parseReferences(texts).map((parsed, i) => ({
    text: texts[i]!,
    readAs: readAs(parsed),
    problems: parsed.issues.map((issue) => ({ severity: issue.severity, message: issueMessage(issue, locale) })),
  }));
}

/** Step 5: the references, pasted, checked by the reference parser, saved. */
export function wizardReferenceRoutes(app: FastifyInstance, deps: WorkflowWebDeps, h: WizardHelpers): void {
  const { db, clock } = deps;
  const routes = typed(app);
  const { draftOrElsewhere, summaryOf } = h;

  // Step 5: references.

  routes.get('/:journal/submission/:id/references', { config: SUBMIT, schema: { params: DraftParams, querystring: NoticeQuery } }, async (request, reply) => {
    const draft = await draftOrElsewhere(request, request.params.id);
    if (typeof draft === 'string') return reply.redirect(draft, 303);
    const { ctx } = await formPage(db, request, reply);
    const texts = (await publicationReferences(db, draft.publicationId)).map((r) => r.text);
    const notice = request.query.notice === 'saved' ? ctx.t('wizard.references.saved') : undefined;
    return sendPrivatePage(reply, ReferencesPage({ ctx, draft: await summaryOf(draft), text: texts.join('\n'), checked: checkReferences(texts, ctx.locale), saved: true, errors: {}, ...(notice ? { notice } : {}) }));
  });

  routes.post('/:journal/submission/:id/references', { config: SUBMIT, schema: { params: DraftParams } }, async (request, reply) => {
    const draft = await draftOrElsewhere(request, request.params.id);
    if (typeof draft === 'string') return reply.redirect(draft, 303);
    const { ctx } = await formPage(db, request, reply);
    const body = formBody(request);
    // Control characters (a NUL pasted from a PDF) go, as from every form: the database could not keep them.
    const raw = formText(body, 'references', MAX_REFERENCES_TEXT + 1);
    const summary = await summaryOf(draft);
    const page = (props: { text: string; checked: CheckedReference[]; saved: boolean; errors?: FormErrors; notice?: string }, status = 200) =>
      sendPrivatePage(reply, ReferencesPage({ ctx, draft: summary, errors: {}, ...props }), status);
    if (raw.length > MAX_REFERENCES_TEXT) return page({ text: raw.slice(0, MAX_REFERENCES_TEXT), checked: [], saved: false, errors: { references: ctx.t('wizard.references.tooLong', { max: MAX_REFERENCES_TEXT }) } }, 400);
    const texts = splitReferences(raw);
    if (texts.length > MAX_REFERENCES) return page({ text: raw, checked: [], saved: false, errors: { references: ctx.t('wizard.references.tooMany', { max: MAX_REFERENCES }) } }, 400);
    const checked = checkReferences(texts, ctx.locale);
    if (formText(body, 'action', 10) !== 'save') return page({ text: texts.join('\n'), checked, saved: false });
    await saveSubmissionReferences(db, draft.journalId, draft.id, request.viewer.user!.userId, texts, clock.now());
    await reachStep(db, draft.journalId, draft.id, 'review');
    // With something to look at, the author sees it before moving on; else on to the review.
    const withProblems = checked.filter((r) => r.problems.length > 0).length;
    if (withProblems > 0) return page({ text: texts.join('\n'), checked, saved: true, notice: ctx.t('wizard.references.savedWithProblems', { problems: withProblems }) });
    return reply.redirect(stepHref(ctx, draft.id, 'review'), 303);
  });
}
