import type { Kysely } from 'kysely';
import type { Database } from '../db/index.ts';
import { loadTemplate } from './store.ts';
import { renderTemplate, type MailTemplateKey } from './templates.ts';
import type { Mailer } from './transport.ts';

export {
  MAIL_TEMPLATE_KEYS,
  MAX_SUBJECT_LENGTH,
  builtInTemplates,
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
export { createMailer, describeMailer, redactSecrets, type Mailer, type OutgoingMail } from './transport.ts';

/** Sends one of Revista's mails in the recipient's language, in the journal's own wording if it has one. */
export async function sendTemplated(
  db: Kysely<Database>,
  mailer: Mailer,
  mail: { to: string; key: MailTemplateKey; locale: string; journalId: number | null; variables: Record<string, string> },
): ReturnType<Mailer['send']> {
  const template = await loadTemplate(db, { journalId: mail.journalId, key: mail.key, locale: mail.locale });
  const { subject, text } = renderTemplate(template, mail.variables);
  return mailer.send({ to: mail.to, subject, text, journalId: mail.journalId, template: mail.key });
}
