import type { SafeHtml } from '#jsx/jsx-runtime';
import type { LocalizedText } from '../../../db/schema.ts';
import { formatNumericDate, isoDate, localize, localizeText } from '../../../i18n/index.ts';
import { ManagePage, Pager, contributorName, type ManageAccess } from '../../../platform/web/index.ts';
import { langIf, richToPlainLine, type PageContext } from '../../../ui/index.ts';
import { QUEUE_LABEL, ROLE_LABEL, STAGE_LABEL, STATUS_LABEL } from './editorial-labels.tsx';
import { QUEUES, type DashboardFilters, type DashboardPage, type Queue } from '../../dashboard.ts';

const STAGES = ['submission', 'review', 'copyediting', 'production'] as const;
const STATUSES = ['active', 'declined', 'published'] as const;

/** The dashboard's address with the filters kept and `change` applied. */
export function dashboardHref(journalPath: string, queue: Queue, filters: DashboardFilters, page = 1): string {
  const params = new URLSearchParams();
  if (queue !== 'active') params.set('queue', queue);
  if (filters.search) params.set('search', filters.search);
  if (filters.sectionId !== undefined) params.set('section', String(filters.sectionId));
  if (filters.stage) params.set('stage', filters.stage);
  if (filters.status) params.set('status', filters.status);
  if (filters.submittedFrom) params.set('from', isoDate(filters.submittedFrom));
  if (filters.submittedTo) params.set('to', isoDate(filters.submittedTo));
  if (filters.overdue) params.set('overdue', '1');
  if (page > 1) params.set('page', String(page));
  const text = params.toString();
  return `/${journalPath}/dashboard/editorial${text ? `?${text}` : ''}`;
}

const personLabel = (ctx: PageContext, p: { givenName: LocalizedText; familyName: LocalizedText; email?: string }) => {
  const given = localizeText(p.givenName, ctx.locale);
  const family = localizeText(p.familyName, ctx.locale);
  return `${given} ${family}`.trim() || p.email || '—';
};

export function EditorialDashboardPage({
  ctx,
  access,
  data,
  filters,
  sections,
  filterErrors,
}: {
  ctx: PageContext;
  access: ManageAccess;
  data: DashboardPage;
  filters: DashboardFilters;
  sections: Array<{ id: number; title: LocalizedText }>;
  filterErrors: Partial<Record<'from' | 'to', string>>;
}): SafeHtml {
  const { t } = ctx;
  const path = ctx.journal!.path;
  const filtered = Boolean(filters.search || filters.sectionId !== undefined || filters.stage || filters.status || filters.submittedFrom || filters.submittedTo || filters.overdue);
  const field = (name: 'from' | 'to', label: string, value: Date | undefined) => (
    <div class={filterErrors[name] ? 'field field--error' : 'field'}>
      <label for={`editorial-${name}`}>{label}</label>
      {filterErrors[name] ? (
        <p class="field-error" id={`editorial-${name}-error`}>
          {filterErrors[name]}
        </p>
      ) : null}
      <input
        id={`editorial-${name}`}
        type="date"
        name={name}
        value={value ? isoDate(value) : ''}
        aria-invalid={filterErrors[name] ? 'true' : undefined}
        aria-describedby={filterErrors[name] ? `editorial-${name}-error` : undefined}
      />
    </div>
  );
  return (
    <ManagePage ctx={ctx} access={access} title={t('editorial.title')}>
      <nav class="tabs" aria-label={t('editorial.queues')}>
        <ul>
          {QUEUES.map((queue) => (
            <li>
              <a href={dashboardHref(path, queue, filters)} aria-current={queue === data.queue ? 'page' : undefined}>
                {t(QUEUE_LABEL[queue])} <span class="badge badge--neutral">{String(data.counts[queue])}</span>
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <form method="get" action={`/${path}/dashboard/editorial`} class="toolbar" role="search" aria-label={t('editorial.find')}>
        {data.queue !== 'active' ? <input type="hidden" name="queue" value={data.queue} /> : null}
        <div class="field">
          <label for="editorial-search">{t('editorial.search')}</label>
          <input id="editorial-search" type="search" name="search" value={filters.search ?? ''} maxlength="200" aria-describedby="editorial-search-hint" />
          <p class="hint" id="editorial-search-hint">
            {t('editorial.searchHint')}
          </p>
        </div>
        <div class="field">
          <label for="editorial-section">{t('article.section')}</label>
          <select id="editorial-section" name="section">
            <option value="">{t('editorial.anySection')}</option>
            {sections.map((s) => (
              <option value={String(s.id)} selected={filters.sectionId === s.id}>
                {localizeText(s.title, ctx.locale) || `#${s.id}`}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="editorial-stage">{t('editorial.stage')}</label>
          <select id="editorial-stage" name="stage">
            <option value="">{t('editorial.anyStage')}</option>
            {STAGES.map((s) => (
              <option value={s} selected={filters.stage === s}>
                {t(STAGE_LABEL[s])}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="editorial-status">{t('editorial.status')}</label>
          <select id="editorial-status" name="status">
            <option value="">{t('editorial.anyStatus')}</option>
            {STATUSES.map((s) => (
              <option value={s} selected={filters.status === s}>
                {t(STATUS_LABEL[s])}
              </option>
            ))}
          </select>
        </div>
        {field('from', t('editorial.submittedFrom'), filters.submittedFrom)}
        {field('to', t('editorial.submittedTo'), filters.submittedTo)}
        <div class="field field--checkbox">
          <input id="editorial-overdue" type="checkbox" name="overdue" value="1" checked={filters.overdue === true} aria-describedby="editorial-overdue-hint" />
          <label for="editorial-overdue">{t('editorial.overdueOnly')}</label>
          <p class="hint" id="editorial-overdue-hint">
            {t('editorial.overdueHint', { days: data.daysToFirstAction })}
          </p>
        </div>
        <button type="submit" class="button button--primary">
          {t('editorial.filter')}
        </button>
        {filtered ? (
          <a class="button button--secondary" href={dashboardHref(path, data.queue, {})}>
            {t('editorial.clearFilters')}
          </a>
        ) : null}
      </form>
      <p role="status">{t('editorial.count', { count: data.counts[data.queue] })}</p>
      {data.rows.length === 0 ? (
        <div class="empty-state">
          <p>{filtered ? t('editorial.noneMatch') : t('editorial.none')}</p>
        </div>
      ) : (
        <table class="data-table">
          <caption class="visually-hidden">{t(QUEUE_LABEL[data.queue])}</caption>
          <thead>
            <tr>
              <th scope="col">{t('editorial.id')}</th>
              <th scope="col">{t('article.authors')}</th>
              <th scope="col">{t('editorial.titleColumn')}</th>
              <th scope="col">{t('article.section')}</th>
              <th scope="col">{t('editorial.stage')}</th>
              <th scope="col">{t('article.submitted')}</th>
              <th scope="col">{t('editorial.lastActivity')}</th>
              <th scope="col">{t('editorial.editors')}</th>
            </tr>
          </thead>
          <tbody>
            {data.rows.map((row) => {
              const title = localize(row.title, ctx.locale, row.locale);
              return (
                <tr>
                  <td>{String(row.id)}</td>
                  <td>{row.authors.map((a) => contributorName(a, ctx.locale, row.locale)?.text ?? '').filter((n) => n !== '').join(', ')}</td>
                  <td>
                    <a href={`/${path}/workflow/index/${row.id}`} lang={langIf(ctx, title?.locale)}>
                      {richToPlainLine(title?.text ?? '') || t('editorial.untitled', { id: row.id })}
                    </a>
                    {row.status !== 'active' ? (
                      <>
                        {' '}
                        <span class="badge badge--neutral">{t(STATUS_LABEL[row.status])}</span>
                      </>
                    ) : null}
                    {row.overdue ? (
                      <>
                        {' '}
                        <span class="badge badge--danger">{t('editorial.overdue')}</span>
                      </>
                    ) : null}
                  </td>
                  <td>{localizeText(row.sectionTitle, ctx.locale)}</td>
                  <td>{t(STAGE_LABEL[row.stage])}</td>
                  <td>{row.submittedAt ? <time datetime={row.submittedAt.toISOString()}>{formatNumericDate(ctx.locale, row.submittedAt)}</time> : '—'}</td>
                  <td>
                    <time datetime={row.lastActivityAt.toISOString()}>{formatNumericDate(ctx.locale, row.lastActivityAt)}</time>
                  </td>
                  <td>{row.editors.length === 0 ? t('editorial.noEditor') : row.editors.map((e) => `${personLabel(ctx, e)} (${t(ROLE_LABEL[e.role])})`).join(', ')}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <Pager ctx={ctx} page={data.page} pages={data.pages} href={(page) => dashboardHref(path, data.queue, filters, page)} />
    </ManagePage>
  );
}
