import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { normaliseRor, publicationContributors, publicationReferences, type Affiliation, type ContributorFields, type JournalSummary } from '../../../catalog/index.ts';
import type { Database } from '../../../db/index.ts';
import { FieldsError, JournalParams, NotFoundError, type FieldProblem, type Static } from '../../../platform/http/index.ts';
import { normaliseEmail, normaliseOrcid } from '../../../platform/identifiers/index.ts';
import {
  assignParticipant,
  changeSubmissionContributors,
  createDraft,
  findSubmission,
  removeParticipant,
  saveSubmissionDetails,
  saveSubmissionReferences,
  submissionFiles,
  submissionProblems,
  submitSubmission,
  WorkflowError,
  type SubmissionFileEntry,
  type SubmissionRecord,
} from '../../../workflow/index.ts';
import { callerCan, requireCallerCan } from '../../auth.ts';
import { changedPublicationTexts, journalOf, localizedInput, Paged } from '../common.ts';
import type { ApiDeps, ApiRoutes } from '../deps.ts';
import { presentArticles } from './presenter.ts';
import { listArticles } from './queries.ts';
import { Publication, PublicationChanges, PublicationParams, Submission, SubmissionParams } from './schema.ts';
import { namesOf } from './workflow-queries.ts';
import { presentContributorForEditing, presentFile, presentParticipant, presentWorkflow, type Where } from './workflow-presenter.ts';
import {
  ContributorInput,
  ContributorParams,
  NewParticipant,
  NewSubmission,
  Participant,
  ParticipantParams,
  SubmissionContributor,
  SubmissionFile,
  SubmissionFileParams,
  workflowRefusals,
} from './workflow-schema.ts';

/**
 * The submission workflow through the API (issue 19): a draft is created, given metadata,
 * contributors, references and files, and submitted; editors assign participants. Every write goes
 * through the workflow's commands, as the wizard's pages do. Access: the submission is loaded and
 * asked `can()`; one the caller may not read is a 404, whatever its journal, so ids cannot be probed.
 */

type Db = Kysely<Database>;
const tags = ['workflow'];
const csrf = { csrf: false } as const;

/** The request's caller; routes that reach here declared `tokenRequired`, so there is one. */
function callerOf(request: FastifyRequest) {
  return request.apiCaller!.principal;
}

/** The submission of the address, if the caller may read it (404 otherwise), and may do `action` to it (403 otherwise). */
export async function readableSubmission(db: Db, request: FastifyRequest, journalPath: string, submissionId: number, action: 'submission.read' | 'submission.edit' | 'submission.assign' = 'submission.read'): Promise<{ journal: JournalSummary; record: SubmissionRecord }> {
  const journal = await journalOf(db, journalPath);
  const record = await findSubmission(db, journal.id, submissionId);
  if (!record || !callerCan(request, 'submission.read', record.resource)) throw new NotFoundError(`no submission ${submissionId}`);
  if (action !== 'submission.read') requireCallerCan(request, action, record.resource);
  return { journal, record };
}

const fileResource = (f: SubmissionFileEntry, record: SubmissionRecord) => ({ kind: 'submission-file' as const, fileId: f.id, stage: f.stage, reviewRoundId: f.reviewRoundId, reviewPurpose: f.reviewPurpose, submission: record.resource });

/** The files of the submission stage the caller may read. */
async function readableFiles(db: Db, request: FastifyRequest, record: SubmissionRecord): Promise<SubmissionFileEntry[]> {
  return (await submissionFiles(db, record.id, 'submission')).filter((f) => callerCan(request, 'submission-file.read', fileResource(f, record)));
}

/** One submission with everything its reader may see of it: versions, and its workflow (problems, participants, files, references). */
export async function presentWorkflowSubmission(db: Db, request: FastifyRequest, where: Where, record: SubmissionRecord): Promise<Static<typeof Submission>> {
  const { articles } = await listArticles(db, { journalId: record.journalId, editor: true, withDrafts: true, articleIds: [record.id] }, { limit: 1, offset: 0 });
  const [item] = await presentArticles(db, where, articles, true);
  const [files, names, references, problems] = await Promise.all([
    readableFiles(db, request, record),
    namesOf(db, record.participants.map((p) => p.userId)),
    publicationReferences(db, record.publicationId),
    record.status === 'draft' ? submissionProblems(db, record) : Promise.resolve([]),
  ]);
  const workflow = presentWorkflow(
    record.id,
    { status: record.status, stage: record.stage, progress: record.progress, submittedAt: record.submittedAt, lastActivityAt: record.lastActivityAt, commentsForEditor: record.commentsForEditor },
    {
      problems,
      participants: record.participants.map((p) => presentParticipant(p, names.get(p.userId), record.locale)),
      files: files.map((f) => presentFile(f, where)),
      references: references.map((r) => r.text),
    },
    where,
  );
  return { ...item!, workflow };
}

type PublicationChange = Static<typeof PublicationChanges>;

/** A submission's current version changed in place (title, subtitle, abstract, keywords, references). */
export async function editSubmissionPublication(db: Db, request: FastifyRequest<{ Params: Static<typeof PublicationParams>; Body: PublicationChange }>, deps: { journal: JournalSummary; baseUrl: string }, found: SubmissionRecord): Promise<Static<typeof Publication>> {
  const { journal, baseUrl } = deps;
  const { record } = await readableSubmission(db, request, journal.path, found.id, 'submission.edit');
  if (request.params.publicationId !== record.publicationId) throw new NotFoundError(`version ${request.params.publicationId} is not the submission's current one`);
  const locales = journal.supportedLocales;
  const { title, subtitle, abstract, keywords, references } = request.body;
  const current = await db.selectFrom('publications').select(['prefix', 'title', 'subtitle', 'abstract', 'keywords']).where('id', '=', record.publicationId).executeTakeFirstOrThrow();
  const texts = changedPublicationTexts({ title, subtitle, abstract, keywords }, current, locales);
  const userId = callerOf(request).userId;
  const now = new Date();
  if (title !== undefined || subtitle !== undefined || abstract !== undefined || keywords !== undefined) {
    await saveSubmissionDetails(db, journal.id, record.id, userId, { prefix: current.prefix, ...texts }, now);
  }
  if (references !== undefined) {
    await saveSubmissionReferences(db, journal.id, record.id, userId, references.map((r) => r.trim()).filter(Boolean), now);
  }
  const { articles } = await listArticles(db, { journalId: journal.id, editor: true, withDrafts: true, articleIds: [record.id] }, { limit: 1, offset: 0 });
  const [submission] = await presentArticles(db, { journalPath: journal.path, baseUrl }, articles, true);
  return submission!.publications.find((p) => p.id === record.publicationId)!;
}

/** A contributor as given, checked: names in the journal's languages, the ORCID iD's check digit, ROR ids. */
function contributorFields(input: Static<typeof ContributorInput>, before: ContributorFields | undefined, locales: readonly string[]): ContributorFields {
  const errors: FieldProblem[] = [];
  const given = localizedInput('givenName', input.givenName, locales, { required: true });
  const family = input.familyName === undefined ? { value: before?.familyName ?? {}, errors: [] } : localizedInput('familyName', input.familyName, locales);
  errors.push(...given.errors, ...family.errors);
  let email = before?.email ?? null;
  if (input.email !== undefined) {
    email = input.email === null || input.email.trim() === '' ? null : normaliseEmail(input.email);
    if (input.email !== null && input.email.trim() !== '' && email === null) errors.push({ in: 'body', pointer: '/email', detail: 'is not an e-mail address' });
  }
  let orcid = before?.orcid ?? null;
  if (input.orcid !== undefined) {
    orcid = input.orcid === null || input.orcid.trim() === '' ? null : normaliseOrcid(input.orcid);
    if (input.orcid !== null && input.orcid.trim() !== '' && orcid === null) errors.push({ in: 'body', pointer: '/orcid', detail: 'is not an ORCID iD (16 digits, the last a check digit that must match, e.g. 0000-0002-1825-0097)' });
  }
  let affiliations: Affiliation[] = before?.affiliations ?? [];
  if (input.affiliations !== undefined) {
    affiliations = [];
    input.affiliations.forEach((a, i) => {
      const name = localizedInput(`affiliations/${i}/name`, a.name, locales, { required: true });
      errors.push(...name.errors);
      const ror = a.ror === undefined || a.ror === null || a.ror.trim() === '' ? undefined : normaliseRor(a.ror);
      if (a.ror && a.ror.trim() !== '' && ror === null) errors.push({ in: 'body', pointer: `/affiliations/${i}/ror`, detail: 'is not a ROR id (e.g. https://ror.org/039bjqg32)' });
      affiliations.push({ name: name.value, ...(ror ? { ror } : {}) });
    });
  }
  if (errors.length > 0) throw new FieldsError(errors);
  return {
    givenName: given.value,
    familyName: family.value,
    email,
    orcid,
    affiliations,
    isPrimaryContact: input.primaryContact ?? before?.isPrimaryContact ?? false,
    includeInBrowse: input.includeInBrowse ?? before?.includeInBrowse ?? true,
    userGroup: input.userGroup === undefined ? (before?.userGroup ?? 'Author') : input.userGroup,
  };
}

export function workflowRoutes(routes: ApiRoutes, { db, baseUrl }: ApiDeps): void {
  const where = (journal: JournalSummary): Where => ({ journalPath: journal.path, baseUrl });
  const submissionHref = (journal: JournalSummary, id: number) => `${baseUrl}/${journal.path}/api/v1/submissions/${id}`;

  routes.post(
    '/:journal/api/v1/submissions',
    {
      config: csrf,
      schema: {
        summary: 'Start a submission (a draft)',
        description: 'The token’s person becomes its author and first contributor. The answer is the draft, with the `problems` that keep it from being submitted yet.',
        tags,
        operationId: 'addSubmission',
        tokenRequired: true,
        params: JournalParams,
        body: NewSubmission,
        response: { 201: Submission, ...workflowRefusals(422) },
      },
    },
    async (request, reply) => {
      const journal = await journalOf(db, request.params.journal);
      requireCallerCan(request, 'journal.submit', { kind: 'journal', journalId: journal.id });
      const body = request.body;
      const id = await createDraft(db, {
        journalId: journal.id,
        userId: callerOf(request).userId,
        sectionId: body.sectionId,
        locale: body.locale,
        commentsForEditor: body.commentsForEditor ?? '',
        checklistConfirmed: body.checklistConfirmed ?? false,
        agreementsAccepted: body.agreementsAccepted ?? false,
        now: new Date(),
      });
      request.log.info({ submissionId: id, tokenId: request.apiCaller?.tokenId }, 'submission started through the API');
      const record = (await findSubmission(db, journal.id, id))!;
      const submission = await presentWorkflowSubmission(db, request, where(journal), record);
      return reply.code(201).header('location', submissionHref(journal, id)).send(submission);
    },
  );

  routes.put(
    '/:journal/api/v1/submissions/:submissionId/submit',
    {
      config: csrf,
      schema: {
        summary: 'Submit a draft',
        description: 'Refused with 422 and the list of `problems` while anything the journal requires is missing. The journal’s editors and the author are told by e-mail.',
        tags,
        operationId: 'submitSubmission',
        tokenRequired: true,
        params: SubmissionParams,
        response: { 200: Submission, ...workflowRefusals(409, 422) },
      },
    },
    async (request) => {
      const { journal, record } = await readableSubmission(db, request, request.params.journal, request.params.submissionId);
      // Submitted already: said so to whoever may read it, before asking whether they could have.
      if (record.status !== 'draft') throw new WorkflowError('not-a-draft');
      requireCallerCan(request, 'submission.edit', record.resource);
      await submitSubmission(db, journal.id, record.id, callerOf(request).userId, new Date());
      return presentWorkflowSubmission(db, request, where(journal), (await findSubmission(db, journal.id, record.id))!);
    },
  );

  // Contributors of the current version.
  const contributorsPath = '/:journal/api/v1/submissions/:submissionId/publications/:publicationId/contributors';
  async function contributorTarget(request: FastifyRequest, params: { journal: string; submissionId: number; publicationId: number }) {
    const found = await readableSubmission(db, request, params.journal, params.submissionId, 'submission.edit');
    if (params.publicationId !== found.record.publicationId) throw new NotFoundError(`version ${params.publicationId} is not the submission's current one`);
    return { ...found, contributors: await publicationContributors(db, found.record.publicationId) };
  }

  routes.post(
    contributorsPath,
    {
      config: csrf,
      schema: { summary: 'Add a contributor', description: 'At the end of the list. An ORCID iD is checked (its check digit), ROR ids are written as their URL.', tags, operationId: 'addContributor', tokenRequired: true, params: PublicationParams, body: ContributorInput, response: { 201: SubmissionContributor, ...workflowRefusals(409, 422) } },
    },
    async (request, reply) => {
      const { journal, record } = await contributorTarget(request, request.params);
      const fields = contributorFields(request.body, undefined, journal.supportedLocales);
      const id = (await changeSubmissionContributors(db, journal.id, record.id, callerOf(request).userId, { op: 'add', fields }, new Date()))!;
      const added = (await publicationContributors(db, record.publicationId)).find((c) => c.id === id)!;
      return reply.code(201).header('location', `${submissionHref(journal, record.id)}/publications/${record.publicationId}/contributors/${id}`).send(presentContributorForEditing(added));
    },
  );

  routes.put(
    `${contributorsPath}/:contributorId`,
    { config: csrf, schema: { summary: 'Change a contributor', description: 'Fields left out keep their values.', tags, operationId: 'editContributor', tokenRequired: true, params: ContributorParams, body: ContributorInput, response: { 200: SubmissionContributor, ...workflowRefusals(409, 422) } } },
    async (request) => {
      const { journal, record, contributors } = await contributorTarget(request, request.params);
      const before = contributors.find((c) => c.id === request.params.contributorId);
      if (!before) throw new NotFoundError(`no contributor ${request.params.contributorId}`);
      const fields = contributorFields(request.body, before, journal.supportedLocales);
      await changeSubmissionContributors(db, journal.id, record.id, callerOf(request).userId, { op: 'save', contributorId: before.id, fields }, new Date());
      return presentContributorForEditing((await publicationContributors(db, record.publicationId)).find((c) => c.id === before.id)!);
    },
  );

  routes.delete(
    `${contributorsPath}/:contributorId`,
    { config: csrf, schema: { summary: 'Remove a contributor', description: 'The answer is the contributor removed.', tags, operationId: 'deleteContributor', tokenRequired: true, params: ContributorParams, response: { 200: SubmissionContributor, ...workflowRefusals(409) } } },
    async (request) => {
      const { journal, record, contributors } = await contributorTarget(request, request.params);
      const gone = contributors.find((c) => c.id === request.params.contributorId);
      if (!gone) throw new NotFoundError(`no contributor ${request.params.contributorId}`);
      await changeSubmissionContributors(db, journal.id, record.id, callerOf(request).userId, { op: 'remove', contributorId: gone.id }, new Date());
      return presentContributorForEditing(gone);
    },
  );

  // Files: the upload is in upload-route.ts (its body is read by its own parser).
  routes.get(
    '/:journal/api/v1/submissions/:submissionId/files',
    { config: csrf, schema: { summary: 'List a submission’s files', description: 'The files of the submission stage the caller may read, oldest first.', tags, operationId: 'getSubmissionFiles', tokenRequired: true, params: SubmissionParams, response: { 200: Paged(SubmissionFile) } } },
    async (request) => {
      const { journal, record } = await readableSubmission(db, request, request.params.journal, request.params.submissionId);
      const files = await readableFiles(db, request, record);
      return { itemsMax: files.length, items: files.map((f) => presentFile(f, where(journal))) };
    },
  );

  routes.get(
    '/:journal/api/v1/submissions/:submissionId/files/:fileId',
    { config: csrf, schema: { summary: 'Get a submission file', description: '`url` is where a signed-in person downloads it.', tags, operationId: 'getSubmissionFile', tokenRequired: true, params: SubmissionFileParams, response: { 200: SubmissionFile } } },
    async (request) => {
      const { journal, record } = await readableSubmission(db, request, request.params.journal, request.params.submissionId);
      const file = (await readableFiles(db, request, record)).find((f) => f.id === request.params.fileId);
      if (!file) throw new NotFoundError(`no file ${request.params.fileId}`);
      return presentFile(file, where(journal));
    },
  );

  // Participants: who works on the submission.
  routes.get(
    '/:journal/api/v1/submissions/:submissionId/participants',
    { config: csrf, schema: { summary: 'List a submission’s participants', description: 'Its authors, editors and section editors.', tags, operationId: 'getParticipants', tokenRequired: true, params: SubmissionParams, response: { 200: Paged(Participant) } } },
    async (request) => {
      const { record } = await readableSubmission(db, request, request.params.journal, request.params.submissionId);
      const names = await namesOf(db, record.participants.map((p) => p.userId));
      return { itemsMax: record.participants.length, items: record.participants.map((p) => presentParticipant(p, names.get(p.userId), record.locale)) };
    },
  );

  routes.post(
    '/:journal/api/v1/submissions/:submissionId/participants',
    {
      config: csrf,
      schema: {
        summary: 'Assign an editor, a section editor, a copyeditor or a layout editor',
        description: 'The person must hold a fitting role in the journal (422 `not-eligible` otherwise); they are told by e-mail.',
        tags,
        operationId: 'addParticipant',
        tokenRequired: true,
        params: SubmissionParams,
        body: NewParticipant,
        response: { 201: Participant, ...workflowRefusals(409, 422) },
      },
    },
    async (request, reply) => {
      const { journal, record } = await readableSubmission(db, request, request.params.journal, request.params.submissionId, 'submission.assign');
      const { userId, role, recommendOnly } = request.body;
      const id = await assignParticipant(db, { journalId: journal.id, submissionId: record.id, userId, role, recommendOnly: recommendOnly ?? false, assignedBy: callerOf(request).userId, now: new Date() });
      const participant = (await findSubmission(db, journal.id, record.id))!.participants.find((p) => p.id === id)!;
      const names = await namesOf(db, [participant.userId]);
      return reply.code(201).header('location', `${submissionHref(journal, record.id)}/participants/${id}`).send(presentParticipant(participant, names.get(participant.userId), record.locale));
    },
  );

  routes.delete(
    '/:journal/api/v1/submissions/:submissionId/participants/:participantId',
    { config: csrf, schema: { summary: 'Take an editor or section editor off a submission', description: 'Authors stay (404 for them). The answer is the participant removed.', tags, operationId: 'deleteParticipant', tokenRequired: true, params: ParticipantParams, response: { 200: Participant } } },
    async (request) => {
      const { journal, record } = await readableSubmission(db, request, request.params.journal, request.params.submissionId, 'submission.assign');
      const participant = record.participants.find((p) => p.id === request.params.participantId && p.role !== 'author');
      if (!participant) throw new NotFoundError(`no participant ${request.params.participantId}`);
      await removeParticipant(db, { journalId: journal.id, submissionId: record.id, participantId: participant.id, removedBy: callerOf(request).userId, now: new Date() });
      const names = await namesOf(db, [participant.userId]);
      return presentParticipant(participant, names.get(participant.userId), record.locale);
    },
  );
}
