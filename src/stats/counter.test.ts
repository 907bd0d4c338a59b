import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  countByMonth,
  countMetrics,
  countTitleMetrics,
  filterDoubleClicks,
  monthOf,
  sessionKey,
  type Metrics,
  type UsageEvent,
} from './counter.ts';
import { isRobot, loadRobotPatterns, robotMatcher, robotPatternCount } from './robots.ts';

/** An event of reader S1 viewing article 1 of journal 10, unless told otherwise. */
function ev(at: string, fields: Partial<UsageEvent> = {}): UsageEvent {
  return { at: new Date(at), sessionKey: 'S1', itemId: 1, titleId: 10, kind: 'investigation', ...fields };
}

const times = (events: UsageEvent[]) => events.map((e) => e.at.toISOString());

function metrics(investigations: number, uniqueInvestigations: number, requests: number, uniqueRequests: number): Metrics {
  return {
    Total_Item_Investigations: investigations,
    Unique_Item_Investigations: uniqueInvestigations,
    Total_Item_Requests: requests,
    Unique_Item_Requests: uniqueRequests,
  };
}

describe('double-click filtering (CoP R5.1 §7.3)', () => {
  it('counts two clicks 29 s apart once, keeping the later one (the CoP example)', () => {
    const { counted, filtered } = filterDoubleClicks([ev('2024-06-15T10:01:00Z'), ev('2024-06-15T10:01:29Z')]);
    assert.deepEqual(times(counted), ['2024-06-15T10:01:29.000Z']);
    assert.deepEqual(times(filtered), ['2024-06-15T10:01:00.000Z']);
  });

  it('treats exactly 30 s apart as a double click and 31 s apart as two actions', () => {
    // "A maximum of 30 seconds between the first and second clicks": 30 s is still inside the window.
    assert.equal(filterDoubleClicks([ev('2024-06-15T10:01:00Z'), ev('2024-06-15T10:01:30Z')]).counted.length, 1);
    assert.equal(filterDoubleClicks([ev('2024-06-15T10:01:00Z'), ev('2024-06-15T10:01:31Z')]).counted.length, 2);
    // The CoP's own counter-example: 35 s apart are two single clicks.
    assert.equal(filterDoubleClicks([ev('2024-06-15T10:01:00Z'), ev('2024-06-15T10:01:35Z')]).counted.length, 2);
  });

  it('collapses a chain of clicks each under 30 s apart into its last click, even when it spans 80 s', () => {
    // 10:00:00, :20, :40, 10:01:00, 10:01:20 are 20 s apart each: one action, the one at 10:01:20.
    // 10:02:00 comes 40 s after it: a second action.
    const chain = ['10:00:00', '10:00:20', '10:00:40', '10:01:00', '10:01:20', '10:02:00'].map((t) => ev(`2024-06-15T${t}Z`));
    const { counted, filtered } = filterDoubleClicks(chain);
    assert.deepEqual(times(counted), ['2024-06-15T10:01:20.000Z', '2024-06-15T10:02:00.000Z']);
    assert.equal(filtered.length, 4);
  });

  it('sorts events that arrive out of order', () => {
    const shuffled = ['10:01:00', '10:00:00', '10:01:20', '10:00:40', '10:00:20'].map((t) => ev(`2024-06-15T${t}Z`));
    const { counted, filtered } = filterDoubleClicks(shuffled);
    assert.deepEqual(times(counted), ['2024-06-15T10:01:20.000Z']);
    assert.deepEqual(times(filtered), ['2024-06-15T10:00:00.000Z', '2024-06-15T10:00:20.000Z', '2024-06-15T10:00:40.000Z', '2024-06-15T10:01:00.000Z']);
  });

  it('does not merge downloads of different galleys, but merges the same galley', () => {
    const pdf = { kind: 'request', galleyId: 1 } as const;
    const html = { kind: 'request', galleyId: 2 } as const;
    assert.equal(filterDoubleClicks([ev('2024-06-15T10:00:00Z', pdf), ev('2024-06-15T10:00:10Z', html)]).counted.length, 2);
    assert.equal(filterDoubleClicks([ev('2024-06-15T10:00:00Z', pdf), ev('2024-06-15T10:00:10Z', pdf)]).counted.length, 1);
  });

  it('does not merge different actions, items or sessions', () => {
    const events = [
      ev('2024-06-15T10:00:00Z'), // page view of article 1
      ev('2024-06-15T10:00:05Z', { kind: 'request', galleyId: 1 }), // its download: another action
      ev('2024-06-15T10:00:06Z', { itemId: 2 }), // another article
      ev('2024-06-15T10:00:07Z', { sessionKey: 'S2' }), // another reader
    ];
    assert.equal(filterDoubleClicks(events).counted.length, 4);
  });

  it('leaves its input untouched', () => {
    const events = [ev('2024-06-15T10:00:10Z'), ev('2024-06-15T10:00:00Z')];
    filterDoubleClicks(events);
    assert.deepEqual(times(events), ['2024-06-15T10:00:10.000Z', '2024-06-15T10:00:00.000Z']);
  });
});

describe('robots (CoP R5.1 §7.8, COUNTER-Robots list)', () => {
  it('knows the bundled list', () => {
    assert.equal(robotPatternCount(), 327);
  });

  it('recognises listed robots, case-insensitively', () => {
    assert.equal(isRobot('Googlebot/2.1 (+http://www.google.com/bot.html)'), true); // "bot", "google"
    assert.equal(isRobot('Googlebot/2.1'), true);
    assert.equal(isRobot('GOOGLEBOT/2.1'), true);
    assert.equal(isRobot('python-requests/2.31'), true); // "python"
    assert.equal(isRobot('curl/8.4.0'), true); // "curl\/"
  });

  it('lets real browsers through', () => {
    assert.equal(isRobot('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36'), false);
    assert.equal(isRobot('Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0'), false);
  });

  it('counts a missing or blank user agent as a robot', () => {
    assert.equal(isRobot(undefined), true);
    assert.equal(isRobot(''), true);
    assert.equal(isRobot('   '), true);
  });

  it('loads a refreshed list and rejects a broken one', () => {
    const patterns = loadRobotPatterns('[{"pattern":"^Buck\\\\/[0-9]","last_changed":"2019-11-19"},{"pattern":"spider"}]');
    assert.equal(patterns.length, 2);
    const matches = robotMatcher(patterns);
    assert.equal(matches('buck/2.0'), true);
    assert.equal(matches('A Spider'), true);
    assert.equal(matches('Mozilla/5.0 Buck/2.0'), false); // anchored at the start
    assert.throws(() => loadRobotPatterns('[{"pattern":"bot("}]'), /entry 0/);
    assert.throws(() => loadRobotPatterns('{"pattern":"bot"}'), /JSON array/);
    assert.throws(() => loadRobotPatterns('[{"last_changed":"2024-01-01"}]'), /no "pattern"/);
  });
});

describe('sessionKey', () => {
  const ip = '192.1.1.168';
  const ua = 'Mozilla/5.0';

  it('is a hex HMAC-SHA256 that never contains the IP', () => {
    const key = sessionKey(ip, ua, '2024-06-15', 'salt-of-the-day');
    assert.match(key, /^[0-9a-f]{64}$/);
    assert.equal(key.includes(ip), false);
    assert.equal(sessionKey(ip, ua, '2024-06-15', 'salt-of-the-day'), key); // stable within the day
  });

  it('changes with the salt, the day, the address and the browser', () => {
    const key = sessionKey(ip, ua, '2024-06-15', 'salt-a');
    assert.notEqual(sessionKey(ip, ua, '2024-06-15', 'salt-b'), key);
    assert.notEqual(sessionKey(ip, ua, '2024-06-16', 'salt-a'), key);
    assert.notEqual(sessionKey('192.1.1.169', ua, '2024-06-15', 'salt-a'), key);
    assert.notEqual(sessionKey(ip, 'Mozilla/5.1', '2024-06-15', 'salt-a'), key);
  });

  it('refuses an empty salt or a malformed day', () => {
    assert.throws(() => sessionKey(ip, ua, '2024-06-15', ''), /salt/);
    assert.throws(() => sessionKey(ip, ua, '15.06.2024', 'salt'), /YYYY-MM-DD/);
  });
});

describe('item and title metrics (CoP R5.1 §7.6–7.7)', () => {
  // Journal 10 has articles 1 and 2; journal 20 has article 3.
  const events: UsageEvent[] = [
    ev('2024-06-15T10:05:00Z'), // S1 views article 1
    ev('2024-06-15T10:06:00Z', { kind: 'request', galleyId: 1 }), // S1 downloads the PDF…
    ev('2024-06-15T10:06:10Z', { kind: 'request', galleyId: 1 }), // …and clicks again 10 s later: double click
    ev('2024-06-15T10:20:00Z', { kind: 'request', galleyId: 2 }), // S1 opens the HTML galley
    ev('2024-06-15T10:30:00Z', { sessionKey: 'S2' }), // S2 views article 1
    ev('2024-06-15T11:10:00Z'), // S1 again, in the next hour slot: a new user-session
    ev('2024-06-15T10:40:00Z', { sessionKey: 'S3', kind: 'request', galleyId: 1, robot: true }), // a robot
    ev('2024-06-15T10:50:00Z', { itemId: 2, kind: 'request', galleyId: 5 }), // S1 downloads article 2
    ev('2024-06-15T10:31:00Z', { sessionKey: 'S2', itemId: 3, titleId: 20 }), // S2 views article 3
  ];

  it('counts totals and unique items per article', () => {
    const byItem = countMetrics(events);
    // Article 1 after filtering: views S1@10, S2@10, S1@11 and requests PDF (10:06:10) and HTML, both S1@10.
    // Requests: 2. Investigations: 3 views + 2 requests = 5. Unique investigations: sessions S1@10,
    // S2@10, S1@11 = 3. Unique requests: S1@10 only = 1. The robot is not counted at all.
    assert.deepEqual(byItem.get(1), metrics(5, 3, 2, 1));
    // Article 2: one download by S1@10, which is also an investigation.
    assert.deepEqual(byItem.get(2), metrics(1, 1, 1, 1));
    // Article 3: one view by S2@10.
    assert.deepEqual(byItem.get(3), metrics(1, 1, 0, 0));
    assert.equal(byItem.size, 3);
  });

  it('counts unique titles per journal across its articles', () => {
    const byTitle = countTitleMetrics(events);
    // Journal 10 = articles 1 + 2: totals 5 + 1 = 6 investigations, 2 + 1 = 3 requests; unique items
    // 3 + 1 = 4 and 1 + 1 = 2. Unique_Title_Investigations: S1@10 (both articles, once), S2@10, S1@11 = 3.
    // Unique_Title_Requests: only S1@10 downloaded, from two articles, = 1.
    assert.deepEqual(byTitle.get(10), {
      ...metrics(6, 4, 3, 2),
      Unique_Title_Investigations: 3,
      Unique_Title_Requests: 1,
    });
    assert.deepEqual(byTitle.get(20), { ...metrics(1, 1, 0, 0), Unique_Title_Investigations: 1, Unique_Title_Requests: 0 });
  });

  it('counts two sessions at the same time as two unique investigations', () => {
    const byItem = countMetrics([ev('2024-06-15T10:00:00Z'), ev('2024-06-15T10:00:00Z', { sessionKey: 'S2' })]);
    assert.deepEqual(byItem.get(1), metrics(2, 2, 0, 0));
  });

  it('splits a reader into two user-sessions at the hour boundary', () => {
    // 10:59:50 and 11:00:40 are 50 s apart (not a double click) and in different hour slots.
    assert.deepEqual(countMetrics([ev('2024-06-15T10:59:50Z'), ev('2024-06-15T11:00:40Z')]).get(1), metrics(2, 2, 0, 0));
    // Two views of the same hour: 2 total, 1 unique.
    assert.deepEqual(countMetrics([ev('2024-06-15T10:00:00Z'), ev('2024-06-15T10:45:00Z')]).get(1), metrics(2, 1, 0, 0));
    // A double click across the boundary (15 s) is one action, counted in the later slot.
    assert.deepEqual(countMetrics([ev('2024-06-15T10:59:50Z'), ev('2024-06-15T11:00:05Z')]).get(1), metrics(1, 1, 0, 0));
  });

  it('leaves out articles used only by robots', () => {
    assert.equal(countMetrics([ev('2024-06-15T10:00:00Z', { robot: true })]).size, 0);
  });
});

describe('months', () => {
  it('takes the month in the report time zone', () => {
    const newYearsEve = new Date('2021-12-31T23:30:00Z');
    assert.equal(monthOf(newYearsEve, 'UTC'), '2021-12');
    assert.equal(monthOf(newYearsEve), '2021-12'); // UTC by default
    assert.equal(monthOf(newYearsEve, 'Europe/Warsaw'), '2022-01'); // 00:30 CET
    assert.equal(monthOf(new Date('2022-06-30T22:30:00Z'), 'Europe/Warsaw'), '2022-07'); // 00:30 CEST
    assert.equal(monthOf(new Date('2022-06-30T21:30:00Z'), 'Europe/Warsaw'), '2022-06'); // 23:30 CEST
  });

  it('counts per article and month', () => {
    const events = [
      ev('2021-12-31T22:30:00Z', { sessionKey: 'S2' }), // 23:30 in Warsaw: December everywhere
      ev('2021-12-31T23:30:00Z', { kind: 'request', galleyId: 1 }), // December in UTC, January in Warsaw
      ev('2022-01-01T00:10:00Z'), // January everywhere
    ];
    // UTC: December has S2's view and S1's download (2 investigations from 2 sessions, 1 request);
    // January has S1's view.
    assert.deepEqual(
      countByMonth(events, 'UTC'),
      new Map([
        ['1 2021-12', metrics(2, 2, 1, 1)],
        ['1 2022-01', metrics(1, 1, 0, 0)],
      ]),
    );
    assert.deepEqual(countByMonth(events), countByMonth(events, 'UTC'));
    // Warsaw: December has S2's view only; January has S1's download (23:xx UTC slot) and view
    // (00:xx UTC slot): 2 investigations in 2 user-sessions, 1 request.
    assert.deepEqual(
      countByMonth(events, 'Europe/Warsaw'),
      new Map([
        ['1 2021-12', metrics(1, 1, 0, 0)],
        ['1 2022-01', metrics(2, 2, 1, 1)],
      ]),
    );
  });
});
