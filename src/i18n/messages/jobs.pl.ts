import type { jobsEn } from './jobs.en.ts';

/** Polish strings of the job queue's admin page: failed jobs and their retry (issue 18). */
export const jobsPl: Record<keyof typeof jobsEn, string> = {
  'jobs.title': 'Nieudane zadania',
  'jobs.intro': 'Prace wykonywane w tle (zgłoszenia do Crossref, poczta, …), które nie powiodły się w żadnej próbie. Usuń przyczynę podaną w błędzie, potem ponów.',
  'jobs.none': 'Żadne zadanie nie zakończyło się niepowodzeniem.',
  'jobs.caption': 'Nieudane zadania, od najnowszych',
  'jobs.kind': 'Zadanie',
  'jobs.error': 'Ostatni błąd',
  'jobs.attempts': 'Próby',
  'jobs.failedAt': 'Niepowodzenie',
  'jobs.action': 'Działanie',
  'jobs.retry': 'Ponów',
  'jobs.notice.queued': 'Zadanie wróciło do kolejki i zaraz zostanie wykonane.',
  'jobs.notice.already-queued': 'Ta sama praca już czeka na wykonanie, więc tego zadania nie dodano ponownie.',
  'jobs.notice.not-failed': 'To zadanie nie jest już nieudane: ponowiono je wcześniej.',
};
