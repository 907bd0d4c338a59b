import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Kysely } from 'kysely';
import type { DatabaseHandle } from '../../db/index.ts';
import type { Database } from '../../db/schema.ts';
import { initialiseSite } from '../../demo/index.ts';
import { createFileStore, type FileStore } from '../../storage/index.ts';
import { testDatabases } from '../../../test/support/databases.ts';
import { importNativeXml } from './import.ts';
import { loadNativeIssues } from './load.ts';
import { describeLosses, localeFor, OJS_VERSIONS, type OjsVersion } from './versions.ts';
import { NativeExportError, writeNativeXml, type NativeXmlSummary } from './write.ts';

/**
 * Native XML for each OJS release: valid against that release's native.xsd, in the shapes its
 * importer reads, and with what it cannot hold counted. (roundtrip.test.ts imports each back.)
 */

const FIXTURES = path.resolve('test/fixtures/ojs');
const schemaOf = (version: OjsVersion) => path.resolve(`../shared/schemas/${version === 'main' ? 'ojs' : `ojs-${version}`}/plugins/importexport/native/native.xsd`);

function validate(file: string, version: OjsVersion): void {
  try {
    execFileSync('xmllint', ['--noout', '--nonet', '--schema', schemaOf(version), file], { stdio: 'pipe' });
  } catch (error) {
    throw new Error(`not valid for OJS ${version}: ${String((error as { stderr?: Buffer }).stderr).slice(0, 1500)}`);
  }
}

async function exportFor(db: Kysely<Database>, files: FileStore, dir: string, version: OjsVersion, issueId?: number): Promise<{ xml: string; summary: NativeXmlSummary }> {
  const file = path.join(dir, `export-${version}-${issueId ?? 'all'}.xml`);
  const out = fs.createWriteStream(file);
  const summary = await writeNativeXml(loadNativeIssues(db, 1, issueId === undefined ? {} : { issueId }), files, out, { version });
  await new Promise<void>((resolve) => out.end(resolve));
  validate(file, version);
  return { xml: fs.readFileSync(file, 'utf8'), summary };
}

describe('OJS locales per release', () => {
  it('writes 3.3’s language_REGION codes and 3.4’s bare languages, and refuses a language 3.3 cannot name', () => {
    assert.deepEqual(['en', 'pl', 'pt-BR', 'sr-Latn', 'de'].map((l) => localeFor('3.3', l)), ['en_US', 'pl_PL', 'pt_BR', 'sr_RS@latin', 'de_DE']);
    assert.deepEqual(['en', 'pl', 'pt-BR', 'sr-Latn'].map((l) => localeFor('3.4', l)), ['en', 'pl', 'pt_BR', 'sr@latin']);
    assert.throws(() => localeFor('3.3', 'haw'), /OJS 3\.3 cannot name the language haw .*export for OJS 3\.4 or later/);
  });
});

for (const database of await testDatabases()) {
  describe(`OJS Native XML for each release, on ${database.name}`, () => {
    let handle: DatabaseHandle;
    let files: FileStore;
    let dir: string;
    let richIssue: number;

    before(async () => {
      handle = await database.open();
      await initialiseSite(handle.db, { demo: true });
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'revista-ojs-versions-'));
      files = createFileStore(path.join(dir, 'files'));
      // A richer catalog: several issues and sections, authors with affiliations (with and without ROR ids), ORCID iDs, keywords, galleys with files, covers.
      for (const fixture of ['three-issues.xml', 'ojs33-issue.xml']) await importNativeXml(handle.db, files, path.join(FIXTURES, fixture), { journalPath: 'sm', baseDir: FIXTURES });
      const db = handle.db;
      // One author with two affiliations, a ROR id and a role besides author; a translator entered in Revista; an article with no authors.
      const publication = (await db.selectFrom('publications as p').innerJoin('issues as i', 'i.id', 'p.issue_id').select(['p.id', 'p.issue_id']).where('i.volume', '=', 72).orderBy('p.id').executeTakeFirstOrThrow());
      richIssue = publication.issue_id!;
      await db.insertInto('contributors').values([
        { publication_id: publication.id, given_name: JSON.stringify({ pl: 'Jan' }), family_name: JSON.stringify({ pl: 'Kowalski' }), affiliation: '{}', affiliations: JSON.stringify([{ name: { pl: 'Uniwersytet Warszawski', en: 'University of Warsaw' }, ror: 'https://ror.org/039bjqg32' }, { name: { en: 'Brown University' } }]), ror_id: null, email: null, orcid: 'https://orcid.org/0000-0002-1825-0097', country: 'PL', is_primary_contact: false, seq: 5, contributor_type: 'PERSON', contributor_roles: [1, 9] },
        { publication_id: publication.id, given_name: JSON.stringify({ en: 'Tom' }), family_name: JSON.stringify({ en: 'Tran' }), affiliation: '{}', ror_id: null, email: 't@example.org', orcid: null, country: null, is_primary_contact: false, seq: 6, role: 'translator', include_in_browse: false },
      ]).execute();
      const second = (await db.selectFrom('publications').select(['id', 'article_id']).where('issue_id', '=', richIssue).where('id', '!=', publication.id).orderBy('id').executeTakeFirstOrThrow());
      await db.deleteFrom('contributors').where('publication_id', 'in', db.selectFrom('publications').select('id').where('article_id', '=', second.article_id)).execute();
    });
    after(async () => {
      await handle.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('validates for every release, with the whole journal, and the demo article in it', async () => {
      for (const version of OJS_VERSIONS) {
        const { xml, summary } = await exportFor(handle.db, files, dir, version);
        assert.ok(summary.issues >= 5 && summary.files >= 5, `${version}: ${summary.issues} issues, ${summary.files} files`);
        assert.match(xml, /<id type="internal" advice="ignore">1786<\/id>/, `${version}: the demo article`);
      }
    });

    it('writes each release’s shapes and reports what it cannot hold', async () => {
      const [v33, v34, v35, main] = await Promise.all((['3.3', '3.4', '3.5', 'main'] as const).map((v) => exportFor(handle.db, files, dir, v, richIssue)));
      // Locales: 3.3 en_US/pl_PL everywhere, later releases en/pl.
      assert.match(v33!.xml, /<title locale="pl_PL">/);
      assert.doesNotMatch(v33!.xml, /locale="(en|pl)"/);
      assert.match(v34!.xml, /<title locale="pl">/);
      // Publications: version before main, id and version_* in main; 3.3 also names its language.
      assert.match(v33!.xml, /<publication locale="(en_US|pl_PL)" version="1" status="3"/);
      assert.match(v35!.xml, /<publication version="1" status="3"/);
      assert.match(main!.xml, /<publication version_stage="VoR" version_minor="0" version_major="1" id="\d+"/);
      // Authors: a user group before main, contributor type and roles in main; "0", not "false", for out of browse.
      assert.match(v35!.xml, /<author include_in_browse="0" user_group_ref="Translator" seq="6" id="\d+">/);
      assert.match(v33!.xml, /<author include_in_browse="true" user_group_ref="Author" seq="5" id="\d+">/);
      assert.doesNotMatch(v35!.xml, /contributor_type|contributor_roles/);
      assert.match(main!.xml, /seq="5" id="\d+" contributor_type="PERSON">[\s\S]*?<contributor_role_id>1<\/contributor_role_id>\s*<contributor_role_id>9<\/contributor_role_id>/);
      // Affiliations: one plain per language before 3.5 (joined), named and ROR ones from 3.5.
      assert.match(v34!.xml, /<affiliation locale="en">University of Warsaw; Brown University<\/affiliation>\s*<affiliation locale="pl">Uniwersytet Warszawski<\/affiliation>\s*<country>PL<\/country>\s*<email><\/email>\s*<orcid>https:\/\/orcid.org\/0000-0002-1825-0097<\/orcid>/);
      assert.match(v35!.xml, /<rorAffiliation>\s*<ror>https:\/\/ror.org\/039bjqg32<\/ror>[\s\S]*?<\/rorAffiliation>\s*<affiliation>\s*<name locale="en">Brown University<\/name>\s*<\/affiliation>/);
      // Keywords: plain before 3.5, <name> from 3.5.
      assert.match(v34!.xml, /<keywords locale="en">\s*<keyword>[^<\s][^<]*<\/keyword>/);
      assert.match(v35!.xml, /<keywords locale="en">\s*<keyword>\s*<name>[^<]+<\/name>/);
      // The article without authors: 3.3 cannot hold it; the others carry it.
      const articles = (xml: string) => (xml.match(/<article /g) ?? []).length;
      assert.equal(articles(v33!.xml), articles(v34!.xml) - 1);
      // Jan Kowalski's given name is Polish only, on an English article: 3.3 gets it in English too.
      assert.match(v33!.xml, /<givenname locale="en_US">Jan<\/givenname>\s*<givenname locale="pl_PL">Jan<\/givenname>\s*<familyname locale="pl_PL">Kowalski<\/familyname>/);
      assert.deepEqual(v33!.summary.losses, { ror: 1, affiliationsJoined: 1, contributorRoles: 1, givenName: 1, noAuthors: 1 });
      assert.deepEqual(v34!.summary.losses, { ror: 1, affiliationsJoined: 1, contributorRoles: 1 });
      assert.deepEqual(v35!.summary.losses, { contributorRoles: 1 });
      assert.deepEqual(main!.summary.losses, {});
      assert.deepEqual(describeLosses(v33!.summary.losses, '3.3'), [
        'OJS 3.3 has no ROR ids for affiliations: 1 left out (the names are kept)',
        'OJS 3.3 holds one affiliation per author: 1 authors’ affiliations joined with “; ”',
        'OJS 3.3 has one role per author (author or translator): 1 other roles left out',
        'OJS 3.3 needs every author’s given name in the article’s language: 1 authors without one got there their given name in another language, else their family name, else their affiliation',
        'OJS 3.3 needs at least one author in every version of an article: 1 articles without left out',
      ]);
    });

    it('refuses, with the reason, a language OJS 3.3 cannot name', async () => {
      await handle.db.updateTable('issues').set({ title: JSON.stringify({ haw: 'Puke' }) }).where('id', '=', richIssue).execute();
      try {
        const out = fs.createWriteStream(path.join(dir, 'haw.xml'));
        await assert.rejects(writeNativeXml(loadNativeIssues(handle.db, 1, { issueId: richIssue }), files, out, { version: '3.3' }), (e: Error) => e instanceof NativeExportError && /OJS 3\.3 cannot name the language haw/.test(e.message));
        out.destroy();
        await exportFor(handle.db, files, dir, '3.4', richIssue);
      } finally {
        await handle.db.updateTable('issues').set({ title: JSON.stringify({ en: 'The Baltic Sea region', pl: 'Region Morza Bałtyckiego' }) }).where('id', '=', richIssue).execute();
      }
    });
  });
}
