import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { findUser, findUserByEmail, isLastAdministrator, mergeUsers, normaliseEmail, personName, setDisabled, deleteUser } from '../accounts/index.ts';
import { formPage, sendPrivatePage } from '../platform/web/index.ts';
import { formBody, formChecked, formText } from '../platform/http/forms.ts';
import { NotFoundError } from '../platform/http/index.ts';
import { IdParams, PersonQuery, type WithParams, type WithQuery } from './schemas.ts';
import type { AdminDeps } from './site-admin.ts';
import { ReasonField, SiteConfirmPage, TickField } from './views/users.tsx';

const admin = { config: { permission: 'site.admin' as const } };

/** A request to a person's address, checked: `/admin/users/:id` with its query. */
type PersonRequest = WithParams<typeof IdParams> & WithQuery<typeof PersonQuery>;

/** Disabling, enabling, merging and deleting accounts: each destructive one a confirmation page first, then the work. */
export function siteUserActionRoutes(
  app: FastifyInstance,
  deps: AdminDeps,
  helpers: {
    showUser(request: PersonRequest, reply: FastifyReply, errors?: Record<string, string>, status?: number): Promise<FastifyReply>;
    backToUser(reply: FastifyReply, id: number, notice: 'disabled' | 'enabled'): FastifyReply;
    idParam(request: WithParams<typeof IdParams>): number;
  },
): void {
  const { db, clock } = deps;
  const { showUser, backToUser, idParam } = helpers;
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const personRoute = { ...admin, schema: { params: IdParams, querystring: PersonQuery } };

  /** The account acted on, and why it may not be (one's own account, the last administrator). */
  async function target(request: PersonRequest, reply: FastifyReply) {
    const id = idParam(request);
    const user = await findUser(db, id);
    if (!user) throw new NotFoundError();
    const { ctx } = await formPage(db, request, reply);
    const refusal = id === request.viewer.user?.userId ? ctx.t('admin.notYourself') : (await isLastAdministrator(db, id)) ? ctx.t('disable.lastAdmin') : undefined;
    return { user, ctx, refusal, name: personName(user, ctx.locale) ?? user.email };
  }

  async function disablePage(request: PersonRequest, reply: FastifyReply, reasonError?: string) {
    const { user, ctx, refusal, name } = await target(request, reply);
    return sendPrivatePage(
      reply,
      SiteConfirmPage({
        ctx,
        title: ctx.t('admin.disableUser'),
        refusal,
        confirm: { action: `/admin/users/${user.id}/disable`, question: ctx.t('disable.question', { name }), consequences: [ctx.t('disable.consequence', { name }), ctx.t('disable.keeps')], label: ctx.t('admin.disableUser') },
        backHref: `/admin/users/${user.id}`,
        children: ReasonField({ ctx, error: reasonError }),
      }),
      refusal ? 409 : 200,
    );
  }

  typed.get('/admin/users/:id/disable', personRoute, async (request, reply) => disablePage(request, reply));

  typed.post('/admin/users/:id/disable', personRoute, async (request, reply) => {
    const { user, refusal } = await target(request, reply);
    if (refusal) return disablePage(request, reply);
    await setDisabled(db, user.id, true, formText(formBody(request), 'reason', 500) || null, clock.now());
    return backToUser(reply, user.id, 'disabled');
  });

  typed.post('/admin/users/:id/enable', personRoute, async (request, reply) => {
    const id = idParam(request);
    if (!(await findUser(db, id))) throw new NotFoundError();
    await setDisabled(db, id, false, null, clock.now());
    return backToUser(reply, id, 'enabled');
  });

  /** The merge named by `into` (query on the page, form field when posted): both accounts, or the detail page with the problem. */
  async function mergePage(request: PersonRequest, reply: FastifyReply, confirmError?: string) {
    const { user, ctx, name } = await target(request, reply);
    const source = request.method === 'POST' ? { ...request.query, ...formBody(request) } : request.query;
    const entered = formText(source, 'into', 254);
    const email = normaliseEmail(entered);
    const keep = email ? await findUserByEmail(db, email) : undefined;
    if (!keep) return { problem: showUser(request, reply, { into: ctx.t('admin.mergeTargetUnknown') }, 400) };
    if (keep.id === user.id) return { problem: showUser(request, reply, { into: ctx.t('admin.mergeSame') }, 400) };
    if (user.id === request.viewer.user?.userId) return { problem: showUser(request, reply, { '': ctx.t('admin.notYourself') }, 409) };
    const from = `${name} <${user.email}>`;
    const into = `${personName(keep, ctx.locale) ?? keep.email} <${keep.email}>`;
    const page = () =>
      sendPrivatePage(
        reply,
        SiteConfirmPage({
          ctx,
          title: ctx.t('admin.mergeUser'),
          confirm: { action: `/admin/users/${user.id}/merge`, question: ctx.t('merge.question', { from, into }), consequences: [ctx.t('merge.consequence', { from, into }), ctx.t('merge.deleted', { from, into })], label: ctx.t('admin.mergeUser') },
          backHref: `/admin/users/${user.id}`,
          children: [<input type="hidden" name="into" value={keep.email} />, TickField({ ctx, label: ctx.t('admin.mergeConfirm'), error: confirmError })],
        }),
        confirmError ? 400 : 200,
      );
    return { user, keep, page };
  }

  typed.get('/admin/users/:id/merge', personRoute, async (request, reply) => {
    const merge = await mergePage(request, reply);
    return 'problem' in merge ? merge.problem : merge.page();
  });

  typed.post('/admin/users/:id/merge', personRoute, async (request, reply) => {
    const { ctx } = await formPage(db, request, reply);
    const confirmed = formChecked(formBody(request), 'confirm');
    const merge = await mergePage(request, reply, confirmed ? undefined : ctx.t('admin.confirmRequired'));
    if ('problem' in merge) return merge.problem;
    if (!confirmed) return merge.page();
    await mergeUsers(db, merge.user.id, merge.keep.id);
    request.log.info({ merged: merge.user.id, into: merge.keep.id }, 'users merged');
    return reply.redirect(`/admin/users/${merge.keep.id}?notice=roleAdded`, 303);
  });

  async function deletePage(request: PersonRequest, reply: FastifyReply, confirmError?: string) {
    const { user, ctx, refusal, name } = await target(request, reply);
    return sendPrivatePage(
      reply,
      SiteConfirmPage({
        ctx,
        title: ctx.t('admin.deleteUser'),
        refusal,
        confirm: { action: `/admin/users/${user.id}/delete`, question: ctx.t('delete.question', { name }), consequences: [ctx.t('delete.consequence')], label: ctx.t('admin.deleteUser') },
        backHref: `/admin/users/${user.id}`,
        children: TickField({ ctx, label: ctx.t('admin.deleteConfirm'), error: confirmError }),
      }),
      refusal ? 409 : confirmError ? 400 : 200,
    );
  }

  typed.get('/admin/users/:id/delete', personRoute, async (request, reply) => deletePage(request, reply));

  typed.post('/admin/users/:id/delete', personRoute, async (request, reply) => {
    const { user, ctx, refusal } = await target(request, reply);
    if (refusal) return deletePage(request, reply);
    if (!formChecked(formBody(request), 'confirm')) return deletePage(request, reply, ctx.t('admin.confirmRequired'));
    await deleteUser(db, user.id);
    request.log.info({ userId: user.id }, 'account deleted by administrator');
    return reply.redirect('/admin/users?notice=deleted', 303);
  });
}
