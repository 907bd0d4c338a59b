import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { INVITATION_LIFETIME_MS, invite, normaliseEmail, personName, storeInvitationMail, viewerName, waitMinutes, findUser, type InvitingJournal, type JournalRole } from '../accounts/index.ts';
import type { Clock } from '../clock.ts';
import type { Database } from '../db/index.ts';
import { formText, type FormBody } from '../platform/http/forms.ts';
import { isUiLocale, localizeText, translator } from '../i18n/index.ts';
import { storeTemplated, type Mailer } from '../mail/index.ts';
import type { PageContext } from '../ui/index.ts';
import { formRoles } from './people-query.ts';
import type { InviteFormValues } from './views/people.tsx';

export interface InviteDeps {
  db: Kysely<Database>;
  mailer: Mailer;
  clock: Clock;
  baseUrl: string;
}

export const INVITATION_DAYS = INVITATION_LIFETIME_MS / (24 * 3600 * 1000);

/** The add-or-invite form as typed (journal chosen by the caller), with what is missing marked. */
export function readInviteForm(body: FormBody, ctx: PageContext): { form: InviteFormValues; email: string | null; roles: JournalRole[] } {
  const form: InviteFormValues = {
    email: formText(body, 'email', 254),
    givenName: formText(body, 'givenName', 200),
    familyName: formText(body, 'familyName', 200),
    journal: formText(body, 'journal', 10),
    roles: [],
    errors: {},
  };
  const email = normaliseEmail(form.email);
  if (!email) form.errors.email = ctx.t('field.emailInvalid');
  const roles = formRoles(body);
  form.roles = roles;
  if (roles.length === 0) form.errors.roles = ctx.t('invite.rolesRequired');
  return { form, email, roles };
}

export type InviteResult = { kind: 'invited' | 'assigned'; email: string } | { kind: 'refused'; status: number };

/**
 * Gives the roles to the account with this address (and tells its owner), or invites the address
 * (the invitation mailed with its link). Errors land in `form.errors`.
 */
export async function inviteOrAssign(deps: InviteDeps, request: FastifyRequest, reply: FastifyReply, ctx: PageContext, journal: InvitingJournal, input: ReturnType<typeof readInviteForm>): Promise<InviteResult> {
  const { db, clock } = deps;
  const { form, email, roles } = input;
  if (!email || roles.length === 0) return { kind: 'refused', status: 400 };
  const inviter = request.viewer.user!;
  const now = clock.now();
  const locale = isUiLocale(journal.primary_locale) ? journal.primary_locale : ctx.locale;
  const outcome = await invite(
    db,
    {
      journalId: journal.id,
      email,
      givenName: form.givenName ? { [locale]: form.givenName } : {},
      familyName: form.familyName ? { [locale]: form.familyName } : {},
      roles,
      locale,
      invitedBy: inviter.userId,
    },
    now,
    // The name is needed only for someone without an account: checked after the address is looked up.
    () => form.givenName !== '',
  );
  if (outcome.kind === 'incomplete') {
    form.errors.givenName = ctx.t('invite.givenNameRequired');
    return { kind: 'refused', status: 400 };
  }
  if (outcome.kind === 'throttled') {
    form.errors[''] = ctx.t('invite.throttled', { minutes: waitMinutes(reply, outcome.until, now) });
    return { kind: 'refused', status: 429 };
  }
  if (outcome.kind === 'invited') {
    const id = await storeInvitationMail(db, { invitation: outcome.invitation, token: outcome.token, journal, inviterName: viewerName(inviter, locale), baseUrl: deps.baseUrl });
    await deps.mailer.deliver(id);
    request.log.info({ invitationId: outcome.invitation.id, journalId: journal.id }, 'invitation sent');
    return { kind: 'invited', email };
  }
  const user = (await findUser(db, outcome.userId))!;
  const userLocale = user.preferred_locale && isUiLocale(user.preferred_locale) ? user.preferred_locale : locale;
  const t = translator(userLocale);
  const id = await storeTemplated(db, {
    to: user.email,
    key: 'role-assigned',
    locale: userLocale,
    journalId: journal.id,
    variables: {
      name: personName(user, userLocale) ?? user.email,
      siteName: 'Revista',
      journalName: localizeText(journal.name, userLocale, journal.primary_locale) || journal.path,
      role: roles.map((r) => t(`role.${r}`)).join(', '),
      loginLink: `${deps.baseUrl}/${journal.path}/login`,
    },
  });
  await deps.mailer.deliver(id);
  return { kind: 'assigned', email: user.email };
}
