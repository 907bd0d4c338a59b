import type { ojsEn } from './ojs.en.ts';

/** Polskie teksty strony importu i eksportu OJS w zarządzaniu czasopismem. */
export const ojsPl: Record<keyof typeof ojsEn, string> = {
  'ojs.title': 'Import / eksport (OJS Native XML)',
  'ojs.importHeading': 'Import z OJS',
  'ojs.importExplain': 'Wyeksportuj numery z OJS 3.x (Narzędzia → Import/eksport → Wtyczka Native XML, z osadzonymi plikami) i prześlij plik tutaj. Próba pokazuje, co zrobiłby import, i niczego nie zapisuje. Ponowny import tego samego pliku aktualizuje to, co się zmieniło, i niczego nie powiela.',
  'ojs.file': 'Plik Native XML',
  'ojs.fileHint': 'Dokument <issues>, <issue>, <articles> lub <article>, do {size}.',
  'ojs.dryRun': 'Próba',
  'ojs.import': 'Importuj',
  'ojs.reportDryRun': 'Próba: co zrobiłby import',
  'ojs.reportImported': 'Zaimportowano',
  'ojs.counts': 'numery: {issues}, artykuły: {articles}, składy: {galleys}, ostrzeżenia: {warnings}',
  'ojs.failed': 'Plik nie został zaimportowany',
  'ojs.partly': 'Numery przed błędnym zostały zaimportowane: {count}.',
  'ojs.nothingWritten': 'Niczego nie zapisano.',
  'ojs.noFile': 'Wybierz plik Native XML do przesłania.',
  'ojs.tooLarge': 'Plik jest większy niż {size}. Zaimportuj go z wiersza poleceń: npx revista import ojs-native PLIK --journal {journal}',
  'ojs.exportHeading': 'Eksport do OJS',
  'ojs.exportExplain': 'Pobierz numery czasopisma jako dokument OJS Native XML z osadzonymi plikami składów i okładkami; OJS 3.x importuje go tą samą wtyczką.',
  'ojs.exportAll': 'Pobierz wszystkie numery',
  'ojs.exportIssue': 'Numer',
  'ojs.exportOne': 'Pobierz ten numer',
  'ojs.noIssues': 'Czasopismo nie ma jeszcze numerów do eksportu.',
  'ojs.cli': 'Na serwerze: npx revista import ojs-native PLIK --journal {journal} [--dry-run] oraz npx revista export ojs-native --journal {journal} [--issue ID] -o PLIK',
};
