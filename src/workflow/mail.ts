import type { Kysely, Transaction } from 'kysely';
import { personName } from '../accounts/index.ts';
import type { Database } from '../db/index.ts';
import { localizeText } from '../i18n/index.ts';
import { storeTemplated, type MailTemplateKey } from '../mail/index.ts';
import { notify, type NotificationKind } from '../notifications/index.ts';
import type { Subscriptions } from '../platform/events/index.ts';

/**
 * The workflow's mail (issue 19), sent by event subscribers so that a command's transaction holds
 * only its change: each subscriber writes its mails to the outbox in one transaction (the outbox's
 * mail jobs send and retry them). Every mail is in the recipient's language, from the journal's own
 * template when it has one. Each person is also notified in the interface (notifications/), and mailed
 * only when they take that kind by email.
 */

/** Subscriber names (they name the delivery jobs). */
export const SUBMISSION_MAIL = 'workflow.submission-mail';
export const ASSIGNMENT_MAIL = 'workflow.assignment-mail';
export const DISCUSSION_MAIL = 'workflow.discussion-mail';

type Trx = Transaction<Database>;

export interface Recipient {
  id: number;
  email: string;
  given_name: Record<string, string>;
  family_name: Record<string, string>;
  preferred_locale: string | null;
}

export async function journalOf(db: Trx, journalId: number) {
  return db.selectFrom('journals').select(['id', 'path', 'name', 'primary_locale']).where('id', '=', journalId).executeTakeFirstOrThrow();
}

export async function recipients(db: Trx, userIds: readonly number[]): Promise<Recipient[]> {
  if (userIds.length === 0) return [];
  return db.selectFrom('users').select(['id', 'email', 'given_name', 'family_name', 'preferred_locale']).where('id', 'in', [...new Set(userIds)]).where('disabled_at', 'is', null).orderBy('id').execute();
}

export async function submissionOf(db: Trx, submissionId: number) {
  return db
    .selectFrom('submissions as s')
    .innerJoin('articles as a', 'a.id', 's.id')
    .innerJoin('publications as p', 'p.id', 'a.current_publication_id')
    .innerJoin('sections as sec', 'sec.id', 'p.section_id')
    .select(['s.id', 's.submitter_id', 'p.id as publication_id', 'p.title', 'p.abstract', 'p.locale', 'p.section_id', 'sec.title as section_title'])
    .where('s.id', '=', submissionId)
    .executeTakeFirst();
}

export interface WorkflowMailOptions {
  db: Kysely<Database>;
  baseUrl: string;
}

export function submissionUrl(baseUrl: string, journalPath: string, submissionId: number): string {
  return `${baseUrl}/${journalPath}/workflow/access/${submissionId}`;
}

export function discussionUrl(baseUrl: string, journalPath: string, submissionId: number, discussionId: number): string {
  return `${baseUrl}/${journalPath}/workflow/index/${submissionId}/discussions/${discussionId}`;
}

function localeFor(recipient: Recipient, journal: { primary_locale: string }): string {
  return recipient.preferred_locale ?? journal.primary_locale;
}

/** Notifies the person in the same transaction; true when they also take this kind by email. */
async function notified(trx: Trx, recipient: Recipient, kind: NotificationKind, where: { journalId: number; submissionId: number; at: Date }, params: Record<string, string | number> = {}): Promise<boolean> {
  const { byEmail } = await notify(trx, { userId: recipient.id, kind, journalId: where.journalId, submissionId: where.submissionId, params, at: where.at });
  return byEmail;
}

async function send(trx: Trx, key: MailTemplateKey, journal: { id: number; primary_locale: string }, recipient: Recipient, variables: (locale: string) => Record<string, string>): Promise<void> {
  const locale = localeFor(recipient, journal);
  await storeTemplated(trx, { to: recipient.email, key, locale, journalId: journal.id, variables: { name: personName(recipient, locale) ?? recipient.email, ...variables(locale) } });
}

/**
 * People told of a new submission: the journal's managers and editors, and the section editors of
 * its section (OJS's "new submission" notification goes to the journal's editors).
 */
export async function editorsToTell(trx: Trx, journalId: number, sectionId: number): Promise<number[]> {
  const rows = await trx
    .selectFrom('role_assignments as r')
    .select('r.user_id')
    .where('r.journal_id', '=', journalId)
    .where((eb) =>
      eb.or([
        eb('r.role', 'in', ['manager', 'editor']),
        eb.and([eb('r.role', '=', 'section-editor'), eb.exists(eb.selectFrom('section_editor_sections as s').select('s.user_id').whereRef('s.user_id', '=', 'r.user_id').where('s.section_id', '=', sectionId))]),
      ]),
    )
    .execute();
  return rows.map((r) => r.user_id);
}

export function subscribeWorkflowMail(subscriptions: Subscriptions, options: { baseUrl: string }): void {
  subscriptions.subscribe('SubmissionSubmitted', {
    name: SUBMISSION_MAIL,
    async handle(event, ctx) {
      await ctx.db.transaction().execute(async (trx) => {
        const submission = await submissionOf(trx, event.submissionId);
        if (!submission) return;
        const journal = await journalOf(trx, event.journalId);
        const url = submissionUrl(options.baseUrl, journal.path, submission.id);
        const authors = await trx.selectFrom('contributors').select(['given_name', 'family_name']).where('publication_id', '=', submission.publication_id).orderBy('seq').execute();
        const common = (locale: string) => ({
          journalName: localizeText(journal.name, locale, journal.primary_locale),
          title: localizeText(submission.title, locale, submission.locale),
          sectionName: localizeText(submission.section_title, locale, journal.primary_locale),
          submissionId: String(submission.id),
          submissionUrl: url,
        });
        const where = { journalId: journal.id, submissionId: submission.id, at: ctx.occurredAt };
        // The author's receipt is always mailed: it is their record of having submitted.
        for (const author of await recipients(trx, [event.userId])) {
          await notified(trx, author, 'submission-submitted', where, { own: 1 });
          await send(trx, 'submission-acknowledgement', journal, author, common);
        }
        const editors = (await editorsToTell(trx, event.journalId, submission.section_id)).filter((id) => id !== event.userId);
        for (const editor of await recipients(trx, editors)) {
          if (!(await notified(trx, editor, 'submission-submitted', where))) continue;
          await send(trx, 'submission-received', journal, editor, (locale) => ({ ...common(locale), authors: authors.map((a) => personName(a, locale)).filter(Boolean).join(', ') }));
        }
      });
    },
  });

  subscriptions.subscribe('ParticipantAssigned', {
    name: ASSIGNMENT_MAIL,
    async handle(event, ctx) {
      // Copyeditors and layout editors have mails of their own, saying what to do (production/copyediting-mail.ts).
      if (event.role === 'copyeditor' || event.role === 'layout-editor') return;
      await ctx.db.transaction().execute(async (trx) => {
        // Taken off again before the mail went: nothing to tell.
        const still = await trx.selectFrom('submission_participants').select('id').where('id', '=', event.participantId).executeTakeFirst();
        const submission = await submissionOf(trx, event.submissionId);
        if (!still || !submission) return;
        const journal = await journalOf(trx, event.journalId);
        const [assigner] = event.assignedBy === null ? [] : await recipients(trx, [event.assignedBy]);
        for (const person of await recipients(trx, [event.userId])) {
          if (!(await notified(trx, person, 'submission-assigned', { journalId: journal.id, submissionId: submission.id, at: ctx.occurredAt }))) continue;
          await send(trx, 'submission-assigned', journal, person, (locale) => ({
            journalName: localizeText(journal.name, locale, journal.primary_locale),
            title: localizeText(submission.title, locale, submission.locale),
            role: roleName(event.role, locale),
            assignedBy: assigner ? (personName(assigner, locale) ?? assigner.email) : localizeText(journal.name, locale, journal.primary_locale),
            submissionId: String(submission.id),
            submissionUrl: submissionUrl(options.baseUrl, journal.path, submission.id),
          }));
        }
      });
    },
  });

  subscriptions.subscribe('DiscussionMessagePosted', {
    name: DISCUSSION_MAIL,
    async handle(event, ctx) {
      await ctx.db.transaction().execute(async (trx) => {
        const message = await trx
          .selectFrom('discussion_messages as m')
          .innerJoin('discussions as d', 'd.id', 'm.discussion_id')
          .select(['m.id', 'm.body', 'm.author_id', 'd.id as discussion_id', 'd.subject'])
          .where('m.id', '=', event.messageId)
          .executeTakeFirst();
        const submission = await submissionOf(trx, event.submissionId);
        if (!message || !submission) return;
        const journal = await journalOf(trx, event.journalId);
        const files = await trx.selectFrom('discussion_message_files').select('name').where('message_id', '=', message.id).orderBy('name').execute();
        const participantIds = (await trx.selectFrom('discussion_participants').select('user_id').where('discussion_id', '=', message.discussion_id).execute()).map((p) => p.user_id);
        const [sender] = message.author_id === null ? [] : await recipients(trx, [message.author_id]);
        for (const person of await recipients(trx, participantIds.filter((id) => id !== message.author_id))) {
          const where = { journalId: journal.id, submissionId: submission.id, at: ctx.occurredAt };
          // The subject (a short line) names the discussion in the list; the message itself stays in the discussion.
          if (!(await notified(trx, person, 'discussion-message', where, { discussionId: message.discussion_id, subject: message.subject.slice(0, 200) }))) continue;
          await send(trx, 'discussion-message', journal, person, (locale) => ({
            journalName: localizeText(journal.name, locale, journal.primary_locale),
            title: localizeText(submission.title, locale, submission.locale),
            subject: message.subject,
            sender: sender ? (personName(sender, locale) ?? sender.email) : localizeText(journal.name, locale, journal.primary_locale),
            message: message.body,
            attachments: files.length === 0 ? '' : `\n${(locale === 'pl' ? 'Załączniki' : 'Attachments')}: ${files.map((f) => f.name).join(', ')}\n`,
            discussionUrl: discussionUrl(options.baseUrl, journal.path, submission.id, message.discussion_id),
          }));
        }
      });
    },
  });
}

const ROLE_NAMES: Record<string, Record<'en' | 'pl', string>> = {
  editor: { en: 'editor', pl: 'redaktor' },
  'section-editor': { en: 'section editor', pl: 'redaktor działu' },
};

function roleName(role: string, locale: string): string {
  const names = ROLE_NAMES[role];
  if (!names) return role;
  return locale.startsWith('pl') ? names.pl : names.en;
}
