export { Layout, Breadcrumbs, langIf, type Crumb } from './layout.tsx';
export { NotFoundPage, ErrorPage } from './pages.tsx';
export { pageContext, localeSwitchHref, type PageContext } from './context.ts';
export { assetsPlugin, STYLESHEET_HREF } from './assets.ts';
export { trustedHtml, SafeHtml, type Child } from '#jsx/jsx-runtime';
