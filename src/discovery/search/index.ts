import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { ContentChanges, JournalSummary } from '../../catalog/index.ts';
import type { Database } from '../../db/index.ts';
import type { PageFrame } from '../../platform/web/index.ts';
import type { FileStore } from '../../storage/index.ts';
import type { PageContext, SafeHtml } from '../../ui/index.ts';
import { startIndexer } from './indexer.ts';
import { loadListedArticles } from './listing.ts';
import { pageNumber, searchRoutes } from './routes.ts';
import { similarArticles, SIMILAR_MAX_PAGES, SIMILAR_PAGE_SIZE } from './similar.ts';
import { SimilarArticles } from './views/article-list.tsx';

export { indexPending, queueAll, refreshArticles, startIndexer, type IndexerOptions, type RunningIndexer } from './indexer.ts';
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
  /** False: no background indexer in this process (tests that index by hand, tools). */
  indexer?: boolean;
}

/**
 * Search and discovery for readers: full-text search of a journal (/{journal}/search/search, as in
 * OJS) and of the site (/search), browsing by author, keyword and section, and the article page's
 * similar articles. The index is kept current by an in-process background indexer fed by catalog
 * triggers (indexer.ts).
 */
export async function searchPlugin(app: FastifyInstance, deps: SearchDeps): Promise<void> {
  if (deps.indexer !== false) {
    const indexer = startIndexer(deps.db, deps.changes, { files: deps.files, log: app.log });
    app.addHook('onClose', async () => indexer.stop());
  }
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
