import type { Transaction } from 'kysely';
import { personName } from '../../accounts/index.ts';
import type { Database } from '../../db/schema.ts';
import { localizeText, translate, type UiLocale } from '../../i18n/index.ts';
import { storeTemplated, type MailTemplateKey } from '../../mail/index.ts';
import { notify, type NotificationKind } from '../../notifications/index.ts';
import type { Subscriptions } from '../../platform/events/index.ts';
import { richToPlainLine } from '../../ui/index.ts';
import { journalOf, recipients, submissionOf, submissionUrl, type Recipient } from '../mail.ts';

/**
 * The mails of proofs (issue 21, item 2), after ProductionTaskChanged: the author a request went to
 * gets the link to their proof page; an answer goes to the submission's layout editors and editors
 * (those assigned; while nobody is, nobody but the notification list is asked). Each in one
 * transaction, in the recipient's language.
 */

export const PROOFS_MAIL = 'production.proofs-mail';

type Trx = Transaction<Database>;

export function proofUrl(baseUrl: string, journalPath: string, submissionId: number, proofId: number): string {
  return `${baseUrl}/${journalPath}/workflow/index/${submissionId}/proofs/${proofId}`;
}

const uiLocale = (locale: string): UiLocale => (locale.startsWith('pl') ? 'pl' : 'en');
const block = (text: string) => (text.trim() === '' ? '' : `${text.trim()}\n\n`);

async function tell(trx: Trx, to: Recipient, mail: { kind: NotificationKind; key: MailTemplateKey; journal: { id: number; primary_locale: string }; submissionId: number; params: Record<string, string | number>; at: Date; variables: (locale: UiLocale) => Record<string, string> }): Promise<void> {
  const { byEmail } = await notify(trx, { userId: to.id, kind: mail.kind, journalId: mail.journal.id, submissionId: mail.submissionId, params: mail.params, at: mail.at });
  if (!byEmail) return;
  const locale = to.preferred_locale ?? mail.journal.primary_locale;
  await storeTemplated(trx, { to: to.email, key: mail.key, locale, journalId: mail.journal.id, variables: { name: personName(to, locale) ?? to.email, ...mail.variables(uiLocale(locale)) } });
}

export function subscribeProductionMail(subscriptions: Subscriptions, options: { baseUrl: string }): void {
  subscriptions.subscribe('ProductionTaskChanged', {
    name: PROOFS_MAIL,
    async handle(event, ctx) {
      if ((event.task !== 'proofs-requested' && event.task !== 'proofs-answered') || event.proofId === undefined) return;
      await ctx.db.transaction().execute(async (trx) => {
        const proof = await trx.selectFrom('proof_requests').selectAll().where('id', '=', event.proofId!).executeTakeFirst();
        const submission = await submissionOf(trx, event.submissionId);
        if (!proof || !submission) return;
        const journal = await journalOf(trx, event.journalId);
        const title = (locale: UiLocale) => richToPlainLine(localizeText(submission.title, locale, submission.locale));
        const common = (locale: UiLocale) => ({ journalName: localizeText(journal.name, locale, journal.primary_locale), title: title(locale), submissionId: String(submission.id) });
        const at = ctx.clock.now();
        if (event.task === 'proofs-requested') {
          // Cancelled before the mail went: nothing to ask any more.
          if (proof.status !== 'sent') return;
          const [author] = await recipients(trx, [proof.author_id]);
          if (!author) return;
          await tell(trx, author, {
            kind: 'proofs-requested',
            key: 'proofs-requested',
            journal,
            submissionId: submission.id,
            params: { proofId: proof.id },
            at,
            variables: (locale) => ({ ...common(locale), message: block(proof.message), proofUrl: proofUrl(options.baseUrl, journal.path, submission.id, proof.id) }),
          });
          return;
        }
        if (proof.status !== 'approved' && proof.status !== 'corrections') return;
        const team = await trx
          .selectFrom('submission_participants')
          .select('user_id')
          .where('submission_id', '=', submission.id)
          .where('role', 'in', ['editor', 'section-editor', 'layout-editor'])
          .execute();
        const ids = [...new Set([...team.map((r) => r.user_id), ...(proof.requested_by !== null ? [proof.requested_by] : [])])].filter((id) => id !== proof.author_id);
        const [author] = await recipients(trx, [proof.author_id]);
        const approved = proof.status === 'approved';
        for (const person of await recipients(trx, ids)) {
          await tell(trx, person, {
            kind: 'proofs-answered',
            key: 'proofs-answered',
            journal,
            submissionId: submission.id,
            params: { proofId: proof.id, approved: approved ? 1 : 0 },
            at,
            variables: (locale) => ({
              ...common(locale),
              author: (author && personName(author, locale)) ?? author?.email ?? '',
              answer: translate(locale, approved ? 'production.proofs.approvedWord' : 'production.proofs.correctionsWord'),
              response: block(proof.response),
              submissionUrl: submissionUrl(options.baseUrl, journal.path, submission.id),
            }),
          });
        }
      });
    },
  });
}
