import type { SafeHtml } from '#jsx/jsx-runtime';
import type { MessageKey } from '../../../i18n/index.ts';
import { CheckboxField, ErrorSummary, FieldGroup, Form, Notice, SelectField, SubmitButton, TextField, type PageContext } from '../../../ui/index.ts';
import type { ReadinessItem } from '../../production/readiness.ts';

/** The Publication section of the submission page (issue 21): readiness, status, the schedule form and its buttons. */

export interface PublicationIssue {
  id: number;
  name: string;
  published: boolean;
}

export interface PublicationView {
  base: string;
  accepted: boolean;
  status: { kind: 'active' } | { kind: 'scheduled-issue'; issue: string } | { kind: 'scheduled-at'; at: Date } | { kind: 'published'; date: string; collectedBy: string | null };
  blocking: Array<{ item: ReadinessItem; href: string }>;
  warnings: Array<{ item: ReadinessItem; href: string }>;
  issues: PublicationIssue[];
  chosenIssue: number | null;
  error?: string;
  notice?: string;
}

const WHEN_LABEL: Record<'issue' | 'online-first' | 'at', MessageKey> = { issue: 'publishing.when.issue', 'online-first': 'publishing.when.online-first', at: 'publishing.when.at' };

export const ITEM_LABEL: Record<ReadinessItem, MessageKey> = {
  title: 'publishing.item.title',
  authors: 'publishing.item.authors',
  'author-names': 'publishing.item.author-names',
  galley: 'publishing.item.galley',
  abstract: 'publishing.item.abstract',
  license: 'publishing.item.license',
  doi: 'publishing.item.doi',
  pages: 'publishing.item.pages',
  issn: 'publishing.item.issn',
  issue: 'publishing.item.issue',
};

function Items({ ctx, items }: { ctx: PageContext; items: PublicationView['blocking'] }): SafeHtml {
  return (
    <ul>
      {items.map(({ item, href }) => (
        <li>
          {ctx.t(ITEM_LABEL[item])} — <a href={href}>{ctx.t('publishing.fix', { item: ctx.t(ITEM_LABEL[item]) })}</a>
        </li>
      ))}
    </ul>
  );
}

function Status({ ctx, view }: { ctx: PageContext; view: PublicationView }): SafeHtml {
  const { t } = ctx;
  const s = view.status;
  const text =
    s.kind === 'active'
      ? t('publishing.status.active')
      : s.kind === 'scheduled-issue'
        ? t('publishing.status.scheduled.issue', { issue: s.issue })
        : s.kind === 'scheduled-at'
          ? t('publishing.status.scheduled.at', { date: s.at.toISOString().slice(0, 16).replace('T', ' ') })
          : s.collectedBy
            ? `${t('publishing.status.published', { date: s.date })}. ${t('publishing.status.collected', { issue: s.collectedBy })}`
            : t('publishing.status.published', { date: s.date });
  return (
    <dl class="summary-list">
      <dt>{t('publishing.status')}</dt>
      <dd id="publication-status">{text}</dd>
    </dl>
  );
}

export function PublicationSection({ ctx, view }: { ctx: PageContext; view: PublicationView }): SafeHtml {
  const { t } = ctx;
  const csrf = ctx.csrf ?? '';
  const published = view.status.kind === 'published';
  const canAct = view.accepted && !published;
  const issueOptions = [
    { value: '', label: t('publishing.issue.none') },
    ...view.issues.map((i) => ({ value: String(i.id), label: t(i.published ? 'publishing.issue.published' : 'publishing.issue.future', { issue: i.name }) })),
  ];
  const confirm = view.warnings.length > 0 ? <CheckboxField name="confirmWarnings" label={t('publishing.confirmWarnings')} /> : null;
  return (
    <section id="publication" aria-labelledby="publication-heading">
      <h2 id="publication-heading">{t('publishing.heading')}</h2>
      {view.notice ? <Notice>{view.notice}</Notice> : null}
      {view.error ? <ErrorSummary ctx={ctx} errors={{ '': view.error }} /> : null}
      <Status ctx={ctx} view={view} />
      {!view.accepted ? <p>{t('publishing.notAccepted')}</p> : null}
      {canAct ? (
        <>
          <h3>{t('publishing.readiness')}</h3>
          {view.blocking.length === 0 && view.warnings.length === 0 ? <p>{t('publishing.ready')}</p> : null}
          {view.blocking.length > 0 ? (
            <div class="readiness readiness--blocking">
              <p>{t('publishing.blocking')}</p>
              <Items ctx={ctx} items={view.blocking} />
            </div>
          ) : null}
          {view.warnings.length > 0 ? (
            <div class="readiness readiness--warnings">
              <p>{t('publishing.warnings')}</p>
              <Items ctx={ctx} items={view.warnings} />
            </div>
          ) : null}
          {view.blocking.length === 0 ? (
            <>
              <h3 id="publication-schedule">{t('publishing.schedule')}</h3>
              <Form action={`${view.base}/publication/schedule`} csrf={csrf}>
                <FieldGroup name="when" legend={t('publishing.when')}>
                  {(['issue', 'online-first', 'at'] as const).map((when, i) => (
                    <div class="field field--radio">
                      <input type="radio" id={`when-${when}`} name="when" value={when} checked={i === 0} />
                      <label for={`when-${when}`}>{t(WHEN_LABEL[when])}</label>
                    </div>
                  ))}
                </FieldGroup>
                <SelectField ctx={ctx} name="issueId" label={t('publishing.issue')} value={view.chosenIssue === null ? '' : String(view.chosenIssue)} options={issueOptions} />
                <TextField ctx={ctx} name="at" type="datetime-local" label={t('publishing.at')} />
                {confirm}
                <SubmitButton label={t('publishing.doSchedule')} />
              </Form>
              <Form action={`${view.base}/publication/publish`} csrf={csrf}>
                {view.warnings.length > 0 ? <CheckboxField name="confirmWarnings" id="confirmWarningsNow" label={t('publishing.confirmWarnings')} /> : null}
                <SubmitButton label={t('publishing.publishNow')} />
              </Form>
            </>
          ) : null}
        </>
      ) : null}
      {view.status.kind === 'scheduled-issue' || view.status.kind === 'scheduled-at' ? (
        <Form action={`${view.base}/publication/unschedule`} csrf={csrf}>
          <SubmitButton label={t('publishing.unschedule')} />
        </Form>
      ) : null}
    </section>
  );
}
