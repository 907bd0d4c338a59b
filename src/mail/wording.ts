import { reviewWording } from './review-wording.ts';
import { copyeditingWording } from './copyediting-wording.ts';
import { productionWording } from './production-templates.ts';
import { publishingWording } from './publishing-templates.ts';
import { noticeWording } from './notice-templates.ts';
import type { BuiltInLocale, MailTemplate, MailTemplateKey } from './templates.ts';

/** The built-in wording of every mail, per locale (templates.ts says what each is for and its variables). */
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
    invitation: {
      subject: 'Invitation to {{journalName}}',
      body: `Dear {{name}},

{{inviterName}} invites you to join the journal {{journalName}} at {{siteName}} as: {{roles}}.

To accept, open the link below and choose a password for your new account:

{{link}}

The link is valid for {{expiresDays}} days and can be used only once. If you do not want to join, you can ignore this message; no account will be created.

{{journalName}}
`,
    },
    'account-created': {
      subject: 'Your account at {{siteName}}',
      body: `Dear {{name}},

The administrator of {{siteName}} has created an account for you with the address {{email}}.

To start using it, choose your password here:

{{link}}

The link is valid for {{expiresDays}} days and can be used only once. Afterwards you can ask for a new one on the sign-in page (“Forgot your password?”).

{{siteName}}
`,
    },
    'submission-acknowledgement': {
      subject: '[{{journalName}}] Submission received: {{title}}',
      body: `Dear {{name}},

Thank you for submitting the manuscript “{{title}}” to {{journalName}} (section: {{sectionName}}). It has been received and given the number {{submissionId}}.

You can follow its progress, read messages from the editors and answer them here:

{{submissionUrl}}

The editors will be in touch once they have looked at it.

{{journalName}}
`,
    },
    'submission-received': {
      subject: '[{{journalName}}] New submission {{submissionId}}: {{title}}',
      body: `Dear {{name}},

A new manuscript has been submitted to {{journalName}}:

“{{title}}”
by {{authors}}
section: {{sectionName}}

It waits for an editor:

{{submissionUrl}}

{{journalName}}
`,
    },
    'submission-assigned': {
      subject: '[{{journalName}}] You are the {{role}} of submission {{submissionId}}',
      body: `Dear {{name}},

{{assignedBy}} has assigned you as {{role}} of the submission “{{title}}” to {{journalName}}.

The submission, its files and its discussions are here:

{{submissionUrl}}

{{journalName}}
`,
    },
    'discussion-message': {
      subject: '[{{journalName}}] {{subject}}',
      body: `Dear {{name}},

{{sender}} wrote in the discussion “{{subject}}” about the submission “{{title}}”:

{{message}}
{{attachments}}
To read the discussion and answer, open:

{{discussionUrl}}

{{journalName}}
`,
    },
    ...reviewWording.en,
    ...copyeditingWording.en,
    ...productionWording.en,
    ...publishingWording.en,
    ...noticeWording.en,
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
    invitation: {
      subject: 'Zaproszenie do czasopisma {{journalName}}',
      body: `Dzień dobry {{name}},

{{inviterName}} zaprasza Panią/Pana do współpracy z czasopismem {{journalName}} w serwisie {{siteName}} w rolach: {{roles}}.

Aby przyjąć zaproszenie, proszę otworzyć poniższy link i ustawić hasło do nowego konta:

{{link}}

Link jest ważny przez {{expiresDays}} dni i można go użyć tylko raz. Jeżeli nie chce Pani/Pan dołączyć, wystarczy zignorować tę wiadomość; konto nie zostanie założone.

Redakcja czasopisma {{journalName}}
`,
    },
    'account-created': {
      subject: 'Konto w serwisie {{siteName}}',
      body: `Dzień dobry {{name}},

administrator serwisu {{siteName}} założył dla Pani/Pana konto z adresem {{email}}.

Aby zacząć z niego korzystać, proszę ustawić hasło:

{{link}}

Link jest ważny przez {{expiresDays}} dni i można go użyć tylko raz. Później nowy link można zamówić na stronie logowania („Nie pamiętasz hasła?”).

{{siteName}}
`,
    },
    'submission-acknowledgement': {
      subject: '[{{journalName}}] Przyjęto zgłoszenie: {{title}}',
      body: `Dzień dobry {{name}},

dziękujemy za zgłoszenie tekstu „{{title}}” do czasopisma {{journalName}} (dział: {{sectionName}}). Zgłoszenie wpłynęło i otrzymało numer {{submissionId}}.

Jego postępy, wiadomości od redakcji i odpowiedzi na nie można śledzić tutaj:

{{submissionUrl}}

Redakcja odezwie się po zapoznaniu się z tekstem.

{{journalName}}
`,
    },
    'submission-received': {
      subject: '[{{journalName}}] Nowe zgłoszenie {{submissionId}}: {{title}}',
      body: `Dzień dobry {{name}},

do czasopisma {{journalName}} wpłynęło nowe zgłoszenie:

„{{title}}”
autorzy: {{authors}}
dział: {{sectionName}}

Czeka na przypisanie redaktora:

{{submissionUrl}}

{{journalName}}
`,
    },
    'submission-assigned': {
      subject: '[{{journalName}}] Przypisanie do zgłoszenia {{submissionId}} ({{role}})',
      body: `Dzień dobry {{name}},

{{assignedBy}} przypisał(a) Panią/Pana jako: {{role}} do zgłoszenia „{{title}}” w czasopiśmie {{journalName}}.

Zgłoszenie, jego pliki i dyskusje są tutaj:

{{submissionUrl}}

{{journalName}}
`,
    },
    'discussion-message': {
      subject: '[{{journalName}}] {{subject}}',
      body: `Dzień dobry {{name}},

{{sender}} napisał(a) w dyskusji „{{subject}}” o zgłoszeniu „{{title}}”:

{{message}}
{{attachments}}
Aby przeczytać dyskusję i odpowiedzieć, proszę otworzyć:

{{discussionUrl}}

{{journalName}}
`,
    },
    ...reviewWording.pl,
    ...copyeditingWording.pl,
    ...productionWording.pl,
    ...publishingWording.pl,
    ...noticeWording.pl,
  },
};
