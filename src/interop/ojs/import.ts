import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.ts';
import type { FileStore } from '../../storage/index.ts';
import { fromOjsLocale } from './locales.ts';
import type { NativeArticle, NativeIssue } from './model.ts';
import { parseArticle, parseIssue, type ParseContext } from './parse.ts';
import { storeIssue, storeLooseArticle, type Change, type StoreJournal, type StoreReport } from './store.ts';
import { measuringSink, NativeXmlError, readUnits, storageSink, type EmbeddedFile, type FileSink, type XmlElement } from './xml-stream.ts';

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
 */

export interface ImportOptions {
  journalPath: string;
  dryRun?: boolean;
  /** Where files named by `<href src="…">` may be read from (the directory of the XML file); none: such files are refused. */
  baseDir?: string;
  onProgress?: (progress: ImportProgress) => void;
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
  units: { kind: 'issue' | 'article'; change: Change; id: number; ojsId?: number; label: string; articles: { change: Change; id: number; ojsId?: number; title: string }[] }[];
}

export class ImportError extends Error {
  /** Units (issues or loose articles) committed before the failure; 0 means nothing was written. */
  constructor(
    message: string,
    readonly committed = 0,
  ) {
    super(message);
  }
}

const ROOTS = ['issues', 'issue', 'articles', 'article'];

/** Reads files named by `<href>` from inside `baseDir` only: a document cannot make Revista read /etc/passwd. */
function hrefReader(baseDir: string | undefined, sink: FileSink): ParseContext['readHref'] {
  if (!baseDir) return undefined;
  const root = path.resolve(baseDir);
  return async (src: string): Promise<EmbeddedFile | undefined> => {
    if (/^[a-z][a-z0-9+.-]*:/i.test(src)) return undefined;
    const target = path.resolve(root, src);
    if (!target.startsWith(root + path.sep) || !fs.existsSync(target) || !fs.statSync(target).isFile()) return undefined;
    return sink(fs.createReadStream(target));
  };
}

function counting(onBytes: (n: number) => void): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      onBytes(chunk.length);
      done(null, chunk);
    },
  });
}

async function* units(open: () => Readable, sink: FileSink, onBytes: (n: number) => void, roots: { root?: string }): AsyncGenerator<XmlElement> {
  const input = open();
  const counter = counting(onBytes);
  input.on('error', (error) => counter.destroy(error));
  input.pipe(counter);
  yield* readUnits(counter, {
    sink,
    onRoot(start) {
      if (!ROOTS.includes(start.root)) throw new Error(`the root element is <${start.root}>; an OJS Native XML import takes <issues>, <issue>, <articles> or <article>`);
      roots.root = start.root;
    },
  });
}

async function journalOf(db: Kysely<Database>, journalPath: string): Promise<StoreJournal> {
  const row = await db.selectFrom('journals').select(['id', 'path', 'primary_locale']).where('path', '=', journalPath).executeTakeFirst();
  if (!row) throw new ImportError(`no journal with the path ${journalPath}`);
  return { id: row.id, path: row.path, primaryLocale: row.primary_locale };
}

/** Every file a parsed unit stored, so a failed unit can take them back. */
function storedKeys(unit: NativeIssue | NativeArticle): string[] {
  const articles = 'articles' in unit ? unit.articles : [unit];
  const keys = 'covers' in unit ? unit.covers.map((c) => c.file.storageKey) : [];
  for (const a of articles) {
    keys.push(...a.submissionFiles.flatMap((f) => (f.file ? [f.file.storageKey] : [])));
    keys.push(...a.publications.flatMap((p) => p.covers.map((c) => c.file.storageKey)));
  }
  return keys.filter((k) => k !== '');
}

/**
 * A copy of a string that shares nothing with the text it was cut from. A title read from the XML is
 * a slice of the 64 KB piece of the document it came in, and keeps that piece alive as long as it
 * lives: the summary, kept to the end, would otherwise hold most of the document.
 */
export function ownCopy(text: string): string {
  return text.length < 13 ? text : Buffer.from(text, 'utf8').toString('utf8');
}

class Rollback extends Error {
  constructor(readonly report: StoreReport) {
    super('dry run');
  }
}

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
  const warnings: string[] = [];
  const sectionNames = new Set(
    (await db.selectFrom('sections').select(['title', 'abbreviation']).where('journal_id', '=', journal.id).execute()).flatMap((s) => [...Object.values(s.abbreviation), ...Object.values(s.title)]),
  );
  const progress: ImportProgress = { pass: 'check', bytesRead: 0, ...(totalBytes !== undefined ? { totalBytes } : {}), issues: 0, articles: 0 };
  const tell = () => options.onProgress?.({ ...progress });
  const onBytes = (n: number) => {
    progress.bytesRead += n;
  };

  // Pass 1: the whole document is checked before anything is written.
  const roots: { root?: string } = {};
  const checkContext: ParseContext = { defaultLocale: journal.primaryLocale, warnings, readHref: hrefReader(options.baseDir, measuringSink) };
  let unitCount = 0;
  for await (const element of units(open, measuringSink, onBytes, roots)) {
    const seen = warnings.length;
    const unit = element.name === 'issue' ? await parseIssue(element, checkContext) : await parseArticle(element, checkContext);
    for (let i = seen; i < warnings.length; i++) warnings[i] = ownCopy(warnings[i]!);
    const refs = new Set([...sectionNames, ...('sections' in unit ? unit.sections.map((s) => s.ref) : [])]);
    for (const article of 'articles' in unit ? unit.articles : [unit]) {
      for (const p of article.publications) {
        if (!refs.has(p.sectionRef)) throw new NativeXmlError(`publication ${p.ojsId} names the section “${p.sectionRef}”, which is neither in the issue’s <sections> nor in the journal`, article.line);
      }
      for (const f of article.submissionFiles) {
        if (!article.publications.some((p) => p.galleys.some((g) => g.submissionFileRef === f.ojsId))) warnings.push(ownCopy(`submission file ${f.ojsId} (${Object.values(f.name)[0] ?? 'no name'}) of article ${article.ojsId ?? '?'} is no galley's file and is not imported`));
      }
      progress.articles++;
    }
    if (element.name === 'issue') progress.issues++;
    unitCount++;
    tell();
  }
  if (unitCount === 0) throw new ImportError(`the document (<${roots.root ?? '?'}>) holds no issue or article`);

  // Pass 2: each unit in a transaction of its own.
  const summary: ImportSummary = { dryRun: options.dryRun ?? false, root: roots.root!, issues: { new: 0, changed: 0, unchanged: 0 }, articles: { new: 0, changed: 0, unchanged: 0 }, galleys: 0, warnings, units: [] };
  Object.assign(progress, { pass: 'import', bytesRead: 0, issues: 0, articles: 0 });
  const sink = options.dryRun ? measuringSink : storageSink(files);
  const context: ParseContext = { defaultLocale: journal.primaryLocale, warnings: [], readHref: hrefReader(options.baseDir, sink) };
  let dryFile = 0;
  // While a unit's transaction runs, the next unit is read and its files are written (not yet
  // durable, and referred to by nothing until its own transaction): database and disk work overlap.
  const reader = units(open, sink, onBytes, {});
  const readNext = async (): Promise<{ element: XmlElement; unit: NativeIssue | NativeArticle } | undefined> => {
    const next = await reader.next();
    if (next.done) return undefined;
    const element = next.value;
    const unit = element.name === 'issue' ? await parseIssue(element, context) : await parseArticle(element, context);
    // The first pass reported these already.
    context.warnings.length = 0;
    return { element, unit };
  };
  let upcoming = readNext();
  try {
    for (let current = await upcoming; current; current = await upcoming) {
      const { element, unit } = current;
      upcoming = readNext();
      // A failure there is met when it is awaited, after this unit.
      upcoming.catch(() => undefined);
      if (options.dryRun) {
        // Rows need a storage key of their own; these never leave the rolled-back transaction.
        for (const key of forEachFile(unit)) key.storageKey = `dry-run-${dryFile++}-${randomUUID()}`;
      }
      let report: StoreReport;
      try {
        report = await db.transaction().execute(async (trx) => {
          const stored = element.name === 'issue' ? await storeIssue(trx, journal, unit as NativeIssue) : await storeLooseArticle(trx, journal, unit as NativeArticle);
          if (options.dryRun) throw new Rollback(stored);
          // The files the unit's rows refer to are on disk for good before those rows commit.
          const copies = new Set(stored.duplicateKeys);
          await files.makeDurable(storedKeys(unit).filter((key) => !copies.has(key)));
          return stored;
        });
      } catch (error) {
        if (error instanceof Rollback) report = error.report;
        else {
          // This unit's files go, and those of the next one, read meanwhile.
          const next = await upcoming.catch(() => undefined);
          await Promise.all([...storedKeys(unit), ...(next ? storedKeys(next.unit) : [])].map((key) => files.remove(key).catch(() => undefined)));
          const what = element.name === 'issue' ? `the issue ${issueLabel(unit as NativeIssue)}` : `the article at line ${element.line}`;
          const done = summary.units.length;
          throw new ImportError(`${what} could not be stored (${(error as Error).message}); it was not imported${done > 0 ? `, the ${done} ${element.name === 'issue' ? 'issue' : 'article'}(s) before it were` : ''}`, done);
        }
      }
      if (!options.dryRun) await Promise.all([...report.duplicateKeys, ...report.orphanKeys].map((key) => files.remove(key).catch(() => undefined)));
      warnings.push(...report.warnings.map(ownCopy));
      summary.galleys += report.galleys;
      for (const a of report.articles) summary.articles[a.change]++;
      if (report.issue) summary.issues[report.issue.change]++;
      const issue = unit as NativeIssue;
      const articles = report.articles.map((a) => ({ ...a, title: ownCopy(a.title) }));
      summary.units.push(
        report.issue
          ? { kind: 'issue', change: report.issue.change, id: report.issue.id, ...(report.issue.ojsId !== undefined ? { ojsId: report.issue.ojsId } : {}), label: ownCopy(issueLabel(issue)), articles }
          : { kind: 'article', change: articles[0]!.change, id: articles[0]!.id, ...(articles[0]!.ojsId !== undefined ? { ojsId: articles[0]!.ojsId } : {}), label: articles[0]!.title, articles },
      );
      progress.issues += report.issue ? 1 : 0;
      progress.articles += report.articles.length;
      tell();
    }
  } finally {
    await reader.return(undefined);
  }
  return summary;
}

function* forEachFile(unit: NativeIssue | NativeArticle): Generator<{ storageKey: string }> {
  if ('covers' in unit) for (const c of unit.covers) yield c.file;
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
