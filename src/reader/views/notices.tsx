import type { SafeHtml } from '#jsx/jsx-runtime';
import type { ArticleDetail } from '../../catalog/index.ts';
import { formatLongDate, localize } from '../../i18n/index.ts';
import { langIf, RichTitle, type PageContext } from '../../ui/index.ts';

/**
 * What a correction, retraction or expression of concern tells the reader (COPE): on the article it
 * updates (every version of it), a banner near the title naming the notice, its date and a link; on
 * the notice, the article it updates. The article keeps its own title.
 */
export function NoticeBanners({ ctx, journalPath, article }: { ctx: PageContext; journalPath: string; article: ArticleDetail }): SafeHtml {
  const notices = article.notices ?? [];
  const updates = article.updates;
  return (
    <>
      {notices.map((notice) => {
        const title = localize(notice.title, ctx.locale, article.locale);
        return (
          <div class={`notice notice--warning article-notice article-notice--${notice.kind}`} role="note">
            <p>
              <strong>{ctx.t(`notices.banner.${notice.kind}`)}</strong>{' '}
              {notice.datePublished ? ctx.t(`notices.bannerText.${notice.kind}`, { date: formatLongDate(ctx.locale, notice.datePublished) }) : null}{' '}
              <a href={`/${journalPath}/article/view/${notice.articleId}`}>
                {ctx.t('notices.readNotice')} 
                <span lang={langIf(ctx, title?.locale)}>
                  <RichTitle text={title?.text ?? ''} />
                </span>
              </a>
            </p>
          </div>
        );
      })}
      {updates ? (
        <div class="notice article-notice article-notice--updates" role="note">
          <p>
            {ctx.t(`notices.updates.${updates.kind}`)}{' '}
            <a href={`/${journalPath}/article/view/${updates.articleId}`}>
              <span lang={langIf(ctx, localize(updates.title, ctx.locale, article.locale)?.locale)}>
                <RichTitle text={localize(updates.title, ctx.locale, article.locale)?.text ?? ''} />
              </span>
            </a>
          </p>
        </div>
      ) : null}
    </>
  );
}
