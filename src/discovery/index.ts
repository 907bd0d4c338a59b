import type { FastifyInstance } from 'fastify';
import type { DiscoveryDeps } from './deps.ts';
import { feedRoutes } from './feeds.ts';
import { oaiRoutes } from './oai/index.ts';
export { forgetJournalOaiRecords } from './oai/repository.ts';
import { sitemapRoutes } from './sitemaps.ts';

export type { DiscoveryDeps } from './deps.ts';
export type { RecordInput } from './record.ts';
// Search is part of discovery; its plugin and indexer are reached through this face too.
export * from './search/index.ts';
export { ArticleHead, highwireTags, dublinCoreTags, scholarlyArticleJsonLd, jsonForScript } from './head.tsx';

/**
 * How indexers find and describe the catalog: OAI-PMH, sitemaps and robots.txt, web feeds. The
 * article page's head tags (Highwire, Dublin Core, JSON-LD, OpenGraph) come from head.tsx.
 */
export async function discoveryPlugin(app: FastifyInstance, deps: DiscoveryDeps): Promise<void> {
  oaiRoutes(app, deps);
  sitemapRoutes(app, deps);
  feedRoutes(app, deps);
}
export { jatsArticle, marcxmlRecord, dublinCoreRecord } from './formats/index.ts';
export { escapeXml } from './xml.ts';
export { jatsBlocksXml, jatsInlineXml, richSlots, type RichSlots } from './rich-xml.ts';
export { articleUrl, galleyUrl, noticeRelations, issueUrl, inArticleLanguage, localesOf, ISO_639_2B, xmlSafe, invertedName, pageRange, issn, orcidUrl, rorUrl, xmlText, xmlLine } from './record.ts';
