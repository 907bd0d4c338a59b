import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  buildReport,
  httpStatusOf,
  isSushiException,
  ITEM_DATA_TYPES,
  membersResponse,
  parseReportDates,
  reportIdOf,
  reportsList,
  statusResponse,
  sushiException,
  SUSHI_EXCEPTIONS,
  TITLE_DATA_TYPES,
  type ArticleItem,
  type CounterReport,
  type ItemGroup,
  type ReportContext,
  type ReportId,
  type TitleItem,
  type UsageRow,
} from './sushi.ts';
import { assertValid, COUNTER_DIR, counterSpec, responseSchema, schemaAt, validatorFor } from '../../test/support/counter.ts';

const spec = counterSpec;
const schema = (name: string) => schemaAt(`/components/schemas/${name}`);
const response = responseSchema;

// --- Fixtures: the demo article and journal (src/demo), a second article, and one from another journal.

type Fixture = Omit<UsageRow, 'month' | 'metrics'>;
const SM = { titleId: 1, titleName: 'Sprawy Międzynarodowe' };
const DEMO: Fixture = {
  ...SM,
  itemId: 1786,
  itemName: 'Russia’s approaches towards Armenia and Azerbaijan: evolution of the policy or interests come first?',
  yop: 2021,
  accessType: 'Open',
  publicationDate: '2021-12-27',
};
const SECOND: Fixture = {
  ...SM,
  itemId: 1787,
  itemName: 'Second article of the issue (test fixture)',
  yop: 2022,
  accessType: 'Open',
  authors: [{ name: 'Anna Kowalska', orcid: 'https://orcid.org/0000-0002-1825-0097' }, { name: 'J' }],
};
const OTHER: Fixture = {
  titleId: 2,
  titleName: 'Przegląd Testowy',
  titleIssn: { online: '1234-5679' },
  publisher: 'Wydawnictwo Testowe',
  itemId: 42,
  itemName: 'Article of another journal (test fixture)',
  doi: 'https://doi.org/10.1234/pt.42',
  yop: 2020,
  accessType: 'Controlled',
};

const row = (item: Fixture, month: string, tii: number, uii: number, tir: number, uir: number): UsageRow => ({
  ...item,
  month,
  metrics: { Total_Item_Investigations: tii, Unique_Item_Investigations: uii, Total_Item_Requests: tir, Unique_Item_Requests: uir, Unique_Title_Investigations: uii, Unique_Title_Requests: uir },
});

const ROWS: UsageRow[] = [
  row(DEMO, '2025-12', 99, 99, 99, 99), // before the reporting period
  row(DEMO, '2026-01', 40, 31, 12, 10),
  row(DEMO, '2026-02', 55, 42, 17, 15),
  row(DEMO, '2026-03', 23, 20, 0, 0), // looked at, not downloaded
  row(SECOND, '2026-01', 8, 7, 3, 3),
  row(SECOND, '2026-03', 11, 9, 5, 4),
  row(OTHER, '2026-02', 6, 5, 2, 2),
];

const CTX: ReportContext = {
  platform: 'revista',
  platformName: 'Revista',
  institutionName: 'Biblioteka Uniwersytecka w Warszawie',
  customerId: 'buw-0001',
  created: new Date('2026-04-02T08:30:15.123Z'),
  createdBy: 'Revista',
  beginDate: '2026-01-01',
  endDate: '2026-03-31',
};

const articles = (report: CounterReport) => (report.Report_Items as ItemGroup[]).flatMap((group) => group.Items);
const article = (report: CounterReport, id: number) => articles(report).find((a) => a.Item_ID.Proprietary === `revista:article/${id}`);
const title = (report: CounterReport, name: string) => (report.Report_Items as TitleItem[]).find((t) => t.Title === name);

describe('the validation harness', () => {
  const SAMPLES: Record<string, string> = { IRA1: 'IR_A1', IR: 'IR', PRP1: 'PR_P1', PR: 'PR', TRJ3: 'TR_J3', TR: 'TR' };
  for (const file of readdirSync(COUNTER_DIR.pathname + 'samples')) {
    const id = SAMPLES[file.replace('_sample_r51.json', '')];
    it(`accepts the official ${id} sample, once its Registry_Record is allowed`, () => {
      const sample = JSON.parse(readFileSync(new URL(`samples/${file}`, COUNTER_DIR), 'utf8'));
      const validate = schema(id);
      // Known defect (schemas/README.md): the samples name registry.countermetrics.org, the spec registry.projectcounter.org.
      assert.equal(validate(sample), false);
      assert.deepEqual(validate.errors?.map((e) => e.instancePath), ['/Report_Header/Registry_Record']);
      assertValid(id, { ...sample, Report_Header: { ...sample.Report_Header, Registry_Record: '' } });
    });
  }

  it('rejects what it should: a report without Institution_ID, a zero count, a Severity', () => {
    const report = buildReport('IR_A1', ROWS, CTX);
    const { Institution_ID: _dropped, ...header } = report.Report_Header;
    assert.equal(schema('IR_A1')({ ...report, Report_Header: header }), false);
    assert.equal(schema('Counts')({ '2026-01': -1 }), false);
    assert.equal(schema('Exception_3030')({ ...sushiException(3030), Severity: 'Warning' }), false);
  });

  it('uses the Data_Type vocabularies the spec permits in TR and IR filters', () => {
    const enumOf = (name: string) => spec.components.schemas[name].allOf[1].properties.Data_Type.items.enum;
    assert.deepEqual(TITLE_DATA_TYPES, enumOf('TR_Report_Filters'));
    assert.deepEqual(ITEM_DATA_TYPES, enumOf('IR_Report_Filters'));
  });
});

describe('status, members and report list', () => {
  it('answers /r51/status, with alerts and without a Registry record', () => {
    const status = statusResponse(CTX, { alerts: [{ at: new Date('2026-04-05T22:00:00Z'), message: 'Przerwa techniczna w niedzielę o północy.' }] });
    assertValid(response('200_Status'), status);
    assert.equal(status[0].Service_Active, true);
    assert.equal('Registry_Record' in status[0], false);
    assert.deepEqual(status[0].Alerts, [{ Date_Time: '2026-04-05T22:00:00Z', Alert: 'Przerwa techniczna w niedzielę o północy.' }]);
    assertValid(response('200_Status'), statusResponse({ ...CTX, registryRecord: 'https://registry.projectcounter.org/platform/b2b2736c-2cb9-48ec-91f4-870336acfb1c' }, { active: false }));
  });

  it('answers /r51/members with the customer itself', () => {
    const members = membersResponse({ ...CTX, customerId: 'buw-0001' });
    assertValid(response('200_Members'), members);
    assert.deepEqual(members, [{ Customer_ID: 'buw-0001', Institution_Name: 'Biblioteka Uniwersytecka w Warszawie' }]);
    assertValid(response('200_Members'), membersResponse({ ...CTX, customerId: 'buw-0001', institutionId: { ROR: ['039bjqg32'] } }));
  });

  it('lists the six reports with their CoP names and paths', () => {
    const list = reportsList({ ...CTX, beginDate: '2024-01-01', endDate: '2026-03-31' });
    assertValid(response('200_Reports'), list);
    assert.deepEqual(list.map((r) => [r.Report_ID, r.Report_Name, r.Path]), [
      ['PR', 'Platform Report', '/r51/reports/pr'],
      ['PR_P1', 'Platform Usage', '/r51/reports/pr_p1'],
      ['TR', 'Title Report', '/r51/reports/tr'],
      ['TR_J3', 'Journal Usage by Access Type', '/r51/reports/tr_j3'],
      ['IR', 'Item Report', '/r51/reports/ir'],
      ['IR_A1', 'Journal Article Requests', '/r51/reports/ir_a1'],
    ]);
    assert.ok(list.every((r) => r.Release === '5.1' && r.First_Month_Available === '2024-01' && r.Last_Month_Available === '2026-03'));
  });
});

describe('reports', () => {
  const ALL: ReportId[] = ['PR', 'PR_P1', 'TR', 'TR_J3', 'IR', 'IR_A1'];
  for (const id of ALL) {
    it(`builds a valid ${id}, with a header as R5.1 has it`, () => {
      const report = buildReport(id, ROWS, CTX);
      assertValid(id, report);
      const header = report.Report_Header;
      assert.equal(header.Release, '5.1');
      assert.equal(header.Created, '2026-04-02T08:30:15Z');
      assert.deepEqual(header.Institution_ID, { Proprietary: ['revista:buw-0001'] });
      assert.equal(header.Registry_Record, '');
      assert.equal(header.Report_Filters.Begin_Date, '2026-01-01');
      assert.equal(header.Exceptions, undefined);
      assert.ok(report.Report_Items.length > 0);
    });
  }

  it('IR: the demo article’s requests per month, zero months left out', () => {
    const report = buildReport('IR', ROWS, CTX, { attributesToShow: ['YOP', 'Access_Type', 'Access_Method', 'Authors', 'Publication_Date', 'Article_Version'] });
    assertValid('IR', report);
    assert.equal(report.Report_Items.length, 1, 'without parent details all items share one entry');
    const demo = article(report, 1786)!;
    assert.equal(demo.Item, DEMO.itemName);
    assert.equal(demo.Publication_Date, '2021-12-27');
    assert.equal(demo.Article_Version, 'VoR');
    assert.equal(demo.Authors, undefined, 'the demo page names no author');
    assert.deepEqual(demo.Attribute_Performance, [
      {
        Data_Type: 'Article',
        YOP: '2021',
        Access_Type: 'Open',
        Access_Method: 'Regular',
        Performance: {
          Total_Item_Investigations: { '2026-01': 40, '2026-02': 55, '2026-03': 23 },
          Total_Item_Requests: { '2026-01': 12, '2026-02': 17 },
          Unique_Item_Investigations: { '2026-01': 31, '2026-02': 42, '2026-03': 20 },
          Unique_Item_Requests: { '2026-01': 10, '2026-02': 15 },
        },
      },
    ]);
    assert.equal(demo.Attribute_Performance[0].Performance.Total_Item_Requests?.['2026-02'], 17);
    assert.deepEqual(article(report, 1787)!.Authors, [{ Name: 'Anna Kowalska', ORCID: '0000-0002-1825-0097' }], 'ORCID as an id, names shorter than 2 left out');
    assert.deepEqual(article(report, 42)!.Item_ID, { DOI: '10.1234/pt.42', Proprietary: 'revista:article/42' });
  });

  it('IR without Attributes_To_Show: only Data_Type, no item extras, no Report_Attributes', () => {
    const report = buildReport('IR', ROWS, CTX);
    const demo = article(report, 1786)!;
    assert.deepEqual(Object.keys(demo), ['Item', 'Publisher', 'Platform', 'Item_ID', 'Attribute_Performance']);
    assert.deepEqual(Object.keys(demo.Attribute_Performance[0]), ['Data_Type', 'Performance']);
    assert.equal(report.Report_Header.Report_Attributes, undefined);
  });

  it('IR with parent details groups the articles under their journals', () => {
    const report = buildReport('IR', ROWS, CTX, { includeParentDetails: true });
    assertValid('IR', report);
    const groups = report.Report_Items as ItemGroup[];
    assert.deepEqual(groups.map((g) => [g.Title, g.Data_Type, g.Items.length]), [['Przegląd Testowy', 'Journal', 1], ['Sprawy Międzynarodowe', 'Journal', 2]]);
    assert.deepEqual(groups[0].Item_ID, { Proprietary: 'revista:journal/2', Online_ISSN: '1234-5679' });
    assert.deepEqual(report.Report_Header.Report_Attributes, { Include_Parent_Details: 'True' });
  });

  it('IR_A1: requests only, article metadata and the journal as parent', () => {
    const report = buildReport('IR_A1', ROWS, CTX);
    assertValid('IR_A1', report);
    assert.deepEqual(report.Report_Header.Report_Filters, {
      Begin_Date: '2026-01-01',
      End_Date: '2026-03-31',
      Access_Method: ['Regular'],
      Data_Type: ['Article'],
      Metric_Type: ['Total_Item_Requests', 'Unique_Item_Requests'],
    });
    const sm = (report.Report_Items as ItemGroup[]).find((g) => g.Title === 'Sprawy Międzynarodowe')!;
    const demo: ArticleItem = sm.Items.find((a) => a.Item_ID.Proprietary === 'revista:article/1786')!;
    assert.deepEqual(demo.Attribute_Performance, [{ Access_Type: 'Open', Performance: { Total_Item_Requests: { '2026-01': 12, '2026-02': 17 }, Unique_Item_Requests: { '2026-01': 10, '2026-02': 15 } } }]);
    assert.equal(demo.Publication_Date, '2021-12-27');
    assert.equal(demo.Article_Version, 'VoR');
  });

  it('TR_J3 adds up the journal’s articles, by Access_Type, without Unique_Title metrics', () => {
    const report = buildReport('TR_J3', ROWS, CTX);
    const sm = title(report, 'Sprawy Międzynarodowe')!;
    assert.deepEqual(sm.Attribute_Performance, [
      {
        Access_Type: 'Open',
        Performance: {
          Total_Item_Investigations: { '2026-01': 48, '2026-02': 55, '2026-03': 34 },
          Total_Item_Requests: { '2026-01': 15, '2026-02': 17, '2026-03': 5 },
          Unique_Item_Investigations: { '2026-01': 38, '2026-02': 42, '2026-03': 29 },
          Unique_Item_Requests: { '2026-01': 13, '2026-02': 15, '2026-03': 4 },
        },
      },
    ]);
    assert.deepEqual(sm.Item_ID, { Proprietary: 'revista:journal/1' });
    assert.equal(sm.Publisher, '', 'required, empty when unknown');
    assert.deepEqual(title(report, 'Przegląd Testowy')!.Attribute_Performance.map((a) => a.Access_Type), ['Controlled']);
  });

  it('TR_J3 splits one journal’s usage between Open and Controlled articles', () => {
    const report = buildReport('TR_J3', [row(DEMO, '2026-02', 5, 4, 2, 2), row({ ...SECOND, accessType: 'Controlled' }, '2026-02', 3, 3, 1, 1)], CTX);
    assertValid('TR_J3', report);
    assert.deepEqual(
      title(report, 'Sprawy Międzynarodowe')!.Attribute_Performance.map((a) => [a.Access_Type, a.Performance.Total_Item_Requests]),
      [['Controlled', { '2026-02': 1 }], ['Open', { '2026-02': 2 }]],
    );
  });

  it('TR with YOP and Access_Type shows one row per year of publication, Data_Type Journal', () => {
    const report = buildReport('TR', ROWS, CTX, { attributesToShow: ['YOP', 'Access_Type'] });
    assertValid('TR', report);
    const sm = title(report, 'Sprawy Międzynarodowe')!;
    assert.deepEqual(sm.Attribute_Performance.map((a) => [a.Data_Type, a.YOP, a.Access_Type, a.Performance.Unique_Item_Requests]), [
      ['Journal', '2021', 'Open', { '2026-01': 10, '2026-02': 15 }],
      ['Journal', '2022', 'Open', { '2026-01': 3, '2026-03': 4 }],
    ]);
    assert.ok(sm.Attribute_Performance.every((a) => !('Unique_Title_Requests' in a.Performance)));
  });

  it('PR adds up the platform, Data_Type Journal as in the TR', () => {
    const report = buildReport('PR', ROWS, CTX, { attributesToShow: ['Access_Method'] });
    assertValid('PR', report);
    assert.deepEqual(report.Report_Items, [
      {
        Platform: 'Revista',
        Attribute_Performance: [
          {
            Data_Type: 'Journal',
            Access_Method: 'Regular',
            Performance: {
              Total_Item_Investigations: { '2026-01': 48, '2026-02': 61, '2026-03': 34 },
              Total_Item_Requests: { '2026-01': 15, '2026-02': 19, '2026-03': 5 },
              Unique_Item_Investigations: { '2026-01': 38, '2026-02': 47, '2026-03': 29 },
              Unique_Item_Requests: { '2026-01': 13, '2026-02': 17, '2026-03': 4 },
            },
          },
        ],
      },
    ]);
    assert.deepEqual(report.Report_Header.Report_Attributes, { Attributes_To_Show: ['Access_Method'] });
  });

  it('PR_P1: requests of the platform under the view’s fixed filters', () => {
    const report = buildReport('PR_P1', ROWS, CTX);
    assert.deepEqual(report.Report_Header.Report_Filters.Metric_Type, ['Searches_Platform', 'Total_Item_Requests', 'Unique_Item_Requests', 'Unique_Title_Requests']);
    assert.deepEqual(report.Report_Items, [
      { Platform: 'Revista', Attribute_Performance: [{ Data_Type: 'Journal', Performance: { Total_Item_Requests: { '2026-01': 15, '2026-02': 19, '2026-03': 5 }, Unique_Item_Requests: { '2026-01': 13, '2026-02': 17, '2026-03': 4 } } }] },
    ]);
  });

  it('applies metric, access type and YOP filters and echoes them', () => {
    const report = buildReport('TR', ROWS, CTX, { metricTypes: ['Total_Item_Requests', 'Unique_Item_Requests'], accessType: ['Open'], yop: '2021|2015-2020' });
    assertValid('TR', report);
    assert.deepEqual(report.Report_Header.Report_Filters, {
      Begin_Date: '2026-01-01',
      End_Date: '2026-03-31',
      Metric_Type: ['Total_Item_Requests', 'Unique_Item_Requests'],
      Access_Type: ['Open'],
      YOP: ['2021', '2015-2020'],
    });
    // Only the demo article is Open and from 2021; the Controlled 2020 article is filtered out.
    assert.deepEqual(report.Report_Items.map((t) => (t as TitleItem).Title), ['Sprawy Międzynarodowe']);
    assert.deepEqual(title(report, 'Sprawy Międzynarodowe')!.Attribute_Performance[0].Performance, {
      Total_Item_Requests: { '2026-01': 12, '2026-02': 17 },
      Unique_Item_Requests: { '2026-01': 10, '2026-02': 15 },
    });
  });

  it('with Granularity=Totals reports one count for the whole period', () => {
    const report = buildReport('IR', ROWS, CTX, { granularity: 'Totals' });
    assert.deepEqual(article(report, 1786)!.Attribute_Performance[0].Performance.Total_Item_Requests, { '2026-01': 29 });
    assert.deepEqual(report.Report_Header.Report_Attributes, { Granularity: 'Totals' });
    // The CoP (§3.3.7) says Totals; the shipped OpenAPI file still says Total (fixed in Project-Counter/cop5#295).
    const fixed = structuredClone(spec);
    fixed.components.schemas.Granularity_Attribute.properties.Granularity.enum = ['Month', 'Totals'];
    assertValid('IR', report, validatorFor(fixed));
    assert.deepEqual(buildReport('IR', ROWS, CTX, { granularity: 'Total' }), report, 'the spec’s spelling is read too');
  });

  it('ignores what it cannot apply and says so: 3050, 3060, 3062, 3063', () => {
    const report = buildReport('IR', ROWS, CTX, {
      metricTypes: ['Total_Item_Requests', 'Searches_Platform'],
      dataType: 'Article|Journal',
      accessType: ['OA_Gold'],
      attributesToShow: ['YOP', 'Country_Code'],
      includeComponentDetails: true,
      unrecognized: ['format'],
    });
    assertValid('IR', report);
    assert.deepEqual(report.Report_Header.Exceptions, [
      { Code: 3063, Message: 'Components Not Supported' },
      { Code: 3050, Message: 'Parameter Not Recognized in this Context', Data: 'format' },
      { Code: 3060, Message: 'Invalid ReportFilter Value', Data: 'metric_type=Searches_Platform, data_type=Journal, access_type=OA_Gold' },
      { Code: 3062, Message: 'Invalid ReportAttribute Value', Data: 'Country_Code' },
    ]);
    assert.deepEqual(report.Report_Header.Report_Filters.Data_Type, ['Article']);
    assert.deepEqual(report.Report_Header.Report_Attributes, { Attributes_To_Show: ['YOP'] });
  });

  it('PR has no Access_Type or YOP filter (3050); parameters set to false count as not given', () => {
    const report = buildReport('PR', ROWS, CTX, { accessType: ['Open'], yop: '2021', includeParentDetails: false, includeComponentDetails: false, accessMethod: [] });
    assertValid('PR', report);
    assert.deepEqual(report.Report_Header.Exceptions, [{ Code: 3050, Message: 'Parameter Not Recognized in this Context', Data: 'access_type, yop' }]);
    assert.deepEqual(report.Report_Header.Report_Filters, { Begin_Date: '2026-01-01', End_Date: '2026-03-31' });
  });

  it('finds the report of a request path, or none (HTTP 404)', () => {
    assert.equal(reportIdOf('tr_j3'), 'TR_J3');
    assert.equal(reportIdOf('ir_a1'), 'IR_A1');
    assert.equal(reportIdOf('dr'), undefined);
    assert.equal(reportIdOf('TR'), undefined, 'paths are lower case');
  });

  it('a Standard View takes no parameters but the dates (3050)', () => {
    const report = buildReport('TR_J3', ROWS, CTX, { metricTypes: ['Total_Item_Requests'], attributesToShow: ['YOP'] });
    assertValid('TR_J3', report);
    assert.deepEqual(report.Report_Header.Exceptions, [{ Code: 3050, Message: 'Parameter Not Recognized in this Context', Data: 'metric_type, attributes_to_show' }]);
    assert.deepEqual(report.Report_Header.Report_Filters.Metric_Type, ['Total_Item_Investigations', 'Total_Item_Requests', 'Unique_Item_Investigations', 'Unique_Item_Requests']);
  });

  it('an empty period gives an empty, valid report with 3030', () => {
    for (const id of ['PR', 'TR_J3', 'IR', 'IR_A1'] as const) {
      const report = buildReport(id, ROWS, { ...CTX, beginDate: '2025-01-01', endDate: '2025-11-30' });
      assertValid(id, report);
      assert.deepEqual(report.Report_Items, []);
      assert.deepEqual(report.Report_Header.Exceptions, [{ Code: 3030, Message: 'No Usage Available for Requested Dates', Data: '2025-01-01 to 2025-11-30' }]);
    }
  });

  it('carries 3031 from parseReportDates into the header', () => {
    const dates = parseReportDates('2026-01', '2026-04', new Date('2026-04-02T08:30:00Z'));
    assert.ok(!isSushiException(dates));
    const report = buildReport('TR_J3', ROWS, { ...CTX, ...dates }, { exceptions: dates.exceptions });
    assertValid('TR_J3', report);
    assert.equal(report.Report_Header.Report_Filters.End_Date, '2026-03-31');
    assert.deepEqual(report.Report_Header.Exceptions, [{ Code: 3031, Message: 'Usage Not Ready for Requested Dates', Data: '2026-04' }]);
  });

  it('refuses rows that would make invalid counts', () => {
    assert.throws(() => buildReport('IR', [{ ...ROWS[1], month: '2026-13' }], CTX), /month must be yyyy-mm/);
    assert.throws(() => buildReport('IR', [{ ...ROWS[1], metrics: { Total_Item_Requests: 1.5 } }], CTX), /whole number/);
    assert.throws(() => buildReport('IR', ROWS, { ...CTX, platform: 'sprawy-miedzynarodowe' }), /namespace/);
  });
});

describe('exceptions', () => {
  it('builds the standard exceptions with their exact messages and HTTP statuses', () => {
    const noUsage = sushiException(3030);
    assertValid('Exception_3030', noUsage);
    const badKey = sushiException(2020, 'APIKey Invalid', 'The api_key was revoked.');
    assertValid(response('401_Exception'), badKey);
    assert.equal(httpStatusOf(badKey), 401);
    assertValid(response('400_Exception_1030'), sushiException(1030, undefined, 'Missing customer_id'));
    assertValid(response('403_Exception'), sushiException(2010));
    assert.equal(httpStatusOf(noUsage), 200);
    for (const [code, { message }] of Object.entries(SUSHI_EXCEPTIONS)) assertValid(`Exception_${code}`, sushiException(Number(code), message));
    assertValid('Exception_1-999', sushiException(100, 'Usage of the last day may change until midnight.'));
  });

  it('refuses messages and codes that R5.1 does not have', () => {
    assert.throws(() => sushiException(3070, 'Invalid ReportAttribute Value'), /"Required ReportFilter Missing"/);
    assert.throws(() => sushiException(3000, 'Report Not Supported'), /HTTP 404/);
    assert.throws(() => sushiException(1500, 'Something'), /not a COUNTER R5.1 exception code/);
    assert.throws(() => sushiException(7), /needs a message/);
  });
});

describe('parseReportDates', () => {
  const NOW = new Date('2026-04-02T08:30:00Z');

  it('turns months and days into whole months', () => {
    assert.deepEqual(parseReportDates('2026-01', '2026-02', NOW), { beginDate: '2026-01-01', endDate: '2026-02-28', exceptions: [] });
    assert.deepEqual(parseReportDates('2024-02-15', '2024-02-20', NOW), { beginDate: '2024-02-01', endDate: '2024-02-29', exceptions: [] });
    assert.deepEqual(parseReportDates('2025-01-01', '2026-03-31', NOW), { beginDate: '2025-01-01', endDate: '2026-03-31', exceptions: [] });
  });

  it('answers 3020 for malformed or reversed dates', () => {
    for (const [begin, end] of [
      ['2026-1', '2026-02'],
      ['2026-01', '2026-02-30'],
      ['2026-01', '2026-13'],
      ['2026-03', '2026-01'],
      ['2026-03-20', '2026-03-10'],
      // There is no year 0: PostgreSQL refuses it, and JavaScript's Date.UTC would read it as 1900.
      ['0000-01', '2026-01'],
      ['0000-01-01', '0000-12-31'],
    ]) {
      const result = parseReportDates(begin, end, NOW);
      assert.ok(isSushiException(result) && result.Code === 3020, `${begin}..${end}: ${JSON.stringify(result)}`);
      assertValid(response('400_Exception'), result);
    }
  });

  it('answers 1030 when a date is missing', () => {
    assert.deepEqual(parseReportDates(undefined, '2026-02', NOW), { Code: 1030, Message: 'Insufficient Information to Process Request', Data: 'Missing begin_date' });
    assert.deepEqual(parseReportDates('', '', NOW), { Code: 1030, Message: 'Insufficient Information to Process Request', Data: 'Missing begin_date and end_date' });
  });

  it('cuts an end in the current or a future month back to the last processed month, with 3031', () => {
    assert.deepEqual(parseReportDates('2026-01', '2026-06-30', NOW), {
      beginDate: '2026-01-01',
      endDate: '2026-03-31',
      exceptions: [{ Code: 3031, Message: 'Usage Not Ready for Requested Dates', Data: '2026-04 to 2026-06' }],
    });
  });

  it('answers months not yet complete alone with 3031, as it answers a range ending in them', () => {
    for (const [begin, end, months] of [
      ['2026-04', '2026-04', '2026-04'],
      ['2026-04-02', '2026-04-02', '2026-04'],
      ['2026-05', '2026-06-30', '2026-05 to 2026-06'],
    ]) {
      const result = parseReportDates(begin, end, NOW);
      assert.ok(!isSushiException(result), `${begin}..${end}: ${JSON.stringify(result)}`);
      assert.equal(result.notReady, true);
      assert.deepEqual(result.exceptions, [{ Code: 3031, Message: 'Usage Not Ready for Requested Dates', Data: `${months}; usage is available up to 2026-03` }]);
    }
    const april = parseReportDates('2026-04', '2026-04', NOW);
    assert.ok(!isSushiException(april));
    const report = buildReport('PR', [], { ...CTX, ...april }, { exceptions: april.exceptions, notReady: true });
    assertValid('PR', report);
    assert.deepEqual(report.Report_Header.Exceptions?.map((e) => e.Code), [3031], 'not ready, so not "no usage" (3030) too');
    assert.deepEqual(report.Report_Items, []);
  });

  it('takes the month of the report’s time zone', () => {
    // 1 April 00:30 in Warsaw is still 31 March in UTC.
    const earlyApril = new Date('2026-03-31T22:30:00Z');
    assert.deepEqual(parseReportDates('2026-03', '2026-03', earlyApril, 'Europe/Warsaw'), { beginDate: '2026-03-01', endDate: '2026-03-31', exceptions: [] });
    assert.equal((parseReportDates('2026-03', '2026-03', earlyApril) as { notReady?: true }).notReady, true, 'in UTC March is not over yet');
  });
});
