import type { ReviewMailTemplateKey } from './review-templates.ts';
import type { BuiltInLocale, MailTemplate } from './template-types.ts';

/**
 * The built-in wording of the review and decision mails (review-templates.ts says what each is for).
 * `{{message}}`, `{{reviews}}`, `{{authors}}` and `{{nextStep}}` are blocks that end with their own
 * blank line, or are empty: they stand at the start of a line, right before the next paragraph.
 */
export const reviewWording: Record<BuiltInLocale, Record<ReviewMailTemplateKey, MailTemplate>> = {
  en: {
    'review-request': {
      subject: '[{{journalName}}] Review request: {{title}}',
      body: `Dear {{name}},

We believe you would be an excellent reviewer of the manuscript “{{title}}”, submitted to {{journalName}}. Its abstract is below.

{{message}}{{authors}}Please let us know by {{responseDue}} whether you are able to review it. The review would be due by {{reviewDue}}.

To accept, open:
{{acceptUrl}}

To decline, open:
{{declineUrl}}

Once you have accepted, the manuscript’s files and the review form are on your review page:
{{reviewUrl}}

Abstract:

{{abstract}}

Thank you for considering this request.

{{journalName}}
`,
    },
    'review-request-invitation': {
      subject: '[{{journalName}}] Invitation to review: {{title}}',
      body: `Dear {{name}},

We believe you would be an excellent reviewer of the manuscript “{{title}}”, submitted to {{journalName}}. Its abstract is below.

{{message}}{{authors}}Please let us know by {{responseDue}} whether you are able to review it. The review would be due by {{reviewDue}}.

To accept, open the link below. You will be asked to choose a password: an account with the journal is made for you, where you will find the manuscript’s files and the review form.
{{acceptUrl}}

To decline, open:
{{declineUrl}}

If you decline or do not answer, no account is made and your address is not kept for anything else.

Abstract:

{{abstract}}

Thank you for considering this request.

{{journalName}}
`,
    },
    'review-response-reminder': {
      subject: '[{{journalName}}] Reminder: review request for “{{title}}”',
      body: `Dear {{name}},

This is a friendly reminder of our request to review the manuscript “{{title}}” for {{journalName}}. We asked for your answer by {{responseDue}} and have not heard from you yet.

To accept, open:
{{acceptUrl}}

To decline, open:
{{declineUrl}}

Thank you.

{{journalName}}
`,
    },
    'review-reminder': {
      subject: '[{{journalName}}] Reminder: your review of “{{title}}”',
      body: `Dear {{name}},

This is a friendly reminder that your review of the manuscript “{{title}}” for {{journalName}} is due by {{reviewDue}}. If you need more time, please reply to let us know.

Your review page:
{{reviewUrl}}

Thank you for your work for the journal.

{{journalName}}
`,
    },
    'review-confirmed': {
      subject: '[{{journalName}}] {{reviewer}} accepted to review submission {{submissionId}}',
      body: `Dear {{name}},

{{reviewer}} has accepted to review the submission “{{title}}” (no. {{submissionId}}). The review is due by {{reviewDue}}.

{{submissionUrl}}

{{journalName}}
`,
    },
    'review-declined': {
      subject: '[{{journalName}}] {{reviewer}} declined to review submission {{submissionId}}',
      body: `Dear {{name}},

{{reviewer}} has declined to review the submission “{{title}}” (no. {{submissionId}}).

Their reason: {{reason}}

You may want to ask another reviewer:
{{submissionUrl}}

{{journalName}}
`,
    },
    'review-thanks': {
      subject: '[{{journalName}}] Thank you for your review',
      body: `Dear {{name}},

Thank you for your review of the manuscript “{{title}}”. We appreciate the time and care you gave it; your review helps the editors reach their decision and the authors improve their work.

{{journalName}}
`,
    },
    'review-completed': {
      subject: '[{{journalName}}] Review received for submission {{submissionId}}',
      body: `Dear {{name}},

{{reviewer}} has sent their review of the submission “{{title}}” (no. {{submissionId}}).

Recommendation: {{recommendation}}

To read the review:
{{submissionUrl}}

{{journalName}}
`,
    },
    'review-cancelled': {
      subject: '[{{journalName}}] Review request cancelled: {{title}}',
      body: `Dear {{name}},

The editors have cancelled their request for your review of the manuscript “{{title}}”. There is nothing more for you to do. Thank you for your time, and we hope to ask you again on another occasion.

{{journalName}}
`,
    },
    'review-reinstated': {
      subject: '[{{journalName}}] Review request reinstated: {{title}}',
      body: `Dear {{name}},

The editors have reinstated their request for your review of the manuscript “{{title}}”. The review is due by {{reviewDue}}.

{{nextStep}}Thank you.

{{journalName}}
`,
    },
    'review-dates-changed': {
      subject: '[{{journalName}}] New dates for your review of “{{title}}”',
      body: `Dear {{name}},

The editors have changed the dates of your review of the manuscript “{{title}}”:

answer by: {{responseDue}}
review by: {{reviewDue}}

{{nextStep}}Thank you.

{{journalName}}
`,
    },
    'decision-send-to-review': {
      subject: '[{{journalName}}] Your submission has been sent to review',
      body: `Dear {{name}},

We are pleased to tell you that your submission “{{title}}” (no. {{submissionId}}) has been sent to peer review. We will write again once the reviews are in.

{{message}}You can follow the submission here:
{{submissionUrl}}

{{journalName}}
`,
    },
    'decision-accept': {
      subject: '[{{journalName}}] Your submission has been accepted',
      body: `Dear {{name}},

We are pleased to tell you that your submission “{{title}}” (no. {{submissionId}}) has been accepted for publication in {{journalName}}.

{{message}}{{reviews}}The next steps are copyediting and production; we will be in touch. The submission:
{{submissionUrl}}

{{journalName}}
`,
    },
    'decision-request-revisions': {
      subject: '[{{journalName}}] Revisions requested for your submission',
      body: `Dear {{name}},

The editors have reached a decision on your submission “{{title}}” (no. {{submissionId}}): revisions are required before it can be accepted.

{{message}}{{reviews}}Please upload your revised files here, with a note on the changes made:
{{revisionsUrl}}

{{journalName}}
`,
    },
    'decision-resubmit': {
      subject: '[{{journalName}}] Please revise and resubmit your submission',
      body: `Dear {{name}},

The editors have reached a decision on your submission “{{title}}” (no. {{submissionId}}): please revise it and resubmit it for another round of review.

{{message}}{{reviews}}Please upload your revised files here:
{{revisionsUrl}}

{{journalName}}
`,
    },
    'decision-new-round': {
      subject: '[{{journalName}}] A new round of review for your submission',
      body: `Dear {{name}},

Your revised submission “{{title}}” (no. {{submissionId}}) has been sent to a new round of peer review. We will write again once the reviews are in.

{{message}}You can follow the submission here:
{{submissionUrl}}

{{journalName}}
`,
    },
    'decision-decline': {
      subject: '[{{journalName}}] Decision on your submission',
      body: `Dear {{name}},

Thank you for submitting “{{title}}” (no. {{submissionId}}) to {{journalName}}. After careful consideration of the reviews, we regret that we are unable to accept it for publication.

{{message}}{{reviews}}The submission:
{{submissionUrl}}

{{journalName}}
`,
    },
    'decision-initial-decline': {
      subject: '[{{journalName}}] Decision on your submission',
      body: `Dear {{name}},

Thank you for submitting “{{title}}” (no. {{submissionId}}) to {{journalName}}. After reading it, the editors have decided not to send it to peer review, and we regret that we are unable to accept it for publication.

{{message}}The submission:
{{submissionUrl}}

{{journalName}}
`,
    },
    'decision-revert-decline': {
      subject: '[{{journalName}}] Your submission is under consideration again',
      body: `Dear {{name}},

The editors have withdrawn the decision to decline your submission “{{title}}” (no. {{submissionId}}). It is under consideration again, and we will write to you about the next steps.

{{message}}The submission:
{{submissionUrl}}

{{journalName}}
`,
    },
    recommendation: {
      subject: '[{{journalName}}] Recommendation for submission {{submissionId}}: {{recommendation}}',
      body: `Dear {{name}},

{{editorName}} recommends the following decision on the submission “{{title}}” (no. {{submissionId}}): {{recommendation}}.

{{message}}The decision is yours to take:
{{submissionUrl}}

{{journalName}}
`,
    },
    'revisions-submitted': {
      subject: '[{{journalName}}] Revisions received for submission {{submissionId}}',
      body: `Dear {{name}},

{{author}} has uploaded revised files for the submission “{{title}}” (no. {{submissionId}}), review round {{round}}.

{{submissionUrl}}

{{journalName}}
`,
    },
  },
  pl: {
    'review-request': {
      subject: '[{{journalName}}] Prośba o recenzję: {{title}}',
      body: `Dzień dobry {{name}},

uprzejmie prosimy o zrecenzowanie tekstu „{{title}}” zgłoszonego do czasopisma {{journalName}}. Abstrakt zamieszczamy poniżej.

{{message}}{{authors}}Prosimy o odpowiedź do {{responseDue}}, czy może Pani/Pan podjąć się recenzji. Termin nadesłania recenzji: {{reviewDue}}.

Aby przyjąć prośbę, proszę otworzyć:
{{acceptUrl}}

Aby odmówić, proszę otworzyć:
{{declineUrl}}

Po przyjęciu prośby pliki tekstu i formularz recenzji będą dostępne na stronie recenzji:
{{reviewUrl}}

Abstrakt:

{{abstract}}

Dziękujemy za rozważenie naszej prośby.

{{journalName}}
`,
    },
    'review-request-invitation': {
      subject: '[{{journalName}}] Zaproszenie do recenzji: {{title}}',
      body: `Dzień dobry {{name}},

uprzejmie prosimy o zrecenzowanie tekstu „{{title}}” zgłoszonego do czasopisma {{journalName}}. Abstrakt zamieszczamy poniżej.

{{message}}{{authors}}Prosimy o odpowiedź do {{responseDue}}, czy może Pani/Pan podjąć się recenzji. Termin nadesłania recenzji: {{reviewDue}}.

Aby przyjąć prośbę, proszę otworzyć poniższy link i ustawić hasło: powstanie konto w serwisie czasopisma, na którym znajdą się pliki tekstu i formularz recenzji.
{{acceptUrl}}

Aby odmówić, proszę otworzyć:
{{declineUrl}}

W razie odmowy lub braku odpowiedzi konto nie zostanie założone, a Pani/Pana adres nie zostanie wykorzystany w innym celu.

Abstrakt:

{{abstract}}

Dziękujemy za rozważenie naszej prośby.

{{journalName}}
`,
    },
    'review-response-reminder': {
      subject: '[{{journalName}}] Przypomnienie: prośba o recenzję tekstu „{{title}}”',
      body: `Dzień dobry {{name}},

uprzejmie przypominamy o prośbie o recenzję tekstu „{{title}}” dla czasopisma {{journalName}}. Prosiliśmy o odpowiedź do {{responseDue}} i jeszcze jej nie otrzymaliśmy.

Aby przyjąć prośbę, proszę otworzyć:
{{acceptUrl}}

Aby odmówić, proszę otworzyć:
{{declineUrl}}

Dziękujemy.

{{journalName}}
`,
    },
    'review-reminder': {
      subject: '[{{journalName}}] Przypomnienie: recenzja tekstu „{{title}}”',
      body: `Dzień dobry {{name}},

uprzejmie przypominamy, że termin nadesłania recenzji tekstu „{{title}}” dla czasopisma {{journalName}} to {{reviewDue}}. Jeżeli potrzebuje Pani/Pan więcej czasu, prosimy o odpowiedź na tę wiadomość.

Strona recenzji:
{{reviewUrl}}

Dziękujemy za pracę na rzecz czasopisma.

{{journalName}}
`,
    },
    'review-confirmed': {
      subject: '[{{journalName}}] {{reviewer}} przyjmuje recenzję zgłoszenia {{submissionId}}',
      body: `Dzień dobry {{name}},

{{reviewer}} przyjmuje prośbę o recenzję zgłoszenia „{{title}}” (nr {{submissionId}}). Termin nadesłania recenzji: {{reviewDue}}.

{{submissionUrl}}

{{journalName}}
`,
    },
    'review-declined': {
      subject: '[{{journalName}}] {{reviewer}} odmawia recenzji zgłoszenia {{submissionId}}',
      body: `Dzień dobry {{name}},

{{reviewer}} odmawia recenzji zgłoszenia „{{title}}” (nr {{submissionId}}).

Podany powód: {{reason}}

Można poprosić o recenzję inną osobę:
{{submissionUrl}}

{{journalName}}
`,
    },
    'review-thanks': {
      subject: '[{{journalName}}] Dziękujemy za recenzję',
      body: `Dzień dobry {{name}},

serdecznie dziękujemy za recenzję tekstu „{{title}}”. Doceniamy poświęcony jej czas i staranność: recenzja pomoże redakcji podjąć decyzję, a autorom udoskonalić tekst.

{{journalName}}
`,
    },
    'review-completed': {
      subject: '[{{journalName}}] Nowa recenzja zgłoszenia {{submissionId}}',
      body: `Dzień dobry {{name}},

{{reviewer}} przesyła recenzję zgłoszenia „{{title}}” (nr {{submissionId}}).

Rekomendacja: {{recommendation}}

Recenzję można przeczytać tutaj:
{{submissionUrl}}

{{journalName}}
`,
    },
    'review-cancelled': {
      subject: '[{{journalName}}] Prośba o recenzję wycofana: {{title}}',
      body: `Dzień dobry {{name}},

redakcja wycofała prośbę o recenzję tekstu „{{title}}”. Nie trzeba już nic robić. Dziękujemy za poświęcony czas i mamy nadzieję zwrócić się do Pani/Pana przy innej okazji.

{{journalName}}
`,
    },
    'review-reinstated': {
      subject: '[{{journalName}}] Prośba o recenzję przywrócona: {{title}}',
      body: `Dzień dobry {{name}},

redakcja przywróciła prośbę o recenzję tekstu „{{title}}”. Termin nadesłania recenzji: {{reviewDue}}.

{{nextStep}}Dziękujemy.

{{journalName}}
`,
    },
    'review-dates-changed': {
      subject: '[{{journalName}}] Nowe terminy recenzji tekstu „{{title}}”',
      body: `Dzień dobry {{name}},

redakcja zmieniła terminy recenzji tekstu „{{title}}”:

odpowiedź do: {{responseDue}}
recenzja do: {{reviewDue}}

{{nextStep}}Dziękujemy.

{{journalName}}
`,
    },
    'decision-send-to-review': {
      subject: '[{{journalName}}] Zgłoszenie skierowane do recenzji',
      body: `Dzień dobry {{name}},

z przyjemnością informujemy, że zgłoszenie „{{title}}” (nr {{submissionId}}) zostało skierowane do recenzji. Napiszemy ponownie, gdy otrzymamy recenzje.

{{message}}Postępy zgłoszenia można śledzić tutaj:
{{submissionUrl}}

{{journalName}}
`,
    },
    'decision-accept': {
      subject: '[{{journalName}}] Zgłoszenie przyjęte do publikacji',
      body: `Dzień dobry {{name}},

z przyjemnością informujemy, że zgłoszenie „{{title}}” (nr {{submissionId}}) zostało przyjęte do publikacji w czasopiśmie {{journalName}}.

{{message}}{{reviews}}Kolejne etapy to redakcja językowa i skład; odezwiemy się wkrótce. Zgłoszenie:
{{submissionUrl}}

{{journalName}}
`,
    },
    'decision-request-revisions': {
      subject: '[{{journalName}}] Prośba o poprawki w zgłoszeniu',
      body: `Dzień dobry {{name}},

redakcja podjęła decyzję w sprawie zgłoszenia „{{title}}” (nr {{submissionId}}): przed przyjęciem tekst wymaga poprawek.

{{message}}{{reviews}}Poprawione pliki, wraz z opisem wprowadzonych zmian, prosimy przesłać tutaj:
{{revisionsUrl}}

{{journalName}}
`,
    },
    'decision-resubmit': {
      subject: '[{{journalName}}] Prośba o poprawienie i ponowne przesłanie zgłoszenia',
      body: `Dzień dobry {{name}},

redakcja podjęła decyzję w sprawie zgłoszenia „{{title}}” (nr {{submissionId}}): prosimy o poprawienie tekstu i przesłanie go do kolejnej rundy recenzji.

{{message}}{{reviews}}Poprawione pliki prosimy przesłać tutaj:
{{revisionsUrl}}

{{journalName}}
`,
    },
    'decision-new-round': {
      subject: '[{{journalName}}] Nowa runda recenzji zgłoszenia',
      body: `Dzień dobry {{name}},

poprawione zgłoszenie „{{title}}” (nr {{submissionId}}) zostało skierowane do kolejnej rundy recenzji. Napiszemy ponownie, gdy otrzymamy recenzje.

{{message}}Postępy zgłoszenia można śledzić tutaj:
{{submissionUrl}}

{{journalName}}
`,
    },
    'decision-decline': {
      subject: '[{{journalName}}] Decyzja w sprawie zgłoszenia',
      body: `Dzień dobry {{name}},

dziękujemy za przesłanie tekstu „{{title}}” (nr {{submissionId}}) do czasopisma {{journalName}}. Po starannym rozważeniu recenzji z przykrością informujemy, że nie możemy przyjąć go do publikacji.

{{message}}{{reviews}}Zgłoszenie:
{{submissionUrl}}

{{journalName}}
`,
    },
    'decision-initial-decline': {
      subject: '[{{journalName}}] Decyzja w sprawie zgłoszenia',
      body: `Dzień dobry {{name}},

dziękujemy za przesłanie tekstu „{{title}}” (nr {{submissionId}}) do czasopisma {{journalName}}. Po zapoznaniu się z nim redakcja postanowiła nie kierować go do recenzji i z przykrością informujemy, że nie możemy przyjąć go do publikacji.

{{message}}Zgłoszenie:
{{submissionUrl}}

{{journalName}}
`,
    },
    'decision-revert-decline': {
      subject: '[{{journalName}}] Zgłoszenie ponownie rozpatrywane',
      body: `Dzień dobry {{name}},

redakcja cofnęła decyzję o odrzuceniu zgłoszenia „{{title}}” (nr {{submissionId}}). Zgłoszenie jest ponownie rozpatrywane; o dalszych krokach poinformujemy osobno.

{{message}}Zgłoszenie:
{{submissionUrl}}

{{journalName}}
`,
    },
    recommendation: {
      subject: '[{{journalName}}] Rekomendacja w sprawie zgłoszenia {{submissionId}}: {{recommendation}}',
      body: `Dzień dobry {{name}},

{{editorName}} rekomenduje następującą decyzję w sprawie zgłoszenia „{{title}}” (nr {{submissionId}}): {{recommendation}}.

{{message}}Decyzję można podjąć tutaj:
{{submissionUrl}}

{{journalName}}
`,
    },
    'revisions-submitted': {
      subject: '[{{journalName}}] Poprawki do zgłoszenia {{submissionId}}',
      body: `Dzień dobry {{name}},

{{author}} przesyła poprawione pliki zgłoszenia „{{title}}” (nr {{submissionId}}), runda recenzji {{round}}.

{{submissionUrl}}

{{journalName}}
`,
    },
  },
};
