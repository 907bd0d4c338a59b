import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.ts';
import { requestUrl } from '../../platform/http/index.ts';
import type { FileStore } from '../../storage/index.ts';
import { fromOjsQuery, ojsAlias } from './addresses.ts';

/**
 * OJS compatibility: Native XML import and export, and OJS addresses that keep working.
 *
 * OJS serves journals under `/index.php/{journal}/…` unless its rewrite rules are on; indexers and
 * readers hold such links for years, so they get a permanent redirect to the same path without
 * `index.php`, query string kept. Imported articles, issues and galleys keep their OJS ids as Revista
 * ids when they can; when they could not (the id was taken), or when a link uses an OJS `url_path`,
 * the old address answers 301 with the new one.
 */

export { IMPORT_TIME_LIMIT_MS, importNativeXml, ImportError, issueLabel, spoolToFile, type ImportOptions, type ImportProgress, type ImportSummary } from './import.ts';
export { NativeXmlError } from './xml-stream.ts';
export { fromOjsLocale, toOjsLocale } from './locales.ts';
export { describeImport } from './report.ts';
export { exportableIssueIds, loadNativeIssues } from './load.ts';
export { NativeExportError, writeNativeXml, type NativeXmlSummary } from './write.ts';
export { DEFAULT_OJS_VERSION, describeLosses, isOjsVersion, LOSSES, OJS_VERSIONS, type Loss, type Losses, type OjsVersion } from './versions.ts';

export { fromOjsQuery, ojsAlias } from './addresses.ts';

/**
 * `/index.php/…` → the same address without `index.php`; `index.php?journal=…&page=…` (OJS without
 * path info) → its path form; and, where that is an OJS address Revista serves elsewhere, that
 * address at once, so a harvester follows one redirect, not two.
 */
export function withoutIndexPhp(url: string): string | undefined {
  const match = /^\/index\.php(\/[^?]*)?(\?.*)?$/.exec(url);
  if (!match) return undefined;
  const path = match[1] && match[1] !== '/' ? match[1] : '/';
  const plain = `${path.replace(/^\/+/, '/')}${match[2] ?? ''}`;
  const fromQuery = path === '/' && match[2] ? fromOjsQuery(match[2]) : undefined;
  const target = fromQuery ?? plain;
  return ojsAlias(target) ?? target;
}

type Kind = 'article' | 'issue' | 'galley' | 'issue_galley';

/** An id segment of an old address: an OJS id that was mapped, or an OJS url_path. */
async function resolve(db: Kysely<Database>, journalId: number, kind: Kind, segment: string): Promise<number | undefined> {
  if (/^[1-9][0-9]{0,8}$/.test(segment)) {
    const row = await db.selectFrom('ojs_ids').select('revista_id').where('journal_id', '=', journalId).where('kind', '=', kind).where('ojs_id', '=', Number(segment)).executeTakeFirst();
    const id = row?.revista_id ?? Number(segment);
    // An issue, or an issue galley, of another journal (or none) is not this address's: the next
    // pattern, or a 404, answers (articles and galleys are checked by the page redirected to).
    if (kind === 'issue') return (await db.selectFrom('issues').select('id').where('id', '=', id).where('journal_id', '=', journalId).executeTakeFirst())?.id;
    if (kind === 'issue_galley') {
      return (await db.selectFrom('issue_galleys as g').innerJoin('issues as i', 'i.id', 'g.issue_id').select('g.id').where('g.id', '=', id).where('i.journal_id', '=', journalId).executeTakeFirst())?.id;
    }
    return id;
  }
  if (!/^[A-Za-z0-9._-]{1,200}$/.test(segment)) return undefined;
  // An issue galley has no url_path: only its OJS id leads to it.
  if (kind === 'issue_galley') return undefined;
  if (kind === 'issue') return (await db.selectFrom('issues').select('id').where('journal_id', '=', journalId).where('url_path', '=', segment).executeTakeFirst())?.id;
  if (kind === 'article') {
    const row = await db
      .selectFrom('publications as p')
      .innerJoin('articles as a', 'a.id', 'p.article_id')
      .select('a.id')
      .where('a.journal_id', '=', journalId)
      .where('p.url_path', '=', segment)
      .executeTakeFirst();
    return row?.id;
  }
  return (
    await db
      .selectFrom('galleys as g')
      .innerJoin('publications as p', 'p.id', 'g.publication_id')
      .innerJoin('articles as a', 'a.id', 'p.article_id')
      .select('g.id')
      .where('a.journal_id', '=', journalId)
      .where('g.url_path', '=', segment)
      .executeTakeFirst()
  )?.id;
}

const LEGACY = [
  { pattern: /^\/([a-z0-9][a-z0-9-]*)\/article\/view\/([^/]+)$/, target: (j: string, [a]: number[]) => `/${j}/article/view/${a}`, kinds: ['article'] as Kind[] },
  // OJS's galley viewer page: Revista's viewer at the same address (reader/galley-view.ts), under the ids Revista gave.
  { pattern: /^\/([a-z0-9][a-z0-9-]*)\/article\/view\/([^/]+)\/([^/]+)$/, target: (j: string, [a, g]: number[]) => `/${j}/article/view/${a}/${g}`, kinds: ['article', 'galley'] as Kind[] },
  // OJS 3 download links may carry the submission file id as a third segment.
  { pattern: /^\/([a-z0-9][a-z0-9-]*)\/article\/download\/([^/]+)\/([^/]+)(?:\/[^/]+)?$/, target: (j: string, [a, g]: number[]) => `/${j}/article/download/${a}/${g}`, kinds: ['article', 'galley'] as Kind[] },
  // OJS's issue galley viewer: Revista sends the galley itself; not one of the issue's galleys, the issue.
  { pattern: /^\/([a-z0-9][a-z0-9-]*)\/issue\/view\/([^/]+)\/([^/]+)$/, target: (j: string, [i, g]: number[]) => `/${j}/issue/download/${i}/${g}`, kinds: ['issue', 'issue_galley'] as Kind[] },
  { pattern: /^\/([a-z0-9][a-z0-9-]*)\/issue\/view\/([^/]+)(?:\/[^/]+)?$/, target: (j: string, [i]: number[]) => `/${j}/issue/view/${i}`, kinds: ['issue'] as Kind[] },
  // An issue galley (the whole issue's PDF); OJS may add the file id as a third segment. One that was
  // not imported leads to its issue, whose page lists what the issue has.
  { pattern: /^\/([a-z0-9][a-z0-9-]*)\/issue\/download\/([^/]+)\/([^/]+)(?:\/[^/]+)?$/, target: (j: string, [i, g]: number[]) => `/${j}/issue/download/${i}/${g}`, kinds: ['issue', 'issue_galley'] as Kind[] },
  { pattern: /^\/([a-z0-9][a-z0-9-]*)\/issue\/download\/([^/]+)\/([^/]+)(?:\/[^/]+)?$/, target: (j: string, [i]: number[]) => `/${j}/issue/view/${i}`, kinds: ['issue'] as Kind[] },
];

/**
 * Where an OJS address now lives: an OJS page Revista has under another address (`ojsAlias`), or an
 * imported object under an id or path Revista does not use for it (undefined otherwise: the address
 * is Revista's own, or unknown). Asked for every GET that would be a 404.
 */
export async function ojsLegacyTarget(db: Kysely<Database>, url: string): Promise<string | undefined> {
  const alias = ojsAlias(url);
  if (alias) return alias;
  const parsed = requestUrl(url);
  const path = parsed.pathname.replace(/\/+$/, '');
  for (const legacy of LEGACY) {
    const match = legacy.pattern.exec(path);
    if (!match) continue;
    const journal = await db.selectFrom('journals').select('id').where('path', '=', match[1]!).executeTakeFirst();
    if (!journal) return undefined;
    const ids: number[] = [];
    for (const [index, kind] of legacy.kinds.entries()) {
      const id = await resolve(db, journal.id, kind, decodeURIComponent(match[index + 2]!));
      if (id === undefined) break;
      ids.push(id);
    }
    // Something the address names is not there: a later, wider pattern may still answer.
    if (ids.length < legacy.kinds.length) continue;
    const target = legacy.target(match[1]!, ids);
    return target === path ? undefined : `${target}${parsed.search}`;
  }
  return undefined;
}


/**
 * OJS addresses, and — given the file store — the journal manager's import/export page
 * (`/{journal}/management/ojs`).
 */
export async function ojsCompatibilityPlugin(app: FastifyInstance, options: { db: Kysely<Database>; files?: FileStore }): Promise<void> {
  // Loaded only by the server: the page pulls in the management frame, which commands need not load.
  if (options.files) await app.register((await import('./web.ts')).ojsManagementRoutes, { db: options.db, files: options.files });
  const redirect = async (request: { url: string }, reply: { redirect: (url: string, code: number) => unknown }) => {
    const target = withoutIndexPhp(request.url);
    return reply.redirect(target ?? '/', 301);
  };
  app.get('/index.php', redirect);
  app.get('/index.php/*', redirect);
  // OJS addresses Revista has no page of its own for: always answered with where the thing is now.
  const legacy = async (request: FastifyRequest, reply: FastifyReply) => {
    const target = await ojsLegacyTarget(options.db, request.url);
    if (!target) return reply.callNotFound();
    return reply.redirect(target, 301);
  };
  // (`/:journal/article/view/:id/:galleyId` is the reader's galley viewer; its 404s come here through the page frame.)
  app.get('/:journal/article/download/:id/:galleyId/:fileId', legacy);
  app.get('/:journal/issue/view/:id/:galleyId', legacy);
}
