import type { SafeHtml } from '#jsx/jsx-runtime';
import type { GalleyView } from '../../catalog/index.ts';
import { isHttpUrl, type PageContext } from '../../ui/index.ts';
import { formatFileSize } from '../../platform/web/index.ts';

const IN_PAGE_TYPES = new Set(['application/pdf', 'text/html', 'application/xhtml+xml']);
const viewedInPage = (mimeType: string | null) => mimeType !== null && IN_PAGE_TYPES.has(mimeType.split(';')[0]!.trim().toLowerCase());

/** Links to an article's galleys (PDF, HTML, …); a remote galley says that it leaves the site. */
export function GalleyLinks({ ctx, journalPath, articleId, galleys: all, titleText }: { ctx: PageContext; journalPath: string; articleId: number; galleys: GalleyView[]; titleText: string }): SafeHtml {
  // A remote galley whose address is not http(s) leads nowhere a reader should go: it is not listed.
  const galleys = all.filter((galley) => !galley.remoteUrl || isHttpUrl(galley.remoteUrl));
  if (galleys.length === 0) return <></>;
  return (
    <ul class="galleys">
      {galleys.map((galley) => {
        const download = `/${journalPath}/article/download/${articleId}/${galley.id}`;
        const label = galley.remoteUrl ? ctx.t('galley.remote', { label: galley.label }) : galley.label;
        const size = galley.sizeBytes !== null && !galley.remoteUrl ? ` (${formatFileSize(galley.sizeBytes, ctx.locale)})` : '';
        // A PDF or HTML galley opens in the page (the galley viewer, as OJS); its download stays one click beside it.
        if (!galley.remoteUrl && viewedInPage(galley.mimeType)) {
          return (
            <li>
              <a class="galley-link" href={`/${journalPath}/article/view/${articleId}/${galley.id}`} hreflang={galley.locale} aria-label={`${label}: ${titleText}`}>
                {label}
              </a>{' '}
              <a class="galley-download" href={download} hreflang={galley.locale} type={galley.mimeType ?? undefined} aria-label={`${ctx.t('galleyView.download', { label })}${size}: ${titleText}`}>
                {ctx.t('galleyView.download', { label })}
                {size}
              </a>
            </li>
          );
        }
        return (
          <li>
            <a class="galley-link" href={galley.remoteUrl ?? download} hreflang={galley.locale} type={galley.mimeType ?? undefined} aria-label={`${label}${size}: ${titleText}`}>
              {label}
              {size}
            </a>
          </li>
        );
      })}
    </ul>
  );
}

/** Links to an issue's own galleys (the whole issue as one PDF…), served as article galleys are. */
export function IssueGalleyLinks({ ctx, journalPath, issueId, galleys, issueText }: { ctx: PageContext; journalPath: string; issueId: number; galleys: GalleyView[]; issueText: string }): SafeHtml {
  if (galleys.length === 0) return <></>;
  return (
    <section class="issue-galleys" aria-labelledby="issue-galleys-heading">
      <h2 id="issue-galleys-heading">{ctx.t('issue.galleys')}</h2>
      <ul class="galleys">
        {galleys.map((galley) => {
          const size = galley.sizeBytes !== null ? ` (${formatFileSize(galley.sizeBytes, ctx.locale)})` : '';
          return (
            <li>
              <a class="galley-link" href={`/${journalPath}/issue/download/${issueId}/${galley.id}`} hreflang={galley.locale} type={galley.mimeType ?? undefined} aria-label={`${galley.label}${size}: ${issueText}`}>
                {galley.label}
                {size}
              </a>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
