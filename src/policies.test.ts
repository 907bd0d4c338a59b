import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ArticleResource } from './catalog/policy.ts';
import type { Assignment, JournalRole, Principal } from './platform/policy/index.ts';
import { registerPolicies } from './app.ts';
import { narrowed as narrowed_ } from './api/tokens.ts';
import { can } from './platform/policy/index.ts';

registerPolicies();
import type { SubmissionFileResource, SubmissionResource } from './workflow/policy.ts';

const person = (userId: number, roles: Array<[number, JournalRole]> = [], sections: number[] = [], isAdmin = false): Principal => ({
  userId,
  isAdmin,
  roles: new Map(roles.map(([journal, role]) => [journal, new Set([role])])),
  sectionIds: new Set(sections),
});

describe('policies: roles', () => {
  it('limits section editors to their sections and roles to their journal', () => {
    const sectionEditor = person(1, [[1, 'section-editor']], [7]);
    assert.equal(can(sectionEditor, 'section.articles', { kind: 'section', journalId: 1, sectionId: 7 }), true);
    assert.equal(can(sectionEditor, 'section.articles', { kind: 'section', journalId: 1, sectionId: 8 }), false);
    assert.equal(can(sectionEditor, 'section.articles', { kind: 'section', journalId: 2, sectionId: 7 }), false);
    assert.equal(can(person(1, [[1, 'manager']]), 'journal.settings', { kind: 'journal', journalId: 2 }), false);
    assert.equal(can(null, 'account', { kind: 'site' }), false);
    assert.equal(can(person(1, [], [], true), 'journal.settings', { kind: 'journal', journalId: 99 }), true);
  });

  it('lets readers see published articles and issues only; editors of the journal see the rest', () => {
    const unpublished: ArticleResource = { kind: 'article', journalId: 1, sectionId: 7, articleId: 5, published: false, assignments: [] };
    assert.equal(can(null, 'article.read', { ...unpublished, published: true }), true);
    assert.equal(can(null, 'article.read', unpublished), false);
    assert.equal(can(person(2, [[1, 'reader']]), 'article.read', unpublished), false);
    assert.equal(can(person(2, [[2, 'editor']]), 'article.read', unpublished), false);
    assert.equal(can(person(2, [[1, 'editor']]), 'article.read', unpublished), true);
    const draftIssue = { kind: 'issue', journalId: 1, issueId: 3, published: false } as const;
    assert.equal(can(person(2, [[1, 'section-editor']], [7]), 'galley.download', { kind: 'galley', galleyId: 9, of: unpublished }), true);
    assert.equal(can(person(2, [[1, 'section-editor']], [7]), 'galley.download', { kind: 'galley', galleyId: 9, of: draftIssue }), false);
    assert.equal(can(person(2, [[1, 'manager']]), 'galley.download', { kind: 'galley', galleyId: 9, of: draftIssue }), true);
  });

  it('lets anyone signed in submit to a journal, except through a token made for another journal', () => {
    const someone = person(30, []);
    assert.equal(can(someone, 'journal.submit', { kind: 'journal', journalId: 1 }), true);
    assert.equal(can(null, 'journal.submit', { kind: 'journal', journalId: 1 }), false);
    const narrowed = narrowed_(someone, ['author'], 2);
    assert.equal(can(narrowed, 'journal.submit', { kind: 'journal', journalId: 1 }), false);
    assert.equal(can(narrowed, 'journal.submit', { kind: 'journal', journalId: 2 }), true);
  });

  it('lets people change their own account, and the administrator anyone’s', () => {
    assert.equal(can(person(4), 'user.edit', { kind: 'user', userId: 4 }), true);
    assert.equal(can(person(4, [[1, 'manager']]), 'user.edit', { kind: 'user', userId: 5 }), false);
    assert.equal(can(person(1, [], [], true), 'user.edit', { kind: 'user', userId: 5 }), true);
  });
});

describe('policies: assignments', () => {
  // A plain list, as the workflow's assignment tables will load it with the submission.
  const assignments: Assignment[] = [
    { userId: 10, role: 'author' },
    { userId: 11, role: 'editor' },
    { userId: 12, role: 'reviewer', reviewRoundId: 1 },
    { userId: 13, role: 'reviewer', reviewRoundId: 2 },
  ];
  const submission: SubmissionResource = { kind: 'submission', journalId: 1, sectionId: 7, submissionId: 100, status: 'active', assignments };
  const file = (stage: SubmissionFileResource['stage'], reviewRoundId: number | null = null): SubmissionFileResource => ({ kind: 'submission-file', fileId: 1, stage, reviewRoundId, submission });
  const author = person(10, [[1, 'author']]);
  const assignedSectionEditor = person(11, [[1, 'section-editor']]);
  const reviewerOfRound1 = person(12, [[1, 'reviewer']]);
  const reviewerOfRound2 = person(13, [[1, 'reviewer']]);
  const otherSectionEditor = person(14, [[1, 'section-editor']], [8]);
  const editorOfTheSection = person(17, [[1, 'section-editor']], [7]);
  const otherAuthor = person(15, [[1, 'author']]);

  it('lets the author of this submission read it and its files outside review, and no other author', () => {
    assert.equal(can(author, 'submission.read', submission), true);
    assert.equal(can(author, 'submission-file.read', file('submission')), true);
    assert.equal(can(author, 'submission-file.read', file('review', 1)), false);
    assert.equal(can(author, 'submission.decide', submission), false);
    assert.equal(can(otherAuthor, 'submission.read', submission), false);
    assert.equal(can(otherAuthor, 'submission-file.read', file('submission')), false);
  });

  it('lets the editor assigned to this submission, or a section editor of its section, decide on it; another section editor may not', () => {
    assert.equal(can(editorOfTheSection, 'submission.read', submission), true);
    assert.equal(can(editorOfTheSection, 'submission.decide', submission), true);
    // Nobody but its authors sees a draft, the section's editors included.
    assert.equal(can(editorOfTheSection, 'submission.read', { ...submission, status: 'draft' }), false);
    assert.equal(can(author, 'submission.edit', { ...submission, status: 'draft' }), true);
    assert.equal(can(author, 'submission.edit', submission), false);
    assert.equal(can(assignedSectionEditor, 'submission.decide', submission), true);
    assert.equal(can(assignedSectionEditor, 'submission-file.read', file('review', 2)), true);
    assert.equal(can(otherSectionEditor, 'submission.decide', submission), false);
    assert.equal(can(otherSectionEditor, 'submission.read', submission), false);
    assert.equal(can(person(16, [[1, 'editor']]), 'submission.decide', submission), true);
    assert.equal(can(person(16, [[2, 'editor']]), 'submission.decide', submission), false);
  });

  it('lets the reviewer of this round review it and read its files, not another round’s', () => {
    const round1 = { kind: 'review-round', reviewRoundId: 1, submission } as const;
    assert.equal(can(reviewerOfRound1, 'review-round.review', round1), true);
    assert.equal(can(reviewerOfRound2, 'review-round.review', round1), false);
    assert.equal(can(reviewerOfRound1, 'submission-file.read', file('review', 1)), true);
    assert.equal(can(reviewerOfRound1, 'submission-file.read', file('review', 2)), false);
    assert.equal(can(reviewerOfRound1, 'submission-file.read', file('production')), false);
    // Nobody writes a review in the invited reviewer's name, the administrator included.
    assert.equal(can(person(1, [], [], true), 'review-round.review', round1), false);
    assert.equal(can(assignedSectionEditor, 'review-round.review', round1), false);
  });

  it('lets the assigned copyeditor and layout editor work at their stages, and nothing more (issue 21)', () => {
    const working: SubmissionResource = { ...submission, assignments: [...assignments, { userId: 20, role: 'copyeditor' }, { userId: 21, role: 'layout-editor' }] };
    const at = (stage: SubmissionFileResource['stage'], reviewPurpose: SubmissionFileResource['reviewPurpose'] = null, reviewRoundId: number | null = null): SubmissionFileResource => ({ kind: 'submission-file', fileId: 1, stage, reviewRoundId, reviewPurpose, submission: working });
    const copyeditor = person(20, [[1, 'copyeditor']]);
    const layoutEditor = person(21, [[1, 'layout-editor']]);
    const unassignedCopyeditor = person(22, [[1, 'copyeditor']]);
    assert.equal(can(copyeditor, 'submission.read', working), true);
    assert.equal(can(copyeditor, 'submission.copyedit', working), true);
    assert.equal(can(copyeditor, 'submission.produce', working), false);
    assert.equal(can(copyeditor, 'submission.decide', working), false);
    assert.equal(can(copyeditor, 'submission.publish', working), false);
    assert.equal(can(copyeditor, 'submission-file.read', at('submission')), true);
    // The author's revision is the accepted text; the files sent to reviewers are not the copyeditor's.
    assert.equal(can(copyeditor, 'submission-file.read', at('review', 'revision', 1)), true);
    assert.equal(can(copyeditor, 'submission-file.read', at('review', 'review-file', 1)), false);
    assert.equal(can(copyeditor, 'submission-file.read', at('production')), false);
    assert.equal(can(layoutEditor, 'submission.produce', working), true);
    assert.equal(can(layoutEditor, 'submission.copyedit', working), false);
    assert.equal(can(layoutEditor, 'submission-file.read', at('production')), true);
    assert.equal(can(layoutEditor, 'submission-file.read', at('submission')), false);
    assert.equal(can(unassignedCopyeditor, 'submission.read', working), false);
    assert.equal(can(unassignedCopyeditor, 'submission.copyedit', working), false);
    // Before acceptance (a draft) nobody but its authors is in it.
    assert.equal(can(copyeditor, 'submission.read', { ...working, status: 'draft' }), false);
    assert.equal(can(person(16, [[1, 'editor']]), 'submission.publish', working), true);
    assert.equal(can(author, 'submission.publish', working), false);
  });

  it('lets a section editor limited to recommending recommend and not decide; reviewers never read the submission page', () => {
    const limited = { ...submission, recommendOnly: [11] };
    assert.equal(can(assignedSectionEditor, 'submission.decide', limited), false);
    assert.equal(can(assignedSectionEditor, 'submission.recommend', limited), true);
    assert.equal(can(assignedSectionEditor, 'submission.manage-review', limited), true);
    assert.equal(can(assignedSectionEditor, 'submission.recommend', submission), false);
    // A journal editor is never limited by an assignment as section editor.
    assert.equal(can(person(11, [[1, 'editor']]), 'submission.decide', limited), true);
    assert.equal(can(reviewerOfRound1, 'submission.read', submission), false);
  });

  it('lets the asked reviewer answer, the accepting one write, and the editors manage a review request', () => {
    const review = (status: 'requested' | 'accepted' | 'submitted' | 'cancelled', reviewerId: number | null = 12) => ({ kind: 'review', reviewId: 5, reviewerId, status, reviewRoundId: 1, submission }) as const;
    assert.equal(can(reviewerOfRound1, 'review.respond', review('requested')), true);
    assert.equal(can(reviewerOfRound1, 'review.respond', review('accepted')), false);
    assert.equal(can(reviewerOfRound1, 'review.write', review('accepted')), true);
    assert.equal(can(reviewerOfRound1, 'review.write', review('submitted')), false);
    assert.equal(can(reviewerOfRound1, 'review.write', { ...review('accepted'), submission: { ...submission, status: 'declined' } }), false);
    assert.equal(can(reviewerOfRound2, 'review.read', review('accepted')), false);
    assert.equal(can(reviewerOfRound1, 'review.read', review('submitted')), true);
    assert.equal(can(author, 'review.read', review('submitted')), false);
    assert.equal(can(assignedSectionEditor, 'review.manage', review('accepted')), true);
    assert.equal(can(reviewerOfRound1, 'review.manage', review('accepted')), false);
    assert.equal(can(assignedSectionEditor, 'review.write', review('accepted')), false);
    assert.equal(can(null, 'review.respond', review('requested', null)), false);
  });

  it('lets the author of an unpublished article read it before readers can', () => {
    const article: ArticleResource = { kind: 'article', journalId: 1, sectionId: 7, articleId: 5, published: false, assignments };
    assert.equal(can(author, 'article.read', article), true);
    assert.equal(can(author, 'article.edit', article), false);
    assert.equal(can(otherAuthor, 'article.read', article), false);
    assert.equal(can(assignedSectionEditor, 'article.edit', article), true);
  });
});
