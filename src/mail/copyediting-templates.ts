import type { BuiltInLocale } from './template-types.ts';

/**
 * The mails of copyediting (issue 21, item 1): to a copyeditor assigned to a submission, to a layout
 * editor assigned to one, and to the assigned layout editors once the submission is sent to
 * production. The author's review of the copyedits is a discussion, mailed as any discussion's message.
 */

export const COPYEDITING_MAIL_TEMPLATE_KEYS = ['copyeditor-assigned', 'layout-editor-assigned', 'production-ready'] as const;
export type CopyeditingMailTemplateKey = (typeof COPYEDITING_MAIL_TEMPLATE_KEYS)[number];

interface Info {
  description: Record<BuiltInLocale, string>;
  variables: string[];
}

const ASSIGNED = ['name', 'journalName', 'title', 'assignedBy', 'submissionId', 'submissionUrl'];

export const copyeditingMailTemplateInfo: Record<CopyeditingMailTemplateKey, Info> = {
  'copyeditor-assigned': {
    description: {
      en: 'Sent to a copyeditor assigned to a submission: what to do (download the accepted files, upload the copyedited ones, ask the author to review them) and the link to the submission.',
      pl: 'Wysyłany do adiustatora przypisanego do zgłoszenia: co ma zrobić (pobrać przyjęte pliki, przesłać plik po adiustacji, poprosić autora o ich przejrzenie) i link do zgłoszenia.',
    },
    variables: ASSIGNED,
  },
  'layout-editor-assigned': {
    description: {
      en: 'Sent to a layout editor assigned to a submission: galleys are wanted once the submission is in production.',
      pl: 'Wysyłany do składacza przypisanego do zgłoszenia: gdy zgłoszenie trafi do produkcji, potrzebne będą wersje do publikacji (pliki PDF, HTML…).',
    },
    variables: ASSIGNED,
  },
  'production-ready': {
    description: {
      en: 'Sent to the layout editors assigned to a submission when an editor sends it to production: the production-ready files are there and galleys are wanted.',
      pl: 'Wysyłany do składaczy przypisanych do zgłoszenia, gdy redaktor przekaże je do produkcji: pliki gotowe do składu czekają, potrzebne są wersje do publikacji.',
    },
    variables: ['name', 'journalName', 'title', 'editorName', 'files', 'submissionId', 'submissionUrl'],
  },
};
