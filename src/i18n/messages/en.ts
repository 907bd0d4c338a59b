/** English UI strings. The key set here is the contract: every other catalog must have exactly these keys. */
import { accountsEn } from './accounts.en.ts';
import { adminEn } from './admin.en.ts';
import { searchEn } from './search.en.ts';
import { referencesEn } from './references.en.ts';
import { ojsEn } from './ojs.en.ts';
import { designEn } from './design.en.ts';
import { journalsEn } from './journals.en.ts';
import { articlesEn } from './articles.en.ts';
import { referenceUseEn } from './reference-use.en.ts';
import { polishEn } from './polish.en.ts';
import { peopleEn } from './people.en.ts';
import { frameEn } from './frame.en.ts';
import { jobsEn } from './jobs.en.ts';
import { apiEn } from './api.en.ts';
import { workflowEn } from './workflow.en.ts';
import { workflowSettingsEn } from './workflow-settings.en.ts';
import { workflowEditorialEn } from './workflow-editorial.en.ts';
import { workflowWizardEn } from './workflow-wizard.en.ts';
import { workflowDiscussionsEn } from './workflow-discussions.en.ts';
import { workflowReviewEn } from './workflow-review.en.ts';
import { workflowReviewEditorEn } from './workflow-review-editor.en.ts';
import { workflowReviewerEn } from './workflow-reviewer.en.ts';
import { workflowReviewAuthorEn } from './workflow-review-author.en.ts';
import { reviewFilesEn } from './review-files.en.ts';
import { notificationsEn } from './notifications.en.ts';
import { publishingEn } from './publishing.en.ts';
import { workflowReviewFormsEn } from './workflow-review-forms.en.ts';
import { workflowReviewerSearchEn } from './workflow-reviewer-search.en.ts';
import { workflowCopyeditingEn } from './workflow-copyediting.en.ts';
import { workflowProductionEn } from './workflow-production.en.ts';
import { galleyViewsEn } from './galley-views.en.ts';
import { versionsEn } from './versions.en.ts';

const readerEn = {
  'skip.mainNavigation': 'Skip to main navigation',
  'skip.mainContent': 'Skip to main content',
  'skip.footer': 'Skip to site footer',
  'skip.label': 'Skip links',
  'nav.label': 'Main navigation',
  'nav.current': 'Current',
  'nav.archive': 'Archives',
  'nav.about': 'About',
  'nav.announcements': 'Announcements',
  'nav.allJournals': 'All journals',
  'language.label': 'Language',
  'language.current': '{language} (current language)',
  'breadcrumb.label': 'You are here',
  'breadcrumb.home': 'Home',
  'site.defaultTitle': 'Revista',
  'site.journals': 'Journals',
  'site.noJournals': 'No journals are published on this site yet.',
  'site.viewJournal': 'View journal: {journal}',
  'site.currentIssue': 'Current issue of {journal}',
  'journal.currentIssue': 'Current Issue',
  'journal.noIssues': 'No issues have been published yet.',
  'journal.viewArchive': 'View all issues',
  'issue.volume': 'Vol. {volume}',
  'issue.number': 'No. {number}',
  'issue.year': '({year})',
  'issue.published': 'Published: {date}',
  'issue.tableOfContents': 'Table of Contents',
  'issue.galleys': 'Full issue',
  'issue.noArticles': 'This issue has no articles yet.',
  'issue.pages': 'pp. {pages}',
  'issue.cover': 'Cover of {issue}',
  'archive.title': 'Archives',
  'archive.empty': 'No issues have been published yet.',
  'archive.pageTitle': 'Archives, page {page}',
  'pagination.label': 'Pages of the archive',
  'pagination.previous': 'Previous page',
  'pagination.next': 'Next page',
  'pagination.status': 'Page {page} of {pages}',
  'article.issue': 'Issue',
  'article.section': 'Section',
  'article.authors': 'Authors',
  'article.submitted': 'Submitted',
  'article.published': 'Published',
  'article.abstract': 'Abstract',
  'article.keywords': 'Keywords',
  'article.downloads': 'Downloads',
  'article.references': 'References',
  'article.doi': 'DOI',
  'article.pages': 'Pages',
  'article.license': 'License',
  'article.orcid': 'ORCID iD of {name}',
  'article.affiliationOnly': 'Author affiliation',
  'usage.heading': 'Download statistics',
  'usage.noData': 'Download data is not yet available.',
  'usage.chartLabel': 'Downloads by month, {from} – {to}: {total} in all',
  'usage.table': 'Downloads as a table',
  'usage.month': 'Month',
  'usage.downloads': 'Downloads',
  'galley.remote': '{label} (external site)',
  'notFound.title': 'Page not found',
  'notFound.message': 'There is nothing at this address. The page may have moved, or the address may be mistyped.',
  'notFound.home': 'Go to the home page',
  'error.title': 'Something went wrong',
  'error.message': 'The server could not answer this request. If it happens again, tell the site administrator this reference: {requestId}.',
  'confirm.cancel': 'Cancel',
  'footer.label': 'Site footer',
  'footer.poweredBy': 'Published with Revista, an open journal publishing platform.',
} as const;

export type MessageKey = keyof typeof en;

// One spread per line: each capability's catalog joins here.
export const en = {
  ...readerEn,
  ...accountsEn,
  ...adminEn,
  ...searchEn,
  ...referencesEn,
  ...ojsEn,
  ...referenceUseEn,
  ...polishEn,
  ...designEn,
  ...journalsEn,
  ...articlesEn,
  ...peopleEn,
  ...frameEn,
  ...jobsEn,
  ...apiEn,
  ...workflowEn,
  ...workflowSettingsEn,
  ...workflowEditorialEn,
  ...workflowWizardEn,
  ...workflowDiscussionsEn,
  ...workflowReviewEn,
  ...workflowReviewEditorEn,
  ...workflowReviewerEn,
  ...workflowReviewAuthorEn,
  ...reviewFilesEn,
  ...notificationsEn,
  ...publishingEn,
  ...workflowReviewFormsEn,
  ...workflowReviewerSearchEn,
  ...workflowCopyeditingEn,
  ...workflowProductionEn,
  ...galleyViewsEn,
  ...versionsEn,
};
