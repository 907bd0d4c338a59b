import { requestUrl } from '../../platform/http/index.ts';
import { fromOjsLocale } from './locales.ts';

/**
 * OJS 3.x addresses whose page Revista has under another address. OJS builds every address from
 * `{journal}/{page}/{op}/{args…}` (pages/ handlers: about, information, issue, article, search, user,
 * login, announcement, index, oai, gateway, sitemap, navigationMenu, citationstylelanguage), with
 * `index` as the journal for the site itself, and — without path info — as the query
 * `index.php?journal=…&page=…&op=…&path[]=…`. Harvesters, indexes and old links hold such addresses
 * for years; each gets a permanent redirect to the page that is now the same thing.
 *
 * Pure: no database. Ids of imported objects that changed are `ojsLegacyTarget`'s business.
 */

const JOURNAL = /^[a-z0-9][a-z0-9-]*$/;
const WORD = /^[A-Za-z][A-Za-z0-9]*$/;
const ID = /^[1-9][0-9]{0,8}$/;

/**
 * `?journal=sm&page=article&op=view&path[]=1786` (what `index.php` answers without path info) →
 * `/sm/article/view/1786`, the other parameters kept. Undefined when the query names no journal.
 */
export function fromOjsQuery(search: string): string | undefined {
  const query = new URLSearchParams(search);
  const journal = query.get('journal') ?? query.get('context');
  if (!journal || !JOURNAL.test(journal)) return undefined;
  const page = query.get('page') ?? '';
  const op = query.get('op') ?? '';
  const args = [...query.getAll('path[]'), ...query.getAll('path')];
  for (const name of ['journal', 'context', 'page', 'op', 'path[]', 'path']) query.delete(name);
  if ((page && !WORD.test(page)) || (op && !WORD.test(op))) return undefined;
  const segments = [journal, ...(page ? [page] : []), ...(page && op ? [op] : []), ...(page && op ? args.map(encodeURIComponent) : [])];
  const rest = query.toString();
  return `/${segments.join('/')}${rest ? `?${rest}` : ''}`;
}

type Rule = [RegExp, (match: string[], query: URLSearchParams) => string | undefined];

/** Site-wide pages: OJS's journal `index`. */
const SITE: Rule[] = [
  [/^\/index(?:\/index)?$/, () => '/'],
  [/^\/index\/oai$/, () => '/oai'],
  [/^\/index\/search(?:\/(?:index|search))?$/, () => '/search'],
  [/^\/index\/login$/, () => '/login'],
  [/^\/index\/login\/(lostPassword|resetPassword)$/, ([, op]) => `/login/${op}`],
  [/^\/index\/user(?:\/index)?$/, () => '/user/profile'],
  [/^\/index\/user\/(register|profile)$/, ([, op]) => `/user/${op}`],
  [/^\/index\/sitemap$/, () => '/sitemap.xml'],
  [/^\/index\/about\/privacy$/, () => '/about/privacy'],
];

/** One journal's pages: `/{journal}/…`. */
const JOURNAL_RULES: Rule[] = [
  [/^\/([^/]+)\/index$/, ([, j]) => `/${j}`],
  // OJS's contact page is part of Revista's About page.
  [/^\/([^/]+)\/about\/contact$/, ([, j]) => `/${j}/about#contact`],
  // OJS's page about its own software; in Revista the About page says what runs the journal.
  [/^\/([^/]+)\/about\/aboutThisPublishingSystem$/, ([, j]) => `/${j}/about#publishing-system`],
  [/^\/([^/]+)\/about\/editorialMasthead$/, ([, j]) => `/${j}/about/editorialTeam`],
  // "For readers / authors / librarians": what Revista has for authors is the submissions page; what
  // OJS tells readers and librarians (the journal, its licence, how to harvest it) is on About.
  [/^\/([^/]+)\/information\/authors$/, ([, j]) => `/${j}/about/submissions`],
  [/^\/([^/]+)\/information(?:\/(?:index|readers|librarians))?$/, ([, j]) => `/${j}/about`],
  // IssueHandler::index shows the current issue.
  [/^\/([^/]+)\/issue(?:\/index)?$/, ([, j]) => `/${j}/issue/current`],
  // OJS 2 article addresses, still found in indexes.
  [/^\/([^/]+)\/article\/viewArticle\/([^/]+)$/, ([, j, a]) => `/${j}/article/view/${a}`],
  [/^\/([^/]+)\/article\/(?:viewFile|viewDownloadInterstitial)\/([^/]+)\/([^/]+)$/, ([, j, a, g]) => `/${j}/article/download/${a}/${g}`],
  [/^\/([^/]+)\/search\/index$/, ([, j]) => `/${j}/search`],
  [/^\/([^/]+)\/user(?:\/index)?$/, ([, j]) => `/${j}/user/profile`],
  [/^\/([^/]+)\/navigationMenu\/view\/([a-z0-9][a-z0-9-]*)$/, ([, j, page]) => `/${j}/page/${page}`],
  // The citation in one style, which OJS's article page loads by script: the article's How to Cite.
  [
    /^\/([^/]+)\/citationstylelanguage\/get\/([a-z0-9-]+)$/,
    ([, j, style], query) => {
      const id = query.get('submissionId') ?? '';
      return ID.test(id) ? `/${j}/article/view/${id}?citationStyle=${encodeURIComponent(style!)}#how-to-cite` : undefined;
    },
  ],
];

/** `user/setLocale/{locale}?source=…`: the language switcher's links, in OJS and in indexes of them. */
function setLocale(path: string, query: URLSearchParams): string | undefined {
  const match = /^\/([^/]+)\/user\/setLocale\/([^/]+)$/.exec(path);
  if (!match) return undefined;
  const locale = fromOjsLocale(decodeURIComponent(match[2]!));
  if (!locale) return undefined;
  const home = match[1] === 'index' ? '/' : `/${match[1]}`;
  // Only a path on this site: `//host` or `/\host` would send the reader elsewhere.
  const source = query.get('source') ?? '';
  const back = /^\/(?![/\\])[^\s\\]*$/.test(source) ? requestUrl(source) : requestUrl(home);
  back.searchParams.set('locale', locale);
  return `${back.pathname}${back.search}`;
}

/**
 * Where an OJS address (path and query, without `index.php`) is served in Revista, or undefined when
 * it is not one of the addresses above.
 */
export function ojsAlias(url: string): string | undefined {
  const parsed = requestUrl(url);
  const path = parsed.pathname.replace(/\/+$/, '') || '/';
  const language = setLocale(path, parsed.searchParams);
  if (language) return language;
  for (const [pattern, target] of path.startsWith('/index/') || path === '/index' ? SITE : JOURNAL_RULES) {
    const match = pattern.exec(path);
    if (!match) continue;
    if (match[1] !== undefined && path !== '/index' && !path.startsWith('/index/') && !JOURNAL.test(match[1])) return undefined;
    const found = target(match, parsed.searchParams);
    if (found === undefined) return undefined;
    // The query goes along (OAI verbs, search terms), unless the rule made its own.
    return found.includes('?') || parsed.search === '' ? found : insertQuery(found, parsed.search);
  }
  return undefined;
}

function insertQuery(target: string, search: string): string {
  const hash = target.indexOf('#');
  return hash === -1 ? `${target}${search}` : `${target.slice(0, hash)}${search}${target.slice(hash)}`;
}
