import type { Kysely } from 'kysely';
import type { Database, LocalizedText } from '../db/index.ts';
import { isUiLocale, localizeText, translator } from '../i18n/index.ts';
import { storeTemplated } from '../mail/index.ts';
import { INVITATION_LIFETIME_MS, type OpenInvitation } from './invitations.ts';
import { loadSite } from '../platform/web/index.ts';

export interface InvitingJournal {
  id: number;
  path: string;
  name: LocalizedText;
  primary_locale: string;
}

/** The invitation's mail, in the outbox: in the invitation's language, with the link to accept it. */
export async function storeInvitationMail(db: Kysely<Database>, mail: { invitation: OpenInvitation; token: string; journal: InvitingJournal; inviterName: string; baseUrl: string }): Promise<number> {
  const { invitation, journal } = mail;
  const locale = invitation.locale && isUiLocale(invitation.locale) ? invitation.locale : isUiLocale(journal.primary_locale) ? journal.primary_locale : 'en';
  const t = translator(locale);
  const site = await loadSite(db);
  const name = `${localizeText(invitation.givenName, locale)} ${localizeText(invitation.familyName, locale)}`.trim() || invitation.email;
  return storeTemplated(db, {
    to: invitation.email,
    key: 'invitation',
    locale,
    journalId: journal.id,
    variables: {
      name,
      siteName: localizeText(site.title, locale, site.primaryLocale) || 'Revista',
      journalName: localizeText(journal.name, locale, journal.primary_locale) || journal.path,
      roles: invitation.roles.map((r) => t(`role.${r}`)).join(', '),
      inviterName: mail.inviterName,
      link: `${mail.baseUrl}/${journal.path}/user/invitation?token=${mail.token}`,
      expiresDays: String(INVITATION_LIFETIME_MS / (24 * 3600 * 1000)),
    },
  });
}
