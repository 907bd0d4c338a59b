import type { referencesEn } from './references.en.ts';

/** Polskie komunikaty kontroli bibliografii: jeden na kod problemu (src/references/checks.ts). */
export const referencesPl: Record<keyof typeof referencesEn, string> = {
  'references.issue.empty': 'Pozycja bibliografii jest pusta.',
  'references.issue.too-long': 'Pozycja ma {length} znaków (więcej niż {limit}): zapewne zawiera kilka pozycji albo inny tekst. Podziel ją lub skróć.',
  'references.issue.not-text': 'Pozycja zawiera znaki, które nie są tekstem (znaki sterujące lub uszkodzone kodowanie). Wklej ją ponownie ze źródła.',
  'references.issue.no-words': 'Pozycja nie zawiera słów ani liczb, tylko znaki interpunkcyjne lub symbole.',
  'references.issue.url-empty': 'Link jest pusty: w „{text}” nie ma adresu. Dodaj adres albo usuń nawiasy.',
  'references.issue.url-missing': 'Podano datę dostępu, ale brak linku: dodaj adres, pod którym źródło było dostępne.',
  'references.issue.url-spaces': 'Link „{url}” zawiera spacje, a adres internetowy nie może ich mieć. Sprawdź, czy nie został przełamany.',
  'references.issue.url-scheme': 'Link „{url}” nie jest pełnym adresem internetowym: brakuje http:// lub https:// i domeny strony.',
  'references.issue.date-malformed': 'Nie można odczytać daty „{text}”.',
  'references.issue.date-malformed.suggestion': 'Czy chodziło o „{suggestion}”?',
  'references.issue.date-missing': 'Pozycja nie ma daty wydania.',
  'references.issue.accessed-before-issued': 'Data dostępu ({accessed}) jest wcześniejsza niż data publikacji ({issued}).',
  'references.issue.year-future': 'Rok wydania {year} jest w przyszłości.',
  'references.issue.accessed-future': 'Data dostępu ({accessed}) jest w przyszłości.',
  'references.issue.empty-field': 'Puste pole: między separatorami w „{text}” nic nie ma.',
  'references.issue.missing-space': 'Brak spacji po znaku interpunkcyjnym w „{text}”.',
  'references.issue.unbalanced': 'Cudzysłów lub nawias „{mark}” nie ma pary.',
  'references.issue.doi-invalid': '„{doi}” nie jest poprawnym DOI: DOI to 10., liczba, ukośnik i sufiks, np. 10.1000/xyz123.',
  'references.issue.isbn-invalid': 'ISBN {isbn} jest niepoprawny: cyfra kontrolna się nie zgadza.',
  'references.issue.source-missing': 'Pozycja nie podaje źródła: dodaj nazwę strony, czasopisma lub wydawcy.',
  'references.issue.publisher-misspelled': '„{found}” wygląda na błędny zapis „{known}”.',
  'references.issue.duplicate': 'Ta pozycja powtarza pozycję {number}.',
};
