import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../cli/main.ts';
import { createUserWithRole } from '../accounts/index.ts';
import { migrateToLatest, openDatabase } from '../db/index.ts';
import { initialiseSite } from '../demo/index.ts';
import { startTestApp, visibleText, type TestApp } from '../../test/support/app.ts';
import { testDatabases } from '../../test/support/databases.ts';
import { metaValues } from '../../test/support/html.ts';
import { Session } from '../../test/support/session.ts';
import { doiProblem, suffixFromPattern } from './doi.ts';

const SCHEMAS = path.resolve('../shared/schemas');

function validate(file: string, schema: string): void {
  try {
    execFileSync('xmllint', ['--noout', '--nonet', '--schema', path.join(SCHEMAS, schema), file], { stdio: 'pipe' });
  } catch (error) {
    throw new Error(`${path.basename(file)} is not valid: ${String((error as { stderr?: Buffer }).stderr).slice(0, 1500)}`);
  }
}

describe('DOI rules', () => {
  it('fills OJS suffix patterns and checks DOI syntax', () => {
    const values = { journalInitials: 'SM', volume: 74, issue: '4', year: 2021, articleId: 1786, pages: '45-67' };
    assert.equal(suffixFromPattern('%j.v%vi%i.%a', values), 'sm.v74i4.1786');
    assert.equal(suffixFromPattern('%Y/%a-%p', values), '2021/1786-45');
    assert.equal(doiProblem('10.5555/sm.v74i4.1786'), null);
    assert.equal(doiProblem('10.55/x'), 'prefix');
    assert.equal(doiProblem('10.5555/'), 'suffix');
    assert.equal(doiProblem('10.5555/with space'), 'characters');
    assert.equal(doiProblem('doi:10.5555/x'), 'prefix');
  });
});

for (const database of await testDatabases()) {
  describe(`DOIs and citations on the site, on ${database.name}`, () => {
    let t: TestApp;
    let manager: Session;

    before(async () => {
      t = await startTestApp(database);
      await createUserWithRole(t.database.db, { email: 'manager@example.org', password: 'manager password', role: 'manager', journalId: 1, now: new Date() });
      manager = new Session(t.app, { 'accept-language': 'en' });
      await manager.signIn('manager@example.org', 'manager password');
    });
    after(() => t.close());

    it('shows How to Cite in seven styles, APA first, switchable by plain links, in pl and en', async () => {
      const page = await t.app.inject({ url: '/sm/article/view/1786?locale=en' });
      const block = /<section class="how-to-cite"[\s\S]*?<\/section>/.exec(page.body)![0];
      // The demo's only contributor is an affiliation, no author: APA puts the title first.
      assert.match(visibleText(block), /^How to Cite Russia’s approaches towards Armenia and Azerbaijan: evolution of the policy or interests come first\? \(2021\)\. Sprawy Międzynarodowe, 74\(4\)\. http:\/\/localhost:3000\/sm\/article\/view\/1786/);
      assert.ok(!block.includes('University of Economics'), 'the university is not cited as the author');
      const styles = [...block.matchAll(/<li>(?:<span aria-current="true">|<a [^>]*>)([^<]+)</g)].map((m) => m[1]);
      assert.deepEqual(styles, ['APA', 'Chicago', 'MLA', 'Harvard', 'IEEE', 'Vancouver', 'ISO 690']);
      const mla = await t.app.inject({ url: '/sm/article/view/1786?locale=pl&citationStyle=modern-language-association' });
      const mlaBlock = /<section class="how-to-cite"[\s\S]*?<\/section>/.exec(mla.body)![0];
      assert.match(visibleText(mlaBlock), /^Jak cytować „Russia’s Approaches towards Armenia and Azerbaijan: Evolution of the Policy or Interests Come First\?” Sprawy Międzynarodowe, t\. 74, nr 4, grudnia 2021/);
      assert.match(mlaBlock, /<span aria-current="true">MLA<\/span>/);
      const unknown = await t.app.inject({ url: '/sm/article/view/1786?citationStyle=nonsense' });
      assert.match(unknown.body, /<span aria-current="true">APA<\/span>/);
    });

    it('downloads the citation for reference managers', async () => {
      const expected = { bibtex: ['application/x-bibtex', /@article\{sm1786,/], ris: ['application/x-research-info-systems', /^TY {2}- JOUR\r\n/], endnote: ['application/x-endnote-refer', /^%0 Journal Article/m], 'csl-json': ['application/vnd.citationstyles.csl+json', /"type": "article-journal"/] } as const;
      for (const [format, [type, body]] of Object.entries(expected)) {
        const response = await t.app.inject({ url: `/sm/citationstylelanguage/download/${format}?submissionId=1786` });
        assert.equal(response.statusCode, 200, format);
        assert.match(response.headers['content-type'] as string, new RegExp(`^${type.replace('+', '\\+')}`));
        assert.match(response.headers['content-disposition'] as string, /attachment; filename="sm-1786\./);
        assert.match(response.body, body);
      }
      assert.equal((await t.app.inject({ url: '/sm/citationstylelanguage/download/docx?submissionId=1786' })).statusCode, 404);
      assert.equal((await t.app.inject({ url: '/sm/citationstylelanguage/download/ris?submissionId=999999' })).statusCode, 404);
      assert.equal((await t.app.inject({ url: '/sm/citationstylelanguage/download/ris' })).statusCode, 404);
    });

    it('lets a manager set the prefix and assign DOIs, which then show on the page and in its head', async () => {
      await manager.get('/sm/management/doi');
      assert.equal((await manager.post('/sm/management/doi', { prefix: '10.55', pattern: '%j.v%vi%i.%a' })).statusCode, 400);
      assert.equal((await manager.post('/sm/management/doi', { prefix: '10.5555', pattern: 'no-article-token' })).statusCode, 400);
      await manager.post('/sm/management/doi', { prefix: '10.5555', pattern: '%j.v%vi%i.%a', username: 'sm-user', password: 'secret one', depositorEmail: 'office@example.org' });
      const settings = await manager.get('/sm/management/doi');
      assert.doesNotMatch(settings.body, /secret one/, 'the Crossref password is never shown back');
      await manager.post('/sm/management/doi/assign');
      await t.changes.sync();
      const page = await t.app.inject({ url: '/sm/article/view/1786?locale=en' });
      assert.match(visibleText(page.body), /DOI: https:\/\/doi\.org\/10\.5555\/sm\.v74i4\.1786/);
      assert.deepEqual(metaValues(page.body, 'citation_doi'), ['10.5555/sm.v74i4.1786']);
      assert.match(visibleText(/<section class="how-to-cite"[\s\S]*?<\/section>/.exec(page.body)![0]), /https:\/\/doi\.org\/10\.5555\/sm\.v74i4\.1786/);
      const row = await t.database.db.selectFrom('journals').select('crossref_password').where('path', '=', 'sm').executeTakeFirstOrThrow();
      assert.equal(row.crossref_password, 'secret one');
    });

    it('refuses a malformed or duplicate DOI typed by hand', async () => {
      const other = await t.database.db.selectFrom('sections').select('id').executeTakeFirstOrThrow();
      const { addPublishedArticle } = await import('../catalog/index.ts');
      const { articleId } = await addPublishedArticle(t.database.db, { journalId: 1, sectionId: other.id, issueId: null, locale: 'en', title: { en: 'Second' }, datePublished: '2022-01-01' });
      await manager.get(`/sm/management/articles/${articleId}`);
      const bad = await manager.post(`/sm/management/articles/${articleId}`, { 'title.en': 'Second', sectionId: String(other.id), doi: '10.5555/has space' });
      assert.equal(bad.statusCode, 400);
      assert.match(visibleText(bad.body), /This is not a DOI/);
      const taken = await manager.post(`/sm/management/articles/${articleId}`, { 'title.en': 'Second', sectionId: String(other.id), doi: 'https://doi.org/10.5555/SM.V74I4.1786' });
      assert.equal(taken.statusCode, 400);
      assert.match(visibleText(taken.body), /Another article already has this DOI/);
      const ok = await manager.post(`/sm/management/articles/${articleId}`, { 'title.en': 'Second', sectionId: String(other.id), doi: '10.5555/sm.second' });
      assert.equal(ok.statusCode, 303);
    });

    it('assigns DOIs from the pattern when an issue is published', async () => {
      const { addPublishedArticle, saveIssue } = await import('../catalog/index.ts');
      const issueId = await saveIssue(t.database.db, 1, null, { volume: 75, number: '1', year: 2022, title: {}, description: {}, showVolume: true, showNumber: true, showYear: true, showTitle: false, urlPath: null });
      const section = await t.database.db.selectFrom('sections').select('id').executeTakeFirstOrThrow();
      const { articleId } = await addPublishedArticle(t.database.db, { journalId: 1, sectionId: section.id, issueId, locale: 'en', title: { en: 'In the new issue' }, datePublished: '2022-03-01' });
      await manager.get(`/sm/management/issues/${issueId}`);
      assert.equal((await manager.post(`/sm/management/issues/${issueId}/publish`, { datePublished: '2022-03-01' })).statusCode, 303);
      const publication = await t.database.db.selectFrom('publications').select('doi').where('article_id', '=', articleId).executeTakeFirstOrThrow();
      assert.equal(publication.doi, `10.5555/sm.v75i1.${articleId}`);
    });

    it('refuses to deposit, queueing nothing, when the journal has no e-mail address for Crossref’s reports', async () => {
      await t.database.db.updateTable('journals').set({ crossref_depositor_email: null, contact_email: null }).where('path', '=', 'sm').execute();
      await manager.get('/sm/management/doi');
      const refused = await manager.post('/sm/management/doi/deposit');
      assert.equal(refused.statusCode, 409);
      assert.match(visibleText(refused.body), /Nothing was sent: Crossref mails the outcome of each deposit to the depositor, and the journal has no e-mail address for it\./);
      const queued = await t.database.db.selectFrom('crossref_deposits').select('article_id').execute();
      assert.deepEqual(queued, []);
    });
  });
}

describe('the export and DOI commands', () => {
  let dataDir: string;
  const lines: { out: string[]; err: string[] } = { out: [], err: [] };
  const cli = async (...argv: string[]) => {
    lines.out = [];
    lines.err = [];
    const code = await runCli(argv, { out: (l) => lines.out.push(l), err: (l) => lines.err.push(l), env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', BASE_URL: 'https://journals.example.org' } });
    return code;
  };

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'revista-export-'));
    const handle = await openDatabase({ kind: 'pglite', dataDir: path.join(dataDir, 'db') });
    await migrateToLatest(handle.db);
    await initialiseSite(handle.db, { demo: true });
    await handle.db.updateTable('journals').set({ online_issn: '2049-3630', publisher: 'PISM' }).where('path', '=', 'sm').execute();
    await handle.close();
  });
  after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('refuses unknown journals, issues and articles, and Crossref without DOIs, with a clear line and exit 1', async () => {
    assert.equal(await cli('export', 'jats', '--journal', 'nope'), 1);
    assert.match(lines.err.join('\n'), /no journal with the path nope/);
    assert.equal(await cli('export', 'doaj', '--journal', 'sm', '--issue', '999'), 1);
    assert.match(lines.err.join('\n'), /has no issue 999/);
    assert.equal(await cli('export', 'jats', '--journal', 'sm', '--article', '5'), 1);
    assert.match(lines.err.join('\n'), /no published article 5/);
    assert.equal(await cli('export', 'crossref', '--journal', 'sm'), 1);
    assert.match(lines.err.join('\n'), /articles without a DOI cannot go to Crossref: 1786/);
    assert.equal(await cli('doi', 'assign', '--journal', 'sm'), 1);
    assert.match(lines.err.join('\n'), /has no DOI prefix/);
    assert.equal(await cli('export', 'mods', '--journal', 'sm'), 2);
    assert.equal(await cli('doi', 'prefix', '--journal', 'sm', '11.5555'), 2);
  });

  it('sets the prefix, assigns DOIs, and writes valid Crossref, JATS and DOAJ documents of the demo', async () => {
    assert.equal(await cli('doi', 'prefix', '--journal', 'sm', '10.5555'), 0);
    assert.equal(await cli('doi', 'assign', '--journal', 'sm'), 0);
    assert.match(lines.out.join('\n'), /article 1786: 10\.5555\/sm\.v74i4\.1786/);
    const crossref = path.join(dataDir, 'crossref.xml');
    // Crossref mails its reports to the depositor: a journal with no address of its own is refused, nothing written.
    assert.equal(await cli('export', 'crossref', '--journal', 'sm', '-o', crossref), 1);
    assert.match(lines.err.join('\n'), /^revista export: the journal sm has no e-mail address for Crossref's reports: set its contact \(Journal management → Contact\)/);
    assert.ok(!fs.existsSync(crossref));
    const handle = await openDatabase({ kind: 'pglite', dataDir: path.join(dataDir, 'db') });
    await handle.db.updateTable('journals').set({ contact_name: 'Anna Redaktor', contact_email: 'redakcja@example.org' }).where('path', '=', 'sm').execute();
    await handle.close();
    assert.equal(await cli('export', 'crossref', '--journal', 'sm', '-o', crossref), 0, lines.err.join('\n'));
    validate(crossref, 'crossref/crossref5.3.1.xsd');
    const head = /<depositor>\s*<depositor_name>([^<]*)<\/depositor_name>\s*<email_address>([^<]*)<\/email_address>/.exec(fs.readFileSync(crossref, 'utf8'));
    assert.deepEqual(head?.slice(1), ['Anna Redaktor', 'redakcja@example.org'], 'the journal contact is the depositor');
    assert.equal((fs.readFileSync(crossref, 'utf8').match(/<citation /g) ?? []).length, 42);
    const jats = path.join(dataDir, 'article.jats.xml');
    assert.equal(await cli('export', 'jats', '--journal', 'sm', '--article', '1786', '-o', jats), 0, lines.err.join('\n'));
    validate(jats, 'jats/JATS-journalpublishing1-3d2-mathml3.xsd');
    assert.equal((fs.readFileSync(jats, 'utf8').match(/<ref /g) ?? []).length, 42);
    const doaj = path.join(dataDir, 'doaj.xml');
    assert.equal(await cli('export', 'doaj', '--journal', 'sm', '-o', doaj), 0, lines.err.join('\n'));
    validate(doaj, 'doaj/doajArticles.xsd');
    assert.match(lines.err.join('\n'), /exported 1 article\(s\) of sm as doaj/);
  });
});
