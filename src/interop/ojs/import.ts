import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.ts';
import type { FileStore } from '../../storage/index.ts';
import { ImportError, type ReadUnit } from './import-read.ts';
import { startImportThread } from './import-thread.ts';
import { fromOjsLocale } from './locales.ts';
import type { NativeArticle, NativeIssue, NativeIssueIdentification } from './model.ts';
import { storeIssue, storeLooseArticle, type Change, type StoreJournal, type StoreReport } from './store.ts';
import { dryRunIds } from './unit-ids.ts';
import { NativeXmlError } from './xml-stream.ts';

/**
 * OJS Native XML import, in two passes over the file:
 * 1. read and check the whole document — well-formed, the right root, every field of the right
 *    type, every section and file a publication names present, every embedded file decodable —
 *    storing nothing; any problem stops the import with its line and column, before anything is
 *    written;
 * 2. read it again, storing each issue (or each article of an `<articles>` document) with its files
 *    in one transaction of its own, so an interruption leaves whole issues only.
 * A dry run does the second pass too, inside transactions that are rolled back, and files are only
 * measured: the report says exactly what an import would do.
 *
 * Reading (parsing, decoding, hashing and storing files) happens in a worker thread
 * (import-worker.ts); this thread writes the database, a unit at a time. So an import, however
 * large or hostile its document, never keeps the server from answering, and an import that runs
 * past its time limit is stopped cleanly: the unit in progress rolled back, its files removed.
 */

/** How long an import may take, both passes and the database writes, unless told otherwise. */
export const IMPORT_TIME_LIMIT_MS = 60 * 60 * 1000;
/** Warnings kept for the report; past this many, only their number. */
export const MAX_WARNINGS = 1000;

export interface ImportOptions {
  journalPath: string;
  dryRun?: boolean;
  /** Where files named by `<href src="…">` may be read from (the directory of the XML file); none: such files are refused. */
  baseDir?: string;
  onProgress?: (progress: ImportProgress) => void;
  /** Stop the import after this long (default IMPORT_TIME_LIMIT_MS): what was committed stays, the unit in progress is rolled back. */
  timeLimitMs?: number;
  /** Stops the import as the time limit does (e.g. the person who started it went away). */
  signal?: AbortSignal;
}

export interface ImportProgress {
  pass: 'check' | 'import';
  bytesRead: number;
  totalBytes?: number;
  issues: number;
  articles: number;
}

export interface ImportSummary {
  dryRun: boolean;
  root: string;
  issues: Record<Change, number>;
  articles: Record<Change, number>;
  galleys: number;
  warnings: string[];
  /** What each issue (or loose article) became, in document order. */
  units: { kind: 'issue' | 'article'; change: Change; id: number; ojsId?: number; label: string; /** An issue's volume, number, year and title, for pages that name it in their own language. */ identification?: NativeIssueIdentification; articles: { change: Change; id: number; ojsId?: number; title: string }[] }[];
}

export { ImportError };

/** Why an import was stopped from outside: its time limit, or its signal. */
class StopError extends Error {}

async function journalOf(db: Kysely<Database>, journalPath: string): Promise<StoreJournal> {
  const row = await db.selectFrom('journals').select(['id', 'path', 'primary_locale']).where('path', '=', journalPath).executeTakeFirst();
  if (!row) throw new ImportError(`no journal with the path ${journalPath}`);
  return { id: row.id, path: row.path, primaryLocale: row.primary_locale };
}

/** Every file a parsed unit stored, so a failed unit can take them back. */
function storedKeys(unit: NativeIssue | NativeArticle): string[] {
  return [...forEachFile(unit)].map((f) => f.storageKey).filter((k) => k !== '');
}

class Rollback extends Error {
  constructor(readonly report: StoreReport) {
    super('dry run');
  }
}

const duration = (ms: number) => (ms >= 60_000 ? `${Math.round(ms / 60_000)} min` : ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`);

/**
 * Imports a document from a file path, a function opening the document afresh (it is read twice),
 * or a stream (spooled to a temporary file first).
 */
export async function importNativeXml(db: Kysely<Database>, files: FileStore, source: string | (() => Readable) | Readable, options: ImportOptions): Promise<ImportSummary> {
  if (typeof source !== 'string' && typeof source !== 'function') {
    const spooled = await spoolToFile(source);
    try {
      return await importNativeXml(db, files, spooled, options);
    } finally {
      fs.rmSync(spooled, { force: true });
    }
  }
  const journal = await journalOf(db, options.journalPath);
  const open = typeof source === 'string' ? () => fs.createReadStream(source) : source;
  const totalBytes = typeof source === 'string' ? fs.statSync(source).size : undefined;
  const sections = await db.selectFrom('sections').select(['title', 'abbreviation']).where('journal_id', '=', journal.id).execute();
  const dryRun = options.dryRun ?? false;

  const warnings: string[] = [];
  let unlisted = 0;
  const warn = (text: string) => {
    if (warnings.length < MAX_WARNINGS) warnings.push(text);
    else unlisted++;
  };
  const progress: ImportProgress = { pass: 'check', bytesRead: 0, ...(totalBytes !== undefined ? { totalBytes } : {}), issues: 0, articles: 0 };
  const tell = () => options.onProgress?.({ ...progress });
  // Files the thread stored that no committed row refers to yet: removed if the import stops.
  const uncommitted = new Set<string>();
  let cleanedUp = false;
  const removeUncommitted = async () => {
    cleanedUp = true;
    await Promise.all([...uncommitted].map((key) => files.remove(key).catch(() => undefined)));
    uncommitted.clear();
  };

  const thread = startImportThread(
    { read: { defaultLocale: journal.primaryLocale, sectionNames: sections.flatMap((s) => [...Object.values(s.abbreviation), ...Object.values(s.title)]), ...(options.baseDir ? { baseDir: options.baseDir } : {}) }, storageRoot: files.root, dryRun },
    open,
    {
      bytes(pass, n) {
        if (pass === progress.pass) progress.bytesRead += n;
      },
      warning: warn,
      checkedUnit(issues, articles) {
        progress.issues += issues;
        progress.articles += articles;
        tell();
      },
      stored(key) {
        // A file the thread finished storing after the import stopped goes at once.
        if (cleanedUp) void files.remove(key).catch(() => undefined);
        else uncommitted.add(key);
      },
    },
  );
  let stopped: StopError | undefined;
  const stop = (reason: StopError) => {
    stopped ??= reason;
    void thread.stop(stopped);
  };
  const limit = options.timeLimitMs ?? IMPORT_TIME_LIMIT_MS;
  const timer = setTimeout(() => stop(new StopError(`its time limit of ${duration(limit)} ran out`)), limit);
  const cancel = () => stop(new StopError('it was cancelled'));
  if (options.signal?.aborted) cancel();
  options.signal?.addEventListener('abort', cancel, { once: true });

  const summary: ImportSummary = { dryRun, root: '', issues: { new: 0, changed: 0, unchanged: 0 }, articles: { new: 0, changed: 0, unchanged: 0 }, galleys: 0, warnings, units: [] };
  // The unit whose transaction is running, for the message if it fails.
  let storing: ReadUnit | undefined;
  try {
    // Pass 1: the whole document is checked before anything is written.
    summary.root = (await thread.checked).root;

    // Pass 2: each unit in a transaction of its own.
    Object.assign(progress, { pass: 'import', bytesRead: 0, issues: 0, articles: 0 });
    let dryFile = 0;
    const dryIds = dryRun ? dryRunIds() : undefined;
    for (let next = await thread.nextUnit(); next; next = await thread.nextUnit()) {
      storing = next;
      const { kind, unit } = next;
      if (dryRun) {
        // Rows need a storage key of their own; these never leave the rolled-back transaction.
        for (const file of forEachFile(unit)) file.storageKey = `dry-run-${dryFile++}-${randomUUID()}`;
      }
      let report: StoreReport;
      try {
        report = await db.transaction().execute(async (trx) => {
          const stored = kind === 'issue' ? await storeIssue(trx, journal, unit, dryIds) : await storeLooseArticle(trx, journal, unit, dryIds);
          if (dryRun) throw new Rollback(stored);
          // A stopped import commits nothing more: the unit is rolled back.
          if (stopped) throw stopped;
          // The files the unit's rows refer to are on disk for good before those rows commit.
          const unused = new Set(stored.duplicateKeys);
          await files.makeDurable(storedKeys(unit).filter((key) => !unused.has(key)));
          return stored;
        });
      } catch (error) {
        if (!(error instanceof Rollback)) throw error;
        report = error.report;
      }
      storing = undefined;
      for (const key of storedKeys(unit)) uncommitted.delete(key);
      if (!dryRun) await Promise.all([...report.duplicateKeys, ...report.orphanKeys].map((key) => files.remove(key).catch(() => undefined)));
      for (const warning of report.warnings) warn(warning);
      summary.galleys += report.galleys;
      for (const a of report.articles) summary.articles[a.change]++;
      if (report.issue) summary.issues[report.issue.change]++;
      const articles = report.articles;
      summary.units.push(
        report.issue
          ? { kind: 'issue', change: report.issue.change, id: report.issue.id, ...(report.issue.ojsId !== undefined ? { ojsId: report.issue.ojsId } : {}), label: issueLabel(unit as NativeIssue), identification: (unit as NativeIssue).identification, articles }
          : { kind: 'article', change: articles[0]!.change, id: articles[0]!.id, ...(articles[0]!.ojsId !== undefined ? { ojsId: articles[0]!.ojsId } : {}), label: articles[0]!.title, articles },
      );
      progress.issues += report.issue ? 1 : 0;
      progress.articles += report.articles.length;
      tell();
    }
    // Files stored for objects that were left out (a cover that is no image…): nothing refers to them.
    await removeUncommitted();
  } catch (error) {
    await thread.stop(error instanceof Error ? error : new Error(String(error)));
    await removeUncommitted();
    throw importFailure(stopped ?? error, { storing, committed: summary.units.length, root: summary.root });
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', cancel);
  }
  if (unlisted > 0) warnings.push(`… and ${unlisted} more warnings`);
  return summary;
}

/**
 * What a failed import says: why it stopped, and what it had committed. A document refused before
 * anything was written keeps its own error (with its line and column).
 */
function importFailure(error: unknown, at: { storing: ReadUnit | undefined; committed: number; root: string }): Error {
  const { storing, committed } = at;
  if (!storing && committed === 0 && (error instanceof NativeXmlError || error instanceof ImportError)) return error;
  const reason = error instanceof Error ? error.message : String(error);
  const units = at.root === 'articles' || at.root === 'article' ? 'article(s)' : 'issue(s)';
  if (storing) {
    const what = storing.kind === 'issue' ? `the issue ${issueLabel(storing.unit)}` : `the article at line ${storing.line}`;
    return new ImportError(`${what} could not be stored (${reason}); it was not imported${committed > 0 ? `, the ${committed} ${units} before it were` : ''}`, committed);
  }
  return new ImportError(`the import stopped (${reason})${committed > 0 ? `; the ${committed} ${units} before were imported` : ''}`, committed);
}

function* forEachFile(unit: NativeIssue | NativeArticle): Generator<{ storageKey: string }> {
  if ('covers' in unit) for (const c of unit.covers) yield c.file;
  if ('galleys' in unit) for (const g of unit.galleys) yield g.file;
  for (const a of 'articles' in unit ? unit.articles : [unit]) {
    for (const f of a.submissionFiles) if (f.file) yield f.file;
    for (const p of a.publications) for (const c of p.covers) yield c.file;
  }
}

/** "Vol. 74 No. 4 (2021)" for reports (not localized: CLI and logs). */
export function issueLabel(issue: NativeIssue): string {
  const { volume, number, year, title } = issue.identification;
  const numbering = [volume !== undefined ? `Vol. ${volume}` : '', number !== undefined ? `No. ${number}` : '', year !== undefined ? `(${year})` : ''].filter(Boolean).join(' ');
  return numbering || Object.values(title)[0] || `issue ${issue.ojsId ?? '?'}`;
}

/** A Readable that is not a file (an upload) is spooled to a temporary file first: the import reads it twice. */
export async function spoolToFile(input: Readable, dir = os.tmpdir()): Promise<string> {
  const file = path.join(dir, `revista-import-${randomUUID()}.xml`);
  await pipeline(input, fs.createWriteStream(file));
  return file;
}

export { fromOjsLocale };
