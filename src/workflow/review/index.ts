// Peer review and decisions (issue 20): rounds, requests, reviews, decisions, reminders, forms.
export * from './settings.ts';
export * from './settings-commands.ts';
export * from './queries.ts';
export * from './links.ts';
export * from './reminders.ts';
export * from './forms/index.ts';
export * from './commands/requests.ts';
export * from './commands/reviews.ts';
export * from './commands/decisions.ts';
