import type { galleyViewsEn } from './galley-views.en.ts';

/** Polskie teksty przeglądarki plików artykułu (czytelnicy) i podglądu plików dla redakcji (workflow). */
export const galleyViewsPl: Record<keyof typeof galleyViewsEn, string> = {
  'galleyView.title': '{label}: {title}',
  'galleyView.backToArticle': 'Powrót do strony artykułu',
  'galleyView.download': 'Pobierz {label}',
  'galleyView.downloadSize': 'Pobierz {label} ({size})',
  'galleyView.pdfFrame': '{label} artykułu „{title}”',
  'galleyView.pdfHint': 'Jeśli PDF nie wyświetla się poniżej (niektóre przeglądarki, zwłaszcza w telefonach, nie pokazują plików PDF na stronie), pobierz go.',
  'galleyView.htmlFrame': 'Pełny tekst artykułu „{title}”',
  'galleyView.otherFormat': 'Ten plik ({type}) otwiera się we własnej aplikacji: pobierz go, aby go przeczytać.',
  'galleyView.remote': 'Ta wersja artykułu jest opublikowana w innej witrynie.',
  'galleyView.remoteLink': 'Otwórz {label} w innej witrynie',
  'galleyView.olderVersion': 'Ten plik należy do wersji {version} artykułu, nie do bieżącej.',
  'galleyView.previewNotice': 'Podgląd: tak czytelnicy zobaczą ten plik po opublikowaniu artykułu.',
  'galleyView.previewBack': 'Powrót do zgłoszenia',
};
