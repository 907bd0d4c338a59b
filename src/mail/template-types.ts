/** What a mail template is, shared by the built-in templates and the review mail's (templates.ts, review-templates.ts). */
export interface MailTemplate {
  subject: string;
  body: string;
}

/** Locales with built-in wording; any other locale falls back to `en`. */
export type BuiltInLocale = 'pl' | 'en';
