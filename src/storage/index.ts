import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform, type Readable } from 'node:stream';

/**
 * Files (galleys, later covers and submissions) live under one root and are addressed by a key that
 * Revista makes itself — never by a path from a request — so no request can reach outside the root.
 */
export interface FileStore {
  readonly root: string;
  /**
   * Stores the bytes durably (fsync before return) and says where they are and what they are.
   * With `{ durable: false }` the file is complete at its key but may not survive a crash until
   * `makeDurable` has been called for it: a batch of files (an imported issue) then costs one fsync
   * per file and one per directory, all at once, instead of two in a row per file. Nothing may
   * refer to such a file (no committed row) before `makeDurable` has resolved.
   */
  put(content: Readable | Buffer, options?: { durable?: boolean }): Promise<StoredContent>;
  /** Makes stored files durable: each file's bytes, then each directory holding them, once. */
  makeDurable(keys: string[]): Promise<void>;
  /** Absolute path of a stored file; throws for a key Revista could not have made. */
  pathOf(key: string): string;
  remove(key: string): Promise<void>;
}

export interface StoredContent {
  key: string;
  sizeBytes: number;
  sha256: string;
}

const KEY_PATTERN = /^[0-9a-f]{2}\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export class InvalidStorageKeyError extends Error {}

export function createFileStore(root: string): FileStore {
  const absoluteRoot = path.resolve(root);

  function pathOf(key: string): string {
    if (!KEY_PATTERN.test(key)) throw new InvalidStorageKeyError(`not a storage key: ${JSON.stringify(key)}`);
    const resolved = path.resolve(absoluteRoot, key);
    if (!resolved.startsWith(absoluteRoot + path.sep)) throw new InvalidStorageKeyError(`key leaves the storage root: ${key}`);
    return resolved;
  }

  // Directories made by this store: each of the 256 is made once, not once per file.
  const made = new Set<string>();

  async function put(content: Readable | Buffer, options: { durable?: boolean } = {}): Promise<StoredContent> {
    const durable = options.durable ?? true;
    const id = randomUUID();
    const key = `${id.slice(0, 2)}/${id}`;
    const finalPath = pathOf(key);
    const directory = path.dirname(finalPath);
    if (!made.has(directory)) {
      await fsp.mkdir(directory, { recursive: true });
      made.add(directory);
    }
    const temporary = path.join(directory, `.${id}.partial`);
    const hash = createHash('sha256');
    let sizeBytes = 0;
    const measure = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        hash.update(chunk);
        sizeBytes += chunk.length;
        callback(null, chunk);
      },
    });
    const source = Buffer.isBuffer(content) ? [content] : content;
    const out = fs.createWriteStream(temporary, { flags: 'wx' });
    try {
      await pipeline(source, measure, out);
      if (durable) await syncPath(temporary);
      await fsp.rename(temporary, finalPath);
      if (durable) await syncPath(directory);
    } catch (error) {
      await fsp.rm(temporary, { force: true });
      throw error;
    }
    return { key, sizeBytes, sha256: hash.digest('hex') };
  }

  async function makeDurable(keys: string[]): Promise<void> {
    const paths = keys.map(pathOf);
    await inParallel(paths, syncPath);
    await inParallel([...new Set(paths.map((p) => path.dirname(p)))], syncPath);
  }

  async function remove(key: string): Promise<void> {
    await fsp.rm(pathOf(key), { force: true });
  }

  return { root: absoluteRoot, put, makeDurable, pathOf, remove };
}

async function syncPath(target: string): Promise<void> {
  const handle = await fsp.open(target, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Runs `work` over the items, a few at a time (the fsyncs of a batch overlap, the file handles stay few). */
async function inParallel<T>(items: T[], work: (item: T) => Promise<void>, width = 16): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, lane));
}

export { sweepFileStore, UPLOAD_SPOOL, SHARED_STORE_GRACE_MS, type SweepReport } from './sweep.ts';
export { detectImageType, extensionOfType, fileType, isActiveContentType, mimeEssence, sniffBytes, SNIFF_BYTES, typeOfFileName, type FileTypeInput, type ImageType } from './file-types.ts';
export { retypeStoredFiles, type RetypeReport } from './retype.ts';
