import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, describe, it } from 'node:test';
import { createFileStore, InvalidStorageKeyError } from './index.ts';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'revista-storage-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

describe('file storage', () => {
  const store = createFileStore(root);

  it('stores bytes under a key it makes, with their size and sha256', async () => {
    const bytes = Buffer.from('%PDF-1.4\nRevista test file\n');
    const stored = await store.put(bytes);
    assert.match(stored.key, /^[0-9a-f]{2}\/[0-9a-f-]{36}$/);
    assert.equal(stored.sizeBytes, bytes.length);
    assert.equal(stored.sha256, createHash('sha256').update(bytes).digest('hex'));
    assert.deepEqual(fs.readFileSync(store.pathOf(stored.key)), bytes);
    assert.ok(store.pathOf(stored.key).startsWith(root + path.sep));
  });

  it('streams large content without holding it whole, and leaves no partial file behind', async () => {
    const chunk = Buffer.alloc(64 * 1024, 7);
    const stream = Readable.from((function* () {
      for (let i = 0; i < 64; i++) yield chunk;
    })());
    const stored = await store.put(stream);
    assert.equal(stored.sizeBytes, 64 * chunk.length);
    const leftovers = fs.readdirSync(path.dirname(store.pathOf(stored.key))).filter((n) => n.endsWith('.partial'));
    assert.deepEqual(leftovers, []);
  });

  it('refuses any key it could not have made, so no path reaches outside the root', () => {
    for (const key of ['../etc/passwd', '/etc/passwd', 'ab/../../x', 'ab/../ab/00000000-0000-0000-0000-000000000000', '', 'ab\\x']) {
      assert.throws(() => store.pathOf(key), InvalidStorageKeyError, key);
    }
  });

  it('keeps a failed write from leaving a file', async () => {
    const failing = new Readable({
      read() {
        this.destroy(new Error('client went away'));
      },
    });
    const before = fs.readdirSync(root).length;
    await assert.rejects(store.put(failing), /client went away/);
    const partials = fs.readdirSync(root, { recursive: true }).filter((n) => String(n).endsWith('.partial'));
    assert.deepEqual(partials, []);
    assert.ok(fs.readdirSync(root).length >= before);
  });

  it('stores a batch without syncing each file, then makes the whole batch durable at once', async () => {
    const batch = await Promise.all(Array.from({ length: 20 }, (_, i) => store.put(Buffer.from(`file ${i}`), { durable: false })));
    for (const [i, stored] of batch.entries()) assert.equal(fs.readFileSync(store.pathOf(stored.key), 'utf8'), `file ${i}`);
    await store.makeDurable(batch.map((s) => s.key));
    const partials = fs.readdirSync(root, { recursive: true }).filter((n) => String(n).endsWith('.partial'));
    assert.deepEqual(partials, []);
    // A key of a file that is not there cannot be made durable: the caller must not commit.
    await assert.rejects(store.makeDurable(['ab/00000000-0000-0000-0000-000000000000']), /ENOENT/);
    await assert.rejects(store.makeDurable(['../etc/passwd']), InvalidStorageKeyError);
  });
});
