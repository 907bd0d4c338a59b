import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { ContentChanges, JournalSummary } from '../../catalog/index.ts';
import type { Database } from '../../db/index.ts';
import type { PageFrame } from '../../platform/web/index.ts';
import type { FileStore } from '../../storage/index.ts';
import type { PageContext, SafeHtml } from '../../ui/index.ts';
import { loadListedArticles } from './listing.ts';
import { pageNumber, searchRoutes } from './routes.ts';
import { similarArticles, SIMILAR_MAX_PAGES, SIMILAR_PAGE_SIZE } from './similar.ts';
import { SimilarArticles } from './views/article-list.tsx';

export { indexPending, queueAll, refreshArticles, type IndexerOptions } from './indexer.ts';
export { searchJobs, searchSchedules, SEARCH_INDEX_JOB } from './jobs.ts';
export { searchArticles, snippetParts, type SearchRequest, type SearchResult, type SearchHit, type SearchFilters, type SearchSort } from './search.ts';
export { parseQuery, normaliseQuery, formatQuery, hasSearchTerms, type ParsedQuery } from './query.ts';
export { similarArticles, SIMILAR_PAGE_SIZE, type SimilarPage } from './similar.ts';
export { extractText, htmlToText, pdfToText } from './extract.ts';
export { loadListedArticles, type ListedArticleData } from './listing.ts';

export interface SearchDeps {
  db: Kysely<Database>;
  files: FileStore;
  changes: ContentChanges;
  /** The page frame (platform/web): site and journal, the page cache. */
  frame: PageFrame<JournalSummary>;
}

/**
 * Search and discovery for readers: full-text search of a journal (/{journal}/search/search, as in
 * OJS) and of the site (/search), browsing by author, keyword and section, and the article page's
 * similar articles. The index is kept current by the search.index job (jobs.ts), queued by catalog
 * triggers.
 */
export async function searchPlugin(app: FastifyInstance, deps: SearchDeps): Promise<void> {
  // The index is kept by the search.index job (jobs.ts), run by worker processes.
  searchRoutes(app, deps);
}

/** The article page's "Similar articles" block, page `?articlesBySimilarityPage=N`; empty when there are none. */
export async function similarArticlesBlock(db: Kysely<Database>, ctx: PageContext, articleId: number): Promise<SafeHtml> {
  const page = pageNumber(ctx.query.get('articlesBySimilarityPage'), SIMILAR_MAX_PAGES);
  const similar = await similarArticles(db, articleId, page);
  const found = await loadListedArticles(db, similar.articleIds);
  const entries = similar.articleIds.flatMap((id) => {
    const article = found.get(id);
    return article ? [{ article }] : [];
  });
  const pages = Math.max(1, Math.ceil(similar.total / SIMILAR_PAGE_SIZE));
  return SimilarArticles({ ctx, entries, page: Math.min(page, pages), pages, pageSize: SIMILAR_PAGE_SIZE });
}
