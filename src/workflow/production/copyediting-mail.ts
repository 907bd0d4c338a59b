import { personName } from '../../accounts/index.ts';
import { localizeText } from '../../i18n/index.ts';
import { storeTemplated, type MailTemplateKey } from '../../mail/index.ts';
import { notify } from '../../notifications/index.ts';
import type { Subscriptions } from '../../platform/events/index.ts';
import { journalOf, recipients, submissionOf, submissionUrl, type Recipient } from '../mail.ts';
import { PRODUCTION_READY_KIND } from './production-ready.ts';

/**
 * The mails of copyediting (issue 21, item 1), sent by event subscribers as the workflow's other
 * mails are (workflow/mail.ts): a copyeditor or layout editor assigned is told what to do, with the
 * submission's link (the general assignment mail leaves these two roles to this one); the layout
 * editors assigned are told when the submission is sent to production. Each is also notified in
 * the interface, and mailed when they take that kind by email.
 */

export const COPYEDITING_ASSIGNMENT_MAIL = 'workflow.copyediting-assignment-mail';
export const PRODUCTION_READY_MAIL = 'workflow.production-ready-mail';

const ROLE_TEMPLATE: Record<string, MailTemplateKey> = { copyeditor: 'copyeditor-assigned', 'layout-editor': 'layout-editor-assigned' };

const localeOf = (person: Recipient, journal: { primary_locale: string }) => person.preferred_locale ?? journal.primary_locale;

export function subscribeCopyeditingMail(subscriptions: Subscriptions, options: { baseUrl: string }): void {
  subscriptions.subscribe('ParticipantAssigned', {
    name: COPYEDITING_ASSIGNMENT_MAIL,
    async handle(event, ctx) {
      const key = ROLE_TEMPLATE[event.role];
      if (!key) return;
      await ctx.db.transaction().execute(async (trx) => {
        // Taken off again before the mail went: nothing to tell.
        const still = await trx.selectFrom('submission_participants').select('id').where('id', '=', event.participantId).executeTakeFirst();
        const submission = await submissionOf(trx, event.submissionId);
        if (!still || !submission) return;
        const journal = await journalOf(trx, event.journalId);
        const [assigner] = event.assignedBy === null ? [] : await recipients(trx, [event.assignedBy]);
        for (const person of await recipients(trx, [event.userId])) {
          const { byEmail } = await notify(trx, { userId: person.id, kind: 'submission-assigned', journalId: journal.id, submissionId: submission.id, params: { role: event.role }, at: ctx.occurredAt });
          if (!byEmail) continue;
          const locale = localeOf(person, journal);
          const journalName = localizeText(journal.name, locale, journal.primary_locale);
          await storeTemplated(trx, {
            to: person.email,
            key,
            locale,
            journalId: journal.id,
            variables: {
              name: personName(person, locale) ?? person.email,
              journalName,
              title: localizeText(submission.title, locale, submission.locale),
              assignedBy: assigner ? (personName(assigner, locale) ?? assigner.email) : journalName,
              submissionId: String(submission.id),
              submissionUrl: submissionUrl(options.baseUrl, journal.path, submission.id),
            },
          });
        }
      });
    },
  });

  subscriptions.subscribe('DecisionRecorded', {
    name: PRODUCTION_READY_MAIL,
    async handle(event, ctx) {
      if (event.decision !== 'send-to-production') return;
      await ctx.db.transaction().execute(async (trx) => {
        const decision = await trx.selectFrom('editorial_decisions').select(['id', 'editor_id', 'created_at']).where('id', '=', event.decisionId).executeTakeFirst();
        const submission = await submissionOf(trx, event.submissionId);
        if (!decision || !submission) return;
        const journal = await journalOf(trx, event.journalId);
        const layoutEditors = await trx.selectFrom('submission_participants').select('user_id').where('submission_id', '=', submission.id).where('role', '=', 'layout-editor').execute();
        // The files this decision made ready (the decision's moment), not those of an earlier trip to production.
        const files = await trx.selectFrom('submission_files').select('name').where('submission_id', '=', submission.id).where('stage', '=', 'production').where('kind', '=', PRODUCTION_READY_KIND).where('created_at', '=', decision.created_at).orderBy('id').execute();
        const [editor] = decision.editor_id === null ? [] : await recipients(trx, [decision.editor_id]);
        for (const person of await recipients(trx, layoutEditors.map((p) => p.user_id).filter((id) => id !== decision.editor_id))) {
          const { byEmail } = await notify(trx, { userId: person.id, kind: 'decision', journalId: journal.id, submissionId: submission.id, params: { decisionId: decision.id, decision: event.decision }, at: ctx.occurredAt });
          if (!byEmail) continue;
          const locale = localeOf(person, journal);
          const journalName = localizeText(journal.name, locale, journal.primary_locale);
          await storeTemplated(trx, {
            to: person.email,
            key: 'production-ready',
            locale,
            journalId: journal.id,
            variables: {
              name: personName(person, locale) ?? person.email,
              journalName,
              title: localizeText(submission.title, locale, submission.locale),
              editorName: editor ? (personName(editor, locale) ?? editor.email) : journalName,
              files: files.length === 0 ? (locale.startsWith('pl') ? '(brak plików: proszę o nie zapytać redaktora)\n' : '(no files: please ask the editor for them)\n') : files.map((f) => `- ${f.name}\n`).join(''),
              submissionId: String(submission.id),
              submissionUrl: submissionUrl(options.baseUrl, journal.path, submission.id),
            },
          });
        }
      });
    },
  });
}
