import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Kysely } from 'kysely';
import { assignRole, insertUser, setSectionEditorSections, storeInvitation, type JournalRole } from '../accounts/index.ts';
import { createSection } from '../catalog/index.ts';
import type { Database } from '../db/index.ts';
import { startTestApp, visibleText, type TestApp } from '../../test/support/app.ts';
import { testDatabases } from '../../test/support/databases.ts';
import { pageQueries } from '../../test/support/query-count.ts';
import { Session, signedInAs } from '../../test/support/session.ts';

/**
 * The people lists — a journal's (management) and the site's (administration) — load with a fixed
 * number of queries whatever the number of people, their roles and section assignments (issue 22):
 * counted with 5 people in the journal, then again on the same pages with 120.
 */

const ROLES: JournalRole[][] = [['author'], ['reviewer', 'author'], ['editor'], ['section-editor', 'reviewer'], ['reader'], ['copyeditor', 'layout-editor']];
const FAMILY = ['Nowak', 'Wójcik', 'Kowalska', 'Zielińska', 'Abel', 'Smith'];

/** People `from`…`to - 1`: accounts without passwords, each with the roles of its turn; section editors handle both sections. */
async function addPeople(db: Kysely<Database>, sectionIds: number[], from: number, to: number, managerId: number): Promise<void> {
  const now = new Date();
  for (let i = from; i < to; i++) {
    const family = FAMILY[i % FAMILY.length]!;
    const user = (await insertUser(db, { email: `person${i}@example.org`, givenName: { pl: `Osoba${i}` }, familyName: { pl: family }, affiliation: { pl: 'Uniwersytet Łódzki' }, orcid: null, country: null, preferredLocale: null, privacyConsentAt: null, emailVerifiedAt: now }, null))!;
    const roles = ROLES[i % ROLES.length]!;
    for (const role of roles) await assignRole(db, user.id, 1, role);
    if (roles.includes('section-editor')) await setSectionEditorSections(db, user.id, sectionIds, sectionIds);
    // An open invitation for every tenth: the list shows those too.
    if (i % 10 === 0) await db.transaction().execute((trx) => storeInvitation(trx, { journalId: 1, email: `invited${i}@example.org`, givenName: { pl: 'Zaproszona' }, familyName: { pl: family }, roles: ['reviewer'], locale: 'pl', invitedBy: managerId }, now));
  }
}

for (const database of await testDatabases()) {
  describe(`query count of the people lists on ${database.name}`, () => {
    let t: TestApp;
    let db: Kysely<Database>;
    let manager: Session;
    let admin: Session;
    let managerId: number;
    let sectionIds: number[];
    before(async () => {
      t = await startTestApp(database, { pageCache: false, countQueries: true });
      db = t.database.db;
      manager = await signedInAs(t.app, db, { email: 'manager@example.org', role: 'manager', journalId: 1 });
      admin = await signedInAs(t.app, db, { email: 'site-admin@example.org', role: 'admin' });
      managerId = (await db.selectFrom('users').select('id').where('email', '=', 'manager@example.org').executeTakeFirstOrThrow()).id;
      const first = (await db.selectFrom('sections').select('id').where('journal_id', '=', 1).orderBy('id').executeTakeFirstOrThrow()).id;
      sectionIds = [first, await createSection(db, { journalId: 1, title: { en: 'Essays' } })];
    });
    after(() => t.close());

    const LIST = '/sm/management/users';
    /** The pages counted: the journal's list (first page, a search, a role, a sort) and the site's list. */
    const counted = async () => ({
      list: await pageQueries(manager, LIST),
      search: await pageQueries(manager, `${LIST}?search=lodzki+osoba`),
      role: await pageQueries(manager, `${LIST}?role=section-editor`),
      sorted: await pageQueries(manager, `${LIST}?sort=email&dir=desc`),
      site: await pageQueries(admin, '/admin/users'),
      siteSearch: await pageQueries(admin, '/admin/users?search=nowak'),
    });
    const rows = (html: string) => /<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1]?.match(/<tr>/g)?.length ?? 0;

    it('is the same for 5 people as for 120, with their roles, sections and invitations', async () => {
      await addPeople(db, sectionIds, 0, 4, managerId);
      const few = await counted();
      assert.match(visibleText(few.list.body), /\b5 found/);
      await addPeople(db, sectionIds, 4, 119, managerId);
      const many = await counted();
      const later = await pageQueries(manager, `${LIST}?page=5`);
      assert.match(visibleText(many.list.body), /\b120 found/);
      assert.equal(rows(many.list.body), 25, 'a full page');
      assert.equal(rows(many.search.body), 25);
      assert.equal(rows(later.body), 20, 'the last page');
      for (const page of Object.keys(few) as Array<keyof typeof few>) {
        assert.equal(many[page].queries, few[page].queries, `${page}: ${few[page].queries} queries with 5 people, ${many[page].queries} with 120`);
      }
      assert.equal(later.queries, few.list.queries);
      // Eight for a management page of a journal (the session, the person's roles and sections, the
      // journal named by the address, the site, the journal and its menu for the page frame, the
      // journal's row for the management frame) and five of the list's own (a page of people with their
      // number, their roles, the journal's sections, who handles which, the open invitations).
      assert.ok(few.list.queries <= 13, `the journal's people list ran ${few.list.queries} queries`);
      // The site's list: the session's three and the site, then the page of people, their roles, the journals, the invitations.
      assert.ok(few.site.queries <= 8, `the site's people list ran ${few.site.queries} queries`);
      // A search adds one: the typed words folded as the index is.
      assert.ok(few.search.queries <= few.list.queries + 1, `a search ran ${few.search.queries} queries`);
    });
  });
}
