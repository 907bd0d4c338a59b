import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { sendPrivatePage } from '../platform/web/index.ts';
import type { Database } from '../db/index.ts';
import { formBody, formText } from '../platform/http/forms.ts';
import { NotFoundError } from '../platform/http/index.ts';
import { isUiLocale } from '../i18n/index.ts';
import { isMailTemplateKey, loadTemplate, MAIL_TEMPLATE_KEYS, mailTemplateVariables, resetTemplate, saveTemplate, templateProblems } from '../mail/index.ts';
import type { FormErrors } from '../ui/index.ts';
import { managementBase as base, manageContext, noticeFrom, SETTINGS } from './manage-context.ts';
import { ManageConfirmPage } from './views/confirm-pages.tsx';
import { MailTemplateEditPage, MailTemplatesPage } from './views/manage.tsx';
import { MailTemplateParams, type WithParams } from './schemas.ts';

const settings = SETTINGS;
const journalId = (request: FastifyRequest) => request.viewer.journal!.id;

/** The journal's wording of Revista's mails, per language; a reset goes back to the built-in text. */
export function journalMailTemplateRoutes(app: FastifyInstance, deps: { db: Kysely<Database> }): void {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = deps;

  // Mail templates, per journal and language.
  app.get('/:journal/management/mail-templates', settings, async (request, reply) => {
    const m = await manageContext(db, request, reply);
    const rows = await db.selectFrom('mail_templates').select(['key', 'locale']).where('journal_id', '=', m.journal.id).execute();
    return sendPrivatePage(reply, MailTemplatesPage({ ...m, keys: MAIL_TEMPLATE_KEYS, overridden: new Set(rows.map((r) => `${r.key}/${r.locale}`)) }));
  });

  const templateParams = (request: WithParams<typeof MailTemplateParams>) => {
    const { key, locale } = request.params;
    if (!isMailTemplateKey(key) || !isUiLocale(locale)) throw new NotFoundError();
    return { key, locale };
  };

  typed.get('/:journal/management/mail-templates/:key/:locale', { ...settings, schema: { params: MailTemplateParams } }, async (request, reply) => {
    const m = await manageContext(db, request, reply);
    const { key, locale } = templateParams(request);
    const template = await loadTemplate(db, { journalId: m.journal.id, key, locale });
    const notice = noticeFrom(request, ['saved', 'reset']);
    return sendPrivatePage(
      reply,
      MailTemplateEditPage({ ...m, templateKey: key, locale, subject: template.subject, body: template.body, variables: mailTemplateVariables[key], overridden: template.overridden, errors: {}, notice: notice ? m.ctx.t(notice === 'saved' ? 'admin.saved' : 'manage.templateWasReset') : undefined }),
    );
  });

  typed.post('/:journal/management/mail-templates/:key/:locale', { ...settings, schema: { params: MailTemplateParams } }, async (request, reply) => {
    const m = await manageContext(db, request, reply);
    const { key, locale } = templateParams(request);
    const body = formBody(request);
    const subject = formText(body, 'subject', 500);
    const text = formText(body, 'body', 20_000);
    const errors: FormErrors = {};
    for (const problem of templateProblems(key, subject, text)) {
      errors[problem.field] ??= problem.code === 'unknown-variable' ? m.ctx.t('manage.templateUnknownVariable', { variable: `{{${problem.variable}}}` }) : problem.code === 'too-long' ? m.ctx.t('manage.templateTooLong') : m.ctx.t('manage.templateEmpty');
    }
    if (Object.keys(errors).length > 0) {
      return sendPrivatePage(reply, MailTemplateEditPage({ ...m, templateKey: key, locale, subject, body: text, variables: mailTemplateVariables[key], overridden: false, errors }), 400);
    }
    await saveTemplate(db, { journalId: m.journal.id, key, locale }, { subject, body: text });
    return reply.redirect(`${base(request)}/mail-templates/${key}/${locale}?notice=saved`, 303);
  });

  typed.get('/:journal/management/mail-templates/:key/:locale/reset', { ...settings, schema: { params: MailTemplateParams } }, async (request, reply) => {
    const m = await manageContext(db, request, reply);
    const { key, locale } = templateParams(request);
    const { t } = m.ctx;
    const page = `${base(request)}/mail-templates/${key}/${locale}`;
    return sendPrivatePage(
      reply,
      ManageConfirmPage({ ...m, title: t('manage.templateReset'), action: `${page}/reset`, question: t('mailTemplates.resetQuestion', { template: t(`mail.template.${key}`), language: t(`language.${locale}`) }), consequences: [t('mailTemplates.resetWhat')], confirmLabel: t('mailTemplates.resetConfirm'), cancelHref: page }),
    );
  });

  typed.post('/:journal/management/mail-templates/:key/:locale/reset', { ...settings, schema: { params: MailTemplateParams } }, async (request, reply) => {
    const { key, locale } = templateParams(request);
    await resetTemplate(db, { journalId: journalId(request), key, locale });
    return reply.redirect(`${base(request)}/mail-templates/${key}/${locale}?notice=reset`, 303);
  });
}
