import { findSection, listSections, saveSection } from '../../../catalog/index.ts';
import { NotFoundError } from '../../../platform/http/index.ts';
import { FieldsError } from '../../../platform/http/index.ts';
import { sanitizeRichTextPerLocale } from '../../../ui/index.ts';
import { requireCallerCan } from '../../auth.ts';
import { JournalApiParams, journalOf, localizedInput, Paged, PageQuery, pageOf } from '../common.ts';
import type { ApiDeps, ApiRoutes } from '../deps.ts';
import { presentSection } from './presenter.ts';
import { NewSection, Section, SectionChanges, SectionParams } from './schema.ts';

const tags = ['sections'];
const csrf = { csrf: false } as const;

/**
 * A journal's sections. Reading is public (section names are in every table of contents); creating and
 * changing one needs the journal's settings permission (managers), through the same catalog function
 * as the management page (`saveSection`).
 */
export function sectionRoutes(routes: ApiRoutes, { db, baseUrl }: ApiDeps): void {
  routes.get('/:journal/api/v1/sections', { config: csrf, schema: { summary: 'List sections', tags, operationId: 'getSections', params: JournalApiParams, querystring: PageQuery, response: { 200: Paged(Section) } } }, async (request) => {
    const journal = await journalOf(db, request.params.journal);
    const sections = await listSections(db, journal.id);
    const { limit, offset } = pageOf(request.query);
    return { itemsMax: sections.length, items: sections.slice(offset, offset + limit).map((s) => presentSection(s, journal.path, baseUrl)) };
  });

  routes.get('/:journal/api/v1/sections/:sectionId', { config: csrf, schema: { summary: 'Get a section', tags, operationId: 'getSection', params: SectionParams, response: { 200: Section } } }, async (request) => {
    const journal = await journalOf(db, request.params.journal);
    const section = await findSection(db, journal.id, request.params.sectionId);
    if (!section) throw new NotFoundError(`no section ${request.params.sectionId}`);
    return presentSection(section, journal.path, baseUrl);
  });

  routes.post(
    '/:journal/api/v1/sections',
    { config: csrf, schema: { summary: 'Create a section', tags, operationId: 'addSection', tokenRequired: true, params: JournalApiParams, body: NewSection, response: { 201: Section } } },
    async (request, reply) => {
      const journal = await journalOf(db, request.params.journal);
      requireCallerCan(request, 'journal.settings', { kind: 'journal', journalId: journal.id });
      const title = localizedInput('title', request.body.title, journal.supportedLocales, { required: true });
      const abbreviation = localizedInput('abbrev', request.body.abbrev, journal.supportedLocales);
      const policy = localizedInput('policy', request.body.policy, journal.supportedLocales);
      const errors = [...title.errors, ...abbreviation.errors, ...policy.errors];
      if (errors.length > 0) throw new FieldsError(errors);
      const id = await saveSection(db, journal.id, null, { title: title.value, abbreviation: abbreviation.value, policy: sanitizeRichTextPerLocale(policy.value) });
      const section = (await findSection(db, journal.id, id))!;
      return reply.code(201).header('location', `/${journal.path}/api/v1/sections/${id}`).send(presentSection(section, journal.path, baseUrl));
    },
  );

  routes.put(
    '/:journal/api/v1/sections/:sectionId',
    { config: csrf, schema: { summary: 'Change a section', tags, operationId: 'editSection', tokenRequired: true, params: SectionParams, body: SectionChanges, response: { 200: Section } } },
    async (request) => {
      const journal = await journalOf(db, request.params.journal);
      requireCallerCan(request, 'journal.settings', { kind: 'journal', journalId: journal.id });
      const section = await findSection(db, journal.id, request.params.sectionId);
      if (!section) throw new NotFoundError(`no section ${request.params.sectionId}`);
      const title = request.body.title === undefined ? { value: section.title, errors: [] } : localizedInput('title', request.body.title, journal.supportedLocales, { required: true });
      const abbreviation = request.body.abbrev === undefined ? { value: section.abbreviation, errors: [] } : localizedInput('abbrev', request.body.abbrev, journal.supportedLocales);
      const policy = request.body.policy === undefined ? { value: section.policy, errors: [] } : localizedInput('policy', request.body.policy, journal.supportedLocales);
      const errors = [...title.errors, ...abbreviation.errors, ...policy.errors];
      if (errors.length > 0) throw new FieldsError(errors);
      await saveSection(db, journal.id, section.id, { title: title.value, abbreviation: abbreviation.value, policy: sanitizeRichTextPerLocale(policy.value) });
      return presentSection((await findSection(db, journal.id, section.id))!, journal.path, baseUrl);
    },
  );
}
