import { createHash } from 'node:crypto';

/** What storing a unit of Native XML reports, and the digest that tells content seen before. */

export interface StoreJournal {
  id: number;
  path: string;
  primaryLocale: string;
}

export type Change = 'new' | 'changed' | 'unchanged';

export interface StoreReport {
  issue?: { change: Change; id: number; ojsId?: number };
  articles: { change: Change; id: number; ojsId?: number; title: string }[];
  galleys: number;
  warnings: string[];
  /** Files stored while parsing that no row refers to (an unchanged object keeps its earlier copy): remove after commit. */
  duplicateKeys: string[];
  /** Files no row uses any more after an update: remove after commit. */
  orphanKeys: string[];
}

/** A stable hash of what was read: files by content, not by where they were stored. */
export function digestOf(value: unknown): string {
  const json = JSON.stringify(value, (key, v: unknown) => (key === 'storageKey' || key === 'line' || key === 'articles' ? undefined : v));
  return createHash('sha256').update(json).digest('hex');
}
