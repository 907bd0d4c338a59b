import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { datestamp, decodeToken, encodeToken, OaiError, parseRange, parseRequest, type ListState } from './protocol.ts';

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as OaiError).code;
  }
  return 'no error';
};

describe('OAI-PMH request rules', () => {
  it('takes each verb with exactly its arguments', () => {
    assert.deepEqual(parseRequest([['verb', 'GetRecord'], ['identifier', 'x'], ['metadataPrefix', 'oai_dc']]), { verb: 'GetRecord', args: { identifier: 'x', metadataPrefix: 'oai_dc' } });
    assert.equal(code(() => parseRequest([['verb', 'GetRecord'], ['identifier', 'x']])), 'badArgument');
    assert.equal(code(() => parseRequest([['verb', 'ListSets'], ['resumptionToken', 'a'], ['set', 'b']])), 'badArgument');
    assert.equal(code(() => parseRequest([['verb', 'ListRecords'], ['metadataPrefix', 'a'], ['metadataPrefix', 'b']])), 'badArgument');
    assert.equal(code(() => parseRequest([['metadataPrefix', 'a']])), 'badVerb');
    assert.equal(code(() => parseRequest([['verb', 'listrecords']])), 'badVerb', 'verbs are case-sensitive');
    // Values the schema's request element cannot hold are illegal arguments; a well-formed unknown format is not.
    assert.equal(code(() => parseRequest([['verb', 'ListRecords'], ['metadataPrefix', 'a b']])), 'badArgument');
    assert.equal(code(() => parseRequest([['verb', 'ListRecords'], ['metadataPrefix', 'oai_dc'], ['set', 'sm:']])), 'badArgument');
    assert.equal(code(() => parseRequest([['verb', 'GetRecord'], ['metadataPrefix', 'oai_dc<'], ['identifier', 'x']])), 'badArgument');
    assert.deepEqual(parseRequest([['verb', 'ListRecords'], ['metadataPrefix', 'mods'], ['set', 'sm:section-1']]), { verb: 'ListRecords', args: { metadataPrefix: 'mods', set: 'sm:section-1' } });
  });

  it('takes names of JavaScript object properties as plain names', () => {
    for (const verb of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) assert.equal(code(() => parseRequest([['verb', verb]])), 'badVerb', verb);
    // Not "repeated": the first one is an argument Identify does not take.
    assert.throws(() => parseRequest([['verb', 'Identify'], ['toString', 'x']]), /does not take the argument toString/);
    assert.throws(() => parseRequest([['verb', 'Identify'], ['__proto__', 'x']]), /does not take the argument __proto__/);
  });

  it('reads dates in both granularities, until inclusive, and refuses mixed or reversed ranges', () => {
    assert.deepEqual(parseRange('2021-12-27', '2021-12-27'), { from: new Date('2021-12-27T00:00:00Z'), before: new Date('2021-12-28T00:00:00Z') });
    assert.deepEqual(parseRange(undefined, '2021-12-27T10:00:00Z'), { before: new Date('2021-12-27T10:00:01Z') });
    for (const [from, until] of [['2021-02-30', undefined], ['0000-01-01', undefined], [undefined, '0000-12-31T23:59:59Z'], ['2021-12-27T10:00:00', undefined], ['2021-12-27', '2021-12-27T10:00:00Z'], ['2022-01-01', '2021-01-01']] as const) {
      assert.equal(code(() => parseRange(from, until)), 'badArgument', `${from} ${until}`);
    }
    assert.equal(datestamp(new Date('2021-12-27T10:11:12.345Z')), '2021-12-27T10:11:12Z');
  });

  it('signs resumption tokens: a changed, foreign or expired one is refused', () => {
    const state: ListState = { verb: 'ListRecords', scope: 'sm', metadataPrefix: 'oai_dc', cursor: 100, completeListSize: 250, after: ['2021-12-27T10:00:00.000Z', 1786], expires: Date.parse('2030-01-01') };
    const token = encodeToken(state, 'secret');
    assert.deepEqual(decodeToken(token, 'secret', new Date('2026-01-01'), { verb: 'ListRecords', scope: 'sm' }), state);
    const [payload, signature] = token.split('.');
    const changed = Buffer.from(JSON.stringify({ ...state, cursor: 0 })).toString('base64url');
    assert.equal(code(() => decodeToken(`${changed}.${signature}`, 'secret', new Date('2026-01-01'), { verb: 'ListRecords', scope: 'sm' })), 'badResumptionToken');
    assert.equal(code(() => decodeToken(token, 'other secret', new Date('2026-01-01'), { verb: 'ListRecords', scope: 'sm' })), 'badResumptionToken');
    assert.equal(code(() => decodeToken(token, 'secret', new Date('2026-01-01'), { verb: 'ListIdentifiers', scope: 'sm' })), 'badResumptionToken');
    assert.equal(code(() => decodeToken(token, 'secret', new Date('2026-01-01'), { verb: 'ListRecords', scope: '' })), 'badResumptionToken');
    assert.equal(code(() => decodeToken(token, 'secret', new Date('2031-01-01'), { verb: 'ListRecords', scope: 'sm' })), 'badResumptionToken', 'expired');
    assert.equal(code(() => decodeToken(payload!, 'secret', new Date('2026-01-01'), { verb: 'ListRecords', scope: 'sm' })), 'badResumptionToken');
  });

  it('refuses a signed token whose state it cannot read (another version’s shape), and reads every date it writes', () => {
    const now = new Date('2026-01-01');
    const state: ListState = { verb: 'ListRecords', scope: 'sm', metadataPrefix: 'oai_dc', cursor: 2, completeListSize: 9, after: ['2021-12-27T10:00:00.000Z', 1786], expires: Date.parse('2030-01-01') };
    for (const change of [{ after: ['0000-00', 0] }, { after: ['2021-12-27T10:00:00.000Z', -1] }, { after: 'x' }, { cursor: 'x' }, { completeListSize: 1.5 }, { from: 'yesterday' }, { before: 5 }, { set: ['a'] }, { expires: null }, { verb: 'GetRecord' }]) {
      const token = encodeToken({ ...state, ...change } as unknown as ListState, 'secret');
      assert.equal(code(() => decodeToken(token, 'secret', now, { verb: 'ListRecords', scope: 'sm' })), 'badResumptionToken', JSON.stringify(change));
    }
    const farFuture = { ...state, before: new Date('9999-12-31T23:59:59Z').getTime() + 1000 };
    const withYear10000 = { ...state, before: new Date(farFuture.before).toISOString() };
    assert.deepEqual(decodeToken(encodeToken(withYear10000, 'secret'), 'secret', now, { verb: 'ListRecords', scope: 'sm' }), withYear10000);
  });
});
