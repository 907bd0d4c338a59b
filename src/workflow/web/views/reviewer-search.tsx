import type { SafeHtml } from '#jsx/jsx-runtime';
import { formatNumber, formatNumericDate, isoDate, localizeText } from '../../../i18n/index.ts';
import { Type, type Static } from '../../../platform/http/index.ts';
import type { MessageKey } from '../../../i18n/index.ts';
import type { PageContext } from '../../../ui/index.ts';
import { REVIEWER_SEARCH_MAX_LENGTH, REVIEWER_SORTS, type ReviewerCandidate, type ReviewerConflictKind, type ReviewerSort } from '../../review/reviewer-search.ts';

/**
 * The pieces of the page where an editor chooses a reviewer (`/{journal}/workflow/index/{id}/review/reviewers`,
 * built by the review pages): the search form (GET, so a search is an address) and the results, each
 * with a button that posts `reviewerId` to the page's action.
 */

/** The search's query string, for the page's route: every field bounded. */
export const ReviewerSearchQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: REVIEWER_SEARCH_MAX_LENGTH })),
  interest: Type.Optional(Type.String({ maxLength: REVIEWER_SEARCH_MAX_LENGTH })),
  affiliation: Type.Optional(Type.String({ maxLength: REVIEWER_SEARCH_MAX_LENGTH })),
  sort: Type.Optional(Type.String({ maxLength: 20 })),
  page: Type.Optional(Type.String({ maxLength: 6 })),
});
export type ReviewerSearchQuery = Static<typeof ReviewerSearchQuery>;

export interface ReviewerSearchFields {
  query?: string;
  interest?: string;
  affiliation?: string;
  sort?: ReviewerSort;
}

/** The query string's fields as the search takes them (an unknown sort is the default). */
export function reviewerSearchFields(query: ReviewerSearchQuery): ReviewerSearchFields & { page: number } {
  const text = (v: string | undefined) => (v?.trim() ? v.trim() : undefined);
  const page = Number(query.page);
  return {
    query: text(query.q),
    interest: text(query.interest),
    affiliation: text(query.affiliation),
    sort: (REVIEWER_SORTS as readonly string[]).includes(query.sort ?? '') ? (query.sort as ReviewerSort) : undefined,
    page: Number.isInteger(page) && page >= 1 ? page : 1,
  };
}

/** The address of a search (with `page`). */
export function reviewerSearchHref(action: string, fields: ReviewerSearchFields, page = 1): string {
  const params = new URLSearchParams();
  if (fields.query) params.set('q', fields.query);
  if (fields.interest) params.set('interest', fields.interest);
  if (fields.affiliation) params.set('affiliation', fields.affiliation);
  if (fields.sort && fields.sort !== 'name') params.set('sort', fields.sort);
  if (page > 1) params.set('page', String(page));
  const text = params.toString();
  return `${action}${text ? `?${text}` : ''}`;
}

const SORT_LABEL: Record<ReviewerSort, MessageKey> = { name: 'reviewerSearch.sort.name', 'fewest-active': 'reviewerSearch.sort.fewestActive' };
export const CONFLICT_LABEL: Record<ReviewerConflictKind, MessageKey> = {
  author: 'reviewerSearch.conflict.author',
  'same-affiliation': 'reviewerSearch.conflict.sameAffiliation',
  'co-author': 'reviewerSearch.conflict.coAuthor',
};

/** The search form: name, interests, affiliation, order. `action` is the page's own address (GET). */
export function ReviewerSearchForm({ ctx, action, fields }: { ctx: PageContext; action: string; fields: ReviewerSearchFields }): SafeHtml {
  const { t } = ctx;
  const text = (name: 'q' | 'interest' | 'affiliation', label: MessageKey, value: string | undefined, hint?: MessageKey) => (
    <div class="field">
      <label for={`reviewer-${name}`}>{t(label)}</label>
      <input id={`reviewer-${name}`} type="search" name={name} value={value ?? ''} maxlength={String(REVIEWER_SEARCH_MAX_LENGTH)} aria-describedby={hint ? `reviewer-${name}-hint` : undefined} />
      {hint ? (
        <p class="hint" id={`reviewer-${name}-hint`}>
          {t(hint)}
        </p>
      ) : null}
    </div>
  );
  return (
    <form method="get" action={action} class="toolbar" role="search" aria-label={t('reviewerSearch.find')}>
      {text('q', 'reviewerSearch.name', fields.query, 'reviewerSearch.nameHint')}
      {text('interest', 'reviewerSearch.interests', fields.interest)}
      {text('affiliation', 'reviewerSearch.affiliation', fields.affiliation)}
      <div class="field">
        <label for="reviewer-sort">{t('reviewerSearch.sort')}</label>
        <select id="reviewer-sort" name="sort">
          {REVIEWER_SORTS.map((sort) => (
            <option value={sort} selected={(fields.sort ?? 'name') === sort}>
              {t(SORT_LABEL[sort])}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" class="button button--primary">
        {t('reviewerSearch.search')}
      </button>
    </form>
  );
}

/**
 * The reviewers found, a row each, with a button posting `reviewerId` (and the form token) to
 * `chooseAction`; someone already asked in this round has no button, and says so. Conflicts are
 * written out (not only marked), for every reader.
 */
export function ReviewerSearchResults({ ctx, rows, total, chooseAction, csrf }: { ctx: PageContext; rows: ReviewerCandidate[]; total: number; chooseAction: string; csrf: string }): SafeHtml {
  const { t, locale } = ctx;
  if (rows.length === 0) return <p class="empty">{t('reviewerSearch.none')}</p>;
  const nameOf = (r: ReviewerCandidate) => `${localizeText(r.givenName, locale)} ${localizeText(r.familyName, locale)}`.trim() || r.email;
  return (
    <table class="data-table">
      <caption>{t('reviewerSearch.found', { count: formatNumber(locale, total) })}</caption>
      <thead>
        <tr>
          <th scope="col">{t('reviewerSearch.reviewer')}</th>
          <th scope="col">{t('reviewerSearch.interests')}</th>
          <th scope="col">{t('reviewerSearch.active')}</th>
          <th scope="col">{t('reviewerSearch.completed')}</th>
          <th scope="col">{t('reviewerSearch.averageDays')}</th>
          <th scope="col">{t('reviewerSearch.last')}</th>
          <th scope="col">{t('reviewerSearch.rating')}</th>
          <th scope="col">{t('reviewerSearch.conflicts')}</th>
          <th scope="col">
            <span class="visually-hidden">{t('reviewerSearch.choose')}</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => {
          const name = nameOf(r);
          const affiliation = localizeText(r.affiliation, locale);
          return (
            <tr>
              <th scope="row">
                {name}
                {affiliation ? (
                  <>
                    <br />
                    <span class="hint">{affiliation}</span>
                  </>
                ) : null}
              </th>
              <td>{r.interests.length > 0 ? r.interests.join(', ') : '—'}</td>
              <td>{formatNumber(locale, r.active)}</td>
              <td>
                {formatNumber(locale, r.completed)}
                {r.declined > 0 ? (
                  <>
                    <br />
                    <span class="hint">{t('reviewerSearch.declined', { count: formatNumber(locale, r.declined) })}</span>
                  </>
                ) : null}
              </td>
              <td>{r.averageDaysToComplete === null ? '—' : formatNumber(locale, Math.round(r.averageDaysToComplete * 10) / 10)}</td>
              <td>{r.lastCompletedAt ? <time datetime={isoDate(r.lastCompletedAt)}>{formatNumericDate(locale, r.lastCompletedAt)}</time> : '—'}</td>
              <td>{r.averageRating === null ? '—' : t('reviewerSearch.ratingValue', { rating: formatNumber(locale, Math.round(r.averageRating * 10) / 10), count: formatNumber(locale, r.ratings) })}</td>
              <td>
                {r.conflicts.length === 0 ? (
                  '—'
                ) : (
                  <ul class="link-list">
                    {r.conflicts.map((c) => (
                      <li>
                        <span class="badge badge--warning">{t(CONFLICT_LABEL[c.kind])}</span>
                        {c.detail ? `: ${c.detail}` : ''}
                      </li>
                    ))}
                  </ul>
                )}
              </td>
              <td>
                {r.alreadyRequested ? (
                  <span>{t('reviewerSearch.alreadyRequested')}</span>
                ) : (
                  <form action={chooseAction} method="post" class="inline-form">
                    <input type="hidden" name="_csrf" value={csrf} />
                    <button type="submit" name="reviewerId" value={String(r.userId)} class="button button--secondary" aria-label={t('reviewerSearch.chooseNamed', { name })}>
                      {t('reviewerSearch.choose')}
                    </button>
                  </form>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
