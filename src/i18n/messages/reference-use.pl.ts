import type { referenceUseEn } from './reference-use.en.ts';

/** Polskie komunikaty kontroli bibliografii dla redakcji (strony artykułu i numeru w zarządzaniu). */
export const referenceUsePl: Record<keyof typeof referenceUseEn, string> = {
  'refcheck.field': 'Bibliografia',
  'refcheck.fieldHint': 'Jedna pozycja w wierszu, tak jak w artykule. Zapisanie sprawdza je ponownie.',
  'refcheck.title': 'Kontrola bibliografii',
  'refcheck.summary': 'Pozycje bibliografii z problemami: {problems} z {total}.',
  'refcheck.allGood': 'W {total} pozycjach bibliografii nie znaleziono problemów.',
  'refcheck.none': 'Ten artykuł nie ma bibliografii.',
  'refcheck.pending': 'Pozycje jeszcze niesprawdzone: {count}. Są sprawdzane w tle; odśwież stronę za chwilę.',
  'refcheck.error': 'Błąd',
  'refcheck.warning': 'Uwaga',
  'refcheck.reference': 'Pozycja {seq}',
  'refcheck.tooMany': 'Można zapisać najwyżej {max} pozycji bibliografii.',
  'refcheck.tooLong': 'Bibliografia jest za długa: najwyżej {max} znaków łącznie.',
  'refcheck.column': 'Pozycje z problemami',
  'refcheck.cell': '{problems} z {total}',
  'refcheck.issueSummary': 'Pozycje bibliografii z problemami w tym numerze: {problems} z {total}. Otwórz artykuł, by zobaczyć, co jest nie tak.',
};
