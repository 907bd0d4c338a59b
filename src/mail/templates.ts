/**
 * The mails Revista sends, as built-in templates per locale. Managers may override each one per
 * journal (mail_templates); variables are written `{{name}}`. Plain text: no markup to escape, and
 * links stay visible as they are.
 */
export const MAIL_TEMPLATE_KEYS = ['verify-email', 'registration-attempt', 'reset-password', 'change-email', 'password-changed', 'role-assigned'] as const;
export type MailTemplateKey = (typeof MAIL_TEMPLATE_KEYS)[number];

export interface MailTemplate {
  subject: string;
  body: string;
}

export const mailTemplateVariables: Record<MailTemplateKey, readonly string[]> = {
  'verify-email': ['name', 'siteName', 'link', 'expiresHours'],
  'registration-attempt': ['siteName', 'loginLink', 'resetLink'],
  'reset-password': ['name', 'siteName', 'link', 'expiresHours'],
  'change-email': ['name', 'siteName', 'link', 'email', 'expiresHours'],
  'password-changed': ['name', 'siteName', 'resetLink'],
  'role-assigned': ['name', 'siteName', 'journalName', 'role', 'loginLink'],
};

export const builtInTemplates: Record<'pl' | 'en', Record<MailTemplateKey, MailTemplate>> = {
  en: {
    'verify-email': {
      subject: 'Confirm your email address for {{siteName}}',
      body: 'Dear {{name}},\n\nThank you for registering with {{siteName}}. Please confirm your email address by opening this link:\n\n{{link}}\n\nThe link is valid for {{expiresHours}} hours. If you did not register, you can ignore this message.\n',
    },
    'registration-attempt': {
      subject: 'Registration attempt with your address at {{siteName}}',
      body: 'Someone tried to register a new account at {{siteName}} with this email address, which already has an account.\n\nIf it was you, sign in here:\n{{loginLink}}\n\nIf you forgot your password, set a new one here:\n{{resetLink}}\n\nIf it was not you, you can ignore this message; your account has not changed.\n',
    },
    'reset-password': {
      subject: 'Set a new password for {{siteName}}',
      body: 'Dear {{name}},\n\nWe received a request to set a new password for your account at {{siteName}}. To choose a new password, open this link:\n\n{{link}}\n\nThe link is valid for {{expiresHours}} hours and can be used once. If you did not ask for this, ignore this message: your password stays as it is.\n',
    },
    'change-email': {
      subject: 'Confirm your new email address for {{siteName}}',
      body: 'Dear {{name}},\n\nYou asked to change the email address of your account at {{siteName}} to {{email}}. To confirm the change, open this link:\n\n{{link}}\n\nThe link is valid for {{expiresHours}} hours. Until you confirm, your old address stays in use.\n',
    },
    'password-changed': {
      subject: 'Your password for {{siteName}} was changed',
      body: 'Dear {{name}},\n\nThe password of your account at {{siteName}} was just changed, and other devices were signed out.\n\nIf you did not do this, set a new password at once:\n{{resetLink}}\n',
    },
    'role-assigned': {
      subject: 'Your new role in {{journalName}}',
      body: 'Dear {{name}},\n\nYou have been given the role "{{role}}" in {{journalName}} at {{siteName}}.\n\nSign in here:\n{{loginLink}}\n',
    },
  },
  pl: {
    'verify-email': {
      subject: 'Potwierdź adres e-mail w serwisie {{siteName}}',
      body: 'Szanowni Państwo ({{name}}),\n\ndziękujemy za rejestrację w serwisie {{siteName}}. Prosimy potwierdzić adres e-mail, otwierając ten link:\n\n{{link}}\n\nLink jest ważny przez {{expiresHours}} godz. Jeśli to nie Państwo zakładali konto, prosimy zignorować tę wiadomość.\n',
    },
    'registration-attempt': {
      subject: 'Próba rejestracji z Państwa adresem w serwisie {{siteName}}',
      body: 'Ktoś próbował założyć nowe konto w serwisie {{siteName}} z tym adresem e-mail, do którego jest już przypisane konto.\n\nJeśli to Państwo, prosimy się zalogować:\n{{loginLink}}\n\nJeśli nie pamiętają Państwo hasła, można ustawić nowe:\n{{resetLink}}\n\nJeśli to nie Państwo, prosimy zignorować tę wiadomość; konto nie zostało zmienione.\n',
    },
    'reset-password': {
      subject: 'Ustaw nowe hasło w serwisie {{siteName}}',
      body: 'Szanowni Państwo ({{name}}),\n\notrzymaliśmy prośbę o ustawienie nowego hasła do konta w serwisie {{siteName}}. Aby wybrać nowe hasło, prosimy otworzyć ten link:\n\n{{link}}\n\nLink jest ważny przez {{expiresHours}} godz. i działa jeden raz. Jeśli to nie Państwo o to prosili, prosimy zignorować tę wiadomość: hasło pozostaje bez zmian.\n',
    },
    'change-email': {
      subject: 'Potwierdź nowy adres e-mail w serwisie {{siteName}}',
      body: 'Szanowni Państwo ({{name}}),\n\nprosili Państwo o zmianę adresu e-mail konta w serwisie {{siteName}} na {{email}}. Aby potwierdzić zmianę, prosimy otworzyć ten link:\n\n{{link}}\n\nLink jest ważny przez {{expiresHours}} godz. Do czasu potwierdzenia obowiązuje dotychczasowy adres.\n',
    },
    'password-changed': {
      subject: 'Hasło w serwisie {{siteName}} zostało zmienione',
      body: 'Szanowni Państwo ({{name}}),\n\nhasło do konta w serwisie {{siteName}} zostało właśnie zmienione, a inne urządzenia wylogowane.\n\nJeśli to nie Państwo, prosimy natychmiast ustawić nowe hasło:\n{{resetLink}}\n',
    },
    'role-assigned': {
      subject: 'Nowa rola w czasopiśmie {{journalName}}',
      body: 'Szanowni Państwo ({{name}}),\n\notrzymali Państwo rolę „{{role}}” w czasopiśmie {{journalName}} w serwisie {{siteName}}.\n\nLogowanie:\n{{loginLink}}\n',
    },
  },
};

export function isMailTemplateKey(value: string): value is MailTemplateKey {
  return (MAIL_TEMPLATE_KEYS as readonly string[]).includes(value);
}

/**
 * Fills `{{variables}}` in one pass, so a value that itself contains `{{…}}` is never expanded;
 * unknown variables become empty. Line breaks are removed from the subject (no header injection).
 */
export function renderTemplate(template: MailTemplate, variables: Record<string, string>): { subject: string; text: string } {
  const fill = (text: string) => text.replace(/\{\{\s*([a-zA-Z]+)\s*\}\}/g, (_whole, name: string) => variables[name] ?? '');
  return { subject: fill(template.subject).replace(/[\r\n]+/g, ' ').trim(), text: fill(template.body) };
}

export type TemplateProblem = { field: 'subject' | 'body'; code: 'empty' | 'too-long' | 'unknown-variable'; variable?: string };

/** What is wrong with a manager's edited template. */
export function templateProblems(key: MailTemplateKey, subject: string, body: string): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  if (subject.trim() === '') problems.push({ field: 'subject', code: 'empty' });
  if (subject.length > 200) problems.push({ field: 'subject', code: 'too-long' });
  if (body.trim() === '') problems.push({ field: 'body', code: 'empty' });
  const known = new Set(mailTemplateVariables[key]);
  for (const [field, text] of [['subject', subject], ['body', body]] as const) {
    for (const match of text.matchAll(/\{\{\s*([a-zA-Z]+)\s*\}\}/g)) {
      if (!known.has(match[1]!)) problems.push({ field, code: 'unknown-variable', variable: match[1]! });
    }
  }
  return problems;
}
