import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { Database, LocalizedText, RoleName } from '../db/index.ts';

type Db = Kysely<Database>;

export const USER_SORTS = ['name', 'email', 'registered'] as const;
export type UserSort = (typeof USER_SORTS)[number];
export type SortDirection = 'asc' | 'desc';

/**
 * Lists count their matches only this far: counting 100,000 matches of a one-letter search costs
 * more than finding the page, and "more than 10,000" tells the person to narrow the search as well.
 */
export const USER_COUNT_CAP = 10_000;

/** Words of a search that each must match (more are ignored: they would only narrow further). */
const MAX_SEARCH_WORDS = 5;

export interface UserListOptions {
  /** Words found anywhere in the address, names (any language), affiliation or ORCID iD. */
  search?: string;
  /** Only people with a role in this journal. */
  journalId?: number;
  /** Only people with this role (in `journalId` when given, else anywhere). */
  role?: RoleName;
  /** Only accounts whose owner asked for deletion. */
  deletionRequested?: boolean;
  sort?: UserSort;
  dir?: SortDirection;
  limit: number;
  offset: number;
}

export interface UserListRole {
  journalId: number | null;
  /** The journal's path (null: the site administrator role). */
  journal: string | null;
  journalName: LocalizedText | null;
  role: RoleName;
}

export interface UserListEntry {
  id: number;
  email: string;
  givenName: LocalizedText;
  familyName: LocalizedText;
  affiliation: LocalizedText;
  orcid: string | null;
  disabled: boolean;
  verified: boolean;
  createdAt: Date;
  roles: UserListRole[];
}

export interface UserList {
  users: UserListEntry[];
  /** Matches, counted up to USER_COUNT_CAP. */
  total: number;
  /** True when there are more than USER_COUNT_CAP matches. */
  more: boolean;
}

/** A word for a LIKE pattern, its own wildcards taken literally. */
function escapeLike(word: string): string {
  return word.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The words as `users.search_text` holds text: lower case, without diacritics (`revista_fold`, migration 0019). */
async function foldWords(db: Db, words: string[]): Promise<string[]> {
  if (words.length === 0) return [];
  const row = await sql<{ folded: string[] }>`SELECT ARRAY(SELECT revista_fold(w) FROM unnest(${words}::text[]) WITH ORDINALITY AS t(w, n) ORDER BY n) AS folded`.execute(db);
  return (row.rows[0]?.folded ?? []).filter((w) => w !== '');
}

export function searchWords(search: string | undefined): string[] {
  return (search ?? '').trim().split(/\s+/).filter((w) => w !== '').slice(0, MAX_SEARCH_WORDS);
}

/**
 * People, a page at a time, with their roles and the names of the journals they hold them in.
 * Searching reads the trigram index of `users.search_text` (migration 0019), folded as the typed
 * words are (`revista_fold`: lower case, no diacritics); sorting by name or date reads a btree index
 * in order; the count stops at USER_COUNT_CAP.
 */
export async function listUsers(db: Db, options: UserListOptions): Promise<UserList> {
  let query = db.selectFrom('users');
  // The words are folded first, by the database (as the column was), and then sent as plain patterns:
  // the planner sees each pattern and estimates from the column's statistics how many rows match,
  // so a rare word is looked up in the trigram index and a common one read in sort order.
  for (const word of await foldWords(db, searchWords(options.search))) {
    const escaped = escapeLike(word);
    if ([...word].length >= 3) {
      query = query.where(sql<SqlBool>`users.search_text LIKE ${`%${escaped}%`}`);
    } else {
      // One or two letters hold no trigram inside a word, only at its start: they find words that begin with them.
      query = query.where(sql<SqlBool>`(users.search_text LIKE ${`${escaped}%`} OR users.search_text LIKE ${`% ${escaped}%`})`);
    }
  }
  if (options.journalId !== undefined || options.role !== undefined) {
    const { journalId, role } = options;
    query = query.where(({ exists, selectFrom }) => {
      let roles = selectFrom('role_assignments').select(sql`1`.as('one')).whereRef('role_assignments.user_id', '=', 'users.id');
      if (journalId !== undefined) roles = roles.where('role_assignments.journal_id', '=', journalId);
      if (role !== undefined) roles = roles.where('role_assignments.role', '=', role);
      return exists(roles);
    });
  }
  if (options.deletionRequested) query = query.where('users.deletion_requested_at', 'is not', null);

  // Counted first (the count stops at the cap), and the count chooses the plan: a few thousand
  // matches are found through the indexes and sorted (an expression no index has); more are read in
  // the sort index's order until a page is full. Left to itself the planner may read the sort index
  // for a rare word too, and walk most of the table when the matches happen to sort last.
  const counted = await db
    .selectFrom(query.select(sql`1`.as('one')).limit(USER_COUNT_CAP + 1).as('matches'))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const n = Number(counted.n);
  const few = n <= USER_COUNT_CAP;
  const dir = options.dir ?? 'asc';
  const sortKey: Expression<unknown> = {
    name: few ? sql`(users.sort_name || '')` : sql.ref('users.sort_name'),
    email: few ? sql`(lower(users.email) || '')` : sql`lower(users.email)`,
    registered: few ? sql`(users.created_at + interval '0 seconds')` : sql.ref('users.created_at'),
  }[options.sort ?? 'name'];
  const rows =
    n === 0 || options.offset >= n
      ? []
      : await query
          .select(['users.id', 'users.email', 'users.given_name', 'users.family_name', 'users.affiliation', 'users.orcid', 'users.disabled_at', 'users.email_verified_at', 'users.created_at'])
          .orderBy(sortKey, dir)
          .orderBy('users.id', dir)
          .limit(options.limit)
          .offset(options.offset)
          .execute();
  const ids = rows.map((r) => r.id);
  const roles = ids.length
    ? await db
        .selectFrom('role_assignments')
        .leftJoin('journals', 'journals.id', 'role_assignments.journal_id')
        .select(['role_assignments.user_id', 'role_assignments.role', 'role_assignments.journal_id', 'journals.path', 'journals.name'])
        .where('role_assignments.user_id', 'in', ids)
        .orderBy('journals.seq')
        .orderBy('role_assignments.journal_id')
        .orderBy('role_assignments.id')
        .execute()
    : [];
  return {
    total: Math.min(n, USER_COUNT_CAP),
    more: n > USER_COUNT_CAP,
    users: rows.map((r) => ({
      id: r.id,
      email: r.email,
      givenName: r.given_name,
      familyName: r.family_name,
      affiliation: r.affiliation,
      orcid: r.orcid,
      disabled: r.disabled_at !== null,
      verified: r.email_verified_at !== null,
      createdAt: r.created_at,
      roles: roles.filter((x) => x.user_id === r.id).map((x) => ({ journalId: x.journal_id, journal: x.path, journalName: x.name, role: x.role })),
    })),
  };
}
