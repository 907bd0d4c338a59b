import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { normaliseEmail } from '../accounts/index.ts';
import { sendPrivatePage } from '../platform/web/index.ts';
import type { Clock } from '../clock.ts';
import { updateJournal } from '../catalog/index.ts';
import type { Database } from '../db/index.ts';
import { assignMissingDois, checkSubmittedDeposits, DEFAULT_SUFFIX_PATTERN, doiProblem, journalDepositor, prefixIsValid, queueDeposits, type CrossrefClient } from '../exports/index.ts';
import { formBody, formSecret, formText, hasControlCharacters } from '../platform/http/forms.ts';
import { managementBase as base, manageContext, noticeFrom, SETTINGS } from './manage-context.ts';
import { DoiPage, type DoiForm } from './views/doi.tsx';

const journalId = (request: FastifyRequest) => request.viewer.journal!.id;

/** DOIs and Crossref for one journal: settings, assignment, deposits and their states. */
export function journalDoiRoutes(app: FastifyInstance, deps: { db: Kysely<Database>; clock: Clock; baseUrl: string; crossref: CrossrefClient; crossrefUrl: string }): void {
  const { db } = deps;
  const depositContext = { db, client: deps.crossref, clock: deps.clock, baseUrl: deps.baseUrl };

  async function show(request: FastifyRequest, reply: Parameters<typeof sendPrivatePage>[0], form?: DoiForm, status = 200, notice?: string) {
    const m = await manageContext(db, request, reply);
    const j = m.journal;
    const articles = await db
      .selectFrom('articles as a')
      .innerJoin('publications as p', 'p.id', 'a.current_publication_id')
      .leftJoin('crossref_deposits as d', 'd.article_id', 'a.id')
      .select(['a.id as articleId', 'p.title', 'p.doi', 'd.status', 'd.message'])
      .where('a.journal_id', '=', j.id)
      .where('p.status', '=', 'published')
      .orderBy('a.id', 'desc')
      .limit(500)
      .execute();
    const known = ['saved', 'assigned', 'deposited', 'checked'] as const;
    const key = noticeFrom(request, known) as (typeof known)[number] | undefined;
    return sendPrivatePage(
      reply,
      DoiPage({
        ...m,
        crossrefUrl: deps.crossrefUrl,
        articles,
        notice: notice ?? (key ? m.ctx.t(`doi.notice.${key}`) : undefined),
        form: form ?? {
          prefix: j.doi_prefix ?? '',
          pattern: j.doi_suffix_pattern ?? DEFAULT_SUFFIX_PATTERN,
          username: j.crossref_username ?? '',
          hasPassword: !!j.crossref_password,
          depositorName: j.crossref_depositor_name ?? '',
          depositorEmail: j.crossref_depositor_email ?? '',
          crossmarkPolicy: j.crossmark_policy_doi ?? '',
          errors: {},
        },
      }),
      status,
    );
  }

  app.get('/:journal/management/doi', SETTINGS, async (request, reply) => show(request, reply));

  app.post('/:journal/management/doi', SETTINGS, async (request, reply) => {
    const m = await manageContext(db, request, reply);
    const body = formBody(request);
    const form: DoiForm = {
      prefix: formText(body, 'prefix', 20),
      pattern: formText(body, 'pattern', 100),
      username: formText(body, 'username', 100),
      hasPassword: !!m.journal.crossref_password,
      depositorName: formText(body, 'depositorName', 200),
      depositorEmail: formText(body, 'depositorEmail', 254),
      crossmarkPolicy: formText(body, 'crossmarkPolicy', 300).replace(/^https?:\/\/(dx\.)?doi\.org\//i, ''),
      errors: {},
    };
    if (form.prefix !== '' && !prefixIsValid(form.prefix)) form.errors.prefix = m.ctx.t('doi.prefixInvalid');
    if (form.pattern !== '' && (!/%a/.test(form.pattern) || /[^-._;()/:A-Za-z0-9%]/.test(form.pattern))) form.errors.pattern = m.ctx.t('doi.patternInvalid');
    const email = form.depositorEmail === '' ? null : normaliseEmail(form.depositorEmail);
    if (form.depositorEmail !== '' && !email) form.errors.depositorEmail = m.ctx.t('field.emailInvalid');
    // The policy page's own DOI (Crossmark): a DOI as Crossref's schema takes one.
    if (form.crossmarkPolicy !== '' && doiProblem(form.crossmarkPolicy)) form.errors.crossmarkPolicy = m.ctx.t('doi.invalid');
    const password = formSecret(body, 'password');
    // Kept as typed, to be sent to Crossref: a control character is no password's and cannot be stored.
    if (hasControlCharacters(password)) form.errors.password = m.ctx.t('doi.passwordInvalid');
    if (Object.keys(form.errors).length > 0) return show(request, reply, form, 400);
    await updateJournal(db, m.journal.id, {
      doiPrefix: form.prefix || null,
      doiSuffixPattern: form.pattern === '' || form.pattern === DEFAULT_SUFFIX_PATTERN ? null : form.pattern,
      crossrefUsername: form.username || null,
      // An empty password field keeps the stored one: it is never shown back.
      ...(password !== '' ? { crossrefPassword: password } : {}),
      crossrefDepositorName: form.depositorName || null,
      crossrefDepositorEmail: email,
      crossmarkPolicyDoi: form.crossmarkPolicy || null,
    });
    return reply.redirect(`${base(request)}/doi?notice=saved`, 303);
  });

  app.post('/:journal/management/doi/assign', SETTINGS, async (request, reply) => {
    const m = await manageContext(db, request, reply);
    if (!m.journal.doi_prefix) return show(request, reply, undefined, 409, m.ctx.t('doi.noPrefix'));
    const result = await assignMissingDois(db, journalId(request));
    if (result.skipped.length > 0) return show(request, reply, undefined, 200, `${m.ctx.t('doi.notice.assigned')} ${result.skipped.map((s) => `${s.articleId}: ${s.reason}`).join('; ')}`);
    return reply.redirect(`${base(request)}/doi?notice=assigned`, 303);
  });

  app.post('/:journal/management/doi/deposit', SETTINGS, async (request, reply) => {
    // Crossref mails its reports to the depositor: with no address of the journal nothing is queued.
    if (!(await journalDepositor(db, journalId(request))).ok) {
      const m = await manageContext(db, request, reply);
      return show(request, reply, undefined, 409, m.ctx.t('doi.noDepositorEmail'));
    }
    // Queued as jobs in this request; a worker process sends them within seconds, each article once.
    await queueDeposits(depositContext, journalId(request));
    return reply.redirect(`${base(request)}/doi?notice=deposited`, 303);
  });

  app.post('/:journal/management/doi/check', SETTINGS, async (request, reply) => {
    await checkSubmittedDeposits(depositContext, journalId(request));
    return reply.redirect(`${base(request)}/doi?notice=checked`, 303);
  });
}
