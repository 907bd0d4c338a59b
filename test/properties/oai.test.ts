import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { siteSecret } from '../../src/accounts/index.ts';
import { ask, assertValidOai, checkAnswer, type Answer } from '../support/answers.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { testDatabases } from '../support/databases.ts';
import { encodedValue, fieldName, hostileDate, hostileNumber, hostileText, percentEncode, queryOf, runs } from '../support/properties.ts';
import { loadCorpus } from '../support/search-corpus.ts';

/**
 * OAI-PMH (`/oai`, `/{journal}/oai`, GET and POST) under random and hostile arguments: every answer
 * is a well-formed OAI-PMH document (an error element where the request is wrong), never a server
 * error, and a sample of them is valid against the official schema.
 */

const VERBS = ['Identify', 'ListMetadataFormats', 'ListSets', 'ListIdentifiers', 'ListRecords', 'GetRecord'];
const ARGUMENTS = ['verb', 'identifier', 'metadataPrefix', 'from', 'until', 'set', 'resumptionToken'];
const ERROR_CODES = ['badVerb', 'badArgument', 'badResumptionToken', 'cannotDisseminateFormat', 'idDoesNotExist', 'noRecordsMatch', 'noMetadataFormats', 'noSetHierarchy'];
const ENDPOINTS = ['/oai', '/sm/oai', '/kw/oai', '/ap/oai', '/off/oai', '/nope/oai'];
/** Every how many answers one is kept for schema validation (besides those echoing arguments), and how many at most. */
const SAMPLE_EVERY = 8;
const SAMPLE_MAX = 150;

interface OaiCase {
  endpoint: string;
  method: string;
  verb: string | undefined;
  /** Names as they are, values already percent-encoded. */
  args: Array<[string, string]>;
}
const example = (endpoint: string, method: string, verb: string | undefined, args: Array<[string, string]> = []): [OaiCase] => [{ endpoint, method, verb, args }];

for (const database of await testDatabases()) {
  describe(`OAI-PMH properties on ${database.name}`, () => {
    let t: TestApp;
    /** Resumption tokens the repository really issued, per list and endpoint. */
    const issued: string[] = [];
    let secret = '';
    const sample: string[] = [];
    let answered = 0;

    before(async () => {
      // Two records a page: every list of the corpus has resumption tokens to play with.
      t = await startTestApp(database, { oaiPageSize: 2 });
      await loadCorpus(t.database.db);
      await t.changes.sync();
      secret = await siteSecret(t.database.db, 'oai-resumption');
      for (const endpoint of ['/oai', '/kw/oai']) {
        for (const query of ['verb=ListRecords&metadataPrefix=oai_dc', 'verb=ListIdentifiers&metadataPrefix=marcxml', 'verb=ListSets', 'verb=ListRecords&metadataPrefix=jats&set=kw']) {
          const first = await t.app.inject({ url: `${endpoint}?${query}` });
          const token = /<resumptionToken[^>]*>([^<]+)</.exec(first.body)?.[1];
          if (token) issued.push(token);
          // And the token of the page after, to have tokens with a cursor.
          if (token) {
            const verb = /verb=(\w+)/.exec(query)![1];
            const second = await t.app.inject({ url: `${endpoint}?verb=${verb}&resumptionToken=${encodeURIComponent(token)}` });
            const next = /<resumptionToken[^>]*>([^<]+)</.exec(second.body)?.[1];
            if (next) issued.push(next);
          }
        }
      }
      assert.ok(issued.length >= 4, 'the corpus is large enough for resumption tokens');
    });
    after(() => t.close());

    /** A token that looks right: real, tampered, moved to another list, or well-formed but never issued. */
    const token = (): fc.Arbitrary<string> => {
      const real = fc.constantFrom(...issued);
      const sign = (payload: string) => `${payload}.${createHmac('sha256', secret).update(payload).digest('base64url')}`;
      const encode = (state: unknown) => Buffer.from(JSON.stringify(state)).toString('base64url');
      return fc.oneof(
        real,
        // One character of the payload or signature changed.
        fc.tuple(real, fc.nat(), fc.constantFrom('A', 'b', '-', '_', '.', '=', '%')).map(([tok, at, c]) => {
          const i = at % tok.length;
          return tok.slice(0, i) + c + tok.slice(i + 1);
        }),
        // A payload of the attacker's choosing with a real token's signature.
        fc.tuple(real, fc.record({ cursor: hostileNumber, after: fc.tuple(hostileDate, hostileNumber) })).map(([tok, change]) => {
          const state = JSON.parse(Buffer.from(tok.split('.')[0]!, 'base64url').toString('utf8')) as Record<string, unknown>;
          return `${encode({ ...state, ...change })}.${tok.split('.')[1]}`;
        }),
        // Shapes of a token: empty parts, many dots, too long, not base64.
        fc.constantFrom('.', '..', 'a.', '.b', 'a.b.c', 'e30.e30', `${'A'.repeat(2001)}.x`, `${encode({})}.${'A'.repeat(43)}`, 'eyJ2ZXJiIjoiTGlzdFJlY29yZHMifQ.AAAA'),
        fc.tuple(fc.json(), fc.base64String({ maxLength: 64 })).map(([json, sig]) => `${Buffer.from(json).toString('base64url')}.${sig}`),
        // Signed by this repository but holding nonsense: what a leaked secret or a bug would give.
        fc
          .record({
            verb: fc.constantFrom('ListRecords', 'ListIdentifiers', 'ListSets', 'GetRecord', '__proto__'),
            scope: fc.constantFrom('', 'kw', 'sm', 'nope'),
            metadataPrefix: fc.oneof(fc.constantFrom('oai_dc', 'marcxml', 'jats'), hostileText({ maxLength: 50 })),
            set: fc.option(fc.oneof(fc.constantFrom('kw', 'kw:section-1', 'sm'), hostileText({ maxLength: 50 })), { nil: undefined }),
            from: fc.option(hostileDate, { nil: undefined }),
            before: fc.option(hostileDate, { nil: undefined }),
            after: fc.option(fc.tuple(hostileDate, fc.oneof(fc.integer(), fc.double())), { nil: undefined }),
            cursor: fc.oneof(fc.integer(), fc.double()),
            completeListSize: fc.oneof(fc.integer(), fc.double()),
            expires: fc.oneof(fc.constant(Date.now() + 3_600_000), fc.integer(), fc.double()),
          })
          .map((state) => sign(encode(state))),
      );
    };

    const argument = (name: string): fc.Arbitrary<string> => {
      switch (name) {
        case 'verb':
          return fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...VERBS) }, { weight: 1, arbitrary: hostileText({ maxLength: 100 }) });
        case 'identifier':
          return fc.oneof(
            fc.constantFrom('oai:localhost:article/1786', 'oai:localhost:article/', 'oai:elsewhere:article/1786', 'oai:localhost:article/1786/', 'oai:localhost:issue/1'),
            hostileNumber.map((n) => `oai:localhost:article/${n}`),
            hostileText({ maxLength: 300 }),
          );
        case 'metadataPrefix':
          return fc.oneof({ weight: 4, arbitrary: fc.constantFrom('oai_dc', 'marcxml', 'jats') }, { weight: 1, arbitrary: fc.constantFrom('OAI_DC', 'mods', 'oai_dc ', 'oai dc') }, { weight: 2, arbitrary: hostileText({ maxLength: 100 }) });
        case 'from':
        case 'until':
          return fc.oneof(hostileDate, fc.date({ min: new Date('2000-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)), hostileText({ maxLength: 50 }));
        case 'set':
          return fc.oneof(fc.constantFrom('kw', 'sm', 'ap', 'off', 'kw:section-1', 'kw:section-999999999', 'kw:section-', 'kw:', ':section-1'), hostileText({ maxLength: 100 }));
        case 'resumptionToken':
          return fc.oneof({ weight: 4, arbitrary: token() }, { weight: 1, arbitrary: hostileText({ maxLength: 2500 }) });
        default:
          return hostileText({ maxLength: 100 });
      }
    };

    /** A request: usually a verb first, then arguments — right ones, repeated ones, unknown ones. */
    const oaiRequest = (): fc.Arbitrary<OaiCase> =>
      fc.record({
        endpoint: fc.constantFrom(...ENDPOINTS),
        method: fc.constantFrom('GET', 'GET', 'POST'),
        verb: fc.option(argument('verb'), { freq: 8, nil: undefined }),
        args: fc.array(
          fieldName(ARGUMENTS).chain((name) =>
            fc.oneof(
              { weight: 5, arbitrary: argument(name).map(percentEncode) },
              { weight: 1, arbitrary: encodedValue() },
            ).map((value) => [name, value] as [string, string]),
          ),
          { maxLength: 5 },
        ),
      });

    const send = async (request: OaiCase): Promise<Answer> => {
      const pairs: Array<[string, string]> = [...(request.verb !== undefined ? [['verb', percentEncode(request.verb)] as [string, string]] : []), ...request.args];
      const query = queryOf(pairs);
      return request.method === 'GET'
        ? ask(t.app, { method: 'GET', url: `${request.endpoint}?${query}` })
        : ask(t.app, { method: 'POST', url: request.endpoint, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: query });
    };

    const checkOai = (answer: Answer, endpoint: string) => {
      checkAnswer(answer, answer.status === 404 ? 'any' : 'xml');
      if (answer.status === 404) {
        assert.ok(['/nope/oai', '/off/oai'].includes(endpoint), `only a journal that does not exist (or is closed) has no repository: ${answer.asked}`);
        return;
      }
      assert.equal(answer.status, 200, answer.asked);
      assert.match(answer.body, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<OAI-PMH xmlns="http:\/\/www\.openarchives\.org\/OAI\/2\.0\/"/, `an OAI-PMH document: ${answer.asked}`);
      for (const [, code] of answer.body.matchAll(/<error code="([^"]*)"/g)) {
        assert.ok(ERROR_CODES.includes(code!), `an OAI-PMH error code, not "${code}": ${answer.asked}\n${answer.body.slice(0, 600)}`);
        // badVerb and badArgument answers name only the base URL (OAI-PMH 3.2).
        if (code === 'badVerb' || code === 'badArgument') assert.match(answer.body, /<request>[^<]*<\/request>/, `no arguments echoed with ${code}: ${answer.asked}`);
      }
      // Answers that echo the request's arguments are the ones whose validity depends on the input: all of them, and some others
      // (JATS records included: their namespace has a schema in the validation, test/support/oai-schemas.ts).
      const echoes = /<request verb=/.test(answer.body);
      if ((echoes || answered++ % SAMPLE_EVERY === 0) && sample.length < SAMPLE_MAX) sample.push(answer.body);
    };

    it('answers any arguments, by GET or POST, with a well-formed OAI-PMH document and never a server error', async () => {
      await fc.assert(
        fc.asyncProperty(oaiRequest(), async (request) => checkOai(await send(request), request.endpoint)),
        runs(150, [
          // Names that are properties of every JavaScript object.
          example('/oai', 'GET', 'constructor'),
          example('/oai', 'GET', 'toString'),
          example('/oai', 'POST', '__proto__'),
          example('/oai', 'GET', 'Identify', [['toString', 'x']]),
          // Year 0 and year 9999 (known: year 0 reaches the database).
          example('/oai', 'GET', 'ListRecords', [['metadataPrefix', 'oai_dc'], ['from', '0000-01-01']]),
          example('/oai', 'GET', 'ListIdentifiers', [['metadataPrefix', 'oai_dc'], ['until', '9999-12-31T23%3A59%3A59Z']]),
          example('/kw/oai', 'GET', 'GetRecord', [['metadataPrefix', 'oai_dc'], ['identifier', 'oai%3Alocalhost%3Aarticle%2F%00']]),
        ]),
      );
    });

    it('continues or refuses any resumption token, real, tampered, forged or signed with nonsense', async () => {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...ENDPOINTS.slice(0, 3)), fc.constantFrom('ListRecords', 'ListIdentifiers', 'ListSets'), token(), fc.constantFrom('GET', 'POST'), async (endpoint, verb, resumptionToken, method) => {
          const answer = await send({ endpoint, method, verb, args: [['resumptionToken', percentEncode(resumptionToken)]] });
          checkOai(answer, endpoint);
        }),
        runs(100),
      );
    });

    it('answers bodies that are not a form: JSON, multipart, none', async () => {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom('/oai', '/sm/oai'), fc.constantFrom('application/json', 'text/plain', 'application/xml', 'multipart/form-data; boundary=x'), fc.oneof(fc.json(), hostileText({ maxLength: 500 })), async (endpoint, type, payload) => {
          const answer = await ask(t.app, { method: 'POST', url: endpoint, headers: { 'content-type': type }, payload });
          checkAnswer(answer);
        }),
        runs(60, [['/oai', 'application/json', '{"verb":"constructor"}'], ['/oai', 'application/json', '{"verb":["Identify","Identify"]}'], ['/oai', 'application/json', 'null'], ['/oai', 'application/json', '[{"toString":""}]']]),
      );
    });

    it('is valid against the OAI-PMH schema, on a sample of the answers above', async () => {
      assert.ok(sample.length >= 10, `a sample to validate (${sample.length})`);
      await assertValidOai(sample);
    });
  });
}
