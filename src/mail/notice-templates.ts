import type { BuiltInLocale, MailTemplate } from './template-types.ts';

/**
 * The mail of corrections and retractions (issue 21, item 7): the authors of an article are told
 * that a notice about it was published — what kind, and where both are.
 */

export const NOTICE_MAIL_TEMPLATE_KEYS = ['notice-published'] as const;
export type NoticeMailTemplateKey = (typeof NOTICE_MAIL_TEMPLATE_KEYS)[number];

export const noticeMailTemplateInfo: Record<NoticeMailTemplateKey, { description: Record<BuiltInLocale, string>; variables: string[] }> = {
  'notice-published': {
    description: {
      en: 'Sent to the authors of an article when the journal publishes a correction, retraction or expression of concern about it: the kind of notice ({{noticeKind}}), its title and address, and the article’s address.',
      pl: 'Wysyłany do autorów artykułu, gdy czasopismo publikuje dotyczące go sprostowanie, wycofanie lub wyraz zaniepokojenia: rodzaj komunikatu ({{noticeKind}}), jego tytuł i adres oraz adres artykułu.',
    },
    variables: ['name', 'journalName', 'title', 'articleUrl', 'noticeKind', 'noticeTitle', 'noticeUrl'],
  },
};

export const noticeWording: Record<BuiltInLocale, Record<NoticeMailTemplateKey, MailTemplate>> = {
  en: {
    'notice-published': {
      subject: '[{{journalName}}] {{noticeKind}}: {{title}}',
      body: `Dear {{name}},

{{journalName}} has published a notice about your article “{{title}}” ({{noticeKind}}):

{{noticeTitle}}
{{noticeUrl}}

Readers of the article see the notice on its page:

{{articleUrl}}

{{journalName}}
`,
    },
  },
  pl: {
    'notice-published': {
      subject: '[{{journalName}}] {{noticeKind}}: {{title}}',
      body: `Dzień dobry {{name}},

czasopismo {{journalName}} opublikowało komunikat dotyczący artykułu „{{title}}” ({{noticeKind}}):

{{noticeTitle}}
{{noticeUrl}}

Czytelnicy artykułu widzą ten komunikat na jego stronie:

{{articleUrl}}

{{journalName}}
`,
    },
  },
};
