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
  });

  it('reads dates in both granularities, until inclusive, and refuses mixed or reversed ranges', () => {
    assert.deepEqual(parseRange('2021-12-27', '2021-12-27'), { from: new Date('2021-12-27T00:00:00Z'), before: new Date('2021-12-28T00:00:00Z') });
    assert.deepEqual(parseRange(undefined, '2021-12-27T10:00:00Z'), { before: new Date('2021-12-27T10:00:01Z') });
    for (const [from, until] of [['2021-02-30', undefined], ['2021-12-27T10:00:00', undefined], ['2021-12-27', '2021-12-27T10:00:00Z'], ['2022-01-01', '2021-01-01']] as const) {
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
});
