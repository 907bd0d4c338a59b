import type { Kysely } from 'kysely';
import type { Database } from '../db/index.ts';
import { loadTemplate } from './store.ts';
import { renderTemplate, type MailTemplateKey } from './templates.ts';
import { storeMail, type Mailer } from './transport.ts';

export {
  MAIL_TEMPLATE_KEYS,
  MAX_SUBJECT_LENGTH,
  isMailTemplateKey,
  mailTemplateInfo,
  mailTemplateVariables,
  renderTemplate,
  templateProblems,
  templateVariablesUsed,
  validateTemplate,
  type BuiltInLocale,
  type MailTemplate,
  type MailTemplateInfo,
  type MailTemplateKey,
  type TemplateProblem,
} from './templates.ts';
export { builtInTemplates } from './wording.ts';
export {
  builtInTemplate,
  findOutboxEntry,
  listOutbox,
  listTemplateOverrides,
  loadTemplate,
  resetTemplate,
  saveTemplate,
  type LoadedTemplate,
  type TemplateRef,
  type TemplateSource,
} from './store.ts';
export { createMailer, describeMailer, redactSecrets, storeMail, MAIL_JOB, mailJobKey, type Mailer, type OutgoingMail } from './transport.ts';

export interface TemplatedMail {
  to: string;
  key: MailTemplateKey;
  locale: string;
  journalId: number | null;
  variables: Record<string, string>;
}

/**
 * Writes one of Revista's mails to the outbox, in the recipient's language and the journal's own
 * wording if it has one, for `Mailer.deliver` to send later; `db` may be the caller's transaction.
 */
export async function storeTemplated(db: Kysely<Database>, mail: TemplatedMail): Promise<number> {
  const template = await loadTemplate(db, { journalId: mail.journalId, key: mail.key, locale: mail.locale });
  const { subject, text } = renderTemplate(template, mail.variables);
  return storeMail(db, { to: mail.to, subject, text, journalId: mail.journalId, template: mail.key });
}

/** Sends one of Revista's mails now: stored in the outbox, then delivered. */
export async function sendTemplated(db: Kysely<Database>, mailer: Mailer, mail: TemplatedMail): ReturnType<Mailer['send']> {
  const id = await storeTemplated(db, mail);
  return { id, status: await mailer.deliver(id) };
}
