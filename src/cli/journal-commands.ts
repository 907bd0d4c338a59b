import { journalPathProblem, normaliseEmail, normaliseIssn } from '../accounts/index.ts';
import { createJournalWith, findIssue, publishIssue, updateJournal, type Db, type JournalChanges } from '../catalog/index.ts';
import type { LocalizedText } from '../db/index.ts';
import { isUiLocale, UI_LOCALES } from '../i18n/index.ts';
import { isHttpUrl } from '../ui/links.ts';
import { parseOptions, UsageError, type CliIO, type Command } from './command.ts';
import { withDatabase } from './database.ts';

/**
 * `revista journal create|list|set`: journals from the command line, so that a migration script can
 * make an empty instance's journal and import into it without a browser. The same rules as the
 * administration pages: a path of letters, digits, - and _ that no journal has, locales Revista
 * speaks, checked ISSNs (the check digit), http(s) addresses, a real email address.
 */

const NAME_OPTIONS = UI_LOCALES.map((locale) => `name-${locale}`);
const SETTINGS = ['online-issn', 'print-issn', 'publisher', 'publisher-url', 'license', 'contact-name', 'contact-email', 'enabled', ...NAME_OPTIONS] as const;
const LIMITS = { name: 300, publisher: 500, contact: 500, url: 1000 };

type JournalUpdate = Pick<JournalChanges, 'name' | 'onlineIssn' | 'printIssn' | 'publisher' | 'publisherUrl' | 'licenseUrl' | 'contactName' | 'contactEmail' | 'enabled'>;

function parseLocales(value: string | undefined): { primary: string; supported: string[] } {
  const supported = (value ?? 'pl,en').split(',').map((l) => l.trim()).filter((l) => l !== '');
  const unknown = supported.find((l) => !isUiLocale(l));
  if (unknown !== undefined) throw new UsageError(`--locales: Revista speaks ${UI_LOCALES.join(' and ')}, not ${unknown}`);
  if (supported.length === 0 || new Set(supported).size !== supported.length) throw new UsageError('--locales takes a comma-separated list of different locales, the primary first (e.g. pl,en)');
  return { primary: supported[0]!, supported };
}

function text(value: string, option: string, max: number): string {
  if (value.length > max) throw new UsageError(`--${option} is longer than ${max} characters`);
  if (/[\u0000-\u001f\u007f]/.test(value)) throw new UsageError(`--${option} holds a control character`);
  return value.trim();
}

/** The settings given on the command line, checked; an empty value ("") clears a setting. */
function readSettings(options: Record<string, string>): JournalUpdate {
  const update: JournalUpdate = {};
  const issn = (option: 'online-issn' | 'print-issn') => {
    const value = options[option]!.trim();
    if (value === '') return null;
    const issn = normaliseIssn(value);
    if (!issn) throw new UsageError(`--${option}: ${value} is not a valid ISSN (NNNN-NNNC, with its check digit)`);
    return issn;
  };
  const url = (option: 'publisher-url' | 'license') => {
    const value = text(options[option]!, option, LIMITS.url);
    if (value === '') return null;
    if (!isHttpUrl(value)) throw new UsageError(`--${option} must be an http(s) address, not ${value}`);
    return value;
  };
  if (options['online-issn'] !== undefined) update.onlineIssn = issn('online-issn');
  if (options['print-issn'] !== undefined) update.printIssn = issn('print-issn');
  if (update.onlineIssn && update.onlineIssn === update.printIssn) throw new UsageError('the print ISSN must differ from the online ISSN');
  if (options.publisher !== undefined) update.publisher = text(options.publisher, 'publisher', LIMITS.publisher) || null;
  if (options['publisher-url'] !== undefined) update.publisherUrl = url('publisher-url');
  if (options.license !== undefined) update.licenseUrl = url('license');
  if (options['contact-name'] !== undefined) update.contactName = text(options['contact-name'], 'contact-name', LIMITS.contact) || null;
  if (options['contact-email'] !== undefined) {
    const value = options['contact-email'].trim();
    const email = value === '' ? null : normaliseEmail(value);
    if (value !== '' && !email) throw new UsageError(`--contact-email: ${value} is not an email address`);
    update.contactEmail = email;
  }
  if (options.enabled !== undefined) {
    if (options.enabled !== 'yes' && options.enabled !== 'no') throw new UsageError('--enabled takes yes or no');
    update.enabled = options.enabled === 'yes';
  }
  return update;
}

function namesFrom(options: Record<string, string>): LocalizedText {
  const name: LocalizedText = {};
  for (const locale of UI_LOCALES) {
    const value = options[`name-${locale}`];
    if (value !== undefined && value.trim() !== '') name[locale] = text(value, `name-${locale}`, LIMITS.name);
  }
  return name;
}

async function create(args: string[], io: CliIO): Promise<number> {
  const options = parseOptions(args, ['path', 'name', 'locales', ...SETTINGS]);
  const path = options.path ?? '';
  const problem = journalPathProblem(path);
  if (problem) {
    const why = { empty: '--path is required', format: 'letters, digits, - and _ only', reserved: 'the address is used by Revista itself', 'too-long': 'too long' }[problem];
    throw new UsageError(problem === 'empty' ? why : `--path ${path}: ${why}`);
  }
  const { primary, supported } = parseLocales(options.locales);
  // --name is the name in the primary locale; --name-en, --name-pl give it in any locale.
  const name: LocalizedText = { ...(options.name !== undefined && options.name.trim() !== '' ? { [primary]: text(options.name, 'name', LIMITS.name) } : {}), ...namesFrom(options) };
  if (Object.keys(name).length === 0) throw new UsageError('--name is required (the journal’s name in its primary locale)');
  const settings = readSettings(options);
  return withDatabase(io, 'revista journal', async (db) => {
    const taken = await db.selectFrom('journals').select('id').where('path', '=', path).executeTakeFirst();
    if (taken) {
      io.err(`revista journal: a journal with the path ${path} exists already (id ${taken.id}); change it with revista journal set`);
      return 1;
    }
    const id = await createJournalWith(db, { path, name, primaryLocale: primary, supportedLocales: supported }, settings);
    io.out(`created the journal ${path} (id ${id}): ${name[primary] ?? Object.values(name)[0]}; locales ${supported.join(', ')}`);
    return 0;
  });
}

async function set(args: string[], io: CliIO): Promise<number> {
  const options = parseOptions(args, ['journal', ...SETTINGS]);
  if (!options.journal) throw new UsageError('--journal is required (the journal’s path, e.g. sm)');
  const update = readSettings(options);
  const names = namesFrom(options);
  if (Object.keys(update).length === 0 && Object.keys(names).length === 0) throw new UsageError(`say what to set: ${SETTINGS.map((s) => `--${s}`).join(', ')}`);
  return withDatabase(io, 'revista journal', async (db) => {
    const journal = await db.selectFrom('journals').select(['id', 'name']).where('path', '=', options.journal!).executeTakeFirst();
    if (!journal) {
      io.err(`revista journal: no journal with the path ${options.journal}`);
      return 1;
    }
    if (Object.keys(names).length > 0) update.name = { ...journal.name, ...names };
    await updateJournal(db, journal.id, update);
    const changed = [...Object.keys(update).filter((k) => k !== 'name'), ...Object.keys(names).map((l) => `name (${l})`)];
    io.out(`updated the journal ${options.journal}: ${changed.map((k) => k.replace(/[A-Z]/g, (c) => ` ${c.toLowerCase()}`)).join(', ')}`);
    return 0;
  });
}

async function list(args: string[], io: CliIO): Promise<number> {
  parseOptions(args, []);
  return withDatabase(io, 'revista journal', async (db) => {
    const journals = await db
      .selectFrom('journals as j')
      .select(['j.id', 'j.path', 'j.name', 'j.primary_locale', 'j.supported_locales', 'j.enabled', 'j.online_issn', 'j.print_issn'])
      .select((eb) => [
        eb.selectFrom('issues').whereRef('issues.journal_id', '=', 'j.id').select((e) => e.fn.countAll<string>().as('n')).as('issues'),
        eb.selectFrom('articles').whereRef('articles.journal_id', '=', 'j.id').select((e) => e.fn.countAll<string>().as('n')).as('articles'),
      ])
      .orderBy('j.seq')
      .orderBy('j.id')
      .execute();
    if (journals.length === 0) {
      io.out('no journals yet: make one with revista journal create --path PATH --name NAME');
      return 0;
    }
    for (const j of journals) {
      const name = j.name[j.primary_locale] ?? Object.values(j.name)[0] ?? '';
      const issn = [j.online_issn && `eISSN ${j.online_issn}`, j.print_issn && `ISSN ${j.print_issn}`].filter(Boolean).join(', ');
      io.out(`${j.path}\t${name}\t${j.supported_locales.join(',')}\t${Number(j.issues)} issue(s), ${Number(j.articles)} article(s)${issn ? `\t${issn}` : ''}${j.enabled ? '' : '\t(disabled)'}`);
    }
    return 0;
  });
}

export const journalCommand: Command = {
  name: 'journal',
  usage:
    'revista journal create --path PATH --name NAME [--locales pl,en] [settings] | revista journal list | revista journal set --journal PATH settings\n' +
    `  settings: ${SETTINGS.map((s) => `--${s}`).join(' ')} (an empty value clears one; --enabled yes|no; --license URL)`,
  summary: 'create a journal, list the journals, or change a journal’s settings (name, ISSNs, publisher, licence, contact), as the administration pages do',
  async run(args, io) {
    const [action, ...rest] = args;
    if (action === 'create') return create(rest, io);
    if (action === 'set') return set(rest, io);
    if (action === 'list') return list(rest, io);
    throw new UsageError(action ? `unknown action: ${action}` : 'say create, list or set');
  },
};

/**
 * `revista issue publish JOURNAL ISSUE`: publishes an issue as the management page's "Publish issue"
 * does, through the same command, so its articles get the same DOIs (when the journal has a prefix).
 * `db` is the database the command runs on: tests call it with theirs.
 */
export async function publishIssueFromCli(db: Db, args: string[], io: CliIO, today: () => Date = () => new Date()): Promise<number> {
  // The journal and the issue come first; options (--date 2024-06-01, --current=no) after them.
  const positional = args.slice(0, 2).filter((a) => !a.startsWith('--'));
  const options = parseOptions(args.slice(positional.length), ['date', 'current']);
  const [journalPath, issueText] = positional;
  if (!journalPath || !issueText) throw new UsageError('say the journal’s path and the issue’s id: revista issue publish sm 12');
  if (!/^[1-9]\d{0,9}$/.test(issueText)) throw new UsageError(`the issue is its id (a whole number), not ${issueText}`);
  const date = options.date ?? today().toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`)) || new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) !== date) throw new UsageError(`--date takes a day as YYYY-MM-DD, not ${date}`);
  if (options.current !== undefined && options.current !== 'yes' && options.current !== 'no') throw new UsageError('--current takes yes or no');
  const journal = await db.selectFrom('journals').select(['id', 'path']).where('path', '=', journalPath).executeTakeFirst();
  if (!journal) {
    io.err(`revista issue: no journal with the path ${journalPath}`);
    return 1;
  }
  const issue = await findIssue(db, journal.id, Number(issueText));
  if (!issue) {
    io.err(`revista issue: the journal ${journal.path} has no issue ${issueText}`);
    return 1;
  }
  if (issue.is_published) {
    io.err(`revista issue: issue ${issue.id} of ${journal.path} is published already`);
    return 1;
  }
  const { dois } = await publishIssue(db, { journalId: journal.id, issueId: issue.id, date, makeCurrent: options.current !== 'no' });
  io.out(`published issue ${issue.id} of ${journal.path}${options.current !== 'no' ? ' as the current issue' : ''}`);
  if (dois) {
    for (const a of dois.assigned) io.out(`article ${a.articleId}: DOI ${a.doi}`);
    for (const s of dois.skipped) io.err(`article ${s.articleId}: no DOI: ${s.reason}`);
  }
  return 0;
}

export const issueCommand: Command = {
  name: 'issue',
  usage: 'revista issue publish JOURNAL ISSUE [--date YYYY-MM-DD] [--current yes|no]',
  summary: 'publish an issue (its articles become public and get DOIs when the journal has a prefix), as the management page does',
  async run(args, io) {
    const [action, ...rest] = args;
    if (action !== 'publish') throw new UsageError(action ? `unknown action: ${action}` : 'say publish');
    return withDatabase(io, 'revista issue', (db) => publishIssueFromCli(db, rest, io));
  },
};
