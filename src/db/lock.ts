import fs from 'node:fs';
import path from 'node:path';

/**
 * PGlite is a single-process database and does not lock its data directory itself: two processes
 * writing to one directory lose rows silently. Revista takes this lock file next to the directory
 * before opening it and refuses to open a directory another live process holds.
 */
export class DatabaseInUseError extends Error {
  constructor(
    readonly lockFile: string,
    readonly holder: LockHolder,
  ) {
    super(
      `the embedded database in ${path.dirname(lockFile)} is in use by another Revista process ` +
        `(pid ${holder.pid}, "${holder.command}", since ${holder.since}). PGlite serves one process ` +
        `at a time: stop that process first (for the CLI: stop the server, run the command, start ` +
        `it again), or use PostgreSQL through DATABASE_URL, which many processes can share.`,
    );
  }
}

export interface LockHolder {
  pid: number;
  command: string;
  since: string;
}

export interface DirectoryLock {
  readonly file: string;
  release(): void;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(file: string): LockHolder | undefined {
  try {
    const holder = JSON.parse(fs.readFileSync(file, 'utf8')) as LockHolder;
    return Number.isInteger(holder.pid) ? holder : undefined;
  } catch {
    return undefined;
  }
}

export function lockDirectory(directory: string, command: string): DirectoryLock {
  const file = `${directory}.lock`;
  const holder: LockHolder = { pid: process.pid, command, since: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      // 'wx' creates the file only if it does not exist: the check and the claim are one step.
      const fd = fs.openSync(file, 'wx');
      fs.writeSync(fd, JSON.stringify(holder));
      fs.fsyncSync(fd);
      fs.closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        process.off('exit', release);
        const current = readHolder(file);
        if (current?.pid === process.pid) fs.rmSync(file, { force: true });
      };
      process.on('exit', release);
      return { file, release };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const current = readHolder(file);
      if (current && current.pid !== process.pid && isAlive(current.pid)) {
        throw new DatabaseInUseError(file, current);
      }
      // The holder died without cleaning up (kill -9, power loss): the lock is stale.
      fs.rmSync(file, { force: true });
    }
  }
  throw new Error(`could not take the lock ${file}`);
}
