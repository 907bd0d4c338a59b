import type { SafeHtml } from '#jsx/jsx-runtime';
import { Pager, type ManageAccess } from '../../../platform/web/index.ts';
import type { PageContext } from '../../../ui/index.ts';
import type { ReviewerSearchResult } from '../../review/reviewer-search.ts';
import { ReviewEditorPage } from './review-stage-requests.tsx';
import { ReviewerSearchForm, ReviewerSearchResults, reviewerSearchHref, type ReviewerSearchFields } from './reviewer-search.tsx';

/** Choosing a reviewer for the round: the journal's reviewers found by name, interests and affiliation, with their record. */
export function ReviewerSearchPage({
  ctx,
  access,
  base,
  submissionTitle,
  fields,
  result,
  page,
  pages,
}: {
  ctx: PageContext;
  access: ManageAccess;
  base: string;
  submissionTitle: string;
  fields: ReviewerSearchFields;
  result: ReviewerSearchResult;
  page: number;
  pages: number;
}): SafeHtml {
  const action = `${base}/review/reviewers`;
  return (
    <ReviewEditorPage ctx={ctx} access={access} title={ctx.t('reviewEditor.search.title')} back={`${base}#review`}>
      <p>{ctx.t('reviewEditor.request.intro', { title: submissionTitle })}</p>
      <p>
        {ctx.t('reviewEditor.search.notFound')} <a href={`${base}/review/request-new`}>{ctx.t('reviewEditor.inviteNew')}</a>
      </p>
      <ReviewerSearchForm ctx={ctx} action={action} fields={fields} />
      <ReviewerSearchResults ctx={ctx} rows={result.rows} total={result.total} chooseAction={action} csrf={ctx.csrf ?? ''} />
      {pages > 1 ? <Pager ctx={ctx} page={page} pages={pages} href={(p) => reviewerSearchHref(action, fields, p)} /> : null}
    </ReviewEditorPage>
  );
}
