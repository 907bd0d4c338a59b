import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { DatabaseInUseError, lockDirectory } from './lock.ts';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'revista-lock-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

describe('the data directory lock', () => {
  it('is taken once; a live holder refuses others with its pid and command', () => {
    const dir = path.join(root, 'db1');
    const lock = lockDirectory(dir, 'revista start');
    // Pretend another live process (our parent) holds it.
    fs.writeFileSync(lock.file, JSON.stringify({ pid: process.ppid, command: 'revista start', since: '2026-01-01T00:00:00Z' }));
    assert.throws(
      () => lockDirectory(dir, 'revista migrate'),
      (error: unknown) => error instanceof DatabaseInUseError && error.holder.pid === process.ppid && /revista start/.test(error.message),
    );
    fs.rmSync(lock.file);
  });

  it('takes over a lock whose holder is dead, and removes it on release', () => {
    const dir = path.join(root, 'db2');
    fs.writeFileSync(`${dir}.lock`, JSON.stringify({ pid: 2 ** 22 + 12345, command: 'revista start', since: 'x' }));
    const lock = lockDirectory(dir, 'revista migrate');
    assert.equal(JSON.parse(fs.readFileSync(lock.file, 'utf8')).pid, process.pid);
    lock.release();
    assert.equal(fs.existsSync(lock.file), false);
  });

  it('treats an unreadable lock file as stale', () => {
    const dir = path.join(root, 'db3');
    fs.writeFileSync(`${dir}.lock`, 'garbage');
    const lock = lockDirectory(dir, 'revista start');
    lock.release();
  });
});
