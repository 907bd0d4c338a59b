import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { referencesEn } from '../i18n/messages/references.en.ts';
import { referencesPl } from '../i18n/messages/references.pl.ts';
import { ISSUE_CODES, issue } from './checks.ts';
import { issueMessage, parseReference } from './index.ts';

describe('issue messages', () => {
  it('every issue code has a message in Polish and English', () => {
    for (const code of ISSUE_CODES) {
      const key = `references.issue.${code}` as keyof typeof referencesEn;
      assert.ok(referencesEn[key], `en: ${code}`);
      assert.ok(referencesPl[key], `pl: ${code}`);
      assert.notEqual(referencesPl[key], referencesEn[key], `pl is not translated: ${code}`);
    }
  });

  it('fills in the values: the text, the date, the suggestion', () => {
    const parsed = parseReference('Lavrov obsudil, TASS [online], 13 V 2021 [accessed: 15 V I 2021]: <>.');
    const messages = parsed.issues.map((found) => issueMessage(found, 'en'));
    assert.ok(messages.includes('The date “15 V I 2021” cannot be read. Did you mean “15 VI 2021”?'), messages.join('\n'));
    assert.ok(parsed.issues.map((found) => issueMessage(found, 'pl')).includes('Nie można odczytać daty „15 V I 2021”. Czy chodziło o „15 VI 2021”?'));
    assert.equal(issueMessage(issue('duplicate', { number: 3 }), 'pl'), 'Ta pozycja powtarza pozycję 3.');
  });

  it('leaves no placeholder unfilled for the issues the checks raise', () => {
    const texts = [
      'Kucera J., Armenia suspends talks, Eurasianet,4 VI 2021 [accessed: 15 V 2021]: <>.',
      'Kowalski J., „Dyplomacja, Warszawa: Routlege, 2031, doi: 10.1/x, <htp://x y>.',
      'Otvety na voprosy SMI,, 17 X 2020 [accessed: 15 V 2021].',
    ];
    for (const text of texts) {
      for (const found of parseReference(text, { now: new Date('2026-01-01T00:00:00Z') }).issues) {
        for (const locale of ['en', 'pl'] as const) assert.doesNotMatch(issueMessage(found, locale), /\{[a-z]+\}/, `${found.code} ${locale}`);
      }
    }
  });
});
