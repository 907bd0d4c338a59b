import { translate, type MessageKey, type UiLocale } from '../i18n/index.ts';
import type { ReferenceIssue } from './types.ts';

/** An issue as an editor reads it, in Polish or English (catalogs: i18n/messages/references.*.ts). */
export function issueMessage(issue: ReferenceIssue, locale: UiLocale): string {
  const message = translate(locale, `references.issue.${issue.code}` as MessageKey, issue.params);
  if (issue.code === 'date-malformed' && issue.params.suggestion !== undefined) {
    return `${message} ${translate(locale, 'references.issue.date-malformed.suggestion', issue.params)}`;
  }
  return message;
}

/** Issues with their messages, as the CLI prints them. */
export function withMessages(issues: readonly ReferenceIssue[], locale: UiLocale): Array<ReferenceIssue & { message: string }> {
  return issues.map((issue) => ({ ...issue, message: issueMessage(issue, locale) }));
}
