import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { buildApp } from '../app.ts';
import { watchContentChanges } from '../catalog/index.ts';
import { initialiseSite } from '../demo/index.ts';
import { createFileStore } from '../storage/index.ts';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { assertValid, counterSpec, responseSchema, validatorFor } from '../../test/support/counter.ts';
import { testDatabases } from '../../test/support/databases.ts';
import { manualClock } from '../../test/support/session.ts';
import { readSushiQuery } from './sushi-query.ts';

const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
const REPORTS = ['pr', 'pr_p1', 'tr', 'tr_j3', 'ir', 'ir_a1'];
/** The JSON schema every SUSHI answer must match, by HTTP status (and report, for 200). */
const MEMBERS = responseSchema('200_Members');
// The CoP (§3.3.7) says Granularity Totals; the shipped OpenAPI file still says Total (fixed in Project-Counter/cop5#295).
const fixedSpec = structuredClone(counterSpec);
fixedSpec.components.schemas.Granularity_Attribute.properties.Granularity.enum = ['Month', 'Totals'];
const schemaAt = validatorFor(fixedSpec);
const EXCEPTION_SCHEMAS: Record<number, string> = { 400: '400_Exception', 401: '401_Exception', 403: '403_Exception', 503: '503_Exception' };

interface Answer {
  statusCode: number;
  headers: Record<string, unknown>;
  body: string;
}

/**
 * Asserts an answer is COUNTER JSON valid for its status: with 200 against `ok` (a report's id or a
 * response schema), otherwise an Exception of that status; a 404 is a JSON message.
 */
function assertCounterJson(answer: Answer, ok: string | undefined, what: string): unknown {
  assert.match(String(answer.headers['content-type']), /^application\/json/, `${what}: JSON, not ${answer.headers['content-type']}`);
  const body: unknown = JSON.parse(answer.body);
  if (answer.statusCode === 200) {
    assert.ok(ok, `${what}: 200 where an error was expected`);
    assertValid(ok, body, schemaAt);
  } else if (answer.statusCode === 404) {
    assert.equal(typeof (body as { Message?: unknown }).Message, 'string', what);
  } else {
    const schema = EXCEPTION_SCHEMAS[answer.statusCode];
    assert.ok(schema, `${what}: HTTP ${answer.statusCode} is no COUNTER answer`);
    assertValid(responseSchema(schema), body, schemaAt);
  }
  return body;
}

describe('reading SUSHI parameters', () => {
  it('joins a repeated list parameter with "|" and keeps one value of a single one given twice alike', () => {
    const query = readSushiQuery({ metric_type: ['Total_Item_Requests', 'Unique_Item_Requests'], yop: ['2020', '', '2021-2022'], granularity: ['Totals', 'Totals'], customer_id: '' });
    assert.deepEqual({ ...query.values }, { metric_type: 'Total_Item_Requests|Unique_Item_Requests', yop: '2020|2021-2022', granularity: 'Totals' });
    assert.deepEqual(query.conflicting, []);
  });

  it('names single-valued parameters given twice with different values, and leaves them out', () => {
    const query = readSushiQuery({ begin_date: ['2026-01', '2026-02'], customer_id: ['a', 'b'], end_date: '2026-03' });
    assert.deepEqual(query.conflicting.sort(), ['begin_date', 'customer_id']);
    assert.deepEqual({ ...query.values }, { end_date: '2026-03' });
  });
});

for (const database of await testDatabases()) {
  describe(`SUSHI parameters over HTTP on ${database.name}`, () => {
    let t: TestApp;
    const clock = manualClock(new Date('2026-03-10T12:00:00Z'));
    const sushi = (query: string, report = 'ir') => t.app.inject({ url: `/sm/api/sushi/r51/reports/${report}?${query}` });
    const DATES = 'begin_date=2026-03&end_date=2026-03';
    const codes = (report: { Report_Header: { Exceptions?: { Code: number }[] } }) => (report.Report_Header.Exceptions ?? []).map((e) => e.Code);

    before(async () => {
      t = await startTestApp(database, { clock });
      const stored = await t.files.put(Buffer.from('%PDF-1.4\n% sushi parameters\n'));
      const file = await t.database.db.insertInto('files').values({ storage_key: stored.key, mime_type: 'application/pdf', size_bytes: stored.sizeBytes, sha256: stored.sha256, original_name: 'a.pdf' }).returning('id').executeTakeFirstOrThrow();
      const publication = await t.database.db.selectFrom('publications').select('id').where('article_id', '=', 1786).executeTakeFirstOrThrow();
      const galley = await t.database.db.insertInto('galleys').values({ publication_id: publication.id, label: 'PDF', locale: 'en', file_id: file.id }).returning('id').executeTakeFirstOrThrow();
      await t.changes.sync();
      const download = await t.app.inject({ url: `/sm/article/download/1786/${galley.id}`, remoteAddress: '192.0.2.1', headers: { 'user-agent': BROWSER } });
      assert.equal(download.statusCode, 200);
      clock.advance(30 * 86_400_000);
    });
    after(() => t.close());

    it('takes a repeated list parameter as the "|" list COUNTER writes, for every list parameter', async () => {
      const piped = await sushi(`${DATES}&metric_type=Total_Item_Requests|Unique_Item_Requests&attributes_to_show=YOP|Access_Type&access_type=Open|Controlled&access_method=Regular|TDM&yop=2021|2020-2022&data_type=Article|Book_Segment`);
      const repeated = await sushi(`${DATES}&metric_type=Total_Item_Requests&metric_type=Unique_Item_Requests&attributes_to_show=YOP&attributes_to_show=Access_Type&access_type=Open&access_type=Controlled&access_method=Regular&access_method=TDM&yop=2021&yop=2020-2022&data_type=Article&data_type=Book_Segment`);
      assert.equal(repeated.statusCode, 200);
      const [a, b] = [assertCounterJson(piped, 'IR', 'piped'), assertCounterJson(repeated, 'IR', 'repeated')] as { Report_Header: { Created: string; Report_Filters: unknown; Report_Attributes: unknown; Exceptions?: unknown }; Report_Items: unknown }[];
      assert.deepEqual(b!.Report_Header.Report_Filters, a!.Report_Header.Report_Filters);
      assert.deepEqual((b!.Report_Header.Report_Filters as { Metric_Type: string[] }).Metric_Type, ['Total_Item_Requests', 'Unique_Item_Requests']);
      assert.deepEqual(b!.Report_Header.Report_Attributes, { Attributes_To_Show: ['YOP', 'Access_Type'] });
      assert.deepEqual(b!.Report_Items, a!.Report_Items);
      assert.ok(JSON.stringify(b!.Report_Items).includes('"Total_Item_Requests":{"2026-03":1}'), 'the download is reported');
      assert.equal(b!.Report_Header.Exceptions, undefined, 'nothing ignored');
    });

    it('answers single-valued parameters given twice with different values as invalid values of them', async () => {
      const dates = await sushi('begin_date=2026-01&begin_date=2026-02&end_date=2026-03');
      assert.equal(dates.statusCode, 400);
      assert.equal((assertCounterJson(dates, undefined, 'dates') as { Code: number }).Code, 3020);
      for (const name of ['customer_id', 'requestor_id', 'api_key']) {
        const answer = await sushi(`${DATES}&${name}=one&${name}=two`);
        assert.equal(answer.statusCode, 400, name);
        assert.equal((assertCounterJson(answer, undefined, name) as { Code: number }).Code, 1030, name);
        const members = await t.app.inject({ url: `/sm/api/sushi/r51/members?${name}=one&${name}=two` });
        assert.equal((assertCounterJson(members, undefined, `members ${name}`) as { Code: number }).Code, 1030);
      }
      const attributes = await sushi(`${DATES}&granularity=Month&granularity=Totals&include_parent_details=True&include_parent_details=False&platform=revista&platform=other`);
      assert.equal(attributes.statusCode, 200);
      const report = assertCounterJson(attributes, 'IR', 'attributes') as { Report_Header: { Exceptions: { Code: number; Data: string }[]; Report_Attributes?: unknown } };
      assert.deepEqual(codes(report).sort(), [3060, 3062, 3062]);
      assert.equal(report.Report_Header.Report_Attributes, undefined, 'neither granularity nor parent details applied');
      const same = await sushi(`${DATES}&granularity=Totals&granularity=Totals&customer_id=lib&customer_id=lib`);
      const totals = assertCounterJson(same, 'IR', 'same twice') as { Report_Header: { Report_Attributes: unknown; Institution_Name: string } };
      assert.deepEqual(totals.Report_Header.Report_Attributes, { Granularity: 'Totals' });
      assert.equal(totals.Report_Header.Institution_Name, 'lib');
    });

    it('takes an empty or one-letter customer_id without failing, in reports and members', async () => {
      const empty = await sushi(`${DATES}&customer_id=`);
      assert.equal(empty.statusCode, 200);
      assert.equal((assertCounterJson(empty, 'IR', 'empty customer') as { Report_Header: { Institution_Name: string } }).Report_Header.Institution_Name, 'The World');
      const short = await sushi(`${DATES}&customer_id=a`);
      assertCounterJson(short, 'IR', 'one letter');
      for (const query of ['customer_id=', 'customer_id=a', 'customer_id=%0A%0A']) {
        const members = await t.app.inject({ url: `/sm/api/sushi/r51/members?${query}` });
        assert.equal(members.statusCode, 200, query);
        assertCounterJson(members, MEMBERS, `members ${query}`);
      }
    });

    it('answers paths that name no SUSHI service with a JSON 404', async () => {
      for (const url of ['/sm/api/sushi/r51/nothing', '/sm/api/sushi/r5/reports/ir', '/sm/api/sushi/r51/reports/ir/more', '/SM/api/sushi/r51/status', '/sm/api/sushi/r51/reports/dr']) {
        const answer = await t.app.inject({ url });
        assert.equal(answer.statusCode, 404, url);
        assertCounterJson(answer, undefined, url);
      }
    });

    it('never fails on random and hostile parameters: every answer is valid COUNTER JSON', async () => {
      const names = fc.constantFrom('begin_date', 'end_date', 'metric_type', 'data_type', 'access_type', 'access_method', 'yop', 'attributes_to_show', 'granularity', 'platform', 'customer_id', 'requestor_id', 'api_key', 'include_parent_details', 'include_component_details', 'item_id', '__proto__', 'constructor', 'x');
      const hostile = fc.constantFrom('', '0000-01', '9999-12', '2026-02-30', '2026-03-01', '2025-12', '|', '||', 'Total_Item_Requests|Nope', 'Open|Controlled', 'True', 'Totals', 'Month', '0000-9999', '9999-0000', '\u0000', '%00', '\r\n', 'é', '𝔘', '<script>', '"\'', 'a'.repeat(300));
      const value = fc.oneof(hostile, fc.string({ maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 6 }));
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...REPORTS, 'members', 'reports', 'status'), fc.array(fc.tuple(names, value), { maxLength: 8 }), async (target, pairs) => {
          const query = new URLSearchParams(pairs).toString();
          const url = REPORTS.includes(target) ? `/sm/api/sushi/r51/reports/${target}?${query}` : `/sm/api/sushi/r51/${target}?${query}`;
          const answer = await t.app.inject({ url });
          assert.notEqual(answer.statusCode, 500, url);
          const schema = target === 'members' ? MEMBERS : target === 'reports' ? responseSchema('200_Reports') : target === 'status' ? responseSchema('200_Status') : target.toUpperCase();
          assertCounterJson(answer, schema, url);
        }),
        { numRuns: 150 },
      );
    });
  });
}

describe('a SUSHI request the server cannot complete', () => {
  it('is Exception 1000 "Service Not Available" with 503 in COUNTER JSON, never an HTML page', async () => {
    const [pglite] = await testDatabases();
    const database = await pglite!.open();
    await initialiseSite(database.db, { demo: true });
    const changes = await watchContentChanges(database);
    const filesRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'revista-files-'));
    const app = await buildApp({ config: { baseUrl: 'http://localhost:3000', pageCache: false }, database, files: createFileStore(filesRoot), changes });
    try {
      // The database goes away under the running app.
      await changes.close();
      await database.close();
      const answer = await app.inject({ url: '/sm/api/sushi/r51/reports/ir?begin_date=2025-01&end_date=2025-02', headers: { accept: 'text/html' } });
      assert.equal(answer.statusCode, 503);
      const body = assertCounterJson(answer, undefined, 'fault') as { Code: number; Data: string };
      assert.equal(body.Code, 1000);
      assert.ok(body.Data.includes(String(answer.headers['x-request-id'])), 'the request id, to find the logged fault');
    } finally {
      await app.close();
      fs.rmSync(filesRoot, { recursive: true, force: true });
    }
  });
});
