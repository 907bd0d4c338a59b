import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { Kysely } from 'kysely';
import { assignRole, insertUser, setDisabled, setSectionEditorSections } from '../accounts/index.ts';
import { createSection } from '../catalog/index.ts';
import type { Database, DatabaseHandle, RoleName } from '../db/index.ts';
import { DEMO_JOURNAL_PATH } from '../demo/index.ts';
import { createMailer, saveTemplate, type Mailer } from '../mail/index.ts';
import { createSubscriptions, emit, type Subscriptions } from '../platform/events/index.ts';
import { runJobsUntilIdle } from '../platform/jobs/index.ts';
import { listNotifications, saveNotificationPreferences } from '../notifications/index.ts';
import { testDatabases } from '../../test/support/databases.ts';
import { startSmtpListener, type ReceivedMail } from '../../test/support/smtp.ts';
import { assignParticipant } from './commands/participants.ts';
import { addSubmissionFile, createDraft, saveSubmissionDetails, submitSubmission } from './commands/submissions.ts';
import { subscribeWorkflowMail } from './mail.ts';
import { openDemoJournal } from '../../test/support/demo-journal.ts';

const now = new Date('2026-03-02T09:00:00Z');
const BASE = 'https://journals.example.org';

for (const database of await testDatabases()) {
  describe(`workflow mail on ${database.name}`, () => {
    let handle: DatabaseHandle;
    let db: Kysely<Database>;
    let smtp: Awaited<ReturnType<typeof startSmtpListener>>;
    let mailer: Mailer;
    let subscriptions: Subscriptions;
    let journalId: number;
    let sectionId: number;
    let otherSection: number;
    const people: Record<string, number> = {};

    async function person(name: string, role: RoleName | null, preferredLocale: string | null, familyName = 'Test'): Promise<number> {
      const user = await insertUser(db, { email: `${name}@example.org`, givenName: { en: name[0]!.toUpperCase() + name.slice(1) }, familyName: { en: familyName }, affiliation: {}, orcid: null, country: null, preferredLocale, privacyConsentAt: now }, null);
      if (role) await assignRole(db, user!.id, journalId, role);
      people[name] = user!.id;
      return user!.id;
    }

    /** The journal's worker: event deliveries, then the mails they stored, sent over SMTP. */
    async function work(): Promise<ReceivedMail[]> {
      const run = await runJobsUntilIdle(db, [...subscriptions.jobHandlers(), ...mailer.jobs]);
      assert.equal(run.failed, 0);
      return smtp.received.splice(0).sort((a, b) => a.envelopeTo[0]!.localeCompare(b.envelopeTo[0]!));
    }

    async function submitted(title: string, by = people.author!): Promise<number> {
      const id = await createDraft(db, { journalId, userId: by, sectionId, locale: 'en', commentsForEditor: '', checklistConfirmed: true, agreementsAccepted: true, now });
      await addSubmissionFile(db, { journalId, submissionId: id, userId: by, kind: 'article', upload: { storageKey: `ab/${crypto.randomUUID()}`, sizeBytes: 10, sha256: 'd'.repeat(64), mimeType: 'application/pdf', originalName: 'a.pdf' }, now });
      await saveSubmissionDetails(db, journalId, id, by, { prefix: {}, title: { en: title, pl: `${title} (pl)` }, subtitle: {}, abstract: { en: 'A.' }, keywords: {} }, now);
      await submitSubmission(db, journalId, id, by, now);
      return id;
    }

    before(async () => {
      ({ handle, db, journalId, sectionId } = await openDemoJournal(database));
      otherSection = await createSection(db, { journalId, title: { en: 'Reviews' } });
      // The journal's language is Polish; people read mail in theirs, else the journal's.
      await person('author', null, 'en', 'Nowak');
      await person('manager', 'manager', 'pl');
      await person('editor', 'editor', null);
      await person('sectioneditor', 'section-editor', 'en');
      await setSectionEditorSections(db, people.sectioneditor!, [sectionId, otherSection], [sectionId]);
      await person('othersectioneditor', 'section-editor', 'en');
      await setSectionEditorSections(db, people.othersectioneditor!, [sectionId, otherSection], [otherSection]);
      await person('formereditor', 'editor', 'en');
      await setDisabled(db, people.formereditor!, true, 'left', now);
      await person('reader', 'reader', 'en');
      smtp = await startSmtpListener();
      mailer = createMailer(db, { smtpUrl: smtp.url, from: 'Revista <noreply@example.org>' });
      subscriptions = createSubscriptions();
      subscribeWorkflowMail(subscriptions, { baseUrl: BASE });
    });
    beforeEach(() => work());
    after(async () => {
      await mailer.close();
      await smtp.close();
      await handle.close();
    });

    it('a submission: the author is thanked in their language; managers, editors and the section’s section editors are told, in theirs', async () => {
      const id = await submitted('Borders of the Baltic');
      const mails = await work();
      assert.deepEqual(mails.map((m) => m.envelopeTo), [['author@example.org'], ['editor@example.org'], ['manager@example.org'], ['sectioneditor@example.org']], 'not the other section’s editor, a disabled editor or a reader');
      const [author, editor, manager, sectionEditor] = mails;
      assert.equal(author!.subject, '[Sprawy Międzynarodowe] Submission received: Borders of the Baltic');
      assert.match(author!.text, /^Dear Author Nowak,/);
      assert.ok(author!.text.includes(`${BASE}/${DEMO_JOURNAL_PATH}/workflow/access/${id}`));
      assert.equal(manager!.subject, `[Sprawy Międzynarodowe] Nowe zgłoszenie ${id}: Borders of the Baltic (pl)`);
      assert.equal(editor!.subject, `[Sprawy Międzynarodowe] Nowe zgłoszenie ${id}: Borders of the Baltic (pl)`, 'no preferred language: the journal’s');
      assert.equal(sectionEditor!.subject, `[Sprawy Międzynarodowe] New submission ${id}: Borders of the Baltic`);
      assert.match(sectionEditor!.text, /by Author Nowak\n/);
      assert.equal((await work()).length, 0, 'each mail once');
    });

    it('a submitting editor is thanked, not told of their own submission', async () => {
      await submitted('An editor’s own paper', people.editor);
      const mails = await work();
      assert.deepEqual(mails.map((m) => [m.envelopeTo[0], m.subject.includes('Przyjęto zgłoszenie')]), [
        ['editor@example.org', true],
        ['manager@example.org', false],
        ['sectioneditor@example.org', false],
      ]);
    });

    it('an assignment tells the assigned person, naming who assigned them', async () => {
      const id = await submitted('Assigned paper');
      await work();
      await assignParticipant(db, { journalId, submissionId: id, userId: people.sectioneditor!, role: 'section-editor', assignedBy: people.manager!, now });
      const [mail, ...more] = await work();
      assert.equal(more.length, 0);
      assert.deepEqual(mail!.envelopeTo, ['sectioneditor@example.org']);
      assert.equal(mail!.subject, `[Sprawy Międzynarodowe] You are the section editor of submission ${id}`);
      assert.match(mail!.text, /Manager Test has assigned you as section editor of the submission “Assigned paper”/);
    });

    it('a discussion message goes to every participant but its sender', async () => {
      const id = await submitted('Discussed paper');
      await work();
      // The discussion tables are written here as the discussion commands will.
      const discussion = await db.insertInto('discussions').values({ submission_id: id, stage: 'submission', subject: 'About the figures', created_by: people.editor! }).returning('id').executeTakeFirstOrThrow();
      await db.insertInto('discussion_participants').values([people.editor!, people.author!, people.manager!].map((user_id) => ({ discussion_id: discussion.id, user_id }))).execute();
      const message = await db.insertInto('discussion_messages').values({ discussion_id: discussion.id, author_id: people.editor!, body: 'Please send the figures as PNG.' }).returning('id').executeTakeFirstOrThrow();
      await db.transaction().execute((trx) => emit(trx, { type: 'DiscussionMessagePosted', journalId, submissionId: id, discussionId: discussion.id, messageId: message.id, authorId: people.editor! }));
      const mails = await work();
      assert.deepEqual(mails.map((m) => m.envelopeTo[0]), ['author@example.org', 'manager@example.org']);
      assert.equal(mails[0]!.subject, '[Sprawy Międzynarodowe] About the figures');
      assert.match(mails[0]!.text, /Editor Test wrote in the discussion “About the figures” about the submission “Discussed paper”:\n\nPlease send the figures as PNG\./);
      assert.ok(mails[0]!.text.includes(`${BASE}/${DEMO_JOURNAL_PATH}/workflow/index/${id}/discussions/${discussion.id}`));
    });

    it('notifies each person in the interface, and mails only those who take that kind by email', async () => {
      const id = await submitted('Quietly discussed paper');
      await work();
      const unreadOf = async (name: string) => (await listNotifications(db, { userId: people[name]! }, { limit: 50, offset: 0 })).items.filter((n) => n.submissionId === id);
      assert.deepEqual((await unreadOf('author')).map((n) => [n.kind, n.submissionId, n.params.own]), [['submission-submitted', id, 1]], 'the author’s receipt is listed too');
      assert.equal((await unreadOf('manager'))[0]?.kind, 'submission-submitted');
      // The manager keeps discussion messages in the interface but not by email.
      await saveNotificationPreferences(db, people.manager!, { inApp: ['discussion-message', 'submission-submitted'], byEmail: ['submission-submitted'] });
      const discussion = await db.insertInto('discussions').values({ submission_id: id, stage: 'submission', subject: 'Quiet figures', created_by: people.editor! }).returning('id').executeTakeFirstOrThrow();
      await db.insertInto('discussion_participants').values([people.editor!, people.author!, people.manager!].map((user_id) => ({ discussion_id: discussion.id, user_id }))).execute();
      const message = await db.insertInto('discussion_messages').values({ discussion_id: discussion.id, author_id: people.editor!, body: 'A body the list never shows.' }).returning('id').executeTakeFirstOrThrow();
      await db.transaction().execute((trx) => emit(trx, { type: 'DiscussionMessagePosted', journalId, submissionId: id, discussionId: discussion.id, messageId: message.id, authorId: people.editor! }));
      const mails = await work();
      assert.deepEqual(mails.map((m) => m.envelopeTo[0]), ['author@example.org'], 'no mail to the manager');
      const [latest] = await unreadOf('manager');
      assert.equal(latest?.kind, 'discussion-message', 'but the manager is notified');
      assert.deepEqual(latest?.params, { discussionId: discussion.id, subject: 'Quiet figures' });
      assert.ok(!JSON.stringify(latest).includes('A body the list never shows'), 'the message itself is not copied');
      assert.equal((await unreadOf('editor')).filter((n) => n.kind === 'discussion-message').length, 0, 'not the sender');
      // Turned off in the interface too: neither a notification nor a mail.
      await saveNotificationPreferences(db, people.manager!, { inApp: [], byEmail: [] });
      const again = await db.insertInto('discussion_messages').values({ discussion_id: discussion.id, author_id: people.editor!, body: 'Again.' }).returning('id').executeTakeFirstOrThrow();
      await db.transaction().execute((trx) => emit(trx, { type: 'DiscussionMessagePosted', journalId, submissionId: id, discussionId: discussion.id, messageId: again.id, authorId: people.editor! }));
      assert.deepEqual((await work()).map((m) => m.envelopeTo[0]), ['author@example.org']);
      assert.equal((await unreadOf('manager'))[0]?.id, latest?.id, 'nothing new for the manager');
      await saveNotificationPreferences(db, people.manager!, { inApp: ['discussion-message', 'submission-submitted', 'submission-assigned'], byEmail: ['discussion-message', 'submission-submitted', 'submission-assigned'] });
    });

    it('a hostile title, subject or name cannot add headers or recipients', async () => {
      const hostile = await person('mallory', null, 'en', 'X\r\nBcc: victim@example.org');
      const id = await submitted('Evil\r\nBcc: victim@example.org\r\nSubject: pwned', hostile);
      const discussion = await db.insertInto('discussions').values({ submission_id: id, stage: 'submission', subject: 'Hi\r\nBcc: victim2@example.org', created_by: hostile }).returning('id').executeTakeFirstOrThrow();
      await db.insertInto('discussion_participants').values([hostile, people.editor!].map((user_id) => ({ discussion_id: discussion.id, user_id }))).execute();
      const message = await db.insertInto('discussion_messages').values({ discussion_id: discussion.id, author_id: hostile, body: 'Body\r\n.\r\nMAIL FROM:<x@y>' }).returning('id').executeTakeFirstOrThrow();
      await db.transaction().execute((trx) => emit(trx, { type: 'DiscussionMessagePosted', journalId, submissionId: id, discussionId: discussion.id, messageId: message.id, authorId: hostile }));
      const mails = await work();
      assert.ok(mails.length >= 4);
      for (const mail of mails) {
        assert.equal(mail.envelopeTo.length, 1);
        assert.ok(!mail.envelopeTo[0]!.startsWith('victim'), 'no injected recipient');
        const head = mail.raw.slice(0, mail.raw.indexOf('\r\n\r\n'));
        assert.ok(!/^(bcc|cc|subject: pwned)/im.test(head), `no injected header in ${head}`);
        assert.ok(!/[\r\n]/.test(mail.subject), 'the subject is one line');
      }
      assert.ok(mails.some((m) => m.subject === '[Sprawy Międzynarodowe] Submission received: Evil Bcc: victim@example.org Subject: pwned'));
      assert.ok(mails.some((m) => m.subject === '[Sprawy Międzynarodowe] Hi Bcc: victim2@example.org' && m.text.includes('MAIL FROM:<x@y>')));
    });

    it('uses the journal’s own template', async () => {
      await saveTemplate(db, { journalId, key: 'submission-acknowledgement', locale: 'en', subject: 'Thanks from {{journalName}}: {{title}}', body: 'Hello {{name}}, your number is {{submissionId}}.\n' });
      const id = await submitted('Templated paper');
      const [author] = (await work()).filter((m) => m.envelopeTo[0] === 'author@example.org');
      assert.equal(author!.subject, 'Thanks from Sprawy Międzynarodowe: Templated paper');
      assert.equal(author!.text.trim(), `Hello Author Nowak, your number is ${id}.`);
    });
  });
}
