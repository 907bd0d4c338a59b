import type { BuiltInLocale, MailTemplate } from './template-types.ts';

/**
 * The mails of production (issue 21, item 2): proofs sent to an author, and the author's answer to
 * the layout editors and editors. `{{message}}` and `{{response}}` are blocks ending with their own
 * blank line, or empty.
 */
export const PRODUCTION_MAIL_TEMPLATE_KEYS = ['proofs-requested', 'proofs-answered'] as const;
export type ProductionMailTemplateKey = (typeof PRODUCTION_MAIL_TEMPLATE_KEYS)[number];

interface Info {
  description: Record<BuiltInLocale, string>;
  variables: string[];
}

export const productionMailTemplateInfo: Record<ProductionMailTemplateKey, Info> = {
  'proofs-requested': {
    description: {
      en: 'Sent to an author when the layout editor or an editor asks them to check the proofs (the galleys): the message and a link to the proof page, where they approve or ask for corrections.',
      pl: 'Wysyłany do autora, gdy redaktor techniczny lub redaktor prosi o sprawdzenie korekty (plików publikacji): wiadomość i link do strony korekty, na której autor ją zatwierdza lub prosi o poprawki.',
    },
    variables: ['name', 'journalName', 'title', 'submissionId', 'message', 'proofUrl'],
  },
  'proofs-answered': {
    description: {
      en: 'Sent to the layout editors and editors of a submission when an author approves the proofs or asks for corrections, with what to correct.',
      pl: 'Wysyłany do redaktorów technicznych i redaktorów zgłoszenia, gdy autor zatwierdza korektę lub prosi o poprawki (z opisem poprawek).',
    },
    variables: ['name', 'journalName', 'title', 'submissionId', 'author', 'answer', 'response', 'submissionUrl'],
  },
};

export const productionWording: Record<BuiltInLocale, Record<ProductionMailTemplateKey, MailTemplate>> = {
  en: {
    'proofs-requested': {
      subject: '[{{journalName}}] Proofs to check: {{title}}',
      body: `Dear {{name}},

The galleys of your article “{{title}}” (submission {{submissionId}}) are ready for you to check before publication.

{{message}}Please look at each galley, then approve the proofs or tell us what to correct:

{{proofUrl}}

{{journalName}}
`,
    },
    'proofs-answered': {
      subject: '[{{journalName}}] Proofs {{answer}}: {{title}}',
      body: `Dear {{name}},

{{author}} has answered the proofs of submission {{submissionId}}, “{{title}}”: {{answer}}.

{{response}}The submission:

{{submissionUrl}}

{{journalName}}
`,
    },
  },
  pl: {
    'proofs-requested': {
      subject: '[{{journalName}}] Korekta do sprawdzenia: {{title}}',
      body: `Dzień dobry {{name}},

pliki publikacji artykułu „{{title}}” (zgłoszenie {{submissionId}}) są gotowe do sprawdzenia przed publikacją.

{{message}}Prosimy obejrzeć każdy plik, a następnie zatwierdzić korektę albo napisać, co należy poprawić:

{{proofUrl}}

{{journalName}}
`,
    },
    'proofs-answered': {
      subject: '[{{journalName}}] Korekta: {{answer}} – {{title}}',
      body: `Dzień dobry {{name}},

{{author}} odpowiada na korektę zgłoszenia {{submissionId}}, „{{title}}”: {{answer}}.

{{response}}Zgłoszenie:

{{submissionUrl}}

{{journalName}}
`,
    },
  },
};
