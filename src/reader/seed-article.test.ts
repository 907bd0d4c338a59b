import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { SEED_PAGE_FILE } from '../demo/index.ts';
import { en } from '../i18n/messages/en.ts';
import { pl } from '../i18n/messages/pl.ts';
import { startTestApp, visibleText, type TestApp } from '../../test/support/app.ts';
import { testDatabases } from '../../test/support/databases.ts';

/** The acceptance check of the foundation: the demo article page reproduces the seed OJS page. */
const seedLines = readFileSync(SEED_PAGE_FILE, 'utf8')
  .split('\n')
  .map((line) => line.replace(/\s+/g, ' ').trim())
  .filter((line) => line !== '');
const PLACEHOLDER = 'Download data is not yet available.';
/**
 * Where Revista writes a seed line differently on purpose: OJS writes the submission date in words
 * and the publication date in figures on the same page; Revista writes both in words (issue 17).
 */
const WRITTEN_DIFFERENTLY: Record<string, string> = { 'Opublikowane: 27.12.2021': 'Opublikowane: 27 grudnia 2021' };

for (const database of await testDatabases()) {
  describe(`the demo article page on ${database.name}`, () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp(database);
    });
    after(() => t.close());

    it('in Polish contains every line of the seed page, in the seed order', async () => {
      const response = await t.app.inject({ url: '/sm/article/view/1786' });
      assert.equal(response.statusCode, 200);
      assert.match(response.body, /^<!DOCTYPE html><html lang="pl">/);
      const text = visibleText(response.body);
      let position = 0;
      for (const line of seedLines) {
        const expected = line === PLACEHOLDER ? pl['usage.noData'] : (WRITTEN_DIFFERENTLY[line] ?? line);
        const at = text.indexOf(expected, position);
        assert.ok(at >= 0, `missing or out of order: "${expected}"`);
        position = at + expected.length;
      }
      assert.equal(seedLines.filter((l) => /^\d+\. /.test(l)).length, 42);
      assert.ok(text.includes('Abstrakt') && text.includes('Bibliografia'));
      assert.ok(!text.includes(PLACEHOLDER), 'the English placeholder is translated');
      assert.ok(text.includes('University of Economics and Human Sciences in Warsaw'));
    });

    for (const [how, request] of [
      ['?locale=en', { url: '/sm/article/view/1786?locale=en' }],
      ['Accept-Language: en', { url: '/sm/article/view/1786', headers: { 'accept-language': 'en-GB,en;q=0.9' } }],
    ] as const) {
      it(`in English (${how}) has a fully English UI around the same content`, async () => {
        const response = await t.app.inject(request);
        assert.equal(response.statusCode, 200);
        assert.match(response.body, /<html lang="en">/);
        const text = visibleText(response.body);
        for (const expected of [
          'Skip to main navigation Skip to main content Skip to site footer',
          'Vol. 74 No. 4 (2021): Kaukaz Południowy na rozdrożu',
          'Świat zewnętrzny a państwa Kaukazu Południowego',
          'Submitted: December 27, 2021',
          'Published: December 27, 2021',
          'Abstract',
          'References',
          '42. Zayavleniye Prezidenta Azerbaydzhanskoy Respubliki',
          PLACEHOLDER,
        ]) {
          assert.ok(text.includes(expected), `missing: "${expected}"`);
        }
        const polishOnly = Object.entries(pl).filter(([key, value]) => value !== en[key as keyof typeof en] && !value.includes('{'));
        // Whole words only: "Do" (pl "To") must not match inside "Download".
        const appears = (value: string) => new RegExp(`(?<![\\p{L}\\p{N}])${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\p{N}])`, 'u').test(text);
        for (const [key, value] of polishOnly) assert.ok(!appears(value), `Polish UI string ${key} on the English page: "${value}"`);
      });
    }

    it('remembers an explicit language choice in a cookie, and ignores unsupported ones', async () => {
      const switched = await t.app.inject({ url: '/sm/article/view/1786?locale=en' });
      const cookie = switched.cookies.find((c) => c.name === 'revista_locale');
      assert.equal(cookie?.value, 'en');
      assert.equal(cookie?.httpOnly, true);
      assert.equal(cookie?.sameSite, 'Lax');
      const later = await t.app.inject({ url: '/sm', cookies: { revista_locale: 'en' } });
      assert.match(later.body, /<html lang="en">/);
      const unsupported = await t.app.inject({ url: '/sm/article/view/1786?locale=xx' });
      assert.match(unsupported.body, /<html lang="pl">/);
      assert.equal(unsupported.cookies.length, 0);
    });

    it('offers a language switcher that keeps the page', async () => {
      const response = await t.app.inject({ url: '/sm/article/view/1786' });
      assert.match(response.body, /<a href="\/sm\/article\/view\/1786\?locale=en" hreflang="en" lang="en">English<\/a>/);
    });
  });
}
