import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addPublishedArticle, createJournal, createSection } from '../catalog/index.ts';
import { createUserWithRole, type Permission } from './index.ts';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { testDatabases } from '../../test/support/databases.ts';
import { Session } from '../../test/support/session.ts';

/**
 * Who may open what, written out by hand (not derived from the policy module it checks): each
 * permission and the people who hold it in journal "sm".
 */
const EXPECTED: Record<Permission, string[]> = {
  account: ['reader', 'author', 'reviewer', 'copyeditor', 'layout-editor', 'section-editor', 'editor', 'manager', 'admin', 'other-manager'],
  'site.admin': ['admin'],
  'journal.settings': ['manager', 'admin'],
  'journal.users': ['manager', 'admin'],
  'journal.issues': ['editor', 'manager', 'admin'],
  'journal.articles': ['section-editor', 'editor', 'manager', 'admin'],
  'journal.stats': ['editor', 'manager', 'admin'],
};

const PEOPLE = ['anonymous', 'reader', 'author', 'reviewer', 'copyeditor', 'layout-editor', 'section-editor', 'editor', 'manager', 'admin', 'other-manager'] as const;

/** Forms anyone may send: signing in and out, registering, confirming, resetting. */
const PUBLIC_FORMS = [
  '/login/signIn', '/login/signOut', '/user/register', '/login/lostPassword', '/login/resetPassword', '/user/verify/resend', '/user/email/confirm', '/user/email/revert', '/user/invitation',
];

/** Protocol endpoints that accept POST as another way to ask (OAI-PMH 3.1.1.2): they change nothing. */
const READ_ONLY_POSTS = ['/oai'];

/** The JSON API answers to tokens, never to sessions: its rights are tested by each resource's contract test (src/api/v1). */
const isApiRoute = (url: string) => url.replace(/^\/:journal/, '').startsWith('/api/');

const fill = (url: string) =>
  url
    .replace(':journal', 'sm')
    .replace(':locale', 'en')
    .replace(':key', 'verify-email')
    .replace(':path', 'about')
    .replace(/:[a-zA-Z]+/g, '999999');

for (const database of await testDatabases()) {
  describe(`role matrix on ${database.name}`, () => {
    let t: TestApp;
    const sessions = new Map<string, Session>();
    let otherSectionArticle = 0;

    before(async () => {
      t = await startTestApp(database);
      const db = t.database.db;
      const now = new Date();
      const sm = await db.selectFrom('journals').select('id').where('path', '=', 'sm').executeTakeFirstOrThrow();
      const other = await createJournal(db, { path: 'other', name: { en: 'Other' }, primaryLocale: 'en', supportedLocales: ['en'] });
      const demoSection = await db.selectFrom('sections').select('id').where('journal_id', '=', sm.id).executeTakeFirstOrThrow();
      const secondSection = await createSection(db, { journalId: sm.id, title: { en: 'Reviews' } });
      otherSectionArticle = (await addPublishedArticle(db, { journalId: sm.id, sectionId: secondSection, issueId: null, locale: 'en', title: { en: 'Elsewhere' }, datePublished: '2022-01-01' })).articleId;
      for (const person of PEOPLE) {
        if (person === 'anonymous') {
          sessions.set(person, new Session(t.app, { 'accept-language': 'en' }));
          continue;
        }
        const email = `${person}@example.org`;
        const role = person === 'other-manager' ? 'manager' : person;
        const { userId } = await createUserWithRole(db, { email, password: 'a long enough password', role, journalId: person === 'other-manager' ? other : sm.id, now });
        if (person === 'section-editor') await db.insertInto('section_editor_sections').values({ user_id: userId, section_id: demoSection.id }).execute();
        const session = new Session(t.app, { 'accept-language': 'en' });
        await session.signIn(email, 'a long enough password');
        sessions.set(person, session);
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

    it('answers each person on each protected route as the matrix says', async () => {
      const protectedRoutes = t.app.routeAccess.filter((r) => r.permission);
      let checked = 0;
      for (const route of protectedRoutes) {
        const url = fill(route.url);
        for (const person of PEOPLE) {
          const session = sessions.get(person)!;
          // Fetch a page first so the form token is this person's own: the matrix tests roles, not CSRF.
          if (route.method === 'POST' && person !== 'anonymous') await session.get('/user/profile');
          const response = route.method === 'GET' ? await session.get(url) : await session.post(url, {});
          const allowed = EXPECTED[route.permission!].includes(person);
          const where = `${person} ${route.method} ${url} → ${response.statusCode}`;
          if (person === 'anonymous') {
            if (route.method === 'GET') {
              assert.equal(response.statusCode, 303, where);
              assert.match(response.headers.location as string, /^(\/sm)?\/login\?source=/, where);
            } else assert.equal(response.statusCode, 401, where);
          } else if (allowed) {
            assert.ok(![401, 403].includes(response.statusCode) && !/\/login\?/.test(String(response.headers.location ?? '')), `allowed but refused: ${where}`);
          } else {
            assert.equal(response.statusCode, 403, `should be refused: ${where}`);
          }
          checked++;
        }
      }
      assert.ok(checked > 600, `checked ${checked}`);
    });

    it('lets a section editor edit articles only in the assigned sections', async () => {
      const sectionEditor = sessions.get('section-editor')!;
      assert.equal((await sectionEditor.get('/sm/management/articles/1786')).statusCode, 200);
      assert.equal((await sectionEditor.get(`/sm/management/articles/${otherSectionArticle}`)).statusCode, 403);
      const editor = sessions.get('editor')!;
      assert.equal((await editor.get(`/sm/management/articles/${otherSectionArticle}`)).statusCode, 200);
    });
  });
}
