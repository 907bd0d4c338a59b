import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { publicationContributors, publicationReferences } from '../../catalog/index.ts';
import type { LocalizedText } from '../../db/schema.ts';
import { localize, localizeText } from '../../i18n/index.ts';
import { formBody, formChecked, formList, formText } from '../../platform/http/forms.ts';
import { JournalParams, typed } from '../../platform/http/index.ts';
import { formPage, sendPrivatePage, type FrameJournal } from '../../platform/web/index.ts';
import { fieldId, richToPlainLine, richToPlainText, type FormErrors, type PageContext } from '../../ui/index.ts';
import { createDraft, discardDraft, reachStep, saveDraftStart, saveSubmissionDetails, submitSubmission } from '../commands/submissions.ts';
import { WorkflowError } from '../errors.ts';
import { submissionProblems, wordCount } from '../problems.ts';
import { submissionFiles, type SubmissionRecord } from '../queries.ts';
import { sectionRules, sectionSubmissionRules, submissionSettings } from '../settings/read.ts';
import type { WorkflowWebDeps } from './deps.ts';
import { ReviewPage, type ReviewView } from './views/wizard-review.tsx';
import { DetailsPage, DiscardPage, DonePage, languageLabel, StartPage, stepHref, type DetailsForm, type LocalText, type StartForm, type StartView } from './views/wizard.tsx';
import { submissionHelpers, SUBMIT, DraftParams, NoticeQuery, PROBLEM_KEYS, errorOf, journalLocales, localesFor } from './wizard-shared.ts';
import { wizardFileRoutes } from './wizard-files-routes.ts';
import { wizardContributorRoutes, contributorRow } from './wizard-contributors-routes.ts';
import { wizardReferenceRoutes, checkReferences } from './wizard-references-routes.ts';
import { mySubmissionRoutes } from './my-submissions-routes.ts';


/**
 * The submission wizard and the author's dashboard (issue 19, items 2–3). Every route needs
 * `journal.submit` (anyone signed in; a visitor is sent to sign in and back); a draft is then its
 * authors' alone (`submission.edit`): anyone else's draft id is a 404, as is an id of another journal.
 * A submitted one sends its author to its page in the workflow. Each step saves through the workflow's
 * commands and answers a refusal with the page again, the message next to the field.
 */

export async function submissionWizardRoutes(app: FastifyInstance, deps: WorkflowWebDeps): Promise<void> {
  const h = submissionHelpers(deps);
  const { db, clock } = deps;
  const routes = typed(app);
  const { visibleSubmission, draftOrElsewhere, publicationOf, summaryOf, kindViews } = h;

  await wizardFileRoutes(app, deps, h);
  wizardContributorRoutes(app, deps, h);
  wizardReferenceRoutes(app, deps, h);
  mySubmissionRoutes(app, deps);

  // Step 1: start.

  async function startView(ctx: PageContext, journal: FrameJournal, action: string): Promise<StartView> {
    const [rules, settings, sections] = await Promise.all([
      sectionSubmissionRules(db, journal.id),
      submissionSettings(db, journal.id),
      db.selectFrom('sections').select(['id', 'title']).where('journal_id', '=', journal.id).execute(),
    ]);
    const text = (value: LocalizedText): LocalText | null => {
      const found = localize(value, ctx.locale, journal.primaryLocale);
      return found ? { text: found.text, ...(found.locale !== ctx.locale ? { lang: found.locale } : {}) } : null;
    };
    return {
      sections: rules.filter((r) => r.isOpen).map((r) => ({ id: r.sectionId, title: localizeText(sections.find((s) => s.id === r.sectionId)?.title, ctx.locale, journal.primaryLocale) || String(r.sectionId) })),
      // The languages the open sections take (a section naming none takes all the journal's).
      locales: rules.some((r) => r.isOpen && r.locales.length === 0) ? journalLocales(journal) : [...new Set(rules.filter((r) => r.isOpen).flatMap((r) => r.locales))],
      checklist: settings.checklist.map((item) => text(item) ?? { text: '' }),
      copyrightNotice: text(settings.copyrightNotice),
      privacyStatement: text(settings.privacyStatement),
      guidelines: text(settings.authorGuidelines),
      guidelinesHref: `/${journal.path}/about/submissions`,
      action,
    };
  }

  function readStart(request: FastifyRequest, checklistLength: number): { form: StartForm; sectionId: number | null } {
    const body = formBody(request);
    const ticked = new Set(formList(body, 'checklist'));
    const sectionText = formText(body, 'sectionId', 12);
    const form: StartForm = {
      sectionId: sectionText,
      locale: formText(body, 'locale', 20),
      checklist: Array.from({ length: checklistLength }, (_, i) => ticked.has(String(i))),
      accepted: formChecked(body, 'agreements'),
      comments: formText(body, 'commentsForEditor', 20_000),
    };
    return { form, sectionId: /^[1-9][0-9]{0,9}$/.test(sectionText) ? Number(sectionText) : null };
  }

  routes.get('/:journal/submission', { config: SUBMIT, schema: { params: JournalParams } }, async (request, reply) => {
    const { ctx, journal } = await formPage(db, request, reply);
    const view = await startView(ctx, journal!, `/${journal!.path}/submission`);
    const form: StartForm = { sectionId: view.sections.length === 1 ? String(view.sections[0]!.id) : '', locale: view.locales.includes(journal!.primaryLocale) ? journal!.primaryLocale : (view.locales[0] ?? journal!.primaryLocale), checklist: view.checklist.map(() => false), accepted: false, comments: '' };
    return sendPrivatePage(reply, StartPage({ ctx, draft: undefined, view, form, errors: {} }));
  });

  routes.post('/:journal/submission', { config: SUBMIT, schema: { params: JournalParams } }, async (request, reply) => {
    const { ctx, journal } = await formPage(db, request, reply);
    const view = await startView(ctx, journal!, `/${journal!.path}/submission`);
    const { form, sectionId } = readStart(request, view.checklist.length);
    const refuse = (errors: FormErrors, status: number) => sendPrivatePage(reply, StartPage({ ctx, draft: undefined, view, form, errors }), status);
    if (sectionId === null) return refuse({ sectionId: ctx.t('workflow.error.section-unknown') }, 400);
    try {
      const id = await createDraft(db, {
        journalId: journal!.id,
        userId: request.viewer.user!.userId,
        sectionId,
        locale: form.locale,
        commentsForEditor: form.comments,
        checklistConfirmed: form.checklist.every(Boolean),
        agreementsAccepted: form.accepted,
        now: clock.now(),
      });
      request.log.info({ submissionId: id }, 'submission draft started');
      return reply.redirect(stepHref(ctx, id, 'files'), 303);
    } catch (error) {
      if (error instanceof WorkflowError) return refuse(errorOf(ctx.t, error), error.status);
      throw error;
    }
  });

  routes.get('/:journal/submission/:id', { config: SUBMIT, schema: { params: DraftParams } }, async (request, reply) => {
    const draft = await draftOrElsewhere(request, request.params.id);
    if (typeof draft === 'string') return reply.redirect(draft, 303);
    return reply.redirect(`/${request.viewer.journal!.path}/submission/${draft.id}/${draft.progress}`, 303);
  });

  routes.get('/:journal/submission/:id/start', { config: SUBMIT, schema: { params: DraftParams, querystring: NoticeQuery } }, async (request, reply) => {
    const draft = await draftOrElsewhere(request, request.params.id);
    if (typeof draft === 'string') return reply.redirect(draft, 303);
    const { ctx, journal } = await formPage(db, request, reply);
    const view = await startView(ctx, journal!, stepHref(ctx, draft.id, 'start'));
    const form: StartForm = {
      sectionId: String(draft.sectionId),
      locale: draft.locale,
      checklist: view.checklist.map(() => draft.checklistConfirmedAt !== null),
      accepted: draft.agreementsAcceptedAt !== null,
      comments: draft.commentsForEditor,
    };
    return sendPrivatePage(reply, StartPage({ ctx, draft: await summaryOf(draft), view, form, errors: {} }));
  });

  routes.post('/:journal/submission/:id/start', { config: SUBMIT, schema: { params: DraftParams } }, async (request, reply) => {
    const draft = await draftOrElsewhere(request, request.params.id);
    if (typeof draft === 'string') return reply.redirect(draft, 303);
    const { ctx, journal } = await formPage(db, request, reply);
    const view = await startView(ctx, journal!, stepHref(ctx, draft.id, 'start'));
    const { form, sectionId } = readStart(request, view.checklist.length);
    const refuse = async (errors: FormErrors, status: number) => sendPrivatePage(reply, StartPage({ ctx, draft: await summaryOf(draft), view, form, errors }), status);
    if (sectionId === null) return refuse({ sectionId: ctx.t('workflow.error.section-unknown') }, 400);
    try {
      await saveDraftStart(db, journal!.id, draft.id, request.viewer.user!.userId, {
        sectionId,
        locale: form.locale,
        commentsForEditor: form.comments,
        checklistConfirmed: form.checklist.every(Boolean),
        agreementsAccepted: form.accepted,
        now: clock.now(),
      });
      return reply.redirect(stepHref(ctx, draft.id, 'files'), 303);
    } catch (error) {
      if (error instanceof WorkflowError) return refuse(errorOf(ctx.t, error), error.status);
      throw error;
    }
  });

  // Step 3: details.

  async function detailsPage(request: FastifyRequest, reply: FastifyReply, draft: SubmissionRecord, form: DetailsForm | undefined, errors: FormErrors, status = 200) {
    const { ctx, journal } = await formPage(db, request, reply);
    const rules = await sectionRules(db, draft.journalId, draft.sectionId);
    const locales = localesFor(journal!, draft.locale);
    const publication = await publicationOf(draft);
    const shown: DetailsForm = form ?? {
      title: Object.fromEntries(locales.map((l) => [l, richToPlainLine(publication.title[l])])),
      subtitle: Object.fromEntries(locales.map((l) => [l, richToPlainLine(publication.subtitle[l])])),
      abstract: Object.fromEntries(locales.map((l) => [l, publication.abstract[l] ? richToPlainText(publication.abstract[l]!) : ''])),
      keywords: Object.fromEntries(locales.map((l) => [l, (publication.keywords[l] ?? []).join(', ')])),
    };
    const words = Object.fromEntries(locales.map((l) => [l, wordCount(shown.abstract[l] ?? '')]));
    return sendPrivatePage(reply, DetailsPage({ ctx, draft: await summaryOf(draft), locales, mainLocale: draft.locale, wordLimit: rules?.abstractWordLimit ?? null, abstractRequired: rules?.abstractRequired ?? false, keywordsRequired: rules?.keywordsRequired ?? false, words, form: shown, errors }), status);
  }

  routes.get('/:journal/submission/:id/details', { config: SUBMIT, schema: { params: DraftParams } }, async (request, reply) => {
    const draft = await draftOrElsewhere(request, request.params.id);
    if (typeof draft === 'string') return reply.redirect(draft, 303);
    return detailsPage(request, reply, draft, undefined, {});
  });

  routes.post('/:journal/submission/:id/details', { config: SUBMIT, schema: { params: DraftParams } }, async (request, reply) => {
    const draft = await draftOrElsewhere(request, request.params.id);
    if (typeof draft === 'string') return reply.redirect(draft, 303);
    const { ctx, journal } = await formPage(db, request, reply);
    const body = formBody(request);
    const locales = localesFor(journal!, draft.locale);
    const rules = await sectionRules(db, draft.journalId, draft.sectionId);
    const form: DetailsForm = { title: {}, subtitle: {}, abstract: {}, keywords: {} };
    const keywords: Record<string, string[]> = {};
    for (const l of locales) {
      form.title[l] = formText(body, `title.${l}`, 1000).replace(/\s+/g, ' ');
      form.subtitle[l] = formText(body, `subtitle.${l}`, 1000).replace(/\s+/g, ' ');
      form.abstract[l] = formText(body, `abstract.${l}`, 100_000);
      form.keywords[l] = formText(body, `keywords.${l}`, 5000);
      const list = [...new Set(form.keywords[l]!.split(/[,;]/).map((k) => k.trim().replace(/\s+/g, ' ')).filter((k) => k !== '' && k.length <= 200))];
      if (list.length > 0) keywords[l] = list;
    }
    const errors: FormErrors = {};
    const main = draft.locale;
    const language = languageLabel(ctx, main);
    if (form.title[main] === '') errors[`title.${main}`] = ctx.t('wizard.details.titleRequired', { language });
    if (rules?.abstractRequired && form.abstract[main] === '') errors[`abstract.${main}`] = ctx.t('wizard.details.abstractRequired', { language });
    if (rules?.abstractWordLimit) {
      for (const l of locales) {
        const words = wordCount(form.abstract[l] ?? '');
        if (words > rules.abstractWordLimit) errors[`abstract.${l}`] = ctx.t('wizard.details.abstractTooLong', { words, max: rules.abstractWordLimit });
      }
    }
    if (rules?.keywordsRequired && !keywords[main]) errors[`keywords.${main}`] = ctx.t('wizard.details.keywordsRequired', { language });
    if (Object.keys(errors).length > 0) return detailsPage(request, reply, draft, form, errors, 400);
    const only = (record: Record<string, string>) => Object.fromEntries(Object.entries(record).filter(([, v]) => v !== ''));
    const publication = await publicationOf(draft);
    await saveSubmissionDetails(db, draft.journalId, draft.id, request.viewer.user!.userId, { prefix: publication.prefix, title: only(form.title), subtitle: only(form.subtitle), abstract: only(form.abstract), keywords }, clock.now());
    await reachStep(db, draft.journalId, draft.id, 'contributors');
    return reply.redirect(stepHref(ctx, draft.id, 'contributors'), 303);
  });

  // Step 6: review and submit.

  async function reviewPage(request: FastifyRequest, reply: FastifyReply, draft: SubmissionRecord, status = 200) {
    const { ctx, journal } = await formPage(db, request, reply);
    const [publication, settings, section, list, contributors, references, problems] = await Promise.all([
      publicationOf(draft),
      submissionSettings(db, draft.journalId),
      db.selectFrom('sections').select('title').where('id', '=', draft.sectionId).executeTakeFirst(),
      submissionFiles(db, draft.id, 'submission'),
      publicationContributors(db, draft.publicationId),
      publicationReferences(db, draft.publicationId),
      submissionProblems(db, draft),
    ]);
    const kinds = kindViews(settings, ctx, journal!);
    const checked = checkReferences(references.map((r) => r.text), ctx.locale);
    const locales = localesFor(journal!, draft.locale);
    const kindName = (key: string) => kinds.find((k) => k.key === key)?.name ?? key;
    const view: ReviewView = {
      section: localizeText(section?.title, ctx.locale, journal!.primaryLocale),
      locale: draft.locale,
      comments: draft.commentsForEditor,
      checklist: settings.checklist.length > 0 ? draft.checklistConfirmedAt !== null : null,
      agreements: draft.agreementsAcceptedAt !== null,
      files: list.map((f) => ({ ...f, kindName: kindName(f.kind) })),
      details: locales
        .filter((l) => l === draft.locale || publication.title[l] || publication.abstract[l])
        .map((l) => ({ locale: l, title: richToPlainLine(publication.title[l]), subtitle: richToPlainLine(publication.subtitle[l]), abstract: publication.abstract[l] ?? '', keywords: publication.keywords[l] ?? [] })),
      contributors: contributors.map((c) => contributorRow(c, draft.locale)),
      references: { count: checked.length, withProblems: checked.filter((r) => r.problems.length > 0).length },
      problems: problems.map((p) => ({
        step: p.step,
        message: ctx.t(PROBLEM_KEYS[p.code], p.code === 'file-missing' ? { kind: kindName(p.field ?? '') } : (p.params ?? {})),
        anchor: p.code === 'file-missing' ? `#${fieldId('file')}` : p.field ? `#${fieldId(p.field)}` : '',
      })),
    };
    return sendPrivatePage(reply, ReviewPage({ ctx, draft: await summaryOf(draft), view, ...(status !== 200 ? { errors: { '': ctx.t('workflow.error.incomplete') } } : {}) }), status);
  }

  routes.get('/:journal/submission/:id/review', { config: SUBMIT, schema: { params: DraftParams } }, async (request, reply) => {
    const draft = await draftOrElsewhere(request, request.params.id);
    if (typeof draft === 'string') return reply.redirect(draft, 303);
    return reviewPage(request, reply, draft);
  });

  routes.post('/:journal/submission/:id/submit', { config: SUBMIT, schema: { params: DraftParams } }, async (request, reply) => {
    const draft = await draftOrElsewhere(request, request.params.id);
    if (typeof draft === 'string') return reply.redirect(draft, 303);
    try {
      await submitSubmission(db, draft.journalId, draft.id, request.viewer.user!.userId, clock.now());
      request.log.info({ submissionId: draft.id }, 'submission submitted');
    } catch (error) {
      if (error instanceof WorkflowError && error.code === 'incomplete') return reviewPage(request, reply, draft, 422);
      // Sent twice at once (a double click): the first one submitted it.
      if (!(error instanceof WorkflowError && error.code === 'not-a-draft')) throw error;
    }
    return reply.redirect(`/${request.viewer.journal!.path}/submission/${draft.id}/complete`, 303);
  });

  routes.get('/:journal/submission/:id/complete', { config: SUBMIT, schema: { params: DraftParams } }, async (request, reply) => {
    const submission = await visibleSubmission(request, request.params.id);
    const { ctx, journal } = await formPage(db, request, reply);
    if (submission.status === 'draft') return reply.redirect(stepHref(ctx, submission.id, submission.progress), 303);
    const title = (await summaryOf(submission)).title ?? ctx.t('wizard.untitled');
    return sendPrivatePage(reply, DonePage({ ctx, title, journalName: localizeText(journal!.name, ctx.locale, journal!.primaryLocale) || journal!.path }));
  });

  // Discarding a draft.

  routes.get('/:journal/submission/:id/discard', { config: SUBMIT, schema: { params: DraftParams } }, async (request, reply) => {
    const draft = await draftOrElsewhere(request, request.params.id);
    if (typeof draft === 'string') return reply.redirect(draft, 303);
    const { ctx } = await formPage(db, request, reply);
    return sendPrivatePage(reply, DiscardPage({ ctx, draft: await summaryOf(draft) }));
  });

  routes.post('/:journal/submission/:id/discard', { config: SUBMIT, schema: { params: DraftParams } }, async (request, reply) => {
    const draft = await draftOrElsewhere(request, request.params.id);
    if (typeof draft === 'string') return reply.redirect(draft, 303);
    await discardDraft(db, draft.journalId, draft.id);
    request.log.info({ submissionId: draft.id }, 'submission draft discarded');
    return reply.redirect(`/${request.viewer.journal!.path}/dashboard/mySubmissions?notice=discarded`, 303);
  });
}
