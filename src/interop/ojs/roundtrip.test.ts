import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import type { Kysely } from 'kysely';
import { createJournal } from '../../catalog/index.ts';
import type { DatabaseHandle } from '../../db/index.ts';
import type { Database } from '../../db/schema.ts';
import { initialiseSite } from '../../demo/index.ts';
import { createFileStore, type FileStore } from '../../storage/index.ts';
import { testDatabases } from '../../../test/support/databases.ts';
import { importNativeXml } from './import.ts';
import { loadNativeIssues } from './load.ts';
import type { Losses, OjsVersion } from './versions.ts';
import { writeNativeXml } from './write.ts';

/**
 * Round trip: a journal exported as Native XML and imported into an empty instance is the same
 * journal — every row of the catalog compared field by field (ids aside, which may differ), files by
 * the sha256 of their stored bytes — and every old link (article, issue, galley) that reached an
 * object in the first instance reaches the same object in the second. Exporting the second instance
 * again gives the same document.
 */

const schemaOf = (version: OjsVersion) => path.resolve(`../shared/schemas/${version === 'main' ? 'ojs' : `ojs-${version}`}/plugins/importexport/native/native.xsd`);
const FIXTURES = path.resolve('test/fixtures/ojs');
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

interface Instance {
  handle: DatabaseHandle;
  db: Kysely<Database>;
  files: FileStore;
  journalId: number;
}

type Row = Record<string, unknown>;

/** A row without its own id, timestamps and the keys the snapshot replaces by what they point at. */
function fields(row: Row, drop: string[] = []): Row {
  const out: Row = {};
  for (const [key, value] of Object.entries(row)) {
    if (['id', 'created_at', 'updated_at', 'journal_id', ...drop].includes(key)) continue;
    out[key] = value instanceof Date ? value.toISOString() : value;
  }
  return out;
}

const sorted = <T>(items: T[]) => [...items].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : JSON.stringify(a) > JSON.stringify(b) ? 1 : 0));

type Localized = Record<string, string>;

/**
 * A contributor as it comes back from a document for `version`, by what that release holds (the
 * losses the export reports): before main one role (author or translator) and persons only; before
 * 3.5 one affiliation, its names joined per language, and no ROR id; in 3.3 a given name in the
 * article's language.
 */
function heldBy(version: OjsVersion | undefined, c: Row, articleLocale: string): Row {
  if (version === undefined || version === 'main') return c;
  const out: Row = { ...c, contributor_type: null, contributor_roles: c.role === 'translator' ? [2] : [] };
  if (version === '3.3' || version === '3.4') {
    const all = (c.affiliations as { name: Localized; ror?: string }[]).length > 0 ? (c.affiliations as { name: Localized }[]) : [{ name: c.affiliation as Localized }];
    const joined: Localized = {};
    for (const a of all) for (const [locale, name] of Object.entries(a.name)) if (name.trim() !== '') joined[locale] = joined[locale] ? `${joined[locale]}; ${name}` : name;
    Object.assign(out, { affiliation: joined, affiliations: [], ror_id: null });
  }
  const given = c.given_name as Localized;
  if (version === '3.3' && !given[articleLocale]?.trim()) {
    const first = (values: Localized) => (values[articleLocale]?.trim() ? values[articleLocale] : Object.values(values).find((v) => v.trim() !== ''));
    const family = { ...(c.family_name as Localized) };
    const affiliations = (c.affiliations as { name: Localized }[]).length > 0 ? (c.affiliations as { name: Localized }[]) : [{ name: c.affiliation as Localized }];
    const other = first(given);
    const familyName = first(family);
    if (other === undefined && familyName !== undefined) delete family[articleLocale];
    const name = other ?? familyName ?? affiliations.map((a) => first(a.name)).find((v) => v !== undefined);
    Object.assign(out, { given_name: { ...given, [articleLocale]: name }, family_name: family });
  }
  return out;
}

/** The journal's whole catalog as plain data that does not depend on Revista's ids (as `heldFor` would hold it, when given). */
async function snapshot(instance: Instance, heldFor?: OjsVersion): Promise<{ sections: Row[]; issues: Row[]; articles: Row[]; byId: { article: Map<number, Row>; issue: Map<number, Row>; galley: Map<number, Row> } }> {
  const { db, files, journalId } = instance;
  const fileRows = new Map((await db.selectFrom('files').selectAll().execute()).map((f) => [f.id, f]));
  const file = (id: number | null) => {
    if (id === null) return null;
    const row = fileRows.get(id)!;
    // The bytes as stored, not what the row says about them.
    const bytes = fs.readFileSync(files.pathOf(row.storage_key));
    return { mime_type: row.mime_type, size_bytes: Number(row.size_bytes), sha256: row.sha256, stored_sha256: sha256(bytes), stored_bytes: bytes.length, original_name: row.original_name };
  };
  const sectionRows = await db.selectFrom('sections').selectAll().where('journal_id', '=', journalId).execute();
  const section = new Map(sectionRows.map((s) => [s.id, fields(s)]));
  const issueRows = await db.selectFrom('issues').selectAll().where('journal_id', '=', journalId).execute();
  const issue = new Map(issueRows.map((i) => [i.id, { ...fields(i, ['cover_file_id', 'seq']), cover: file(i.cover_file_id) }]));
  const articleRows = await db.selectFrom('articles').selectAll().where('journal_id', '=', journalId).execute();
  const publications = articleRows.length === 0 ? [] : await db.selectFrom('publications').selectAll().where('article_id', 'in', articleRows.map((a) => a.id)).execute();
  const publicationIds = publications.map((p) => p.id);
  const contributors = publicationIds.length === 0 ? [] : await db.selectFrom('contributors').selectAll().where('publication_id', 'in', publicationIds).execute();
  const citations = publicationIds.length === 0 ? [] : await db.selectFrom('citations').selectAll().where('publication_id', 'in', publicationIds).execute();
  const galleys = publicationIds.length === 0 ? [] : await db.selectFrom('galleys').selectAll().where('publication_id', 'in', publicationIds).execute();
  const galley = new Map(galleys.map((g) => [g.id, { ...fields(g, ['publication_id', 'file_id']), file: file(g.file_id) }]));
  const article = new Map(
    articleRows.map((a) => {
      const versions = publications.filter((p) => p.article_id === a.id).sort((x, y) => x.version - y.version);
      return [
        a.id,
        {
          ...fields(a, ['current_publication_id']),
          current_version: versions.find((p) => p.id === a.current_publication_id)?.version ?? null,
          publications: versions.map((p) => ({
            ...fields(p, ['article_id', 'section_id', 'issue_id', 'cover_file_id']),
            section: section.get(p.section_id),
            issue: p.issue_id === null ? null : issue.get(p.issue_id),
            cover: file(p.cover_file_id),
            contributors: contributors.filter((c) => c.publication_id === p.id).sort((x, y) => x.seq - y.seq).map((c) => heldBy(heldFor, fields(c, ['publication_id']), a.locale)),
            // Parsed references (parsed, parser_version, parsed_text_sha256…) are Revista's own analysis, which Native XML does not carry.
            citations: citations.filter((c) => c.publication_id === p.id).sort((x, y) => x.seq - y.seq).map((c) => fields(c, ['publication_id', ...Object.keys(c).filter((k) => k.startsWith('parse'))])),
            galleys: galleys.filter((g) => g.publication_id === p.id).sort((x, y) => x.seq - y.seq).map((g) => galley.get(g.id)),
          })),
        },
      ];
    }),
  );
  return { sections: sorted([...section.values()]), issues: sorted([...issue.values()]), articles: sorted([...article.values()]), byId: { article, issue, galley } };
}

/** What an old address with this id reaches in the journal: the object with that Revista id, else the one imported under that OJS id. */
async function reached(instance: Instance, kind: 'article' | 'issue' | 'galley', id: number, own: Map<number, Row>): Promise<Row | undefined> {
  if (own.has(id)) return own.get(id);
  const row = await instance.db.selectFrom('ojs_ids').select('revista_id').where('journal_id', '=', instance.journalId).where('kind', '=', kind).where('ojs_id', '=', id).executeTakeFirst();
  return row ? own.get(row.revista_id) : undefined;
}

/** Every id under which an old address reaches an object: Revista ids, and the OJS ids not shadowed by one. */
async function links(instance: Instance, kind: 'article' | 'issue' | 'galley', own: Map<number, Row>): Promise<number[]> {
  const ojs = await instance.db.selectFrom('ojs_ids').select('ojs_id').where('journal_id', '=', instance.journalId).where('kind', '=', kind).execute();
  return [...new Set([...own.keys(), ...ojs.map((r) => r.ojs_id)])].sort((a, b) => a - b);
}

async function exportJournal(instance: Instance, dir: string, name: string, version: OjsVersion): Promise<{ file: string; losses: Losses }> {
  const file = path.join(dir, name);
  const out = fs.createWriteStream(file);
  const summary = await writeNativeXml(loadNativeIssues(instance.db, instance.journalId), instance.files, out, { version });
  await new Promise<void>((resolve) => out.end(resolve));
  try {
    execFileSync('xmllint', ['--noout', '--nonet', '--schema', schemaOf(version), file], { stdio: 'pipe' });
  } catch (error) {
    throw new Error(`the export for OJS ${version} is not valid against its native.xsd: ${String((error as { stderr?: Buffer }).stderr).slice(0, 1500)}`);
  }
  return { file, losses: summary.losses };
}

/** An empty instance: the site and a journal `sm` with the same name and languages, no content. */
async function emptyInstance(open: () => Promise<DatabaseHandle>, dir: string, like?: Instance): Promise<Instance> {
  const handle = await open();
  await initialiseSite(handle.db, { demo: false });
  const model = like ? await like.db.selectFrom('journals').selectAll().where('id', '=', like.journalId).executeTakeFirstOrThrow() : undefined;
  const journalId = await createJournal(handle.db, { path: 'sm', name: model?.name ?? { pl: 'Sprawy Międzynarodowe' }, primaryLocale: model?.primary_locale ?? 'pl', supportedLocales: model?.supported_locales ?? ['pl', 'en'] });
  return { handle, db: handle.db, files: createFileStore(path.join(dir, 'files')), journalId };
}

/**
 * Beside the demo article's nameless author: one with two affiliations (one with a ROR id), an
 * ORCID iD and a role besides author, and a translator left out of browsing — stored as an import
 * stores them (the first affiliation also in `affiliation` and `ror_id`).
 */
async function addContributors(db: Kysely<Database>): Promise<void> {
  const publication = (await db.selectFrom('articles').select('current_publication_id').where('id', '=', 1786).executeTakeFirstOrThrow()).current_publication_id!;
  await db.insertInto('contributors').values([
    { publication_id: publication, given_name: JSON.stringify({ pl: 'Jan' }), family_name: JSON.stringify({ pl: 'Kowalski' }), affiliation: JSON.stringify({ pl: 'Uniwersytet Warszawski', en: 'University of Warsaw' }), affiliations: JSON.stringify([{ name: { pl: 'Uniwersytet Warszawski', en: 'University of Warsaw' }, ror: 'https://ror.org/039bjqg32' }, { name: { en: 'Brown University' } }]), ror_id: 'https://ror.org/039bjqg32', email: 'jan@example.org', orcid: 'https://orcid.org/0000-0002-1825-0097', country: 'PL', is_primary_contact: false, seq: 1, contributor_roles: [1, 9] },
    { publication_id: publication, given_name: JSON.stringify({ en: 'Tom' }), family_name: JSON.stringify({ en: 'Tran' }), affiliation: '{}', ror_id: null, email: null, orcid: null, country: null, is_primary_contact: false, seq: 2, role: 'translator', include_in_browse: false, contributor_roles: [2] },
  ]).execute();
}

async function demoInstance(open: () => Promise<DatabaseHandle>, dir: string): Promise<Instance> {
  const handle = await open();
  await initialiseSite(handle.db, { demo: true });
  const files = createFileStore(path.join(dir, 'files'));
  const journalId = (await handle.db.selectFrom('journals').select('id').where('path', '=', 'sm').executeTakeFirstOrThrow()).id;
  // The demo article's PDF, as a manager would upload it.
  const stored = await files.put(fs.readFileSync(path.join(FIXTURES, 'sm-1786.pdf')));
  const fileId = (await handle.db.insertInto('files').values({ storage_key: stored.key, mime_type: 'application/pdf', size_bytes: stored.sizeBytes, sha256: stored.sha256, original_name: 'sm-1786.pdf' }).returning('id').executeTakeFirstOrThrow()).id;
  const publication = (await handle.db.selectFrom('articles').select('current_publication_id').where('id', '=', 1786).executeTakeFirstOrThrow()).current_publication_id!;
  await handle.db.insertInto('galleys').values({ publication_id: publication, label: 'PDF', locale: 'en', file_id: fileId, remote_url: null, url_path: null, seq: 0 }).execute();
  return { handle, db: handle.db, files, journalId };
}

const RICH = { name: 'the demo journal with three-issues.xml, ojs33-issue.xml and PKP’s own export imported', fixtures: ['three-issues.xml', 'ojs33-issue.xml', 'pkp-ojs-export-issues.xml'], demo: true };
// Every release through the rich catalog; main through the small one too.
// `reported`: what the export says the release cannot hold (the demo authors' missing names, ROR ids, several affiliations and roles; three-issues.xml's organisation), which heldBy() takes off the comparison.
const SCENARIOS: { name: string; fixtures: string[]; demo: boolean; version: OjsVersion; reported: string[] }[] = [
  { ...RICH, version: 'main', reported: [] },
  { name: 'sm-1786.xml imported into an empty journal', fixtures: ['sm-1786.xml'], demo: false, version: 'main', reported: [] },
  { ...RICH, version: '3.5', reported: ['contributorRoles', 'contributorType'] },
  { ...RICH, version: '3.4', reported: ['affiliationsJoined', 'contributorRoles', 'contributorType', 'ror'] },
  { ...RICH, version: '3.3', reported: ['affiliationsJoined', 'contributorRoles', 'contributorType', 'givenName', 'ror'] },
];

for (const database of await testDatabases()) {
  describe(`OJS Native XML round trip on ${database.name}`, () => {
    const handles: DatabaseHandle[] = [];
    const dirs: string[] = [];
    after(async () => {
      for (const h of handles) await h.close();
      for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
    });

    for (const scenario of SCENARIOS) {
      it(`${scenario.name}: export for OJS ${scenario.version} → import into an empty instance → the same catalog (as that release holds it), files and links`, async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'revista-ojs-roundtrip-'));
        dirs.push(dir);
        const fresh = (name: string) => {
          fs.mkdirSync(path.join(dir, name));
          return path.join(dir, name);
        };
        const source = scenario.demo ? await demoInstance(database.open, fresh('a')) : await emptyInstance(database.open, fresh('a'));
        handles.push(source.handle);
        for (const fixture of scenario.fixtures) {
          const summary = await importNativeXml(source.db, source.files, path.join(FIXTURES, fixture), { journalPath: 'sm', baseDir: FIXTURES });
          assert.ok(summary.articles.new > 0, `${fixture} imported articles`);
        }
        if (scenario.demo) await addContributors(source.db);
        const { file: exported, losses } = await exportJournal(source, dir, 'a.xml', scenario.version);
        assert.deepEqual(Object.keys(losses).sort(), scenario.reported, 'what the release cannot hold is reported');

        const target = await emptyInstance(database.open, fresh('b'), source);
        handles.push(target.handle);
        const summary = await importNativeXml(target.db, target.files, exported, { journalPath: 'sm' });
        // The empty journal has no sections yet: creating them is all there is to say.
        assert.deepEqual(summary.warnings.filter((w) => !/^section “.*” did not exist and was created$/.test(w)), []);

        const a = await snapshot(source, scenario.version);
        const b = await snapshot(target);
        assert.ok(a.articles.length >= (scenario.demo ? 10 : 1) && a.issues.length >= (scenario.demo ? 6 : 1), `the source holds the fixtures (${a.issues.length} issues, ${a.articles.length} articles)`);
        assert.deepEqual(b.sections, a.sections, 'sections');
        assert.deepEqual(b.issues, a.issues, 'issues');
        assert.equal(b.articles.length, a.articles.length, 'as many articles');
        for (const [i, article] of a.articles.entries()) assert.deepEqual(b.articles[i], article, `article ${i}`);

        // Old links: whatever an address reached in the source, it reaches in the copy.
        for (const kind of ['article', 'issue', 'galley'] as const) {
          for (const id of await links(source, kind, a.byId[kind])) {
            const before = await reached(source, kind, id, a.byId[kind]);
            if (before === undefined) continue;
            assert.deepEqual(await reached(target, kind, id, b.byId[kind]), before, `${kind} link ${id}`);
          }
        }

        // And the copy exports to the same document (the issues' last-modified day aside).
        const { file: again } = await exportJournal(target, dir, 'b.xml', scenario.version);
        const normal = (file: string) => fs.readFileSync(file, 'utf8').replace(/<last_modified>[^<]*<\/last_modified>/g, '').replace(/ created_at="[^"]*"/g, '');
        const [left, right] = [normal(exported).split('\n'), normal(again).split('\n')];
        const first = left.findIndex((line, i) => line !== right[i]);
        assert.equal(first, -1, `the second export differs from line ${first + 1}: ${JSON.stringify(left[first])} vs ${JSON.stringify(right[first])}`);
        assert.equal(right.length, left.length);
      });
    }
  });
}
