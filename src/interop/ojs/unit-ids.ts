import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/index.ts';
import type { NativeArticle, NativeSection } from './model.ts';

type Db = Transaction<Database> | Kysely<Database>;
export type Kind = Database['ojs_ids']['kind'];
export type Table = 'issues' | 'articles' | 'publications' | 'galleys' | 'issue_galleys';

/**
 * What a dry run carries from one unit to the next. Each unit of a dry run is rolled back, and a
 * sequence is not: so a dry run never draws from a sequence (nor moves one), it computes the ids
 * the import will draw, and remembers the ones earlier units were given, so the prediction is the
 * import's.
 */
export interface DryRunIds {
  reserved: Map<Table, Set<number>>;
}

export const dryRunIds = (): DryRunIds => ({ reserved: new Map() });

/**
 * The OJS ids a unit (an issue with its articles) names, looked up in one query per kind, and the
 * ones it adds, written in one statement at the end: an issue of 100 articles costs a handful of
 * lookups, not hundreds.
 */
export class UnitIds {
  private known = new Map<string, { revista_id: number; digest: string | null }>();
  private taken = new Map<string, Set<number>>();
  private pending = new Map<string, { kind: Kind; ojs_id: number; revista_id: number; digest: string | null }>();

  constructor(
    private readonly db: Db,
    private readonly journalId: number,
    private readonly dryRun?: DryRunIds,
  ) {}

  private claim(table: Table, ids: number[]): void {
    if (!this.taken.has(table)) this.taken.set(table, new Set<number>());
    for (const id of ids) this.taken.get(table)!.add(id);
    if (this.dryRun) {
      if (!this.dryRun.reserved.has(table)) this.dryRun.reserved.set(table, new Set<number>());
      for (const id of ids) this.dryRun.reserved.get(table)!.add(id);
    }
  }

  /** The ids of several kinds, in one query. */
  async load(wanted: [Kind, (number | undefined)[]][]): Promise<void> {
    const byKind = wanted.map(([kind, ojsIds]) => [kind, [...new Set(ojsIds.filter((id): id is number => id !== undefined))]] as const).filter(([, ids]) => ids.length > 0);
    if (byKind.length === 0) return;
    const rows = await this.db
      .selectFrom('ojs_ids')
      .select(['kind', 'ojs_id', 'revista_id', 'digest'])
      .where('journal_id', '=', this.journalId)
      .where((eb) => eb.or(byKind.map(([kind, ids]) => eb.and([eb('kind', '=', kind), eb('ojs_id', 'in', ids)]))))
      .execute();
    for (const row of rows) this.known.set(`${row.kind} ${row.ojs_id}`, { revista_id: row.revista_id, digest: row.digest });
  }

  get(kind: Kind, ojsId: number | undefined): { revista_id: number; digest: string | null } | undefined {
    return ojsId === undefined ? undefined : this.known.get(`${kind} ${ojsId}`);
  }

  /** Which of these ids a table already uses, so an OJS id is only taken over when free. */
  async loadTaken(wanted: [Table, (number | undefined)[]][]): Promise<void> {
    const parts = [];
    for (const [table, ids] of wanted) {
      const candidates = [...new Set(ids.filter((id): id is number => id !== undefined && id > 0))];
      if (!this.taken.has(table)) this.taken.set(table, new Set<number>(this.dryRun?.reserved.get(table)));
      if (candidates.length > 0) parts.push(sql`SELECT ${table}::text AS table_name, id FROM ${sql.table(table)} WHERE id IN (${sql.join(candidates)})`);
    }
    if (parts.length === 0) return;
    // One query for every table.
    const rows = await sql<{ table_name: Table; id: number }>`${sql.join(parts, sql` UNION ALL `)}`.execute(this.db);
    for (const row of rows.rows) this.taken.get(row.table_name)!.add(row.id);
  }

  /**
   * `n` fresh ids of a table from its sequence, above every id claimed so far (an OJS id taken over
   * must not come out of the sequence again).
   */
  async allocate(table: Table, n: number): Promise<number[]> {
    if (n === 0) return [];
    const claimed = Math.max(0, ...(this.taken.get(table) ?? []));
    const floor = sql`GREATEST(${claimed}::integer, (SELECT coalesce(max(id), 1) FROM ${sql.table(table)}), (SELECT last_value FROM ${sql.raw(`${table}_id_seq`)}))`;
    let ids: number[];
    if (this.dryRun) {
      // What setval + nextval below would give, computed without touching the sequence.
      const row = await sql<{ floor: number }>`SELECT ${floor}::integer AS floor`.execute(this.db);
      ids = Array.from({ length: n }, (_, i) => row.rows[0]!.floor + 1 + i);
    } else {
      await sql`SELECT setval(pg_get_serial_sequence(${table}, 'id'), ${floor})`.execute(this.db);
      const rows = await sql<{ id: number }>`SELECT nextval(pg_get_serial_sequence(${table}, 'id'))::integer AS id FROM generate_series(1, ${n}::integer)`.execute(this.db);
      ids = rows.rows.map((r) => r.id);
    }
    this.claim(table, ids);
    return ids;
  }

  /**
   * Of the Revista ids earlier imports gave to these OJS ids, the ones another object holds now
   * (two documents from different OJS installations share ids): those objects are not this
   * document's, so they keep their rows and this document's objects get new ids.
   */
  async loadInUse(table: Table, revistaIds: number[]): Promise<Set<number>> {
    const candidates = [...new Set(revistaIds)];
    if (candidates.length === 0) return new Set();
    const rows = await sql<{ id: number }>`SELECT id FROM ${sql.table(table)} WHERE id IN (${sql.join(candidates)})`.execute(this.db);
    const inUse = new Set(rows.rows.map((r) => r.id));
    // In a dry run, ids earlier (rolled back) units were given are in use too.
    for (const id of candidates) if (this.dryRun?.reserved.get(table)?.has(id)) inUse.add(id);
    return inUse;
  }

  /** The OJS id as Revista id when no row has it yet (and claims it). */
  free(table: Table, id: number | undefined): number | undefined {
    if (id === undefined || id <= 0) return undefined;
    const taken = this.taken.get(table);
    if (!taken) throw new Error(`ids of ${table} were not loaded`);
    if (taken.has(id)) return undefined;
    this.claim(table, [id]);
    return id;
  }

  remember(kind: Kind, ojsId: number | undefined, revistaId: number, digest: string | null = null): void {
    if (ojsId === undefined) return;
    this.pending.set(`${kind} ${ojsId}`, { kind, ojs_id: ojsId, revista_id: revistaId, digest });
    this.known.set(`${kind} ${ojsId}`, { revista_id: revistaId, digest });
  }

  async flush(): Promise<void> {
    const rows = [...this.pending.values()].map((r) => ({ journal_id: this.journalId, ...r }));
    this.pending.clear();
    for (let i = 0; i < rows.length; i += 1000) {
      await this.db
        .insertInto('ojs_ids')
        .values(rows.slice(i, i + 1000))
        .onConflict((oc) => oc.columns(['journal_id', 'kind', 'ojs_id']).doUpdateSet((eb) => ({ revista_id: eb.ref('excluded.revista_id'), digest: eb.ref('excluded.digest') })))
        .execute();
    }
  }
}

/** Loads every id an issue or article names, before any of it is stored. */
export async function unitIds(db: Db, journalId: number, sections: NativeSection[], articles: NativeArticle[], issueOjsId?: number, dryRun?: DryRunIds, issueGalleyOjsIds: (number | undefined)[] = []): Promise<UnitIds> {
  const ids = new UnitIds(db, journalId, dryRun);
  const publications = articles.flatMap((a) => a.publications);
  const galleys = publications.flatMap((p) => p.galleys);
  await ids.load([
    ['issue', [issueOjsId]],
    ['section', sections.map((s) => s.ojsId)],
    ['article', articles.map((a) => a.ojsId)],
    ['publication', publications.map((p) => p.ojsId)],
    ['galley', galleys.map((g) => g.ojsId)],
    ['issue_galley', issueGalleyOjsIds],
  ]);
  await ids.loadTaken([
    ['issues', [issueOjsId]],
    ['articles', articles.map((a) => a.ojsId)],
    ['publications', publications.map((p) => p.ojsId)],
    ['galleys', galleys.map((g) => g.ojsId)],
    ['issue_galleys', issueGalleyOjsIds],
  ]);
  return ids;
}

/** After rows were given explicit ids, the sequence must hand out ids above them. */
export async function advanceSequences(db: Db, dryRun?: DryRunIds): Promise<void> {
  // A dry run moves no sequence: its rows are rolled back, and the import must draw the same ids.
  if (dryRun) return;
  // One statement for the five tables: a round trip per issue, not five.
  const advance = (['issues', 'articles', 'publications', 'galleys', 'issue_galleys'] as const).map(
    (table) => sql`setval(pg_get_serial_sequence(${table}, 'id'), GREATEST((SELECT coalesce(max(id), 1) FROM ${sql.table(table)}), (SELECT last_value FROM ${sql.raw(`${table}_id_seq`)})))`,
  );
  await sql`SELECT ${sql.join(advance)}`.execute(db);
}

