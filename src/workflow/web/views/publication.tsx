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

const WHEN_LABEL: Record<'issue' | 'online-first' | 'at', MessageKey> = { issue: 'publication.when.issue', 'online-first': 'publication.when.online-first', at: 'publication.when.at' };

export const ITEM_LABEL: Record<ReadinessItem, MessageKey> = {
  title: 'publication.item.title',
  authors: 'publication.item.authors',
  'author-names': 'publication.item.author-names',
  galley: 'publication.item.galley',
  abstract: 'publication.item.abstract',
  license: 'publication.item.license',
  doi: 'publication.item.doi',
  pages: 'publication.item.pages',
  issn: 'publication.item.issn',
  issue: 'publication.item.issue',
};

function Items({ ctx, items }: { ctx: PageContext; items: PublicationView['blocking'] }): SafeHtml {
  return (
    <ul>
      {items.map(({ item, href }) => (
        <li>
          {ctx.t(ITEM_LABEL[item])} — <a href={href}>{ctx.t('publication.fix', { item: ctx.t(ITEM_LABEL[item]) })}</a>
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
      ? t('publication.status.active')
      : s.kind === 'scheduled-issue'
        ? t('publication.status.scheduled.issue', { issue: s.issue })
        : s.kind === 'scheduled-at'
          ? t('publication.status.scheduled.at', { date: s.at.toISOString().slice(0, 16).replace('T', ' ') })
          : s.collectedBy
            ? `${t('publication.status.published', { date: s.date })}. ${t('publication.status.collected', { issue: s.collectedBy })}`
            : t('publication.status.published', { date: s.date });
  return (
    <dl class="summary-list">
      <dt>{t('publication.status')}</dt>
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
    { value: '', label: t('publication.issue.none') },
    ...view.issues.map((i) => ({ value: String(i.id), label: t(i.published ? 'publication.issue.published' : 'publication.issue.future', { issue: i.name }) })),
  ];
  const confirm = view.warnings.length > 0 ? <CheckboxField name="confirmWarnings" label={t('publication.confirmWarnings')} /> : null;
  return (
    <section id="publication" aria-labelledby="publication-heading">
      <h2 id="publication-heading">{t('publication.heading')}</h2>
      {view.notice ? <Notice>{view.notice}</Notice> : null}
      {view.error ? <ErrorSummary ctx={ctx} errors={{ '': view.error }} /> : null}
      <Status ctx={ctx} view={view} />
      {!view.accepted ? <p>{t('publication.notAccepted')}</p> : null}
      {canAct ? (
        <>
          <h3>{t('publication.readiness')}</h3>
          {view.blocking.length === 0 && view.warnings.length === 0 ? <p>{t('publication.ready')}</p> : null}
          {view.blocking.length > 0 ? (
            <div class="readiness readiness--blocking">
              <p>{t('publication.blocking')}</p>
              <Items ctx={ctx} items={view.blocking} />
            </div>
          ) : null}
          {view.warnings.length > 0 ? (
            <div class="readiness readiness--warnings">
              <p>{t('publication.warnings')}</p>
              <Items ctx={ctx} items={view.warnings} />
            </div>
          ) : null}
          {view.blocking.length === 0 ? (
            <>
              <h3 id="publication-schedule">{t('publication.schedule')}</h3>
              <Form action={`${view.base}/publication/schedule`} csrf={csrf}>
                <FieldGroup name="when" legend={t('publication.when')}>
                  {(['issue', 'online-first', 'at'] as const).map((when, i) => (
                    <div class="field field--radio">
                      <input type="radio" id={`when-${when}`} name="when" value={when} checked={i === 0} />
                      <label for={`when-${when}`}>{t(WHEN_LABEL[when])}</label>
                    </div>
                  ))}
                </FieldGroup>
                <SelectField ctx={ctx} name="issueId" label={t('publication.issue')} value={view.chosenIssue === null ? '' : String(view.chosenIssue)} options={issueOptions} />
                <TextField ctx={ctx} name="at" type="datetime-local" label={t('publication.at')} />
                {confirm}
                <SubmitButton label={t('publication.doSchedule')} />
              </Form>
              <Form action={`${view.base}/publication/publish`} csrf={csrf}>
                {view.warnings.length > 0 ? <CheckboxField name="confirmWarnings" id="confirmWarningsNow" label={t('publication.confirmWarnings')} /> : null}
                <SubmitButton label={t('publication.publishNow')} />
              </Form>
            </>
          ) : null}
        </>
      ) : null}
      {view.status.kind === 'scheduled-issue' || view.status.kind === 'scheduled-at' ? (
        <Form action={`${view.base}/publication/unschedule`} csrf={csrf}>
          <SubmitButton label={t('publication.unschedule')} />
        </Form>
      ) : null}
    </section>
  );
}
