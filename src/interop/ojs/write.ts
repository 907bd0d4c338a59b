import { once } from 'node:events';
import fs from 'node:fs';
import type { Writable } from 'node:stream';
import type { FileStore } from '../../storage/index.ts';
import { toOjsLocale } from './locales.ts';
import { CONTRIBUTOR_ROLE, type Localized, type LocalizedList, type NativeArticle, type NativeAuthor, type NativeCover, type NativeGalley, type NativeId, type NativeIssue, type NativeIssueGalley, type NativeIssueIdentification, type NativePublication, type NativeSection, type NativeSubmissionFile, type StoredFile } from './model.ts';

/**
 * The issue model → an OJS Native XML document (`<issues>`) valid against PKP's native.xsd, written
 * as it goes: issues arrive one at a time, and each file is read from storage in chunks and written
 * as base64 lines, so neither a file nor the document is ever whole in memory.
 *
 * Written by hand rather than with xmlbuilder2: its streaming writer would take a file's base64 as one
 * string, and the only text this writer produces besides base64 is escaped by `text`/`attr` below.
 * Element order follows the schema's sequences (issue → id, description, issue_identification,
 * dates, sections, covers, articles; publication → ids, title … subjects, authors, galleys,
 * citations, then pages and covers).
 */

export const PKP_NS = 'http://pkp.sfu.ca';

/** What could not be exported, said so a person can act on it. */
export class NativeExportError extends Error {}

export interface NativeXmlSummary {
  issues: number;
  articles: number;
  galleys: number;
  /** Files embedded: galley files and cover images. */
  files: number;
  /** Bytes of the document written. */
  bytes: number;
}

export interface WriteOptions {
  /** Called after each issue is written (progress). */
  onIssue?: (issue: NativeIssue, summary: NativeXmlSummary) => void;
}

/** The section attributes native.xsd knows, in the order OJS writes them. */
const SECTION_FLAGS = ['review_form_id', 'editor_restricted', 'meta_indexed', 'meta_reviewed', 'abstracts_not_required', 'hide_title', 'hide_author'];
const BUFFER_CHARS = 64 * 1024;
/** 57 bytes of file make one 76-character line of base64. */
const LINE_BYTES = 57;

// Characters XML 1.0 cannot carry at all; dropping them keeps the document well-formed.
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function text(value: string): string {
  return value.replace(NOT_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

export function attr(value: string | number | boolean): string {
  return text(String(value)).replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;');
}

/** ` name="value"` for each defined, non-empty attribute, in the order given. */
function attrs(pairs: Array<[string, string | number | boolean | undefined]>): string {
  return pairs.filter(([, value]) => value !== undefined && value !== '').map(([name, value]) => ` ${name}="${attr(value!)}"`).join('');
}

function base64Lines(bytes: Buffer): string {
  const encoded = bytes.toString('base64');
  let out = '';
  for (let i = 0; i < encoded.length; i += 76) out += `${encoded.slice(i, i + 76)}\n`;
  return out;
}

/** Buffers markup, hands it to `out` in large pieces, and waits whenever `out` asks it to. */
class Output {
  private pending: string[] = [];
  private pendingChars = 0;
  bytes = 0;

  constructor(private readonly out: Writable) {}

  async write(chunk: string): Promise<void> {
    this.pending.push(chunk);
    this.pendingChars += chunk.length;
    if (this.pendingChars >= BUFFER_CHARS) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const chunk = this.pending.join('');
    this.pending = [];
    this.pendingChars = 0;
    await this.send(chunk);
  }

  private async send(chunk: string): Promise<void> {
    if (this.out.errored) throw this.out.errored;
    this.bytes += Buffer.byteLength(chunk);
    if (!this.out.write(chunk)) {
      if (this.out.errored) throw this.out.errored;
      await once(this.out, 'drain');
    }
  }

  /** Streams a stored file as base64 lines between what is already written and what follows. */
  async embed(files: FileStore, file: StoredFile, what: string): Promise<void> {
    let path: string;
    try {
      path = files.pathOf(file.storageKey);
    } catch {
      throw new NativeExportError(`${what}: the stored file's key ${JSON.stringify(file.storageKey)} is not a storage key`);
    }
    const size = await fs.promises.stat(path).then((s) => s.size, () => undefined);
    if (size === undefined) throw new NativeExportError(`${what}: the stored file ${file.storageKey} (${file.originalName}) is missing from storage`);
    if (size !== file.sizeBytes) throw new NativeExportError(`${what}: the stored file ${file.storageKey} has ${size} bytes, the catalog says ${file.sizeBytes}`);
    await this.flush();
    let carry: Buffer = Buffer.alloc(0);
    for await (const chunk of fs.createReadStream(path, { highWaterMark: LINE_BYTES * 1024 })) {
      const bytes = carry.length > 0 ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer);
      const whole = bytes.length - (bytes.length % LINE_BYTES);
      carry = bytes.subarray(whole);
      if (whole > 0) await this.send(base64Lines(bytes.subarray(0, whole)));
    }
    if (carry.length > 0) await this.send(base64Lines(carry));
  }
}

function indent(depth: number): string {
  return '  '.repeat(depth);
}

/** One element per locale with text; `required` writes an empty one in `fallbackLocale` when there is none. */
function localizedLines(depth: number, name: string, values: Localized, options: { required?: boolean; fallbackLocale?: string } = {}): string {
  const lines = Object.entries(values)
    .filter(([, value]) => value.trim() !== '')
    .map(([locale, value]) => `${indent(depth)}<${name} locale="${attr(toOjsLocale(locale))}">${text(value)}</${name}>\n`);
  if (lines.length === 0 && options.required) return `${indent(depth)}<${name}${options.fallbackLocale ? ` locale="${attr(toOjsLocale(options.fallbackLocale))}"` : ''}></${name}>\n`;
  return lines.join('');
}

function idLines(depth: number, ids: NativeId[]): string {
  return ids
    .filter((id) => id.value.trim() !== '')
    .map((id) => `${indent(depth)}<id type="${attr(id.type)}" advice="${id.type === 'internal' ? 'ignore' : 'update'}">${text(id.value)}</id>\n`)
    .join('');
}

/** Keywords, agencies, disciplines, subjects: `<keyword><name>…</name></keyword>`; languages are plain. */
function vocabularyLines(depth: number, group: string, item: string, values: LocalizedList, plain = false): string {
  let out = '';
  for (const [locale, entries] of Object.entries(values)) {
    const kept = entries.filter((e) => e.trim() !== '');
    if (kept.length === 0) continue;
    out += `${indent(depth)}<${group} locale="${attr(toOjsLocale(locale))}">\n`;
    for (const entry of kept) {
      out += plain ? `${indent(depth + 1)}<${item}>${text(entry)}</${item}>\n` : `${indent(depth + 1)}<${item}>\n${indent(depth + 2)}<name>${text(entry)}</name>\n${indent(depth + 1)}</${item}>\n`;
    }
    out += `${indent(depth)}</${group}>\n`;
  }
  return out;
}

function identificationLines(depth: number, identification: NativeIssueIdentification): string {
  return (
    `${indent(depth)}<issue_identification>\n` +
    (identification.volume !== undefined ? `${indent(depth + 1)}<volume>${identification.volume}</volume>\n` : '') +
    (identification.number ? `${indent(depth + 1)}<number>${text(identification.number)}</number>\n` : '') +
    (identification.year !== undefined ? `${indent(depth + 1)}<year>${identification.year}</year>\n` : '') +
    localizedLines(depth + 1, 'title', identification.title) +
    `${indent(depth)}</issue_identification>\n`
  );
}

function sectionLines(depth: number, section: NativeSection): string {
  const flags = SECTION_FLAGS.filter((name) => section.flags[name] !== undefined).map((name): [string, number] => [name, section.flags[name]!]);
  return (
    `${indent(depth)}<section${attrs([['ref', section.ref], ['seq', section.seq], ...flags, ['abstract_word_count', section.abstractWordCount]])}>\n` +
    (section.ojsId !== undefined ? idLines(depth + 1, [{ type: 'internal', value: String(section.ojsId) }]) : '') +
    localizedLines(depth + 1, 'abbrev', section.abbrev) +
    localizedLines(depth + 1, 'policy', section.policy) +
    localizedLines(depth + 1, 'title', section.title) +
    `${indent(depth)}</section>\n`
  );
}

function authorLines(depth: number, author: NativeAuthor, publicationLocale: string): string {
  const d = depth + 1;
  let out = `${indent(depth)}<author${attrs([
    ['primary_contact', author.primaryContact ? 'true' : undefined],
    ['include_in_browse', author.includeInBrowse ? 'true' : 'false'],
    ['seq', author.seq],
    ['id', author.ojsId ?? author.seq],
    ['contributor_type', author.contributorType ?? 'PERSON'],
  ])}>\n`;
  out += localizedLines(d, 'givenname', author.givenName, { required: true, fallbackLocale: publicationLocale });
  out += localizedLines(d, 'familyname', author.familyName);
  for (const affiliation of author.affiliations) {
    if (affiliation.ror) {
      out += `${indent(d)}<rorAffiliation>\n${indent(d + 1)}<ror>${text(affiliation.ror)}</ror>\n${localizedLines(d + 1, 'name', affiliation.name, { required: true, fallbackLocale: publicationLocale })}${indent(d)}</rorAffiliation>\n`;
    } else if (Object.values(affiliation.name).some((v) => v.trim() !== '')) {
      out += `${indent(d)}<affiliation>\n${localizedLines(d + 1, 'name', affiliation.name)}${indent(d)}</affiliation>\n`;
    }
  }
  if (author.country) out += `${indent(d)}<country>${text(author.country)}</country>\n`;
  if (author.email) out += `${indent(d)}<email>${text(author.email)}</email>\n`;
  if (author.url) out += `${indent(d)}<url>${text(author.url)}</url>\n`;
  if (author.orcid) out += `${indent(d)}<orcid>${text(author.orcid)}</orcid>\n`;
  out += localizedLines(d, 'biography', author.biography);
  // OJS 3.5+ needs a contributor role per author: a contributor entered in Revista has none stored.
  const roles = author.contributorRoles.length > 0 ? author.contributorRoles : [CONTRIBUTOR_ROLE.author];
  out += `${indent(d)}<contributor_roles>\n${roles.map((r) => `${indent(d + 1)}<contributor_role_id>${r}</contributor_role_id>\n`).join('')}${indent(d)}</contributor_roles>\n`;
  return `${out}${indent(depth)}</author>\n`;
}

function galleyLines(depth: number, galley: NativeGalley, publicationLocale: string): string {
  const ids = galley.ids.length > 0 ? galley.ids : galley.ojsId !== undefined ? [{ type: 'internal', value: String(galley.ojsId) }] : [];
  let out = `${indent(depth)}<article_galley${attrs([['locale', galley.locale ? toOjsLocale(galley.locale) : undefined], ['url_path', galley.urlPath], ['approved', galley.approved]])}>\n`;
  out += idLines(depth + 1, ids);
  out += localizedLines(depth + 1, 'name', galley.label, { required: true, fallbackLocale: galley.locale ?? publicationLocale });
  out += `${indent(depth + 1)}<seq>${galley.seq}</seq>\n`;
  if (galley.remoteUrl) out += `${indent(depth + 1)}<remote src="${attr(galley.remoteUrl)}"/>\n`;
  else if (galley.submissionFileRef !== undefined) out += `${indent(depth + 1)}<submission_file_ref id="${galley.submissionFileRef}"/>\n`;
  return `${out}${indent(depth)}</article_galley>\n`;
}

async function writeCovers(o: Output, files: FileStore, depth: number, covers: NativeCover[], what: string): Promise<void> {
  if (covers.length === 0) return;
  await o.write(`${indent(depth)}<covers>\n`);
  for (const cover of covers) {
    await o.write(
      `${indent(depth + 1)}<cover${attrs([['locale', cover.locale ? toOjsLocale(cover.locale) : undefined]])}>\n` +
        `${indent(depth + 2)}<cover_image>${text(cover.fileName)}</cover_image>\n` +
        `${indent(depth + 2)}<cover_image_alt_text>${text(cover.altText)}</cover_image_alt_text>\n` +
        `${indent(depth + 2)}<embed encoding="base64"${attrs([['mime_type', cover.file.mimeType]])}>\n`,
    );
    await o.embed(files, cover.file, `the cover of ${what}`);
    await o.write(`${indent(depth + 2)}</embed>\n${indent(depth + 1)}</cover>\n`);
  }
  await o.write(`${indent(depth)}</covers>\n`);
}

/** `<issue_galleys>`: each galley with its whole file, as OJS writes an issue file (content_type 1: a galley's). */
async function writeIssueGalleys(o: Output, files: FileStore, depth: number, galleys: NativeIssueGalley[], what: string): Promise<void> {
  if (galleys.length === 0) return;
  await o.write(`${indent(depth)}<issue_galleys>\n`);
  for (const galley of galleys) {
    const name = galley.file.originalName || 'file';
    await o.write(
      `${indent(depth + 1)}<issue_galley${attrs([['locale', galley.locale ? toOjsLocale(galley.locale) : undefined]])}>\n` +
        `${indent(depth + 2)}<label>${text(galley.label)}</label>\n` +
        idLines(depth + 2, galley.ojsId !== undefined ? [{ type: 'internal', value: String(galley.ojsId) }] : []) +
        `${indent(depth + 2)}<issue_file>\n` +
        `${indent(depth + 3)}<file_name>${text(name)}</file_name>\n` +
        `${indent(depth + 3)}<file_type>${text(galley.file.mimeType)}</file_type>\n` +
        `${indent(depth + 3)}<file_size>${galley.file.sizeBytes}</file_size>\n` +
        `${indent(depth + 3)}<content_type>1</content_type>\n` +
        `${indent(depth + 3)}<original_file_name>${text(name)}</original_file_name>\n` +
        `${indent(depth + 3)}<date_uploaded>${text(galley.dateUploaded ?? '')}</date_uploaded>\n` +
        `${indent(depth + 3)}<date_modified>${text(galley.dateModified ?? '')}</date_modified>\n` +
        `${indent(depth + 3)}<embed encoding="base64"${attrs([['mime_type', galley.file.mimeType]])}>\n`,
    );
    await o.embed(files, galley.file, `the galley “${galley.label}” of ${what}`);
    await o.write(`${indent(depth + 3)}</embed>\n${indent(depth + 2)}</issue_file>\n${indent(depth + 1)}</issue_galley>\n`);
  }
  await o.write(`${indent(depth)}</issue_galleys>\n`);
}

async function writeSubmissionFile(o: Output, files: FileStore, depth: number, file: NativeSubmissionFile, article: NativeArticle): Promise<void> {
  const stored = file.file;
  if (!stored) throw new NativeExportError(`submission file ${file.ojsId} of article ${article.ojsId} has no stored file`);
  await o.write(
    `${indent(depth)}<submission_file${attrs([
      ['id', file.ojsId],
      ['created_at', file.createdAt],
      ['file_id', file.fileId ?? file.ojsId],
      ['stage', file.stage ?? 'proof'],
      ['updated_at', file.updatedAt],
      ['viewable', file.viewable],
      ['genre', file.genre],
      ['uploader', file.uploader],
    ])}>\n` +
      localizedLines(depth + 1, 'name', file.name, { required: false }) +
      (Object.values(file.name).some((v) => v.trim() !== '') ? '' : `${indent(depth + 1)}<name locale="${attr(toOjsLocale(article.locale ?? 'en'))}">${text(stored.originalName)}</name>\n`) +
      `${indent(depth + 1)}<file${attrs([['id', file.fileId ?? file.ojsId], ['filesize', stored.sizeBytes], ['extension', file.extension]])}>\n` +
      `${indent(depth + 2)}<embed encoding="base64"${attrs([['mime_type', stored.mimeType]])}>\n`,
  );
  await o.embed(files, stored, `submission file ${file.ojsId} of article ${article.ojsId}`);
  await o.write(`${indent(depth + 2)}</embed>\n${indent(depth + 1)}</file>\n${indent(depth)}</submission_file>\n`);
}

async function writePublication(o: Output, files: FileStore, depth: number, p: NativePublication, article: NativeArticle): Promise<void> {
  const d = depth + 1;
  const locale = article.locale ?? Object.keys(p.title)[0] ?? 'en';
  const ids = p.ids.some((id) => id.type === 'internal') ? p.ids : [{ type: 'internal', value: String(p.ojsId) }, ...p.ids];
  let head =
    `${indent(depth)}<publication${attrs([
      ['version_stage', 'VoR'],
      ['version_minor', 0],
      ['version_major', p.version ?? 1],
      ['id', p.ojsId],
      ['status', p.status],
      ['primary_contact_id', p.primaryContactOjsId],
      ['url_path', p.urlPath],
      ['seq', p.seq],
      ['access_status', p.accessStatus],
      ['date_submitted', p.dateSubmitted],
      ['date_published', p.datePublished],
      ['section_ref', p.sectionRef],
    ])}>\n` +
    idLines(d, ids) +
    localizedLines(d, 'title', p.title, { required: true, fallbackLocale: locale }) +
    localizedLines(d, 'prefix', p.prefix) +
    localizedLines(d, 'subtitle', p.subtitle) +
    localizedLines(d, 'abstract', p.abstract) +
    localizedLines(d, 'coverage', p.coverage) +
    localizedLines(d, 'type', p.type) +
    localizedLines(d, 'source', p.source) +
    localizedLines(d, 'rights', p.rights) +
    (p.licenseUrl ? `${indent(d)}<licenseUrl>${text(p.licenseUrl)}</licenseUrl>\n` : '') +
    localizedLines(d, 'copyrightHolder', p.copyrightHolder) +
    (p.copyrightYear !== undefined ? `${indent(d)}<copyrightYear>${p.copyrightYear}</copyrightYear>\n` : '') +
    vocabularyLines(d, 'keywords', 'keyword', p.keywords) +
    vocabularyLines(d, 'agencies', 'agency', p.agencies) +
    vocabularyLines(d, 'languages', 'language', p.languages, true) +
    vocabularyLines(d, 'disciplines', 'discipline', p.disciplines) +
    vocabularyLines(d, 'subjects', 'subject', p.subjects);
  if (p.authors.length > 0) head += `${indent(d)}<authors>\n${p.authors.map((a) => authorLines(d + 1, a, locale)).join('')}${indent(d)}</authors>\n`;
  head += p.galleys.map((g) => galleyLines(d, g, locale)).join('');
  const citations = p.citations.filter((c) => c.trim() !== '');
  if (citations.length > 0) head += `${indent(d)}<citations>\n${citations.map((c) => `${indent(d + 1)}<citation>${text(c)}</citation>\n`).join('')}${indent(d)}</citations>\n`;
  if (p.pages) head += `${indent(d)}<pages>${text(p.pages)}</pages>\n`;
  await o.write(head);
  await writeCovers(o, files, d, p.covers, `publication ${p.ojsId}`);
  await o.write(`${indent(depth)}</publication>\n`);
}

async function writeArticle(o: Output, files: FileStore, depth: number, article: NativeArticle): Promise<void> {
  const ids = article.ids.length > 0 ? article.ids : article.ojsId !== undefined ? [{ type: 'internal', value: String(article.ojsId) }] : [];
  await o.write(
    `${indent(depth)}<article${attrs([
      ['locale', article.locale ? toOjsLocale(article.locale) : undefined],
      ['date_submitted', article.dateSubmitted],
      ['status', article.status],
      ['current_publication_id', article.currentPublicationOjsId],
      ['stage', article.stage ?? 'production'],
    ])}>\n` + idLines(depth + 1, ids),
  );
  for (const file of article.submissionFiles) await writeSubmissionFile(o, files, depth + 1, file, article);
  if (article.publications.length === 0) throw new NativeExportError(`article ${article.ojsId} has no version to export`);
  for (const publication of article.publications) await writePublication(o, files, depth + 1, publication, article);
  await o.write(`${indent(depth)}</article>\n`);
}

async function writeIssue(o: Output, files: FileStore, issue: NativeIssue): Promise<void> {
  const ids = issue.ids.length > 0 ? issue.ids : issue.ojsId !== undefined ? [{ type: 'internal', value: String(issue.ojsId) }] : [];
  await o.write(
    `  <issue${attrs([['published', issue.published ? 1 : 0], ['current', issue.current ? 1 : 0], ['access_status', issue.accessStatus], ['url_path', issue.urlPath]])}>\n` +
      idLines(2, ids) +
      localizedLines(2, 'description', issue.description) +
      identificationLines(2, issue.identification) +
      (issue.datePublished ? `    <date_published>${text(issue.datePublished)}</date_published>\n` : '') +
      (issue.lastModified ? `    <last_modified>${text(issue.lastModified)}</last_modified>\n` : '') +
      (issue.sections.length > 0 ? `    <sections>\n${issue.sections.map((s) => sectionLines(3, s)).join('')}    </sections>\n` : ''),
  );
  await writeCovers(o, files, 2, issue.covers, `issue ${issue.ojsId}`);
  await writeIssueGalleys(o, files, 2, issue.galleys, `issue ${issue.ojsId}`);
  await o.write(issue.articles.length > 0 ? '    <articles>\n' : '    <articles/>\n');
  for (const article of issue.articles) await writeArticle(o, files, 3, article);
  await o.write(`${issue.articles.length > 0 ? '    </articles>\n' : ''}  </issue>\n`);
}

/** Writes `<issues>` with every issue given; refuses an empty list, which the schema does not allow. */
export async function writeNativeXml(issues: AsyncIterable<NativeIssue>, files: FileStore, out: Writable, options: WriteOptions = {}): Promise<NativeXmlSummary> {
  const iterator = issues[Symbol.asyncIterator]();
  let next = await iterator.next();
  if (next.done) throw new NativeExportError('there is no issue to export: an OJS Native XML document holds at least one');
  const o = new Output(out);
  const summary: NativeXmlSummary = { issues: 0, articles: 0, galleys: 0, files: 0, bytes: 0 };
  await o.write(`<?xml version="1.0" encoding="utf-8"?>\n<issues xmlns="${PKP_NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="${PKP_NS} native.xsd">\n`);
  while (!next.done) {
    const issue = next.value;
    await writeIssue(o, files, issue);
    summary.issues += 1;
    summary.articles += issue.articles.length;
    for (const article of issue.articles) {
      summary.galleys += article.publications.reduce((n, p) => n + p.galleys.length, 0);
      summary.files += article.submissionFiles.length + article.publications.reduce((n, p) => n + p.covers.length, 0);
    }
    summary.files += issue.covers.length + issue.galleys.length;
    summary.bytes = o.bytes;
    options.onIssue?.(issue, summary);
    next = await iterator.next();
  }
  await o.write('</issues>\n');
  await o.flush();
  summary.bytes = o.bytes;
  return summary;
}
