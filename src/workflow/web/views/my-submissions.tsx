import type { SafeHtml } from '#jsx/jsx-runtime';
import type { SubmissionStatus, WizardStep, WorkflowStage } from '../../../db/schema.ts';
import type { MessageKey } from '../../../i18n/index.ts';
import { Layout, Notice, type PageContext } from '../../../ui/index.ts';
import { STEP_NAMES, stepHref, wizardBase } from './wizard.tsx';

/** The author's dashboard (issue 19, item 3): their drafts and submissions, and what is expected of them now. */

export interface MyDraft {
  id: number;
  title: string | null;
  progress: WizardStep;
  createdAt: Date;
  lastActivityAt: Date;
}

export interface MySubmission {
  id: number;
  title: string | null;
  status: SubmissionStatus;
  stage: WorkflowStage;
  submittedAt: Date | null;
  /** A discussion the author takes part in with a message newer than their own last one. */
  awaitingReply: { discussionId: number; subject: string } | null;
  /** The published article's address, when it is published. */
  articleHref: string | null;
}

const STATUS: Record<SubmissionStatus, MessageKey> = {
  draft: 'workflow.status.draft',
  active: 'workflow.status.active',
  declined: 'workflow.status.declined',
  scheduled: 'workflow.status.scheduled',
  published: 'workflow.status.published',
};

const STAGE: Record<WorkflowStage, MessageKey> = {
  submission: 'workflow.stage.submission',
  review: 'workflow.stage.review',
  copyediting: 'workflow.stage.copyediting',
  production: 'workflow.stage.production',
};

export function MySubmissionsPage({ ctx, drafts, submissions, notice }: { ctx: PageContext; drafts: MyDraft[]; submissions: MySubmission[]; notice?: string }): SafeHtml {
  const j = ctx.journal!.path;
  const date = (d: Date) => <time datetime={d.toISOString()}>{new Intl.DateTimeFormat(ctx.locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(d)}</time>;
  const title = ctx.t('mySubmissions.title');
  return (
    <Layout ctx={ctx} title={`${title} | ${ctx.journal?.name ?? ctx.siteTitle}`} indexable={false}>
      <h1>{title}</h1>
      {notice ? <Notice>{notice}</Notice> : null}
      <p>
        <a class="button" href={`/${j}/submission`}>
          {ctx.t('mySubmissions.new')}
        </a>
      </p>
      <section aria-labelledby="my-drafts">
        <h2 id="my-drafts">{ctx.t('mySubmissions.drafts')}</h2>
        {drafts.length === 0 ? (
          <p>{ctx.t('mySubmissions.noDrafts')}</p>
        ) : (
          <table class="data-table">
            <thead>
              <tr>
                <th scope="col">{ctx.t('mySubmissions.manuscript')}</th>
                <th scope="col">{ctx.t('mySubmissions.date')}</th>
                <th scope="col">{ctx.t('mySubmissions.next')}</th>
                <th scope="col">{ctx.t('mySubmissions.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {drafts.map((d) => {
                const name = d.title ?? ctx.t('wizard.untitled');
                return (
                  <tr>
                    <th scope="row">
                      <a href={stepHref(ctx, d.id, d.progress)}>{name}</a>
                    </th>
                    <td>
                      {ctx.t('mySubmissions.started')}{' '}
                      {date(d.createdAt)}
                      <br />
                      <small>
                        {ctx.t('mySubmissions.lastChange')}{' '}
                        {date(d.lastActivityAt)}
                      </small>
                    </td>
                    <td>
                      {ctx.t('mySubmissions.do.finish')}
                      <br />
                      <a href={stepHref(ctx, d.id, d.progress)}>{ctx.t('mySubmissions.resume', { step: ctx.t(STEP_NAMES[d.progress]) })}</a>
                    </td>
                    <td>
                      <a href={`${wizardBase(ctx, d.id)}/discard`} aria-label={ctx.t('mySubmissions.discardNamed', { title: name })}>
                        {ctx.t('mySubmissions.discard')}
                      </a>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </section>
      <section aria-labelledby="my-submitted">
        <h2 id="my-submitted">{ctx.t('mySubmissions.submitted')}</h2>
        {submissions.length === 0 ? (
          <p>{ctx.t('mySubmissions.noSubmitted')}</p>
        ) : (
          <table class="data-table">
            <thead>
              <tr>
                <th scope="col">{ctx.t('mySubmissions.manuscript')}</th>
                <th scope="col">{ctx.t('mySubmissions.status')}</th>
                <th scope="col">{ctx.t('mySubmissions.date')}</th>
                <th scope="col">{ctx.t('mySubmissions.next')}</th>
              </tr>
            </thead>
            <tbody>
              {submissions.map((s) => (
                <tr>
                  <th scope="row">
                    <a href={`/${j}/workflow/index/${s.id}`}>{s.title ?? ctx.t('wizard.untitled')}</a>
                  </th>
                  <td>{s.status === 'active' ? ctx.t('mySubmissions.stageStatus', { status: ctx.t(STATUS[s.status]), stage: ctx.t(STAGE[s.stage]) }) : ctx.t(STATUS[s.status])}</td>
                  <td>
                    {s.submittedAt ? (
                      <>
                        {ctx.t('mySubmissions.submittedOn')}{' '}
                        {date(s.submittedAt)}
                      </>
                    ) : null}
                  </td>
                  <td>
                    <Expected ctx={ctx} submission={s} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </Layout>
  );
}

function Expected({ ctx, submission: s }: { ctx: PageContext; submission: MySubmission }): SafeHtml {
  const j = ctx.journal!.path;
  if (s.awaitingReply) {
    return (
      <a href={`/${j}/workflow/index/${s.id}/discussions/${s.awaitingReply.discussionId}`}>
        <strong>{ctx.t('mySubmissions.do.reply', { subject: s.awaitingReply.subject })}</strong>
      </a>
    );
  }
  if (s.status === 'published') return <>{s.articleHref ? <a href={s.articleHref}>{ctx.t('mySubmissions.do.published')}</a> : ctx.t('mySubmissions.do.published')}</>;
  if (s.status === 'declined') return <>{ctx.t('mySubmissions.do.declined')}</>;
  return <>{ctx.t('mySubmissions.do.wait')}</>;
}
