import type { SafeHtml } from '#jsx/jsx-runtime';
import { localize } from '../i18n/index.ts';
import { contributorName, formatFileSize } from '../platform/web/index.ts';
import { Breadcrumbs, Layout, langIf, RichTitle, richToPlainLine, type PageContext } from '../ui/index.ts';
import { GALLEY_HTML_FRAME_SANDBOX, isHtmlGalley } from './galley-html.ts';
import { isPdfGalley } from './galley-serving.ts';
import type { GalleyToView } from './galley-views.ts';
import { remoteGalleyTarget } from './remote-galley.ts';

/*
 * The galley's page, as readers see it (reader/galley-view.ts) and as the team previews it before
 * publication (workflow/web/galley-preview.ts): here, beside the galleys, because the reader imports
 * the workflow and so the workflow cannot import the reader.
 */

/** What the galley's page shows in page: the PDF, the sandboxed HTML, an offer to download, or a link out. */
export type GalleyShown = { kind: 'pdf'; src: string } | { kind: 'html'; src: string } | { kind: 'other' } | { kind: 'remote'; href: string };

/**
 * What the page shows of a galley at the given addresses; undefined for a remote galley whose address
 * is not http(s) (it leads nowhere a reader should go: the page is missing, as its download is).
 */
export function galleyShown(galley: Pick<GalleyToView, 'remoteUrl' | 'file'>, addresses: { inlinePdf: string; html: string }): GalleyShown | undefined {
  if (galley.remoteUrl !== null) {
    const href = remoteGalleyTarget(galley.remoteUrl);
    return href ? { kind: 'remote', href } : undefined;
  }
  if (isPdfGalley(galley)) return { kind: 'pdf', src: addresses.inlinePdf };
  if (isHtmlGalley(galley)) return { kind: 'html', src: addresses.html };
  return { kind: 'other' };
}

export interface GalleyViewData {
  galley: GalleyToView;
  shown: GalleyShown;
  /** The journal's primary language: the last fallback of the title. */
  journalLocale: string;
  journalPath: string;
  /** The article page (or the earlier version's page, or the submission for a preview). */
  backHref: string;
  /** The one-click download; absent for a remote galley. */
  downloadHref?: string;
  /** The team's preview before publication (workflow): says so, and is never indexed. */
  preview?: boolean;
}

/**
 * A galley's page (OJS: /{journal}/article/view/{id}/{galleyId}): the article's title and authors, a
 * way back to the article, the one-click download and the galley itself in the page. Works without
 * JavaScript: the PDF is shown by the browser's own viewer, the HTML in a sandboxed frame, and the
 * download link is always there.
 */
export function GalleyViewPage({ ctx, data }: { ctx: PageContext; data: GalleyViewData }): SafeHtml {
  const { galley, shown } = data;
  const title = localize(galley.title, ctx.locale, galley.publicationLocale, data.journalLocale);
  const titleText = richToPlainLine(title?.text);
  const journalName = ctx.journal?.name ?? '';
  const size = galley.file ? formatFileSize(galley.file.sizeBytes, ctx.locale) : undefined;
  const names = galley.contributors.map((c) => contributorName(c, ctx.locale, galley.publicationLocale)).filter((n) => n !== undefined);
  return (
    <Layout ctx={ctx} title={`${ctx.t('galleyView.title', { label: galley.label, title: titleText })} | ${journalName}`} indexable={galley.current && !data.preview}>
      <Breadcrumbs
        ctx={ctx}
        crumbs={[
          { label: ctx.t('breadcrumb.home'), href: `/${data.journalPath}` },
          { label: titleText, href: data.backHref, lang: langIf(ctx, title?.locale) },
          { label: galley.label },
        ]}
      />
      <article class="galley-page">
        {data.preview ? <p class="notice notice--info">{ctx.t('galleyView.previewNotice')}</p> : null}
        {!galley.current && !data.preview ? <p class="notice notice--warning">{ctx.t('galleyView.olderVersion', { version: galley.version })}</p> : null}
        <h1 lang={langIf(ctx, title?.locale)}>
          <RichTitle text={title?.text ?? ''} />
        </h1>
        {names.length > 0 ? (
          <ul class="contributors contributors--inline" aria-label={ctx.t('article.authors')}>
            {names.map((name) => (
              <li lang={langIf(ctx, name!.locale)}>{name!.text}</li>
            ))}
          </ul>
        ) : null}
        <ul class="galley-page__actions">
          <li>
            <a href={data.backHref}>{data.preview ? ctx.t('galleyView.previewBack') : ctx.t('galleyView.backToArticle')}</a>
          </li>
          {data.downloadHref ? (
            <li>
              <a class="galley-page__download" href={data.downloadHref} type={galley.file?.mimeType} hreflang={galley.locale}>
                {size ? ctx.t('galleyView.downloadSize', { label: galley.label, size }) : ctx.t('galleyView.download', { label: galley.label })}
              </a>
            </li>
          ) : null}
        </ul>
        <Shown ctx={ctx} data={data} titleText={titleText} />
      </article>
    </Layout>
  );
}

function Shown({ ctx, data, titleText }: { ctx: PageContext; data: GalleyViewData; titleText: string }): SafeHtml {
  const { shown, galley } = data;
  switch (shown.kind) {
    case 'pdf':
      // The browser's own PDF viewer in a frame rather than pdf.js: it needs no script on the page
      // (so it works with JavaScript off and under the site's CSP unchanged), it is the viewer the
      // reader already knows, with its search, zoom, print and screen-reader support, and it gives the
      // site no third-party script to keep patched. Where a browser shows no PDFs in a page (some
      // phones), the hint and the download link above remain.
      return (
        <>
          <p class="galley-page__hint">{ctx.t('galleyView.pdfHint')}</p>
          <iframe class="galley-frame galley-frame--pdf" src={shown.src} title={ctx.t('galleyView.pdfFrame', { label: galley.label, title: titleText })} />
        </>
      );
    case 'html':
      // No allow-scripts, no allow-same-origin: the galley's HTML never runs script, nor acts as the site.
      return <iframe class="galley-frame galley-frame--html" sandbox={GALLEY_HTML_FRAME_SANDBOX} src={shown.src} title={ctx.t('galleyView.htmlFrame', { title: titleText })} lang={galley.locale} />;
    case 'other':
      return <p>{ctx.t('galleyView.otherFormat', { type: galley.file?.mimeType ?? '' })}</p>;
    case 'remote':
      return (
        <>
          <p>{ctx.t('galleyView.remote')}</p>
          <p>
            <a href={shown.href} rel="noopener noreferrer" hreflang={galley.locale}>
              {ctx.t('galleyView.remoteLink', { label: galley.label })}
            </a>
          </p>
        </>
      );
  }
}
