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
  /** Stores the bytes durably (fsync before return) and says where they are and what they are. */
  put(content: Readable | Buffer): Promise<StoredContent>;
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

  async function put(content: Readable | Buffer): Promise<StoredContent> {
    const id = randomUUID();
    const key = `${id.slice(0, 2)}/${id}`;
    const finalPath = pathOf(key);
    const directory = path.dirname(finalPath);
    await fsp.mkdir(directory, { recursive: true });
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
      const handle = await fsp.open(temporary, 'r+');
      await handle.sync();
      await handle.close();
      await fsp.rename(temporary, finalPath);
      const dirHandle = await fsp.open(directory, 'r');
      await dirHandle.sync();
      await dirHandle.close();
    } catch (error) {
      await fsp.rm(temporary, { force: true });
      throw error;
    }
    return { key, sizeBytes, sha256: hash.digest('hex') };
  }

  async function remove(key: string): Promise<void> {
    await fsp.rm(pathOf(key), { force: true });
  }

  return { root: absoluteRoot, put, pathOf, remove };
}
