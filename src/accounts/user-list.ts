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
export function escapeLike(word: string): string {
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

  // One pass takes up to the cap's worth of matches, in whatever order the indexes give them, and
  // sorts them for the page, counting them on the way. Only when there are more than that is the page
  // read again, in the sort index's order: matches are then common enough to fill a page soon. (Left
  // to itself the planner may read the sort index for a rare word too, and walk most of the table
  // when the matches happen to sort last, as a family name's do.)
  const dir = options.dir ?? 'asc';
  const sort = options.sort ?? 'name';
  const columns = ['users.id', 'users.email', 'users.given_name', 'users.family_name', 'users.affiliation', 'users.orcid', 'users.disabled_at', 'users.email_verified_at', 'users.created_at'] as const;
  const sortValue = { name: sql<string>`users.sort_name`, email: sql<string>`lower(users.email)`, registered: sql<string>`users.created_at` }[sort];
  const firstPass = await db
    .selectFrom(query.select([...columns, sortValue.as('sort_key')]).limit(USER_COUNT_CAP + 1).as('m'))
    .selectAll('m')
    .select(sql<number>`count(*) OVER ()`.as('n'))
    .orderBy('m.sort_key', dir)
    .orderBy('m.id', dir)
    .limit(options.limit)
    .offset(options.offset)
    .execute();
  let n = Number(firstPass[0]?.n ?? 0);
  if (firstPass.length === 0 && options.offset > 0) {
    // A page past the end: the count still says how many there are.
    const counted = await db.selectFrom(query.select(sql`1`.as('one')).limit(USER_COUNT_CAP + 1).as('matches')).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    n = Number(counted.n);
  }
  const sortKey: Expression<unknown> = { name: sql.ref('users.sort_name'), email: sql`lower(users.email)`, registered: sql.ref('users.created_at') }[sort];
  const rows =
    n <= USER_COUNT_CAP
      ? firstPass
      : await query.select(columns).orderBy(sortKey, dir).orderBy('users.id', dir).limit(options.limit).offset(options.offset).execute();
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
