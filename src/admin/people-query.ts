import { JOURNAL_ROLES, USER_SORTS, type JournalRole, type UserSort } from '../accounts/index.ts';
import { formList, formText, type FormBody } from '../platform/http/forms.ts';
import type { PeopleQuery } from './views/people.tsx';

export const PEOPLE_PAGE_SIZE = 25;
/** Deeper than this a list is not paged through but searched: offsets stay cheap. */
const MAX_PAGE = 400;

/** The people list's settings from its address; anything unknown falls back to the default. */
export function readPeopleQuery(query: FormBody, options: { adminRole: boolean }): PeopleQuery {
  const first = (name: string, max: number) => formText(query, name, max);
  const role = first('role', 30);
  const sort = first('sort', 20);
  const page = first('page', 7);
  const journal = first('journal', 10);
  return {
    search: first('search', 200),
    role: (JOURNAL_ROLES as readonly string[]).includes(role) ? (role as JournalRole) : options.adminRole && role === 'admin' ? 'admin' : '',
    journal: /^\d{1,9}$/.test(journal) ? journal : '',
    sort: (USER_SORTS as readonly string[]).includes(sort) ? (sort as UserSort) : 'name',
    dir: first('dir', 4) === 'desc' ? 'desc' : 'asc',
    page: /^\d{1,6}$/.test(page) ? Math.min(MAX_PAGE, Math.max(1, Number(page))) : 1,
    deletion: options.adminRole && first('deletion', 1) === '1',
  };
}

/** The roles ticked in a form (unknown values dropped), and the single `role` of older forms. */
export function formRoles(body: FormBody): JournalRole[] {
  const chosen = [...formList(body, 'roles'), formText(body, 'role', 30)];
  return JOURNAL_ROLES.filter((r) => chosen.includes(r));
}
