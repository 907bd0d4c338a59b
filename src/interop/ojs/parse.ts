// Pure modules, imported directly rather than through their folders' index.ts: this runs in the
// import's worker thread, which should load no routes or views.
import { normaliseOrcid } from '../../platform/identifiers/index.ts';
import { detectImageType, fileType, isActiveContentType } from '../../storage/index.ts';
import { isHttpUrl } from '../../ui/links.ts';
import { cleanRichTextPerLocale } from '../../ui/sanitize.ts';
import { cleanTitlePerLocale, toRichTextPerLocale } from '../../ui/rich-text-convert.ts';
import { fromOjsLocale } from './locales.ts';
import { CONTRIBUTOR_ROLE, type Localized, type LocalizedList, type NativeArticle, type NativeAuthor, type NativeCover, type NativeGalley, type NativeId, type NativeIssue, type NativeIssueGalley, type NativeIssueIdentification, type NativePublication, type NativeSection, type NativeSubmissionFile, type StoredFile } from './model.ts';
import { childNamed, childrenNamed, NativeXmlError, type EmbeddedFile, type XmlElement } from './xml-stream.ts';

/**
 * Native XML subtrees (xml-stream.ts) → the issue model (model.ts), checking what the schema and
 * OJS's importer require, with the line of each problem. Accepts what OJS 3.3 writes (en_US
 * locales, user_group_ref, plain affiliations) as well as OJS 3.4/3.5 (en, contributor_roles,
 * affiliations with names and ROR ids). Files are awaited here: each `<embed>` has already been
 * streamed to its sink.
 *
 * What a document could use against readers is not taken in: rich text (abstracts, biographies,
 * policies, descriptions) passes the HTML allow-list, addresses must be http(s) (an ORCID iD a
 * valid one), covers must be images recognised by their bytes, and files of script types are never
 * stored as galleys. Such a field or object is left out with a warning; the rest is imported.
 */

export interface ParseContext {
  /** The journal's primary locale, for text OJS wrote without a locale. */
  defaultLocale: string;
  warnings: string[];
  /** Reads a file an `<href src>` names, or says why it will not. */
  readHref?: (src: string) => Promise<{ file: EmbeddedFile } | { problem: string }>;
}

const where = (e: XmlElement) => `line ${e.line}`;
const ROR_ID = /^0[a-z0-9]{8}$/i;
/** A value from the document in a warning: quoted, control characters escaped, cut short. */
const shown = (value: string) => JSON.stringify(value.length > 100 ? `${value.slice(0, 100)}…` : value);

function fail(element: XmlElement, message: string): never {
  throw new NativeXmlError(message, element.line, element.column);
}

function text(element: XmlElement | undefined): string | undefined {
  const value = element?.text.trim();
  return value ? value : undefined;
}

function integer(element: XmlElement, value: string | undefined, what: string): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  if (!/^-?[0-9]{1,9}$/.test(value.trim())) fail(element, `${what} must be a whole number, not ${JSON.stringify(value.slice(0, 40))}`);
  return Number(value.trim());
}

function date(element: XmlElement, value: string | undefined, what: string): string | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const match = /^(\d{4}-\d{2}-\d{2})(?:[ T][0-9:.]+)?$/.exec(value.trim());
  if (!match || Number.isNaN(Date.parse(`${match[1]}T00:00:00Z`))) fail(element, `${what} must be a date (YYYY-MM-DD), not ${JSON.stringify(value.slice(0, 40))}`);
  return match[1];
}

function flag(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  return value === '1' || value.toLowerCase() === 'true';
}

function localeOf(element: XmlElement, ctx: ParseContext, fallback?: string): string {
  const raw = element.attrs.locale;
  if (raw === undefined || raw === '') return fallback ?? ctx.defaultLocale;
  const locale = fromOjsLocale(raw);
  if (!locale) fail(element, `unknown locale ${JSON.stringify(raw)}`);
  return locale;
}

/** Children `name` as text per locale (later ones of the same locale win, as in OJS). */
function localized(parent: XmlElement, name: string, ctx: ParseContext, fallback?: string): Localized {
  const out: Localized = {};
  for (const child of childrenNamed(parent, name)) {
    const value = text(child);
    if (value !== undefined) out[localeOf(child, ctx, fallback)] = value;
  }
  return out;
}

/** `<keywords locale="en"><keyword>…</keyword>…` (3.5: `<keyword><name>…`), per locale. */
function vocabulary(parent: XmlElement, group: string, item: string, ctx: ParseContext, fallback?: string): LocalizedList {
  const out: LocalizedList = {};
  for (const list of childrenNamed(parent, group)) {
    const locale = localeOf(list, ctx, fallback);
    for (const entry of childrenNamed(list, item)) {
      const value = text(childNamed(entry, 'name')) ?? text(entry);
      if (value !== undefined) (out[locale] ??= []).push(value);
    }
  }
  return out;
}

function ids(parent: XmlElement): NativeId[] {
  return childrenNamed(parent, 'id').map((id) => ({ type: id.attrs.type ?? 'internal', value: id.text.trim() }));
}

const OJS_ID = /^[0-9]{1,9}$/;
const withOjsId = (ojsId: number | undefined) => (ojsId !== undefined ? { ojsId } : {});

/**
 * The OJS database id of an object, when it is one. OJS itself ignores `<id type="internal">` on
 * import (its exports say `advice="ignore"`), so a valid document may carry any string there (an
 * OJS 2 conversion tool writes its own keys): such an id is kept among the object's ids, noted in
 * the report, and the object is imported under a new Revista id, with no old link to redirect.
 */
function internalId(parent: XmlElement, ctx?: ParseContext): number | undefined {
  const id = childrenNamed(parent, 'id').find((e) => (e.attrs.type ?? 'internal') === 'internal');
  if (!id) return undefined;
  const value = id.text.trim();
  if (OJS_ID.test(value)) return Number(value);
  if (value !== '') ctx?.warnings.push(`the <${parent.name}> at ${where(parent)} has the internal id ${shown(value)}, which is no OJS database id; it is imported under a new id, and no old address is redirected to it`);
  return undefined;
}

/**
 * A file of the document, with its first bytes. Its type is read from those bytes, helped by the
 * declared `mime_type` (OJS 3.0–3.2: the `<revision filetype>` that holds the data) and the `<file
 * extension>` (OJS 3.3+ writes no type): the bytes win over both.
 */
async function fileOf(holder: XmlElement, ctx: ParseContext, what: string, declared?: string): Promise<{ file: StoredFile; firstBytes: Buffer } | undefined> {
  const embed = childNamed(holder, 'embed');
  const href = childNamed(holder, 'href');
  const name = holder.attrs.filename ?? embed?.attrs.filename ?? text(childNamed(holder, 'cover_image')) ?? text(childNamed(holder, 'file_name')) ?? '';
  const typeOf = (firstBytes: Buffer, declared: string | undefined, fileName: string) => fileType({ head: firstBytes, declared, name: holder.attrs.extension ? `.${holder.attrs.extension}` : fileName });
  if (embed?.embedded) {
    const file = await embed.embedded;
    if (file.sizeBytes === 0) fail(embed, `${what} has an empty <embed>: the file's data is missing`);
    return { file: { storageKey: file.key, sha256: file.sha256, sizeBytes: file.sizeBytes, mimeType: typeOf(file.firstBytes, embed.attrs.mime_type ?? holder.attrs.filetype ?? declared, name), originalName: name }, firstBytes: file.firstBytes };
  }
  if (href?.attrs.src) {
    const src = href.attrs.src;
    const read = ctx.readHref ? await ctx.readHref(src) : { problem: 'cannot be read' };
    if ('problem' in read) fail(href, `${what} points at ${shown(src)}, which ${read.problem}: export from OJS with files embedded, or put the file beside the XML document`);
    const file = read.file;
    const fileName = name || src.split('/').at(-1)!;
    return { file: { storageKey: file.key, sha256: file.sha256, sizeBytes: file.sizeBytes, mimeType: typeOf(file.firstBytes, href.attrs.mime_type ?? holder.attrs.filetype ?? declared, fileName), originalName: fileName }, firstBytes: file.firstBytes };
  }
  return undefined;
}

function identification(element: XmlElement, ctx: ParseContext): NativeIssueIdentification {
  const volume = childNamed(element, 'volume');
  const year = childNamed(element, 'year');
  const number = text(childNamed(element, 'number'));
  return {
    ...(volume ? { volume: integer(volume, volume.text, 'volume') } : {}),
    ...(number !== undefined ? { number } : {}),
    ...(year ? { year: integer(year, year.text, 'year') } : {}),
    title: localized(element, 'title', ctx),
  };
}

async function covers(parent: XmlElement, ctx: ParseContext): Promise<NativeCover[]> {
  const out: NativeCover[] = [];
  for (const cover of childrenNamed(childNamed(parent, 'covers') ?? { children: [] } as unknown as XmlElement, 'cover')) {
    const read = await fileOf(cover, ctx, `the cover at ${where(cover)}`);
    if (!read) fail(cover, 'a <cover> needs its image embedded');
    const fileName = text(childNamed(cover, 'cover_image')) ?? read.file.originalName;
    // As for uploaded images: the type is read from the bytes, and only raster images are taken (an SVG can carry script).
    const type = detectImageType(read.firstBytes);
    if (!type) {
      ctx.warnings.push(`the cover ${shown(fileName)} at ${where(cover)} is not a PNG, JPEG, GIF, WebP or ICO image (SVG is never taken: it can carry script); left out`);
      continue;
    }
    out.push({ ...(cover.attrs.locale ? { locale: localeOf(cover, ctx) } : {}), fileName, altText: text(childNamed(cover, 'cover_image_alt_text')) ?? '', file: { ...read.file, mimeType: type } });
  }
  return out;
}

/**
 * `<issue_galleys>`: each galley's file is stored as an article galley's is, and left out with a
 * warning when it is of a type Revista never serves.
 */
async function issueGalleys(parent: XmlElement, ctx: ParseContext): Promise<NativeIssueGalley[]> {
  const out: NativeIssueGalley[] = [];
  const list = childNamed(parent, 'issue_galleys');
  for (const [index, element] of (list ? childrenNamed(list, 'issue_galley') : []).entries()) {
    const label = text(childNamed(element, 'label'));
    if (label === undefined) fail(element, 'an <issue_galley> needs a <label> (e.g. PDF)');
    const holder = childNamed(element, 'issue_file');
    // An issue galley's declared type is its <issue_file>'s <file_type>; the bytes still decide.
    const read = holder ? await fileOf(holder, ctx, `the issue galley “${label}”`, text(childNamed(holder, 'file_type'))) : undefined;
    if (!holder || !read) fail(element, `the issue galley “${label}” has no <issue_file> with its <embed> or <href>: the file's data is missing`);
    const file = read.file;
    // OJS names the file it stored (file_name) and the one uploaded (original_file_name): readers get the latter.
    file.originalName = text(childNamed(holder, 'original_file_name')) ?? text(childNamed(holder, 'file_name')) ?? file.originalName;
    if (isActiveContentType(file.mimeType)) {
      ctx.warnings.push(`the issue galley “${label}” at ${where(element)} is of type ${file.mimeType}, which Revista never serves (it could run as the site); left out`);
      continue;
    }
    const uploaded = childNamed(holder, 'date_uploaded');
    const modified = childNamed(holder, 'date_modified');
    const dateUploaded = uploaded ? date(uploaded, uploaded.text, 'date_uploaded') : undefined;
    const dateModified = modified ? date(modified, modified.text, 'date_modified') : undefined;
    out.push({
      ...withOjsId(internalId(element, ctx)),
      ...(element.attrs.locale ? { locale: localeOf(element, ctx) } : {}),
      label,
      seq: index,
      file,
      ...(dateUploaded ? { dateUploaded } : {}),
      ...(dateModified ? { dateModified } : {}),
    });
  }
  return out;
}

function section(element: XmlElement, ctx: ParseContext, index: number): NativeSection {
  const abbrev = localized(element, 'abbrev', ctx);
  const ref = element.attrs.ref || Object.values(abbrev)[0];
  if (!ref) fail(element, 'a <section> needs a ref attribute (its abbreviation) so articles can point at it');
  const flags: Record<string, number> = {};
  for (const name of ['editor_restricted', 'meta_indexed', 'meta_reviewed', 'abstracts_not_required', 'hide_title', 'hide_author']) {
    const value = integer(element, element.attrs[name], name);
    if (value !== undefined) flags[name] = value;
  }
  const wordCount = integer(element, element.attrs.abstract_word_count, 'abstract_word_count');
  return {
    ref,
    ...(withOjsId(internalId(element, ctx))),
    seq: integer(element, element.attrs.seq, 'seq') ?? index,
    title: localized(element, 'title', ctx),
    abbrev,
    policy: cleanRichTextPerLocale(localized(element, 'policy', ctx)),
    flags,
    ...(wordCount !== undefined ? { abstractWordCount: wordCount } : {}),
  };
}

function author(element: XmlElement, ctx: ParseContext, locale: string, index: number): NativeAuthor {
  const givenName = localized(element, 'givenname', ctx, locale);
  // OJS 3.0–3.2 wrote firstname/lastname.
  Object.assign(givenName, localized(element, 'firstname', ctx, locale));
  const familyName = { ...localized(element, 'familyname', ctx, locale), ...localized(element, 'lastname', ctx, locale) };
  // A name may be empty: the schema and OJS accept `<givenname locale="en"></givenname>`, and OJS
  // journals hold such authors (known only by an affiliation).
  const affiliations: NativeAuthor['affiliations'] = [];
  // OJS 3.3 writes one plain <affiliation locale=…> per locale of one affiliation.
  let plain: Localized | undefined;
  for (const child of element.children) {
    if (child.name === 'affiliation') {
      if (childrenNamed(child, 'name').length > 0) affiliations.push({ name: localized(child, 'name', ctx, locale) });
      else if (text(child) !== undefined) {
        if (!plain) affiliations.push({ name: (plain = {}) });
        plain[localeOf(child, ctx, locale)] = text(child)!;
      }
    } else if (child.name === 'rorAffiliation') {
      let ror = text(childNamed(child, 'ror')) ?? '';
      if (ror !== '' && !isHttpUrl(ror) && !ROR_ID.test(ror)) {
        ctx.warnings.push(`the author at ${where(element)}: the ROR id ${shown(ror)} is neither an http(s) address nor a ROR id; left out`);
        ror = '';
      }
      affiliations.push({ name: localized(child, 'name', ctx, locale), ror });
    }
  }
  const roles = childNamed(element, 'contributor_roles');
  // Stored as the forms store it (https://orcid.org/…), so it is only ever a link to orcid.org.
  const orcidText = text(childNamed(element, 'orcid'));
  const orcid = orcidText === undefined ? undefined : normaliseOrcid(orcidText);
  if (orcidText !== undefined && !orcid) ctx.warnings.push(`the author at ${where(element)}: ${shown(orcidText)} is not a valid ORCID iD; left out`);
  const url = text(childNamed(element, 'url'));
  if (url !== undefined && !isHttpUrl(url)) ctx.warnings.push(`the author at ${where(element)}: the address ${shown(url)} is not an http(s) URL; left out`);
  return {
    ...(element.attrs.id !== undefined ? { ojsId: integer(element, element.attrs.id, 'an author id')! } : {}),
    seq: integer(element, element.attrs.seq, 'seq') ?? index,
    primaryContact: flag(element.attrs.primary_contact) ?? false,
    includeInBrowse: flag(element.attrs.include_in_browse) ?? true,
    // OJS before 3.5 knew persons only, and said what a contributor did by its user group.
    contributorType: element.attrs.contributor_type || 'PERSON',
    contributorRoles: roles
      ? childrenNamed(roles, 'contributor_role_id').map((r) => integer(r, r.text, 'contributor_role_id')!)
      : [/translat/i.test(element.attrs.user_group_ref ?? '') ? CONTRIBUTOR_ROLE.translator : CONTRIBUTOR_ROLE.author],
    ...(element.attrs.user_group_ref ? { userGroupRef: element.attrs.user_group_ref } : {}),
    givenName,
    familyName,
    affiliations,
    ...(text(childNamed(element, 'country')) ? { country: text(childNamed(element, 'country'))!.toUpperCase() } : {}),
    ...(text(childNamed(element, 'email')) ? { email: text(childNamed(element, 'email'))! } : {}),
    ...(url !== undefined && isHttpUrl(url) ? { url } : {}),
    ...(orcid ? { orcid } : {}),
    biography: cleanRichTextPerLocale(localized(element, 'biography', ctx, locale)),
  };
}

/** A galley, or undefined when it is left out (its remote address is not http(s)). */
function galley(element: XmlElement, ctx: ParseContext, index: number): NativeGalley | undefined {
  const ref = childNamed(element, 'submission_file_ref');
  const remote = childNamed(element, 'remote');
  const label = localized(element, 'name', ctx);
  // OJS 3.0–3.1 wrote <label>.
  const legacyLabel = text(childNamed(element, 'label'));
  if (legacyLabel && Object.keys(label).length === 0) label[localeOf(element, ctx)] = legacyLabel;
  if (Object.keys(label).length === 0) fail(element, 'a galley needs a <name> (its label, e.g. PDF)');
  if (!ref && !remote?.attrs.src) fail(element, 'a galley needs a <submission_file_ref> or a <remote src>: the galley has no file');
  const remoteUrl = remote?.attrs.src?.trim();
  if (!ref && remoteUrl !== undefined && !isHttpUrl(remoteUrl)) {
    ctx.warnings.push(`the galley “${Object.values(label)[0]}” at ${where(element)}: its address ${shown(remoteUrl)} is not an http(s) URL; left out`);
    return undefined;
  }
  const seq = childNamed(element, 'seq');
  return {
    ...withOjsId(internalId(element, ctx)),
    ids: ids(element),
    ...(element.attrs.locale ? { locale: localeOf(element, ctx) } : {}),
    ...(element.attrs.url_path ? { urlPath: element.attrs.url_path } : {}),
    label,
    seq: seq ? (integer(seq, seq.text, 'seq') ?? index) : index,
    ...(element.attrs.approved !== undefined ? { approved: flag(element.attrs.approved)! } : {}),
    ...(ref ? { submissionFileRef: integer(ref, ref.attrs.id, 'submission_file_ref id') } : {}),
    ...(!ref && remoteUrl ? { remoteUrl } : {}),
  };
}

/** The `<submission_file>` (3.3+) or its 3.0–3.2 forms, `<supplementary_file>` and `<artwork_file>`. */
const SUBMISSION_FILE_ELEMENTS = new Set(['submission_file', 'supplementary_file', 'artwork_file']);

async function submissionFile(element: XmlElement, ctx: ParseContext): Promise<NativeSubmissionFile> {
  const id = integer(element, element.attrs.id, 'a submission_file id');
  if (id === undefined) fail(element, `a <${element.name}> needs an id attribute`);
  // OJS 3.3+ writes <file> children and names the current one with file_id; OJS 3.0–3.2 wrote
  // <revision number="…"> children, each with its own name, type and dates, and the file is its
  // latest revision (the highest number), as OJS reads it.
  const files = childrenNamed(element, 'file');
  const revisions = childrenNamed(element, 'revision');
  if (files.length === 0 && revisions.length === 0) fail(element, `submission file ${id} has no <file> (nor an OJS 3.0–3.2 <revision>): the file's data is missing`);
  const legacy = files.length === 0;
  const wanted = element.attrs.file_id;
  const revisionNumber = (r: XmlElement) => integer(r, r.attrs.number, 'a revision number') ?? 0;
  const chosen = legacy ? revisions.reduce((latest, r) => (revisionNumber(r) >= revisionNumber(latest) ? r : latest)) : (files.find((f) => f.attrs.id === wanted) ?? files.at(-1)!);
  // Every revision's embedded data was streamed into storage: each is awaited (a broken one is an
  // error as for the file itself); the ones not kept are removed with the other unused files.
  for (const other of [...files, ...revisions]) if (other !== chosen) await childNamed(other, 'embed')?.embedded;
  const holder = legacy ? chosen : element;
  const name = localized(holder, 'name', ctx);
  const read = await fileOf(chosen, ctx, `submission file ${id}`);
  if (!read) fail(chosen, `submission file ${id} has neither <embed> nor <href>: the file's data is missing`);
  const stored = read.file;
  stored.originalName = (legacy ? chosen.attrs.filename : undefined) ?? Object.values(name)[0] ?? stored.originalName;
  const attr = (modern: string, old: string) => (legacy ? (chosen.attrs[old] ?? element.attrs[modern]) : element.attrs[modern]);
  const createdAt = attr('created_at', 'date_uploaded');
  const updatedAt = attr('updated_at', 'date_modified');
  const genre = attr('genre', 'genre');
  const uploader = attr('uploader', 'uploader');
  const viewable = attr('viewable', 'viewable');
  return {
    ojsId: id,
    ...(wanted !== undefined ? { fileId: integer(element, wanted, 'file_id') } : {}),
    ...(legacy && chosen.attrs.number !== undefined ? { revision: revisionNumber(chosen) } : {}),
    ...(element.attrs.stage ? { stage: element.attrs.stage } : {}),
    ...(genre ? { genre } : {}),
    name,
    ...(createdAt ? { createdAt } : {}),
    ...(updatedAt ? { updatedAt } : {}),
    ...(uploader ? { uploader } : {}),
    ...(viewable !== undefined ? { viewable: flag(viewable)! } : {}),
    file: stored,
    ...(chosen.attrs.extension ? { extension: chosen.attrs.extension } : {}),
  };
}

/**
 * A `<publication>`, or — `legacy` — an OJS 3.0/3.1 `<article>`, which held what a publication now
 * holds (title, authors, galleys, section_ref, date_published) itself, in its only version.
 */
async function publication(element: XmlElement, ctx: ParseContext, articleLocale: string, legacy = false): Promise<NativePublication> {
  // OJS 3.2 and 3.3 write the publication's id only as <id type="internal">; a legacy article's id is the article's.
  const ojsId = legacy ? undefined : (integer(element, element.attrs.id, 'a publication id') ?? internalId(element, ctx));
  const named = ojsId !== undefined ? `publication ${ojsId}` : `the ${legacy ? 'article' : 'publication'} at ${where(element)}`;
  // OJS 3.4+ titles carry inline HTML (<i>, <sup>…): kept through the allow-list, plain titles as written.
  const title = cleanTitlePerLocale(localized(element, 'title', ctx, articleLocale));
  if (Object.keys(title).length === 0) fail(element, `${named} has no <title>`);
  const sectionRef = element.attrs.section_ref;
  if (!sectionRef) fail(element, `${named} has no section_ref attribute`);
  const authors = childNamed(element, 'authors');
  const citations = childrenNamed(element, 'citations').flatMap((list) => childrenNamed(list, 'citation').map((c) => c.text.trim()).filter((c) => c !== ''));
  const issueIdentification = childNamed(element, 'issue_identification');
  const copyrightYear = childNamed(element, 'copyrightYear');
  const version = integer(element, element.attrs.version_major ?? element.attrs.version, 'version');
  const licenseUrl = text(childNamed(element, 'licenseUrl'));
  // A bad licence address is one field: the publication is imported without it.
  if (licenseUrl !== undefined && !isHttpUrl(licenseUrl)) ctx.warnings.push(`${named}: the licence address ${shown(licenseUrl)} is not an http(s) URL; left out`);
  return {
    ...withOjsId(ojsId),
    ...(!legacy && element.attrs.locale ? { locale: localeOf(element, ctx) } : {}),
    ...(!legacy && element.attrs.status !== undefined ? { status: integer(element, element.attrs.status, 'status') } : {}),
    ...(version !== undefined ? { version } : {}),
    ...(date(element, element.attrs.date_published, 'date_published') ? { datePublished: date(element, element.attrs.date_published, 'date_published') } : {}),
    ...(date(element, element.attrs.date_submitted, 'date_submitted') ? { dateSubmitted: date(element, element.attrs.date_submitted, 'date_submitted') } : {}),
    ...(element.attrs.url_path ? { urlPath: element.attrs.url_path } : {}),
    sectionRef,
    ...(element.attrs.seq !== undefined ? { seq: integer(element, element.attrs.seq, 'seq') } : {}),
    ...(element.attrs.access_status !== undefined ? { accessStatus: integer(element, element.attrs.access_status, 'access_status') } : {}),
    ...(element.attrs.primary_contact_id !== undefined ? { primaryContactOjsId: integer(element, element.attrs.primary_contact_id, 'primary_contact_id') } : {}),
    ids: legacy ? ids(element).filter((id) => id.type !== 'internal') : ids(element),
    title,
    prefix: localized(element, 'prefix', ctx, articleLocale),
    subtitle: cleanTitlePerLocale(localized(element, 'subtitle', ctx, articleLocale)),
    // OJS keeps abstracts as HTML (older versions: sometimes plain text): stored as rich text either way.
    abstract: toRichTextPerLocale(localized(element, 'abstract', ctx, articleLocale)),
    coverage: localized(element, 'coverage', ctx, articleLocale),
    type: localized(element, 'type', ctx, articleLocale),
    source: localized(element, 'source', ctx, articleLocale),
    rights: localized(element, 'rights', ctx, articleLocale),
    ...(licenseUrl !== undefined && isHttpUrl(licenseUrl) ? { licenseUrl } : {}),
    copyrightHolder: cleanRichTextPerLocale(localized(element, 'copyrightHolder', ctx, articleLocale)),
    ...(copyrightYear && text(copyrightYear) ? { copyrightYear: integer(copyrightYear, copyrightYear.text, 'copyrightYear') } : {}),
    keywords: vocabulary(element, 'keywords', 'keyword', ctx, articleLocale),
    agencies: vocabulary(element, 'agencies', 'agency', ctx, articleLocale),
    languages: vocabulary(element, 'languages', 'language', ctx, articleLocale),
    disciplines: vocabulary(element, 'disciplines', 'discipline', ctx, articleLocale),
    subjects: vocabulary(element, 'subjects', 'subject', ctx, articleLocale),
    authors: authors ? childrenNamed(authors, 'author').map((a, i) => author(a, ctx, articleLocale, i)) : [],
    galleys: childrenNamed(element, 'article_galley').flatMap((g, i) => galley(g, ctx, i) ?? []),
    citations,
    ...(text(childNamed(element, 'pages')) ? { pages: text(childNamed(element, 'pages'))! } : {}),
    covers: await covers(element, ctx),
    ...(issueIdentification ? { issueIdentification: identification(issueIdentification, ctx) } : {}),
  };
}

export async function parseArticle(element: XmlElement, ctx: ParseContext): Promise<NativeArticle> {
  if (element.name !== 'article') fail(element, `expected <article>, found <${element.name}>`);
  const publicationElements = childrenNamed(element, 'publication');
  // OJS 3.0 and 3.1 had no <publication>: the article is its own only version.
  const legacy = publicationElements.length === 0 && childNamed(element, 'title') !== undefined;
  if (publicationElements.length === 0 && !legacy) fail(element, 'an <article> needs at least one <publication>');
  // An article is in its current publication's language, else the submission's (3.2 and 3.3 often
  // put it on the publication only), and only then the journal's.
  const currentId = element.attrs.current_publication_id;
  const currentElement = publicationElements.find((p) => p.attrs.id === currentId || childrenNamed(p, 'id').some((id) => (id.attrs.type ?? 'internal') === 'internal' && id.text.trim() === currentId)) ?? publicationElements.at(-1);
  const locale = currentElement?.attrs.locale ? localeOf(currentElement, ctx) : element.attrs.locale ? localeOf(element, ctx) : ctx.defaultLocale;
  const submissionFiles: NativeSubmissionFile[] = [];
  // Files of script types are never served from the site (a script could run as the site): left out, with their galleys.
  const refused = new Set<number>();
  for (const child of element.children) {
    if (!SUBMISSION_FILE_ELEMENTS.has(child.name)) continue;
    const file = await submissionFile(child, ctx);
    if (file.file && isActiveContentType(file.file.mimeType)) {
      refused.add(file.ojsId);
      ctx.warnings.push(`submission file ${file.ojsId} (${shown(Object.values(file.name)[0] ?? file.file.originalName)}) of the article at ${where(element)} is of type ${file.file.mimeType}, which Revista never serves (it could run as the site); left out, with its galleys`);
    } else submissionFiles.push(file);
  }
  const publications: NativePublication[] = [];
  if (legacy) publications.push(await publication(element, ctx, locale, true));
  for (const child of publicationElements) publications.push(await publication(child, ctx, child.attrs.locale ? localeOf(child, ctx) : locale));
  for (const p of publications) p.galleys = p.galleys.filter((g) => g.submissionFileRef === undefined || !refused.has(g.submissionFileRef));
  for (const p of publications) {
    for (const g of p.galleys) {
      if (g.submissionFileRef !== undefined && !submissionFiles.some((f) => f.ojsId === g.submissionFileRef)) {
        fail(element, `a galley of ${p.ojsId !== undefined ? `publication ${p.ojsId}` : 'the article'} points at submission file ${g.submissionFileRef}, which the article does not contain: the file's data is missing`);
      }
    }
  }
  const current = integer(element, element.attrs.current_publication_id, 'current_publication_id');
  return {
    ...withOjsId(internalId(element, ctx)),
    ids: ids(element),
    locale,
    ...(element.attrs.status ? { status: element.attrs.status } : {}),
    ...(element.attrs.stage ? { stage: element.attrs.stage } : {}),
    ...(date(element, element.attrs.date_submitted, 'date_submitted') ? { dateSubmitted: date(element, element.attrs.date_submitted, 'date_submitted') } : {}),
    ...(current !== undefined ? { currentPublicationOjsId: current } : {}),
    submissionFiles,
    publications,
    line: element.line,
  };
}

export async function parseIssue(element: XmlElement, ctx: ParseContext): Promise<NativeIssue> {
  if (element.name !== 'issue') fail(element, `expected <issue>, found <${element.name}>`);
  const ident = childNamed(element, 'issue_identification');
  if (!ident) fail(element, 'an <issue> needs <issue_identification> (volume, number, year or title)');
  const sectionsElement = childNamed(element, 'sections');
  const sections = sectionsElement ? childrenNamed(sectionsElement, 'section').map((s, i) => section(s, ctx, i)) : [];
  const articlesElement = childNamed(element, 'articles');
  const articles: NativeArticle[] = [];
  for (const child of articlesElement ? childrenNamed(articlesElement, 'article') : []) articles.push(await parseArticle(child, ctx));
  return {
    ...withOjsId(internalId(element, ctx)),
    ids: ids(element),
    published: flag(element.attrs.published) ?? false,
    current: flag(element.attrs.current) ?? false,
    ...(element.attrs.access_status !== undefined ? { accessStatus: integer(element, element.attrs.access_status, 'access_status') } : {}),
    ...(element.attrs.url_path ? { urlPath: element.attrs.url_path } : {}),
    description: cleanRichTextPerLocale(localized(element, 'description', ctx)),
    identification: identification(ident, ctx),
    ...(date(element, text(childNamed(element, 'date_published')), 'date_published') ? { datePublished: date(element, text(childNamed(element, 'date_published')), 'date_published') } : {}),
    ...(date(element, text(childNamed(element, 'last_modified')), 'last_modified') ? { lastModified: date(element, text(childNamed(element, 'last_modified')), 'last_modified') } : {}),
    sections,
    covers: await covers(element, ctx),
    galleys: await issueGalleys(element, ctx),
    articles,
    line: element.line,
  };
}
