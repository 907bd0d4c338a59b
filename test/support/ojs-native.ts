import { Buffer } from 'node:buffer';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DatabaseHandle } from '../../src/db/index.ts';
import { initialiseSite } from '../../src/demo/index.ts';
import { createFileStore, type FileStore } from '../../src/storage/index.ts';
import type { TestDatabase } from './databases.ts';

/**
 * A Native XML document as OJS 3.4/3.5 writes one; each test states exactly what it
 * imports (the hand-made fixtures in test/fixtures/ojs cover whole realistic exports).
 */
export function pdf(text: string): Buffer {
  return Buffer.from(`%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% ${text}\n%%EOF\n`);
}

export interface ArticleSpec {
  id: number;
  title: string;
  galleyId: number;
  fileId: number;
  file: Buffer;
  doi?: string;
  section?: string;
}

function articleXml(a: ArticleSpec): string {
  return `
      <article xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" locale="en" date_submitted="2021-01-10" status="3" submission_progress="" current_publication_id="${a.id + 5000}" stage="production">
        <id type="internal" advice="ignore">${a.id}</id>
        <submission_file id="${a.fileId}" created_at="2021-02-01" date_created="" file_id="${a.fileId + 100}" stage="proof" updated_at="2021-02-01" viewable="false" genre="Article Text" uploader="admin">
          <name locale="en">article-${a.id}.pdf</name>
          <file id="${a.fileId + 100}" filesize="${a.file.length}" extension="pdf">
            <embed encoding="base64">${a.file.toString('base64').replace(/(.{60})/g, '$1\n')}</embed>
          </file>
        </submission_file>
        <publication xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" version="1" status="3" url_path="" seq="0" date_published="2021-03-15" section_ref="${a.section ?? 'ART'}" access_status="0" id="${a.id + 5000}">
          <id type="internal" advice="ignore">${a.id + 5000}</id>
          ${a.doi ? `<id type="doi" advice="update">${a.doi}</id>` : ''}
          <title locale="en">${a.title}</title>
          <title locale="pl">${a.title} (pl)</title>
          <abstract locale="en">&lt;p&gt;About ${a.title}&lt;/p&gt;</abstract>
          <licenseUrl>https://creativecommons.org/licenses/by/4.0/</licenseUrl>
          <copyrightHolder locale="en">The authors</copyrightHolder>
          <copyrightYear>2021</copyrightYear>
          <keywords locale="en"><keyword><name>Caucasus</name></keyword><keyword><name>Russia</name></keyword></keywords>
          <authors xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
            <author include_in_browse="true" id="${a.id + 7000}" seq="0" contributor_type="PERSON" primary_contact="true">
              <givenname locale="en">Anna</givenname>
              <familyname locale="en">Nowak</familyname>
              <affiliation><name locale="en">University of Warsaw</name><name locale="pl">Uniwersytet Warszawski</name></affiliation>
              <country>PL</country>
              <email>anna.nowak@example.org</email>
              <orcid>https://orcid.org/0000-0002-1825-0097</orcid>
              <biography locale="en">Works on the Caucasus.</biography>
              <contributor_roles><contributor_role_id>1</contributor_role_id></contributor_roles>
            </author>
          </authors>
          <article_galley xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" locale="en" approved="false">
            <id type="internal" advice="ignore">${a.galleyId}</id>
            <name locale="en">PDF</name>
            <seq>0</seq>
            <submission_file_ref id="${a.fileId}"/>
          </article_galley>
          <citations>
            <citation>Kowalski J., Polityka, Warszawa 2019.</citation>
            <citation>Smith A., Politics, London 2020.</citation>
          </citations>
          <pages>11-30</pages>
        </publication>
      </article>`;
}

export interface IssueSpec {
  id: number;
  volume: number;
  number: string;
  year: number;
  articles: ArticleSpec[];
}

export const DOCUMENT_START = `<?xml version="1.0" encoding="utf-8"?>
<issues xmlns="http://pkp.sfu.ca" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://pkp.sfu.ca native.xsd">
`;
export const DOCUMENT_END = '</issues>\n';

/** One `<issue>` element with its section and articles. */
export function issueXml(i: IssueSpec): string {
  return `  <issue xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" published="1" current="0" access_status="1" url_path="">
    <id type="internal" advice="ignore">${i.id}</id>
    <description locale="en">Issue ${i.number}</description>
    <issue_identification><volume>${i.volume}</volume><number>${i.number}</number><year>${i.year}</year><title locale="en">Issue title ${i.number}</title></issue_identification>
    <date_published>${i.year}-06-30</date_published>
    <last_modified>${i.year}-07-01</last_modified>
    <sections>
      <section ref="ART" seq="1" editor_restricted="0" meta_indexed="1" meta_reviewed="1" abstracts_not_required="0" hide_title="0" hide_author="0" abstract_word_count="0">
        <id type="internal" advice="ignore">31</id>
        <abbrev locale="en">ART</abbrev>
        <title locale="en">Articles</title>
      </section>
    </sections>
    <articles>${i.articles.map(articleXml).join('')}
    </articles>
  </issue>
`;
}

export function issuesXml(issues: IssueSpec[]): string {
  return DOCUMENT_START + issues.map(issueXml).join('') + DOCUMENT_END;
}

/** A demo site on `database`, with a file store in a new temporary folder: where an import test starts. */
export interface ImportSite {
  handle: DatabaseHandle;
  files: FileStore;
  dir: string;
  /** Writes a document into the site's folder; returns its path. */
  write(name: string, content: string): string;
}

export async function openImportSite(database: TestDatabase, name: string): Promise<ImportSite> {
  const handle = await database.open();
  await initialiseSite(handle.db, { demo: true });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `revista-ojs-${name}-`));
  const write = (file: string, content: string) => {
    fs.writeFileSync(path.join(dir, file), content);
    return path.join(dir, file);
  };
  return { handle, files: createFileStore(path.join(dir, 'files')), dir, write };
}

export async function closeImportSite(site: { handle: DatabaseHandle; dir: string }): Promise<void> {
  await site.handle.close();
  fs.rmSync(site.dir, { recursive: true, force: true });
}
