import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { journalPathProblem, normaliseCountry, normaliseEmail, normaliseIssn, normaliseOrcid, passwordProblem } from '../platform/identifiers/index.ts';
import { clientNetwork, MAX_WAIT_MS, SIGN_IN, waitAfter } from './throttle.ts';

describe('identifiers people type', () => {
  it('accepts ORCID iDs with a right check digit, bare or as a URL, and refuses wrong ones', () => {
    assert.equal(normaliseOrcid('0000-0002-1825-0097'), 'https://orcid.org/0000-0002-1825-0097');
    assert.equal(normaliseOrcid('https://orcid.org/0000-0001-5109-3700'), 'https://orcid.org/0000-0001-5109-3700');
    assert.equal(normaliseOrcid('0000000218250097'), 'https://orcid.org/0000-0002-1825-0097');
    assert.equal(normaliseOrcid('0000-0002-1694-233x'), 'https://orcid.org/0000-0002-1694-233X', 'X as check digit');
    assert.equal(normaliseOrcid('0000-0002-1825-0098'), null);
    assert.equal(normaliseOrcid('0000-0002-1825'), null);
    assert.equal(normaliseOrcid('https://evil.example/0000-0002-1825-0097'), null);
  });

  it('accepts ISSNs with a right check digit and refuses wrong ones', () => {
    assert.equal(normaliseIssn('0378-5955'), '0378-5955');
    assert.equal(normaliseIssn('03785955'), '0378-5955');
    assert.equal(normaliseIssn('2434-561x'), '2434-561X');
    assert.equal(normaliseIssn('0378-5954'), null);
    assert.equal(normaliseIssn('12345'), null);
  });

  it('checks email addresses, countries and passwords', () => {
    assert.equal(normaliseEmail(' Ann.Smith@Example.ORG '), 'Ann.Smith@example.org');
    for (const bad of ['ann', 'ann@', '@example.org', 'ann@example', 'a b@example.org', 'ann@exa mple.org', '<a>@example.org']) assert.equal(normaliseEmail(bad), null, bad);
    assert.equal(normaliseCountry('pl'), 'PL');
    assert.equal(normaliseCountry('XX'), null);
    assert.equal(passwordProblem('short'), 'too-short');
    assert.equal(passwordProblem('ann@example.org', 'ann@example.org'), 'same-as-email');
    assert.equal(passwordProblem('correct horse battery'), null);
  });

  it('allows journal paths of lowercase letters, digits and hyphens, not reserved words', () => {
    assert.equal(journalPathProblem('sm'), null);
    assert.equal(journalPathProblem('acta-2'), null);
    assert.equal(journalPathProblem('SM'), 'format');
    assert.equal(journalPathProblem('-sm'), 'format');
    assert.equal(journalPathProblem('s m'), 'format');
    assert.equal(journalPathProblem('admin'), 'reserved');
    assert.equal(journalPathProblem('index.php'), 'format');
    assert.equal(journalPathProblem(''), 'empty');
  });
});

describe('sign-in throttling rule', () => {
  it('lets five failures pass, then waits one minute doubling up to fifteen', () => {
    const account = (hits: number) => waitAfter(SIGN_IN.accountFromAddress, hits);
    assert.deepEqual([1, 2, 3, 4].map(account), [0, 0, 0, 0]);
    assert.equal(account(5), 60_000);
    assert.equal(account(6), 120_000);
    assert.equal(account(20), MAX_WAIT_MS);
    assert.equal(account(100_000), MAX_WAIT_MS, 'no overflow however long the attack');
    assert.equal(waitAfter(SIGN_IN.address, 29), 0);
    assert.equal(waitAfter(SIGN_IN.address, 30), MAX_WAIT_MS);
  });

  it('counts an IPv6 client by its /64 and an IPv4-mapped address as IPv4', () => {
    assert.equal(clientNetwork('203.0.113.9'), '203.0.113.9');
    assert.equal(clientNetwork('::ffff:203.0.113.9'), '203.0.113.9');
    assert.equal(clientNetwork('2001:db8:1:2:aaaa::1'), '2001:db8:1:2::/64');
    assert.equal(clientNetwork('2001:0db8:0001:0002:ffff:ffff:ffff:ffff'), '2001:db8:1:2::/64');
    assert.equal(clientNetwork('2001:db8::1'), '2001:db8:0:0::/64');
    assert.equal(clientNetwork('::1'), '0:0:0:0::/64');
  });
});
