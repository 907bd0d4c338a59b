import type { FastifyRequest } from 'fastify';
import { findArticleForEditing, type ArticleForEditing, type JournalSummary } from '../../../catalog/index.ts';
import { NotFoundError, TokenRequiredError } from '../../../platform/http/index.ts';
import { findSubmission } from '../../../workflow/index.ts';
import { callerCan, requireCallerCan } from '../../auth.ts';
import { journalOf } from '../common.ts';
import type { ApiDeps } from '../deps.ts';

/**
 * Who versions and corrects a published article: on a workflow submission, its deciding editors
 * (`submission.publish`); on an article without one (imported, added directly), whoever edits the
 * journal's articles (`article.edit`, as the management page). Others get a 404 when they cannot
 * read it, a 403 when they can.
 */
export async function publishedArticleFor(deps: ApiDeps, request: FastifyRequest, journalPath: string, articleId: number): Promise<{ journal: JournalSummary; article: ArticleForEditing }> {
  if (!request.apiCaller) throw new TokenRequiredError('missing');
  const journal = await journalOf(deps.db, journalPath);
  const record = await findSubmission(deps.db, journal.id, articleId);
  if (record) {
    if (!callerCan(request, 'submission.read', record.resource)) throw new NotFoundError(`no submission ${articleId}`);
    requireCallerCan(request, 'submission.publish', record.resource);
  }
  const article = await findArticleForEditing(deps.db, journal.id, articleId);
  if (!article) throw new NotFoundError(`no article ${articleId}`);
  if (!record) {
    const resource = { kind: 'article' as const, journalId: journal.id, sectionId: article.readerVersion.section_id, articleId, published: article.readerVersion.status === 'published', assignments: [] };
    if (!callerCan(request, 'journal.articles', { kind: 'journal', journalId: journal.id })) throw new NotFoundError(`no article ${articleId}`);
    requireCallerCan(request, 'article.edit', resource);
  }
  return { journal, article };
}
