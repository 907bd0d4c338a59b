import type { reviewFilesEn } from './review-files.en.ts';

/** Polish strings of the files reviewers download (issue 20, item 4). */
export const reviewFilesPl: Record<keyof typeof reviewFilesEn, string> = {
  'reviewFiles.refused.title': 'Tego pliku nie można jeszcze pobrać',
  'reviewFiles.refused.encrypted': 'Plik jest chroniony hasłem, więc nie dało się usunąć z niego nazwisk autorów.',
  'reviewFiles.refused.unreadable': 'Plik jest uszkodzony lub nie jest tym, na co wskazuje jego typ, więc nie dało się usunąć z niego nazwisk autorów.',
  'reviewFiles.refused.too-large': 'Plik jest zbyt duży, by usunąć z niego nazwiska autorów.',
  'reviewFiles.refused.reviewer': 'W tej recenzji żadna ze stron nie wie, kim jest druga, więc plik nie jest udostępniany w obecnej postaci. Redakcja może przesłać kopię bez tych problemów; jeśli potrzebujesz jej wcześniej, napisz do redakcji.',
  'reviewFiles.refused.attachment': 'Z pliku recenzenta nie udało się usunąć danych o autorze, więc nie jest udostępniany w tej postaci. Poproś redakcję o kopię.',
  'reviewFiles.backToSubmission': 'Powrót do zgłoszenia',
  'reviewFiles.refused.editor': 'Recenzenci w recenzji podwójnie anonimowej nie otrzymają tego pliku. Prześlij kopię, która nie jest chroniona hasłem, nie jest uszkodzona i ma nie więcej niż 100 MB.',
  'reviewFiles.back': 'Wróć do recenzji',
};
