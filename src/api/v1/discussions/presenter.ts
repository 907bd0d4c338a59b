import { personName } from '../../../accounts/index.ts';
import type { Static } from '../../../platform/http/index.ts';
import type { DiscussionMessageEntry, DiscussionSummary } from '../../../workflow/index.ts';
import type { Discussion, DiscussionMessage, DiscussionThread } from './schema.ts';

interface Where {
  baseUrl: string;
  journalPath: string;
}

const pageOf = (d: Pick<DiscussionSummary, 'id' | 'submissionId'>, where: Where) => `${where.baseUrl}/${where.journalPath}/workflow/index/${d.submissionId}/discussions/${d.id}`;

export function presentDiscussion(d: DiscussionSummary, where: Where): Static<typeof Discussion> {
  return {
    id: d.id,
    submissionId: d.submissionId,
    stage: d.stage,
    subject: d.subject,
    createdBy: d.createdBy,
    dateCreated: d.createdAt.toISOString(),
    closed: d.closedAt !== null,
    dateClosed: d.closedAt ? d.closedAt.toISOString() : null,
    participantIds: d.participantIds,
    messageCount: d.messageCount,
    lastMessageAt: d.lastMessageAt ? d.lastMessageAt.toISOString() : null,
    urlWorkflow: pageOf(d, where),
    _href: `${where.baseUrl}/${where.journalPath}/api/v1/submissions/${d.submissionId}/discussions/${d.id}`,
  };
}

export function presentMessage(m: DiscussionMessageEntry, d: Pick<DiscussionSummary, 'id' | 'submissionId'>, where: Where, locale: string): Static<typeof DiscussionMessage> {
  return {
    id: m.id,
    authorId: m.authorId,
    authorName: m.author ? (personName({ given_name: m.author.givenName, family_name: m.author.familyName }, locale) ?? m.author.email) : null,
    body: m.body,
    dateCreated: m.createdAt.toISOString(),
    attachments: m.attachments.map((f) => ({ id: f.fileId, name: f.name, mimetype: f.mimeType, fileSize: f.sizeBytes, url: `${pageOf(d, where)}/files/${f.fileId}` })),
  };
}

export function presentThread(d: DiscussionSummary, messages: DiscussionMessageEntry[], where: Where, locale: string): Static<typeof DiscussionThread> {
  return { ...presentDiscussion(d, where), messages: messages.map((m) => presentMessage(m, d, where, locale)) };
}
