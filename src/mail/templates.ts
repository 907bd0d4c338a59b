/**
 * The mails Revista sends, as built-in templates per locale: pure data, plain text, variables written
 * `{{name}}`. Managers may override each one per journal, and the site administrator site-wide
 * (mail_templates, see store.ts). Plain text means there is no markup to escape and links stay
 * visible exactly as they will be followed.
 */

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
] as const;
export type MailTemplateKey = (typeof MAIL_TEMPLATE_KEYS)[number];

export interface MailTemplate {
  subject: string;
  body: string;
}

/** Locales with built-in wording; any other locale falls back to `en`. */
export type BuiltInLocale = 'pl' | 'en';

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
};

/** The variables of each template, as the manager's editing screen lists them. */
export const mailTemplateVariables: Record<MailTemplateKey, readonly string[]> = (() => {
  const variables = {} as Record<MailTemplateKey, readonly string[]>;
  for (const key of MAIL_TEMPLATE_KEYS) variables[key] = mailTemplateInfo[key].variables;
  return variables;
})();

export const builtInTemplates: Record<BuiltInLocale, Record<MailTemplateKey, MailTemplate>> = {
  en: {
    'verify-email': {
      subject: 'Confirm your email address for {{siteName}}',
      body: `Dear {{name}},

Thank you for registering with {{siteName}}. To activate your account, please confirm your email address by opening the link below:

{{link}}

The link is valid for {{expiresHours}} hours. If you did not create an account, you can safely ignore this message.

{{siteName}}
`,
    },
    'registration-attempt': {
      subject: 'Registration attempt with your email address at {{siteName}}',
      body: `Hello,

Someone tried to register a new account with {{siteName}} using this email address. An account with this address already exists, so no new account was created.

If it was you, you can sign in here:
{{loginLink}}

If you have forgotten your password, you can set a new one here:
{{resetLink}}

If it was not you, you can safely ignore this message; your account has not been changed.

{{siteName}}
`,
    },
    'reset-password': {
      subject: 'Set a new password for {{siteName}}',
      body: `Dear {{name}},

We have received a request to reset the password for your account with {{siteName}}. To choose a new password, open the link below:

{{link}}

The link is valid for {{expiresHours}} hours and can be used only once. If you did not make this request, you can safely ignore this message; your password will not be changed.

{{siteName}}
`,
    },
    'reset-password-no-account': {
      subject: 'Password reset requested at {{siteName}}',
      body: `Hello,

Someone asked to set a new password for the account with the address {{email}} at {{siteName}}, but no account uses this address.

If it was you, perhaps you registered with another address; try that one. You can also create an account here:
{{registerLink}}

If it was not you, you can safely ignore this message.

{{siteName}}
`,
    },
    'change-email': {
      subject: 'Confirm your new email address for {{siteName}}',
      body: `Dear {{name}},

You have asked to change the email address of your account with {{siteName}} to {{email}}. To confirm the change, open the link below:

{{link}}

The link is valid for {{expiresHours}} hours. Until you confirm, your previous address remains in use. If you did not make this request, you can safely ignore this message.

{{siteName}}
`,
    },
    'email-changed': {
      subject: 'The email address of your account at {{siteName}} was changed',
      body: `Dear {{name}},

The email address of your account with {{siteName}} has just been changed from {{oldEmail}} to {{newEmail}}, and you have been signed out on other devices.

If you made this change, no further action is needed. If you did not, open the link below: it gives the account back to {{oldEmail}}, signs everyone out and lets you choose a new password.

{{link}}

The link is valid for {{expiresHours}} hours.

{{siteName}}
`,
    },
    'password-changed': {
      subject: 'Your password for {{siteName}} has been changed',
      body: `Dear {{name}},

The password for your account with {{siteName}} has just been changed, and you have been signed out on other devices.

If you made this change, no further action is needed. If you did not, please set a new password immediately:
{{resetLink}}

{{siteName}}
`,
    },
    'account-deletion-requested': {
      subject: 'Your request to delete your account at {{siteName}}',
      body: `Dear {{name}},

We have received your request to delete your account ({{email}}) with {{siteName}}. The site administrator will delete the account and the personal data associated with it; contributions that have already been published remain part of the scholarly record.

If you did not make this request, please reply to this message or contact the site administrator as soon as possible.

{{siteName}}
`,
    },
    'role-assigned': {
      subject: 'Your new role in {{journalName}}',
      body: `Dear {{name}},

You have been given the role of {{role}} in the journal {{journalName}} at {{siteName}}.

You can sign in and see your new tasks here:
{{loginLink}}

{{journalName}}
`,
    },
  },
  pl: {
    'verify-email': {
      subject: 'Potwierdź adres e-mail w serwisie {{siteName}}',
      body: `Dzień dobry {{name}},

dziękujemy za rejestrację w serwisie {{siteName}}. Aby aktywować konto, prosimy potwierdzić adres e-mail, otwierając poniższy link:

{{link}}

Link jest ważny przez {{expiresHours}} godz. Jeżeli konto nie zostało założone przez Państwa, prosimy zignorować tę wiadomość.

{{siteName}}
`,
    },
    'registration-attempt': {
      subject: 'Próba rejestracji z Państwa adresem e-mail w serwisie {{siteName}}',
      body: `Dzień dobry,

ktoś próbował założyć nowe konto w serwisie {{siteName}}, podając ten adres e-mail. Konto z tym adresem już istnieje, dlatego nowe konto nie zostało utworzone.

Jeżeli to byli Państwo, można się zalogować tutaj:
{{loginLink}}

Jeżeli nie pamiętają Państwo hasła, można ustawić nowe tutaj:
{{resetLink}}

Jeżeli to nie byli Państwo, prosimy zignorować tę wiadomość; konto nie zostało zmienione.

{{siteName}}
`,
    },
    'reset-password': {
      subject: 'Ustaw nowe hasło w serwisie {{siteName}}',
      body: `Dzień dobry {{name}},

otrzymaliśmy prośbę o ustawienie nowego hasła do Państwa konta w serwisie {{siteName}}. Aby wybrać nowe hasło, prosimy otworzyć poniższy link:

{{link}}

Link jest ważny przez {{expiresHours}} godz. i można go użyć tylko raz. Jeżeli to nie Państwo wysłali tę prośbę, prosimy zignorować tę wiadomość; hasło pozostanie bez zmian.

{{siteName}}
`,
    },
    'reset-password-no-account': {
      subject: 'Prośba o nowe hasło w serwisie {{siteName}}',
      body: `Dzień dobry,

ktoś poprosił o ustawienie nowego hasła do konta z adresem {{email}} w serwisie {{siteName}}, ale żadne konto nie korzysta z tego adresu.

Jeżeli to byli Państwo, być może konto zostało założone z innym adresem; prosimy spróbować z tamtym. Można też założyć konto tutaj:
{{registerLink}}

Jeżeli to nie byli Państwo, prosimy zignorować tę wiadomość.

{{siteName}}
`,
    },
    'change-email': {
      subject: 'Potwierdź nowy adres e-mail w serwisie {{siteName}}',
      body: `Dzień dobry {{name}},

otrzymaliśmy prośbę o zmianę adresu e-mail Państwa konta w serwisie {{siteName}} na {{email}}. Aby potwierdzić zmianę, prosimy otworzyć poniższy link:

{{link}}

Link jest ważny przez {{expiresHours}} godz. Do czasu potwierdzenia obowiązuje dotychczasowy adres. Jeżeli to nie Państwo wysłali tę prośbę, prosimy zignorować tę wiadomość.

{{siteName}}
`,
    },
    'email-changed': {
      subject: 'Adres e-mail Państwa konta w serwisie {{siteName}} został zmieniony',
      body: `Dzień dobry {{name}},

adres e-mail Państwa konta w serwisie {{siteName}} został właśnie zmieniony z {{oldEmail}} na {{newEmail}}, a sesje na innych urządzeniach zostały zakończone.

Jeżeli to Państwo zmienili adres, nie trzeba nic robić. Jeżeli nie, prosimy otworzyć poniższy link: przywraca on konto adresowi {{oldEmail}}, wylogowuje wszystkich i pozwala ustawić nowe hasło.

{{link}}

Link jest ważny przez {{expiresHours}} godz.

{{siteName}}
`,
    },
    'password-changed': {
      subject: 'Hasło w serwisie {{siteName}} zostało zmienione',
      body: `Dzień dobry {{name}},

hasło do Państwa konta w serwisie {{siteName}} zostało właśnie zmienione, a sesje na innych urządzeniach zostały zakończone.

Jeżeli to Państwo zmienili hasło, nie trzeba nic robić. Jeżeli nie, prosimy niezwłocznie ustawić nowe hasło:
{{resetLink}}

{{siteName}}
`,
    },
    'account-deletion-requested': {
      subject: 'Prośba o usunięcie konta w serwisie {{siteName}}',
      body: `Dzień dobry {{name}},

otrzymaliśmy Państwa prośbę o usunięcie konta ({{email}}) w serwisie {{siteName}}. Administrator serwisu usunie konto i związane z nim dane osobowe; opublikowane już prace pozostaną częścią dorobku naukowego.

Jeżeli to nie Państwo wysłali tę prośbę, prosimy jak najszybciej odpowiedzieć na tę wiadomość lub skontaktować się z administratorem serwisu.

{{siteName}}
`,
    },
    'role-assigned': {
      subject: 'Nowa rola w czasopiśmie {{journalName}}',
      body: `Dzień dobry {{name}},

nadano Państwu rolę „{{role}}” w czasopiśmie {{journalName}} w serwisie {{siteName}}.

Po zalogowaniu zobaczą Państwo swoje nowe zadania:
{{loginLink}}

Redakcja czasopisma {{journalName}}
`,
    },
  },
};

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
