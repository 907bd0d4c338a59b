import type { Static } from '../../../platform/http/index.ts';
import type { FastifyRequest } from 'fastify';
import type { Publication } from '../../../db/index.ts';
import { createDraftVersion, discardDraftVersion, findArticleForEditing, findDraftVersion, publishDraftVersion, VersionError } from '../../../catalog/index.ts';
import { HttpError, NotFoundError } from '../../../platform/http/index.ts';
import type { ApiDeps, ApiRoutes } from '../deps.ts';
import { publishedArticleFor } from './version-access.ts';
import { VersionParams, VersionSummary } from './versions-schema.ts';

const tags = ['versions'];
const csrf = { csrf: false } as const;
const refusal = { description: 'Refused in this state: the reason says why.' };

function presenter(baseUrl: string) {
  return (journalPath: string, p: Publication, currentId: number): Static<typeof VersionSummary> => ({
    id: p.id,
    submissionId: p.article_id,
    version: p.version,
    status: p.status === 'published' ? ('published' as const) : ('queued' as const),
    isCurrent: p.id === currentId,
    datePublished: p.date_published,
    doi: p.doi,
    title: p.title,
    _href: `${baseUrl}/${journalPath}/api/v1/submissions/${p.article_id}/publications/${p.id}`,
  });
}

function refused(error: unknown): never {
  if (error instanceof VersionError) throw new HttpError(409, { 'not-published': 'the article is not published: change it in place', 'draft-exists': 'the article has a draft version already: edit or publish it', 'no-draft': 'this publication is not the article’s draft version' }[error.reason]);
  throw error;
}

/**
 * OJS publishes every version at one address, `PUT …/publications/{id}/publish` (publishing.ts owns
 * the route): when the publication is a published article's draft version, this publishes it — it
 * becomes the version readers see, dated today, with the article's DOI, earlier versions staying
 * readable — and answers the version; otherwise undefined, and the workflow's publish goes on.
 */
export async function publishDraftVersionIfAsked(deps: ApiDeps, request: FastifyRequest, params: { journal: string; submissionId: number; publicationId: number }): Promise<Static<typeof VersionSummary> | undefined> {
  const published = await deps.db
    .selectFrom('articles as a')
    .leftJoin('submissions as s', 's.id', 'a.id')
    .select(['a.id', 's.id as submission'])
    .where('a.id', '=', params.submissionId)
    .where('a.status', '=', 'published')
    .executeTakeFirst();
  if (!published) return undefined;
  const draft = await findDraftVersion(deps.db, params.submissionId);
  // A submission's other versions are the workflow's to answer (already published: 409 with its code).
  if (draft?.id !== params.publicationId && published.submission !== null) return undefined;
  // An article outside the workflow: only its draft version is published here, any other is refused (409).
  const { journal, article } = await publishedArticleFor(deps, request, params.journal, params.submissionId);
  if (draft?.id !== params.publicationId) refused(new VersionError('no-draft'));
  await publishDraftVersion(deps.db, article.articleId, params.publicationId, deps.clock.now().toISOString().slice(0, 10)).catch(refused);
  request.log.info({ articleId: article.articleId, publicationId: params.publicationId, tokenId: request.apiCaller?.tokenId }, 'version published through the API');
  const now = (await findArticleForEditing(deps.db, journal.id, article.articleId))!;
  return presenter(deps.baseUrl)(journal.path, now.readerVersion, now.readerVersion.id);
}

/**
 * Versions of a published article, the OJS 3.2+ way and at OJS's addresses: `POST …/version` makes a
 * draft version (a copy of the current one, not published, readers do not see it), edited like any
 * version; `PUT …/publish` publishes it (current, dated today, the article's DOI; the Crossref deposit
 * is queued); `DELETE …/publications/{id}` throws a draft away.
 */
export function versionRoutes(routes: ApiRoutes, deps: ApiDeps): void {
  const { db, baseUrl, clock } = deps;
  const present = presenter(baseUrl);

  routes.post(
    '/:journal/api/v1/submissions/:submissionId/publications/:publicationId/version',
    {
      config: csrf,
      schema: {
        summary: 'Create a new version',
        description: 'Of a published article, from its current version (`publicationId`): a draft copy, with contributors, references and galleys, which readers do not see until it is published. One draft at a time.',
        tags,
        operationId: 'versionPublication',
        tokenRequired: true,
        params: VersionParams,
        response: { 200: VersionSummary, 409: refusal },
      },
    },
    async (request) => {
      const { journal, article } = await publishedArticleFor(deps, request, request.params.journal, request.params.submissionId);
      if (request.params.publicationId !== article.readerVersion.id) throw new HttpError(409, `a new version is made from the current one (${article.readerVersion.id})`);
      const made = await createDraftVersion(db, article.articleId).catch(refused);
      request.log.info({ articleId: article.articleId, publicationId: made.publicationId, tokenId: request.apiCaller?.tokenId }, 'draft version made through the API');
      const draft = (await findDraftVersion(db, article.articleId))!;
      return present(journal.path, draft, article.readerVersion.id);
    },
  );

  routes.delete(
    '/:journal/api/v1/submissions/:submissionId/publications/:publicationId',
    {
      config: csrf,
      schema: {
        summary: 'Delete a draft version',
        description: 'Only a draft version of a published article; the published versions stay. The answer is the deleted version, as OJS answers.',
        tags,
        operationId: 'deletePublication',
        tokenRequired: true,
        params: VersionParams,
        response: { 200: VersionSummary, 409: refusal },
      },
    },
    async (request) => {
      const { journal, article } = await publishedArticleFor(deps, request, request.params.journal, request.params.submissionId);
      if (!article.versions.some((v) => v.id === request.params.publicationId)) throw new NotFoundError(`no version ${request.params.publicationId} of article ${article.articleId}`);
      const draft = await findDraftVersion(db, article.articleId);
      await discardDraftVersion(db, article.articleId, request.params.publicationId).catch(refused);
      return present(journal.path, draft!, article.readerVersion.id);
    },
  );
}
