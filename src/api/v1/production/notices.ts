import { findCurrentIssue, listSections, NoticeError, noticeTargets, publishNotice, type Db } from '../../../catalog/index.ts';
import type { LocalizedText, NoticeKind } from '../../../db/index.ts';
import { FieldsError, HttpError } from '../../../platform/http/index.ts';
import { isUiLocale, translator } from '../../../i18n/index.ts';
import { richToPlainLine } from '../../../ui/index.ts';
import { callerCan } from '../../auth.ts';
import { localizedInput } from '../common.ts';
import type { ApiDeps, ApiRoutes } from '../deps.ts';
import { publishedArticleFor } from './version-access.ts';
import { NewNotice, Notice, NoticeParams } from './versions-schema.ts';

const tags = ['versions'];
const csrf = { csrf: false } as const;

/** A section whose name says it holds notices, else the article's (as the management form chooses). */
async function noticeSection(db: Db, journalId: number, fallback: number): Promise<number> {
  const sections = await listSections(db, journalId);
  const named = sections.find((s) => Object.values(s.title).some((t) => /correct|errat|retract|notice|concern|sprostowa|wycofa|korekt/i.test(t)));
  return named?.id ?? fallback;
}

function titlesFor(kind: NoticeKind, title: LocalizedText): LocalizedText {
  const out: LocalizedText = {};
  for (const [locale, text] of Object.entries(title)) {
    const ui = locale.slice(0, 2);
    if (isUiLocale(ui) && richToPlainLine(text) !== '') out[locale] = translator(ui)(`notices.titlePrefix.${kind}`, { title: richToPlainLine(text) });
  }
  return out;
}

/**
 * Corrections, retractions and expressions of concern (COPE) through the API: `POST
 * /submissions/{id}/notices` publishes the notice now as its own article (DOI from the journal's
 * pattern), linked to the article it updates, as the management page does.
 */
export function noticeRoutes(routes: ApiRoutes, deps: ApiDeps): void {
  const { db, baseUrl, clock } = deps;
  routes.post(
    '/:journal/api/v1/submissions/:submissionId/notices',
    {
      config: csrf,
      schema: {
        summary: 'Publish a correction, retraction or expression of concern',
        description: 'About a published article: the notice is published now as its own article (with a DOI when the journal has a prefix), in the given section (default: a section named for notices, else the article’s). The article shows the notice; its Crossref record carries Crossmark’s update relation once the journal has a Crossmark policy DOI.',
        tags,
        operationId: 'publishNotice',
        tokenRequired: true,
        params: NoticeParams,
        body: NewNotice,
        response: { 201: Notice, 409: { description: 'The article is not published, or is itself a notice.' } },
      },
    },
    async (request, reply) => {
      const { journal, article } = await publishedArticleFor(deps, request, request.params.journal, request.params.submissionId);
      if (article.readerVersion.status !== 'published') throw new HttpError(409, 'the article is not published');
      if ((await noticeTargets(db, [article.articleId])).has(article.articleId)) throw new HttpError(409, 'the article is itself a notice');
      const text = localizedInput('text', request.body.text, journal.supportedLocales, { required: true });
      const title = localizedInput('title', request.body.title, journal.supportedLocales);
      const problems = [...text.errors, ...title.errors];
      let sectionId = request.body.sectionId;
      if (sectionId !== undefined) {
        const sections = await listSections(db, journal.id);
        if (!sections.some((s) => s.id === sectionId)) problems.push({ in: 'body', pointer: '/sectionId', detail: `the journal has no section ${sectionId}` });
        else if (!callerCan(request, 'section.articles', { kind: 'section', journalId: journal.id, sectionId })) problems.push({ in: 'body', pointer: '/sectionId', detail: 'you cannot publish in this section' });
      }
      if (problems.length > 0) throw new FieldsError(problems);
      sectionId ??= await noticeSection(db, journal.id, article.readerVersion.section_id);
      const issue = request.body.intoCurrentIssue ? await findCurrentIssue(db, journal.id) : undefined;
      const noticeTitle = Object.keys(title.value).length > 0 ? title.value : titlesFor(request.body.kind, article.readerVersion.title);
      const published = await publishNotice(db, {
        journalId: journal.id,
        articleId: article.articleId,
        kind: request.body.kind,
        sectionId,
        issueId: issue?.id ?? null,
        locale: article.readerVersion.locale,
        title: noticeTitle,
        text: text.value,
        datePublished: clock.now().toISOString().slice(0, 10),
        userId: request.apiCaller?.principal?.userId ?? null,
      }).catch((error: unknown) => {
        if (error instanceof NoticeError) throw new HttpError(409, error.reason);
        throw error;
      });
      request.log.info({ articleId: article.articleId, noticeArticleId: published.noticeArticleId, tokenId: request.apiCaller?.tokenId }, 'notice published through the API');
      return reply.code(201).send({
        id: published.noticeArticleId,
        submissionId: article.articleId,
        kind: request.body.kind,
        publicationId: published.publicationId,
        doi: published.doi,
        title: noticeTitle,
        url: `${baseUrl}/${journal.path}/article/view/${published.noticeArticleId}`,
      });
    },
  );
}
