import type { Db } from '../../catalog/index.ts';
import { Type } from '../../platform/http/index.ts';
import type { PageContext } from '../../ui/index.ts';
import type { SubmissionRecord } from '../queries.ts';

// Placeholder until the reviewer-search helper lands on main (then: searchReviewers and its views).
export const SearchQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 100 })),
  interest: Type.Optional(Type.String({ maxLength: 100 })),
  affiliation: Type.Optional(Type.String({ maxLength: 100 })),
  sort: Type.Optional(Type.String({ maxLength: 20 })),
  page: Type.Optional(Type.String({ maxLength: 6 })),
});

export interface SearchPageData {
  errors?: boolean;
}

export async function searchPage(_db: Db, _ctx: PageContext, _submission: SubmissionRecord, _query: Record<string, string | undefined>): Promise<SearchPageData> {
  return {};
}

export async function reviewerConflicts(_db: Db, _ctx: PageContext, _submission: SubmissionRecord, _reviewer: { userId: number; email: string }): Promise<string[]> {
  return [];
}

export function ReviewerSearchPage(_props: { ctx: PageContext; access: unknown; base: string; submissionTitle: string; page: SearchPageData }): string {
  return '';
}
