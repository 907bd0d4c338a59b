import zlib from 'node:zlib';
import { Zip, ZipDeflate, ZipPassThrough } from 'fflate';
import { AnonymizeError } from './errors.ts';

/** One entry of a ZIP archive, unpacked. */
export interface ZipEntry {
  name: string;
  data: Uint8Array;
  /** Stored without compression in the original (ODF's `mimetype` must stay so). */
  stored: boolean;
}

/** Limits for what an office document's ZIP may unpack to: far above any real one, far below a zip bomb's. */
export const ZIP_LIMITS = { entries: 5000, totalBytes: 512 * 1024 * 1024 } as const;

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/**
 * Reads every entry of a ZIP archive, bounded: the central directory's count and sizes are checked
 * against the limits before anything is unpacked, each entry is inflated with its declared size as
 * the ceiling (a size that lies stops the inflating at once), and its CRC is checked. Encrypted
 * entries, ZIP64, methods other than stored and deflated, and names given twice are refused.
 * `budget` is shared by an archive and the archives inside it.
 * fflate's own reader trusts the declared sizes, hence this small reader; fflate writes the result.
 */
export function readZip(bytes: Uint8Array, limits: { entries: number; totalBytes: number } = ZIP_LIMITS, budget: { bytesLeft: number } = { bytesLeft: limits.totalBytes }): ZipEntry[] {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const broken = (why: string) => new AnonymizeError('unreadable', `not a readable ZIP archive: ${why}`);
  let end = -1;
  for (let i = buffer.length - 22; i >= Math.max(0, buffer.length - 22 - 0xffff); i--) {
    if (buffer.readUInt32LE(i) === EOCD) {
      end = i;
      break;
    }
  }
  if (end < 0) throw broken('no end of central directory');
  const count = buffer.readUInt16LE(end + 10);
  const directorySize = buffer.readUInt32LE(end + 12);
  const directoryOffset = buffer.readUInt32LE(end + 16);
  if (buffer.readUInt16LE(end + 4) !== 0 || buffer.readUInt16LE(end + 6) !== 0) throw broken('split across disks');
  if (count === 0xffff || directoryOffset === 0xffffffff || directorySize === 0xffffffff) throw broken('ZIP64 is not read');
  if (count > limits.entries) throw new AnonymizeError('too-large', `the archive has ${count} entries (at most ${limits.entries})`);
  if (directoryOffset + directorySize > end) throw broken('the central directory is outside the archive');

  const headers: Array<{ name: string; method: number; crc: number; compressedSize: number; size: number; offset: number }> = [];
  const names = new Set<string>();
  let total = 0;
  let at = directoryOffset;
  for (let n = 0; n < count; n++) {
    if (at + 46 > end || buffer.readUInt32LE(at) !== CENTRAL) throw broken('a central directory entry is missing');
    const flags = buffer.readUInt16LE(at + 8);
    const method = buffer.readUInt16LE(at + 10);
    const nameLength = buffer.readUInt16LE(at + 28);
    const name = buffer.toString(flags & 0x800 ? 'utf8' : 'latin1', at + 46, at + 46 + nameLength);
    const header = { name, method, crc: buffer.readUInt32LE(at + 16), compressedSize: buffer.readUInt32LE(at + 20), size: buffer.readUInt32LE(at + 24), offset: buffer.readUInt32LE(at + 42) };
    at += 46 + nameLength + buffer.readUInt16LE(at + 30) + buffer.readUInt16LE(at + 32);
    if (flags & 0x1) throw new AnonymizeError('encrypted', `the entry ${name} is encrypted`);
    if (method !== 0 && method !== 8) throw broken(`the entry ${name} uses compression method ${method}`);
    if (names.has(name)) throw broken(`the entry ${name} is there twice`);
    names.add(name);
    total += header.size;
    if (total > budget.bytesLeft) throw new AnonymizeError('too-large', `the archive unpacks to more than ${limits.totalBytes} bytes`);
    headers.push(header);
  }

  // Archives inside this one (embedded documents) share what is left.
  budget.bytesLeft -= total;
  return headers.map((header) => {
    const local = header.offset;
    if (local + 30 > buffer.length || buffer.readUInt32LE(local) !== LOCAL) throw broken(`the entry ${header.name} has no local header`);
    const start = local + 30 + buffer.readUInt16LE(local + 26) + buffer.readUInt16LE(local + 28);
    if (start + header.compressedSize > buffer.length) throw broken(`the entry ${header.name} is cut short`);
    const packed = buffer.subarray(start, start + header.compressedSize);
    let data: Buffer;
    if (header.method === 0) data = packed;
    else {
      try {
        data = header.size === 0 ? Buffer.alloc(0) : zlib.inflateRawSync(packed, { maxOutputLength: header.size });
      } catch {
        throw broken(`the entry ${header.name} does not unpack to its declared size`);
      }
    }
    if (data.length !== header.size || zlib.crc32(data) !== header.crc) throw broken(`the entry ${header.name} is damaged`);
    return { name: header.name, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), stored: header.method === 0 };
  });
}

/** Writes the entries, in their order, into a new archive (no comments, no extra fields, one fixed date). */
export function writeZip(entries: readonly ZipEntry[]): Uint8Array {
  const chunks: Uint8Array[] = [];
  let failure: Error | null = null;
  const zip = new Zip((error, chunk) => {
    if (error) failure = error;
    else chunks.push(chunk);
  });
  // The original's dates could say when and where (time zone) it was written: one date for all.
  const mtime = new Date('2000-01-01T00:00:00Z');
  for (const entry of entries) {
    const file = entry.stored ? new ZipPassThrough(entry.name) : new ZipDeflate(entry.name, { level: 6 });
    file.mtime = mtime;
    zip.add(file);
    file.push(entry.data, true);
  }
  zip.end();
  if (failure) throw failure;
  return Buffer.concat(chunks);
}
