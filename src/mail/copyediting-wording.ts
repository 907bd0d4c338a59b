import type { CopyeditingMailTemplateKey } from './copyediting-templates.ts';
import type { BuiltInLocale, MailTemplate } from './template-types.ts';

/** The built-in wording of the copyediting mails (copyediting-templates.ts says what each is for). `{{files}}` is a list, one file a line. */
export const copyeditingWording: Record<BuiltInLocale, Record<CopyeditingMailTemplateKey, MailTemplate>> = {
  en: {
    'copyeditor-assigned': {
      subject: '[{{journalName}}] Copyediting request: {{title}}',
      body: `Dear {{name}},

{{assignedBy}} has asked you to copyedit the submission “{{title}}” (no. {{submissionId}}), accepted for publication in {{journalName}}.

On the submission’s page, in its Copyediting section:
1. Download the accepted files.
2. Copyedit them and upload the copyedited files (a later version of a file is uploaded as its new revision; the earlier ones are kept).
3. Ask the author to review the copyedits: the author answers in the discussion that opens.

The submission:
{{submissionUrl}}

Thank you for your work.

{{journalName}}
`,
    },
    'layout-editor-assigned': {
      subject: '[{{journalName}}] You are the layout editor of submission {{submissionId}}',
      body: `Dear {{name}},

{{assignedBy}} has assigned you as layout editor of the submission “{{title}}” (no. {{submissionId}}) in {{journalName}}.

Once the submission is in production, galleys are wanted: the versions readers will read (PDF, HTML and the others the journal publishes), made from the production-ready files. You will be told when it is sent to production; if it is there already, you can begin now.

The submission:
{{submissionUrl}}

{{journalName}}
`,
    },
    'production-ready': {
      subject: '[{{journalName}}] Ready for production: {{title}}',
      body: `Dear {{name}},

{{editorName}} has sent the submission “{{title}}” (no. {{submissionId}}) to production. Galleys are wanted now, made from the production-ready files:

{{files}}
The submission:
{{submissionUrl}}

{{journalName}}
`,
    },
  },
  pl: {
    'copyeditor-assigned': {
      subject: '[{{journalName}}] Prośba o adiustację: {{title}}',
      body: `Dzień dobry {{name}},

{{assignedBy}} prosi o adiustację zgłoszenia „{{title}}” (nr {{submissionId}}), przyjętego do publikacji w czasopiśmie {{journalName}}.

Na stronie zgłoszenia, w części „Adiustacja”:
1. Proszę pobrać przyjęte pliki.
2. Po adiustacji proszę przesłać poprawione pliki (kolejną wersję pliku przesyła się jako jego nową wersję; wcześniejsze zostają zachowane).
3. Proszę poprosić autora o przejrzenie adiustacji: autor odpowie w dyskusji, która się wtedy otworzy.

Zgłoszenie:
{{submissionUrl}}

Dziękujemy za pracę.

{{journalName}}
`,
    },
    'layout-editor-assigned': {
      subject: '[{{journalName}}] Skład zgłoszenia {{submissionId}}',
      body: `Dzień dobry {{name}},

{{assignedBy}} powierza Pani/Panu skład zgłoszenia „{{title}}” (nr {{submissionId}}) w czasopiśmie {{journalName}}.

Gdy zgłoszenie trafi do produkcji, potrzebne będą wersje do publikacji (PDF, HTML i inne, które czasopismo publikuje), przygotowane z plików gotowych do składu. Wyślemy wiadomość, gdy zgłoszenie trafi do produkcji; jeśli już tam jest, można zaczynać.

Zgłoszenie:
{{submissionUrl}}

{{journalName}}
`,
    },
    'production-ready': {
      subject: '[{{journalName}}] Gotowe do składu: {{title}}',
      body: `Dzień dobry {{name}},

{{editorName}} przekazuje zgłoszenie „{{title}}” (nr {{submissionId}}) do produkcji. Potrzebne są teraz wersje do publikacji, przygotowane z plików gotowych do składu:

{{files}}
Zgłoszenie:
{{submissionUrl}}

{{journalName}}
`,
    },
  },
};
