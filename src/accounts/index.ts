import type { FastifyInstance } from 'fastify';
import { BUILT_IN_DISPOSABLE_DOMAINS } from '../config.ts';
import { invitationRoutes } from './invitation-routes.ts';
import { profileRoutes } from './profile.ts';
import { registrationRoutes } from './registration.ts';
import { signInRoutes } from './sign-in.ts';
import { deliverAfterReply, disposableDomainCheck, type AccountContext, type AccountDeps } from './web.ts';

export { access, requireCan, loginUrlFor, CSRF_COOKIE, CSRF_FIELD, type Viewer, type AccessOptions, type RouteAccess } from './access.ts';
export { JOURNAL_ROLES, type JournalRole, type Principal, type UserResource } from './policy.ts';
export { accountsRules } from './policy.ts';
export { can, managesSomething, type Action, type PolicyActions, type RoutePermission } from '../platform/policy/index.ts';
export { viewerName, personName } from './names.ts';
export { equalInConstantTime, hmac, siteSecret } from './tokens.ts';
export { ensureAdministrator, createUserWithRole, generatePassword, AccountSetupError } from './bootstrap.ts';
export * from '../platform/identifiers/index.ts';
export * from './users.ts';
export * from './user-list.ts';
export * from './reviewer-interests.ts';
export * from './invitations.ts';
export { storeInvitationMail, type InvitingJournal } from './invitation-mail.ts';
export * from './role-guards.ts';
export { INVITATION_MAIL, invitationMailClaims, takeTurn } from './throttle.ts';
export { waitMinutes } from './sign-in.ts';
export { SESSION_COOKIE, loadPrincipal, startSession, type SignedInUser } from './sessions.ts';
export { type AccountDeps } from './web.ts';
export { newPasswordErrors } from './sign-in.ts';
export { hashPassword } from './passwords.ts';
export { accountPath, MessagePage } from './views/pages.tsx';
export { NewAccountFields } from './views/account-fields.tsx';

/** People's own accounts: sign in and out, registration, confirmation, password reset, profile. */
export async function accountsPlugin(app: FastifyInstance, deps: AccountDeps): Promise<void> {
  const context: AccountContext = {
    ...deps,
    deliverAfterReply: deliverAfterReply(app, deps.mailer),
    isDisposable: disposableDomainCheck(deps.disposableEmailDomains ?? BUILT_IN_DISPOSABLE_DOMAINS),
  };
  signInRoutes(app, context);
  registrationRoutes(app, context);
  profileRoutes(app, context);
  invitationRoutes(app, context);
}
