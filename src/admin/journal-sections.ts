import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { sendPrivatePage } from '../platform/web/index.ts';
import { deleteSection, findSection, listSections, moveSection, saveSection, sectionIsEmpty } from '../catalog/index.ts';
import type { Database } from '../db/index.ts';
import { formBody, formLocalized, formText } from '../platform/http/forms.ts';
import { NotFoundError, parseId } from '../platform/http/index.ts';
import { localizeText } from '../i18n/index.ts';
import { sanitizeRichTextPerLocale } from '../ui/index.ts';
import { managementBase as base, manageContext, noticeFrom, SETTINGS as settings } from './manage-context.ts';
import { ManageConfirmPage } from './views/confirm-pages.tsx';
import { SectionEditPage, SectionsPage, type SectionForm } from './views/issues.tsx';
import { IdParams, type WithParams } from './schemas.ts';

const journalId = (request: FastifyRequest) => request.viewer.journal!.id;
const direction = (request: FastifyRequest) => (formText(formBody(request), 'direction', 10) === 'up' ? 'up' : 'down');

/** The journal's sections: their titles and policies, their order, and deleting an empty one. */
export function journalSectionRoutes(app: FastifyInstance, deps: { db: Kysely<Database> }): void {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = deps;

  app.get('/:journal/management/sections', settings, async (request, reply) => {
    const m = await manageContext(db, request, reply);
    const notice = noticeFrom(request, ['saved', 'deleted']);
    return sendPrivatePage(reply, SectionsPage({ ...m, sections: await listSections(db, m.journal.id), errors: {}, notice: notice ? m.ctx.t(notice === 'saved' ? 'admin.saved' : 'manage.sectionDeleted') : undefined }));
  });

  app.get('/:journal/management/sections/new', settings, async (request, reply) => {
    const m = await manageContext(db, request, reply);
    return sendPrivatePage(reply, SectionEditPage({ ...m, form: { title: {}, abbreviation: {}, policy: {}, errors: {} } }));
  });

  const readSection = (request: FastifyRequest, locales: readonly string[], required: string): SectionForm => {
    const body = formBody(request);
    const form: SectionForm = {
      title: formLocalized(body, 'title', locales, 300),
      abbreviation: formLocalized(body, 'abbreviation', locales, 30),
      policy: sanitizeRichTextPerLocale(formLocalized(body, 'policy', locales, 20_000)),
      errors: {},
    };
    if (Object.keys(form.title).length === 0) form.errors.title = required;
    return form;
  };

  const sectionOr404 = async (request: WithParams<typeof IdParams>) => {
    const section = await findSection(db, journalId(request), parseId(request.params.id));
    if (!section) throw new NotFoundError();
    return section;
  };

  app.post('/:journal/management/sections/new', settings, async (request, reply) => {
    const m = await manageContext(db, request, reply);
    const form = readSection(request, m.locales, m.ctx.t('manage.sectionTitleRequired'));
    if (Object.keys(form.errors).length > 0) return sendPrivatePage(reply, SectionEditPage({ ...m, form }), 400);
    await saveSection(db, m.journal.id, null, form);
    return reply.redirect(`${base(request)}/sections?notice=saved`, 303);
  });

  typed.get('/:journal/management/sections/:id', { ...settings, schema: { params: IdParams } }, async (request, reply) => {
    const m = await manageContext(db, request, reply);
    const s = await sectionOr404(request);
    return sendPrivatePage(reply, SectionEditPage({ ...m, id: s.id, form: { title: s.title, abbreviation: s.abbreviation, policy: s.policy, errors: {} } }));
  });

  typed.post('/:journal/management/sections/:id', { ...settings, schema: { params: IdParams } }, async (request, reply) => {
    const m = await manageContext(db, request, reply);
    const s = await sectionOr404(request);
    const form = readSection(request, m.locales, m.ctx.t('manage.sectionTitleRequired'));
    if (Object.keys(form.errors).length > 0) return sendPrivatePage(reply, SectionEditPage({ ...m, id: s.id, form }), 400);
    await saveSection(db, m.journal.id, s.id, form);
    return reply.redirect(`${base(request)}/sections?notice=saved`, 303);
  });

  typed.post('/:journal/management/sections/:id/move', { ...settings, schema: { params: IdParams } }, async (request, reply) => {
    const s = await sectionOr404(request);
    await moveSection(db, journalId(request), s.id, direction(request));
    return reply.redirect(`${base(request)}/sections?notice=saved`, 303);
  });

  const refuseNotEmpty = async (request: FastifyRequest, reply: FastifyReply) => {
    const m = await manageContext(db, request, reply);
    return sendPrivatePage(reply, SectionsPage({ ...m, sections: await listSections(db, m.journal.id), errors: { '': m.ctx.t('manage.sectionNotEmpty') } }), 409);
  };

  typed.get('/:journal/management/sections/:id/delete', { ...settings, schema: { params: IdParams } }, async (request, reply) => {
    const s = await sectionOr404(request);
    // A section with articles stays: deleting it would take their place in the catalog with it.
    if (!(await sectionIsEmpty(db, s.id))) return refuseNotEmpty(request, reply);
    const m = await manageContext(db, request, reply);
    const { t } = m.ctx;
    const name = localizeText(s.title, m.ctx.locale) || `#${s.id}`;
    return sendPrivatePage(
      reply,
      ManageConfirmPage({ ...m, title: t('manage.deleteSection'), action: `${base(request)}/sections/${s.id}/delete`, question: t('sections.deleteQuestion', { section: name }), consequences: [t('sections.deleteWhat')], confirmLabel: t('sections.deleteConfirm'), cancelHref: `${base(request)}/sections/${s.id}` }),
    );
  });

  typed.post('/:journal/management/sections/:id/delete', { ...settings, schema: { params: IdParams } }, async (request, reply) => {
    const s = await sectionOr404(request);
    // The command checks emptiness again inside its transaction: an article placed meanwhile keeps it.
    if (!(await deleteSection(db, s.journal_id, s.id))) return refuseNotEmpty(request, reply);
    request.log.info({ sectionId: s.id }, 'section deleted');
    return reply.redirect(`${base(request)}/sections?notice=deleted`, 303);
  });
}
