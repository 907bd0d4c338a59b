/**
 * The page frame every capability stands on: the site's and journal's context of a request (language,
 * menus, theme), public pages through the page cache and private pages never cached, form pages,
 * and the management frame. Capabilities import it; it imports no capability.
 */
export { contextForRequest, DEFAULT_SITE, BUILTIN_NAVIGATION_TARGETS, defaultNavigation, navigationHref, pageCacheKey, type SiteInfo, type FrameJournal } from './context.ts';
export { issueLabel, issueNumbering, contributorName, linkifyReference, referenceLinks, formatFileSize, type IssueLabel, type ReferencePart } from './format.ts';
export { createPageCache, type PageCache, type ChangeGenerations } from './page-cache.ts';
export { markPrivate, QueryParameter, firstValue, loadSite, sendPrivatePage, siteAndJournal, siteName, absoluteUrl, formPageOf, JOURNAL_PATH, type FormPage, type SiteOrJournalParams } from './pages.ts';
export { AdminPage, ManagePage, SitePage, Pager, journalNav, SITE_ADMIN_NAV, type AdminNavItem, type ManageAccess } from './management-frame.tsx';
export { createPageFrame, registerPageFrame, formPage, memoByGeneration, type PageFrame, type FrameSources, type PublicPages, type FinishPage, type FinishedPage } from './frame.ts';
