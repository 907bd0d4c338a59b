import { editsSection, holdsRole, isAssigned, type Assignment, type JournalResource, type Principal, type Rules } from '../platform/policy/index.ts';

/** A section of a journal: where section editors' rights end. */
export interface SectionResource {
  kind: 'section';
  journalId: number;
  sectionId: number;
}

export interface IssueResource {
  kind: 'issue';
  journalId: number;
  issueId: number;
  published: boolean;
}

export interface ArticleResource {
  kind: 'article';
  journalId: number;
  sectionId: number;
  articleId: number;
  /** Whether readers see it (a published version, not withdrawn). */
  published: boolean;
  /** The people tied to its submission (authors, its editor); empty until the workflow records them. */
  assignments: readonly Assignment[];
}

/** A galley (an article's or an issue's file to read): as readable as what it belongs to. */
export interface GalleyResource {
  kind: 'galley';
  galleyId: number;
  of: ArticleResource | IssueResource;
}

/** What the catalog lets people do; `can()` (platform/policy) checks these. */
export interface CatalogActions {
  /** A journal's issues: create, edit, order, publish, unpublish, mark current. */
  'journal.issues': JournalResource;
  /** Enter a journal's article management (section editors too, whatever their sections). */
  'journal.articles': JournalResource;
  /** Edit the articles of one section. */
  'section.articles': SectionResource;
  /** Edit one article's metadata, contributors and galleys (a new version once published). */
  'article.edit': ArticleResource;
  'article.read': ArticleResource;
  'issue.read': IssueResource;
  /** Download a galley's file (or follow its remote address). */
  'galley.download': GalleyResource;
}

const managesIssues = (principal: Principal | null, journalId: number) => principal?.isAdmin === true || holdsRole(principal, journalId, ['manager', 'editor']);
const editsArticlesIn = (principal: Principal | null, journalId: number, sectionId: number) => principal?.isAdmin === true || editsSection(principal, journalId, sectionId);

const readsArticle = (principal: Principal | null, article: ArticleResource) =>
  article.published || editsArticlesIn(principal, article.journalId, article.sectionId) || isAssigned(principal, article.assignments, 'author') || isAssigned(principal, article.assignments, 'editor');
const readsIssue = (principal: Principal | null, issue: IssueResource) => issue.published || managesIssues(principal, issue.journalId);

export const catalogRules: Rules<CatalogActions> = {
  'journal.issues': (principal, { journalId }) => managesIssues(principal, journalId),
  'journal.articles': (principal, { journalId }) => principal?.isAdmin === true || holdsRole(principal, journalId, ['manager', 'editor', 'section-editor']),
  'section.articles': (principal, { journalId, sectionId }) => editsArticlesIn(principal, journalId, sectionId),
  'article.edit': (principal, article) => editsArticlesIn(principal, article.journalId, article.sectionId) || isAssigned(principal, article.assignments, 'editor'),
  'article.read': readsArticle,
  'issue.read': readsIssue,
  'galley.download': (principal, { of }) => (of.kind === 'article' ? readsArticle(principal, of) : readsIssue(principal, of)),
};

declare module '../platform/policy/index.ts' {
  interface PolicyActions extends CatalogActions {}
}
