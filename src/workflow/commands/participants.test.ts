import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Kysely } from 'kysely';
import { assignRole, insertUser, setDisabled, setSectionEditorSections } from '../../accounts/index.ts';
import { createJournal } from '../../catalog/index.ts';
import type { Database, DatabaseHandle, RoleName } from '../../db/index.ts';
import { listEvents } from '../../platform/events/index.ts';
import { testDatabases } from '../../../test/support/databases.ts';
import type { WorkflowError } from '../errors.ts';
import { findSubmission, submissionActivity } from '../queries.ts';
import { assignParticipant, eligibleParticipants, removeParticipant } from './participants.ts';
import { addSubmissionFile, createDraft, saveSubmissionDetails, submitSubmission } from './submissions.ts';
import { refused } from '../../../test/support/refused.ts';
import { openDemoJournal } from '../../../test/support/demo-journal.ts';

const now = new Date('2026-03-02T09:00:00Z');

for (const database of await testDatabases()) {
  describe(`participants on ${database.name}`, () => {
    let handle: DatabaseHandle;
    let db: Kysely<Database>;
    let journalId: number;
    let sectionId: number;
    const people: Record<string, number> = {};

    async function person(name: string, role: RoleName | null, journal = journalId): Promise<number> {
      const user = await insertUser(db, { email: `${name}@example.org`, givenName: { en: name }, familyName: { en: 'Test' }, affiliation: {}, orcid: null, country: null, preferredLocale: null, privacyConsentAt: now }, null);
      if (role) await assignRole(db, user!.id, journal, role);
      people[name] = user!.id;
      return user!.id;
    }

    async function submission(submit = true): Promise<number> {
      const id = await createDraft(db, { journalId, userId: people.author!, sectionId, locale: 'en', commentsForEditor: '', checklistConfirmed: true, agreementsAccepted: true, now });
      if (!submit) return id;
      await addSubmissionFile(db, { journalId, submissionId: id, userId: people.author!, kind: 'article', upload: { storageKey: `ab/${crypto.randomUUID()}`, sizeBytes: 10, sha256: 'c'.repeat(64), mimeType: 'application/pdf', originalName: 'a.pdf' }, now });
      await saveSubmissionDetails(db, journalId, id, people.author!, { prefix: {}, title: { en: 'T' }, subtitle: {}, abstract: { en: 'A.' }, keywords: {} }, now);
      await submitSubmission(db, journalId, id, people.author!, now);
      return id;
    }

    const assign = (submissionId: number, userId: number, role: 'editor' | 'section-editor' = 'editor') => assignParticipant(db, { journalId, submissionId, userId, role, assignedBy: people.manager!, now });

    before(async () => {
      ({ handle, db, journalId, sectionId } = await openDemoJournal(database));
      const other = await createJournal(db, { path: 'other', name: { en: 'Other' }, primaryLocale: 'en', supportedLocales: ['en'] });
      await person('author', null);
      await person('manager', 'manager');
      await person('editor', 'editor');
      await person('sectioneditor', 'section-editor');
      await setSectionEditorSections(db, people.sectioneditor!, [sectionId], [sectionId]);
      await person('reader', 'reader');
      await person('elsewhere', 'editor', other);
      await person('gone', 'editor');
      await setDisabled(db, people.gone!, true, 'left', now);
    });
    after(() => handle.close());

    it('lists who may be assigned in each role', async () => {
      const editors = await eligibleParticipants(db, journalId, 'editor');
      assert.deepEqual(editors.map((e) => e.userId).sort(), [people.manager, people.editor].sort());
      const sectionEditors = await eligibleParticipants(db, journalId, 'section-editor');
      assert.deepEqual(sectionEditors.map((e) => e.userId).sort(), [people.manager, people.editor, people.sectioneditor].sort());
      assert.deepEqual(sectionEditors.find((e) => e.userId === people.sectioneditor)!.sectionIds, [sectionId]);
    });

    it('assigns an eligible person once, logs it and tells the subscribers; refuses others with nothing written', async () => {
      const id = await submission();
      const events = (await listEvents(db, { type: 'ParticipantAssigned', limit: 1000 })).length;
      const participantId = await assign(id, people.editor!);
      const record = (await findSubmission(db, journalId, id))!;
      assert.deepEqual(record.participants.map((p) => [p.userId, p.role]), [[people.author, 'author'], [people.editor, 'editor']]);
      assert.deepEqual(record.resource.assignments, [{ userId: people.author, role: 'author' }, { userId: people.editor, role: 'editor' }]);
      const [entry] = (await submissionActivity(db, id)).filter((a) => a.action === 'participant.assigned');
      assert.deepEqual(entry!.details, { participantId, userId: people.editor, role: 'editor' });
      assert.equal(entry!.userId, people.manager);
      const emitted = (await listEvents(db, { type: 'ParticipantAssigned', limit: 1000 })).slice(events);
      assert.deepEqual(emitted.map((e) => e.event), [{ type: 'ParticipantAssigned', journalId, submissionId: id, participantId, userId: people.editor!, role: 'editor', assignedBy: people.manager! }]);

      const duplicate = await refused(assign(id, people.editor!), 'already-assigned');
      assert.equal(duplicate.status, 409);
      for (const name of ['reader', 'elsewhere', 'gone', 'author']) await refused(assign(id, people[name]!), 'not-eligible');
      await refused(assign(id, people.sectioneditor!, 'editor'), 'not-eligible');
      // The same editor in another role is another assignment.
      await assign(id, people.editor!, 'section-editor');
      await assign(id, people.sectioneditor!, 'section-editor');
      assert.equal((await findSubmission(db, journalId, id))!.participants.length, 4);
      assert.equal((await listEvents(db, { type: 'ParticipantAssigned', limit: 1000 })).length, events + 3, 'refusals emit nothing');

      await refused(assign(999_999, people.editor!), 'participant-unknown');
      await refused(assignParticipant(db, { journalId: journalId + 1000, submissionId: id, userId: people.editor!, role: 'editor', assignedBy: null, now }), 'participant-unknown');
    });

    it('assigns nobody to a draft', async () => {
      const draft = await submission(false);
      await refused(assign(draft, people.editor!), 'not-active');
      assert.equal((await findSubmission(db, journalId, draft))!.participants.length, 1);
    });

    it('two assignments of one person at once make one', async () => {
      const id = await submission();
      const results = await Promise.allSettled([assign(id, people.manager!), assign(id, people.manager!)]);
      assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
      assert.equal(((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason as WorkflowError).code, 'already-assigned');
      assert.equal((await findSubmission(db, journalId, id))!.participants.filter((p) => p.userId === people.manager).length, 1);
    });

    it('takes an editor off, logged; never the author', async () => {
      const id = await submission();
      const participantId = await assign(id, people.editor!);
      const author = (await findSubmission(db, journalId, id))!.participants.find((p) => p.role === 'author')!;
      await refused(removeParticipant(db, { journalId, submissionId: id, participantId: author.id, removedBy: people.manager!, now }), 'participant-unknown');
      await removeParticipant(db, { journalId, submissionId: id, participantId, removedBy: people.manager!, now });
      assert.deepEqual((await findSubmission(db, journalId, id))!.participants.map((p) => p.role), ['author']);
      const entry = (await submissionActivity(db, id)).at(-1)!;
      assert.equal(entry.action, 'participant.removed');
      assert.deepEqual(entry.details, { participantId, userId: people.editor, role: 'editor' });
      await refused(removeParticipant(db, { journalId, submissionId: id, participantId, removedBy: people.manager!, now }), 'participant-unknown');
      // Another submission's participant is not this one's.
      const other = await submission();
      const elsewhere = await assign(other, people.editor!);
      await refused(removeParticipant(db, { journalId, submissionId: id, participantId: elsewhere, removedBy: people.manager!, now }), 'participant-unknown');
      assert.equal((await findSubmission(db, journalId, other))!.participants.length, 2);
    });
  });
}
