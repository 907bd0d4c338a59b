export { Layout, Breadcrumbs, langIf, type Crumb } from './layout.tsx';
export { NotFoundPage, ErrorPage, ForbiddenPage } from './pages.tsx';
export { pageContext, localeSwitchHref, type PageContext, type ViewerMenu, type JournalChrome } from './context.ts';
export * from './forms.tsx';
export { assetsPlugin, STYLESHEET_HREF, UPLOAD_PROGRESS_SCRIPT_HREF } from './assets.ts';
export { trustedHtml, SafeHtml, type Child } from '#jsx/jsx-runtime';
export { sanitizeRichText, sanitizeRichTextPerLocale, sanitizeCss, richTextToPlain, type SanitizedCss } from './sanitize.ts';
export { RichText } from './rich-text.tsx';
export { Pagination } from './pagination.tsx';
