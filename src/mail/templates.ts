/**
 * The mails Revista sends, as built-in templates per locale: pure data, plain text, variables written
 * `{{name}}`. Managers may override each one per journal, and the site administrator site-wide
 * (mail_templates, see store.ts). Plain text means there is no markup to escape and links stay
 * visible exactly as they will be followed.
 */

import { REVIEW_MAIL_TEMPLATE_KEYS, reviewMailTemplateInfo } from './review-templates.ts';
import { COPYEDITING_MAIL_TEMPLATE_KEYS, copyeditingMailTemplateInfo } from './copyediting-templates.ts';
import { PRODUCTION_MAIL_TEMPLATE_KEYS, productionMailTemplateInfo } from './production-templates.ts';
import { PUBLISHING_MAIL_TEMPLATE_KEYS, publishingMailTemplateInfo } from './publishing-templates.ts';
import { NOTICE_MAIL_TEMPLATE_KEYS, noticeMailTemplateInfo } from './notice-templates.ts';

export const MAIL_TEMPLATE_KEYS = [
  'verify-email',
  'registration-attempt',
  'reset-password',
  'reset-password-no-account',
  'change-email',
  'email-changed',
  'password-changed',
  'account-deletion-requested',
  'role-assigned',
  'invitation',
  'account-created',
  'submission-acknowledgement',
  'submission-received',
  'submission-assigned',
  'discussion-message',
  ...REVIEW_MAIL_TEMPLATE_KEYS,
  ...COPYEDITING_MAIL_TEMPLATE_KEYS,
  ...PRODUCTION_MAIL_TEMPLATE_KEYS,
  ...PUBLISHING_MAIL_TEMPLATE_KEYS,
  ...NOTICE_MAIL_TEMPLATE_KEYS,
] as const;
export type MailTemplateKey = (typeof MAIL_TEMPLATE_KEYS)[number];

export type { BuiltInLocale, MailTemplate } from './template-types.ts';

import type { BuiltInLocale, MailTemplate } from './template-types.ts';

export interface MailTemplateInfo {
  /** What the mail is for, shown on the manager's editing screen. */
  description: Record<BuiltInLocale, string>;
  /** The variables the template may use, without braces; the same for every locale. */
  variables: string[];
}

export const mailTemplateInfo: Record<MailTemplateKey, MailTemplateInfo> = {
  'verify-email': {
    description: {
      en: 'Sent after registration: asks the new user to confirm their email address.',
      pl: 'Wysyłany po rejestracji: prośba o potwierdzenie adresu e-mail nowego konta.',
    },
    variables: ['name', 'siteName', 'link', 'expiresHours'],
  },
  'registration-attempt': {
    description: {
      en: 'Sent when someone registers with an address that already has an account, instead of revealing it on the page.',
      pl: 'Wysyłany, gdy ktoś rejestruje się adresem, do którego jest już przypisane konto (strona tego nie ujawnia).',
    },
    variables: ['siteName', 'loginLink', 'resetLink'],
  },
  'reset-password': {
    description: {
      en: 'Sent when a user forgot their password: a one-time link to choose a new one.',
      pl: 'Wysyłany, gdy użytkownik nie pamięta hasła: jednorazowy link do ustawienia nowego.',
    },
    variables: ['name', 'siteName', 'link', 'expiresHours'],
  },
  'reset-password-no-account': {
    description: {
      en: 'Sent when someone asks for a new password for an address that has no account, so that the page shows the same whether or not one exists.',
      pl: 'Wysyłany, gdy ktoś prosi o nowe hasło dla adresu, do którego nie jest przypisane żadne konto (strona wygląda tak samo, czy konto istnieje, czy nie).',
    },
    variables: ['siteName', 'email', 'registerLink'],
  },
  'email-changed': {
    description: {
      en: 'Sent to the previous address after a user changed their email: a link to take the account back if it was not them.',
      pl: 'Wysyłany na poprzedni adres po zmianie adresu e-mail: link do odzyskania konta, jeżeli to nie właściciel zmienił adres.',
    },
    variables: ['name', 'siteName', 'oldEmail', 'newEmail', 'link', 'expiresHours'],
  },
  'change-email': {
    description: {
      en: 'Sent to the new address when a user changes their email: confirms the change.',
      pl: 'Wysyłany na nowy adres, gdy użytkownik zmienia adres e-mail: potwierdzenie zmiany.',
    },
    variables: ['name', 'siteName', 'email', 'link', 'expiresHours'],
  },
  'password-changed': {
    description: {
      en: 'Sent after a password change, so the owner notices a change they did not make.',
      pl: 'Wysyłany po zmianie hasła, aby właściciel zauważył zmianę, której nie dokonał.',
    },
    variables: ['name', 'siteName', 'resetLink'],
  },
  'account-deletion-requested': {
    description: {
      en: 'Sent when a user asks for their account to be deleted: confirms that the request was received.',
      pl: 'Wysyłany, gdy użytkownik prosi o usunięcie konta: potwierdzenie przyjęcia prośby.',
    },
    variables: ['name', 'siteName', 'email'],
  },
  'role-assigned': {
    description: {
      en: 'Sent when a journal manager gives a user a role in the journal.',
      pl: 'Wysyłany, gdy menedżer czasopisma nadaje użytkownikowi rolę w czasopiśmie.',
    },
    variables: ['name', 'siteName', 'journalName', 'role', 'loginLink'],
  },
  invitation: {
    description: {
      en: 'Sent when the journal’s team invites someone who has no account yet: a link to set a password and accept the roles.',
      pl: 'Wysyłany, gdy zespół czasopisma zaprasza osobę, która nie ma jeszcze konta: link do ustawienia hasła i przyjęcia ról.',
    },
    variables: ['name', 'siteName', 'journalName', 'roles', 'inviterName', 'link', 'expiresDays'],
  },
  'account-created': {
    description: {
      en: 'Sent when the site administrator creates an account for someone: a link to set their password.',
      pl: 'Wysyłany, gdy administrator serwisu zakłada komuś konto: link do ustawienia hasła.',
    },
    variables: ['name', 'siteName', 'email', 'link', 'expiresDays'],
  },
  'submission-acknowledgement': {
    description: {
      en: 'Sent to the author who submitted a manuscript: it has arrived, and where to follow it.',
      pl: 'Wysyłany do autora, który zgłosił tekst: potwierdzenie przyjęcia zgłoszenia i adres, pod którym można je śledzić.',
    },
    variables: ['name', 'journalName', 'title', 'sectionName', 'submissionId', 'submissionUrl'],
  },
  'submission-received': {
    description: {
      en: 'Sent to the journal’s editors (and the section’s editors) when a new manuscript is submitted.',
      pl: 'Wysyłany do redaktorów czasopisma (i redaktorów działu), gdy wpłynie nowe zgłoszenie.',
    },
    variables: ['name', 'journalName', 'title', 'authors', 'sectionName', 'submissionId', 'submissionUrl'],
  },
  'submission-assigned': {
    description: {
      en: 'Sent to an editor or section editor assigned to a submission.',
      pl: 'Wysyłany do redaktora lub redaktora działu przypisanego do zgłoszenia.',
    },
    variables: ['name', 'journalName', 'title', 'role', 'assignedBy', 'submissionId', 'submissionUrl'],
  },
  'discussion-message': {
    description: {
      en: 'Sent to each participant of a discussion about a submission when a message is posted.',
      pl: 'Wysyłany do każdego uczestnika dyskusji o zgłoszeniu, gdy pojawi się nowa wiadomość.',
    },
    variables: ['name', 'journalName', 'title', 'subject', 'sender', 'message', 'attachments', 'discussionUrl'],
  },
  ...reviewMailTemplateInfo,
  ...copyeditingMailTemplateInfo,
  ...productionMailTemplateInfo,
  ...publishingMailTemplateInfo,
  ...noticeMailTemplateInfo,
};

/** The variables of each template, as the manager's editing screen lists them. */
export const mailTemplateVariables: Record<MailTemplateKey, readonly string[]> = (() => {
  const variables = {} as Record<MailTemplateKey, readonly string[]>;
  for (const key of MAIL_TEMPLATE_KEYS) variables[key] = mailTemplateInfo[key].variables;
  return variables;
})();

export function isMailTemplateKey(value: string): value is MailTemplateKey {
  return (MAIL_TEMPLATE_KEYS as readonly string[]).includes(value);
}

/** `{{name}}`, spaces inside the braces allowed. */
const PLACEHOLDER = /\{\{\s*([A-Za-z][A-Za-z0-9_]*)\s*\}\}/g;

/** Characters that end a header line in some mail software: none may reach the Subject. */
const LINE_BREAKS = /[\r\n\u0085\u2028\u2029]+/g;

/**
 * Fills `{{variables}}` in one pass over the template, so a value that itself contains `{{…}}` is
 * never expanded; unknown variables become empty. Line breaks are removed from the subject, which
 * becomes a header (no header injection through a user's name).
 */
export function renderTemplate(template: MailTemplate, variables: Record<string, string>): { subject: string; text: string } {
  const fill = (text: string) => text.replace(PLACEHOLDER, (_whole, name: string) => (Object.hasOwn(variables, name) ? String(variables[name]) : ''));
  return {
    subject: fill(template.subject).replace(LINE_BREAKS, ' ').replace(/\s{2,}/g, ' ').trim(),
    text: fill(template.body),
  };
}

export const MAX_SUBJECT_LENGTH = 200;

export type TemplateProblem = { field: 'subject' | 'body'; code: 'empty' | 'too-long' | 'unknown-variable'; variable?: string };

/** What is wrong with a manager's edited template, one entry per problem (for form errors). */
export function templateProblems(key: MailTemplateKey, subject: string, body: string): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  if (subject.trim() === '') problems.push({ field: 'subject', code: 'empty' });
  if (subject.length > MAX_SUBJECT_LENGTH) problems.push({ field: 'subject', code: 'too-long' });
  if (body.trim() === '') problems.push({ field: 'body', code: 'empty' });
  const known = new Set(mailTemplateInfo[key].variables);
  for (const [field, text] of [['subject', subject], ['body', body]] as const) {
    const seen = new Set<string>();
    for (const match of text.matchAll(PLACEHOLDER)) {
      const variable = match[1]!;
      if (known.has(variable) || seen.has(variable)) continue;
      seen.add(variable);
      problems.push({ field, code: 'unknown-variable', variable });
    }
  }
  return problems;
}

/** The same checks as `templateProblems`, as sentences (for logs, the CLI and tests). */
export function validateTemplate(key: MailTemplateKey, subject: string, body: string): string[] {
  return templateProblems(key, subject, body).map((problem) => {
    switch (problem.code) {
      case 'empty':
        return `The ${problem.field} is empty.`;
      case 'too-long':
        return `The subject is longer than ${MAX_SUBJECT_LENGTH} characters.`;
      case 'unknown-variable':
        return `Unknown variable {{${problem.variable}}} in the ${problem.field}; this template knows: ${mailTemplateInfo[key].variables.map((v) => `{{${v}}}`).join(', ')}.`;
    }
  });
}

/** The variables a template text uses, in order of first use. */
export function templateVariablesUsed(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((match) => match[1]!))];
}
