import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { listJournals, listSections, type JournalSummary } from '../../catalog/index.ts';
import type { Database } from '../../db/index.ts';
import { NotFoundError, parseId } from '../../platform/http/index.ts';
import { JOURNAL_PATH, type PageFrame } from '../../platform/web/index.ts';
import { localize } from '../../i18n/index.ts';
import { langIf, type FormErrors, type PageContext } from '../../ui/index.ts';
import { articlesByAuthor, articlesByKeyword, articlesBySection, ARTICLES_PAGE_SIZE, BROWSE_PAGE_SIZE, listAuthors, listKeywords, sectionCounts, type Paged } from './browse.ts';
import { loadListedArticles } from './listing.ts';
import { cleanText, normaliseQuery, parseQuery } from './query.ts';
import { MAX_PAGE, searchArticles, type SearchFilters } from './search.ts';
import type { ListedArticle } from './views/article-list.tsx';
import { ArticlesPage, AuthorsPage, KeywordsPage, SectionsPage } from './views/browse-pages.tsx';
import { SearchPage, type SearchForm, type SearchOutcome, type SearchScope } from './views/search-page.tsx';

export interface SearchRouteDeps {
  db: Kysely<Database>;
  /** The page frame (platform/web): site and journal, the page cache. */
  frame: PageFrame<JournalSummary>;
}

const journalParams = Type.Object({ journal: Type.String({ pattern: JOURNAL_PATH }) });
const RESULTS_PAGE_SIZE = 10;

/** A small positive page number from a query parameter; anything else is page 1. */
export function pageNumber(value: string | null, max = MAX_PAGE): number {
  if (!value || !/^[0-9]{1,6}$/.test(value)) return 1;
  return Math.min(Math.max(1, Number(value)), max);
}

function field(query: URLSearchParams, name: string, max = 256): string {
  return normaliseQuery(query.get(name) ?? '').slice(0, max);
}

function validDate(value: string): boolean {
  // No year 0000: PostgreSQL's dates have none, and refuse it.
  if (!/^(?!0000)\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** The search form as submitted: what to show back, what to filter by, and what was wrong. */
export function readSearchForm(ctx: PageContext, query: URLSearchParams, scope: SearchScope): { form: SearchForm; filters: SearchFilters; errors: FormErrors } {
  const form: SearchForm = {
    query: field(query, 'query'),
    dateFrom: cleanText(query.get('dateFrom') ?? '').trim().slice(0, 32),
    dateTo: cleanText(query.get('dateTo') ?? '').trim().slice(0, 32),
    authors: field(query, 'authors'),
    section: field(query, 'section', 12),
    journal: field(query, 'journal', 64),
    sort: query.get('sort') === 'newest' ? 'newest' : 'relevance',
  };
  const errors: FormErrors = {};
  const filters: SearchFilters = {};
  for (const name of ['dateFrom', 'dateTo'] as const) {
    if (form[name] === '') continue;
    if (validDate(form[name])) filters[name === 'dateFrom' ? 'from' : 'to'] = form[name];
    else errors[name] = ctx.t('search.dateInvalid');
  }
  if (filters.from && filters.to && filters.from > filters.to) {
    errors.dateFrom = ctx.t('search.dateOrder');
    delete filters.from;
    delete filters.to;
  }
  if (form.authors) filters.author = form.authors;
  if (scope.kind === 'journal' && /^[0-9]{1,9}$/.test(form.section) && scope.sections.some((s) => String(s.id) === form.section)) filters.sectionId = Number(form.section);
  return { form, filters, errors };
}

function listed(ids: number[], found: Map<number, ListedArticle['article']>, extra: (id: number) => Partial<ListedArticle> = () => ({})): ListedArticle[] {
  return ids.flatMap((id) => {
    const article = found.get(id);
    return article ? [{ article, ...extra(id) }] : [];
  });
}

/** Search pages (journal and site-wide) and the journal's browse lists. */
export function searchRoutes(plain: FastifyInstance, deps: SearchRouteDeps): void {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = deps;
  const { frame } = deps;
  const page = frame.publicPages({ maxEntries: 500 }).send;
  const journalOr404 = frame.journalOr404;

  async function searchPage(ctx: PageContext, scope: SearchScope, journalId: number | undefined, journalsByPath?: Map<string, number>): Promise<string> {
    const { form, filters, errors } = readSearchForm(ctx, ctx.query, scope);
    if (journalId !== undefined) filters.journalId = journalId;
    else if (form.journal && journalsByPath?.has(form.journal)) filters.journalId = journalsByPath.get(form.journal)!;
    let outcome: SearchOutcome = { state: 'empty' };
    if (form.query !== '') {
      const currentPage = pageNumber(ctx.query.get('searchPage'));
      const result = await searchArticles(db, { query: parseQuery(form.query), filters, sort: form.sort, page: currentPage, pageSize: RESULTS_PAGE_SIZE, locale: ctx.locale });
      if (!result.searchable) outcome = { state: 'unsearchable' };
      else {
        const found = await loadListedArticles(db, result.hits.map((h) => h.articleId));
        const hits = new Map(result.hits.map((h) => [h.articleId, h]));
        const entries = listed(result.hits.map((h) => h.articleId), found, (id) => {
          const hit = hits.get(id);
          return { showJournal: journalId === undefined, snippet: hit?.snippet ? { text: hit.snippet, locale: hit.snippetLocale ?? ctx.locale } : null };
        });
        outcome = { state: 'results', total: result.total, approximate: result.approximate, page: currentPage, pages: Math.min(MAX_PAGE, Math.max(1, Math.ceil(result.total / RESULTS_PAGE_SIZE))), pageSize: RESULTS_PAGE_SIZE, entries };
      }
    }
    return String(SearchPage({ ctx, form, scope, errors, outcome }));
  }

  // OJS: /{journal}/search shows the form, /{journal}/search/search the results; both do both here.
  for (const url of ['/:journal/search', '/:journal/search/search']) {
    app.get(url, { schema: { params: journalParams } }, async (request, reply) => {
      const journal = await journalOr404(request.params.journal);
      const ctx = await frame.context(request, reply, journal);
      return page(request, reply, ctx, async () => {
        const sections = (await listSections(db, journal.id)).map((s) => ({ id: s.id, title: localize(s.title, ctx.locale, journal.primaryLocale)?.text ?? String(s.id) }));
        return searchPage(ctx, { kind: 'journal', path: journal.path, sections }, journal.id);
      });
    });
  }

  app.get('/search', async (request, reply) => {
    const ctx = await frame.context(request, reply);
    return page(request, reply, ctx, async () => {
      const all = await listJournals(db);
      const scope: SearchScope = { kind: 'site', journals: all.map((j) => ({ path: j.path, name: localize(j.name, ctx.locale, j.primaryLocale)?.text ?? j.path })) };
      return searchPage(ctx, scope, undefined, new Map(all.map((j) => [j.path, j.id])));
    });
  });

  /** A browse list of articles (by author, keyword, section), or null (404) past its last page. */
  async function articlesPage(ctx: PageContext, journal: JournalSummary, title: string, parent: { label: string; href: string }, load: (page: number) => Promise<Paged<number>>): Promise<string | null> {
    const current = pageNumber(ctx.query.get('page'), 10_000);
    const { items, total } = await load(current);
    const pages = Math.max(1, Math.ceil(total / ARTICLES_PAGE_SIZE));
    if (current > pages) return null;
    const entries = listed(items, await loadListedArticles(db, items));
    return String(ArticlesPage({ ctx, journalPath: journal.path, title, parent, entries, total, page: current, pages, pageSize: ARTICLES_PAGE_SIZE }));
  }

  app.get('/:journal/search/authors', { schema: { params: journalParams } }, async (request, reply) => {
    const journal = await journalOr404(request.params.journal);
    const ctx = await frame.context(request, reply, journal);
    return page(request, reply, ctx, async () => {
      const current = pageNumber(ctx.query.get('page'), 10_000);
      const { items, total } = await listAuthors(db, journal.id, current);
      const pages = Math.max(1, Math.ceil(total / BROWSE_PAGE_SIZE));
      if (current > pages) return null;
      return String(AuthorsPage({ ctx, journalPath: journal.path, authors: items, page: current, pages }));
    });
  });

  app.get('/:journal/search/authors/view', { schema: { params: journalParams } }, async (request, reply) => {
    const journal = await journalOr404(request.params.journal);
    const ctx = await frame.context(request, reply, journal);
    const name = { givenName: field(ctx.query, 'givenName'), familyName: field(ctx.query, 'familyName') };
    if (!name.givenName && !name.familyName) throw new NotFoundError('no author named');
    const display = [name.givenName, name.familyName].filter(Boolean).join(' ');
    const parent = { label: ctx.t('search.authorsTitle'), href: `/${journal.path}/search/authors` };
    return page(request, reply, ctx, async () => articlesPage(ctx, journal, ctx.t('search.authorArticles', { name: display }), parent, (n) => articlesByAuthor(db, journal.id, name, n)));
  });

  app.get('/:journal/search/keywords', { schema: { params: journalParams } }, async (request, reply) => {
    const journal = await journalOr404(request.params.journal);
    const ctx = await frame.context(request, reply, journal);
    return page(request, reply, ctx, async () => {
      const current = pageNumber(ctx.query.get('page'), 10_000);
      const { items, total } = await listKeywords(db, journal.id, current);
      const pages = Math.max(1, Math.ceil(total / BROWSE_PAGE_SIZE));
      if (current > pages) return null;
      return String(KeywordsPage({ ctx, journalPath: journal.path, keywords: items, page: current, pages }));
    });
  });

  app.get('/:journal/search/keywords/view', { schema: { params: journalParams } }, async (request, reply) => {
    const journal = await journalOr404(request.params.journal);
    const ctx = await frame.context(request, reply, journal);
    const keyword = field(ctx.query, 'keyword');
    if (!keyword) throw new NotFoundError('no keyword named');
    const parent = { label: ctx.t('search.keywordsTitle'), href: `/${journal.path}/search/keywords` };
    return page(request, reply, ctx, async () => articlesPage(ctx, journal, ctx.t('search.keywordArticles', { keyword }), parent, (n) => articlesByKeyword(db, journal.id, keyword, n)));
  });

  app.get('/:journal/search/sections', { schema: { params: journalParams } }, async (request, reply) => {
    const journal = await journalOr404(request.params.journal);
    const ctx = await frame.context(request, reply, journal);
    return page(request, reply, ctx, async () => {
      const [sections, counts] = await Promise.all([listSections(db, journal.id), sectionCounts(db, journal.id)]);
      const shown = sections
        .filter((s) => (counts.get(s.id) ?? 0) > 0)
        .map((s) => {
          const title = localize(s.title, ctx.locale, journal.primaryLocale);
          return { id: s.id, title: title?.text ?? String(s.id), lang: langIf(ctx, title?.locale), articles: counts.get(s.id) ?? 0 };
        });
      return String(SectionsPage({ ctx, journalPath: journal.path, sections: shown }));
    });
  });

  app.get('/:journal/section/view/:id', { schema: { params: Type.Object({ journal: Type.String({ pattern: JOURNAL_PATH }), id: Type.String() }) } }, async (request, reply) => {
    const params = request.params;
    const journal = await journalOr404(params.journal);
    const sectionId = parseId(params.id);
    const ctx = await frame.context(request, reply, journal);
    return page(request, reply, ctx, async () => {
      const section = (await listSections(db, journal.id)).find((s) => s.id === sectionId);
      if (!section) return null;
      const title = localize(section.title, ctx.locale, journal.primaryLocale)?.text ?? String(section.id);
      const parent = { label: ctx.t('search.sectionsTitle'), href: `/${journal.path}/search/sections` };
      return articlesPage(ctx, journal, ctx.t('search.sectionArticles', { section: title }), parent, (n) => articlesBySection(db, journal.id, sectionId, n));
    });
  });
}
