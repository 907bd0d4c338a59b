import type { Transaction } from 'kysely';
import { addGalley, addGalleyOfFile, inTransaction, saveGalleyOfFile, moveGalley, publicationGalleys, removeGalley, removeGalleyAsset, saveGalley, saveGalleyAsset, type Db, type GalleyAsset, type StoredGalleyFile } from '../../catalog/index.ts';
import type { Database } from '../../db/schema.ts';
import { cleanName, type StoredUpload } from '../commands/submissions.ts';
import { findSubmissionForUpdate, type SubmissionRecord } from '../queries.ts';
import { ProductionError } from './errors.ts';
import { isAssetName } from './html-references.ts';

/**
 * Galleys of a submission on its way to publication (issue 21, item 2): the layout editor (or an
 * editor) uploads a PDF, HTML, JATS XML or EPUB galley, or points to a remote address, and an HTML
 * galley's images, styles and fonts. The catalog owns the galleys and writes them (article-parts,
 * galley-assets); the workflow decides when: only while the submission is in production, or
 * scheduled and not yet published — a published article changes through a new version.
 */

type Trx = Transaction<Database>;

/** The galley formats taken, by the type read from their bytes. */
export const GALLEY_TYPES: Readonly<Record<string, 'pdf' | 'html' | 'jats' | 'epub'>> = {
  'application/pdf': 'pdf',
  'text/html': 'html',
  'application/xhtml+xml': 'html',
  'application/xml': 'jats',
  'text/xml': 'jats',
  'application/jats+xml': 'jats',
  'application/epub+zip': 'epub',
};
export const MAX_GALLEY_BYTES = 200 * 1024 * 1024;
export const MAX_LABEL_LENGTH = 100;

/** An HTML galley's assets: images, style sheets and fonts, each with its own size limit. */
export const ASSET_TYPES: Readonly<Record<string, number>> = {
  'image/png': 20 * 1024 * 1024,
  'image/jpeg': 20 * 1024 * 1024,
  'image/gif': 20 * 1024 * 1024,
  'image/webp': 20 * 1024 * 1024,
  'image/svg+xml': 2 * 1024 * 1024,
  'text/css': 2 * 1024 * 1024,
  'font/woff': 5 * 1024 * 1024,
  'font/woff2': 5 * 1024 * 1024,
};
export const MAX_ASSET_BYTES = Math.max(...Object.values(ASSET_TYPES));

export const isHtmlGalleyType = (mimeType: string) => GALLEY_TYPES[mimeType] === 'html';

/**
 * The type of an asset from its first bytes and its name. Images and fonts are told by their
 * signatures; SVG by its root element; a style sheet is text named `.css` (CSS has no signature).
 * Undefined for anything else (a script, an HTML page, a PDF).
 */
export function assetType(head: Buffer, name: string): string | undefined {
  const sig = head.subarray(0, 4).toString('latin1');
  if (sig === 'wOFF') return 'font/woff';
  if (sig === 'wOF2') return 'font/woff2';
  if (head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
  if (/^GIF8[79]a$/.test(head.subarray(0, 6).toString('latin1'))) return 'image/gif';
  if (sig === 'RIFF' && head.subarray(8, 12).toString('latin1') === 'WEBP') return 'image/webp';
  for (const byte of head) if (byte === 0 || (byte < 0x09) || (byte > 0x0d && byte < 0x20 && byte !== 0x1b)) return undefined;
  const text = head.toString('utf8').replace(/^\uFEFF/, '').trimStart();
  if (/^(?:<\?xml[^>]*\?>\s*)?(?:<!--[\s\S]*?-->\s*)*(?:<!DOCTYPE svg[^>]*>\s*)?<svg[\s>]/i.test(text)) return 'image/svg+xml';
  if (/\.css$/i.test(name) && !/^</.test(text)) return 'text/css';
  return undefined;
}

/** Whether the submission's galleys may change now; throws why not. */
export function checkProducible(submission: SubmissionRecord): void {
  const inProduction = submission.status === 'active' && submission.stage === 'production';
  if (!inProduction && submission.status !== 'scheduled') throw new ProductionError('not-in-production');
}

async function producible(trx: Trx, journalId: number, submissionId: number): Promise<SubmissionRecord> {
  const submission = await findSubmissionForUpdate(trx, journalId, submissionId);
  if (!submission) throw new ProductionError('galley-unknown');
  checkProducible(submission);
  // Scheduled, but already published (with its issue): only a new version changes it.
  const publication = await trx.selectFrom('publications').select('status').where('id', '=', submission.publicationId).executeTakeFirstOrThrow();
  if (publication.status === 'published') throw new ProductionError('not-in-production');
  return submission;
}

async function checkFields(trx: Trx, journalId: number, fields: { label: string; locale: string }): Promise<void> {
  if (fields.label.trim() === '') throw new ProductionError('label-missing', 'label');
  if (fields.label.length > MAX_LABEL_LENGTH) throw new ProductionError('too-long', 'label', { max: MAX_LABEL_LENGTH });
  const journal = await trx.selectFrom('journals').select('supported_locales').where('id', '=', journalId).executeTakeFirstOrThrow();
  if (!journal.supported_locales.includes(fields.locale)) throw new ProductionError('locale-not-allowed', 'locale');
}

export function checkGalleyUpload(upload: Pick<StoredUpload, 'sizeBytes' | 'mimeType'>): void {
  if (upload.sizeBytes === 0) throw new ProductionError('file-empty', 'file');
  if (upload.sizeBytes > MAX_GALLEY_BYTES) throw new ProductionError('file-too-large', 'file', { max: MAX_GALLEY_BYTES });
  if (!GALLEY_TYPES[upload.mimeType]) throw new ProductionError('galley-type-not-allowed', 'file', { type: upload.mimeType });
}

/** Only http(s) addresses, of a sensible length (no `javascript:`, no `file:`). */
export function checkRemoteUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ProductionError('url-invalid', 'remoteUrl');
  }
  if ((parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || url.length > 2000 || parsed.hostname === '' || parsed.username !== '' || parsed.password !== '') throw new ProductionError('url-invalid', 'remoteUrl');
}

const asGalleyFile = (upload: StoredUpload): StoredGalleyFile => ({ storageKey: upload.storageKey, sizeBytes: upload.sizeBytes, sha256: upload.sha256, mimeType: upload.mimeType, originalName: cleanName(upload.originalName) });

/** A production-ready file of the submission (stage `production`), as a galley's file. */
async function productionFile(trx: Trx, submissionId: number, submissionFileId: number): Promise<number> {
  const row = await trx
    .selectFrom('submission_files as sf')
    .innerJoin('files as f', 'f.id', 'sf.file_id')
    .select(['sf.file_id', 'f.size_bytes', 'f.mime_type'])
    .where('sf.id', '=', submissionFileId)
    .where('sf.submission_id', '=', submissionId)
    .where('sf.stage', '=', 'production')
    .executeTakeFirst();
  if (!row) throw new ProductionError('file-unknown', 'submissionFileId');
  checkGalleyUpload({ sizeBytes: Number(row.size_bytes), mimeType: row.mime_type });
  return row.file_id;
}

export type GalleySource = { kind: 'upload'; upload: StoredUpload } | { kind: 'remote'; url: string } | { kind: 'submission-file'; submissionFileId: number };

export interface NewGalley {
  journalId: number;
  submissionId: number;
  userId: number;
  label: string;
  locale: string;
  source: GalleySource;
}

/** Adds a galley at the end of the current version's list; returns its id. */
export async function createGalley(db: Db, input: NewGalley): Promise<number> {
  return inTransaction(db, async (trx) => {
    const submission = await producible(trx, input.journalId, input.submissionId);
    await checkFields(trx, input.journalId, input);
    const fields = { label: input.label.trim(), locale: input.locale, remoteUrl: null as string | null };
    let file: StoredGalleyFile | null = null;
    if (input.source.kind === 'upload') {
      checkGalleyUpload(input.source.upload);
      file = asGalleyFile(input.source.upload);
    } else if (input.source.kind === 'remote') {
      checkRemoteUrl(input.source.url);
      fields.remoteUrl = input.source.url;
    } else return addGalleyOfFile(trx, submission.id, fields, await productionFile(trx, submission.id, input.source.submissionFileId));
    return addGalley(trx, submission.id, fields, file);
  });
}

export interface GalleyChange {
  journalId: number;
  submissionId: number;
  galleyId: number;
  userId: number;
  label: string;
  locale: string;
  /** A remote galley's new address (ignored for a galley with a file unless it becomes remote). */
  remoteUrl?: string | null;
  /** A new file: uploaded, or a production-ready file of the submission. */
  replace?: { kind: 'upload'; upload: StoredUpload } | { kind: 'submission-file'; submissionFileId: number };
}

async function galleyOf(trx: Trx, submission: SubmissionRecord, galleyId: number) {
  const galley = (await publicationGalleys(trx, submission.publicationId)).find((g) => g.id === galleyId);
  if (!galley) throw new ProductionError('galley-unknown');
  return galley;
}

/** Changes a galley's label and language, and replaces its file or address. */
export async function editGalley(db: Db, input: GalleyChange): Promise<void> {
  await inTransaction(db, async (trx) => {
    const submission = await producible(trx, input.journalId, input.submissionId);
    const galley = await galleyOf(trx, submission, input.galleyId);
    await checkFields(trx, input.journalId, input);
    let file: StoredGalleyFile | null = null;
    if (input.replace?.kind === 'upload') {
      checkGalleyUpload(input.replace.upload);
      file = asGalleyFile(input.replace.upload);
    } else if (input.replace?.kind === 'submission-file') {
      await saveGalleyOfFile(trx, submission.id, galley.id, { label: input.label.trim(), locale: input.locale }, await productionFile(trx, submission.id, input.replace.submissionFileId));
      return;
    }
    let remoteUrl = galley.remoteUrl;
    if (!file && galley.file === null) {
      remoteUrl = input.remoteUrl ?? galley.remoteUrl;
      if (remoteUrl === null || remoteUrl === '') throw new ProductionError('file-or-url', 'remoteUrl');
      checkRemoteUrl(remoteUrl);
    }
    await saveGalley(trx, submission.id, galley.id, { label: input.label.trim(), locale: input.locale, remoteUrl }, file);
  });
}

export async function deleteGalley(db: Db, input: { journalId: number; submissionId: number; galleyId: number; userId: number }): Promise<void> {
  await inTransaction(db, async (trx) => {
    const submission = await producible(trx, input.journalId, input.submissionId);
    await galleyOf(trx, submission, input.galleyId);
    await removeGalley(trx, submission.id, input.galleyId);
  });
}

export async function reorderGalley(db: Db, input: { journalId: number; submissionId: number; galleyId: number; userId: number; direction: 'up' | 'down' }): Promise<void> {
  await inTransaction(db, async (trx) => {
    const submission = await producible(trx, input.journalId, input.submissionId);
    await galleyOf(trx, submission, input.galleyId);
    await moveGalley(trx, submission.id, input.galleyId, input.direction);
  });
}

export interface NewGalleyAsset {
  journalId: number;
  submissionId: number;
  galleyId: number;
  userId: number;
  /** The name the HTML refers to it by (`figure1.png`, `images/figure1.png`). */
  name: string;
  /** Stored; its type read by `assetType` from its first bytes and name. */
  upload: StoredUpload;
}

/** Stores an HTML galley's image, style sheet or font under its name (replacing one of that name); returns the asset's id. */
export async function addGalleyAsset(db: Db, input: NewGalleyAsset): Promise<number> {
  return inTransaction(db, async (trx) => {
    const submission = await producible(trx, input.journalId, input.submissionId);
    const galley = await galleyOf(trx, submission, input.galleyId);
    if (!galley.file || !isHtmlGalleyType(galley.file.mimeType)) throw new ProductionError('not-html');
    if (!isAssetName(input.name)) throw new ProductionError('asset-name-invalid', 'name');
    const limit = ASSET_TYPES[input.upload.mimeType];
    if (limit === undefined) throw new ProductionError('asset-type-not-allowed', 'file', { type: input.upload.mimeType });
    if (input.upload.sizeBytes === 0) throw new ProductionError('file-empty', 'file');
    if (input.upload.sizeBytes > limit) throw new ProductionError('file-too-large', 'file', { max: limit });
    const id = await saveGalleyAsset(trx, submission.id, galley.id, input.name, { ...asGalleyFile(input.upload), originalName: input.name.split('/').at(-1)! });
    if (id === undefined) throw new ProductionError('galley-unknown');
    return id;
  });
}

export async function deleteGalleyAsset(db: Db, input: { journalId: number; submissionId: number; galleyId: number; assetId: number; userId: number }): Promise<void> {
  await inTransaction(db, async (trx) => {
    const submission = await producible(trx, input.journalId, input.submissionId);
    const galley = await galleyOf(trx, submission, input.galleyId);
    if (!(await removeGalleyAsset(trx, submission.id, galley.id, input.assetId))) throw new ProductionError('asset-unknown');
  });
}

export type { GalleyAsset };
