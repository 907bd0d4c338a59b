import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requireCan } from '../../accounts/index.ts';
import { manageContext } from '../../admin/index.ts';
import { listSections } from '../../catalog/index.ts';
import { formBody, formChecked, formList, formLocalized, formText, type FormBody } from '../../platform/http/forms.ts';
import { IdText, JournalPath, NotFoundError, parseId, Type, typed } from '../../platform/http/index.ts';
import { firstValue, QueryParameter, sendPrivatePage } from '../../platform/web/index.ts';
import { WorkflowError } from '../errors.ts';
import { saveSectionSubmissionRules, saveSubmissionSettings, SettingsInvalid, SETTINGS_LIMITS, type SectionRulesInput, type SubmissionSettingsInput } from '../settings/commands.ts';
import { sectionSubmissionRules, submissionSettings, type SectionSubmissionRules, type SubmissionSettings } from '../settings/read.ts';
import type { WorkflowWebDeps } from './deps.ts';
import { fieldMessages, SectionRulesPage, SubmissionSettingsPage, type SectionRulesForm, type SettingsForm } from './views/settings.tsx';

const PERMISSION = { permission: 'journal.submission-settings' as const };
const NoticeQuery = Type.Object({ notice: Type.Optional(QueryParameter) });
const JournalOnly = Type.Object({ journal: JournalPath });
const SectionParams = Type.Object({ journal: JournalPath, sectionId: IdText });

const MB = 1024 * 1024;

/** A whole number as typed; NaN for anything else (the command says what is allowed). */
export const wholeNumber = (text: string) => (/^[0-9]{1,9}$/.test(text) ? Number(text) : Number.NaN);

/** The row numbers a list of the form has (`checklist.3.en`, `kinds.0.key` …), in order. */
function rowsOf(body: FormBody, list: 'checklist' | 'kinds'): number[] {
  const pattern = new RegExp(`^${list}\\.([0-9]{1,4})\\.`);
  const rows = new Set<number>();
  for (const name of Object.keys(body)) {
    const match = pattern.exec(name);
    if (match) rows.add(Number(match[1]));
  }
  return [...rows].sort((a, b) => a - b);
}

/**
 * The journal-wide form as sent: rows marked for removal and blank rows for new items left out,
 * checklist items in the order of their positions. The rows come back in this order when the form is
 * shown again, so a refusal's field (`kinds.1.key`) names the row it belongs to.
 */
function readSettingsForm(body: FormBody, locales: readonly string[]): SettingsForm {
  // One row more than a list may hold is enough for the command to say so; the rest is not read.
  const checklist = rowsOf(body, 'checklist')
    .slice(0, SETTINGS_LIMITS.checklistItems + 1)
    .filter((row) => !formChecked(body, `checklist.${row}.remove`))
    .map((row) => {
      const position = wholeNumber(formText(body, `checklist.${row}.position`, 10));
      return { row, position: Number.isNaN(position) ? row + 1 : position, text: formLocalized(body, `checklist.${row}`, locales) };
    })
    .filter((item) => Object.keys(item.text).length > 0)
    .sort((a, b) => a.position - b.position || a.row - b.row)
    .map((item) => item.text);
  const fileKinds = rowsOf(body, 'kinds')
    .slice(0, SETTINGS_LIMITS.kinds + 1)
    .filter((row) => !formChecked(body, `kinds.${row}.remove`))
    .map((row) => ({
      key: formText(body, `kinds.${row}.key`, 200),
      name: formLocalized(body, `kinds.${row}.name`, locales, 10_000),
      types: formList(body, `kinds.${row}.types`).slice(0, 200),
      maxMb: formText(body, `kinds.${row}.maxMb`, 20),
      required: formChecked(body, `kinds.${row}.required`),
    }))
    .filter((kind) => kind.key !== '' || Object.keys(kind.name).length > 0 || kind.maxMb !== '' || kind.types.length > 0);
  return {
    authorGuidelines: formLocalized(body, 'authorGuidelines', locales),
    checklist,
    copyrightNotice: formLocalized(body, 'copyrightNotice', locales),
    privacyStatement: formLocalized(body, 'privacyStatement', locales),
    daysToFirstAction: formText(body, 'daysToFirstAction', 20),
    fileKinds,
    errors: {},
  };
}

function settingsInput(form: SettingsForm): SubmissionSettingsInput {
  return {
    authorGuidelines: form.authorGuidelines,
    checklist: form.checklist,
    copyrightNotice: form.copyrightNotice,
    privacyStatement: form.privacyStatement,
    daysToFirstAction: wholeNumber(form.daysToFirstAction),
    fileKinds: form.fileKinds.map((kind) => ({ key: kind.key, name: kind.name, types: kind.types, maxMb: wholeNumber(kind.maxMb), required: kind.required })),
  };
}

function settingsFormOf(settings: SubmissionSettings): SettingsForm {
  return {
    authorGuidelines: settings.authorGuidelines,
    checklist: settings.checklist,
    copyrightNotice: settings.copyrightNotice,
    privacyStatement: settings.privacyStatement,
    daysToFirstAction: String(settings.daysToFirstAction),
    fileKinds: settings.fileKinds.map((kind) => ({ key: kind.key, name: kind.name, types: kind.types, maxMb: String(Math.round((kind.maxBytes / MB) * 100) / 100), required: kind.required })),
    errors: {},
  };
}

function readSectionForm(body: FormBody): SectionRulesForm {
  return {
    isOpen: formChecked(body, 'isOpen'),
    abstractRequired: formChecked(body, 'abstractRequired'),
    abstractWordLimit: formText(body, 'abstractWordLimit', 20),
    keywordsRequired: formChecked(body, 'keywordsRequired'),
    referencesRequired: formChecked(body, 'referencesRequired'),
    locales: formList(body, 'locales').slice(0, 50),
    errors: {},
  };
}

function sectionInput(form: SectionRulesForm): SectionRulesInput {
  return {
    isOpen: form.isOpen,
    abstractRequired: form.abstractRequired,
    abstractWordLimit: form.abstractWordLimit === '' ? null : wholeNumber(form.abstractWordLimit),
    keywordsRequired: form.keywordsRequired,
    referencesRequired: form.referencesRequired,
    locales: form.locales,
  };
}

function sectionFormOf(rules: SectionSubmissionRules): SectionRulesForm {
  return { ...rules, abstractWordLimit: rules.abstractWordLimit === null ? '' : String(rules.abstractWordLimit), errors: {} };
}

/** The manager's submission settings (issue 19, item 1): the journal-wide form and each section's rules. */
export async function submissionSettingsRoutes(app: FastifyInstance, deps: WorkflowWebDeps): Promise<void> {
  const routes = typed(app);
  const { db, clock } = deps;

  /** The management frame, once the person is known to hold the journal's submission settings. */
  const context = async (request: FastifyRequest, reply: FastifyReply) => {
    const m = await manageContext(db, request, reply);
    requireCan(request, 'journal.submission-settings', { kind: 'journal', journalId: m.journal.id });
    const journalLocales = m.journal.supported_locales.length > 0 ? m.journal.supported_locales : [m.journal.primary_locale];
    return { ...m, journalLocales };
  };

  const base = (journalPath: string) => `/${journalPath}/management/settings/submissions`;

  const showSettings = async (request: FastifyRequest, reply: FastifyReply, form: SettingsForm | undefined, status = 200, saved = false) => {
    const m = await context(request, reply);
    const [settings, rules, sections] = await Promise.all([submissionSettings(db, m.journal.id), sectionSubmissionRules(db, m.journal.id), listSections(db, m.journal.id)]);
    const notice = saved ? m.ctx.t('workflow-settings.saved') : undefined;
    return sendPrivatePage(
      reply,
      SubmissionSettingsPage({ ...m, form: form ?? settingsFormOf(settings), savedKeys: settings.fileKinds.map((k) => k.key), sections: sections.map((s) => ({ id: s.id, title: s.title, rules: rules.find((r) => r.sectionId === s.id)! })), notice }),
      status,
    );
  };

  routes.get('/:journal/management/settings/submissions', { config: PERMISSION, schema: { params: JournalOnly, querystring: NoticeQuery } }, async (request, reply) =>
    showSettings(request, reply, undefined, 200, firstValue(request.query.notice) === 'saved'),
  );

  routes.post('/:journal/management/settings/submissions', { config: PERMISSION, schema: { params: JournalOnly } }, async (request, reply) => {
    const m = await context(request, reply);
    const form = readSettingsForm(formBody(request), m.locales);
    try {
      await saveSubmissionSettings(db, m.journal.id, settingsInput(form), clock.now());
    } catch (error) {
      if (!(error instanceof SettingsInvalid)) throw error;
      return showSettings(request, reply, { ...form, errors: fieldMessages(m.ctx, error.errors) }, 400);
    }
    request.log.info({ journalId: m.journal.id }, 'submission settings saved');
    return reply.redirect(`${base(m.journal.path)}?notice=saved`, 303);
  });

  /** The section of this journal the address names, or a 404. */
  const sectionOr404 = async (journalId: number, sectionIdText: string) => {
    const sectionId = parseId(sectionIdText);
    const [sections, rules] = await Promise.all([listSections(db, journalId), sectionSubmissionRules(db, journalId)]);
    const section = sections.find((s) => s.id === sectionId);
    const sectionRules = rules.find((r) => r.sectionId === sectionId);
    if (!section || !sectionRules) throw new NotFoundError();
    return { section, rules: sectionRules };
  };

  routes.get('/:journal/management/settings/submissions/sections/:sectionId', { config: PERMISSION, schema: { params: SectionParams } }, async (request, reply) => {
    const m = await context(request, reply);
    const { section, rules } = await sectionOr404(m.journal.id, request.params.sectionId);
    return sendPrivatePage(reply, SectionRulesPage({ ...m, section, form: sectionFormOf(rules) }));
  });

  routes.post('/:journal/management/settings/submissions/sections/:sectionId', { config: PERMISSION, schema: { params: SectionParams } }, async (request, reply) => {
    const m = await context(request, reply);
    const { section } = await sectionOr404(m.journal.id, request.params.sectionId);
    const form = readSectionForm(formBody(request));
    try {
      await saveSectionSubmissionRules(db, m.journal.id, section.id, sectionInput(form), clock.now());
    } catch (error) {
      if (error instanceof WorkflowError && error.code === 'section-unknown') throw new NotFoundError();
      if (!(error instanceof SettingsInvalid)) throw error;
      return sendPrivatePage(reply, SectionRulesPage({ ...m, section, form: { ...form, errors: fieldMessages(m.ctx, error.errors) } }), 400);
    }
    request.log.info({ journalId: m.journal.id, sectionId: section.id }, 'section submission rules saved');
    return reply.redirect(`${base(m.journal.path)}?notice=saved#sections`, 303);
  });
}
