import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { NativeArticle, NativeIssue } from './model.ts';
import { parseArticle, parseIssue, type ParseContext } from './parse.ts';
import { readUnits, NativeXmlError, type FileSink, type XmlElement } from './xml-stream.ts';

/**
 * The reading half of an OJS Native XML import: the document in, parsed units out, with their files
 * in a sink. It runs in the import's worker thread (import-worker.ts), so however slow a document
 * is to read, the server goes on answering; the database half stays in the main thread (import.ts).
 */

export class ImportError extends Error {
  /** Units (issues or loose articles) committed before the failure; 0 means nothing was written. */
  constructor(
    message: string,
    readonly committed = 0,
  ) {
    super(message);
  }
}

export interface ReadSetup {
  /** The journal's primary locale, for text OJS wrote without a locale. */
  defaultLocale: string;
  /** Titles and abbreviations of the journal's sections: a publication may name one of them. */
  sectionNames: string[];
  /** Where files named by `<href src="…">` may be read from (the directory of the XML file); none: such files are refused. */
  baseDir?: string;
}

export type ReadUnit = { kind: 'issue'; line: number; unit: NativeIssue } | { kind: 'article'; line: number; unit: NativeArticle };

const ROOTS = ['issues', 'issue', 'articles', 'article'];

/**
 * Reads files named by `<href>` from inside `baseDir` only, by their real paths: no absolute path,
 * no `..`, and no symbolic link (an archive can carry one) leads out of the document's directory.
 */
export async function hrefReader(baseDir: string | undefined, sink: FileSink): Promise<ParseContext['readHref']> {
  if (!baseDir) return undefined;
  const root = await fsp.realpath(baseDir);
  return async (src) => {
    if (/^[a-z][a-z0-9+.-]*:/i.test(src)) return { problem: 'is an address, not a file beside the document' };
    if (path.isAbsolute(src) || src.startsWith('\\')) return { problem: 'is an absolute path (only files beside the XML document are read)' };
    if (src.split(/[\\/]/).includes('..')) return { problem: 'leads out of the directory of the XML document ("..")' };
    let real: string;
    try {
      real = await fsp.realpath(path.resolve(root, src));
    } catch {
      return { problem: 'cannot be read' };
    }
    if (!real.startsWith(root + path.sep)) return { problem: 'leads out of the directory of the XML document (through a symbolic link)' };
    if (!(await fsp.stat(real)).isFile()) return { problem: 'is not a file' };
    return { file: await sink(fs.createReadStream(real)) };
  };
}

function unitsOf(input: Readable, sink: FileSink, roots: { root?: string }): AsyncGenerator<XmlElement> {
  return readUnits(input, {
    sink,
    onRoot(start) {
      if (!ROOTS.includes(start.root)) throw new Error(`the root element is <${start.root}>; an OJS Native XML import takes <issues>, <issue>, <articles> or <article>`);
      roots.root = start.root;
    },
  });
}

const parseUnit = (element: XmlElement, context: ParseContext) => (element.name === 'issue' ? parseIssue(element, context) : parseArticle(element, context));

export interface CheckEvents {
  warning(text: string): void;
  /** A unit was checked: an issue (1) or not (0), and how many articles it holds. */
  unit(issues: number, articles: number): void;
}

/**
 * The first pass: the whole document checked — well-formed, the right root, every field of the
 * right type, every section and file a publication names present, every embedded file decodable —
 * with nothing stored (the sink only measures). Any problem stops it with its line and column.
 */
export async function checkDocument(input: Readable, setup: ReadSetup, sink: FileSink, events: CheckEvents): Promise<{ root: string; units: number }> {
  const roots: { root?: string } = {};
  const context: ParseContext = { defaultLocale: setup.defaultLocale, warnings: [], readHref: await hrefReader(setup.baseDir, sink) };
  const sectionNames = new Set(setup.sectionNames);
  let units = 0;
  for await (const element of unitsOf(input, sink, roots)) {
    context.warnings.length = 0;
    const unit = await parseUnit(element, context);
    for (const warning of context.warnings) events.warning(warning);
    const refs = new Set([...sectionNames, ...('sections' in unit ? unit.sections.map((s) => s.ref) : [])]);
    const articles = 'articles' in unit ? unit.articles : [unit];
    for (const article of articles) {
      for (const p of article.publications) {
        if (!refs.has(p.sectionRef)) throw new NativeXmlError(`${p.ojsId !== undefined ? `publication ${p.ojsId}` : `the article at line ${article.line}`} names the section “${p.sectionRef}”, which is neither in the issue’s <sections> nor in the journal`, article.line);
      }
      for (const f of article.submissionFiles) {
        if (!article.publications.some((p) => p.galleys.some((g) => g.submissionFileRef === f.ojsId))) events.warning(`submission file ${f.ojsId} (${Object.values(f.name)[0] ?? 'no name'}) of article ${article.ojsId ?? '?'} is no galley's file and is not imported`);
      }
    }
    events.unit(element.name === 'issue' ? 1 : 0, articles.length);
    units++;
  }
  if (units === 0) throw new ImportError(`the document (<${roots.root ?? '?'}>) holds no issue or article`);
  return { root: roots.root!, units };
}

/** The second pass: each unit, parsed, its files in the sink (the first pass has reported its warnings). */
export async function* readDocument(input: Readable, setup: ReadSetup, sink: FileSink): AsyncGenerator<ReadUnit> {
  const context: ParseContext = { defaultLocale: setup.defaultLocale, warnings: [], readHref: await hrefReader(setup.baseDir, sink) };
  for await (const element of unitsOf(input, sink, {})) {
    const unit = await parseUnit(element, context);
    context.warnings.length = 0;
    yield element.name === 'issue' ? { kind: 'issue', line: element.line, unit: unit as NativeIssue } : { kind: 'article', line: element.line, unit: unit as NativeArticle };
  }
}
