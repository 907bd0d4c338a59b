import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_REFERENCE_LENGTH, parseReference, parseReferences } from './index.ts';

/** Whatever an editor pastes, parsing answers with a result, and says what is wrong with the input. */
describe('bad input', () => {
  const codes = (text: string) => parseReference(text).issues.map((issue) => issue.code);

  it('an empty or blank line is an empty reference', () => {
    assert.deepEqual(parseReference(''), { segments: [], csl: { type: 'document' }, issues: [{ code: 'empty', severity: 'error', params: {} }] });
    assert.deepEqual(codes(' \t \r\n'), ['empty']);
  });

  it('a 50 KB line is reported as too long, not labelled', () => {
    const line = 'Kowalski J., Tytuł, „Czasopismo” 2019, nr 3, s. 12–15. '.repeat(900).slice(0, 50_000);
    const result = parseReference(line);
    assert.deepEqual(result.issues.map((issue) => issue.code), ['too-long']);
    assert.deepEqual(result.issues[0]!.params, { length: line.trim().length, limit: MAX_REFERENCE_LENGTH });
    // Nothing is lost: the text is kept as one segment.
    assert.equal(result.segments[0]![1], line.trim());
  });

  it('binary garbage is reported as not text', () => {
    let seed = 7;
    const bytes = Buffer.from(Array.from({ length: 600 }, () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % 256));
    for (const text of [bytes.toString('utf8'), bytes.toString('latin1'), '\u0000\u0001\u0002\u0003']) {
      const result = parseReference(text);
      assert.ok(result.issues.some((issue) => issue.code === 'not-text'), JSON.stringify(result.issues));
    }
    // A reference with one stray control character is still read, and the character reported.
    const stray = parseReference('Kowalski J., Dyplomacja\u0007 publiczna, Warszawa: PWN, 2019.');
    assert.deepEqual(stray.issues.map((issue) => issue.code), ['not-text']);
    assert.deepEqual(stray.csl.issued, { 'date-parts': [[2019]] });
  });

  it('punctuation or symbols only', () => {
    for (const text of ['.', ',,,;;;', '—', '()[]{}<>', '!!!???', '★ ☆ ✓']) assert.deepEqual(codes(text), ['no-words'], text);
  });

  it('unpaired surrogates and other odd strings do not break it', () => {
    for (const text of ['\uD800abc 2019', 'a\uDFFFb', '\u202Eevil', '💥'.repeat(40), '1', 'x'.repeat(MAX_REFERENCE_LENGTH)]) {
      const result = parseReference(text);
      assert.ok(Array.isArray(result.segments) && typeof result.csl.type === 'string', text);
    }
    assert.deepEqual(parseReference(null as unknown as string).issues.map((issue) => issue.code), ['empty']);
  });

  it('a list with bad entries keeps its numbering', () => {
    const list = parseReferences(['', 'Kowalski J., Dyplomacja publiczna, Warszawa: PWN, 2019.', '...']);
    assert.deepEqual(list.map((reference) => reference.csl.id), ['ref-1', 'ref-2', 'ref-3']);
    assert.deepEqual(list.map((reference) => reference.issues.map((issue) => issue.code)), [['empty'], [], ['no-words']]);
  });
});
