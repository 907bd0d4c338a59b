import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { COUNTRY_CODES, countryName, countryOptions, WITHDRAWN_COUNTRY_CODES } from '../platform/identifiers/countries.ts';
import { normaliseCountry } from '../platform/identifiers/index.ts';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { testDatabases } from '../../test/support/databases.ts';
import { signedInAs } from '../../test/support/session.ts';

describe('the country list', () => {
  for (const locale of ['pl', 'en']) {
    it(`offers each current ISO 3166-1 country once, named in ${locale}`, () => {
      const options = countryOptions(locale);
      assert.equal(options.length, 249);
      const names = options.map((o) => o.name);
      assert.deepEqual(names.filter((name, i) => names.indexOf(name) !== i), [], 'no country is listed twice');
      const codes = options.map((o) => o.code);
      for (const withdrawn of Object.keys(WITHDRAWN_COUNTRY_CODES)) assert.ok(!codes.includes(withdrawn), `${withdrawn} is withdrawn`);
      assert.ok(options.every((o) => o.name !== o.code), 'every country has a name');
    });
  }

  it('names countries in Polish in the Polish order (Ł after L)', () => {
    const names = countryOptions('pl').map((o) => o.name);
    assert.ok(names.includes('Niemcy'));
    assert.ok(names.includes('Wielka Brytania'));
    assert.ok(names.indexOf('Luksemburg') < names.indexOf('Łotwa') && names.indexOf('Łotwa') < names.indexOf('Macedonia Północna'));
    assert.equal(countryOptions('en').find((o) => o.code === 'DE')?.name, 'Germany');
  });

  it('reads a withdrawn code as the country that took its place, and refuses what is no country', () => {
    assert.equal(normaliseCountry('uk'), 'GB');
    assert.equal(normaliseCountry('DD'), 'DE');
    assert.equal(normaliseCountry('pl'), 'PL');
    for (const code of ['XX', 'EU', 'UN', 'ZZ', 'XK', 'P1', 'POL']) assert.equal(normaliseCountry(code), null, code);
    assert.equal(countryName('UK', 'pl'), 'Wielka Brytania');
    assert.ok(Object.values(WITHDRAWN_COUNTRY_CODES).every((code) => COUNTRY_CODES.includes(code)));
  });
});

for (const database of await testDatabases()) {
  describe(`a stored withdrawn country code on ${database.name}`, () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp(database, { demo: false });
    });
    after(async () => t.close());

    it('shows in the profile as the current country (UK as the United Kingdom, GB)', async () => {
      const session = await signedInAs(t.app, t.database.db, { email: 'uk@example.org', role: 'admin' });
      await t.database.db.updateTable('users').set({ country: 'UK' }).where('email', '=', 'uk@example.org').execute();
      const page = await session.get('/user/profile');
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /<option value="GB" selected[^>]*>United Kingdom<\/option>/);
      assert.doesNotMatch(page.body, /value="UK"/);
      assert.equal((page.body.match(/>United Kingdom</g) ?? []).length, 1);
    });
  });
}
