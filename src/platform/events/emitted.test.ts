import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { acceptInvitation, invite } from '../../accounts/invitations.ts';
import { addContributor, addPublishedArticle, createIssue, createJournal, createSection, publishIssue, publishNewVersion, republishArticle, unpublishArticle, unpublishIssue } from '../../catalog/index.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { testDatabases } from '../../../test/support/databases.ts';
import { Session } from '../../../test/support/session.ts';
import { listEvents, type DomainEvent } from './index.ts';

/**
 * What the commands of today emit, each in its own transaction: the list a lead moving these writes
 * into other commands checks against, and what subscribers may count on.
 */
for (const database of await testDatabases()) {
  describe(`events the commands emit (${database.name})`, () => {
    let t: TestApp;
    let seen = 0;
    before(async () => {
      t = await startTestApp(database, { demo: false });
    });
    after(() => t.close());

    /** The events written since the last call. */
    const latest = async (): Promise<DomainEvent[]> => {
      const events = await listEvents(t.database.db, { afterId: seen, limit: 1000 });
      seen = events.at(-1)?.id ?? seen;
      return events.map((e) => e.event);
    };

    it('catalog: publishing and unpublishing issues and articles, and changing what an article says', async () => {
      const db = t.database.db;
      const journalId = await createJournal(db, { path: 'events', name: { en: 'Events' }, primaryLocale: 'en', supportedLocales: ['en'] });
      const sectionId = await createSection(db, { journalId, title: { en: 'Articles' } });
      const issueId = await createIssue(db, { journalId, volume: 1 });
      await latest();
      const { articleId, publicationId } = await addPublishedArticle(db, { journalId, sectionId, issueId, locale: 'en', title: { en: 'One' }, datePublished: '2026-01-01' });
      assert.deepEqual(await latest(), [{ type: 'ArticlePublished', journalId, articleId, publicationId }]);

      await unpublishIssue(db, journalId, issueId);
      assert.deepEqual(await latest(), [], 'an issue that was not published is not unpublished');
      await publishIssue(db, { journalId, issueId, date: '2026-01-02', makeCurrent: true });
      assert.deepEqual(await latest(), [{ type: 'IssuePublished', journalId, issueId }]);

      await addContributor(db, articleId, { givenName: { en: 'Ada' }, familyName: { en: 'Lovelace' }, email: null, orcid: null, affiliations: [], isPrimaryContact: false, includeInBrowse: true });
      const [changed] = await latest();
      assert.equal(changed?.type, 'PublicationChanged');
      assert.ok(changed?.type === 'PublicationChanged' && changed.newVersion && changed.publicationId !== publicationId, 'a change readers see is a new version');
      const current = changed.type === 'PublicationChanged' ? changed.publicationId : 0;

      const version = await publishNewVersion(db, articleId, { title: { en: 'One, revised' }, subtitle: {}, abstract: {}, keywords: {}, pages: null, sectionId, licenseUrl: null, doi: null });
      assert.deepEqual(await latest(), [{ type: 'PublicationChanged', journalId, articleId, publicationId: version, newVersion: true }]);
      assert.notEqual(version, current);

      await unpublishArticle(db, articleId, 'retracted for a test', null);
      assert.deepEqual(await latest(), [{ type: 'ArticleUnpublished', journalId, articleId, publicationId: version }]);
      await republishArticle(db, articleId, '2026-01-03');
      assert.deepEqual(await latest(), [{ type: 'ArticlePublished', journalId, articleId, publicationId: version }]);

      await unpublishIssue(db, journalId, issueId);
      assert.deepEqual(await latest(), [{ type: 'IssueUnpublished', journalId, issueId }]);
    });

    it('accounts: registering, being invited and accepting', async () => {
      const db = t.database.db;
      const journalId = (await db.selectFrom('journals').select('id').where('path', '=', 'events').executeTakeFirstOrThrow()).id;
      await latest();
      const visitor = new Session(t.app, { 'accept-language': 'en' });
      await visitor.get('/events/user/register');
      const form = { 'givenName.en': 'Anna', 'familyName.en': 'Nowak', email: 'anna@example.org', password: 'correct horse battery', password2: 'correct horse battery', privacyConsent: 'on' };
      assert.equal((await visitor.post('/events/user/register', form)).statusCode, 200);
      const anna = await db.selectFrom('users').select('id').where('email', '=', 'anna@example.org').executeTakeFirstOrThrow();
      assert.deepEqual(await latest(), [{ type: 'UserRegistered', userId: anna.id, journalId, via: 'registration' }]);
      await visitor.post('/events/user/register', form);
      assert.deepEqual(await latest(), [], 'an address that has an account registers nobody');

      const now = new Date();
      const sent = await invite(db, { journalId, email: 'new@example.org', givenName: { en: 'New' }, familyName: {}, roles: ['reviewer'], locale: 'en', invitedBy: anna.id }, now);
      assert.equal(sent.kind, 'invited');
      const invitationId = sent.kind === 'invited' ? sent.invitation.id : 0;
      assert.deepEqual(await latest(), [{ type: 'UserInvited', journalId, invitationId, roles: ['reviewer'] }]);
      const accepted = await acceptInvitation(db, sent.kind === 'invited' ? sent.token : '', { givenName: { en: 'New' }, familyName: {}, passwordHash: 'not a real hash', locale: 'en' }, now);
      assert.ok(accepted);
      assert.deepEqual(await latest(), [
        { type: 'UserRegistered', userId: accepted.userId, journalId, via: 'invitation' },
        { type: 'InvitationAccepted', journalId, invitationId, userId: accepted.userId, roles: ['reviewer'], newAccount: true },
      ]);
    });
  });
}
