import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SignedInUser } from '../accounts/index.ts';
import { formPage, sendPrivatePage } from '../platform/web/index.ts';
import { localize } from '../i18n/index.ts';
import { listJournals } from '../catalog/index.ts';
import type { RoleName } from '../db/index.ts';
import { NotFoundError, parseId } from '../platform/http/index.ts';
import { formSchema, IdText, JournalPath, Type, typed } from '../platform/http/index.ts';
import type { FormErrors } from '../ui/index.ts';
import type { ApiDeps } from './v1/index.ts';
import { createApiToken, findApiToken, grantableRoles, listApiTokens, revokeApiToken, TOKEN_ROLES } from './tokens.ts';
import { RevokeTokenPage, TokensPage, type TokenChoices, type TokenForm } from './views/tokens.tsx';

/** A person keeps at most this many working tokens: enough for every script, bounded for the table. */
export const MAX_TOKENS = 20;

const TokenBody = formSchema({
  name: Type.Optional(Type.String({ maxLength: 1000 })),
  roles: Type.Optional(Type.Array(Type.String({ maxLength: 40 }), { maxItems: 20 })),
  journal: Type.Optional(Type.String({ maxLength: 12 })),
});
const RevokeParams = Type.Object({ journal: Type.Optional(JournalPath), id: IdText });

/**
 * The profile's API tokens (OJS keeps one API key per person on the profile; Revista lets a person keep
 * several, each named and limited to some of their roles). The list and the form are one page; the
 * token itself appears once, on the page that answers its creation; revoking is confirmed first.
 */
export function tokenPageRoutes(app: FastifyInstance, { db, clock }: ApiDeps): void {
  const routes = typed(app);
  const account = { permission: 'account' as const };

  async function choicesFor(user: SignedInUser, locale: string): Promise<TokenChoices & { held: Array<{ journalId: number | null; role: RoleName }> }> {
    const held = await grantableRoles(db, user.userId);
    const journals = await listJournals(db);
    const mine = user.isAdmin ? journals : journals.filter((j) => held.some((h) => h.journalId === j.id));
    return {
      held,
      roles: TOKEN_ROLES.filter((role) => held.some((h) => h.role === role)),
      journals: mine.map((j) => ({ id: j.id, path: j.path, name: localize(j.name, locale, j.primaryLocale)?.text ?? j.path })),
    };
  }

  async function show(request: FastifyRequest, reply: FastifyReply, form: TokenForm, status = 200, extra: { notice?: string; created?: { name: string; token: string } } = {}) {
    const { ctx } = await formPage(db, request, reply);
    const user = request.viewer.user!;
    const choices = await choicesFor(user, ctx.locale);
    return sendPrivatePage(reply, TokensPage({ ctx, tokens: await listApiTokens(db, user.userId), choices, form, ...extra }), status);
  }
  const emptyForm = (): TokenForm => ({ name: '', roles: [], journal: '', errors: {} });

  for (const prefix of ['', '/:journal']) {
    routes.get(`${prefix}/user/profile/api-tokens`, { config: account, schema: { params: Type.Object({ journal: Type.Optional(JournalPath) }) } }, async (request, reply) => show(request, reply, emptyForm()));

    routes.post(`${prefix}/user/profile/api-tokens`, { config: account, schema: { params: Type.Object({ journal: Type.Optional(JournalPath) }), body: TokenBody } }, async (request, reply) => {
      const { ctx } = await formPage(db, request, reply);
      const user = request.viewer.user!;
      const form: TokenForm = { name: (request.body.name ?? '').trim(), roles: request.body.roles ?? [], journal: (request.body.journal ?? '').trim(), errors: {} };
      const choices = await choicesFor(user, ctx.locale);
      const errors: FormErrors = {};
      if (form.name === '') errors.name = ctx.t('api.tokens.nameRequired');
      else if (form.name.length > 100) errors.name = ctx.t('api.tokens.nameTooLong', { max: 100 });
      const journal = form.journal === '' ? null : choices.journals.find((j) => String(j.id) === form.journal);
      if (journal === undefined) errors.journal = ctx.t('api.tokens.journalInvalid');
      // Only roles the person holds: in the chosen journal, or anywhere when the token is for all of them.
      const holds = (role: string) => (role === 'admin' ? user.isAdmin && !journal : choices.held.some((h) => h.role === role && (journal ? h.journalId === journal.id : true)));
      if (!form.roles.every(holds)) errors.roles = ctx.t('api.tokens.roleInvalid');
      if (Object.keys(errors).length === 0 && (await listApiTokens(db, user.userId)).length >= MAX_TOKENS) errors.name = ctx.t('api.tokens.tooMany', { max: MAX_TOKENS });
      if (Object.keys(errors).length > 0) return show(request, reply, { ...form, errors }, 400);
      const roles = TOKEN_ROLES.filter((role) => form.roles.includes(role));
      const created = await createApiToken(db, { userId: user.userId, name: form.name, roles, journalId: journal?.id ?? null }, clock.now());
      request.log.info({ userId: user.userId, tokenId: created.id }, 'API token created');
      return show(request, reply, emptyForm(), 200, { created: { name: form.name, token: created.token } });
    });

    const tokenOr404 = async (request: FastifyRequest & { params: { id: string } }) => {
      const token = await findApiToken(db, request.viewer.user!.userId, parseId(request.params.id));
      if (!token) throw new NotFoundError('no such token');
      return token;
    };

    routes.get(`${prefix}/user/profile/api-tokens/:id/revoke`, { config: account, schema: { params: RevokeParams } }, async (request, reply) => {
      const token = await tokenOr404(request);
      const { ctx } = await formPage(db, request, reply);
      return sendPrivatePage(reply, RevokeTokenPage({ ctx, token }));
    });

    routes.post(`${prefix}/user/profile/api-tokens/:id/revoke`, { config: account, schema: { params: RevokeParams } }, async (request, reply) => {
      const token = await tokenOr404(request);
      const { ctx } = await formPage(db, request, reply);
      await revokeApiToken(db, request.viewer.user!.userId, token.id, clock.now());
      request.log.info({ userId: request.viewer.user!.userId, tokenId: token.id }, 'API token revoked');
      return show(request, reply, emptyForm(), 200, { notice: ctx.t('api.tokens.revoked', { name: token.name }) });
    });
  }
}
