import { once } from 'node:events';
import fs from 'node:fs';
import type { Writable } from 'node:stream';
import type { FileStore } from '../../storage/index.ts';
import { DEFAULT_OJS_VERSION, localeFor, UnwritableLocaleError, type Losses, type OjsVersion } from './versions.ts';
import type { LocalizedList, NativeArticle, NativeCover, NativeGalley, NativeIssue, NativeIssueGalley, NativeIssueIdentification, NativePublication, NativeSection, NativeSubmissionFile, StoredFile } from './model.ts';
import { authorLines, authorsFor, hasText } from './write-authors.ts';
import { attr, attrs, idLines, indent, localizedLines, lose, text, type Dialect } from './write-xml.ts';

export { attr, text } from './write-xml.ts';

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
  /** The OJS release the document is written for. */
  version: OjsVersion;
  /** What that release cannot hold, counted (see versions.ts). */
  losses: Losses;
}

export interface WriteOptions {
  /** Called after each issue is written (progress). */
  onIssue?: (issue: NativeIssue, summary: NativeXmlSummary) => void;
  /** The OJS release to write for (default: the newest, 3.5). */
  version?: OjsVersion;
  /** Leave files out (their `<embed>`s stay empty): only to count what the release cannot hold. */
  withoutFiles?: boolean;
}

/** The section attributes native.xsd knows, in the order OJS writes them. */
const SECTION_FLAGS = ['review_form_id', 'editor_restricted', 'meta_indexed', 'meta_reviewed', 'abstracts_not_required', 'hide_title', 'hide_author'];
const BUFFER_CHARS = 64 * 1024;
/** 57 bytes of file make one 76-character line of base64. */
const LINE_BYTES = 57;

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

/**
 * Keywords, agencies, disciplines, subjects: `<keyword><name>…</name></keyword>` from OJS 3.5 on,
 * plain `<keyword>…</keyword>` before; languages are always plain.
 */
function vocabularyLines(w: Dialect, depth: number, group: string, item: string, values: LocalizedList, plain = false): string {
  const named = !plain && (w.version === '3.5' || w.version === 'main');
  let out = '';
  for (const [locale, entries] of Object.entries(values)) {
    const kept = entries.filter((e) => e.trim() !== '');
    if (kept.length === 0) continue;
    out += `${indent(depth)}<${group} locale="${attr(w.locale(locale))}">\n`;
    for (const entry of kept) {
      out += named ? `${indent(depth + 1)}<${item}>\n${indent(depth + 2)}<name>${text(entry)}</name>\n${indent(depth + 1)}</${item}>\n` : `${indent(depth + 1)}<${item}>${text(entry)}</${item}>\n`;
    }
    out += `${indent(depth)}</${group}>\n`;
  }
  return out;
}

function identificationLines(w: Dialect, depth: number, identification: NativeIssueIdentification): string {
  return (
    `${indent(depth)}<issue_identification>\n` +
    (identification.volume !== undefined ? `${indent(depth + 1)}<volume>${identification.volume}</volume>\n` : '') +
    (identification.number ? `${indent(depth + 1)}<number>${text(identification.number)}</number>\n` : '') +
    (identification.year !== undefined ? `${indent(depth + 1)}<year>${identification.year}</year>\n` : '') +
    localizedLines(w, depth + 1, 'title', identification.title) +
    `${indent(depth)}</issue_identification>\n`
  );
}

function sectionLines(w: Dialect, depth: number, section: NativeSection): string {
  const flags = SECTION_FLAGS.filter((name) => section.flags[name] !== undefined).map((name): [string, number] => [name, section.flags[name]!]);
  return (
    `${indent(depth)}<section${attrs([['ref', section.ref], ['seq', section.seq], ...flags, ['abstract_word_count', section.abstractWordCount]])}>\n` +
    (section.ojsId !== undefined ? idLines(depth + 1, [{ type: 'internal', value: String(section.ojsId) }]) : '') +
    localizedLines(w, depth + 1, 'abbrev', section.abbrev) +
    localizedLines(w, depth + 1, 'policy', section.policy) +
    localizedLines(w, depth + 1, 'title', section.title) +
    `${indent(depth)}</section>\n`
  );
}

function galleyLines(w: Dialect, depth: number, galley: NativeGalley, publicationLocale: string): string {
  const ids = galley.ids.length > 0 ? galley.ids : galley.ojsId !== undefined ? [{ type: 'internal', value: String(galley.ojsId) }] : [];
  let out = `${indent(depth)}<article_galley${attrs([['locale', galley.locale ? w.locale(galley.locale) : undefined], ['url_path', galley.urlPath], ['approved', galley.approved]])}>\n`;
  out += idLines(depth + 1, ids);
  out += localizedLines(w, depth + 1, 'name', galley.label, { required: true, fallbackLocale: galley.locale ?? publicationLocale });
  out += `${indent(depth + 1)}<seq>${galley.seq}</seq>\n`;
  if (galley.remoteUrl) out += `${indent(depth + 1)}<remote src="${attr(galley.remoteUrl)}"/>\n`;
  else if (galley.submissionFileRef !== undefined) out += `${indent(depth + 1)}<submission_file_ref id="${galley.submissionFileRef}"/>\n`;
  return `${out}${indent(depth)}</article_galley>\n`;
}

async function writeCovers(o: Output, w: Dialect, files: FileStore | undefined, depth: number, covers: NativeCover[], what: string): Promise<void> {
  if (covers.length === 0) return;
  await o.write(`${indent(depth)}<covers>\n`);
  for (const cover of covers) {
    await o.write(
      `${indent(depth + 1)}<cover${attrs([['locale', cover.locale ? w.locale(cover.locale) : undefined]])}>\n` +
        `${indent(depth + 2)}<cover_image>${text(cover.fileName)}</cover_image>\n` +
        `${indent(depth + 2)}<cover_image_alt_text>${text(cover.altText)}</cover_image_alt_text>\n` +
        `${indent(depth + 2)}<embed encoding="base64"${attrs([['mime_type', cover.file.mimeType]])}>\n`,
    );
    if (files) await o.embed(files, cover.file, `the cover of ${what}`);
    await o.write(`${indent(depth + 2)}</embed>\n${indent(depth + 1)}</cover>\n`);
  }
  await o.write(`${indent(depth)}</covers>\n`);
}

/** `<issue_galleys>`: each galley with its whole file, as OJS writes an issue file (content_type 1: a galley's). */
async function writeIssueGalleys(o: Output, w: Dialect, files: FileStore | undefined, depth: number, galleys: NativeIssueGalley[], what: string): Promise<void> {
  if (galleys.length === 0) return;
  await o.write(`${indent(depth)}<issue_galleys>\n`);
  for (const galley of galleys) {
    const name = galley.file.originalName || 'file';
    await o.write(
      `${indent(depth + 1)}<issue_galley${attrs([['locale', galley.locale ? w.locale(galley.locale) : undefined]])}>\n` +
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
    if (files) await o.embed(files, galley.file, `the galley “${galley.label}” of ${what}`);
    await o.write(`${indent(depth + 3)}</embed>\n${indent(depth + 2)}</issue_file>\n${indent(depth + 1)}</issue_galley>\n`);
  }
  await o.write(`${indent(depth)}</issue_galleys>\n`);
}

async function writeSubmissionFile(o: Output, w: Dialect, files: FileStore | undefined, depth: number, file: NativeSubmissionFile, article: NativeArticle): Promise<void> {
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
      localizedLines(w, depth + 1, 'name', file.name, { required: false }) +
      (hasText(file.name) ? '' : `${indent(depth + 1)}<name locale="${attr(w.locale(article.locale ?? 'en'))}">${text(stored.originalName)}</name>\n`) +
      `${indent(depth + 1)}<file${attrs([['id', file.fileId ?? file.ojsId], ['filesize', stored.sizeBytes], ['extension', file.extension]])}>\n` +
      `${indent(depth + 2)}<embed encoding="base64"${attrs([['mime_type', stored.mimeType]])}>\n`,
  );
  if (files) await o.embed(files, stored, `submission file ${file.ojsId} of article ${article.ojsId}`);
  await o.write(`${indent(depth + 2)}</embed>\n${indent(depth + 1)}</file>\n${indent(depth)}</submission_file>\n`);
}

async function writePublication(o: Output, w: Dialect, files: FileStore | undefined, depth: number, p: NativePublication, article: NativeArticle): Promise<void> {
  const d = depth + 1;
  const locale = article.locale ?? Object.keys(p.title)[0] ?? 'en';
  const ids = p.ids.some((id) => id.type === 'internal') ? p.ids : [{ type: 'internal', value: String(p.ojsId) }, ...p.ids];
  const main = w.version === 'main';
  let head =
    `${indent(depth)}<publication${attrs([
      // 3.3 reads the publication's language from here; later releases from the article.
      ['locale', w.version === '3.3' ? w.locale(locale) : undefined],
      ['version', main ? undefined : (p.version ?? 1)],
      ['version_stage', main ? 'VoR' : undefined],
      ['version_minor', main ? 0 : undefined],
      ['version_major', main ? (p.version ?? 1) : undefined],
      ['id', main ? p.ojsId : undefined],
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
    localizedLines(w, d, 'title', p.title, { required: true, fallbackLocale: locale }) +
    localizedLines(w, d, 'prefix', p.prefix) +
    localizedLines(w, d, 'subtitle', p.subtitle) +
    localizedLines(w, d, 'abstract', p.abstract) +
    localizedLines(w, d, 'coverage', p.coverage) +
    localizedLines(w, d, 'type', p.type) +
    localizedLines(w, d, 'source', p.source) +
    localizedLines(w, d, 'rights', p.rights) +
    (p.licenseUrl ? `${indent(d)}<licenseUrl>${text(p.licenseUrl)}</licenseUrl>\n` : '') +
    localizedLines(w, d, 'copyrightHolder', p.copyrightHolder) +
    (p.copyrightYear !== undefined ? `${indent(d)}<copyrightYear>${p.copyrightYear}</copyrightYear>\n` : '') +
    vocabularyLines(w, d, 'keywords', 'keyword', p.keywords) +
    vocabularyLines(w, d, 'agencies', 'agency', p.agencies) +
    vocabularyLines(w, d, 'languages', 'language', p.languages, true) +
    vocabularyLines(w, d, 'disciplines', 'discipline', p.disciplines) +
    vocabularyLines(w, d, 'subjects', 'subject', p.subjects);
  const authors = authorsFor(w, p, locale);
  if (authors.length < p.authors.length) lose(w, 'namelessAuthors', p.authors.length - authors.length);
  if (authors.length > 0) head += `${indent(d)}<authors>\n${authors.map((a) => authorLines(w, d + 1, a, locale)).join('')}${indent(d)}</authors>\n`;
  head += p.galleys.map((g) => galleyLines(w, d, g, locale)).join('');
  const citations = p.citations.filter((c) => c.trim() !== '');
  if (citations.length > 0) head += `${indent(d)}<citations>\n${citations.map((c) => `${indent(d + 1)}<citation>${text(c)}</citation>\n`).join('')}${indent(d)}</citations>\n`;
  if (p.pages) head += `${indent(d)}<pages>${text(p.pages)}</pages>\n`;
  await o.write(head);
  await writeCovers(o, w, files, d, p.covers, `publication ${p.ojsId}`);
  await o.write(`${indent(depth)}</publication>\n`);
}

/** Whether the release can hold the article at all (3.3 needs an author in every version). */
function writable(w: Dialect, article: NativeArticle): boolean {
  const locale = (p: NativePublication) => article.locale ?? Object.keys(p.title)[0] ?? 'en';
  return w.version !== '3.3' || article.publications.every((p) => authorsFor(w, p, locale(p)).length > 0);
}

async function writeArticle(o: Output, w: Dialect, files: FileStore | undefined, depth: number, article: NativeArticle): Promise<void> {
  const ids = article.ids.length > 0 ? article.ids : article.ojsId !== undefined ? [{ type: 'internal', value: String(article.ojsId) }] : [];
  await o.write(
    `${indent(depth)}<article${attrs([
      ['locale', article.locale ? w.locale(article.locale) : undefined],
      ['date_submitted', article.dateSubmitted],
      ['status', article.status],
      ['current_publication_id', article.currentPublicationOjsId],
      ['stage', article.stage ?? 'production'],
    ])}>\n` + idLines(depth + 1, ids),
  );
  for (const file of article.submissionFiles) await writeSubmissionFile(o, w, files, depth + 1, file, article);
  if (article.publications.length === 0) throw new NativeExportError(`article ${article.ojsId} has no version to export`);
  for (const publication of article.publications) await writePublication(o, w, files, depth + 1, publication, article);
  await o.write(`${indent(depth)}</article>\n`);
}

/** Writes one issue; returns the articles written (those the release can hold). */
async function writeIssue(o: Output, w: Dialect, files: FileStore | undefined, issue: NativeIssue): Promise<NativeArticle[]> {
  const ids = issue.ids.length > 0 ? issue.ids : issue.ojsId !== undefined ? [{ type: 'internal', value: String(issue.ojsId) }] : [];
  const articles = issue.articles.filter((a) => writable(w, a));
  if (articles.length < issue.articles.length) lose(w, 'noAuthors', issue.articles.length - articles.length);
  await o.write(
    `  <issue${attrs([['published', issue.published ? 1 : 0], ['current', issue.current ? 1 : 0], ['access_status', issue.accessStatus], ['url_path', issue.urlPath]])}>\n` +
      idLines(2, ids) +
      localizedLines(w, 2, 'description', issue.description) +
      identificationLines(w, 2, issue.identification) +
      (issue.datePublished ? `    <date_published>${text(issue.datePublished)}</date_published>\n` : '') +
      (issue.lastModified ? `    <last_modified>${text(issue.lastModified)}</last_modified>\n` : '') +
      (issue.sections.length > 0 ? `    <sections>\n${issue.sections.map((s) => sectionLines(w, 3, s)).join('')}    </sections>\n` : ''),
  );
  await writeCovers(o, w, files, 2, issue.covers, `issue ${issue.ojsId}`);
  await writeIssueGalleys(o, w, files, 2, issue.galleys, `issue ${issue.ojsId}`);
  await o.write(articles.length > 0 ? '    <articles>\n' : '    <articles/>\n');
  for (const article of articles) await writeArticle(o, w, files, 3, article);
  await o.write(`${articles.length > 0 ? '    </articles>\n' : ''}  </issue>\n`);
  return articles;
}

/**
 * Writes `<issues>` with every issue given, for the OJS release asked (default 3.5); refuses an
 * empty list, which the schema does not allow. Files are read from `files`, unless `withoutFiles`.
 */
export async function writeNativeXml(issues: AsyncIterable<NativeIssue>, files: FileStore, out: Writable, options: WriteOptions = {}): Promise<NativeXmlSummary> {
  const iterator = issues[Symbol.asyncIterator]();
  let next = await iterator.next();
  if (next.done) throw new NativeExportError('there is no issue to export: an OJS Native XML document holds at least one');
  const version = options.version ?? DEFAULT_OJS_VERSION;
  const w: Dialect = {
    version,
    losses: {},
    locale: (locale) => {
      try {
        return localeFor(version, locale);
      } catch (error) {
        if (error instanceof UnwritableLocaleError) throw new NativeExportError(error.message);
        throw error;
      }
    },
  };
  const source = options.withoutFiles ? undefined : files;
  const o = new Output(out);
  const summary: NativeXmlSummary = { issues: 0, articles: 0, galleys: 0, files: 0, bytes: 0, version, losses: w.losses };
  await o.write(`<?xml version="1.0" encoding="utf-8"?>\n<issues xmlns="${PKP_NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="${PKP_NS} native.xsd">\n`);
  while (!next.done) {
    const issue = next.value;
    const articles = await writeIssue(o, w, source, issue);
    summary.issues += 1;
    summary.articles += articles.length;
    for (const article of articles) {
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
