import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formText } from './forms.ts';

describe('reading form fields', () => {
  it('gives text without control characters or lone surrogates, so any field can be stored', () => {
    assert.equal(formText({ title: ' a\u0000b\u0007c\r\nd ' }, 'title'), 'abc\r\nd');
    // A JSON body can carry half a surrogate pair; PostgreSQL refuses it inside jsonb.
    assert.equal(formText({ title: 'x\ud800y' }, 'title'), 'x\ufffdy');
    assert.equal(formText({ title: '\udfffx' }, 'title'), '\ufffdx');
    assert.equal(formText({ title: 'emoji \ud83d\ude00' }, 'title'), 'emoji \ud83d\ude00', 'a whole pair stays');
    // Cutting to the maximum length does not leave half a pair behind either.
    assert.equal(formText({ title: 'ab\ud83d\ude00' }, 'title', 3), 'ab\ufffd');
    assert.equal(formText({ title: ['first', 'second'] }, 'title'), 'first');
  });
});
