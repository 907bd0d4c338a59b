import type { frameEn } from './frame.en.ts';

/** Polish strings of the page frame: error pages every capability shares (issue 18). */
export const framePl: Record<keyof typeof frameEn, string> = {
  'badRequest.title': 'Nie można odpowiedzieć na to żądanie',
  'badRequest.message': 'Adres lub formularz przesłał coś, czego ta strona nie przyjmuje. Wróć, sprawdź wpisane dane i spróbuj ponownie.',
  'badRequest.detail': 'Co było nie tak (dla administratora serwisu):',
} as const;
