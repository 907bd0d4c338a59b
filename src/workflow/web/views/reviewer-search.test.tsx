import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pageContext } from '../../../ui/index.ts';
import { visibleText } from '../../../../test/support/app.ts';
import type { ReviewerCandidate } from '../../review/reviewer-search.ts';
import { ReviewerSearchForm, ReviewerSearchResults, reviewerSearchFields, reviewerSearchHref } from './reviewer-search.tsx';

const ctx = (locale: 'en' | 'pl') => pageContext({ locale, locales: ['en', 'pl'], path: '/sm/workflow/index/7/review/reviewers', query: new URLSearchParams(), siteTitle: 'Revista' });

const candidate = (over: Partial<ReviewerCandidate>): ReviewerCandidate => ({
  userId: 1,
  givenName: { en: 'Ewa' },
  familyName: { en: 'Kamińska' },
  email: 'ewa@example.org',
  affiliation: { en: 'Uniwersytet Łódzki' },
  orcid: null,
  interests: ['Memory', 'Migration studies'],
  active: 2,
  completed: 3,
  declined: 1,
  averageDaysToComplete: 40 / 3,
  lastCompletedAt: new Date('2026-02-21T10:00:00Z'),
  averageRating: 4.5,
  ratings: 2,
  conflicts: [],
  alreadyRequested: false,
  ...over,
});

describe('reviewer search views', () => {
  it('shows each reviewer’s statistics and conflicts in words, and a button choosing them', async () => {
    const html = String(
      await ReviewerSearchResults({
        ctx: ctx('en'),
        total: 2,
        chooseAction: '/sm/workflow/index/7/review/request',
        csrf: 'token',
        rows: [
          candidate({ conflicts: [{ kind: 'same-affiliation', detail: 'Uniwersytet Łódzki (Anna Nowak)' }] }),
          candidate({ userId: 2, givenName: { en: 'Jan' }, familyName: { en: 'Wójcik' }, averageDaysToComplete: null, lastCompletedAt: null, averageRating: null, ratings: 0, declined: 0, alreadyRequested: true }),
        ],
      }),
    );
    const text = visibleText(html);
    assert.match(text, /Reviewers found: 2/);
    assert.match(text, /Ewa Kamińska\s+Uniwersytet Łódzki\s+Memory, Migration studies\s+2\s+3\s+declined 1\s+13\.3\s+2026-02-21\s+4\.5 of 5 \(2 rated\)/);
    assert.match(text, /Same affiliation as an author: Uniwersytet Łódzki \(Anna Nowak\)/);
    assert.match(text, /Jan Wójcik[\s\S]*Already asked in this round/);
    assert.match(html, /<form action="\/sm\/workflow\/index\/7\/review\/request" method="post"[^>]*><input type="hidden" name="_csrf" value="token"\/?><button type="submit" name="reviewerId" value="1"/);
    assert.doesNotMatch(html, /name="reviewerId" value="2"/, 'no button for someone already asked');
  });

  it('says when nobody matches, in Polish too', async () => {
    assert.match(visibleText(String(await ReviewerSearchResults({ ctx: ctx('pl'), total: 0, rows: [], chooseAction: '/x', csrf: 't' }))), /Żaden recenzent czasopisma nie pasuje/);
  });

  it('keeps what was searched in the form and in the pages’ addresses', async () => {
    const fields = reviewerSearchFields({ q: ' kowal ', interest: 'memory', affiliation: '', sort: 'fewest-active', page: '3' });
    assert.deepEqual(fields, { query: 'kowal', interest: 'memory', affiliation: undefined, sort: 'fewest-active', page: 3 });
    assert.equal(reviewerSearchFields({ sort: 'bogus', page: '-1' }).sort, undefined);
    assert.equal(reviewerSearchHref('/sm/r', fields, 2), '/sm/r?q=kowal&interest=memory&sort=fewest-active&page=2');
    const form = String(await ReviewerSearchForm({ ctx: ctx('en'), action: '/sm/r', fields }));
    assert.match(form, /<form method="get" action="\/sm\/r"/);
    assert.match(form, /name="q" value="kowal"/);
    assert.match(form, /<option value="fewest-active" selected/);
  });
});
