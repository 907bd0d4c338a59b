import { fstatSync } from 'node:fs';
import { visibleCurrentPublications } from '../catalog/index.ts';
import { isUiLocale, type UiLocale } from '../i18n/index.ts';
import { issueMessage, parseReference, parseReferences, type ParsedReference } from '../references/index.ts';
import { parseId, withDatabase } from './database.ts';
import { parseOptions, UsageError, type CliIO, type Command } from './command.ts';
import { progressBar } from './progress.ts';

/**
 * `revista references parse`: one raw reference per line on standard input → one JSON object per
 * line on standard output, `{"segments": [[label, text], …], "csl": {…}, "issues": [{code, message}]}`.
 * Read and written as a stream, so any number of lines runs in the same memory; a line that is
 * empty, huge or not text still gets its object (with an issue saying so).
 *
 * `revista references check --journal PATH [--issue ID]`: the problems in the reference lists of a
 * journal's published articles (or one issue's), per article, with a summary.
 */

/** Standard input; tests may hand in their own stream. */
type ReferencesIO = CliIO & { stdin?: NodeJS.ReadableStream & { fd?: number } };

/** Past this many bytes a line is not kept whole: it is reported as too long from what was kept. */
const LINE_KEEP = 1 << 20;

function localeOption(value: string | undefined): UiLocale {
  if (value === undefined) return 'en';
  if (!isUiLocale(value)) throw new UsageError(`--locale must be pl or en, not ${value}`);
  return value;
}

function output(parsed: ParsedReference, locale: UiLocale) {
  return {
    segments: parsed.segments,
    csl: parsed.csl,
    issues: parsed.issues.map((issue) => ({ code: issue.code, message: issueMessage(issue, locale) })),
  };
}

/** The size of standard input when it is a file (for the progress bar), else undefined. */
function inputSize(stdin: { fd?: number }): number | undefined {
  try {
    const stat = fstatSync(stdin.fd ?? -1);
    return stat.isFile() ? stat.size : undefined;
  } catch {
    return undefined;
  }
}

async function parseLines(args: string[], io: ReferencesIO): Promise<number> {
  const options = parseOptions(args, ['locale']);
  const locale = localeOption(options.locale);
  const stdin = io.stdin ?? process.stdin;
  const size = inputSize(stdin);
  const bar = size === undefined ? undefined : progressBar(size, 'parsing references, bytes read');
  const decoder = new TextDecoder('utf-8');
  const started = performance.now();
  let lines = 0;
  let withIssues = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  // Output goes out once per chunk of input read (a terminal's chunk is one line, so typing gets
  // answers at once; a file's is 64 KB): one write for hundreds of lines instead of one each.
  const written: string[] = [];
  const flush = () => {
    if (written.length === 0) return;
    io.out(written.join('\n'));
    written.length = 0;
  };
  const finishLine = () => {
    const text = decoder.decode(Buffer.concat(pending, Math.min(pendingBytes, LINE_KEEP)));
    pending = [];
    // A line cut at LINE_KEEP is still far past the longest reference, so it is reported as too long.
    const parsed = parseReference(text);
    lines++;
    if (parsed.issues.length > 0) withIssues++;
    written.push(JSON.stringify(output(parsed, locale)));
    pendingBytes = 0;
  };
  const keep = (piece: Buffer) => {
    if (pendingBytes < LINE_KEEP) pending.push(piece.subarray(0, LINE_KEEP - pendingBytes));
    pendingBytes += piece.length;
  };
  for await (const chunk of stdin) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    let from = 0;
    for (let newline = buffer.indexOf(10, from); newline >= 0; newline = buffer.indexOf(10, from)) {
      keep(buffer.subarray(from, newline));
      finishLine();
      from = newline + 1;
    }
    if (from < buffer.length) keep(buffer.subarray(from));
    flush();
    await io.drained?.();
    bar?.tick(buffer.length);
  }
  if (pendingBytes > 0) finishLine();
  flush();
  bar?.done();
  const seconds = (performance.now() - started) / 1000;
  io.err(`parsed ${lines} reference(s), ${withIssues} with problems, in ${seconds.toFixed(1)} s (${Math.round(lines / Math.max(seconds, 1e-3))} per second)`);
  return 0;
}

const snippet = (text: string) => (text.length > 110 ? `${text.slice(0, 107)}…` : text);

async function checkJournal(args: string[], io: CliIO): Promise<number> {
  const options = parseOptions(args, ['journal', 'issue', 'locale']);
  const locale = localeOption(options.locale);
  if (!options.journal) throw new UsageError('--journal is required');
  const issueId = parseId(options.issue, 'issue');
  return withDatabase(io, 'revista references', async (db) => {
    const journal = await db.selectFrom('journals').select('id').where('path', '=', options.journal).executeTakeFirst();
    if (!journal) {
      io.err(`revista references: no journal with the path ${options.journal}`);
      return 1;
    }
    if (issueId !== undefined) {
      const issue = await db.selectFrom('issues').select('id').where('id', '=', issueId).where('journal_id', '=', journal.id).executeTakeFirst();
      if (!issue) {
        io.err(`revista references: the journal ${options.journal} has no issue with the id ${issueId}`);
        return 1;
      }
    }
    let query = visibleCurrentPublications(db)
      .where('a.journal_id', '=', journal.id)
      .select(['a.id as article_id', 'p.id as publication_id', 'p.title', 'p.locale'])
      .orderBy('i.date_published', 'desc')
      .orderBy('p.seq')
      .orderBy('a.id');
    if (issueId !== undefined) query = query.where('p.issue_id', '=', issueId);
    const articles = await query.execute();

    const bar = progressBar(articles.length, 'checking references');
    const byCode = new Map<string, number>();
    let references = 0;
    let withProblems = 0;
    let articlesWithProblems = 0;
    for (const article of articles) {
      const rows = await db.selectFrom('citations').select(['seq', 'raw_text']).where('publication_id', '=', article.publication_id).orderBy('seq').execute();
      const parsed = parseReferences(rows.map((row) => row.raw_text));
      references += rows.length;
      const title = article.title[article.locale] ?? Object.values(article.title)[0] ?? '';
      const problems = parsed.flatMap((reference, index) => (reference.issues.length > 0 ? [{ row: rows[index]!, reference }] : []));
      bar.tick();
      if (problems.length === 0) continue;
      articlesWithProblems++;
      withProblems += problems.length;
      io.out(`article ${article.article_id}: ${title} — ${problems.length} of ${rows.length} reference(s) with problems`);
      for (const { row, reference } of problems) {
        io.out(`  ${row.seq}. ${snippet(row.raw_text)}`);
        for (const issue of reference.issues) {
          byCode.set(issue.code, (byCode.get(issue.code) ?? 0) + 1);
          io.out(`     ${issue.severity === 'error' ? 'error' : 'warning'} ${issue.code}: ${issueMessage(issue, locale)}`);
        }
      }
      io.out('');
    }
    bar.done();
    const scope = issueId === undefined ? `journal ${options.journal}` : `issue ${issueId} of ${options.journal}`;
    io.out(`${scope}: ${articles.length} published article(s), ${references} reference(s); ${withProblems} reference(s) in ${articlesWithProblems} article(s) with problems`);
    if (byCode.size > 0) io.out(`problems: ${[...byCode].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([code, n]) => `${code} ${n}`).join(', ')}`);
    return 0;
  });
}

export const referencesCommand: Command = {
  name: 'references',
  usage: 'revista references parse [--locale en|pl] < references.txt | revista references check --journal PATH [--issue ID] [--locale en|pl]',
  summary: 'parse raw references (one per line on stdin) into segments, CSL-JSON and problems as JSON lines, or list the problems in the references of a journal\'s published articles',
  async run(args, io) {
    const [action, ...rest] = args;
    if (action === 'parse') return parseLines(rest, io);
    if (action === 'check') return checkJournal(rest, io);
    throw new UsageError(action ? `unknown action: ${action}` : 'say parse or check');
  },
};
