import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { normaliseEmail, normaliseOrcid } from '../../accounts/index.ts';
import { normaliseRor, publicationContributors, type ContributorFields, type ContributorForEditing } from '../../catalog/index.ts';
import { localizeText, type MessageKey, type Translate } from '../../i18n/index.ts';
import { formBody, formChecked, formText } from '../../platform/http/forms.ts';
import { NotFoundError, parseId, typed } from '../../platform/http/index.ts';
import { formPage, sendPrivatePage } from '../../platform/web/index.ts';
import type { FormErrors } from '../../ui/index.ts';
import { changeSubmissionContributors, reachStep } from '../commands/submissions.ts';
import { submissionProblems } from '../problems.ts';
import type { SubmissionRecord } from '../queries.ts';
import type { WorkflowWebDeps } from './deps.ts';
import { AFFILIATION_ROWS, ContributorFormPage, ContributorsPage, CONTRIBUTOR_ROLES, type ContributorForm, type ContributorRow } from './views/wizard-contributors.tsx';
import { ConfirmRemovalPage, stepHref } from './views/wizard.tsx';
import { SUBMIT, DraftParams, ContributorParams, NoticeQuery, PROBLEM_KEYS, localesFor, personName, type WizardHelpers } from './wizard-shared.ts';

/** A contributor as the list and the review show it. */
export const contributorRow = (c: ContributorForEditing, locale: string): ContributorRow => ({
  id: c.id,
  name: personName(c, locale, '') || c.email || '—',
  email: c.email,
  orcid: c.orcid,
  role: c.userGroup ?? null,
  affiliations: c.affiliations.map((a) => ({ name: localizeText(a.name, locale), ror: a.ror ?? null })),
  isPrimaryContact: c.isPrimaryContact,
});

/** Step 4: contributors in order, added, changed, moved, removed; the primary contact. */
export function wizardContributorRoutes(app: FastifyInstance, deps: WorkflowWebDeps, h: WizardHelpers): void {
  const { db, clock } = deps;
  const routes = typed(app);
  const { draftOrElsewhere, summaryOf } = h;

  // Step 4: contributors.


  async function contributorsPage(request: FastifyRequest, reply: FastifyReply, draft: SubmissionRecord, errors: FormErrors = {}, notice?: string, status = 200) {
    const { ctx } = await formPage(db, request, reply);
    const list = await publicationContributors(db, draft.publicationId);
    return sendPrivatePage(reply, ContributorsPage({ ctx, draft: await summaryOf(draft), contributors: list.map((c) => contributorRow(c, draft.locale)), errors, ...(notice ? { notice } : {}) }), status);
  }

  function readContributor(request: FastifyRequest, t: Translate, locales: string[], existing: ContributorForEditing | undefined): { form: ContributorForm; fields: ContributorFields; errors: FormErrors } {
    const body = formBody(request);
    const main = locales[0]!;
    const form: ContributorForm = { givenName: {}, familyName: {}, email: formText(body, 'email', 320), orcid: formText(body, 'orcid', 100), role: formText(body, 'role', 50), affiliations: [], isPrimaryContact: formChecked(body, 'isPrimaryContact') };
    for (const l of locales) {
      const given = formText(body, `givenName.${l}`, 300);
      const family = formText(body, `familyName.${l}`, 300);
      if (given !== '') form.givenName[l] = given;
      if (family !== '') form.familyName[l] = family;
    }
    const errors: FormErrors = {};
    const fields: ContributorFields = { givenName: form.givenName, familyName: form.familyName, email: null, orcid: null, affiliations: [], isPrimaryContact: form.isPrimaryContact, includeInBrowse: existing?.includeInBrowse ?? true, userGroup: Object.hasOwn(CONTRIBUTOR_ROLES, form.role) ? form.role : 'Author' };
    if (!form.givenName[main]) errors[`givenName.${main}`] = t('wizard.contributors.givenNameRequired');
    if (form.email !== '') {
      fields.email = normaliseEmail(form.email);
      if (!fields.email) errors.email = t('wizard.contributors.emailInvalid');
    } else if (form.isPrimaryContact) errors.email = t('wizard.contributors.emailRequired');
    if (form.orcid !== '') {
      fields.orcid = normaliseOrcid(form.orcid);
      if (!fields.orcid) errors.orcid = t('wizard.contributors.orcidInvalid');
    }
    for (let i = 0; i < AFFILIATION_ROWS; i++) {
      const name = formText(body, `affiliation${i}`, 500);
      const ror = formText(body, `ror${i}`, 100);
      if (name === '' && ror === '') continue;
      const row = form.affiliations.length;
      form.affiliations.push({ name, ror });
      const rorUrl = ror === '' ? undefined : normaliseRor(ror);
      if (rorUrl === null) errors[`ror${row}`] = t('wizard.contributors.rorInvalid');
      else if (name === '') errors[`affiliation${row}`] = t('wizard.contributors.rorWithoutName');
      // An unchanged name keeps its other languages (the profile's affiliation may have several).
      const before = existing?.affiliations[row];
      const unchanged = before && localizeText(before.name, main) === name;
      fields.affiliations.push({ name: unchanged ? before.name : { [main]: name }, ...(rorUrl ? { ror: rorUrl } : {}) });
    }
    return { form, fields, errors };
  }

  async function contributorFormPage(request: FastifyRequest, reply: FastifyReply, draft: SubmissionRecord, form: ContributorForm, errors: FormErrors, existing?: ContributorForEditing, status = 200) {
    const { ctx, journal } = await formPage(db, request, reply);
    return sendPrivatePage(
      reply,
      ContributorFormPage({ ctx, draft: await summaryOf(draft), locales: localesFor(journal!, draft.locale), form, errors, ...(existing ? { contributorId: existing.id, name: personName(existing, draft.locale, '') } : {}) }),
      status,
    );
  }

  async function contributorOr404(draft: SubmissionRecord, idText: string): Promise<ContributorForEditing> {
    const id = parseId(idText);
    const found = (await publicationContributors(db, draft.publicationId)).find((c) => c.id === id);
    if (!found) throw new NotFoundError();
    return found;
  }

  routes.get('/:journal/submission/:id/contributors', { config: SUBMIT, schema: { params: DraftParams, querystring: NoticeQuery } }, async (request, reply) => {
    const draft = await draftOrElsewhere(request, request.params.id);
    if (typeof draft === 'string') return reply.redirect(draft, 303);
    const { ctx } = await formPage(db, request, reply);
    const notices: Record<string, MessageKey> = { changed: 'wizard.contributors.changed', removed: 'wizard.contributors.removed' };
    const key = request.query.notice && Object.hasOwn(notices, request.query.notice) ? notices[request.query.notice] : undefined;
    return contributorsPage(request, reply, draft, {}, key ? ctx.t(key) : undefined);
  });

  routes.post('/:journal/submission/:id/contributors', { config: SUBMIT, schema: { params: DraftParams } }, async (request, reply) => {
    const draft = await draftOrElsewhere(request, request.params.id);
    if (typeof draft === 'string') return reply.redirect(draft, 303);
    const { ctx } = await formPage(db, request, reply);
    // Moving on needs what the journal asks of contributors; the rest can wait for the review.
    const problems = (await submissionProblems(db, draft)).filter((p) => p.step === 'contributors');
    if (problems.length > 0) return contributorsPage(request, reply, draft, Object.fromEntries(problems.map((p) => [p.code === 'contributors-missing' ? '' : 'primary', ctx.t(PROBLEM_KEYS[p.code], p.params)])), undefined, 400);
    await reachStep(db, draft.journalId, draft.id, 'references');
    return reply.redirect(stepHref(ctx, draft.id, 'references'), 303);
  });

  routes.post('/:journal/submission/:id/contributors/primary', { config: SUBMIT, schema: { params: DraftParams } }, async (request, reply) => {
    const draft = await draftOrElsewhere(request, request.params.id);
    if (typeof draft === 'string') return reply.redirect(draft, 303);
    const { ctx } = await formPage(db, request, reply);
    const chosen = formText(formBody(request), 'primary', 12);
    if (!/^[0-9]{1,10}$/.test(chosen)) return contributorsPage(request, reply, draft, { primary: ctx.t('workflow.problem.primary-contact-missing') }, undefined, 400);
    const c = await contributorOr404(draft, chosen);
    if (!c.email) return contributorsPage(request, reply, draft, { primary: ctx.t('workflow.problem.contributor-email-missing') }, undefined, 400);
    await changeSubmissionContributors(db, draft.journalId, draft.id, request.viewer.user!.userId, { op: 'save', contributorId: c.id, fields: { ...c, isPrimaryContact: true } }, clock.now());
    return reply.redirect(`${stepHref(ctx, draft.id, 'contributors')}?notice=changed`, 303);
  });

  const emptyContributor: ContributorForm = { givenName: {}, familyName: {}, email: '', orcid: '', role: 'Author', affiliations: [], isPrimaryContact: false };

  routes.get('/:journal/submission/:id/contributors/new', { config: SUBMIT, schema: { params: DraftParams } }, async (request, reply) => {
    const draft = await draftOrElsewhere(request, request.params.id);
    if (typeof draft === 'string') return reply.redirect(draft, 303);
    return contributorFormPage(request, reply, draft, emptyContributor, {});
  });

  routes.post('/:journal/submission/:id/contributors/new', { config: SUBMIT, schema: { params: DraftParams } }, async (request, reply) => {
    const draft = await draftOrElsewhere(request, request.params.id);
    if (typeof draft === 'string') return reply.redirect(draft, 303);
    const { ctx, journal } = await formPage(db, request, reply);
    const { form, fields, errors } = readContributor(request, ctx.t, localesFor(journal!, draft.locale), undefined);
    if (Object.keys(errors).length > 0) return contributorFormPage(request, reply, draft, form, errors, undefined, 400);
    await changeSubmissionContributors(db, draft.journalId, draft.id, request.viewer.user!.userId, { op: 'add', fields }, clock.now());
    return reply.redirect(`${stepHref(ctx, draft.id, 'contributors')}?notice=changed`, 303);
  });

  routes.get('/:journal/submission/:id/contributors/:contributorId', { config: SUBMIT, schema: { params: ContributorParams } }, async (request, reply) => {
    const draft = await draftOrElsewhere(request, request.params.id);
    if (typeof draft === 'string') return reply.redirect(draft, 303);
    const c = await contributorOr404(draft, request.params.contributorId);
    const main = draft.locale;
    const form: ContributorForm = {
      givenName: c.givenName,
      familyName: c.familyName,
      email: c.email ?? '',
      orcid: c.orcid ?? '',
      role: c.userGroup ?? 'Author',
      affiliations: c.affiliations.map((a) => ({ name: localizeText(a.name, main), ror: a.ror ?? '' })),
      isPrimaryContact: c.isPrimaryContact,
    };
    return contributorFormPage(request, reply, draft, form, {}, c);
  });

  routes.post('/:journal/submission/:id/contributors/:contributorId', { config: SUBMIT, schema: { params: ContributorParams } }, async (request, reply) => {
    const draft = await draftOrElsewhere(request, request.params.id);
    if (typeof draft === 'string') return reply.redirect(draft, 303);
    const c = await contributorOr404(draft, request.params.contributorId);
    const { ctx, journal } = await formPage(db, request, reply);
    const { form, fields, errors } = readContributor(request, ctx.t, localesFor(journal!, draft.locale), c);
    if (Object.keys(errors).length > 0) return contributorFormPage(request, reply, draft, form, errors, c, 400);
    await changeSubmissionContributors(db, draft.journalId, draft.id, request.viewer.user!.userId, { op: 'save', contributorId: c.id, fields }, clock.now());
    return reply.redirect(`${stepHref(ctx, draft.id, 'contributors')}?notice=changed`, 303);
  });

  routes.post('/:journal/submission/:id/contributors/:contributorId/move', { config: SUBMIT, schema: { params: ContributorParams } }, async (request, reply) => {
    const draft = await draftOrElsewhere(request, request.params.id);
    if (typeof draft === 'string') return reply.redirect(draft, 303);
    const c = await contributorOr404(draft, request.params.contributorId);
    const direction = formText(formBody(request), 'direction', 10) === 'up' ? 'up' : 'down';
    await changeSubmissionContributors(db, draft.journalId, draft.id, request.viewer.user!.userId, { op: 'move', contributorId: c.id, direction }, clock.now());
    return reply.redirect(`${stepHref((await formPage(db, request, reply)).ctx, draft.id, 'contributors')}?notice=changed`, 303);
  });

  routes.get('/:journal/submission/:id/contributors/:contributorId/remove', { config: SUBMIT, schema: { params: ContributorParams } }, async (request, reply) => {
    const draft = await draftOrElsewhere(request, request.params.id);
    if (typeof draft === 'string') return reply.redirect(draft, 303);
    const c = await contributorOr404(draft, request.params.contributorId);
    const { ctx } = await formPage(db, request, reply);
    const name = contributorRow(c, draft.locale).name;
    return sendPrivatePage(
      reply,
      ConfirmRemovalPage({
        ctx,
        draft: await summaryOf(draft),
        current: 'contributors',
        action: `${stepHref(ctx, draft.id, 'contributors')}/${c.id}/remove`,
        question: ctx.t('wizard.contributors.removeQuestion', { name }),
        consequences: [ctx.t('wizard.contributors.removeWhat')],
        confirmLabel: ctx.t('wizard.contributors.removeNamed', { name }),
      }),
    );
  });

  routes.post('/:journal/submission/:id/contributors/:contributorId/remove', { config: SUBMIT, schema: { params: ContributorParams } }, async (request, reply) => {
    const draft = await draftOrElsewhere(request, request.params.id);
    if (typeof draft === 'string') return reply.redirect(draft, 303);
    const c = await contributorOr404(draft, request.params.contributorId);
    await changeSubmissionContributors(db, draft.journalId, draft.id, request.viewer.user!.userId, { op: 'remove', contributorId: c.id }, clock.now());
    return reply.redirect(`${stepHref((await formPage(db, request, reply)).ctx, draft.id, 'contributors')}?notice=removed`, 303);
  });
}
