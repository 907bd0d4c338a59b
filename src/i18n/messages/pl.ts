import type { MessageKey } from './en.ts';

/** Polish UI strings; wording follows OJS's Polish translation where OJS has the same string. */
import { accountsPl } from './accounts.pl.ts';
import { adminPl } from './admin.pl.ts';
import { searchPl } from './search.pl.ts';
import { referencesPl } from './references.pl.ts';
import { ojsPl } from './ojs.pl.ts';
import { designPl } from './design.pl.ts';
import { journalsPl } from './journals.pl.ts';
import { articlesPl } from './articles.pl.ts';
import { referenceUsePl } from './reference-use.pl.ts';
import { polishPl } from './polish.pl.ts';
import { peoplePl } from './people.pl.ts';
import { framePl } from './frame.pl.ts';
import { jobsPl } from './jobs.pl.ts';
import { apiPl } from './api.pl.ts';
import { workflowPl } from './workflow.pl.ts';
import { workflowSettingsPl } from './workflow-settings.pl.ts';
import { workflowEditorialPl } from './workflow-editorial.pl.ts';
import { workflowWizardPl } from './workflow-wizard.pl.ts';
import { workflowDiscussionsPl } from './workflow-discussions.pl.ts';
import { workflowReviewPl } from './workflow-review.pl.ts';
import { workflowReviewEditorPl } from './workflow-review-editor.pl.ts';
import { workflowReviewerPl } from './workflow-reviewer.pl.ts';
import { workflowReviewAuthorPl } from './workflow-review-author.pl.ts';
import { reviewFilesPl } from './review-files.pl.ts';
import { notificationsPl } from './notifications.pl.ts';
import { publishingPl } from './publishing.pl.ts';
import { workflowReviewFormsPl } from './workflow-review-forms.pl.ts';
import { workflowReviewerSearchPl } from './workflow-reviewer-search.pl.ts';
import { workflowCopyeditingPl } from './workflow-copyediting.pl.ts';
import { workflowProductionPl } from './workflow-production.pl.ts';
import { galleyViewsPl } from './galley-views.pl.ts';
import { versionsPl } from './versions.pl.ts';

export const pl: Record<MessageKey, string> = {
  ...accountsPl,
  ...adminPl,
  ...searchPl,
  ...referencesPl,
  ...ojsPl,
  ...designPl,
  ...journalsPl,
  ...articlesPl,
  ...referenceUsePl,
  ...polishPl,
  ...peoplePl,
  ...framePl,
  ...jobsPl,
  ...apiPl,
  ...workflowPl,
  ...workflowSettingsPl,
  ...workflowEditorialPl,
  ...workflowWizardPl,
  ...workflowDiscussionsPl,
  ...workflowReviewPl,
  ...workflowReviewEditorPl,
  ...workflowReviewerPl,
  ...workflowReviewAuthorPl,
  ...reviewFilesPl,
  ...notificationsPl,
  ...publishingPl,
  ...workflowReviewFormsPl,
  ...workflowReviewerSearchPl,
  ...workflowCopyeditingPl,
  ...workflowProductionPl,
  ...versionsPl,
  'skip.mainNavigation': 'Przejdź do głównego menu',
  'skip.mainContent': 'Przejdź do sekcji głównej',
  'skip.footer': 'Przejdź do stopki',
  'skip.label': 'Szybkie łącza',
  'nav.label': 'Główne menu',
  'nav.current': 'Bieżący numer',
  'nav.archive': 'Archiwum',
  'nav.about': 'O czasopiśmie',
  'nav.announcements': 'Ogłoszenia',
  'nav.allJournals': 'Wszystkie czasopisma',
  'language.label': 'Język',
  'language.current': '{language} (bieżący język)',
  'breadcrumb.label': 'Jesteś tutaj',
  'breadcrumb.home': 'Strona główna',
  'site.defaultTitle': 'Revista',
  'site.journals': 'Czasopisma',
  'site.noJournals': 'W tym serwisie nie opublikowano jeszcze żadnego czasopisma.',
  'site.viewJournal': 'Zobacz czasopismo: {journal}',
  'site.currentIssue': 'Bieżący numer czasopisma {journal}',
  'journal.currentIssue': 'Bieżący numer',
  'journal.noIssues': 'Nie opublikowano jeszcze żadnego numeru.',
  'journal.viewArchive': 'Zobacz wszystkie numery',
  'issue.volume': 'Tom {volume}',
  'issue.number': 'Nr {number}',
  'issue.year': '({year})',
  'issue.published': 'Opublikowane: {date}',
  'issue.tableOfContents': 'Spis treści',
  'issue.galleys': 'Cały numer',
  'issue.noArticles': 'Ten numer nie zawiera jeszcze artykułów.',
  'issue.pages': 's. {pages}',
  'issue.cover': 'Okładka: {issue}',
  'archive.title': 'Archiwum',
  'archive.empty': 'Nie opublikowano jeszcze żadnego numeru.',
  'archive.pageTitle': 'Archiwum, strona {page}',
  'pagination.label': 'Strony archiwum',
  'pagination.previous': 'Poprzednia strona',
  'pagination.next': 'Następna strona',
  'pagination.status': 'Strona {page} z {pages}',
  'article.issue': 'Numer',
  'article.section': 'Dział',
  'article.authors': 'Autorzy',
  'article.submitted': 'Przesłane',
  'article.published': 'Opublikowane',
  'article.abstract': 'Abstrakt',
  'article.keywords': 'Słowa kluczowe',
  'article.downloads': 'Pliki do pobrania',
  'article.references': 'Bibliografia',
  'article.doi': 'DOI',
  'article.pages': 'Strony',
  'article.license': 'Licencja',
  'article.orcid': 'Identyfikator ORCID: {name}',
  'article.affiliationOnly': 'Afiliacja autora',
  'usage.heading': 'Statystyki pobrań',
  'usage.noData': 'Dane dotyczące pobrań nie są jeszcze dostępne.',
  'usage.chartLabel': 'Pobrania według miesięcy, {from} – {to}: razem {total}',
  'usage.table': 'Pobrania w tabeli',
  'usage.month': 'Miesiąc',
  'usage.downloads': 'Pobrania',
  'galley.remote': '{label} (strona zewnętrzna)',
  'notFound.title': 'Nie znaleziono strony',
  'notFound.message': 'Pod tym adresem nic nie ma. Strona mogła zostać przeniesiona albo adres zawiera błąd.',
  'notFound.home': 'Przejdź do strony głównej',
  'error.title': 'Wystąpił błąd',
  'error.message': 'Serwer nie mógł odpowiedzieć na to żądanie. Jeśli to się powtórzy, podaj administratorowi serwisu ten identyfikator: {requestId}.',
  'confirm.cancel': 'Anuluj',
  'footer.label': 'Stopka serwisu',
  'footer.poweredBy': 'Opublikowano w Reviście, otwartej platformie do wydawania czasopism.',
  ...galleyViewsPl,
};
