import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addPublishedArticle, createSection } from '../catalog/index.ts';
import { createUserWithRole, type RoutePermission } from './index.ts';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { testDatabases } from '../../test/support/databases.ts';
import { journalThings, type JournalThings } from '../../test/support/policy-fixture.ts';
import { Session } from '../../test/support/session.ts';

/**
 * Who may open what, written out by hand (not derived from the policies it checks): each route
 * permission and the people who hold it in journal A ("sm"). In journal B ("other") only its manager
 * and the administrator hold the journal's permissions.
 */
const EXPECTED: Record<RoutePermission, string[]> = {
  account: ['reader', 'author', 'reviewer', 'copyeditor', 'layout-editor', 'section-editor', 'editor', 'manager', 'admin', 'other-manager'],
  'site.admin': ['admin'],
  'journal.settings': ['manager', 'admin'],
  'journal.users': ['manager', 'admin'],
  'journal.issues': ['editor', 'manager', 'admin'],
  'journal.articles': ['section-editor', 'editor', 'manager', 'admin'],
  'journal.stats': ['editor', 'manager', 'admin'],
  // Anyone signed in may submit to any journal (and becomes its author).
  'journal.submit': ['reader', 'author', 'reviewer', 'copyeditor', 'layout-editor', 'section-editor', 'editor', 'manager', 'admin', 'other-manager'],
  'journal.workflow': ['section-editor', 'editor', 'manager', 'admin'],
  'journal.submission-settings': ['manager', 'admin'],
};
const SITE_WIDE: RoutePermission[] = ['account', 'site.admin'];

const PEOPLE = ['anonymous', 'reader', 'author', 'reviewer', 'copyeditor', 'layout-editor', 'section-editor', 'editor', 'manager', 'admin', 'other-manager'] as const;
type Person = (typeof PEOPLE)[number];

function allowed(person: Person, permission: RoutePermission, journal: 'sm' | 'other'): boolean {
  if (journal === 'sm' || SITE_WIDE.includes(permission) || permission === 'journal.submit') return EXPECTED[permission].includes(person);
  return person === 'admin' || (person === 'other-manager' && EXPECTED[permission].includes('manager'));
}

/** Forms anyone may send: signing in and out, registering, confirming, resetting, answering a review request by its mail's link. */
const PUBLIC_FORMS = [
  '/login/signIn', '/login/signOut', '/user/register', '/login/lostPassword', '/login/resetPassword', '/user/verify/resend', '/user/email/confirm', '/user/email/revert', '/user/invitation',
  '/reviewer/respond/:purpose',
];

/** Protocol endpoints that accept POST as another way to ask (OAI-PMH 3.1.1.2): they change nothing. */
const READ_ONLY_POSTS = ['/oai'];

/** The JSON API answers to tokens, never to sessions: its rights are tested by each resource's contract test (src/api/v1). */
const isApiRoute = (url: string) => url.replace(/^\/:journal/, '').startsWith('/api/');

const fill = (url: string, journal: string) =>
  url
    .replace(':journal', journal)
    .replace(':locale', 'en')
    .replace(':key', 'verify-email')
    .replace(':path', 'about')
    .replace(/:[a-zA-Z]+/g, '999999');

for (const database of await testDatabases()) {
  describe(`role × route × resource on ${database.name}`, () => {
    let t: TestApp;
    const sessions = new Map<Person, Session>();
    let otherSectionArticle = 0;
    let a: JournalThings;
    let b: JournalThings;

    before(async () => {
      t = await startTestApp(database);
      const db = t.database.db;
      const now = new Date();
      a = await journalThings(db, t.files, 'sm');
      b = await journalThings(db, t.files, 'other');
      const demoSection = await db.selectFrom('sections').select('id').where('journal_id', '=', a.journalId).orderBy('id').executeTakeFirstOrThrow();
      const secondSection = await createSection(db, { journalId: a.journalId, title: { en: 'Essays' } });
      otherSectionArticle = (await addPublishedArticle(db, { journalId: a.journalId, sectionId: secondSection, issueId: null, locale: 'en', title: { en: 'Elsewhere' }, datePublished: '2022-01-01' })).articleId;
      for (const person of PEOPLE) {
        const session = new Session(t.app, { 'accept-language': 'en' });
        sessions.set(person, session);
        if (person === 'anonymous') continue;
        const email = `${person}@example.org`;
        const role = person === 'other-manager' ? 'manager' : person;
        const { userId } = await createUserWithRole(db, { email, password: 'a long enough password', role, journalId: person === 'other-manager' ? b.journalId : a.journalId, now });
        if (person === 'section-editor') await db.insertInto('section_editor_sections').values([{ user_id: userId, section_id: demoSection.id }, { user_id: userId, section_id: a.sectionId }]).execute();
        await session.signIn(email, 'a long enough password');
      }
    });
    after(() => t.close());

    it('protects every route that changes or shows non-public data', () => {
      const unprotected = t.app.routeAccess.filter((r) => !r.permission && !isApiRoute(r.url));
      for (const route of unprotected) {
        assert.ok(!/^\/admin|\/management|\/user\/profile/.test(route.url.replace(/^\/:journal/, '')), `${route.method} ${route.url} has no permission`);
        if (route.method !== 'GET') {
          const url = route.url.replace(/^\/:journal/, '');
          assert.ok(PUBLIC_FORMS.includes(url) || READ_ONLY_POSTS.includes(url), `${route.method} ${route.url} changes data without a permission`);
          // Only the read-only protocol endpoints take POSTs without a form token.
          assert.equal(route.csrf, !READ_ONLY_POSTS.includes(url), `${route.method} ${route.url}: CSRF check`);
        }
      }
      assert.ok(t.app.routeAccess.filter((r) => r.permission).length >= 60);
    });

    it('answers each person on each protected route of journal A and journal B as the matrix says', async () => {
      let checked = 0;
      for (const route of t.app.routeAccess.filter((r) => r.permission)) {
        for (const journal of route.url.includes(':journal') ? (['sm', 'other'] as const) : (['sm'] as const)) {
          const url = fill(route.url, journal);
          for (const person of PEOPLE) {
            const session = sessions.get(person)!;
            // Fetch a page first so the form token is this person's own: the matrix tests roles, not CSRF.
            if (route.method === 'POST' && person !== 'anonymous') await session.get('/user/profile');
            const response = route.method === 'GET' ? await session.get(url) : await session.post(url, {});
            const where = `${person} ${route.method} ${url} → ${response.statusCode}`;
            if (person === 'anonymous') {
              if (route.method === 'GET') {
                assert.equal(response.statusCode, 303, where);
                assert.match(response.headers.location as string, /^(\/sm|\/other)?\/login\?source=/, where);
              } else assert.equal(response.statusCode, 401, where);
            } else if (allowed(person, route.permission!, journal)) {
              assert.ok(![401, 403].includes(response.statusCode) && !/\/login\?/.test(String(response.headers.location ?? '')), `allowed but refused: ${where}`);
            } else {
              assert.equal(response.statusCode, 403, `should be refused: ${where}`);
            }
            checked++;
          }
        }
      }
      assert.ok(checked > 1200, `checked ${checked}`);
    });

    it('opens a journal’s own articles, issues and sections in its management, never another journal’s through its address', async () => {
      const things = (j: JournalThings) => ({ articles: j.article.id, issues: j.publishedIssue, sections: j.sectionId });
      for (const kind of ['articles', 'issues', 'sections'] as const) {
        const route = t.app.routeAccess.find((r) => r.method === 'GET' && r.url === `/:journal/management/${kind}/:id`);
        assert.ok(route?.permission, `GET /:journal/management/${kind}/:id is a route with a permission`);
        for (const [journal, own, foreign] of [['sm', things(a)[kind], things(b)[kind]], ['other', things(b)[kind], things(a)[kind]]] as const) {
          for (const person of PEOPLE) {
            if (person === 'anonymous' || !allowed(person, route.permission, journal)) continue;
            const session = sessions.get(person)!;
            const mine = await session.get(`/${journal}/management/${kind}/${own}`);
            assert.equal(mine.statusCode, 200, `${person} ${journal}'s own ${kind} ${own}`);
            const theirs = await session.get(`/${journal}/management/${kind}/${foreign}`);
            assert.equal(theirs.statusCode, 404, `${person} the other journal's ${kind} ${foreign} through /${journal}`);
          }
        }
      }
    });

    it('lets a section editor edit articles only in the assigned sections', async () => {
      const sectionEditor = sessions.get('section-editor')!;
      assert.equal((await sectionEditor.get('/sm/management/articles/1786')).statusCode, 200);
      assert.equal((await sectionEditor.get(`/sm/management/articles/${otherSectionArticle}`)).statusCode, 403);
      const editor = sessions.get('editor')!;
      assert.equal((await editor.get(`/sm/management/articles/${otherSectionArticle}`)).statusCode, 200);
    });

    it('shows published pages and files to everyone and unpublished files only to the journal’s editors', async () => {
      const EDITORS_A = ['admin', 'manager', 'editor', 'section-editor'];
      const ISSUE_EDITORS_A = ['admin', 'manager', 'editor'];
      const EVERYONE = [...PEOPLE];
      /** Each address and who gets it (everyone else: 404, visitors included — an unpublished thing is not revealed). */
      const cases = (j: JournalThings, ownEditors: string[], ownIssueEditors: string[], outsideSectionEditors: string[]): Array<[string, readonly string[], 'public' | 'private']> => [
        [`/${j.path}/article/view/${j.article.id}`, EVERYONE, 'public'],
        [`/${j.path}/article/download/${j.article.id}/${j.article.galleyId}`, EVERYONE, 'public'],
        [`/${j.path}/issue/view/${j.publishedIssue}`, EVERYONE, 'public'],
        [`/${j.path}/issue/download/${j.publishedIssue}/${j.publishedIssueGalley}`, EVERYONE, 'public'],
        // Unpublished: no page for anyone yet (no preview), the files for those who prepare them.
        [`/${j.path}/article/view/${j.scheduled.id}`, [], 'public'],
        [`/${j.path}/issue/view/${j.draftIssue}`, [], 'public'],
        [`/${j.path}/article/download/${j.scheduled.id}/${j.scheduled.galleyId}`, ownEditors, 'private'],
        [`/${j.path}/article/download/${j.scheduledElsewhere.id}/${j.scheduledElsewhere.galleyId}`, outsideSectionEditors, 'private'],
        [`/${j.path}/issue/download/${j.draftIssue}/${j.draftIssueGalley}`, ownIssueEditors, 'private'],
      ];
      const all = [
        ...cases(a, EDITORS_A, ISSUE_EDITORS_A, ISSUE_EDITORS_A),
        ...cases(b, ['admin', 'other-manager'], ['admin', 'other-manager'], ['admin', 'other-manager']),
        // One journal's things through another journal's address: nobody, whatever their rights there.
        [`/sm/article/download/${b.article.id}/${b.article.galleyId}`, [], 'public'],
        [`/sm/article/download/${b.scheduled.id}/${b.scheduled.galleyId}`, [], 'public'],
        [`/other/issue/download/${a.draftIssue}/${a.draftIssueGalley}`, [], 'public'],
        [`/other/article/view/${a.article.id}`, [], 'public'],
      ] as Array<[string, readonly string[], 'public' | 'private']>;
      for (const [url, who, audience] of all) {
        for (const person of PEOPLE) {
          const response = await sessions.get(person)!.get(url);
          const where = `${person} GET ${url} → ${response.statusCode}`;
          if (!who.includes(person)) {
            assert.equal(response.statusCode, 404, `should not be found: ${where}`);
            continue;
          }
          assert.equal(response.statusCode, 200, `allowed but refused: ${where}`);
          if (url.includes('/download/')) {
            assert.equal(response.headers['content-type'], 'application/pdf', where);
            // A file only some may read never lands in a shared cache.
            assert.equal(response.headers['cache-control'], audience === 'private' ? 'private, no-store' : 'public, max-age=0, must-revalidate', where);
          }
        }
      }
    });
  });
}
