import type { Kysely } from 'kysely';
import { recordFile } from '../catalog/index.ts';
import type { Database } from '../db/index.ts';
import type { UploadRule } from '../platform/http/index.ts';
import type { FileStore, ImageType } from '../storage/index.ts';

// The upload rule (images recognised by their bytes, no SVG) lives with the stored files, so the OJS
// import applies the same one.
export { detectImageType, type ImageType } from '../storage/index.ts';

export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;

/**
 * The upload rule of a form with `files` image fields (http/bodies.ts). One byte over the largest image
 * is read, so the form can say "too large" in words; the rest of such a file is never kept.
 */
export function imageUploads(files: number): UploadRule {
  return { files, fileBytes: MAX_IMAGE_BYTES + 1 };
}

const EXTENSIONS: Record<ImageType, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/gif': 'gif', 'image/webp': 'webp', 'image/x-icon': 'ico' };

/** Stores an uploaded image and records it; returns the file id. */
export async function storeImage(db: Kysely<Database>, files: FileStore, bytes: Buffer, type: ImageType, name: string): Promise<number> {
  const stored = await files.put(bytes);
  return recordFile(db, { storageKey: stored.key, mimeType: type, sizeBytes: stored.sizeBytes, sha256: stored.sha256, originalName: `${name}.${EXTENSIONS[type]}` });
}

/** An uploaded file field from a multipart form (attachFieldsToBody: 'keyValues' gives Buffers). */
export function uploadedBytes(body: Record<string, unknown>, name: string): Buffer | undefined {
  const value = body[name];
  return Buffer.isBuffer(value) && value.length > 0 ? value : undefined;
}

/** WCAG 2.2 contrast ratio of two `#rrggbb` colours. */
export function contrastRatio(a: string, b: string): number {
  const luminance = (hex: string) => {
    const [r, g, bl] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light! + 0.05) / (dark! + 0.05);
}

