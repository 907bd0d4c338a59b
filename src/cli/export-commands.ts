import fs from 'node:fs';
import path from 'node:path';
import { updateJournal } from '../catalog/index.ts';
import { loadConfig } from '../config.ts';
import { assignMissingDois, buildDocuments, ExportError, journalDepositor, prefixIsValid, selectArticles, type ExportFormat } from '../exports/index.ts';
import { DEFAULT_OJS_VERSION, describeLosses, exportableIssueIds, isOjsVersion, loadNativeIssues, NativeExportError, OJS_VERSIONS, writeNativeXml } from '../interop/ojs/index.ts';
import { createFileStore } from '../storage/index.ts';
import { parseId, withDatabase } from './database.ts';
import { parseOptions, UsageError, type CliIO, type Command } from './command.ts';
import { progressBar } from './progress.ts';

export const doiCommand: Command = {
  name: 'doi',
  usage: 'revista doi prefix --journal PATH 10.NNNN | revista doi assign --journal PATH [--issue ID]',
  summary: 'set a journal’s DOI prefix, or give DOIs to its published articles that have none (as OJS’s “Assign DOIs”)',
  async run(args, io) {
    const [action, ...rest] = args;
    if (action === 'prefix') {
      const prefix = rest.find((a, i) => !a.startsWith('--') && rest[i - 1] !== '--journal');
      const options = parseOptions(rest.filter((a) => a !== prefix), ['journal']);
      if (!options.journal) throw new UsageError('--journal is required');
      if (!prefix || !prefixIsValid(prefix)) throw new UsageError(`a DOI prefix looks like 10.5555${prefix ? `, not ${prefix}` : ''}`);
      return withDatabase(io, 'revista doi', async (db) => {
        const journal = await db.selectFrom('journals').select('id').where('path', '=', options.journal!).executeTakeFirst();
        if (!journal || !(await updateJournal(db, journal.id, { doiPrefix: prefix }))) {
          io.err(`revista doi: no journal with the path ${options.journal}`);
          return 1;
        }
        io.out(`DOI prefix of ${options.journal} is ${prefix}`);
        return 0;
      });
    }
    if (action === 'assign') {
      const options = parseOptions(rest, ['journal', 'issue']);
      if (!options.journal) throw new UsageError('--journal is required');
      const issueId = parseId(options.issue, 'issue');
      return withDatabase(io, 'revista doi', async (db) => {
        const journal = await db.selectFrom('journals').select(['id', 'doi_prefix']).where('path', '=', options.journal!).executeTakeFirst();
        if (!journal) {
          io.err(`revista doi: no journal with the path ${options.journal}`);
          return 1;
        }
        if (!journal.doi_prefix) {
          io.err(`revista doi: the journal ${options.journal} has no DOI prefix; set it with: revista doi prefix --journal ${options.journal} 10.NNNN`);
          return 1;
        }
        const result = await assignMissingDois(db, journal.id, issueId === undefined ? {} : { issueId });
        for (const a of result.assigned) io.out(`article ${a.articleId}: ${a.doi}`);
        for (const s of result.skipped) io.err(`article ${s.articleId}: not assigned, ${s.reason}`);
        io.out(`assigned ${result.assigned.length} DOI(s), skipped ${result.skipped.length}`);
        return result.skipped.length > 0 ? 1 : 0;
      });
    }
    throw new UsageError(action ? `unknown action: ${action}` : 'say prefix or assign');
  },
};

export const exportCommand: Command = {
  name: 'export',
  usage: 'revista export crossref|jats|doaj --journal PATH [--issue ID | --article ID] [-o FILE|DIR] | revista export ojs-native --journal PATH [--issue ID] [--ojs-version 3.3|3.4|3.5|main] -o FILE',
  summary: 'write Crossref 5.3.1, JATS 1.3 or DOAJ XML of published articles (to standard output, a file, or for JATS several articles a directory), or a journal’s issues as OJS Native XML with their files, for the OJS release named (default 3.5)',
  async run(args, io) {
    const [format, ...rest] = args;
    if (format === 'ojs-native') return exportOjsNative(rest, io);
    if (format !== 'crossref' && format !== 'jats' && format !== 'doaj') throw new UsageError(format ? `unknown format: ${format}` : 'say crossref, jats, doaj or ojs-native');
    const output = rest.includes('-o') ? rest[rest.indexOf('-o') + 1] : undefined;
    if (rest.includes('-o') && !output) throw new UsageError('-o needs a file or directory');
    const options = parseOptions(rest.filter((a, i) => a !== '-o' && rest[i - 1] !== '-o'), ['journal', 'issue', 'article']);
    if (!options.journal) throw new UsageError('--journal is required');
    const issueId = parseId(options.issue, 'issue');
    const articleId = parseId(options.article, 'article');
    if (issueId !== undefined && articleId !== undefined) throw new UsageError('give --issue or --article, not both');
    const config = loadConfig(io.env);
    try {
      return await withDatabase(io, 'revista export', async (db) => {
        const bar = progressBar(1, `loading ${format}`);
        const { journal, items } = await selectArticles(db, config.baseUrl, { journalPath: options.journal!, ...(issueId ? { issueId } : {}), ...(articleId ? { articleId } : {}) }, (done, total) => {
          Object.assign(bar, progressBar(total, `loading ${format}`));
          void done;
        });
        // Crossref sends its reports to the depositor: the journal's own address, or a refusal saying what to set (depositor.ts).
        const depositor = format === 'crossref' ? await journalDepositor(db, journal.id) : undefined;
        const documents = buildDocuments(format as ExportFormat, items, depositor, new Date());
        const progress = progressBar(documents.length, `writing ${format}`);
        if (!output) {
          for (const d of documents) io.out(d.xml.trimEnd());
        } else if (documents.length === 1 && !(fs.existsSync(output) && fs.statSync(output).isDirectory())) {
          fs.writeFileSync(output, documents[0]!.xml);
          progress.tick();
        } else {
          fs.mkdirSync(output, { recursive: true });
          for (const d of documents) {
            fs.writeFileSync(path.join(output, d.name), d.xml);
            progress.tick();
          }
        }
        progress.done();
        io.err(`exported ${items.length} article(s) of ${journal.path} as ${format}${output ? ` to ${output}` : ''}`);
        return 0;
      });
    } catch (error) {
      if (error instanceof ExportError || (error instanceof Error && /^Crossref deposit:|^DOAJ/.test(error.message))) {
        io.err(`revista export: ${error.message}`);
        return 1;
      }
      throw error;
    }
  },
};

/** Issues of a journal (or one) as OJS Native XML in FILE, written beside it first and moved into place when whole. */
async function exportOjsNative(args: string[], io: CliIO): Promise<number> {
  const output = args.includes('-o') ? args[args.indexOf('-o') + 1] : undefined;
  if (!output) throw new UsageError('-o FILE is required: the document embeds the galley files');
  const options = parseOptions(args.filter((a, i) => a !== '-o' && args[i - 1] !== '-o'), ['journal', 'issue', 'ojs-version']);
  if (!options.journal) throw new UsageError('--journal is required');
  const issueId = parseId(options.issue, 'issue');
  const version = options['ojs-version'] ?? DEFAULT_OJS_VERSION;
  if (!isOjsVersion(version)) throw new UsageError(`--ojs-version is one of ${OJS_VERSIONS.join(', ')} (the OJS release that will import the file), not ${version}`);
  const config = loadConfig(io.env);
  return withDatabase(io, 'revista export', async (db) => {
    const journal = await db.selectFrom('journals').select('id').where('path', '=', options.journal!).executeTakeFirst();
    if (!journal) {
      io.err(`revista export: no journal with the path ${options.journal}`);
      return 1;
    }
    const issueIds = await exportableIssueIds(db, journal.id, issueId === undefined ? {} : { issueId });
    if (issueIds.length === 0) {
      io.err(issueId === undefined ? `revista export: the journal ${options.journal} has no issues to export` : `revista export: the journal ${options.journal} has no issue with the id ${issueId}`);
      return 1;
    }
    const partial = `${output}.partial-${process.pid}`;
    let fd: number;
    try {
      fd = fs.openSync(partial, 'wx');
    } catch (error) {
      io.err(`revista export: cannot write ${output} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
      return 1;
    }
    const out = fs.createWriteStream('', { fd });
    // A write error (disk full) reaches writeNativeXml through out.errored; this keeps it from being thrown as an event.
    out.on('error', () => {});
    const bar = progressBar(issueIds.length, 'exporting issues');
    try {
      const summary = await writeNativeXml(loadNativeIssues(db, journal.id, issueId === undefined ? {} : { issueId }), createFileStore(path.join(config.dataDir, 'files')), out, { version, onIssue: () => bar.tick() });
      await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
      fs.renameSync(partial, output);
      bar.done();
      io.out(`exported ${summary.issues} issue(s), ${summary.articles} article(s), ${summary.galleys} galley(s), ${summary.files} file(s), ${summary.bytes} bytes of ${options.journal} to ${output} for OJS ${version}`);
      for (const line of describeLosses(summary.losses, version)) io.out(line);
      return 0;
    } catch (error) {
      out.destroy();
      fs.rmSync(partial, { force: true });
      if (error instanceof NativeExportError) {
        io.err(`revista export: ${error.message}`);
        return 1;
      }
      throw error;
    }
  });
}
