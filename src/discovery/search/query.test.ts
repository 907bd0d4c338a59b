import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { htmlToText } from './extract.ts';
import { formatQuery, hasSearchTerms, MAX_QUERY_LENGTH, MAX_QUERY_PARTS, normaliseQuery, parseQuery } from './query.ts';
import { snippetParts } from './search.ts';

describe('search query parser', () => {
  it('reads words, quoted phrases and exclusions', () => {
    assert.deepEqual(parseQuery('energy "South Caucasus" -gas -"climate policy"'), { words: ['energy'], phrases: ['South Caucasus'], excluded: ['gas', 'climate policy'] });
  });

  it('takes Polish and typographic quotes, and an unclosed quote to the end', () => {
    assert.deepEqual(parseQuery('„bezpieczeństwo energetyczne” Polska'), { words: ['Polska'], phrases: ['bezpieczeństwo energetyczne'], excluded: [] });
    assert.deepEqual(parseQuery('"Kaukaz Południowy'), { words: [], phrases: ['Kaukaz Południowy'], excluded: [] });
  });

  it('keeps a hyphen inside a word; a lone minus excludes nothing', () => {
    assert.deepEqual(parseQuery('COVID-19 - pandemic'), { words: ['COVID-19', '-', 'pandemic'], phrases: [], excluded: [] });
  });

  it('leaves query syntax characters in the words, as plain text for the database to ignore', () => {
    assert.deepEqual(parseQuery("a&b|!c:* (d) <-> 'e'"), { words: ['a&b|!c:*', '(d)', '<->', "'e'"], phrases: [], excluded: [] });
  });

  it('drops control characters and lone surrogates, and cuts a long query', () => {
    assert.equal(normaliseQuery('\u0000en\u0007ergy\u202e \ud800x'), 'en ergy x');
    assert.equal(normaliseQuery('x'.repeat(10_000)).length, MAX_QUERY_LENGTH);
    // Never in the middle of a character outside the Basic Multilingual Plane.
    assert.equal(Array.from(normaliseQuery('😀'.repeat(400))).length, MAX_QUERY_LENGTH);
    assert.equal(parseQuery(Array.from({ length: 40 }, (_, i) => `w${i}`).join(' ')).words.length, MAX_QUERY_PARTS);
  });

  it('needs a word or phrase to search for', () => {
    assert.equal(hasSearchTerms(parseQuery('-gas -oil')), false);
    assert.equal(hasSearchTerms(parseQuery('   ')), false);
    assert.equal(hasSearchTerms(parseQuery('"gas"')), true);
    assert.equal(formatQuery(parseQuery('a "b c" -d -"e f"')), 'a "b c" -d -"e f"');
  });
});

describe('snippets and galley text', () => {
  it('cuts a snippet into plain and marked runs', () => {
    assert.deepEqual(snippetParts('the \u0001Armenia\u0002 war … \u0001Baku\u0002'), [
      { text: 'the ', match: false },
      { text: 'Armenia', match: true },
      { text: ' war … ', match: false },
      { text: 'Baku', match: true },
    ]);
  });

  it('reads the visible text of HTML', () => {
    assert.equal(htmlToText('<html><head><title>T</title></head><body><p>Łódź &amp; Kraków&#x21;</p><script>x()</script><!-- c --></body></html>'), 'Łódź & Kraków!');
  });
});
