import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { catalogs, formatLongDate, formatNumericDate, localize, negotiateLocale, parseAcceptLanguage, translate, UI_LOCALES } from './index.ts';

describe('message catalogs', () => {
  it('have exactly the same keys in every locale, none empty', () => {
    const reference = Object.keys(catalogs.en).sort();
    for (const locale of UI_LOCALES) {
      const keys = Object.keys(catalogs[locale]).sort();
      const missing = reference.filter((k) => !keys.includes(k));
      const extra = keys.filter((k) => !reference.includes(k));
      assert.deepEqual({ locale, missing, extra }, { locale, missing: [], extra: [] });
      for (const key of keys) assert.notEqual(catalogs[locale][key as keyof typeof catalogs.en].trim(), '', `${locale} ${key} is empty`);
    }
  });

  it('use the same placeholders in every translation of a message', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(catalogs.en) as (keyof typeof catalogs.en)[]) {
      for (const locale of UI_LOCALES) assert.deepEqual(placeholders(catalogs[locale][key]), placeholders(catalogs.en[key]), `${locale} ${key}`);
    }
  });

  it('fills placeholders', () => {
    assert.equal(translate('pl', 'issue.volume', { volume: 74 }), 'Tom 74');
    assert.equal(translate('en', 'issue.number', { number: '4' }), 'No. 4');
    assert.equal(translate('pl', 'usage.noData'), 'Dane dotyczące pobrań nie są jeszcze dostępne.');
  });
});

describe('dates', () => {
  it('are written as the seed page writes them in Polish, and in English forms', () => {
    assert.equal(formatLongDate('pl', '2021-12-27'), '27 grudnia 2021');
    assert.equal(formatNumericDate('pl', '2021-12-27'), '27.12.2021');
    assert.equal(formatLongDate('en', '2021-12-27'), 'December 27, 2021');
    assert.equal(formatNumericDate('en', '2021-12-27'), '2021-12-27');
  });

  it('do not shift by a day with the time of an instant', () => {
    assert.equal(formatLongDate('pl', new Date('2021-12-27T00:00:00Z')), '27 grudnia 2021');
    assert.equal(formatLongDate('pl', new Date('2021-12-27T23:30:00Z')), '27 grudnia 2021');
  });
});

describe('choosing the UI language', () => {
  const none = { query: undefined, cookie: undefined, acceptLanguage: undefined };
  it('prefers ?locale=, then the cookie, then Accept-Language, then the primary locale', () => {
    assert.equal(negotiateLocale({ ...none }, ['pl', 'en'], 'pl'), 'pl');
    assert.equal(negotiateLocale({ ...none, acceptLanguage: 'en-GB,en;q=0.9' }, ['pl', 'en'], 'pl'), 'en');
    assert.equal(negotiateLocale({ ...none, acceptLanguage: 'en', cookie: 'pl' }, ['pl', 'en'], 'pl'), 'pl');
    assert.equal(negotiateLocale({ query: 'en', cookie: 'pl', acceptLanguage: 'pl' }, ['pl', 'en'], 'pl'), 'en');
  });

  it('ignores languages the journal does not support or Revista has no UI for', () => {
    assert.equal(negotiateLocale({ ...none, query: 'de' }, ['pl', 'en'], 'pl'), 'pl');
    assert.equal(negotiateLocale({ ...none, query: 'en' }, ['pl'], 'pl'), 'pl');
    assert.equal(negotiateLocale({ ...none, acceptLanguage: 'de, en;q=0.5' }, ['pl', 'en'], 'pl'), 'en');
    assert.equal(negotiateLocale({ ...none, acceptLanguage: 'pl;q=0, en;q=0.1' }, ['pl', 'en'], 'pl'), 'en');
  });

  it('orders Accept-Language by quality, keeping header order for ties', () => {
    assert.deepEqual(parseAcceptLanguage('fr;q=0.5, en-US, pl;q=0.8, *;q=0.1'), ['en-us', 'pl', 'fr']);
    assert.deepEqual(parseAcceptLanguage(undefined), []);
  });
});

describe('localized fields', () => {
  it('falls back through the given locales, then to any text, and says which locale it used', () => {
    assert.deepEqual(localize({ en: 'Title' }, 'pl', 'en'), { text: 'Title', locale: 'en' });
    assert.deepEqual(localize({ pl: 'Tytuł', en: 'Title' }, 'pl'), { text: 'Tytuł', locale: 'pl' });
    assert.deepEqual(localize({ pl: ' ', de: 'Titel' }, 'pl'), { text: 'Titel', locale: 'de' });
    assert.equal(localize({}, 'pl'), undefined);
  });
});
