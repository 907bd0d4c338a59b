import type { polishEn } from './polish.en.ts';

/** Polskie teksty dodane przy porządkowaniu sformułowań (statusy, podpowiedzi, nazwy miar, raport importu OJS). */
export const polishPl: Record<keyof typeof polishEn, string> = {
  'publication.status.queued': 'niezaplanowana',
  'publication.status.scheduled': 'zaplanowana',
  'publication.status.published': 'opublikowana',
  'stats.monthHint': 'Rok i miesiąc w formacie RRRR-MM, np. {example}.',
  'metric.Unique_Title_Investigations': 'Wyświetlone artykuły (na sesję)',
  'metric.Unique_Title_Requests': 'Pobrane artykuły (na sesję)',
  'ojs.report.caption': 'Co zawiera dokument',
  'ojs.report.kind': 'Rodzaj',
  'ojs.report.issues': 'Numery',
  'ojs.report.articles': 'Artykuły',
  'ojs.change.new': 'Nowe',
  'ojs.change.changed': 'Zmienione',
  'ojs.change.unchanged': 'Bez zmian',
  'ojs.unitChange.new': 'nowy',
  'ojs.unitChange.changed': 'zmieniony',
  'ojs.unitChange.unchanged': 'bez zmian',
  'ojs.report.units': 'Numery i artykuły',
  'ojs.report.issueUnit': 'Numer {issue}',
  'ojs.report.articleUnit': 'Artykuł „{title}”',
  'ojs.report.ids': 'identyfikator w Reviście: {id}',
  'ojs.report.idsWithOjs': 'identyfikator w Reviście: {id}, w OJS: {ojsId}',
  'ojs.report.warnings': 'Ostrzeżenia ({count})',
  'ojs.report.warningsLanguage': 'Ostrzeżenia wskazują miejsca w dokumencie; są po angielsku, tak jak wypisuje je wiersz poleceń.',
  'ojs.issueWithoutNumbering': 'Numer bez tomu i numeracji (identyfikator {id})',
};
