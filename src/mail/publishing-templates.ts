import type { BuiltInLocale, MailTemplate } from './template-types.ts';

/**
 * The mail of publishing (issue 21): the author is told their article is published, with its
 * address (and its DOI when it has one: `{{doi}}` is a line of its own, or empty).
 */

export const PUBLISHING_MAIL_TEMPLATE_KEYS = ['publication-published'] as const;
export type PublishingMailTemplateKey = (typeof PUBLISHING_MAIL_TEMPLATE_KEYS)[number];

export const publishingMailTemplateInfo: Record<PublishingMailTemplateKey, { description: Record<BuiltInLocale, string>; variables: string[] }> = {
  'publication-published': {
    description: {
      en: 'Sent to the authors of a submission when it is published (now, at its scheduled moment, online first or with its issue): the article’s address and its DOI.',
      pl: 'Wysyłany do autorów zgłoszenia, gdy zostaje opublikowane (od razu, w zaplanowanym terminie, online przed numerem lub razem z numerem): adres artykułu i jego DOI.',
    },
    variables: ['name', 'journalName', 'title', 'articleUrl', 'doi'],
  },
};

export const publishingWording: Record<BuiltInLocale, Record<PublishingMailTemplateKey, MailTemplate>> = {
  en: {
    'publication-published': {
      subject: '[{{journalName}}] Published: {{title}}',
      body: `Dear {{name}},

We are pleased to tell you that your article “{{title}}” is now published in {{journalName}}. Readers find it at:

{{articleUrl}}
{{doi}}
Thank you for publishing with us.

{{journalName}}
`,
    },
  },
  pl: {
    'publication-published': {
      subject: '[{{journalName}}] Opublikowano: {{title}}',
      body: `Dzień dobry {{name}},

z przyjemnością informujemy, że artykuł „{{title}}” został opublikowany w czasopiśmie {{journalName}}. Czytelnicy znajdą go pod adresem:

{{articleUrl}}
{{doi}}
Dziękujemy za publikację w naszym czasopiśmie.

{{journalName}}
`,
    },
  },
};
