import { workflowReviewEn } from '../../../i18n/messages/workflow-review.en.ts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { personName } from '../../../accounts/index.ts';
import type { ContributorForEditing } from '../../../catalog/index.ts';
import { closeIfBodyUnread, problem, sendProblem, type Static } from '../../../platform/http/index.ts';
import { submissionUrl, WorkflowError, type Participant as ParticipantRecord, type SubmissionFileEntry, type SubmissionProblem as ProblemRecord } from '../../../workflow/index.ts';
import type { Participant, SubmissionContributor, SubmissionFile, SubmissionProblem, Workflow, WorkflowProblem } from './workflow-schema.ts';
import type { WorkflowRow } from './workflow-queries.ts';

/** Where things are: the site's address and the journal's path. */
export interface Where {
  baseUrl: string;
  journalPath: string;
}

const api = (where: Where, submissionId: number) => `${where.baseUrl}/${where.journalPath}/api/v1/submissions/${submissionId}`;

const MB = 1024 * 1024;
const size = (bytes: number | string | undefined) => (bytes === undefined ? 'the limit' : `${Math.round((Number(bytes) / MB) * 10) / 10} MB`);

/** What a refusal means, in words a script's author can act on. */
export function refusalWords(error: WorkflowError): string {
  const p = error.params;
  switch (error.code) {
    case 'section-unknown':
      return 'the journal has no such section (see GET /{journal}/api/v1/sections)';
    case 'section-closed':
      return 'the section does not take submissions now';
    case 'locale-not-allowed':
      return 'a submission to this section cannot be written in this language';
    case 'checklist-unconfirmed':
      return 'confirm every item of the journal’s submission checklist (checklistConfirmed: true)';
    case 'agreements-unaccepted':
      return 'accept the journal’s copyright notice and privacy statement (agreementsAccepted: true)';
    case 'not-a-draft':
      return 'the submission has been submitted: it is no longer a draft';
    case 'not-active':
      return 'the submission is not in progress (declined or published), or not submitted yet';
    case 'file-kind-unknown':
      return `the journal takes no files of this kind${p.kinds ? `; it takes: ${p.kinds}` : ''}`;
    case 'file-type-not-allowed':
      return `the file is ${p.type ?? 'of a type'} (read from its bytes), which this kind of file does not take`;
    case 'file-too-large':
      return `the file is larger than the ${size(p.max)} this kind of file takes`;
    case 'file-empty':
      return 'the file is empty';
    case 'file-unknown':
      return 'the submission has no such file';
    case 'incomplete':
      return `the submission is not complete: ${error.problems.map(problemWords).join('; ')}`;
    case 'not-eligible':
      return 'this person cannot be assigned in this role: an editor must be the journal’s manager or editor; a section editor its section editor, editor or manager; a copyeditor (layout editor) its copyeditor (layout editor), editor or manager';
    case 'already-assigned':
      return 'this person is assigned in this role already';
    case 'participant-unknown':
      return error.field === 'contributor' ? 'the submission has no such contributor' : error.field === 'submission' ? 'no such submission' : 'the submission has no such participant';
    case 'too-long':
      return `${error.field ?? 'the text'} is too long (at most ${p.max ?? '?'} characters)`;
    case 'discussion-unknown':
      return 'the submission has no such discussion';
    case 'discussion-closed':
      return 'the discussion is closed and takes no more messages';
    case 'subject-missing':
      return 'a discussion needs a subject';
    case 'message-missing':
      return 'the message is empty';
    case 'participants-missing':
      return 'choose at least one person besides yourself';
    case 'too-many-files':
      return `a message takes at most ${p.max ?? '?'} attachments`;
    // Review and decisions (issue 20): where the pages' words do not fit a script's author.
    case 'review-unknown':
      return 'no such review request (or not one of yours)';
    case 'answer-missing':
      return error.field?.startsWith('answer-') ? `the form’s required question ${error.field.slice(7)} has no answer (answers/${error.field.slice(7)})` : 'the review says nothing: write comments for the author or the editor';
    case 'answer-invalid':
      return `the answer to question ${error.field?.slice(7) ?? '?'} is not one of its options (send the option’s index, e.g. "0")`;
    case 'recommendation-missing':
      return 'choose a recommendation (accept, minor-revisions, major-revisions, resubmit-for-review, resubmit-elsewhere, decline, see-comments)';
    case 'date-invalid':
      return 'the date must lie ahead, and the review’s date (dateDue) not before the answer’s (dateResponseDue)';
    case 'files-missing':
      return error.field === 'fileIds' ? 'name the files the round reviews in fileIds' : 'send the file in a part named `file`';
    case 'decision-not-allowed':
      return 'this decision cannot be taken at this point of the workflow (see the current round’s decisionsAvailable)';
    case 'review-not-shareable':
      return 'sharedReviewIds may name only completed reviews of the current round';
    case 'reviewer-not-eligible':
      return 'this person is not one of the journal’s reviewers (or their account is disabled)';
    case 'name-missing':
      return 'a new reviewer needs a name: givenName or familyName';
    case 'not-in-copyediting':
      return 'the submission is not in copyediting (accepted and not yet sent to production)';
    default: {
      // The rest of review and decisions: the English catalog's sentence, its {placeholders} filled in.
      const words: string = workflowReviewEn[`workflow.error.${error.code}` as keyof typeof workflowReviewEn] ?? error.code;
      return words.replace(/\{(\w+)\}/g, (_, name: string) => String(p[name] ?? '?'));
    }
  }
}

/** One thing a draft lacks, in words. */
export function problemWords(problem: ProblemRecord): string {
  switch (problem.code) {
    case 'checklist-unconfirmed':
      return 'the checklist is not confirmed';
    case 'agreements-unaccepted':
      return 'the copyright notice and privacy statement are not accepted';
    case 'section-closed':
      return 'the section does not take submissions now';
    case 'file-missing':
      return `a file of kind “${problem.field ?? '?'}” is required`;
    case 'title-missing':
      return `the title (${problem.field ?? 'title'}) is missing`;
    case 'abstract-missing':
      return `the abstract (${problem.field ?? 'abstract'}) is missing`;
    case 'abstract-too-long':
      return `the abstract (${problem.field ?? 'abstract'}) has ${problem.params?.words ?? '?'} words; at most ${problem.params?.max ?? '?'}`;
    case 'keywords-missing':
      return `keywords (${problem.field ?? 'keywords'}) are required`;
    case 'contributors-missing':
      return 'the submission has no contributors';
    case 'primary-contact-missing':
      return 'no contributor is the primary contact';
    case 'contributor-email-missing':
      return 'the primary contact has no e-mail address';
    case 'references-missing':
      return 'the section requires references';
  }
}

export function presentProblem(p: ProblemRecord): Static<typeof SubmissionProblem> {
  return { step: p.step, code: p.code, ...(p.field ? { field: p.field } : {}), ...(p.params ? { params: p.params } : {}), detail: problemWords(p) };
}

/** The JSON Pointer of a refused field in the request's body. */
const POINTERS: Record<string, string> = { checklist: '/checklistConfirmed', agreements: '/agreementsAccepted', responseDue: '/dateResponseDue', reviewDue: '/dateDue', anonymity: '/reviewMethod', rating: '/quality' };
/** A review form's question (`answer-12`) is at `/answers/12`. */
const pointerOf = (field: string) => POINTERS[field] ?? (/^answer-\d+$/.test(field) ? `/answers/${field.slice(7)}` : `/${field}`);

/**
 * A workflow refusal as problem details: its status, its words, its `code`; a field's refusal also as
 * `errors` (as validation problems are), an incomplete draft's `problems` each with its step.
 */
export function sendWorkflowProblem(request: FastifyRequest, reply: FastifyReply, error: WorkflowError): FastifyReply {
  closeIfBodyUnread(request, reply);
  const base = problem(error.status, request.url.split('?')[0]!, refusalWords(error));
  const field = error.field && error.status === 422 && error.code !== 'participant-unknown' ? { errors: [{ in: 'body' as const, pointer: pointerOf(error.field), detail: refusalWords(error) }] } : {};
  const details: Static<typeof WorkflowProblem> = { ...base, code: error.code, ...field, ...(error.code === 'incomplete' ? { problems: error.problems.map(presentProblem) } : {}) };
  return sendProblem(reply, details);
}

export function presentFile(f: SubmissionFileEntry, where: Where): Static<typeof SubmissionFile> {
  return {
    id: f.id,
    submissionId: f.submissionId,
    stage: f.stage,
    kind: f.kind,
    name: f.name,
    mimetype: f.mimeType,
    fileSize: f.sizeBytes,
    sha256: f.sha256,
    revisions: f.revisions,
    uploaderUserId: f.uploadedBy,
    createdAt: f.createdAt.toISOString(),
    updatedAt: f.updatedAt.toISOString(),
    url: `${where.baseUrl}/${where.journalPath}/workflow/index/${f.submissionId}/files/${f.id}`,
    _href: `${api(where, f.submissionId)}/files/${f.id}`,
  };
}

export function presentParticipant(p: ParticipantRecord, person: { given_name: Record<string, string>; family_name: Record<string, string>; email: string } | undefined, locale: string): Static<typeof Participant> {
  return { id: p.id, userId: p.userId, role: p.role, recommendOnly: p.recommendOnly, fullName: (person && (personName(person, locale) ?? person.email)) ?? '', dateAssigned: p.createdAt.toISOString() };
}

export function presentContributorForEditing(c: ContributorForEditing): Static<typeof SubmissionContributor> {
  return {
    id: c.id,
    givenName: c.givenName,
    familyName: c.familyName,
    email: c.email,
    orcid: c.orcid,
    affiliations: c.affiliations.map((a) => ({ name: a.name, ...(a.ror ? { ror: a.ror } : {}) })),
    primaryContact: c.isPrimaryContact,
    includeInBrowse: c.includeInBrowse,
    userGroup: c.userGroup ?? null,
  };
}

export interface WorkflowDetails {
  problems?: ProblemRecord[];
  participants?: Static<typeof Participant>[];
  files?: Static<typeof SubmissionFile>[];
  references?: string[];
}

export function presentWorkflow(submissionId: number, row: WorkflowRow, details: WorkflowDetails, where: Where): Static<typeof Workflow> {
  return {
    status: row.status,
    stage: row.stage,
    progress: row.progress,
    dateSubmitted: row.submittedAt ? row.submittedAt.toISOString() : null,
    lastActivity: row.lastActivityAt.toISOString(),
    commentsForEditor: row.commentsForEditor,
    ...(details.problems ? { problems: details.problems.map(presentProblem) } : {}),
    ...(details.participants ? { participants: details.participants } : {}),
    ...(details.files ? { files: details.files } : {}),
    ...(details.references ? { references: details.references } : {}),
    url: submissionUrl(where.baseUrl, where.journalPath, submissionId),
  };
}
