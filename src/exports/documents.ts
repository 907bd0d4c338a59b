import type { Kysely } from 'kysely';
import { findJournal, loadPublishedArticles, visibleCurrentPublications, type JournalSummary } from '../catalog/index.ts';
import type { Database } from '../db/index.ts';
import type { RecordInput } from '../discovery/index.ts';
import { jatsArticle } from '../discovery/index.ts';
import { crossrefDeposit } from './crossref.ts';
import type { JournalDepositor } from './depositor.ts';
import { doajArticles } from './doaj.ts';

/** A problem the person asking for an export can fix: told as one line, nothing written. */
export class ExportError extends Error {}

export type ExportFormat = 'crossref' | 'jats' | 'doaj';

export interface ExportSelection {
  journalPath: string;
  issueId?: number;
  articleId?: number;
}

/** The published articles a selection names, in issue order, loaded a hundred at a time. */
export async function selectArticles(db: Kysely<Database>, baseUrl: string, selection: ExportSelection, onProgress?: (done: number, total: number) => void): Promise<{ journal: JournalSummary; items: RecordInput[] }> {
  const journal = await findJournal(db, selection.journalPath);
  if (!journal) throw new ExportError(`no journal with the path ${selection.journalPath}`);
  if (selection.issueId !== undefined) {
    const issue = await db.selectFrom('issues').select('id').where('id', '=', selection.issueId).where('journal_id', '=', journal.id).executeTakeFirst();
    if (!issue) throw new ExportError(`the journal ${journal.path} has no issue ${selection.issueId}`);
  }
  // What readers may see is what may be exported: the catalog's one rule of visibility.
  let query = visibleCurrentPublications(db).select('a.id').where('a.journal_id', '=', journal.id);
  if (selection.issueId !== undefined) query = query.where('p.issue_id', '=', selection.issueId);
  if (selection.articleId !== undefined) query = query.where('a.id', '=', selection.articleId);
  const ids = (await query.orderBy('p.issue_id').orderBy('p.seq').orderBy('a.id').execute()).map((r) => r.id);
  if (selection.articleId !== undefined && ids.length === 0) throw new ExportError(`the journal ${journal.path} has no published article ${selection.articleId}`);
  const items: RecordInput[] = [];
  for (let i = 0; i < ids.length; i += 100) {
    const batch = ids.slice(i, i + 100);
    const loaded = await loadPublishedArticles(db, batch, journal.id);
    for (const id of batch) {
      const article = loaded.get(id);
      if (article) items.push({ article, journal, baseUrl });
    }
    onProgress?.(Math.min(ids.length, i + 100), ids.length);
  }
  if (items.length === 0) throw new ExportError(`nothing published to export in ${journal.path}${selection.issueId ? ` issue ${selection.issueId}` : ''}`);
  return { journal, items };
}

/** One document for the selection (JATS: one per article). */
export function buildDocuments(format: ExportFormat, items: RecordInput[], depositor: JournalDepositor | undefined, now: Date): Array<{ name: string; xml: string }> {
  if (format === 'jats') return items.map((item) => ({ name: `${item.journal.path}-${item.article.id}.jats.xml`, xml: `<?xml version="1.0" encoding="UTF-8"?>\n${jatsArticle(item)}\n` }));
  if (format === 'doaj') return [{ name: `${items[0]!.journal.path}.doaj.xml`, xml: doajArticles(items) }];
  const withoutDoi = items.filter((i) => !i.article.doi).map((i) => i.article.id);
  if (withoutDoi.length > 0) throw new ExportError(`articles without a DOI cannot go to Crossref: ${withoutDoi.join(', ')} (assign DOIs first: revista doi assign --journal ${items[0]!.journal.path})`);
  if (!depositor) throw new ExportError('a Crossref deposit needs its depositor');
  if (!depositor.ok) throw new ExportError(depositor.problem);
  return [{ name: `${items[0]!.journal.path}.crossref.xml`, xml: crossrefDeposit(items, { depositor: depositor.depositor, batchId: `revista-export-${now.getTime()}`, timestamp: now.getTime() }) }];
}
